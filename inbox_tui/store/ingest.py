"""Provider data in: conversations and messages upserted (idempotent, one transaction each),
each conversation's summary derived, replies in the outbox matched to what the API lists."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from datetime import datetime

import inbox_tui.store.schema as schema
from inbox_tui.domain import (
    Attachment,
    Conversation,
    ConversationStatus,
    Direction,
    Message,
    Platform,
)
from inbox_tui.store.core import StoreCore
from inbox_tui.store.outbox import UNKNOWN_MATCH_SECONDS
from inbox_tui.store.records import PREVIEW_CHARS, UpsertResult, _at, _ts


def seq_base(moment: datetime) -> int:
    """The first `seq` of a millisecond: messages' rowids follow their time (see schema v2)."""
    return round(moment.timestamp() * 1000) * schema.SEQ_SLOTS


def preview_of(message: Message) -> str:
    if message.text:
        return " ".join(message.text.split())[:PREVIEW_CHARS]
    if message.attachments:
        kinds = ", ".join(a.type for a in message.attachments)
        return f"[{kinds}]"
    return ""


class Ingest(StoreCore):
    # -- writes from sync -----------------------------------------------------------------------

    def upsert_conversations(
        self,
        profile: str,
        platform: Platform,
        status: ConversationStatus,
        conversations: Iterable[Conversation],
        fetched_at: datetime | None = None,
    ) -> set[str]:
        """Store the full `status` list of one platform; returns the ids of the rows that
        changed (new, renamed, moved, or a local archive given up), so the list re-reads those.

        A row we held in `status` that the API no longer lists has moved to the other status
        (archive/unarchive are the only documented transitions). A local archive/unarchive
        stays in force until data fetched after it (`fetched_at`, the API's `lastUpdated`)
        arrives; from then on the API's word stands.
        """
        rows = [
            (
                profile,
                platform.value,
                c.id,
                c.status.value,
                c.participant_id,
                c.participant_name,
                c.participant_picture,
                c.watermark,
                c.is_owner,
                c.can_reply,
                _ts(c.remote_read_at),
            )
            for c in conversations
        ]
        other = (
            ConversationStatus.ARCHIVED
            if status is ConversationStatus.ACTIVE
            else ConversationStatus.ACTIVE
        )
        with self._transaction() as db:
            db.execute("CREATE TEMP TABLE IF NOT EXISTS listed (id TEXT PRIMARY KEY)")
            db.execute("DELETE FROM listed")
            db.executemany("INSERT OR IGNORE INTO listed VALUES (?)", ((r[2],) for r in rows))
            changed: set[str] = set()
            upsert = """
                INSERT INTO conversations (profile, platform, id, status, participant_id,
                    participant_name, participant_picture, watermark, is_owner, can_reply,
                    remote_read_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (profile, platform, id) DO UPDATE SET
                    is_owner = excluded.is_owner,
                    can_reply = excluded.can_reply,
                    remote_read_at = COALESCE(excluded.remote_read_at, remote_read_at),
                    status = excluded.status,
                    participant_id = CASE WHEN excluded.participant_id != ''
                        THEN excluded.participant_id ELSE participant_id END,
                    participant_name = CASE WHEN excluded.participant_name != ''
                        THEN excluded.participant_name ELSE participant_name END,
                    participant_picture = excluded.participant_picture,
                    watermark = excluded.watermark
                WHERE (is_owner, can_reply, status, participant_picture, watermark) IS NOT
                      (excluded.is_owner, excluded.can_reply, excluded.status,
                       excluded.participant_picture, excluded.watermark)
                   OR excluded.remote_read_at IS NOT remote_read_at
                      AND excluded.remote_read_at IS NOT NULL
                   OR excluded.participant_id NOT IN ('', participant_id)
                   OR excluded.participant_name NOT IN ('', participant_name)
                RETURNING id
                """
            for row in rows:  # one by one: executemany cannot return the rows that changed
                changed.update(r[0] for r in db.execute(upsert, row))
            moved = db.execute(
                """
                UPDATE conversations SET status = ?
                WHERE profile = ? AND platform = ? AND status = ?
                  AND id NOT IN (SELECT id FROM listed)
                RETURNING id
                """,
                (other.value, profile, platform.value, status.value),
            )
            changed.update(r[0] for r in moved)
            if fetched_at is not None:
                given_up = db.execute(
                    """
                    UPDATE local_state SET status_override = NULL, override_at = NULL
                    WHERE profile = ? AND platform = ? AND override_at < ?
                    RETURNING conversation_id
                    """,
                    (profile, platform.value, fetched_at.timestamp()),
                )
                changed.update(r[0] for r in given_up)
            return changed

    def upsert_messages(
        self,
        profile: str,
        platform: Platform,
        messages: Iterable[Message],
        status: ConversationStatus = ConversationStatus.ACTIVE,
    ) -> UpsertResult:
        """Store messages, create placeholder conversations, refresh summaries."""
        messages = list(messages)
        placeholders: dict[str, tuple[str, ...]] = {}
        for m in messages:
            if m.conversation_id not in placeholders or (
                m.correspondent_name and not placeholders[m.conversation_id][5]
            ):
                placeholders[m.conversation_id] = (
                    profile,
                    platform.value,
                    m.conversation_id,
                    status.value,
                    m.correspondent_id,
                    m.correspondent_name,
                )
        changed: set[str] = set()
        arrived: list[Message] = []
        newest: dict[str, Message] = {}
        for m in messages:  # one id listed twice (a server's bug): its newest copy is kept
            if m.id not in newest or m.created > newest[m.id].created:
                newest[m.id] = m
        rows = {
            mid: (
                m,
                (
                    m.text,
                    json.dumps([[a.type, a.url] for a in m.attachments], ensure_ascii=False),
                    json.dumps(m.reactions, ensure_ascii=False),
                    m.sender_name,
                ),
            )
            for mid, m in newest.items()
        }
        with self._transaction() as db:
            stored = self._stored_contents(db, profile, platform.value, list(rows))
            inserts, updates = [], []
            taken: dict[int, int] = {}  # seq base -> the highest seq used in this batch
            for mid, (m, values) in rows.items():
                if mid in stored:
                    if m.unavailable:
                        continue  # listed bare now (past Meta's 20): keep what we read before
                    if stored[mid] != values:  # an edit, or a new reaction
                        updates.append((*values, profile, platform.value, mid))
                        changed.add(m.conversation_id)
                    continue
                seq = self._free_seq(db, seq_base(m.created), taken)
                inserts.append(
                    (
                        seq,
                        profile,
                        platform.value,
                        mid,
                        m.conversation_id,
                        m.direction.value,
                        m.created.timestamp(),
                        m.sender_id,
                        *values,
                        int(m.unavailable),
                        m.reply_to,
                    )
                )
                changed.add(m.conversation_id)
                if m.direction is Direction.RECEIVED and not m.unavailable:
                    arrived.append(m)
            db.executemany(
                """
                INSERT INTO messages (seq, profile, platform, id, conversation_id, direction,
                    created, sender_id, text, attachments, reactions, sender_name, unavailable,
                    reply_to)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                inserts,
            )
            db.executemany(
                """
                UPDATE messages SET text = ?, attachments = ?, reactions = ?, sender_name = ?
                WHERE profile = ? AND platform = ? AND id = ?
                """,
                updates,
            )
            self._reconcile_outbox(
                db, profile, platform.value, [row for row in inserts if row[5] == "sent"]
            )
            db.executemany(
                """
                INSERT INTO conversations (profile, platform, id, status, participant_id,
                    participant_name) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (profile, platform, id) DO UPDATE SET
                    participant_name = CASE WHEN participant_name = ''
                        THEN excluded.participant_name ELSE participant_name END,
                    participant_id = CASE WHEN participant_id = ''
                        THEN excluded.participant_id ELSE participant_id END
                """,
                list(placeholders.values()),
            )
            reopened = self._written_to_in_archive(db, profile, platform.value, arrived)
            for conversation_id in changed:
                self._summarise(db, profile, platform.value, conversation_id)
        return UpsertResult(changed, arrived, reopened)

    @staticmethod
    def _written_to_in_archive(
        db: sqlite3.Connection, profile: str, platform: str, arrived: list[Message]
    ) -> set[str]:
        """Of the conversations `arrived` messages are in, those archived (here or by the API)
        that had messages, all older than the new one: the customer wrote again (a first
        sync's history is not that). Read before the summaries take the new messages in."""
        newest: dict[str, float] = {}
        for m in arrived:
            newest[m.conversation_id] = max(newest.get(m.conversation_id, 0), m.created.timestamp())
        found = set()
        for conversation_id, at in newest.items():
            row = db.execute(
                f"SELECT c.last_message_at, {schema.STATUS} FROM conversations c "
                "LEFT JOIN local_state l ON l.profile = c.profile AND l.platform = c.platform "
                "AND l.conversation_id = c.id WHERE c.profile = ? AND c.platform = ? AND c.id = ?",
                (profile, platform, conversation_id),
            ).fetchone()
            if row and row[1] == "archived" and row[0] is not None and row[0] < at:
                found.add(conversation_id)
        return found

    @staticmethod
    def _reconcile_outbox(
        db: sqlite3.Connection, profile: str, platform: str, sent_rows: list
    ) -> None:
        """Replies that came back in a GET are sent: by messageId, or, for one whose fate was
        unknown (no messageId), by the same text in the same conversation soon after."""
        for row in sent_rows:
            mid, cid, created, text = row[3], row[4], row[6], row[8]
            matched = db.execute(
                "UPDATE outbox SET state = 'sent', updated_at = ? "
                "WHERE profile = ? AND platform = ? AND message_id = ? AND state != 'sent'",
                (created, profile, platform, mid),
            ).rowcount
            if not matched:
                db.execute(
                    """
                    UPDATE outbox SET state = 'sent', message_id = ?, updated_at = ?
                    WHERE local_id = (
                        SELECT local_id FROM outbox
                        WHERE profile = ? AND platform = ? AND conversation_id = ?
                          AND state = 'unknown' AND parts = 1 AND text = ?
                          AND ? BETWEEN created_at - 120 AND created_at + ?
                        ORDER BY created_at LIMIT 1)
                    """,
                    (mid, created, profile, platform, cid, text, created, UNKNOWN_MATCH_SECONDS),
                )

    @staticmethod
    def _stored_contents(
        db: sqlite3.Connection, profile: str, platform: str, ids: list[str]
    ) -> dict[str, tuple]:
        """What is stored for these message ids: one query per 500, not one per message."""
        out: dict[str, tuple] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            out.update(
                (r[0], r[1:])
                for r in db.execute(
                    f"""SELECT id, text, attachments, reactions, sender_name FROM messages
                        WHERE profile = ? AND platform = ? AND id IN ({",".join("?" * len(chunk))})""",
                    (profile, platform, *chunk),
                )
            )
        return out

    @staticmethod
    def _free_seq(db: sqlite3.Connection, base: int, taken: dict[int, int]) -> int:
        """The next free `seq` of a millisecond (its 1024 slots), counting this batch's own."""
        top = taken.get(base)
        if top is None:
            top = db.execute(
                "SELECT max(seq) FROM messages WHERE seq BETWEEN ? AND ?",
                (base, base + schema.SEQ_SLOTS - 1),
            ).fetchone()[0]
        seq = base if top is None else top + 1
        taken[base] = seq
        return seq

    @staticmethod
    def _summarise(db: sqlite3.Connection, profile: str, platform: str, cid: str) -> None:
        key = (profile, platform, cid)
        where = "profile = ? AND platform = ? AND conversation_id = ?"
        last = db.execute(
            f"SELECT created, direction, text, attachments FROM messages WHERE {where} "
            "AND NOT unavailable ORDER BY created DESC LIMIT 1",
            key,
        ).fetchone()
        if last is None:
            return
        oldest = db.execute(
            f"SELECT direction FROM messages WHERE {where} ORDER BY created, id LIMIT 1", key
        ).fetchone()
        stats = db.execute(
            f"""SELECT count(*),
                   max(CASE WHEN direction = 'received' AND NOT unavailable THEN created END),
                   max(CASE WHEN direction = 'sent' AND NOT unavailable THEN created END)
                FROM messages WHERE {where}""",
            key,
        ).fetchone()
        attachments = tuple(Attachment(t, u) for t, u in json.loads(last[3]))
        preview = preview_of(
            Message(
                Platform(platform),
                "",
                cid,
                Direction(last[1]),
                _at(last[0]),
                "",
                "",
                last[2],
                attachments,
            )
        )
        db.execute(
            """
            UPDATE conversations SET last_message_at = ?, last_direction = ?, last_preview = ?,
                message_count = ?, last_received_at = ?, last_sent_at = ?, oldest_direction = ?
            WHERE profile = ? AND platform = ? AND id = ?
            """,
            (last[0], last[1], preview, stats[0], stats[1], stats[2], oldest[0], *key),
        )
