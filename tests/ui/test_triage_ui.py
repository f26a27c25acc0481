"""Pilot tests of triage: each action as the user sees it, and its undo."""

from __future__ import annotations

from datetime import timedelta

from inbox_tui.domain import Platform
from inbox_tui.fake.records import FakeMessage
from inbox_tui.store import View
from inbox_tui.ui.screens.profile_switcher import ProfileSwitcher
from inbox_tui.ui.screens.search import SearchScreen
from inbox_tui.ui.screens.snooze_picker import SnoozePicker
from tests.support import explained, make_app, paste, screen_text, settle

SIZE = (120, 36)


def names(app):
    return [r.participant_name for r in app.conversation_list.rows]


async def started(pilot):
    await settle(pilot, lambda: len(pilot.app.conversation_list.rows) == 4)


async def test_archive_moves_the_row_at_once_and_undo_brings_it_back(server, tmp_path, clock, fake):
    app = make_app(server, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        assert names(app)[0] == "Ada Lovelace"
        await pilot.press("e")
        await settle(pilot, lambda: "Ada Lovelace" not in names(app))
        assert (
            app.conversation_list.current.participant_name == "Katherine Johnson"
        )  # cursor stays near
        put = [r for r in fake.requests if r.method == "PUT"][-1]
        assert (put.path, put.body) == ("/api/messages/facebook/t_1", {"status": "archived"})
        await settle(pilot, lambda: any("ctrl+z" in n.message for n in app._notifications))
        assert "Archived 1 conversation · ctrl+z undoes." in [n.message for n in app._notifications]
        await pilot.press("v")
        await settle(pilot, lambda: "Ada Lovelace" in names(app))  # in the Archived view now
        await pilot.press("v", "ctrl+z")
        await settle(pilot, lambda: "Ada Lovelace" in names(app))
        assert [r.body for r in fake.requests if r.method == "PUT"][-1] == {"status": "active"}
        assert any("Undone: Archived 1 conversation" in n.message for n in app._notifications)


async def test_a_failed_archive_brings_the_row_back_and_says_why(server, tmp_path, clock, fake):
    app = make_app(server, tmp_path, clock)
    async with app.run_test(size=(160, 36)) as pilot:
        await started(pilot)
        del fake.primary.platforms["facebook"].conversations["t_1"]  # the PUT will get a 404
        await pilot.press("e")
        await settle(pilot, lambda: "Could not archive Ada Lovelace" in explained(app))
        assert "Ada Lovelace" in names(app)
        assert "Conversation not found" in explained(app)


async def test_unarchive_from_the_archived_view(server, tmp_path, clock, fake):
    app = make_app(server, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("v")
        await settle(pilot, lambda: names(app) == ["Old Archived"])
        await pilot.press("e")
        await settle(pilot, lambda: names(app) == [])
        assert [r.body for r in fake.requests if r.method == "PUT"][-1] == {"status": "active"}
        await pilot.press("v")
        await settle(pilot, lambda: "Old Archived" in names(app))


async def test_read_toggle_unread_filter_and_sort(server, tmp_path, clock):
    app = make_app(server, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("U")
        await settle(pilot, lambda: names(app) == ["Ada Lovelace", "Katherine Johnson"])
        assert "unread only" in screen_text(app)
        await pilot.press("u")  # Ada read: she leaves the unread-only list
        await settle(pilot, lambda: names(app) == ["Katherine Johnson"])
        await pilot.press("ctrl+z")
        await settle(pilot, lambda: names(app) == ["Ada Lovelace", "Katherine Johnson"])
        await pilot.press("U", "s")  # all rows, unread first
        await settle(pilot, lambda: len(names(app)) == 4)
        assert [r.unread for r in app.conversation_list.rows] == [True, True, False, False]
        assert "All 2 FB 1 IG 1 X 0" in screen_text(app)  # the filter bar's unread counts


async def test_snooze_leaves_returns_when_due_and_when_they_write(server, tmp_path, clock, fake):
    app = make_app(server, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("z")
        await pilot.pause()
        assert isinstance(app.screen, SnoozePicker)
        assert "In 1 hour" in screen_text(app) and "Tomorrow morning" in screen_text(app)
        await pilot.press("enter")  # the first preset: in 1 hour
        await settle(pilot, lambda: "Ada Lovelace" not in names(app))
        await pilot.press("j", "z")  # Grace, with a typed time
        await pilot.pause()
        await pilot.press("tab", *"3h", "enter")
        await settle(pilot, lambda: len(names(app)) == 2)
        await pilot.press("Z")
        await settle(pilot, lambda: len(names(app)) == 2)
        text = screen_text(app)
        assert "Primary · Snoozed" in text and "⏰ 13:00" in text and "⏰ 15:00" in text
        await pilot.press("Z")
        # Grace writes again: back at once (after the API's window).
        fake.deliver(
            None, "facebook", "t_2", FakeMessage("m_new", "received", clock.now, "Any news?")
        )
        clock.advance(60)
        app.engine.wake()
        await settle(pilot, lambda: "Grace Hopper" in names(app))
        # Ada when her hour is up (the test's clock jumps; the app's timer runs in real time).
        clock.advance(3600)
        app.tick()
        app.engine.wake()  # the hour made every stream due; the engine sleeps in real time
        await settle(pilot, lambda: "Ada Lovelace" in names(app))


async def test_unsnooze_and_undo_snooze(server, tmp_path, clock):
    app = make_app(server, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await app.triage.snooze([app.conversation_list.current.ref], clock() + timedelta(days=1))
        app.list_pane.refresh_lists()
        await settle(pilot, lambda: len(names(app)) == 3)
        await pilot.press("ctrl+z")
        await settle(pilot, lambda: len(names(app)) == 4)
        await pilot.press("z", "enter")
        await settle(pilot, lambda: len(names(app)) == 3)
        await pilot.press("Z")
        await settle(pilot, lambda: names(app) == ["Ada Lovelace"])
        await pilot.press("z")  # in Snoozed, z unsnoozes
        await settle(pilot, lambda: names(app) == [])
        assert "Nothing snoozed" in screen_text(app)


async def test_bulk_select_and_archive(server, tmp_path, clock, fake):
    app = make_app(server, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("space", "space")  # Ada and Katherine
        await settle(pilot)
        assert "2 selected" in screen_text(app)
        assert sum(line.startswith("│✓") for line in screen_text(app).splitlines()) == 2
        await pilot.press("e")
        await settle(pilot, lambda: names(app) == ["Alan Turing", "Grace Hopper"])
        puts = sorted(r.path for r in fake.requests if r.method == "PUT")
        assert puts == ["/api/messages/facebook/t_1", "/api/messages/instagram/aWdf_1"]
        await pilot.press("ctrl+z")
        await settle(pilot, lambda: len(names(app)) == 4)


async def test_range_select_mark_read_and_escape_clears(server, tmp_path, clock):
    app = make_app(server, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("space", "j", "j", "V")  # rows 0..3
        await pilot.pause()
        assert "· 4 selected" in screen_text(app)  # the count at once, on the next frame
        assert len(app.conversation_list.selected) == 4
        await pilot.press("escape")
        assert not app.conversation_list.selected
        await pilot.press("g", "space", "j", "V", "u")  # rows 0..2 (wait: anchor 0, cursor at 2)
        await settle(pilot, lambda: not any(r.unread for r in app.conversation_list.rows))


async def test_next_unread_goes_on_to_the_next_profile(server, tmp_path, clock):
    app = make_app(server, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await app.triage.mark_read([r.ref for r in app.conversation_list.rows])
        app.list_pane.refresh_lists()
        await settle(pilot, lambda: not any(r.unread for r in app.conversation_list.rows))
        await settle(pilot, lambda: app.engine.busy is False)
        await pilot.press("n")
        await settle(pilot, lambda: app.profile == "Brand" and len(names(app)) == 1)
        assert app.conversation_list.current.participant_name == "Margaret Hamilton"
        assert any("Next unread is in Brand" in n.message for n in app._notifications)


async def test_all_profiles_merges_and_acts_on_the_right_profile(server, tmp_path, clock, fake):
    app = make_app(server, tmp_path, clock)
    async with app.run_test(size=(140, 36)) as pilot:
        await started(pilot)
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, ProfileSwitcher)
        assert "All profiles  3 unread" in screen_text(app)
        await pilot.press(*"all", "enter")
        await settle(pilot, lambda: len(names(app)) == 5)
        text = screen_text(app)
        assert "All profiles · Active" in text and "Brand · Margaret Hamilton" in text
        index = names(app).index("Margaret Hamilton")
        app.conversation_list.highlighted = index
        await pilot.press("e")
        await settle(pilot, lambda: "Margaret Hamilton" not in names(app))
        put = [r for r in fake.requests if r.method == "PUT"][-1]
        assert (
            put.path == "/api/messages/facebook/t_b1"
            and put.headers["profile-key"] == "pk-test-brand-key-ABCDEF"
        )


async def test_search_opens_the_conversation_at_the_message(server, tmp_path, clock):
    app = make_app(server, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("slash")
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)
        await pilot.press(*"mug")
        await settle(pilot, lambda: "1 messages" in screen_text(app))
        assert "Katherine Johnson" in screen_text(app) and "Love the mug" in screen_text(app)
        await pilot.press("enter")
        await settle(
            pilot, lambda: app.thread_view.row is not None and app.thread_view.row.id == "aWdf_1"
        )
        assert app.thread_view.has_focus
        assert app.thread_view.get_option_at_index(app.thread_view.highlighted).id == "aWdf_m1"


async def test_a_move_past_the_window_right_after_a_change_still_counts_the_change(tmp_path, clock):
    """A move past the window reuses the list's counts; one that cancels a change's reload
    (still in its debounce) must read them, or the counter keeps the old ones."""
    from inbox_tui.domain import ConversationStatus

    app = long_list_app(tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        widget, pane = app.conversation_list, app.list_pane
        await pilot.press("v")
        await settle(pilot, lambda: widget.total == 450 and "1/450" in screen_text(app))
        first = widget.rows[0]
        app.store.set_status_override([first.ref], ConversationStatus.ACTIVE, clock())
        pane.reload()  # as a sync result does: after its debounce
        widget.highlighted = 400  # and at once past the window, which cancels it
        await settle(pilot, lambda: widget.current is not None and widget.highlighted == 400)
        assert widget.total == 449 and "401/449" in screen_text(app)


async def test_search_results_stream_page_by_page_as_the_cursor_goes(tmp_path, clock):
    """450 matches: the first page (200) at once, the next when the cursor nears its end, the
    rest after that; each hit once, newest first, and the count says when there is more."""
    from inbox_tui.domain import Direction, Message
    from inbox_tui.search import DEFAULT_LIMIT
    from inbox_tui.store import Store
    from inbox_tui.ui.app import InboxApp
    from tests.factories import test_config

    store = Store(tmp_path / "inbox.sqlite3")
    fb = Platform.FACEBOOK
    store.upsert_messages(
        "Primary",
        fb,
        [
            Message(
                fb,
                f"m{n:03}",
                f"c{n % 9}",
                Direction.RECEIVED,
                clock() - timedelta(minutes=n),
                "p",
                "N",
                f"refund {n:03}",
            )
            for n in range(450)
        ],
    )
    app = InboxApp(test_config("http://127.0.0.1:9"), store, clock=clock, sync=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: app.conversation_list.total == 9)
        await pilot.press("slash")
        await paste(pilot, "refund")
        await settle(pilot, lambda: f"{DEFAULT_LIMIT}+ messages" in screen_text(app))
        screen = app.screen
        await pilot.press("tab", "end")  # to the results, and their last row
        await settle(pilot, lambda: "400+ messages" in screen_text(app))
        await pilot.press("end")
        await settle(pilot, lambda: "450 messages, newest first" in screen_text(app))
        texts = [h.snippet.replace("\x02", "").replace("\x03", "") for h in screen.hits]
        assert texts == [f"refund {n:03}" for n in range(450)]


async def test_search_finds_archived_and_opens_the_archived_view(server, tmp_path, clock):
    app = make_app(server, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("v")
        await settle(pilot, lambda: names(app) == ["Old Archived"])
        await pilot.press("v", "slash")
        await paste(pilot, "sorted")
        await settle(pilot, lambda: "1 messages" in screen_text(app))
        await pilot.press("enter")
        await settle(
            pilot, lambda: app.list_pane.view is View.ARCHIVED and app.thread_view.row is not None
        )
        assert app.thread_view.row.participant_name == "Old Archived"


async def test_new_message_toast_names_sender_and_profile_but_not_for_the_open_thread(
    server, tmp_path, clock, fake
):
    app = make_app(server, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        app.announcer.batch_seconds, app.announcer.typing_seconds = 0.2, 0.0
        assert app.thread_view.row.participant_name == "Ada Lovelace"
        fake.deliver(None, "facebook", "t_1", FakeMessage("m_a", "received", clock.now, "me again"))
        fake.deliver(None, "facebook", "t_2", FakeMessage("m_g", "received", clock.now, "hello?"))
        clock.advance(60)
        app.engine.wake()
        await settle(pilot, lambda: any("Grace Hopper" in n.message for n in app._notifications))
        messages = [n.message for n in app._notifications]
        assert "Grace Hopper · Primary · Facebook" in messages
        assert not any("Ada Lovelace" in m for m in messages)  # she is on screen
        assert app.store.conversation(("Primary", Platform.FACEBOOK, "t_2"), clock()).unread


def spy_on_list_reads(app) -> list:
    """Each list read the app makes: how many rows it asked for (None: the whole list)."""
    reads, read = [], app.store.conversations

    def conversations(*args, limit=None, refs=None, **kwargs):
        reads.append(len(refs) if refs is not None else limit)
        return read(*args, limit=limit, refs=refs, **kwargs)

    app.store.conversations = conversations
    return reads


async def test_a_stream_of_sync_results_cannot_keep_the_list_stale(server, tmp_path, clock):
    """Many brands finishing their sync one after another, each within the list's debounce
    of the last: what the first brought shows while the rest are still coming (the burst is
    coalesced into a few reads, not put off until it ends)."""
    app = make_app(server, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        pane = app.list_pane
        assert pane.conversation_list.rows[0].unread
        reads, read_window = [], pane._read_window
        pane._read_window = lambda *args: reads.append(args) or read_window(*args)
        app.store.mark_read([pane.conversation_list.rows[0].ref])  # what the first brought
        shown_during_the_burst = False
        for _ in range(30):  # a result every 40 ms for 1.2 s: each would restart a debounce
            pane.reload()
            await pilot.pause(0.04)
            shown_during_the_burst |= not pane.conversation_list.rows[0].unread
        assert shown_during_the_burst
        assert 2 <= len(reads) <= 15  # coalesced: not a read per result
        await settle(pilot)
        assert not pane.conversation_list.rows[0].unread


async def test_changes_read_one_window_and_an_unchanged_poll_reads_nothing(
    server, tmp_path, clock, fake
):
    """At agency scale the whole list is a million rows: opening, triage and a new message
    read the window around the cursor (a few hundred rows at most), an unchanged poll nothing."""
    from inbox_tui.fake.records import FakeMessage
    from inbox_tui.ui.list_window import WINDOW

    app = make_app(server, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await settle(pilot)
        reads = spy_on_list_reads(app)
        ada = app.conversation_list.rows[0]
        assert ada.participant_name == "Ada Lovelace" and ada.unread
        await pilot.press("enter")  # opened: read
        await settle(pilot, lambda: not app.conversation_list.rows[0].unread)
        await pilot.press("escape", "e")  # archived: it leaves the list at once
        await settle(pilot, lambda: "Ada Lovelace" not in names(app))
        assert reads and None not in reads and max(reads) <= WINDOW
        clock.advance(61)  # every window has passed: the API lists the archive now
        app.engine.wake()
        await settle(pilot)
        reads.clear()
        requests_before = len(fake.requests)
        clock.advance(61)  # a whole poll again, with nothing new in it
        app.engine.wake()
        await settle(pilot)
        assert reads == [] and len(fake.requests) > requests_before
        fake.deliver(
            None, "facebook", "t_2", FakeMessage("m_new", "received", clock.now, "Still there?")
        )
        clock.advance(61)
        app.engine.wake()
        await settle(pilot, lambda: app.conversation_list.rows[0].preview == "Still there?")
        assert reads and None not in reads and max(reads) <= WINDOW
        assert names(app) == ["Grace Hopper", "Katherine Johnson", "Alan Turing"]


def long_list_app(tmp_path, clock):
    """Sync off, on a store of 30 active and 450 archived conversations (more than a window)."""
    from inbox_tui.domain import Conversation, ConversationStatus, Direction, Message
    from inbox_tui.store import Store
    from inbox_tui.ui.app import InboxApp
    from tests.factories import test_config

    store = Store(tmp_path / "inbox.sqlite3")
    fb = Platform.FACEBOOK
    for status, count in ((ConversationStatus.ACTIVE, 30), (ConversationStatus.ARCHIVED, 450)):
        ids = [f"{status.value}{n:03}" for n in range(count)]
        store.upsert_conversations(
            "Primary", fb, status, [Conversation(fb, i, status, "p", f"Name {i}") for i in ids]
        )
        store.upsert_messages(
            "Primary",
            fb,
            [
                Message(
                    fb, f"m{i}", i, Direction.RECEIVED, clock() - timedelta(minutes=n), "p", "N"
                )
                for n, i in enumerate(ids)
            ],
            status,
        )
    return InboxApp(test_config("http://127.0.0.1:9"), store, clock=clock, sync=False)


async def test_a_long_list_is_held_as_a_window_that_follows_the_cursor(tmp_path, clock):
    """450 archived conversations: the list holds a window of them, says 1/450, goes to the
    last with G and back with g, steps past the window's edge with j, and `g V G V` selects
    all 450 (the triage keys act on every one of them, not only those held)."""
    from inbox_tui.ui.list_window import WINDOW

    app = long_list_app(tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        widget = app.conversation_list
        await settle(pilot, lambda: widget.total == 30 and len(widget.rows) == 30)
        await pilot.press("v")
        await settle(pilot, lambda: widget.total == 450)
        assert len(widget.rows) <= WINDOW and names(app)[0] == "Name archived000"
        assert "1/450" in screen_text(app)
        await pilot.press("G")
        await settle(pilot, lambda: widget.current is not None)
        assert widget.current.participant_name == "Name archived449"
        assert "450/450" in screen_text(app) and "Name archived449" in screen_text(app)
        assert len(widget.rows) <= WINDOW and widget.window_start >= 450 - WINDOW
        await pilot.press("g")
        await settle(pilot, lambda: widget.current is not None and widget.highlighted == 0)
        assert widget.current.participant_name == "Name archived000"
        edge = len(widget.rows)  # the first position past the window
        widget.highlighted = edge - 1
        await pilot.press("j")
        await settle(pilot, lambda: widget.current is not None)
        assert widget.highlighted == edge
        assert widget.current.participant_name == f"Name archived{edge:03}"
        assert f"Name archived{edge:03}" in screen_text(app)
        await pilot.press("g", "V", "G", "V")  # at once: each key waits for the rows it meant
        await settle(pilot, lambda: "450 selected" in screen_text(app))
        assert len(widget.rows) <= WINDOW
        rows = app.list_pane.targets()
        assert len(rows) == 450 and len({r.key for r in rows}) == 450


async def test_a_search_hit_opened_in_another_sort_keeps_the_list_following_changes(
    server, tmp_path, clock, fake
):
    """Issue 17: a hit read the list in the default sort; the next partial update then
    compared the two sorts' keys, failed inside a worker, and the list stopped following."""
    app = make_app(server, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("s")  # unread first
        await settle(pilot)
        await pilot.press("slash", *"mug")
        await settle(pilot, lambda: "1 messages" in screen_text(app))
        await pilot.press("enter")
        await settle(pilot, lambda: app.thread_view.row is not None)
        await pilot.press("escape", "down", "enter")
        await settle(pilot)
        fake.deliver(
            None, "facebook", "t_2", FakeMessage("m_new", "received", clock.now, "still there?")
        )
        clock.advance(60)
        app.engine.wake()
        await settle(pilot, lambda: "still there?" in screen_text(app))
        assert "still there?" in screen_text(app)


async def test_what_search_cannot_read_is_said_on_the_search_screen(server, tmp_path, clock):
    """Hostile queries are searched as words; a query FTS5 refused showed "0 messages", as if
    nothing matched, and now says why."""
    import dataclasses

    from textual.widgets import Input

    app = make_app(server, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("slash")
        await settle(pilot, lambda: isinstance(app.screen, SearchScreen))
        box = app.screen.query_one("#search-input", Input)
        for text, shown in [("mug", "1 messages"), ("NEAR(", "0 messages"), ("[/]", "0 messages")]:
            box.value = text
            await settle(pilot, lambda shown=shown: shown in screen_text(app))
        # A NUL can't be typed in the box; put one in the query the real store is asked.
        real = app.store.search
        app.store.search = lambda query: real(
            dataclasses.replace(query, terms=(*query.terms, "\x00"))
        )
        box.value = "mugs"
        await settle(
            pilot, lambda: "Can't search for that: unterminated string" in screen_text(app)
        )
        assert isinstance(app.screen, SearchScreen) and app.return_code is None
