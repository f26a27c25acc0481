"""The conversation list's selection: rows picked with space, ranges with `V` (kept as their
two ends when they reach past the window, the rows between read when acted on). Mixed into
`ConversationList`."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.message import Message
from textual.widget import Widget

from inbox_tui.store import ConversationRow, key_ref, list_position


class RowSelection(Widget):
    class SelectionChanged(Message):
        """`V` added to the selection (space moves the cursor, which says so)."""

    if TYPE_CHECKING:  # what ConversationList gives it
        rows: list[ConversationRow]
        window_start: int
        highlighted: int | None
        selected: set[str]
        spans: list[tuple[ConversationRow, ConversationRow, int]]
        _anchor: tuple[int, ConversationRow] | None

        @property
        def current(self) -> ConversationRow | None: ...
        def row_at(self, index: int) -> ConversationRow | None: ...
        def _refresh_row(self, index: int) -> None: ...
        def action_cursor_down(self) -> None: ...
        def after_rows_come(self, action: Callable[[], None]) -> bool: ...

    # -- selection ------------------------------------------------------------------------------

    @property
    def selection_size(self) -> int:
        return len(self.selected) + sum(size for _, _, size in self.spans)

    def selected_in_window(self) -> list[ConversationRow]:
        return self._selected_in(self.rows)

    def _selected_in(self, rows: list[ConversationRow]) -> list[ConversationRow]:
        """The selected ones of `rows`; ids are compared first, so a key is made only for
        those (making one for each of 100k rows holds the event loop 35 ms)."""
        ids = {key_ref(key)[2] for key in self.selected}
        return [r for r in rows if r.id in ids and r.key in self.selected]

    def _redraw(self, indexes: list[int]) -> None:
        for index in indexes:
            self._refresh_row(index)

    def action_toggle_select(self) -> None:
        index, row = self.highlighted, self.current
        if self.after_rows_come(self.action_toggle_select) or index is None or row is None:
            return
        self.selected.symmetric_difference_update({row.key})
        self._anchor = (index, row)
        self._redraw([index])
        self.action_cursor_down()

    def action_select_range(self) -> None:
        """From the last row selected (or this one) to this one: in the window, their keys;
        reaching past it, the range's ends (the rows between are read when acted on)."""
        index, row = self.highlighted, self.current
        if self.after_rows_come(self.action_select_range) or index is None or row is None:
            return
        start, first = self._anchor if self._anchor is not None else (index, row)
        low, high = min(start, index), max(start, index)
        if self.row_at(low) is not None and self.row_at(high) is not None:
            self.selected.update(
                r.key for r in self.rows[low - self.window_start : high - self.window_start + 1]
            )
        else:
            ends = (first, row) if start <= index else (row, first)
            self.selected -= {first.key, row.key}  # counted in the span
            self.spans.append((*ends, high - low + 1))
        self._anchor = (index, row)
        self.refresh()
        self.post_message(self.SelectionChanged())

    def is_selected(self, row: ConversationRow) -> bool:
        if self.selected and row.key in self.selected:
            return True
        order = list_position(row)
        return any(
            list_position(first) <= order <= list_position(last) for first, last, _ in self.spans
        )

    def clear_selection(self) -> bool:
        if not self.selected and not self.spans:
            return False
        self.selected.clear()
        self.spans = []
        self._anchor = None
        self.refresh()
        return True
