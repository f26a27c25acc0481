"""The list pane's rows, drawn as segments: cut with "…" at the pane's edge, wide characters
kept whole, muted parts in the theme's muted colour, and a theme change redrawn."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from rich.cells import cell_len
from textual.app import App, ComposeResult

from inbox_tui.domain import ConversationStatus, Direction, Platform
from inbox_tui.store import ConversationRow
from inbox_tui.ui.widgets.conversation_list import ConversationList

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
WIDTH = 30


def row(cid: str, name: str, preview: str, *, unread: bool = False) -> ConversationRow:
    return ConversationRow(
        profile="P",
        platform=Platform.FACEBOOK,
        id=cid,
        status=ConversationStatus.ACTIVE,
        participant_id="1",
        participant_name=name,
        last_message_at=NOW - timedelta(minutes=5),
        preview=preview,
        last_direction=Direction.RECEIVED,
        message_count=1,
        unread=unread,
    )


class ListApp(App):
    def compose(self) -> ComposeResult:
        yield ConversationList()


async def lines_of(app: ListApp) -> list[str]:
    widget = app.query_one(ConversationList)
    return [widget.render_line(y).text for y in range(4)]


async def test_long_lines_end_in_an_ellipsis_at_the_edge_and_wide_characters_stay_whole():
    app = ListApp()
    async with app.run_test(size=(WIDTH, 10)) as pilot:
        widget = app.query_one(ConversationList)
        widget.show(
            [
                row("a", "Ada", "word " * 40, unread=True),
                row("b", "東京のお客様" * 4, "短い"),
            ],
            NOW,
        )
        await pilot.pause()
        first, preview, wide_name, short = await lines_of(app)
        assert [cell_len(line) for line in (first, preview, wide_name, short)] == [WIDTH] * 4
        assert preview.startswith("    word word") and preview.endswith("…")
        assert wide_name.rstrip().endswith("…") and "東京" in wide_name
        assert short.rstrip() == "    短い"
        assert first.startswith(" ● FB Ada  5m")


async def test_muted_parts_use_the_themes_muted_colour_and_follow_a_theme_change():
    app = ListApp()
    async with app.run_test(size=(WIDTH, 10)) as pilot:
        widget = app.query_one(ConversationList)
        widget.show([row("a", "Ada", "first"), row("b", "Bo", "second")], NOW)
        await pilot.pause()

        def colours(y: int) -> dict[str, tuple[int, int, int]]:
            return {
                s.text.strip(): tuple(s.style.color.triplet)
                for s in widget.render_line(y)
                if s.text.strip()
            }

        name_colour = colours(2)["Bo"]  # not the cursor's row
        # A read preview is muted: dimmer than the name on a dark theme, never brighter.
        assert sum(colours(3)["second"]) < sum(name_colour)
        app.theme = "textual-light"
        await pilot.pause()
        assert colours(2)["Bo"] != name_colour  # no strip from the old theme survives


class BorderedListApp(App):
    CSS = "ConversationList { border: round white; }"

    def compose(self) -> ComposeResult:
        yield ConversationList()


async def test_the_position_in_the_bottom_border_follows_the_cursor():
    app = BorderedListApp()
    async with app.run_test(size=(WIDTH, 10)) as pilot:
        widget = app.query_one(ConversationList)
        widget.show([row(c, c.upper(), "hi") for c in "abc"], NOW)
        widget.show_position("1/3")
        await pilot.pause()
        widget.action_cursor_down()
        widget.show_position("2/3")
        await pilot.pause()
        bottom = app.screen._compositor.render_strips()[9].text
        assert "2/3" in bottom and "1/3" not in bottom


class OptionsApp(App):
    def compose(self) -> ComposeResult:
        from textual.widgets import OptionList

        yield OptionList()


async def test_muted_parts_of_content_are_muted_in_option_lists_too():
    """`$text-muted` is "auto 60%", which a Content span turns into plain white: the app's
    Content uses `$foreground-muted` (search results, the thread, dialogs)."""
    from textual.widgets import OptionList

    from inbox_tui.search import SearchHit
    from inbox_tui.ui.screens.search import render_hit

    hit = SearchHit(
        profile="P",
        platform=Platform.FACEBOOK,
        conversation_id="a",
        message_id="m",
        created=NOW - timedelta(hours=1),
        direction=Direction.SENT,
        sender_name="",
        participant_name="Ada",
        snippet="thanks",
        status=ConversationStatus.ACTIVE,
    )
    app = OptionsApp()
    async with app.run_test(size=(60, 6)) as pilot:
        options = app.query_one(OptionList)
        options.add_options(["first", render_hit(hit, NOW, show_profile=True)])
        options.highlighted = 0
        await pilot.pause()
        colours = {
            s.text.strip(): tuple(s.style.color.triplet)
            for line in app.screen._compositor.render_strips()
            for s in line
            if s.text.strip() and s.style and s.style.color
        }
        assert sum(colours["P ·"]) < sum(colours["Ada"])  # the profile: muted
        assert sum(colours["You:"]) < sum(colours["thanks"])


class WindowApp(App):
    def __init__(self) -> None:
        super().__init__()
        self.wanted: list[int] = []

    def compose(self) -> ComposeResult:
        yield ConversationList()

    def on_conversation_list_window_wanted(self, message: ConversationList.WindowWanted) -> None:
        self.wanted.append(message.index)


async def test_a_window_of_rows_stands_in_its_place_and_past_it_rows_are_asked_for():
    """Rows 100-104 of a list of 1,000: they are drawn where they stand; the cursor and
    lines past the window ask for rows there, and a click or `j` on them is ignored."""
    app = WindowApp()
    async with app.run_test(size=(WIDTH, 6)) as pilot:
        widget = app.query_one(ConversationList)
        window = [row(f"c{n}", f"Row {n}", "hi") for n in range(100, 105)]
        widget.show(window, NOW, offset=100, total=1000, unread=7, cursor=102)
        await pilot.pause()
        assert widget.highlighted == 102 and widget.current == window[2]
        assert widget.virtual_size.height == 2000 and widget.unread_count == 7
        assert "Row 100" in widget.render_line(0).text  # the cursor's row is brought to view
        assert widget.index_of(window[4].key) == 104 and widget.row_at(99) is None
        assert app.wanted == []
        widget.highlighted = 500  # past the window: no row, a request
        await pilot.pause()
        assert widget.current is None and app.wanted == [500]
        assert widget.render_line(0).text.strip() == ""  # blank until the rows come
        assert app.wanted == [500]  # one request until they do
        widget.show(window, NOW, offset=100, total=1000, cursor=500)  # the rows did not come
        await pilot.pause()
        assert app.wanted == [500, 500]


async def test_keys_typed_before_their_rows_come_wait_for_them_in_order():
    """`g V G V` typed at once, deep in a list of 1,000 held as a window: the first V waits
    for row 0, G for it, the last V for row 999; then one range of all 1,000 is selected."""
    app = WindowApp()
    async with app.run_test(size=(WIDTH, 6)) as pilot:
        widget = app.query_one(ConversationList)
        rows = {n: row(f"c{n}", f"Row {n}", "hi") for n in range(1000)}
        window = lambda start: [rows[n] for n in range(start, start + 5)]  # noqa: E731
        widget.show(window(100), NOW, offset=100, total=1000, cursor=102)
        await pilot.pause()
        widget.action_first()  # row 0 is not here yet
        widget.action_select_range()
        widget.action_last()
        widget.action_select_range()
        assert widget.highlighted == 0 and widget.selection_size == 0  # all four wait
        widget.show(window(0), NOW, offset=0, total=1000, cursor=0)  # row 0: V there, then G
        assert widget.selected == {rows[0].key} and widget.highlighted == 999
        widget.show(window(995), NOW, offset=995, total=1000, cursor=999)  # the last V
        assert widget.spans == [(rows[0], rows[999], 1000)] and widget.selection_size == 1000
