"""The list pane: a Line-API ScrollView of two-line conversation rows.

It holds a window of the list (`rows`, from position `window_start`, of `total`), not the whole of
it: a line outside the window asks for rows there (`WindowWanted`) and is blank until they
come. Every row is exactly two lines high, so nothing is measured, and a frame renders only
the rows on screen (strips cached per row until the row, its selection or the clock for ages
changes). Positions (the cursor, a click) are positions in the whole list.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import datetime
from functools import partial
from typing import ClassVar

from rich.style import Style as RichStyle
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.content import Content
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.visual import Visual

from inbox_tui.store import ConversationRow, key_ref
from inbox_tui.ui.format import ago_changes_in
from inbox_tui.ui.widgets.conversation_row import PART_CLASSES, aged_from, row_lines
from inbox_tui.ui.widgets.row_painter import RowPainter
from inbox_tui.ui.widgets.row_selection import RowSelection
from inbox_tui.ui.widgets.vim_keys import VIM_BINDINGS
from inbox_tui.ui.widgets.waiting_keys import WaitingKeys

ROW_HEIGHT = 2


class ConversationList(RowSelection, WaitingKeys, RowPainter, ScrollView, can_focus=True):
    """Rows of conversations; the highlight and the selection follow row keys across reloads."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "cursor_down", "Down", show=False),
        Binding("up", "cursor_up", "Up", show=False),
        Binding("home", "first", "First", show=False),
        Binding("end", "last", "Last", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("enter", "open", "Open", show=False),
        *VIM_BINDINGS,
        Binding("space", "toggle_select", "Select", show=False),
        Binding("V", "select_range", "Select range", show=False),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "conversation-list--row",
        "conversation-list--cursor",
        *(f"conversation-list--{part}" for part in PART_CLASSES),
    }
    DEFAULT_CSS = """
    ConversationList {
        overflow-x: hidden;
        scrollbar-size-vertical: 0;  /* the border says "5/584"; a bar costs 2 ms a scroll */
        & > .conversation-list--cursor {
            color: $foreground;
            background: $block-cursor-blurred-background;
        }
        &:focus > .conversation-list--cursor {
            color: $block-cursor-foreground;
            background: $block-cursor-background;
            text-style: $block-cursor-text-style;
        }
        & > .conversation-list--muted { color: $text-muted; }
        & > .conversation-list--strong { text-style: bold; }
        & > .conversation-list--selected-mark { color: $success; text-style: bold; }
        & > .conversation-list--unread-mark { color: $accent; text-style: bold; }
        & > .conversation-list--badge-facebook { color: $text-primary; }
        & > .conversation-list--badge-instagram { color: $text-secondary; }
        & > .conversation-list--badge-twitter { color: $text-accent; }
        & > .conversation-list--draft { color: $accent; }
        & > .conversation-list--problem { color: $error; text-style: bold; }
        & > .conversation-list--other-app { color: $warning; }
        & > .conversation-list--waiting { color: $warning; }
        & > .conversation-list--label { color: $text-secondary; }
    }
    """
    # Seconds: relative ages ("5m") are redrawn at least this often when rows are read, and by
    # the clock no more often ("24s" becomes "1m", then "2m": no wake-up a second to count).
    AGES_STALE_AFTER = 60.0

    highlighted: reactive[int | None] = reactive(None, always_update=True, repaint=False)

    class Highlighted(Message):
        """The cursor moved to another row."""

        def __init__(self, row: ConversationRow) -> None:
            self.row = row
            super().__init__()

    class Opened(Message):
        """Enter (or a click) on a row."""

        def __init__(self, row: ConversationRow) -> None:
            self.row = row
            super().__init__()

    class WindowWanted(Message):
        """The cursor or the viewport is past the window: rows around `index` are wanted."""

        def __init__(self, index: int) -> None:
            self.index = index
            super().__init__()

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.rows: list[ConversationRow] = []  # the window: positions window_start … +len-1
        self.window_start = 0
        self.total = 0  # rows in the whole list
        self.unread_count = 0  # unread rows in the whole list
        self.selected: set[str] = set()
        # `V` ranges that reach past the window: (first row, last row, how many rows).
        self.spans: list[tuple[ConversationRow, ConversationRow, int]] = []
        self._note = ""
        self._anchor: tuple[int, ConversationRow] | None = None
        self._wanted = False  # a WindowWanted is on its way
        self._waiting: list[Callable[[], None]] = []  # keys typed before the cursor's row came
        self._replaying = False
        self._now: datetime | None = None
        self._show_profile = False
        self._show_waiting = False
        self._strips: LRUCache[tuple, list[Strip]] = LRUCache(1024)

    # -- contents -------------------------------------------------------------------------------

    def ages_change_in(self, now: datetime) -> float:
        """Seconds until a held row's age (or wait) reads differently from what is drawn."""
        if self._now is None or not self.rows:
            return math.inf
        drawn = self._now
        moments = (aged_from(r, self._show_waiting) for r in self.rows)
        soonest = min((ago_changes_in(m, drawn) for m in moments if m), default=math.inf)
        return max(soonest, self.AGES_STALE_AFTER) - (now - drawn).total_seconds()

    def redraw_ages(self, now: datetime) -> None:
        """The clock moved: draw the rows' ages as of `now`, without reading them again."""
        self._now = now
        self._strips.clear()
        self.refresh()

    def show(
        self,
        rows: Sequence[ConversationRow],
        now: datetime,
        *,
        show_profile: bool = False,
        show_waiting: bool = False,
        keep: str | None = None,
        offset: int = 0,
        total: int | None = None,
        unread: int | None = None,
        cursor: int | None = None,
    ) -> None:
        """Replace the window (`rows` from position `offset` of `total`; all of the list if
        not given); keep the highlight on the row with key `keep` if it is still here, else
        put it at position `cursor` (or the top). `show_waiting`: the rows waiting for a reply
        say for how long."""
        rows = list(rows)
        before = self.current
        stale = self._now is None or (now - self._now).total_seconds() >= self.AGES_STALE_AFTER
        if stale or (show_profile, show_waiting) != (self._show_profile, self._show_waiting):
            self._strips.clear()
            self._now = now
        self._show_profile, self._show_waiting = show_profile, show_waiting
        self._note = ""
        self._wanted = False
        self.rows, self.window_start = rows, offset
        self.total = offset + len(rows) if total is None else total
        self.unread_count = sum(r.unread for r in rows) if unread is None else unread
        if self.selected and len(rows) == self.total:  # all of it here: drop what has left
            self.selected &= {r.key for r in self._selected_in(rows)}
        self.virtual_size = Size(self.scrollable_content_region.width, self.total * ROW_HEIGHT)
        index = self.index_of(keep) if keep else None
        if index is None and self.total:
            index = min(cursor or 0, self.total - 1)
        row = None if index is None else self.row_at(index)
        if index != self.highlighted or (
            row is not None and (before is None or before.key != row.key)
        ):
            self.highlighted = index  # another row under the cursor: announce it
        else:
            self._scroll_to_cursor()
            if index is not None and row is None:
                self._want(index)  # still not here: ask again
        self.refresh()
        self._run_waiting()

    def show_position(self, text: str) -> None:
        """The note in the bottom border (position, unread count), repainting that line only.

        The `border_subtitle` setter repaints the whole list: on every key, every visible row.
        This stores what that setter stores (Textual is pinned to 8.2) and marks one line dirty.
        """
        subtitle = Content(text)
        if subtitle == self._border_subtitle:
            return
        self._border_subtitle = subtitle
        left, top = self.content_offset
        bottom = self.outer_size.height - 1 - top
        self.refresh(Region(-left, bottom, self.outer_size.width, 1))

    def show_note(self, note: str) -> None:
        """No rows: say why instead."""
        self.rows, self.selected, self.unread_count = [], set(), 0
        self.window_start = self.total = 0
        self.spans, self._waiting = [], []
        self._note = note
        self.virtual_size = Size(self.scrollable_content_region.width, 1)
        self.highlighted = None
        self.refresh()

    def index_of(self, key: str) -> int | None:
        """The position of the row with this key, if it is in the window."""
        profile, platform, cid = key_ref(key)
        for index, row in enumerate(self.rows):
            if row.id == cid and row.profile == profile and row.platform is platform:
                return self.window_start + index
        return None

    def row_at(self, index: int) -> ConversationRow | None:
        """The row at this position, if it is in the window."""
        local = index - self.window_start
        return self.rows[local] if 0 <= local < len(self.rows) else None

    @property
    def current(self) -> ConversationRow | None:
        index = self.highlighted
        return None if index is None else self.row_at(index)

    def _want(self, index: int) -> None:
        if not self._wanted:
            self._wanted = True
            self.post_message(self.WindowWanted(index))

    def find(self, predicate: Callable[[ConversationRow], bool], start: int) -> int | None:
        """The first position after `start` in the window that matches (wrapping around when
        the window is the whole list)."""
        count = len(self.rows)
        whole = count == self.total
        for step in range(1, count + 1):
            local = start - self.window_start + step
            if whole:
                local %= count
            elif local >= count:
                return None
            if local >= 0 and predicate(self.rows[local]):
                return self.window_start + local
        return None

    # -- rendering ------------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        line = self.scroll_offset.y + y
        index, part = divmod(line, ROW_HEIGHT)
        row = self.row_at(index)
        if row is None:
            if self._note and line == 0:
                style = self.get_visual_style("conversation-list--muted")
                return Visual.to_strips(self, Content(self._note), width, 1, style)[0]
            if index < self.total:
                self._want(index)  # blank until the rows come
            return Strip.blank(width, self.get_visual_style("conversation-list--row").rich_style)
        return self._row_strips(index, row, width)[part]

    def _row_strips(self, index: int, row: ConversationRow, width: int) -> list[Strip]:
        selected = (bool(self.selected) or bool(self.spans)) and self.is_selected(row)
        cursor = index == self.highlighted
        cache_key = (index, row, selected, cursor, width, self.has_focus)
        if (strips := self._strips.get(cache_key)) is None:
            lines = row_lines(
                row,
                self._now or datetime.now().astimezone(),
                self._show_profile,
                selected,
                waiting=self._show_waiting,
                brand=self.brand_names.get(row.profile, row.profile),
            )
            meta = RichStyle.from_meta({"row": index})  # a click knows its row
            strips = [self._line(parts, cursor, width, meta) for parts in lines]
            self._strips[cache_key] = strips
        return strips

    def _on_resize(self, event: events.Resize) -> None:
        height = self.total * ROW_HEIGHT if self.total else int(bool(self._note))
        self.virtual_size = Size(self.scrollable_content_region.width, height)
        self._scroll_to_cursor()

    def _on_focus(self, event: events.Focus) -> None:
        self.refresh()

    def _on_blur(self, event: events.Blur) -> None:
        self.refresh()

    # -- the cursor -----------------------------------------------------------------------------

    def validate_highlighted(self, value: int | None) -> int | None:
        if value is None or not self.total:
            return None
        return max(0, min(value, self.total - 1))

    def watch_highlighted(self, old: int | None, new: int | None) -> None:
        for index in (old, new):
            if index is not None:
                self._refresh_row(index)
        self._scroll_to_cursor()
        if new is not None:
            row = self.row_at(new)
            if row is None:
                self._want(new)  # announced when its row comes (`show` with `cursor`)
            else:
                self.post_message(self.Highlighted(row))

    def _refresh_row(self, index: int) -> None:
        y = index * ROW_HEIGHT - self.scroll_offset.y
        self.refresh(Region(0, y, self.size.width, ROW_HEIGHT))

    def _scroll_to_cursor(self) -> None:
        """Bring the cursor's row into view, the top line starting a row (never half of one)."""
        if self.highlighted is None or not self.is_mounted:
            return
        height = self.scrollable_content_region.height
        top = self.highlighted * ROW_HEIGHT
        y = self.scroll_offset.y
        if top < y:
            y = top
        elif top + ROW_HEIGHT > y + height:
            y = top + ROW_HEIGHT - height
            y += -y % ROW_HEIGHT
        if y != self.scroll_offset.y:
            # `force`: before the next layout a longer list has no scrollbar yet to allow it.
            self.scroll_to(y=y, animate=False, immediate=True, force=True)

    def _step(self, delta: int) -> None:
        if self.after_rows_come(partial(self._step, delta)):
            return
        if self.total:
            self.highlighted = (
                (self.highlighted or 0) + delta if self.highlighted is not None else 0
            )

    def action_cursor_down(self) -> None:
        self._step(1)

    def action_cursor_up(self) -> None:
        self._step(-1)

    def action_first(self) -> None:
        self._step(-self.total)

    def action_last(self) -> None:
        self._step(self.total)

    def action_page_down(self) -> None:
        self._step(max(1, self.scrollable_content_region.height // ROW_HEIGHT))

    def action_page_up(self) -> None:
        self._step(-max(1, self.scrollable_content_region.height // ROW_HEIGHT))

    def action_open(self) -> None:
        if not self.after_rows_come(self.action_open) and (row := self.current) is not None:
            self.post_message(self.Opened(row))

    async def _on_click(self, event: events.Click) -> None:
        index = event.style.meta.get("row")
        if index is not None and self.row_at(index) is not None:
            self.highlighted = index
            self.action_open()
