"""The list pane: one OptionList row per conversation (virtualised: only visible rows render)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from textual.binding import Binding
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from inbox_tui.domain import Direction
from inbox_tui.store import ConversationRow
from inbox_tui.ui.format import ago, stamp

VIM_BINDINGS = [
    Binding("j", "cursor_down", "Down", show=False),
    Binding("k", "cursor_up", "Up", show=False),
    Binding("g", "first", "First", show=False),
    Binding("G", "last", "Last", show=False),
]
_BADGE_COLORS = {"facebook": "primary", "instagram": "secondary", "twitter": "accent"}


def render_row(
    row: ConversationRow, now: datetime, show_profile: bool = False, selected: bool = False
) -> Content:
    """Two lines: marks, badge, name, age / preview. Built from parts, never from markup."""
    when = (
        f"⏰ {stamp(row.snoozed_until, now)}"
        if row.snoozed_until
        else ago(row.last_message_at, now)
    )
    parts: list[str | tuple[str, str]] = [
        ("✓" if selected else " ", "bold $success"),
        ("●" if row.unread else " ", "bold $accent"),
        " ",
        (f"{row.platform.badge:<2} ", f"$text-{_BADGE_COLORS[row.platform.value]}"),
    ]
    if show_profile:
        parts.append((f"{row.profile} · ", "$text-muted"))
    parts += [
        (row.participant_name or "(unknown)", "bold" if row.unread or selected else ""),
        ("  " + when, "$text-muted"),
        ("  ✎ draft" if row.has_draft else "", "$accent"),
        ("  ! reply not sent" if row.outbox_problem else "", "bold $error"),
        "\n    ",
    ]
    if row.last_direction is Direction.SENT:
        parts.append(("You: ", "$text-muted"))
    parts.append((row.preview or "(no messages yet)", "" if row.unread else "$text-muted"))
    return Content.assemble(*parts)


class ConversationOption(Option):
    """An option that carries its row (elia's pattern)."""

    def __init__(self, row: ConversationRow, prompt: Content) -> None:
        self.row = row
        super().__init__(prompt, id=row.key)


class ConversationList(OptionList):
    """Rows of conversations; highlight and selection follow row keys across reloads."""

    BINDINGS = [
        *VIM_BINDINGS,
        Binding("space", "toggle_select", "Select", show=False),
        Binding("V", "select_range", "Select range", show=False),
    ]
    AGES_STALE_AFTER = 60.0  # seconds: relative ages ("5m") are redrawn at least this often

    def __init__(self, **kwargs) -> None:
        super().__init__(markup=False, **kwargs)
        self.rows: list[ConversationRow] = []
        self.selected: set[str] = set()
        self._anchor: int | None = None
        self._drawn_at: datetime | None = None
        self._show_profile = False

    def _prompt(self, row: ConversationRow, now: datetime) -> Content:
        return render_row(row, now, self._show_profile, row.key in self.selected)

    def show(
        self,
        rows: Sequence[ConversationRow],
        now: datetime,
        *,
        show_profile: bool = False,
        keep: str | None = None,
    ) -> None:
        """Replace the rows; keep the highlight on the row with key `keep` if it is still here.

        Rebuilding measures every row on the event loop, so an unchanged list (the usual
        answer to a periodic fetch) is left alone unless its ages are due a redraw.
        """
        rows = list(rows)
        fresh = (
            self._drawn_at is not None
            and (now - self._drawn_at).total_seconds() < self.AGES_STALE_AFTER
        )
        if (
            rows == self.rows
            and fresh
            and self.option_count == len(rows)
            and show_profile == self._show_profile
        ):
            wanted = next((i for i, r in enumerate(rows) if r.key == keep), None)
            if wanted is not None and wanted != self.highlighted:
                self.highlighted = wanted
            return
        self._drawn_at = now
        self._show_profile = show_profile
        self.rows = rows
        self.selected &= {r.key for r in rows}
        with self.prevent(OptionList.OptionHighlighted):
            self.set_options(ConversationOption(r, self._prompt(r, now)) for r in rows)
        index = next((i for i, r in enumerate(rows) if r.key == keep), None)
        if index is None and rows:
            index = 0
        self.highlighted = index

    @property
    def current(self) -> ConversationRow | None:
        index = self.highlighted
        return self.rows[index] if index is not None and index < len(self.rows) else None

    def targets(self) -> list[ConversationRow]:
        """What an action applies to: the selected rows, or else the highlighted one."""
        if self.selected:
            return [r for r in self.rows if r.key in self.selected]
        return [self.current] if self.current else []

    def find(self, predicate: Callable[[ConversationRow], bool], start: int) -> int | None:
        """The first row index after `start` (wrapping around) that matches."""
        count = len(self.rows)
        for step in range(1, count + 1):
            index = (start + step) % count
            if predicate(self.rows[index]):
                return index
        return None

    # -- selection ------------------------------------------------------------------------------

    def _redraw(self, indexes: list[int]) -> None:
        now = self._drawn_at or datetime.now().astimezone()
        for index in indexes:
            row = self.rows[index]
            self.replace_option_prompt(row.key, self._prompt(row, now))

    def action_toggle_select(self) -> None:
        index = self.highlighted
        if index is None or index >= len(self.rows):
            return
        key = self.rows[index].key
        self.selected.symmetric_difference_update({key})
        self._anchor = index
        self._redraw([index])
        self.action_cursor_down()

    def action_select_range(self) -> None:
        index = self.highlighted
        if index is None or index >= len(self.rows):
            return
        start = self._anchor if self._anchor is not None else index
        span = range(min(start, index), max(start, index) + 1)
        self.selected.update(self.rows[i].key for i in span)
        self._anchor = index
        self._redraw(list(span))

    def clear_selection(self) -> bool:
        if not self.selected:
            return False
        indexes = [i for i, r in enumerate(self.rows) if r.key in self.selected]
        self.selected.clear()
        self._anchor = None
        self._redraw(indexes)
        return True
