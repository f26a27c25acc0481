"""A manager's day across brands (issue 20): the waiting queue, the brand on screen, quiet
notifications, one-line status and its issues panel."""

from __future__ import annotations

from textual.color import Color

from inbox_tui.domain import Platform
from inbox_tui.store import Store
from inbox_tui.ui.app import InboxApp
from tests.factories import BRAND_KEY, test_config
from tests.support import make_app, paste, screen_text, settle

SIZE = (120, 36)


async def test_the_waiting_queue_shows_who_waits_longest_first(server, tmp_path, clock):
    app = make_app(server, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: len(app.conversation_list.rows) == 4)
        await pilot.press("W")
        await settle(pilot, lambda: len(app.conversation_list.rows) == 2)
        names = [r.participant_name for r in app.conversation_list.rows]
        assert names == ["Katherine Johnson", "Ada Lovelace"]  # 60 and 10 minutes ago
        text = screen_text(app)
        assert "waiting 1h" in text and "waiting 10m" in text
        assert "Primary · Active · waiting for a reply" in text
        assert "waiting longest" in text and "2/2 · 2 unread" in text  # Ada kept the cursor
        await pilot.press("W")  # back to every conversation, newest first
        await settle(pilot, lambda: len(app.conversation_list.rows) == 4)
        assert "waiting" not in screen_text(app)
        assert app.conversation_list.rows[0].participant_name == "Ada Lovelace"


async def test_the_waiting_sort_keeps_everyone_the_waiting_first(server, tmp_path, clock):
    app = make_app(server, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: len(app.conversation_list.rows) == 4)
        for _ in range(3):  # newest → unread first → window closing → waiting longest
            await pilot.press("s")
        await settle(pilot, lambda: "waiting longest" in screen_text(app))
        names = [r.participant_name for r in app.conversation_list.rows]
        assert names[:2] == ["Katherine Johnson", "Ada Lovelace"] and len(names) == 4


def coloured_config(server, **colours):
    """The test config, each profile given its `color` from `colours`."""
    config = test_config(server)
    profiles = [p.model_copy(update={"color": colours.get(p.name)}) for p in config.profiles]
    return config.model_copy(update={"profiles": profiles})


async def test_the_brand_is_named_where_the_reply_is_written(server, tmp_path, clock, fake):
    app = InboxApp(
        coloured_config(server, Brand="darkorange"), Store(tmp_path / "s.sqlite3"), clock=clock
    )
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: len(app.conversation_list.rows) == 4)
        app.switch_to_profile(None)  # All profiles: Brand's conversation among Primary's
        await settle(pilot, lambda: len(app.conversation_list.rows) == 5)
        index = next(
            i
            for i, r in enumerate(app.conversation_list.rows)
            if r.participant_name == "Margaret Hamilton"
        )
        app.conversation_list.highlighted = index
        await settle(pilot, lambda: app.thread_view.row.participant_name == "Margaret Hamilton")
        await pilot.press("r")
        await settle(pilot)
        text = screen_text(app)
        assert "─ Margaret Hamilton  Facebook · Brand ─" in text  # the thread's title
        assert "To Margaret Hamilton via Facebook as Brand" in text  # the composer
        await paste(pilot, "It is.")
        await pilot.press("enter")
        await settle(pilot, lambda: any(n.title == "Sent" for n in app._notifications))
        (sent,) = [n.message for n in app._notifications if n.title == "Sent"]
        assert sent == "To Margaret Hamilton on Facebook, as Brand."
        posted = [r for r in fake.requests if r.method == "POST"]
        assert posted[-1].headers["profile-key"] == BRAND_KEY  # and it did go out as Brand
        # Brand's name is in its colour: the thread's title, the composer, the filter bar's
        # brand line, and its row (away from the cursor, which has its own colours).
        orange = Color.parse("darkorange").rich_color

        def orange_brand(strips) -> int:
            return sum(
                seg.text.strip() == "Brand" and seg.style is not None and seg.style.color == orange
                for strip in strips
                for seg in strip
            )

        assert orange_brand(app.screen._compositor.render_strips()) >= 3
        await pilot.press("escape", "g")
        await settle(pilot)
        rows = [app.conversation_list.render_line(y) for y in range(10)]
        assert orange_brand(rows) == 1


async def test_each_brands_unread_is_on_the_main_screen(server, tmp_path, clock, fake):
    from inbox_tui.fake.records import FakeMessage

    app = make_app(server, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: "Brand 1" in screen_text(app))
        assert "Primary 2  Brand 1" in screen_text(app).splitlines()[1]  # under the filters
        # A brand in the background: its conversation, read here, gets a new message.
        app.store.mark_read([("Brand", Platform.FACEBOOK, "t_b1")])
        app.list_pane.reload_filters()
        await settle(pilot, lambda: "Primary 2  Brand 0" in screen_text(app).splitlines()[1])
        fake.deliver(
            BRAND_KEY, "facebook", "t_b1", FakeMessage("m_b2", "received", clock.now, "Hello?")
        )
        clock.advance(app.config.sync.background_interval_seconds + 1)
        app.engine.wake()
        await settle(pilot, lambda: "Primary 2  Brand 1" in screen_text(app).splitlines()[1])


async def test_a_colour_textual_does_not_know_is_said_and_the_app_starts(server, tmp_path, clock):
    app = InboxApp(
        coloured_config(server, Brand="blurple"), Store(tmp_path / "s.sqlite3"), clock=clock
    )
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: len(app.conversation_list.rows) == 4)
        (said,) = [n.message for n in app._notifications if "blurple" in n.message]
        assert "profile 'Brand'" in said and "did you mean 'purple'" in said
        assert app.brand_colors == {}


async def test_the_status_bar_keeps_one_line_at_80_columns(server, tmp_path, clock):
    """In All profiles, Brand's Instagram answers 361: the bar marks it and counts it, the
    words are one key away (`!`) and were said once."""
    app = make_app(server, tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: len(app.conversation_list.rows) == 4)
        app.switch_to_profile(None)
        await settle(pilot, lambda: "Brand IG!" in screen_text(app))
        bar = app.query_one("#status")
        assert bar.size.height == 1
        line = screen_text(app).splitlines()[-2]  # above the key bar
        assert line.startswith(" All profiles  Active  Brand IG!  ! 1 issue")
        assert "361" not in screen_text(app)
        for _ in range(3):  # more status updates: the words are not said again
            app.update_status()
        assert len([n for n in app._notifications if "361" in n.message]) == 1


def new_message_toasts(app) -> list:
    return [n for n in app._notifications if "new message" in n.title.lower()]


async def deliver_everywhere(pilot, fake, clock) -> None:
    """Two new messages for Brand (in the background) and one for Primary's Grace."""
    from inbox_tui.fake.records import FakeMessage

    for n in (1, 2):
        fake.deliver(
            BRAND_KEY,
            "facebook",
            "t_b1",
            FakeMessage(f"b{n}", "received", clock.now, "Still there?"),
        )
    fake.deliver(None, "facebook", "t_2", FakeMessage("g1", "received", clock.now, "Hello?"))
    clock.advance(pilot.app.config.sync.background_interval_seconds + 1)
    pilot.app.engine.wake()


async def test_new_messages_come_in_one_toast_per_batch(server, tmp_path, clock, fake):
    app = make_app(server, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: len(app.conversation_list.rows) == 4)
        app.announcer.batch_seconds, app.announcer.typing_seconds = 0.3, 0.0
        await deliver_everywhere(pilot, fake, clock)
        await settle(pilot, lambda: bool(new_message_toasts(app)))
        await pilot.pause(0.5)  # a second toast would be up by now
        (toast,) = new_message_toasts(app)
        assert toast.title == "3 new messages"
        assert toast.message.splitlines()[0] == "Brand 2, Primary 1"
        assert toast.message.splitlines()[1].startswith("last: ")


async def test_no_toast_over_the_composer_it_waits_until_it_closes(server, tmp_path, clock, fake):
    app = make_app(server, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: len(app.conversation_list.rows) == 4)
        app.announcer.batch_seconds, app.announcer.typing_seconds = 0.2, 0.0
        await pilot.press("r")
        await settle(pilot, lambda: app.thread_pane.composer.area.has_focus)
        await deliver_everywhere(pilot, fake, clock)
        await settle(pilot)
        await pilot.pause(0.6)
        assert new_message_toasts(app) == []  # the composer is open: the batch waits
        assert len(app.announcer.waiting) == 3
        await pilot.press("escape")
        await settle(pilot, lambda: bool(new_message_toasts(app)))
        assert new_message_toasts(app)[0].title == "3 new messages"


async def test_opening_the_composer_takes_the_toasts_away(server, tmp_path, clock):
    """Brand's 361 came up as a toast, bottom right, over the composer's first lines: "To
    Ada Lovelace via Facebook" could not be read until it timed out."""
    app = make_app(server, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: any("361" in n.message for n in app._notifications))
        await pilot.press("r")
        await settle(pilot, lambda: app.thread_pane.composer.area.has_focus)
        assert list(app._notifications) == []
        assert "! 1 issue" in screen_text(app)  # the error is still one key away


async def test_a_muted_brand_is_not_told(server, tmp_path, clock, fake):
    from inbox_tui.config.model import NotificationSettings

    config = test_config(server, notifications=NotificationSettings(mute=["Brand"]))
    app = InboxApp(config, Store(tmp_path / "s.sqlite3"), clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: len(app.conversation_list.rows) == 4)
        app.announcer.batch_seconds, app.announcer.typing_seconds = 0.2, 0.0
        await deliver_everywhere(pilot, fake, clock)
        await settle(pilot, lambda: bool(new_message_toasts(app)))
        await pilot.pause(0.4)
        (toast,) = new_message_toasts(app)
        assert toast.title == "New message" and toast.message.startswith("Grace Hopper · Primary")


async def test_a_key_pressed_just_now_holds_the_toast(server, tmp_path, clock, fake):
    app = make_app(server, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: len(app.conversation_list.rows) == 4)
        app.announcer.batch_seconds, app.announcer.typing_seconds = 0.2, 30.0
        await pilot.press("j")
        await deliver_everywhere(pilot, fake, clock)
        await settle(pilot)
        await pilot.pause(0.6)
        assert new_message_toasts(app) == [] and len(app.announcer.waiting) == 3


async def test_response_times_per_brand(server, tmp_path, clock):
    app = make_app(server, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: len(app.conversation_list.rows) == 4)
        await pilot.press("T")
        await settle(pilot, lambda: "answered" in screen_text(app))
        # Primary, the last 7 days: Ada's and Grace's 10 minutes, and X's 125 one-minute replies.
        primary = [
            line for line in screen_text(app).splitlines() if " Primary " in line and "1 m" in line
        ]
        assert primary and "127" in primary[0]
        brand = [line for line in screen_text(app).splitlines() if " Brand  " in line]
        assert brand and brand[0].split().count("-") == 4  # nothing answered yet
        await pilot.press("escape")


async def test_search_by_filter_alone_and_a_snoozed_hit_opens_at_the_hit(server, tmp_path, clock):
    from datetime import timedelta

    app = make_app(server, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: len(app.conversation_list.rows) == 4)
        grace = ("Primary", Platform.FACEBOOK, "t_2")
        app.store.snooze([grace], clock() + timedelta(days=1), clock())
        await pilot.press("slash")
        await paste(pilot, "profile:bra")  # no word: every message of Brand, newest first
        await settle(pilot, lambda: "1 messages, newest first" in screen_text(app))
        assert "Is the jacket waterproof?" in screen_text(app)
        app.screen.query_one("#search-input").value = "profile:zeta"
        await settle(pilot, lambda: "names no profile" in screen_text(app))
        app.screen.query_one("#search-input").value = "hours profile:prim"
        await settle(pilot, lambda: "1 messages, newest first" in screen_text(app))
        await pilot.press("enter")
        await settle(
            pilot, lambda: app.thread_view.row is not None and app.thread_view.row.id == "t_2"
        )
        assert app.list_pane.view.value == "snoozed"
        assert app.thread_view.highlighted_message.id == "m_4"  # at the hit, not the newest
        app.thread_pane.load(app.thread_view.row.key, delay=0)  # read again (a sync result)
        await settle(pilot)
        assert app.thread_view.highlighted_message.id == "m_4"  # the reader stays there


async def test_labels_are_added_in_bulk_shown_on_rows_and_taken_off(server, tmp_path, clock):
    from inbox_tui.ui.screens.label_picker import LabelPicker

    app = make_app(server, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: len(app.conversation_list.rows) == 4)
        await pilot.press("space", "space")  # Ada and Katherine (space moves down)
        await pilot.press("l")
        await settle(pilot, lambda: isinstance(app.screen, LabelPicker))
        assert "Labels of 2 conversations" in screen_text(app)
        assert str(app.screen.query_one("#label-where").content) == "Kept in this app"  # Ayrshare's
        await paste(pilot, "vip")
        await settle(pilot, lambda: "+ new label vip" in screen_text(app))
        await pilot.press("enter")
        await settle(pilot, lambda: "#vip" in screen_text(app))
        assert [r.labels for r in app.conversation_list.rows[:2]] == [("vip",), ("vip",)]
        assert "Labelled 2 conversations: vip." in [n.message for n in app._notifications]
        # On one row that has it: the picker marks it, and enter takes it off.
        await pilot.press("escape", "g", "l")
        await settle(pilot, lambda: isinstance(app.screen, LabelPicker))
        assert "✓ vip" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot, lambda: not app.conversation_list.rows[0].labels)
        assert app.conversation_list.rows[1].labels == ("vip",)


async def test_an_archived_conversation_written_to_again_comes_back_to_active(
    server, tmp_path, clock, fake
):
    """Where the API keeps it archived (undocumented: the fake can do either), the app sees
    the new message through the archive's watch (at the background pace) and unarchives it,
    here and at the API. The filter bar's counts are the view's: Archived's unread there."""
    from inbox_tui.fake.records import FakeMessage

    fake.settings.unarchive_on_inbound = False
    app = make_app(server, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: len(app.conversation_list.rows) == 4)
        assert "All 2 " in screen_text(app)  # Active's unread: Katherine, Alan (Ada is open)
        await pilot.press("v")
        await settle(pilot, lambda: len(app.conversation_list.rows) == 1)
        assert "All 1 " in screen_text(app) and "FB 1" in screen_text(app)  # Old Archived's
        await pilot.press("v")
        await settle(pilot, lambda: len(app.conversation_list.rows) == 4)
        message = FakeMessage("m_back", "received", clock.now, "One more question")
        fake.deliver(None, "facebook", "t_3", message)
        clock.advance(300)  # the background interval: the archive's watch is due
        app.engine.wake()
        await settle(pilot, lambda: len(app.conversation_list.rows) == 5)
        assert "Old Archived" in screen_text(app)
        assert fake.primary.platforms["facebook"].conversations["t_3"].status == "active"
        puts = [r for r in fake.requests if r.method == "PUT"]
        assert [(r.path, r.body) for r in puts] == [
            ("/api/messages/facebook/t_3", {"status": "active"})
        ]


async def test_with_reopen_archived_off_it_stays_archived(server, tmp_path, clock, fake):
    from inbox_tui.config.model import SyncSettings
    from inbox_tui.fake.records import FakeMessage

    fake.settings.unarchive_on_inbound = False
    config = test_config(server)
    config = config.model_copy(update={"sync": SyncSettings(reopen_archived=False)})
    app = InboxApp(config, Store(tmp_path / "s.sqlite3"), clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: len(app.conversation_list.rows) == 4)
        assert not [r for r in fake.requests if r.query.get("status") == "archived"]  # no watch
        await pilot.press("v")  # the archive's messages are read (as the view needs them)
        await settle(pilot, lambda: len(app.conversation_list.rows) == 1)
        fake.deliver(None, "facebook", "t_3", FakeMessage("m_b", "received", clock.now, "Hi?"))
        clock.advance(300)
        app.engine.wake()
        await settle(pilot, lambda: "Hi?" in screen_text(app))
        assert len(app.conversation_list.rows) == 1  # still in Archived
        assert not [r for r in fake.requests if r.method == "PUT"]


async def test_j_and_k_move_in_every_dialogs_list(server, tmp_path, clock):
    """In the snooze presets, the profile switcher's list (after tab from its filter, where j
    is typed), the links, the help and the issues panel, as in the panes."""
    from textual.containers import VerticalScroll
    from textual.widgets import OptionList

    app = make_app(server, tmp_path, clock)
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(pilot, lambda: len(app.conversation_list.rows) == 4)
        for opening, moves in [(("z",), ()), (("p",), ("tab",))]:
            await pilot.press(*opening)
            await pilot.pause()
            await pilot.press(*moves)
            options = app.screen.query_one(OptionList)
            assert options.has_focus and options.highlighted is not None
            start = options.highlighted
            await pilot.press("j")
            assert options.highlighted == start + 1, opening
            await pilot.press("k")
            assert options.highlighted == start, opening
            await pilot.press("G")
            assert options.highlighted == options.option_count - 1, opening
            await pilot.press("escape")
            await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        box = app.screen.query_one(VerticalScroll)
        await pilot.press("j", "j")
        await pilot.pause()
        assert box.scroll_y > 0
        await pilot.press("g")
        await pilot.pause()
        assert box.scroll_y == 0
