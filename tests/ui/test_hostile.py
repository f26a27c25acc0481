"""Hostile text through every surface: no exception, the text shown literally, and nothing
from the data in the bytes a terminal would receive."""

from __future__ import annotations

import io

from rich.console import Console

from inbox_tui.fake.records import FakeMessage
from inbox_tui.store import View
from inbox_tui.ui.screens.search import SearchScreen
from tests.hostile import HOSTILE, LONG, MARKERS
from tests.support import make_app, screen_text, settle

SIZE = (200, 60)


def one_line(text: str) -> str:
    """Names are one line: whitespace runs fold to one space."""
    return " ".join(text.split())


def terminal_bytes(app) -> bytes:
    """What the driver would write for a full repaint of the screen on top."""
    console = Console(
        file=io.StringIO(), force_terminal=True, color_system="truecolor", width=SIZE[0]
    )
    console.print(app.screen._compositor.render_update(full=True), end="")
    return console.file.getvalue().encode("utf-8", "surrogateescape")


def check_bytes(app) -> None:
    out = terminal_bytes(app)
    for marker in MARKERS:
        assert marker not in out, marker


def plant(fake, clock) -> None:
    """Hostile names, texts and URLs in the fake's data; a long message too."""
    fb = fake.primary.platforms["facebook"]
    for n, (raw, _) in enumerate(HOSTILE):
        cid = f"t_h{n}"
        fb.conversations[cid] = type(fb.conversations["t_1"])(
            id=cid,
            participant_id=f"90{n}",
            participant_name=raw,
            messages=[
                FakeMessage(
                    f"m_h{n}",
                    "received",
                    clock.now,
                    f"needle {raw}",
                    attachments=[
                        {"type": raw[:20], "url": f"https://cdn.example.com/{n}.jpg{raw}"}
                    ],
                )
            ],
        )
    fb.conversations["t_1"].messages.append(FakeMessage("m_long", "received", clock.now, LONG))


async def test_hostile_text_everywhere(server, tmp_path, clock, fake):
    plant(fake, clock)
    app = make_app(server, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: len(app.conversation_list.rows) == 4 + len(HOSTILE))
        text = screen_text(app)
        shown = [visible for _, visible in HOSTILE if one_line(visible) in text]
        assert len(shown) >= len(HOSTILE) - 2  # list rows: names (a few may scroll off)
        check_bytes(app)
        for _, visible in HOSTILE:  # each thread, its border title and attachment
            key = next(
                r.key for r in app.conversation_list.rows if r.participant_name == one_line(visible)
            )
            app.conversation_list.highlighted = next(
                i for i, r in enumerate(app.conversation_list.rows) if r.key == key
            )
            await settle(
                pilot,
                lambda key=key: app.thread_view.row is not None and app.thread_view.row.key == key,
            )
            text = screen_text(app)
            assert f"─ {one_line(visible)}  Facebook · Primary ─" in text  # the border title
            assert f"needle {visible}" in text
            check_bytes(app)
        # The 100,000-character message: its thread opens, the list shows its start.
        app.conversation_list.highlighted = next(
            i for i, r in enumerate(app.conversation_list.rows) if r.id == "t_1"
        )
        await settle(
            pilot, lambda: app.thread_view.row is not None and app.thread_view.row.id == "t_1"
        )
        assert "long long long" in screen_text(app)
        # Search results.
        await pilot.press("slash", *"needle")
        await settle(pilot, lambda: isinstance(app.screen, SearchScreen) and bool(app.screen.hits))
        text = screen_text(app)
        assert sum(visible in text for _, visible in HOSTILE) >= 5
        check_bytes(app)
        await pilot.press("escape")
        # A toast and the status bar: a hostile sender writes; a hostile API error.
        raw, visible = HOSTILE[0]
        fake.deliver(None, "facebook", "t_2", FakeMessage("m_new", "received", clock.now, "hi"))
        fake.primary.platforms["facebook"].conversations["t_2"].participant_name = raw
        fake.settings.refuse_sends = (400, HOSTILE[5][0] + " " + HOSTILE[1][0])
        clock.advance(61)
        app.engine.wake()
        await settle(pilot)
        await pilot.press("g", "r", *"reply", "enter")
        await settle(pilot, lambda: any("clipboard" in n.message for n in app._notifications))
        messages = [n.message for n in app._notifications]
        assert any("clipboard [link='https://evil.example']free[/link]" in m for m in messages)
        assert not any("\x1b" in m or "\x07" in m for m in messages)
        assert app.is_running and app.list_pane.view is View.ACTIVE
        check_bytes(app)


async def test_hostile_profile_names_and_api_errors(server, tmp_path, clock, fake):
    from pydantic import SecretStr

    from inbox_tui.config.model import Profile
    from inbox_tui.store import Store
    from inbox_tui.ui.app import InboxApp
    from tests.factories import BRAND_KEY, SECRETS, test_config

    evil_name = "[@click=app.quit]Brand[/] [$accent]"
    config = test_config(server)
    config = config.model_copy(
        update={
            "profiles": [
                config.profiles[0],
                Profile(
                    name=evil_name,
                    profile_key=SecretStr(BRAND_KEY),
                    platforms=config.profiles[1].platforms,
                ),
            ]
        }
    )
    app = InboxApp(config, Store(tmp_path / "inbox.sqlite3"), clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: len(app.conversation_list.rows) == 4)
        await pilot.press("p")
        await settle(pilot)
        assert evil_name in screen_text(app)  # the switcher
        await pilot.press("escape")
        app.switch_to_profile(evil_name)
        await settle(pilot, lambda: len(app.conversation_list.rows) == 1)
        text = screen_text(app)
        assert (
            f"─ {evil_name} · Active ─" in text and f" {evil_name} " in text
        )  # border, status bar
        # An API error text made of hostile bytes, in the issues panel (the bar marks it).
        fake.settings.fault, fake.settings.fault_message = (
            "500",
            HOSTILE[5][0] + " " + HOSTILE[0][0],
        )
        clock.advance(61)
        app.engine.wake()
        await settle(pilot, lambda: "FB!" in screen_text(app))
        await pilot.press("exclamation_mark")
        await settle(pilot, lambda: "Issues (" in screen_text(app))
        text = screen_text(app)  # the panel wraps the words after "clipboard"
        assert "The API said: clipboard" in text and "[@click=app.quit]click me[/]" in text
        fake.settings.fault = None
        check_bytes(app)
        assert app.is_running
        # A screenshot of all this holds no key.
        svg = app.export_screenshot()
        assert all(secret not in svg for secret in SECRETS)
        assert "clipboard" in svg and "cHduZWQ" not in svg


async def test_every_dialog_shows_a_hostile_name_literally(server, tmp_path, clock, fake):
    """22 D4/D5: a customer's or a profile's name in a dialog's title is text, never markup:
    `[/]` crashed the app, `[@click=…]` ran an action on a click."""
    from pydantic import SecretStr

    from inbox_tui.config.model import Profile
    from inbox_tui.store import Store
    from inbox_tui.ui.app import InboxApp
    from tests.factories import BRAND_KEY, test_config

    customer = "[/] [@click=app.quit]Snooze me[/]"
    brand = "oops [/bold] x [@click=app.quit]"
    fake.primary.platforms["facebook"].conversations["t_1"].participant_name = customer
    config = test_config(server)
    config = config.model_copy(
        update={
            "profiles": [
                Profile(name=brand, platforms=config.profiles[0].platforms),
                Profile(
                    name="Brand",
                    profile_key=SecretStr(BRAND_KEY),
                    platforms=config.profiles[1].platforms,
                ),
            ]
        }
    )
    app = InboxApp(config, Store(tmp_path / "inbox.sqlite3"), clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: len(app.conversation_list.rows) == 4)
        app.switch_to_profile(brand)
        await settle(pilot, lambda: app.thread_view.row is not None)
        app.conversation_list.highlighted = next(
            i for i, r in enumerate(app.conversation_list.rows) if r.id == "t_1"
        )
        await settle(pilot, lambda: app.thread_view.row.id == "t_1")
        walks = [
            (("z",), f"Snooze {customer}"),  # the snooze dialog
            (("A",), f"Auto-response · {brand}"),  # the auto-response screen
            (("r", "ctrl+t"), f"Saved replies · {brand}"),  # saved replies, from the composer
        ]
        for keys, title in walks:
            await pilot.press(*keys)
            await settle(pilot)
            assert title in screen_text(app), title
            check_bytes(app)
            await pilot.press("escape")
            await settle(pilot)
            app.conversation_list.focus()
        await pilot.press("P")
        await settle(pilot)
        options = app.screen.query_one("#profiles")
        options.highlighted = 0
        await pilot.press("r")
        await settle(pilot)
        assert f"Rename {brand}" in screen_text(app)
        await pilot.click(offset=(50, 10))  # a click on a title must run nothing
        await settle(pilot)
        assert app.is_running and app.return_code is None


async def test_pasted_control_characters_never_reach_the_terminal(server, tmp_path, clock, fake):
    """22 D21: C1 CSI/OSC bytes in a paste went out raw from the composer and the boxes."""
    from textual import events

    app = make_app(server, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: app.thread_pane.reply_to is not None)
        await pilot.press("r")
        await settle(pilot)
        app.post_message(events.Paste("pay \x9b31mnow\x9d0;title\x9c ok"))  # as a terminal does
        await settle(pilot)
        # the sequences, parameters and all
        assert app.thread_pane.composer.area.text == "pay now ok"
        assert not any(
            c in app.store.draft(app.thread_pane.reply_to.ref).text for c in "\x9b\x9d\x9c"
        )
        check_bytes(app)
        await pilot.press("escape", "slash")
        await settle(pilot, lambda: isinstance(app.screen, SearchScreen))
        box = app.screen.query_one("Input")
        app.post_message(events.Paste("find \x9b2Jme"))
        await settle(pilot)
        assert box.value == "find me"
