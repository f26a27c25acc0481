"""Pilot tests: the app against the fake over loopback, with a frozen clock."""

from __future__ import annotations

import socket
from datetime import timedelta

from inbox_tui.domain import Platform
from inbox_tui.keymap import KEYMAP
from inbox_tui.store import Store, View
from inbox_tui.ui.app import InboxApp
from inbox_tui.ui.screens.help import HelpScreen
from inbox_tui.ui.screens.profile_switcher import ProfileSwitcher
from tests.factories import API_KEY, test_config
from tests.support import make_app, screen_text, settle

SIZE = (120, 36)


async def test_first_screen_shows_the_inbox_and_the_thread(server, tmp_path, clock):
    app = make_app(server, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: len(app.conversation_list.rows) == 4)
        text = screen_text(app)
        for name in ("Ada Lovelace", "Katherine Johnson", "Grace Hopper", "Alan Turing"):
            assert name in text
        assert "Old Archived" not in text  # archived: not in the Active view
        assert "You: 9 to 6 on Saturday." in text  # preview of a sent last message
        assert "[image]" in text  # attachment-only preview
        # Ada's thread opens first (newest activity): sent/received, attachment URL, reaction.
        assert app.thread_view.row.participant_name == "Ada Lovelace"
        assert "→ You (Primary)" in text and "← Ada Lovelace" in text
        assert "📎 image  https://cdn.example.com/photo.jpg" in text
        assert "👍 Ada Lovelace" in text
        assert "1/4 · 2 unread" in text
        assert "updated just now" in text and "rate " in text and "/250 per 5 min" in text


async def test_navigation_open_marks_read_and_escape_goes_back(server, tmp_path, clock):
    app = make_app(server, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: len(app.conversation_list.rows) == 4)
        assert app.conversation_list.has_focus
        await pilot.press("j")
        await settle(pilot)
        second = app.conversation_list.current
        assert app.thread_view.row.key == second.key
        await pilot.press("G")
        await settle(pilot)
        assert app.conversation_list.highlighted == 3
        await pilot.press("g")
        await settle(pilot)
        row = app.conversation_list.current
        assert row.participant_name == "Ada Lovelace" and row.unread
        await pilot.press("enter")
        await settle(pilot, lambda: not app.conversation_list.current.unread)
        assert app.thread_view.has_focus
        assert "1 unread" in screen_text(app)
        await pilot.press("escape")
        assert app.conversation_list.has_focus
        # Read state is in the store, so it survives a restart.
        assert not app.store.conversation(("Primary", Platform.FACEBOOK, "t_1"), clock()).unread


async def test_toggle_read_and_next_unread(server, tmp_path, clock):
    app = make_app(server, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: len(app.conversation_list.rows) == 4)
        first = app.conversation_list.current
        assert first.unread
        await pilot.press("u")
        await settle(pilot, lambda: not app.conversation_list.rows[0].unread)
        await pilot.press("u")
        await settle(pilot, lambda: app.conversation_list.rows[0].unread)
        await pilot.press("n")
        await settle(pilot)
        assert app.conversation_list.current.unread
        assert app.conversation_list.highlighted != 0


async def test_view_toggle_and_platform_filter(server, tmp_path, clock, fake):
    app = make_app(server, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: len(app.conversation_list.rows) == 4)
        await pilot.press("v")
        await settle(pilot, lambda: [r.id for r in app.conversation_list.rows] == ["t_3"])
        text = screen_text(app)
        assert "Primary · Archived" in text and "Old Archived" in text
        assert any(r.query.get("status") == "archived" for r in fake.requests)
        await pilot.press("v", "2")
        await settle(pilot, lambda: len(app.conversation_list.rows) == 1)
        assert app.conversation_list.rows[0].platform is Platform.INSTAGRAM
        assert "Primary · Active · Instagram" in screen_text(app)
        await pilot.press("0")
        await settle(pilot, lambda: len(app.conversation_list.rows) == 4)


async def test_a_pane_key_works_wherever_the_focus_is_and_by_its_binding_id(
    server, tmp_path, clock
):
    """The list's keys are routed by the app: `v` from the thread pane switches the view.
    Every key has a binding id, and a key remapped by its id (Textual's keymap) works."""
    ids = [spec.id for spec in KEYMAP]
    assert len(ids) == len(set(ids)) and "filter_platform.instagram" in ids
    app = make_app(server, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: len(app.conversation_list.rows) == 4)
        await pilot.press("enter")  # the thread pane has the focus
        await settle(pilot, lambda: app.thread_view.has_focus)
        await pilot.press("v")
        await settle(pilot, lambda: [r.id for r in app.conversation_list.rows] == ["t_3"])
        assert "Primary · Archived" in screen_text(app)
        app.set_keymap({"toggle_view": "w"})
        await pilot.press("w")
        await settle(pilot, lambda: len(app.conversation_list.rows) == 4)
        assert "Primary · Active" in screen_text(app)


async def test_profile_switcher_filters_as_you_type(server, tmp_path, clock, fake):
    app = make_app(server, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: len(app.conversation_list.rows) == 4)
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, ProfileSwitcher)
        assert "Brand  1 unread" in screen_text(app)  # the background refresh already ran
        await pilot.press("b", "r")
        await pilot.pause()
        options = app.screen.query_one("#profile-options")
        assert [options.get_option_at_index(i).id for i in range(options.option_count)] == ["Brand"]
        await pilot.press("enter")
        await settle(pilot, lambda: app.profile == "Brand" and len(app.conversation_list.rows) == 1)
        text = screen_text(app)
        assert "Margaret Hamilton" in text and "Brand · Active" in text
        brand_calls = [r for r in fake.requests if r.headers.get("profile-key")]
        assert brand_calls and all(
            r.headers["profile-key"] == "pk-test-brand-key-ABCDEF" for r in brand_calls
        )


async def test_messaging_not_enabled_is_explained_in_the_status_bar(server, tmp_path, clock):
    app = make_app(server, tmp_path, clock)
    async with app.run_test(size=(160, 36)) as pilot:
        await settle(pilot, lambda: len(app.conversation_list.rows) == 4)
        app.switch_to_profile("Brand")
        await settle(pilot, lambda: "IG!" in screen_text(app))
        text = screen_text(app)
        assert "IG!" in text and "FB✓" in text and "! 1 issue" in text
        assert "Margaret Hamilton" in text  # the working platform still shows
        # The bar keeps one line; the words were said once, and are one key away.
        said = [n for n in app._notifications if "(Ayrshare error 361)" in n.message]
        assert len(said) == 1 and said[0].title == "Brand · Instagram"
        await pilot.press("exclamation_mark")
        await settle(pilot, lambda: "Issues (1)" in screen_text(app))
        text = screen_text(app)
        assert "Brand · Instagram" in text
        assert "Messaging is not enabled for this profile (Ayrshare error 361)" in text
        await pilot.press("escape")


async def test_network_fault_keeps_the_cached_inbox(server, tmp_path, clock):
    # First run fills the store; the second cannot reach the server at all.
    app = make_app(server, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: len(app.conversation_list.rows) == 4)
    app.store.close()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{sock.getsockname()[1]}/api"
    clock.advance(3600)
    offline = InboxApp(test_config(dead), Store(tmp_path / "inbox.sqlite3"), clock=clock)
    async with offline.run_test(size=(160, 36)) as pilot:
        await settle(pilot, lambda: "FB!" in screen_text(offline))
        text = screen_text(offline)
        assert "Ada Lovelace" in text and "Alan Turing" in text
        assert any("Could not reach Ayrshare" in n.message for n in offline._notifications)
        assert len(offline.conversation_list.rows) == 4


async def test_the_filter_counts_show_when_nothing_is_fetched(server, tmp_path, clock):
    """They came only with a sync's results: a start with nothing due (or --no-sync) showed a
    filter bar without its counts until the next fetch brought something new."""
    app = make_app(server, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: "All 2" in screen_text(app))
    app.store.close()
    again = make_app(server, tmp_path, clock, sync=False)
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: len(again.conversation_list.rows) == 4)
        assert "All 2" in screen_text(again) and "FB 1" in screen_text(again)


async def test_help_and_palette_list_every_action(server, tmp_path, clock):
    app = make_app(server, tmp_path, clock)
    async with app.run_test(size=(120, 70)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        for words in (
            "Toggle Active / Archived",
            "Switch profile",
            "Next unread",
            "Snooze (in Snoozed: unsnooze)",
            "Open a link or attachment (http/https only)",
            "Undo the last triage action",
            "Refresh now (when the API's cache allows)",
            "Command palette",
        ):
            assert words in text
        await pilot.press("escape")
        await pilot.pause()
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for expected in (
            "Toggle Active / Archived",
            "Switch profile (or All profiles)",
            "Archive / unarchive",
            "Open a link or attachment (http/https only)",
            "Undo the last triage action",
            "Search every message",
            "Help",
        ):
            assert expected in titles
        # Every key in the keymap has its palette entry.
        for spec in KEYMAP:
            assert spec.description + ("" if spec.ready else " (coming)") in titles


async def test_refresh_now_never_asks_before_next_update(server, tmp_path, clock, fake):
    app = make_app(server, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: len(app.conversation_list.rows) == 4)
        sent = len(fake.requests)
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert len(fake.requests) == sent
        messages = [n.message for n in app._notifications]
        assert any(m.startswith("Refreshing in 15 s") for m in messages)


async def test_hostile_text_shows_literally_and_does_nothing(server, tmp_path, clock, fake):
    conversation = fake.primary.platforms["facebook"].conversations["t_2"]
    conversation.participant_name = "[@click=app.quit]Mallory[/] [ERROR]"
    conversation.messages[
        -1
    ].text = "[link='https://evil']free[/link] \x1b]52;c;cHduZWQ=\x07 [$accent]x [/foo]"
    app = make_app(server, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: len(app.conversation_list.rows) == 4)
        assert "FB [@click=app.quit]Mallory[/] [ERROR]  4h" in screen_text(app)
        await pilot.press("G", "enter")
        await settle(pilot)
        text = screen_text(app)
        assert "─ [@click=app.quit]Mallory[/] [ERROR]  Facebook · Primary ─" in text  # its title
        assert "[link='https://evil']free[/link]  [$accent]x [/foo]" in text
        assert "52;c" not in text
        await pilot.click("#list", offset=(8, 3))
        await settle(pilot)
        assert app.is_running
        strips = app.screen._compositor.render_strips()
        assert not any(
            getattr(seg.style, "meta", None) and "@click" in seg.style.meta
            for s in strips
            for seg in s
        )


async def test_the_archived_list_is_asked_for_only_when_viewed(server, tmp_path, clock, fake):
    """Only the archive's messages are watched (at the background pace: a customer writing
    to an archived thread brings it back); its list waits for the Archived view."""
    app = make_app(server, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: len(app.conversation_list.rows) == 4)
        archived = [r for r in fake.requests if r.query.get("status") == "archived"]
        assert archived and not [r for r in archived if "conversationsOnly" in r.query]
        assert app.list_pane.view is View.ACTIVE


async def test_new_inbound_message_appears_after_the_window(server, tmp_path, clock, fake):
    from inbox_tui.fake.records import FakeMessage

    app = make_app(server, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: len(app.conversation_list.rows) == 4)
        fake.deliver(
            None,
            "facebook",
            "t_2",
            FakeMessage("m_new", "received", clock.now, "Are you open on Sunday?"),
        )
        clock.advance(30)
        app.engine.wake()
        await settle(pilot)
        assert "Are you open on Sunday?" not in screen_text(app)  # Ayrshare still serves its cache
        clock.advance(30)
        app.engine.wake()
        await settle(pilot, lambda: app.conversation_list.rows[0].id == "t_2")
        top = app.conversation_list.rows[0]
        assert top.unread and top.preview == "Are you open on Sunday?"
        assert "Are you open on Sunday?" in screen_text(app)


def option_ids(view) -> set:
    return {view.get_option_at_index(i).id for i in range(view.option_count)}


async def test_a_thread_refresh_keeps_the_readers_place(server, tmp_path, clock, fake):
    from inbox_tui.fake.records import FakeMessage

    app = make_app(server, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: len(app.conversation_list.rows) == 4)
        await pilot.press("2", "3")  # X only: Alan Turing's 250-message thread
        await settle(
            pilot, lambda: app.thread_view.row is not None and app.thread_view.row.id == "9000-7001"
        )
        await pilot.press("enter")
        await settle(pilot)
        for _ in range(10):
            await pilot.press("k")
        view = app.thread_view
        reading = view.get_option_at_index(view.highlighted).id
        fake.deliver(
            None, "twitter", "9000-7001", FakeMessage("x_new", "received", clock.now, "one more")
        )
        clock.advance(15)
        app.engine.wake()
        await settle(pilot, lambda: "x_new" in option_ids(view))
        assert view.get_option_at_index(view.highlighted).id == reading
        await pilot.press("G")
        assert "one more" in screen_text(app)


async def test_a_long_thread_opens_on_its_newest_window_and_reads_back_on_demand(
    server, tmp_path, clock
):
    app = make_app(server, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: len(app.conversation_list.rows) == 4)
        await pilot.press("2", "3")  # X only: Alan Turing's 250-message thread
        view = app.thread_view
        await settle(pilot, lambda: view.row is not None and view.row.id == "9000-7001")
        assert len(view.messages) == 100  # the newest 100 and the line standing for the rest
        assert "⋯ 150 earlier messages" in view.get_option_at_index(0).prompt.plain
        assert "250 messages" in str(view.border_subtitle)
        await pilot.press("enter")
        first_of_window = next(iter(view.messages))
        await pilot.press("g")  # to the top: the next window is read
        await settle(pilot, lambda: len(view.messages) == 200)
        assert view.get_option_at_index(view.highlighted).id == first_of_window
        await pilot.press("g")
        await settle(pilot, lambda: len(view.messages) == 250)  # all read: no marker left
        assert "older" not in option_ids(view)


def _quick_config(tmp_path, base_url: str, api_key: str):
    from inbox_tui.config.paths import quick_read

    path = tmp_path / "config.toml"
    path.write_text(
        f'[ayrshare]\napi_key = "{api_key}"\nbase_url = "{base_url}"\n\n'
        '[[profiles]]\nname = "Primary"\nplatforms = ["facebook", "instagram"]\n'
    )
    return quick_read(path, environ={})


async def test_a_quickly_read_config_draws_first_then_validates_and_syncs(
    server, tmp_path, clock, fake
):
    from inbox_tui.config.model import Config

    quick = _quick_config(tmp_path, server, API_KEY)
    app = InboxApp(quick, Store(tmp_path / "inbox.sqlite3"), clock=clock)
    assert app.settings.whole is None  # nothing validated (no pydantic) before the first frame
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: len(app.conversation_list.rows) == 3)  # FB 2 + IG 1
        assert isinstance(app.settings.whole, Config) and app.config.profiles[0].name == "Primary"
        assert fake.requests  # sync started once the config was whole


async def test_a_quickly_read_config_that_no_longer_validates_stops_the_app_with_the_reason(
    tmp_path, clock
):
    from inbox_tui.config.paths import VALIDATED_SETTING

    quick = _quick_config(tmp_path, "http://127.0.0.1:9/api", "")  # the key was in the env
    store = Store(tmp_path / "inbox.sqlite3")
    store.set_setting(VALIDATED_SETTING, quick.fingerprint)
    app = InboxApp(quick, store, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(500):  # it exits by itself: wait for that, boundedly
            if app.config_error:
                break
            await pilot.pause(0.02)
    assert "ayrshare.api_key is not set" in app.config_error
    assert app.return_code == 2
    assert store.setting(VALIDATED_SETTING) == ""  # the next start validates before drawing


async def test_reactions_are_labelled_by_who_reacted(server, tmp_path, clock, fake):
    """16.4: the brand's own account is "you", the participant by name, anyone else
    "someone" (before, anyone but the participant was "you")."""
    ada = fake.primary.platforms["facebook"].conversations["t_1"]
    ada.messages[0].reactions = {"100200300": "❤️", "5999": "😮"}  # the Page; a stranger
    app = make_app(server, tmp_path, clock)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot, lambda: app.thread_view.row is not None)
        text = screen_text(app)
        assert "❤️ you" in text and "😮 someone" in text
        assert "👍 Ada Lovelace" in text  # her reaction to the Page's reply


async def test_a_screenshot_from_the_app_is_private(server, tmp_path, clock):
    """The palette's screenshot shows the inbox: readable by its owner only (Textual writes
    it with the umask's 0644)."""
    app = make_app(server, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: len(app.conversation_list.rows) == 4)
        app.deliver_screenshot("shot.svg", str(tmp_path))
        shot = tmp_path / "shot.svg"
        await settle(pilot, lambda: shot.exists() and shot.stat().st_mode & 0o777 == 0o600)
    assert "Lovelace" in shot.read_text()  # the inbox, drawn (spaces are &#160; in SVG)


async def test_a_failed_worker_is_said_and_logged_and_the_app_goes_on(
    server, tmp_path, clock, caplog
):
    """Issue 17: workers ran with exit_on_error=False and nothing read their failures."""
    app = make_app(server, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: len(app.conversation_list.rows) == 4)

        def broken(now):
            raise RuntimeError("pk-secret-from-an-error")

        app.store.unread_counts = broken
        app.list_pane.reload_filters()
        await settle(pilot, lambda: "! 2 issues" in screen_text(app))  # Brand's IG: 361
        (said,) = [n for n in app._notifications if n.title == "Something went wrong"]
        assert "filters: RuntimeError" in said.message and "--log" in said.message
        await pilot.press("exclamation_mark")
        await settle(pilot, lambda: "Issues (2)" in screen_text(app))
        text = screen_text(app)
        assert "filters: RuntimeError" in text and "The last action" in text
        assert "pk-secret-from-an-error" not in text + said.message  # its words: in the log
        await pilot.press("escape")
        assert any(
            r.exc_info and "pk-secret-from-an-error" in str(r.exc_info[1]) for r in caplog.records
        )
        await pilot.press("j")  # and the app still answers
        await settle(pilot, lambda: app.conversation_list.highlighted == 1)


async def test_a_sync_result_or_a_tick_after_the_app_stopped_is_dropped(server, tmp_path, clock):
    """The engine's last messages and a tick can land while the panes are being taken
    down (seen under load): they must not end the app on an error at exit."""
    from inbox_tui.sync_streams import SyncEvent
    from inbox_tui.ui.app import SyncChanged

    app = make_app(server, tmp_path, clock)
    late = SyncEvent("Primary", Platform.FACEBOOK, "messages", changed=frozenset({"t_1"}))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: len(app.conversation_list.rows) == 4)
        await app.thread_view.remove()  # the thread pane's widgets are going, as at exit
        app._running = False  # what Textual's shutdown sets first
        app._sync_changed(SyncChanged(late))
        app.tick()
        app._running = True  # run_test ends the app itself


async def test_an_idle_app_sleeps_until_something_on_screen_changes(server, tmp_path, clock):
    """No timer wakes it each second (18: idle wake-ups): with nothing counting on screen the
    next tick is the idle garbage collection's, half a minute out; a snooze sets its own."""
    synced = make_app(server, tmp_path, clock)
    async with synced.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: len(synced.conversation_list.rows) == 4)
    synced.store.close()
    app = make_app(server, tmp_path, clock, sync=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: len(app.conversation_list.rows) == 4)
        assert "Sync is off" in screen_text(app)
        assert app.ticker.next_in() > 20
        await app.triage.snooze([app.conversation_list.current.ref], clock() + timedelta(seconds=5))
        app.list_pane.refresh_lists()
        await settle(pilot, lambda: len(app.conversation_list.rows) == 3)
        assert app.ticker.next_in() <= 5
