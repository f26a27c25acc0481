"""Pilot tests of replying: the composer, drafts, the outbox in the thread, faults, settings."""

from __future__ import annotations

import os
import stat
import sys
import tomllib
from datetime import timedelta

from inbox_tui.config.model import SavedReply
from inbox_tui.domain import Platform
from inbox_tui.fake.records import FakeConversation, FakeMessage
from inbox_tui.store import Draft, OutboxState, Store
from inbox_tui.ui.app import InboxApp
from inbox_tui.ui.screens.dialogs import Confirm, TextPrompt
from tests.factories import API_KEY, BRAND_KEY, X_KEY, X_SECRET, test_config
from tests.support import make_app, paste, screen_text, settle

SIZE = (140, 40)
ADA = ("Primary", Platform.FACEBOOK, "t_1")


def posts(fake):
    return [r for r in fake.requests if r.method == "POST" and r.path.startswith("/api/messages/")]


async def started(pilot):
    await settle(
        pilot,
        lambda: (
            len(pilot.app.conversation_list.rows) == 4
            and pilot.app.thread_pane.reply_to is not None
        ),
    )


async def test_reply_sends_with_enter_and_newline_with_ctrl_j(server, tmp_path, clock, fake):
    app = make_app(server, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        assert not app.thread_pane.composer.has_area  # reading never pays for a TextArea
        await pilot.press("r")
        assert app.thread_pane.composer.area.has_focus
        assert "To Ada Lovelace via Facebook" in screen_text(app)
        await pilot.press(*"Hi Ada,", "ctrl+j", *"it ships today.", "enter")
        await settle(pilot, lambda: len(posts(fake)) == 1)
        assert posts(fake)[0].body == {"recipientId": "5001", "message": "Hi Ada,\nit ships today."}
        await settle(pilot, lambda: "waiting to see it listed" in screen_text(app))
        assert app.thread_pane.composer.area.text == ""
        clock.advance(60)  # the cache window passes: the GET lists it, matched by messageId
        app.engine.wake()
        await settle(pilot, lambda: "waiting to see it listed" not in screen_text(app))
        assert "it ships today." in screen_text(app)
        assert app.store.outbox_for(ADA) == []


async def test_escape_keeps_the_draft_across_switches_and_restarts(server, tmp_path, clock):
    app = make_app(server, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("r")
        await paste(pilot, "Half a thought")
        await pilot.press("escape")
        await settle(pilot, lambda: app.conversation_list.rows[0].has_draft)
        assert app.conversation_list.has_focus
        assert "✎ draft" in screen_text(app)
        await pilot.press("j")  # another conversation: its own, empty composer
        await settle(pilot, lambda: app.thread_pane.reply_to.id != "t_1")
        assert app.thread_pane.composer.area.text == ""
        await pilot.press("k")
        await settle(pilot, lambda: app.thread_pane.reply_to.id == "t_1")
        assert app.thread_pane.composer.area.text == "Half a thought"
    app.store.close()
    again = InboxApp(test_config(server), Store(tmp_path / "inbox.sqlite3"), clock=clock)
    async with again.run_test(size=SIZE) as pilot:
        await started(pilot)
        assert again.thread_pane.composer.area.text == "Half a thought"
        assert "✎ draft" in screen_text(again)


async def test_closed_instagram_window_disables_the_composer(server, tmp_path, clock, fake):
    fake.primary.platforms["instagram"].conversations["aWdf_1"].messages[0].created -= timedelta(
        days=8
    )
    app = make_app(server, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("2")  # Instagram
        await settle(
            pilot,
            lambda: (
                app.thread_pane.reply_to is not None and app.thread_pane.reply_to.id == "aWdf_1"
            ),
        )
        await pilot.press("r")
        await settle(pilot)
        assert app.thread_pane.composer.area.disabled
        assert "within 7 days" in screen_text(app) and "window closed" in screen_text(app)
        assert posts(fake) == []


async def test_open_instagram_window_shows_the_time_left(server, tmp_path, clock, fake):
    fake.primary.platforms["instagram"].conversations["aWdf_1"].messages[0].created -= timedelta(
        days=6, hours=20
    )
    app = make_app(server, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("2", "r")
        await settle(pilot, lambda: app.thread_pane.reply_to.id == "aWdf_1")
        assert "window closes in 3 h" in screen_text(app)  # their message: 6 d 21 h ago
        await pilot.press("escape", "s", "s")
        await settle(pilot)
        assert "window closing" in screen_text(app)


async def test_media_is_checked_before_sending(server, tmp_path, clock, fake):
    app = make_app(server, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("r", "ctrl+l")
        await settle(pilot, lambda: isinstance(app.screen, TextPrompt))
        await paste(pilot, "https://cdn.example.com/a.jpg?size=2")
        await pilot.pause()
        assert "must not carry a query string" in str(app.screen.query_one("#prompt-hint").content)
        await pilot.press("enter")  # refused: the prompt stays
        await pilot.press("ctrl+u")
        await paste(pilot, "https://cdn.example.com/a.jpg")
        await pilot.press("enter")
        await settle(pilot)
        status = app.thread_pane.composer.query_one("#composer-status").content
        assert "1 attachment: https://cdn.example.com/a.jpg" in status.plain
        await paste(pilot, "Here you go")
        await pilot.press("enter")
        await settle(pilot, lambda: len(posts(fake)) == 1)
        assert posts(fake)[0].body == {
            "recipientId": "5001",
            "message": "Here you go",
            "mediaUrls": ["https://cdn.example.com/a.jpg"],
        }


async def test_the_enter_after_attaching_does_not_send_at_once(server, tmp_path, clock, fake):
    """A second enter (a key repeat, a habit) after the media dialog's must not send the reply
    the user has not looked at: it says "enter again to send"; typing clears that."""
    app = make_app(server, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("r")
        await paste(pilot, "Here is the photo")
        await pilot.press("ctrl+l")
        await settle(pilot, lambda: isinstance(app.screen, TextPrompt))
        await paste(pilot, "https://cdn.example.com/a.jpg")
        await pilot.press("enter", "enter")
        await settle(pilot)
        assert posts(fake) == []
        status = app.thread_pane.composer.query_one("#composer-status").content.plain
        assert "enter again to send" in status
        await pilot.press("enter")
        await settle(pilot, lambda: len(posts(fake)) == 1)
        assert posts(fake)[0].body["mediaUrls"] == ["https://cdn.example.com/a.jpg"]
        await paste(pilot, "And another")  # no dialog since: enter sends
        await pilot.press("enter")
        await settle(pilot, lambda: len(posts(fake)) == 2)


async def test_the_counter_shows_the_platform_s_limit_and_too_long_is_kept(
    server, tmp_path, clock, fake
):
    app = make_app(server, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("r")
        status = app.thread_pane.composer.query_one("#composer-status")
        assert "/2,000" not in status.content.plain  # nothing typed: no counter
        await paste(pilot, "Hi Ada")
        await settle(pilot, lambda: "· 6/2,000" in status.content.plain)
        await paste(pilot, "x" * 1995)
        await settle(pilot, lambda: "· 2,001/2,000" in status.content.plain)
        await pilot.press("enter")
        await settle(pilot)
        assert posts(fake) == []
        assert any("at most 2,000 characters" in n.message for n in app._notifications)
        assert app.thread_pane.composer.area.text == "Hi Ada" + "x" * 1995  # nothing lost
        await pilot.press("escape", "2", "r")  # Instagram counts bytes
        await settle(pilot, lambda: app.thread_pane.reply_to.platform is Platform.INSTAGRAM)
        await paste(pilot, "ça")
        await settle(pilot, lambda: "· 3/1,000 bytes" in status.content.plain)


async def test_x_media_without_text_is_stopped_here(server, tmp_path, clock, fake):
    app = make_app(server, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("3")
        await settle(pilot, lambda: app.thread_pane.reply_to.id == "9000-7001")
        await pilot.press("r", "ctrl+l")
        await settle(pilot, lambda: isinstance(app.screen, TextPrompt))
        await paste(pilot, "https://x.example/1.jpg")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("enter", "enter")  # the first only arms the send (after the dialog)
        await settle(pilot)
        assert posts(fake) == []
        assert any("X needs some text with the media" in n.message for n in app._notifications)
        assert app.store.draft(("Primary", Platform.TWITTER, "9000-7001")).media_urls == (
            "https://x.example/1.jpg",
        )


async def test_a_refused_send_shows_why_and_retry_sends_once_more(server, tmp_path, clock, fake):
    app = make_app(server, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        fake.settings.refuse_sends = (
            400,
            "Message failed to send because another app is controlling this thread now",
        )
        await pilot.press("r")
        await paste(pilot, "Hello?")
        await pilot.press("enter")
        await settle(pilot, lambda: "not sent" in screen_text(app))
        text = screen_text(app)
        assert "Another app controls this conversation" in text and "R sends it again" in text
        assert "! reply not sent" in text
        fake.settings.refuse_sends = None
        await pilot.press("escape", "enter", "G", "R")  # into the thread, onto the reply, retry
        await settle(
            pilot, lambda: len(posts(fake)) == 2 and "waiting to see it listed" in screen_text(app)
        )
        assert [r.body["message"] for r in posts(fake)] == ["Hello?", "Hello?"]


async def test_discard_puts_a_failed_reply_back_in_the_composer(server, tmp_path, clock, fake):
    app = make_app(server, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        fake.settings.refuse_sends = (400, "nope")
        await pilot.press("r")
        await paste(pilot, "Keep me")
        await pilot.press("enter")
        await settle(pilot, lambda: "not sent" in screen_text(app))
        await pilot.press("escape", "enter", "G")
        # On the reply that did not go out, and only there, the key bar offers R and X.
        await settle(pilot, lambda: "X Unsend" in screen_text(app).splitlines()[-1])
        assert "R Retry reply" in screen_text(app).splitlines()[-1]
        await pilot.press("k")
        await settle(pilot, lambda: "X Unsend" not in screen_text(app).splitlines()[-1])
        await pilot.press("G", "X")
        await settle(pilot, lambda: app.thread_pane.composer.area.text == "Keep me")
        assert app.store.outbox_for(ADA) == []


async def test_unknown_fate_is_never_resent_without_a_yes(server, tmp_path, clock, fake):
    app = InboxApp(
        test_config(server).model_copy(
            update={
                # Short enough for the delayed POST to time out, long enough that the first
                # sync's GETs never do on a loaded machine.
                "ayrshare": test_config(server).ayrshare.model_copy(update={"timeout_seconds": 2.0})
            }
        ),
        Store(tmp_path / "inbox.sqlite3"),
        clock=clock,
    )
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        fake.settings.send_delay_seconds = 6.0
        await pilot.press("r")
        await paste(pilot, "Refund issued")
        await pilot.press("enter")
        await settle(pilot, lambda: "may not have gone out" in screen_text(app), rounds=600)
        assert "R sends again" in screen_text(app)
        await pilot.press("escape", "enter", "G", "R")
        await settle(pilot, lambda: isinstance(app.screen, Confirm))
        await pilot.press("n")
        await settle(pilot)
        assert len(posts(fake)) == 1
        fake.settings.send_delay_seconds = 0
        clock.advance(60)
        app.engine.wake()  # the GET lists it: resolved as sent, no second POST
        await settle(pilot, lambda: "may not have gone out" not in screen_text(app))
        assert len(posts(fake)) == 1


async def test_an_interrupted_send_is_flagged_at_start(server, tmp_path, clock, fake):
    store = Store(tmp_path / "inbox.sqlite3")
    item = store.outbox_add(ADA, "5001", Draft("was on its way"), clock())
    store.outbox_update(item.local_id, OutboxState.SENDING, clock(), attempt=True)
    store.close()
    app = make_app(server, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await settle(pilot, lambda: "may not have gone out" in screen_text(app))
        assert "was on its way" in screen_text(app)
        assert any("interrupted" in n.message for n in app._notifications)
        assert posts(fake) == []


async def test_editor_writes_the_reply(server, tmp_path, clock, monkeypatch):
    script = tmp_path / "fake-editor"
    script.write_text(
        f"#!{sys.executable}\nimport sys\nopen(sys.argv[1], 'a').write(' and more, from the editor')\n"
    )
    script.chmod(0o700)
    monkeypatch.setenv("EDITOR", str(script))
    monkeypatch.delenv("VISUAL", raising=False)
    app = make_app(server, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("r")
        await paste(pilot, "Start")
        await pilot.press("ctrl+e")
        await settle(pilot, lambda: "from the editor" in app.thread_pane.composer.area.text)
        assert app.thread_pane.composer.area.text == "Start and more, from the editor"
        assert not list(tmp_path.glob("inbox-tui-reply-*"))


def write_config(path, base_url, saved=()):
    replies = "".join(
        f'\n[[profiles.saved_replies]]\nname = "{n}"\ntext = "{t}"\n' for n, t in saved
    )
    path.write_text(
        f'[ayrshare]\nbase_url = "{base_url}"\nx_api_key = "{X_KEY}"\nx_api_secret = "{X_SECRET}"\n\n'
        f'[[profiles]]\nname = "Primary"\n{replies}\n'
        f'[[profiles]]\nname = "Brand"\nprofile_key = "{BRAND_KEY}"\nplatforms = ["facebook", "instagram"]\n'
    )


async def test_saved_replies_fill_variables_and_are_managed_in_the_config(
    server, tmp_path, clock, monkeypatch
):
    from inbox_tui.config.load import load_config

    monkeypatch.setenv(
        "AYRSHARE_API_KEY", API_KEY
    )  # from the environment: never written to the file
    path = tmp_path / "config.toml"
    write_config(path, server, [("Shipping", "Hi {first_name}, it ships {when} from {profile}.")])
    app = InboxApp(
        load_config(path), Store(tmp_path / "inbox.sqlite3"), clock=clock, config_path=path
    )
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("r", "ctrl+t")
        await settle(pilot)
        assert "Hi Ada, it ships {when} from Primary." in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert app.thread_pane.composer.area.text == "Hi Ada, it ships {when} from Primary."
        await pilot.press("ctrl+t", "ctrl+n")
        await settle(pilot)
        await paste(pilot, "Thanks")
        await pilot.press("tab")
        await paste(pilot, "Thank you, {name}!")
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: len(app.config.profile("Primary").saved_replies) == 2)
        await pilot.press("escape")
    written = tomllib.loads(path.read_text())
    assert written["profiles"][0]["saved_replies"][1] == {
        "name": "Thanks",
        "text": "Thank you, {name}!",
    }
    assert API_KEY not in path.read_text()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert app.config.profile("Primary").saved_replies[1] == SavedReply(
        name="Thanks", text="Thank you, {name}!"
    )


async def test_auto_response_screen_reads_and_saves(server, tmp_path, clock, fake):
    app = make_app(server, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("A")
        await settle(pilot, lambda: "Never set for this profile" in screen_text(app))
        app.screen.query_one("#ar-active").value = True
        app.screen.query_one("#ar-message").value = "We answer within a day."
        app.screen.query_one("#ar-wait").value = "3600"
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: "Saved." in screen_text(app))
    post = [
        r for r in fake.requests if r.path == "/api/messages/autoresponse" and r.method == "POST"
    ][-1]
    assert post.body == {
        "autoResponseActive": True,
        "autoResponseMessage": "We answer within a day.",
        "autoResponseWaitSeconds": 3600,
    }


def app_on_a_config_file(server, tmp_path, clock, monkeypatch):
    """An app whose config is a file it edits (the profile manager's tests)."""
    from inbox_tui.config.load import load_config

    monkeypatch.setenv("AYRSHARE_API_KEY", API_KEY)
    path = tmp_path / "config.toml"
    write_config(path, server)
    store = Store(tmp_path / "inbox.sqlite3")
    return path, InboxApp(load_config(path), store, clock=clock, config_path=path)


async def test_profile_manager_adds_renames_and_removes(server, tmp_path, clock, fake, monkeypatch):
    path, app = app_on_a_config_file(server, tmp_path, clock, monkeypatch)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("P", "a", "enter")  # the first kind: an Ayrshare profile
        await settle(pilot)
        await paste(pilot, "Third")
        await pilot.press("tab")
        await paste(pilot, "pk-third-secret")
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: len(app.config.profiles) == 3)
        assert "pk-third-secret" not in screen_text(app)
        await pilot.press("down", "r")  # rename Brand (the second row)
        await settle(pilot)
        await pilot.press("ctrl+u")
        await paste(pilot, "Brand Two")
        await pilot.press("enter")
        await settle(
            pilot,
            lambda: [p.name for p in app.config.profiles] == ["Primary", "Brand Two", "Third"],
        )
        await pilot.press("end", "d", "y")
        await settle(
            pilot, lambda: [p.name for p in app.config.profiles] == ["Primary", "Brand Two"]
        )
        await pilot.press("escape")
        await settle(pilot, lambda: app.engine is not None and not app.engine.busy)
        assert set(app.engine.providers) == {"Primary", "Brand Two"}
    written = tomllib.loads(path.read_text())
    assert [p["name"] for p in written["profiles"]] == ["Primary", "Brand Two"]
    assert API_KEY not in path.read_text() and "pk-third-secret" not in path.read_text()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    # The renamed profile keeps its stored conversations.
    assert app.store.conversations(
        ["Brand Two"], __import__("inbox_tui.store").store.View.ACTIVE, now=clock()
    )


async def test_profile_manager_adds_a_meta_page_with_its_token_s_source(
    server, tmp_path, clock, monkeypatch
):
    path, app = app_on_a_config_file(server, tmp_path, clock, monkeypatch)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("P", "a", "j", "enter")  # the second kind: a Meta Page
        await settle(pilot)
        assert "Add a Meta Page" in screen_text(app)
        assert "X" not in [o.prompt for o in app.screen.query_one("#profile-platforms")._options]
        await paste(pilot, "Fjord Bakery")
        await pilot.press("tab")
        await paste(pilot, "page-104")  # not an id: refused, with why, nothing lost
        await pilot.press("tab")
        await paste(pilot, "FJORD_PAGE_TOKEN")
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: "Not saved" in screen_text(app))
        assert "page_id" in screen_text(app) and len(app.config.profiles) == 2
        await pilot.press("shift+tab", "ctrl+u")
        await paste(pilot, "104000000000777")
        before = path.read_text()
        await pilot.press("ctrl+s")  # valid, but its token's variable is not set here
        hint = app.screen.query_one("#profile-hint")
        await settle(pilot, lambda: "FJORD_PAGE_TOKEN, which is not set" in str(hint.content))
        assert path.read_text() == before  # not written: the config still starts
        monkeypatch.setenv("FJORD_PAGE_TOKEN", "page-token-secret")
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: len(app.config.profiles) == 3)
        assert "Meta Page 104000000000777 (Graph API)" in screen_text(app)
        assert "Primary Profile" not in screen_text(app).split("Fjord Bakery", 1)[1]
    (page,) = [
        p for p in tomllib.loads(path.read_text())["profiles"] if p["name"] == "Fjord Bakery"
    ]
    assert page == {
        "name": "Fjord Bakery",
        "provider": "meta",
        "page_id": "104000000000777",
        "access_token_env": "FJORD_PAGE_TOKEN",
        "platforms": ["facebook", "instagram"],
    }
    assert "page-token-secret" not in path.read_text()


def test_a_page_token_from_a_command_is_written_as_one(tmp_path, server, monkeypatch):
    from inbox_tui.config.edit import NewProfile, add_profile

    monkeypatch.setenv("AYRSHARE_API_KEY", API_KEY)
    path = tmp_path / "config.toml"
    write_config(path, server)
    page = NewProfile("Page", ["facebook"], page_id="42", token_from="printf page-token")
    add_profile(path, page)
    written = tomllib.loads(path.read_text())["profiles"][-1]
    assert written["access_token_command"] == "printf page-token"
    assert "access_token_env" not in written


async def test_x_without_app_keys_is_blocked_with_the_fix(server, tmp_path, clock, fake):
    first = make_app(server, tmp_path, clock)  # X threads stored while the keys were set
    async with first.run_test(size=SIZE) as pilot:
        await started(pilot)
    first.store.close()
    config = test_config(server)
    config = config.model_copy(
        update={"ayrshare": config.ayrshare.model_copy(update={"x_api_key": None})}
    )
    app = InboxApp(config, Store(tmp_path / "inbox.sqlite3"), clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        app.conversation_list.highlighted = next(
            i for i, r in enumerate(app.conversation_list.rows) if r.platform is Platform.TWITTER
        )
        await settle(
            pilot,
            lambda: (
                app.thread_pane.reply_to is not None
                and app.thread_pane.reply_to.platform is Platform.TWITTER
            ),
        )
        await pilot.press("r")
        await settle(pilot)
        assert (
            app.thread_pane.composer.area.disabled
            and "set x_api_key and x_api_secret" in screen_text(app)
        )


async def test_a_draft_is_written_when_switching_profile(server, tmp_path, clock):
    app = make_app(server, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("r")
        await paste(pilot, "before switching")
        app.switch_to_profile("Brand")  # at once, inside the typing pause
        assert app.store.draft(ADA) == Draft("before switching")


async def test_links_open_only_over_http_after_showing_the_full_url(server, tmp_path, clock, fake):
    from inbox_tui.ui.screens.links import LinkPicker

    fake.primary.platforms["facebook"].conversations["t_1"].messages.append(
        FakeMessage(
            "m_links",
            "received",
            clock.now,
            "see javascript:alert(1) and https://shop.example.com/order?id=7.",
        )
    )
    opened = []
    app = make_app(server, tmp_path, clock)
    app.open_url = lambda url, **kw: opened.append(url)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await settle(pilot, lambda: "see javascript" in screen_text(app))
        await pilot.press("enter", "G", "o")
        await settle(pilot, lambda: isinstance(app.screen, LinkPicker))
        text = screen_text(app)
        assert "javascript:alert(1)  (only http and https links open)" in text
        assert "https://shop.example.com/order?id=7" in text
        await pilot.press("enter")  # the https one is highlighted: the full URL is asked about
        await settle(pilot, lambda: isinstance(app.screen, Confirm))
        assert "https://shop.example.com/order?id=7" in screen_text(app)
        await pilot.press("y")
        await settle(pilot)
        assert opened == ["https://shop.example.com/order?id=7"]


async def test_y_copies_the_message_and_its_links_to_the_clipboard(server, tmp_path, clock, fake):
    fake.primary.platforms["facebook"].conversations["t_1"].messages.append(
        FakeMessage(
            "m_copy",
            "received",
            clock.now,
            "Returns at www.shop.com/returns",
            attachments=[{"type": "image", "url": "https://cdn.example.com/label.png"}],
        )
    )
    app = make_app(server, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await settle(pilot, lambda: "Returns at" in screen_text(app))
        await pilot.press("enter", "G", "y")
        await settle(pilot)
        assert app.clipboard == "Returns at www.shop.com/returns\nhttps://cdn.example.com/label.png"
        assert any("Copied the message and 2 links" in n.message for n in app._notifications)


def test_link_finding_and_schemes():
    from inbox_tui.ui.screens.links import links_in, openable

    found = links_in(
        "a https://x.example/a.jpg, b (http://y.example/b) c ftp://z.example d file:///etc/passwd",
        ["https://cdn/1.png"],
    )
    assert found == [
        "https://cdn/1.png",
        "https://x.example/a.jpg",
        "http://y.example/b",
        "ftp://z.example",
        "file:///etc/passwd",
    ]
    assert [openable(u) for u in found] == [True, True, True, False, False]
    # Without a scheme: opened as https; an e-mail address is listed, never opened.
    found = links_in("Returns: www.shop.com/returns, or shop.com/sale. Mail ada@shop.com", [])
    assert found == ["https://www.shop.com/returns", "https://shop.com/sale", "ada@shop.com"]
    assert [openable(u) for u in found] == [True, True, False]
    assert links_in("version 1.2.3 and file.txt are no links", []) == []


async def test_edits_from_the_app_keep_comments_and_a_failed_write_keeps_everything(
    server, tmp_path, clock, monkeypatch
):
    """16.10: the file is edited in place (comments, order), the old one kept as .bak 0600;
    22 D1: a write that fails says so, the app stays up, and no key reaches the screen."""
    from inbox_tui.config.load import load_config

    monkeypatch.setenv("AYRSHARE_API_KEY", API_KEY)
    path = tmp_path / "config.toml"
    write_config(path, server)
    path.write_text(
        "# My brands, by hand\n"
        + path.read_text().replace('name = "Brand"', 'name = "Brand"  # the EU shop')
    )
    before = path.read_text()
    app = InboxApp(
        load_config(path), Store(tmp_path / "inbox.sqlite3"), clock=clock, config_path=path
    )
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("P", "a", "enter")  # the first kind: an Ayrshare profile
        await settle(pilot)
        await paste(pilot, "Third")
        await pilot.press("tab")
        await paste(pilot, "pk-third-secret")
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: len(app.config.profiles) == 3)
        text = path.read_text()
        assert text.startswith("# My brands, by hand\n") and "# the EU shop" in text
        backup = tmp_path / "config.toml.bak"
        assert backup.read_text() == before and stat.S_IMODE(backup.stat().st_mode) == 0o600
        # The backup's place is taken by a directory: the next write fails (even as root).
        backup.unlink()
        backup.mkdir()
        (backup / "keep").write_text("")
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("P", "a", "enter")
        await settle(pilot)
        await paste(pilot, "Fourth")
        await pilot.press("tab")
        await paste(pilot, "pk-fourth-secret")
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: "Couldn't save the config" in screen_text(app))
        screen = screen_text(app)
        assert app.is_running and "Fourth" in screen  # the form stays, with what was typed
        for secret in (API_KEY, BRAND_KEY, "pk-fourth-secret", "pk-third-secret", X_SECRET):
            assert secret not in screen
    assert [p["name"] for p in tomllib.loads(path.read_text())["profiles"]] == [
        "Primary",
        "Brand",
        "Third",
    ]


async def test_an_x_conversation_with_no_known_recipient_cannot_be_answered(
    server, tmp_path, clock, fake
):
    """16.9: an X row with no participant id, no message from the person and a one-part
    conversation id has no one to send to: the composer says so and nothing is posted."""
    x = fake.primary.platforms["twitter"]
    x.conversations["dm_lone"] = FakeConversation(
        id="dm_lone",
        participant_id="",
        participant_name="Nameless Sender",
        messages=[FakeMessage("xl1", "sent", clock() - timedelta(minutes=3), "Thanks for writing")],
    )
    app = make_app(server, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: len(app.conversation_list.rows) == 5)
        await pilot.press("3")
        await settle(pilot, lambda: len(app.conversation_list.rows) == 2)
        rows = [r.participant_name for r in app.conversation_list.rows]
        app.conversation_list.highlighted = rows.index("Nameless Sender")
        await settle(
            pilot,
            lambda: (
                app.thread_pane.reply_to is not None and app.thread_pane.reply_to.id == "dm_lone"
            ),
        )
        await pilot.press("r")
        await settle(pilot)
        assert "can't be answered from here" in screen_text(app)
        await paste(pilot, "hello?")
        await pilot.press("enter")
        await settle(pilot)
        assert posts(fake) == []
