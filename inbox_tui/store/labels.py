"""Labels on conversations: local state (the Ayrshare API has none), kept across syncs,
exported and imported with the rest of it."""

from __future__ import annotations

from collections.abc import Iterable

from inbox_tui.store.core import StoreCore
from inbox_tui.store.records import ConversationRef
from inbox_tui.text import clean_line

LABEL_MAX = 40


def label_problem(name: str) -> str:
    """Why `name` cannot be a label ("" when it can)."""
    if not name or clean_line(name) != name:
        return "A label is one line of printable text, without spaces around it."
    if len(name) > LABEL_MAX:
        return f"A label is at most {LABEL_MAX} characters."
    return ""


class Labels(StoreCore):
    def add_label(self, refs: Iterable[ConversationRef], label: str) -> None:
        self._check(label)
        with self._transaction() as db:
            db.executemany(
                "INSERT OR IGNORE INTO labels (profile, platform, conversation_id, label) "
                "VALUES (?, ?, ?, ?)",
                [(p, f.value, c, label) for p, f, c in refs],
            )

    def remove_label(self, refs: Iterable[ConversationRef], label: str) -> None:
        with self._transaction() as db:
            db.executemany(
                "DELETE FROM labels WHERE profile = ? AND platform = ? AND conversation_id = ? "
                "AND label = ?",
                [(p, f.value, c, label) for p, f, c in refs],
            )

    def label_names(self) -> list[tuple[str, int]]:
        """Every label in use, with how many conversations have it, by name."""
        with self._lock:
            return [
                (name, n)
                for name, n in self._db.execute(
                    "SELECT label, count(*) FROM labels GROUP BY label ORDER BY label"
                )
            ]

    @staticmethod
    def _check(label: str) -> None:
        if problem := label_problem(label):
            raise ValueError(problem)
