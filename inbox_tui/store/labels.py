"""Labels on conversations: this app's own state (the Ayrshare API has none), kept across
syncs, exported and imported with the rest of it.

Where a Meta Page shares its Custom Labels (Messenger), a change made here also waits in
`label_changes` until Meta has it (`label_sync` sends it), and what Meta has on a person
comes in through `set_remote_labels`, with the changes still on their way kept on top.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Iterable
from typing import NamedTuple

from inbox_tui.domain import Platform
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


class PendingLabel(NamedTuple):
    """A change on its way to Meta: `person` is the conversation's participant (a PSID)."""

    ref: ConversationRef
    person: str
    label: str
    added: bool  # False: taken off


class Labels(StoreCore):
    def add_label(
        self,
        refs: Iterable[ConversationRef],
        label: str,
        *,
        shared: Collection[ConversationRef] = (),
    ) -> None:
        """`shared`: those of `refs` whose labels Meta keeps too (the change waits for it)."""
        self._check(label)
        with self._transaction() as db:
            self._put(db, refs, [label])
            self._queue(db, shared, label, added=True)

    def remove_label(
        self,
        refs: Iterable[ConversationRef],
        label: str,
        *,
        shared: Collection[ConversationRef] = (),
    ) -> None:
        with self._transaction() as db:
            self._take(db, refs, [label])
            self._queue(db, shared, label, added=False)

    def label_changes(self, profile: str) -> list[PendingLabel]:
        """A profile's changes still on their way to Meta, oldest conversation first."""
        with self._lock:
            rows = self._db.execute(
                "SELECT q.platform, q.conversation_id, c.participant_id, q.label, q.added "
                "FROM label_changes q JOIN conversations c ON c.profile = q.profile "
                "AND c.platform = q.platform AND c.id = q.conversation_id "
                "WHERE q.profile = ? ORDER BY q.conversation_id, q.label",
                (profile,),
            ).fetchall()
        return [
            PendingLabel((profile, Platform(f), cid), person, label, bool(added))
            for f, cid, person, label, added in rows
        ]

    def people(self, profile: str, platform: Platform, ids: Iterable[str]) -> dict[str, str]:
        """Each conversation's participant (Meta's PSID), by conversation id."""
        with self._lock:
            return {
                cid: person
                for cid in ids
                for (person,) in self._db.execute(
                    "SELECT participant_id FROM conversations WHERE profile = ? AND platform = ? "
                    "AND id = ? AND participant_id != ''",
                    (profile, platform.value, cid),
                )
            }

    def label_change_done(self, change: PendingLabel) -> None:
        """Meta has it (unless the change was changed again meanwhile: that one still waits)."""
        profile, platform, cid = change.ref
        with self._transaction() as db:
            db.execute(
                "DELETE FROM label_changes WHERE profile = ? AND platform = ? "
                "AND conversation_id = ? AND label = ? AND added = ?",
                (profile, platform.value, cid, change.label, int(change.added)),
            )

    def set_remote_labels(self, ref: ConversationRef, remote: Collection[str]) -> bool:
        """The labels Meta has on a conversation, with the changes on their way on top; a name
        that cannot be a label here (over `LABEL_MAX`) is left out, so that every stored label
        can be exported and imported. True when the conversation's labels changed."""
        remote = [name for name in remote if not label_problem(name)]
        profile, platform, cid = ref
        key = (profile, platform.value, cid)
        where = "profile = ? AND platform = ? AND conversation_id = ?"
        with self._transaction() as db:
            have = [r[0] for r in db.execute(f"SELECT label FROM labels WHERE {where}", key)]
            pending = dict(db.execute(f"SELECT label, added FROM label_changes WHERE {where}", key))
            pending_folded = {name.casefold(): added for name, added in pending.items()}
            wanted = {n.casefold(): n for n in remote if pending_folded.get(n.casefold(), 1)}
            wanted |= {n.casefold(): n for n, added in pending.items() if added}
            folded = {n.casefold() for n in have}
            if folded == wanted.keys():
                return False
            self._take(db, [ref], [n for n in have if n.casefold() not in wanted])
            self._put(db, [ref], [n for f, n in wanted.items() if f not in folded])
            return True

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
    def _put(db: sqlite3.Connection, refs: Iterable[ConversationRef], labels: list[str]) -> None:
        db.executemany(
            "INSERT OR IGNORE INTO labels (profile, platform, conversation_id, label) "
            "VALUES (?, ?, ?, ?)",
            [(p, f.value, c, label) for p, f, c in refs for label in labels],
        )

    @staticmethod
    def _take(db: sqlite3.Connection, refs: Iterable[ConversationRef], labels: list[str]) -> None:
        db.executemany(
            "DELETE FROM labels WHERE profile = ? AND platform = ? AND conversation_id = ? "
            "AND label = ?",
            [(p, f.value, c, label) for p, f, c in refs for label in labels],
        )

    @staticmethod
    def _queue(
        db: sqlite3.Connection, refs: Iterable[ConversationRef], label: str, *, added: bool
    ) -> None:
        db.executemany(
            "INSERT OR REPLACE INTO label_changes "
            "(profile, platform, conversation_id, label, added) VALUES (?, ?, ?, ?, ?)",
            [(p, f.value, c, label, int(added)) for p, f, c in refs],
        )

    @staticmethod
    def _check(label: str) -> None:
        if problem := label_problem(label):
            raise ValueError(problem)
