"""Drafts (one per conversation, saved on every change) and the outbox: each reply, in its
parts, with its state from queued to sent (see `inbox_tui.outbox` for the policy)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from datetime import datetime

from inbox_tui.domain import Platform
from inbox_tui.store.core import StoreCore
from inbox_tui.store.records import ConversationRef, Draft, OutboxItem, OutboxState, _at


def _outbox_item(r: tuple) -> OutboxItem:
    return OutboxItem(
        local_id=r[0],
        ref=(r[1], Platform(r[2]), r[3]),
        recipient_id=r[4],
        text=r[5],
        media_urls=tuple(json.loads(r[6])),
        state=OutboxState(r[7]),
        error=r[8],
        message_id=r[9],
        created_at=_at(r[10]),
        attempts=r[11],
        parts=r[12],
        part_ids=tuple(json.loads(r[13])),
    )


_OUTBOX_COLUMNS = (
    "local_id, profile, platform, conversation_id, recipient_id, text, media_urls, state, "
    "error, message_id, created_at, attempts, parts, part_ids"
)
# An outbox row whose state says "may have gone out" is matched to a sent message with the
# same text that appears within this long after it.
UNKNOWN_MATCH_SECONDS = 600


class DraftsAndOutbox(StoreCore):
    # -- drafts and the outbox ------------------------------------------------------------------

    def save_draft(self, ref: ConversationRef, draft: Draft, at: datetime) -> None:
        """Keep what the user is writing; an empty draft is removed."""
        profile, platform, cid = ref
        with self._transaction() as db:
            if not draft.text.strip() and not draft.media_urls:
                db.execute(
                    "DELETE FROM drafts WHERE profile = ? AND platform = ? AND conversation_id = ?",
                    (profile, platform.value, cid),
                )
                return
            db.execute(
                "INSERT OR REPLACE INTO drafts VALUES (?, ?, ?, ?, ?, ?)",
                (
                    profile,
                    platform.value,
                    cid,
                    draft.text,
                    json.dumps(list(draft.media_urls)),
                    at.timestamp(),
                ),
            )

    def draft(self, ref: ConversationRef) -> Draft | None:
        with self._lock:
            row = self._db.execute(
                "SELECT text, media_urls FROM drafts WHERE profile = ? AND platform = ? AND conversation_id = ?",
                (ref[0], ref[1].value, ref[2]),
            ).fetchone()
        return None if row is None else Draft(row[0], tuple(json.loads(row[1])))

    def outbox_add(
        self, ref: ConversationRef, recipient_id: str, draft: Draft, at: datetime, parts: int = 1
    ) -> OutboxItem:
        """Store a reply before any request is made; its draft goes in the same transaction."""
        profile, platform, cid = ref
        local_id = uuid.uuid4().hex
        with self._transaction() as db:
            db.execute(
                """
                INSERT INTO outbox (local_id, profile, platform, conversation_id, recipient_id,
                    text, media_urls, state, created_at, updated_at, parts)
                VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?)
                """,
                (
                    local_id,
                    profile,
                    platform.value,
                    cid,
                    recipient_id,
                    draft.text,
                    json.dumps(list(draft.media_urls)),
                    at.timestamp(),
                    at.timestamp(),
                    parts,
                ),
            )
            db.execute(
                "DELETE FROM drafts WHERE profile = ? AND platform = ? AND conversation_id = ?",
                (profile, platform.value, cid),
            )
        item = self.outbox_item(local_id)
        assert item is not None  # written just above
        return item

    def outbox_item(self, local_id: str) -> OutboxItem | None:
        with self._lock:
            row = self._db.execute(
                f"SELECT {_OUTBOX_COLUMNS} FROM outbox WHERE local_id = ?", (local_id,)
            ).fetchone()
        return None if row is None else _outbox_item(row)

    def outbox_claim(
        self, local_id: str, states: Iterable[OutboxState], at: datetime
    ) -> OutboxItem | None:
        """Take an item for a request: `sending` if it is in one of `states`, in one statement,
        so of two attempts at once (R pressed twice) exactly one gets it; None for the other."""
        allowed = [state.value for state in states]
        with self._transaction() as db:
            row = db.execute(
                f"""
                UPDATE outbox SET state = 'sending', error = '', updated_at = ?,
                    attempts = attempts + 1
                WHERE local_id = ? AND state IN ({", ".join("?" * len(allowed))})
                RETURNING {_OUTBOX_COLUMNS}
                """,
                (at.timestamp(), local_id, *allowed),
            ).fetchone()
        return None if row is None else _outbox_item(row)

    def outbox_part_sent(self, local_id: str, message_id: str, at: datetime) -> None:
        """One part of a reply went out: a retry starts after it."""
        with self._transaction() as db:
            db.execute(
                """
                UPDATE outbox SET part_ids = json_insert(part_ids, '$[#]', ?), updated_at = ?
                WHERE local_id = ?
                """,
                (message_id, at.timestamp(), local_id),
            )

    def outbox_update(
        self,
        local_id: str,
        state: OutboxState,
        at: datetime,
        *,
        error: str = "",
        message_id: str | None = None,
        attempt: bool = False,
    ) -> None:
        with self._transaction() as db:
            db.execute(
                """
                UPDATE outbox SET state = ?, error = ?, updated_at = ?,
                    message_id = COALESCE(?, message_id), attempts = attempts + ?
                WHERE local_id = ? AND state != 'sent'
                """,
                (state.value, error, at.timestamp(), message_id, int(attempt), local_id),
            )

    def outbox_for(self, ref: ConversationRef) -> list[OutboxItem]:
        """A conversation's replies that are not yet seen in a GET, oldest first."""
        with self._lock:
            rows = self._db.execute(
                f"""SELECT {_OUTBOX_COLUMNS} FROM outbox
                    WHERE profile = ? AND platform = ? AND conversation_id = ? AND state != 'sent'
                    ORDER BY created_at""",
                (ref[0], ref[1].value, ref[2]),
            ).fetchall()
        return [_outbox_item(r) for r in rows]

    def outbox_discard(self, local_id: str, at: datetime) -> Draft | None:
        """Drop a reply that did not go out; its text goes back to the draft (nothing is lost)."""
        with self._transaction() as db:
            row = db.execute(
                f"SELECT {_OUTBOX_COLUMNS} FROM outbox WHERE local_id = ? AND state IN ('failed', 'unknown')",
                (local_id,),
            ).fetchone()
            if row is None:
                return None
            item = _outbox_item(row)
            old = db.execute(
                "SELECT text, media_urls FROM drafts WHERE profile = ? AND platform = ? AND conversation_id = ?",
                (row[1], row[2], row[3]),
            ).fetchone()
            text = item.text if old is None or not old[0] else f"{old[0]}\n{item.text}"
            media = tuple(
                dict.fromkeys((*json.loads(old[1]), *item.media_urls) if old else item.media_urls)
            )
            db.execute(
                "INSERT OR REPLACE INTO drafts VALUES (?, ?, ?, ?, ?, ?)",
                (row[1], row[2], row[3], text, json.dumps(list(media)), at.timestamp()),
            )
            db.execute("DELETE FROM outbox WHERE local_id = ?", (local_id,))
        return Draft(text, media)

    def recover_outbox(self, at: datetime) -> int:
        """After a stop mid-send (a crash, a kill): never guess. A reply whose request was under
        way may have gone out (unknown); one whose request never started did not (failed)."""
        with self._transaction() as db:
            unknown = db.execute(
                "UPDATE outbox SET state = 'unknown', updated_at = ?, error = ? WHERE state = 'sending'",
                (
                    at.timestamp(),
                    "inbox-tui stopped while this was being sent: it may have gone out.",
                ),
            ).rowcount
            failed = db.execute(
                "UPDATE outbox SET state = 'failed', updated_at = ?, error = ? WHERE state = 'queued'",
                (at.timestamp(), "Not sent: inbox-tui stopped before sending it."),
            ).rowcount
        return unknown + failed

    def replied_conversations(self, profile: str, since: datetime) -> set[tuple[Platform, str]]:
        """Conversations this profile replied to since then (sent, or a reply under way)."""
        with self._lock:
            rows = self._db.execute(
                """
                SELECT platform, conversation_id FROM messages
                WHERE profile = ? AND direction = 'sent' AND created >= ?
                UNION
                SELECT platform, conversation_id FROM outbox
                WHERE profile = ? AND created_at >= ? AND state != 'failed'
                """,
                (profile, since.timestamp(), profile, since.timestamp()),
            ).fetchall()
        return {(Platform(r[0]), r[1]) for r in rows}
