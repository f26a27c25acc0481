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
from inbox_tui.ui.format import ago

VIM_BINDINGS = [
    Binding("j", "cursor_down", "Down", show=False),
    Binding("k", "cursor_up", "Up", show=False),
    Binding("g", "first", "First", show=False),
    Binding("G", "last", "Last", show=False),
]


class ConversationOption(Option):
    """An option that carries its row (elia's pattern)."""

    def __init__(self, row: ConversationRow, now: datetime, show_profile: bool) -> None:
        self.row = row
        super().__init__(render_row(row, now, show_profile), id=row.key)


def render_row(row: ConversationRow, now: datetime, show_profile: bool = False) -> Content:
    """Two lines: marker, badge, name, age / preview. Built from parts, never from markup."""
    name_style = "bold" if row.unread else ""
    parts: list[str | tuple[str, str]] = [
        ("● " if row.unread else "  ", "bold $accent"),
        (f"{row.platform.badge:<2} ", f"$text-{_BADGE_COLORS[row.platform.value]}"),
    ]
    if show_profile:
        parts.append((f"{row.profile} · ", "$text-muted"))
    parts += [
        (row.participant_name or "(unknown)", name_style),
        ("  " + ago(row.last_message_at, now), "$text-muted"),
        "\n   ",
    ]
    if row.last_direction is Direction.SENT:
        parts.append(("You: ", "$text-muted"))
    parts.append((row.preview or "(no messages yet)", "" if row.unread else "$text-muted"))
    return Content.assemble(*parts)


_BADGE_COLORS = {"facebook": "primary", "instagram": "secondary", "twitter": "accent"}


class ConversationList(OptionList):
    """Rows of conversations; highlight follows the row's key across reloads."""

    BINDINGS = VIM_BINDINGS

    AGES_STALE_AFTER = 60.0  # seconds: relative ages ("5m") are redrawn at least this often

    def __init__(self, **kwargs) -> None:
        super().__init__(markup=False, **kwargs)
        self.rows: list[ConversationRow] = []
        self._drawn_at: datetime | None = None

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
        if rows == self.rows and fresh and self.option_count == len(rows):
            return
        self._drawn_at = now
        self.rows = rows
        with self.prevent(OptionList.OptionHighlighted):
            self.set_options(ConversationOption(r, now, show_profile) for r in self.rows)
        index = next((i for i, r in enumerate(self.rows) if r.key == keep), None)
        if index is None and self.rows:
            index = 0
        self.highlighted = index

    @property
    def current(self) -> ConversationRow | None:
        index = self.highlighted
        return self.rows[index] if index is not None and index < len(self.rows) else None

    def find(self, predicate: Callable[[ConversationRow], bool], start: int) -> int | None:
        """The first row index after `start` (wrapping around) that matches."""
        count = len(self.rows)
        for step in range(1, count + 1):
            index = (start + step) % count
            if predicate(self.rows[index]):
                return index
        return None
