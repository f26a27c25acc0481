"""The look (issue 20): a thread's days and sides, one pane at a time on a narrow terminal."""

from __future__ import annotations

from datetime import timedelta

from tests.support import make_app, screen_text, settle


def thread_lines(app) -> list[str]:
    """The thread's lines as shown, inside its frame."""
    view = app.thread_view
    return [view.render_line(y).text.rstrip() for y in range(view.scrollable_content_region.height)]


async def test_a_thread_has_day_headings_and_sets_the_brand_s_messages_apart(
    server, tmp_path, clock, fake
):
    fake.primary.platforms["facebook"].conversations["t_1"].messages[0].created -= timedelta(days=1)
    app = make_app(server, tmp_path, clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(
            pilot, lambda: app.thread_view.row is not None and len(app.thread_view.messages) == 3
        )
        lines = thread_lines(app)
        headings = [line.strip("─ ") for line in lines if line.startswith("──") and line.strip("─")]
        assert headings == ["Yesterday", "Today"]
        assert (
            lines.index(next(line for line in lines if "Yesterday" in line))
            < lines.index(next(line for line in lines if "Do you ship to Canada?" in line))
            < lines.index(next(line for line in lines if "Today" in line))
        )
        theirs = next(line for line in lines if "Ada Lovelace" in line and "←" in line)
        ours = next(line for line in lines if "You (Primary)" in line)
        assert theirs.startswith("← Ada Lovelace  11:")  # the day is in the heading: the time only
        assert ours.startswith("    → You (Primary)")  # the brand's own, set in
        assert next(line for line in lines if "Yes, 5-7 days." in line).startswith("    Yes")


async def test_a_narrow_terminal_shows_one_pane_at_a_time(server, tmp_path, clock):
    app = make_app(server, tmp_path, clock)
    async with app.run_test(size=(70, 24)) as pilot:
        await settle(pilot, lambda: len(app.conversation_list.rows) == 4)
        list_pane, thread_pane = app.list_pane, app.thread_pane
        assert list_pane.display and not thread_pane.display
        assert list_pane.region.width == 70  # the list takes the whole width
        assert "Ada Lovelace" in screen_text(app)
        assert "Yes, 5-7 days." not in screen_text(app)  # the thread is not drawn
        await pilot.press("enter")
        await pilot.pause()
        assert thread_pane.display and not list_pane.display
        assert app.thread_view.region.width == 70
        assert "Yes, 5-7 days." in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert list_pane.display and not thread_pane.display
        await pilot.press("tab")  # the other pane
        await pilot.pause()
        assert thread_pane.display and app.thread_view.has_focus
        await pilot.press("tab")
        await pilot.pause()
        assert list_pane.display and app.conversation_list.has_focus
        await pilot.press("r")  # the composer is in the thread's pane: it shows
        await pilot.pause()
        assert thread_pane.display and app.thread_pane.composer.area.has_focus
        await pilot.press("escape")
        await pilot.pause()
        assert list_pane.display and not thread_pane.display
        await pilot.resize_terminal(120, 36)  # wide again: both
        await pilot.pause()
        assert list_pane.display and thread_pane.display


async def test_the_platform_tag_on_the_cursor_row_takes_the_cursor_s_colours(
    server, tmp_path, clock
):
    app = make_app(server, tmp_path, clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, lambda: len(app.conversation_list.rows) == 4)
        listing = app.conversation_list
        assert listing.has_focus and listing.highlighted == 0

        def tag_and_name(y: int):
            segments = {seg.text.strip(): seg.style for seg in listing.render_line(y)}
            tag = next(s for s in segments if s in ("FB", "IG", "X"))
            return segments[tag], segments[listing.rows[y // 2].participant_name]

        tag, name = tag_and_name(0)  # the cursor's row: Ada's
        assert (tag.color, tag.bgcolor) == (name.color, name.bgcolor)
        tag, name = tag_and_name(2)  # elsewhere the tag keeps Facebook's colour
        assert tag.color != name.color


async def test_the_list_s_ages_move_with_the_clock_without_reading_the_store(
    server, tmp_path, clock, monkeypatch
):
    first = make_app(server, tmp_path, clock)  # fills the store
    async with first.run_test(size=(120, 36)) as pilot:
        await settle(pilot, lambda: len(first.conversation_list.rows) == 4)
    first.store.close()
    app = make_app(server, tmp_path, clock, sync=False)  # nothing but the clock changes now
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, lambda: len(app.conversation_list.rows) == 4)
        assert "Ada Lovelace  10m" in screen_text(app)
        assert app.ticker.next_in() <= 60  # the clock is set for the next change of an age
        reads = []
        monkeypatch.setattr(app.store, "conversations", lambda *a, **k: reads.append(a) or [])
        clock.advance(30)
        app.tick()  # not yet a minute: nothing to draw
        await pilot.pause()
        assert "Ada Lovelace  10m" in screen_text(app)
        clock.advance(95)
        app.tick()
        await pilot.pause()
        assert "Ada Lovelace  12m" in screen_text(app)
        assert reads == []
