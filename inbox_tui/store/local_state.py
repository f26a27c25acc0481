"""What only this app knows about a conversation: read, a local archive or unarchive (until
the API confirms it), a snooze. A re-sync never writes these."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping
from datetime import datetime

from inbox_tui.domain import ConversationStatus
from inbox_tui.store.core import StoreCore
from inbox_tui.store.records import ConversationRef, LocalState


class LocalStates(StoreCore):
    # -- local state: what only this app knows ---------------------------------------------------

    def _set_local(self, db: sqlite3.Connection, ref: ConversationRef, **columns) -> None:
        profile, platform, cid = ref
        names = ", ".join(columns)
        updates = ", ".join(f"{name} = excluded.{name}" for name in columns)
        db.execute(
            f"""
            INSERT INTO local_state (profile, platform, conversation_id, {names})
            VALUES (?, ?, ?, {",".join("?" * len(columns))})
            ON CONFLICT (profile, platform, conversation_id) DO UPDATE SET {updates}
            """,
            (profile, platform.value, cid, *columns.values()),
        )

    def mark_read(self, refs: Iterable[ConversationRef]) -> None:
        """Seen up to the newest received message stored now."""
        with self._transaction() as db:
            for profile, platform, cid in refs:
                db.execute(
                    """
                    INSERT INTO local_state (profile, platform, conversation_id, read_at)
                    SELECT ?, ?, ?, COALESCE(
                        (SELECT last_received_at FROM conversations
                         WHERE profile = ? AND platform = ? AND id = ?), 0)
                    ON CONFLICT (profile, platform, conversation_id)
                        DO UPDATE SET read_at = excluded.read_at
                    """,
                    (profile, platform.value, cid) * 2,
                )

    def mark_unread(self, refs: Iterable[ConversationRef]) -> None:
        with self._transaction() as db:
            for ref in refs:
                self._set_local(db, ref, read_at=0)

    def set_status_override(
        self, refs: Iterable[ConversationRef], status: ConversationStatus, at: datetime
    ) -> None:
        with self._transaction() as db:
            for ref in refs:
                self._set_local(db, ref, status_override=status.value, override_at=at.timestamp())

    def restore_status_overrides(self, states: Mapping[ConversationRef, LocalState]) -> None:
        """Put back the archive/unarchive overrides of `local_states` (a refused PUT)."""
        with self._transaction() as db:
            for ref, state in states.items():
                self._set_local(
                    db, ref, status_override=state.status_override, override_at=state.override_at
                )

    def snooze(self, refs: Iterable[ConversationRef], until: datetime, at: datetime) -> None:
        with self._transaction() as db:
            for ref in refs:
                self._set_local(db, ref, snoozed_until=until.timestamp(), snoozed_at=at.timestamp())

    def unsnooze(self, refs: Iterable[ConversationRef]) -> None:
        with self._transaction() as db:
            for ref in refs:
                self._set_local(db, ref, snoozed_until=None, snoozed_at=None)

    def local_states(self, refs: Iterable[ConversationRef]) -> dict[ConversationRef, LocalState]:
        out = {}
        with self._lock:
            for ref in refs:
                row = self._db.execute(
                    """SELECT read_at, status_override, override_at, snoozed_until, snoozed_at
                       FROM local_state WHERE profile = ? AND platform = ? AND conversation_id = ?""",
                    (ref[0], ref[1].value, ref[2]),
                ).fetchone()
                out[ref] = LocalState(*row) if row else LocalState()
        return out

    def restore_local_states(self, states: dict[ConversationRef, LocalState]) -> None:
        """Put back what `local_states` returned (undo)."""
        with self._transaction() as db:
            for ref, state in states.items():
                self._set_local(
                    db,
                    ref,
                    read_at=state.read_at,
                    status_override=state.status_override,
                    override_at=state.override_at,
                    snoozed_until=state.snoozed_until,
                    snoozed_at=state.snoozed_at,
                )
