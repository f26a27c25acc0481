"""Keys typed while the cursor's row is still being read (the list holds a window, so a far
jump waits a few ms for its rows): they wait, in order, and run when it comes. Mixed into
`ConversationList`."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.widget import Widget

if TYPE_CHECKING:
    from inbox_tui.store import ConversationRow


class WaitingKeys(Widget):
    if TYPE_CHECKING:  # what ConversationList gives it
        highlighted: int | None
        _waiting: list[Callable[[], None]]
        _replaying: bool

        @property
        def current(self) -> ConversationRow | None: ...

    def after_rows_come(self, action: Callable[[], None]) -> bool:
        """True (and `action` kept, to run in turn) while the cursor's row is still being read,
        or keys before it wait: `g V G V` typed at once acts on the rows it meant, a million
        rows apart."""
        if self._replaying:
            return False
        if (self.highlighted is not None and self.current is None) or self._waiting:
            self._waiting.append(action)
            return True
        return False

    def _run_waiting(self) -> None:
        """The keys that waited, in order, while the cursor's row is here (a move may take it
        away again: the rest wait for the next rows)."""
        while self._waiting and self.current is not None:
            action = self._waiting.pop(0)
            self._replaying = True
            try:
                action()
            finally:
                self._replaying = False
