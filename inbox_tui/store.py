"""The SQLite store: conversations, messages, local state and sync windows.

Local-first: the UI reads only from here. Rows are keyed by (profile, platform, id), upserts
are idempotent and run in one transaction each. What the API does not know (read state, and
later snooze, drafts, outbox) lives in tables that a re-sync never writes.

Thread-safe: one connection guarded by a lock, so callers can use `asyncio.to_thread`
and keep the event loop free.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from inbox_tui.domain import (
    Attachment,
    Conversation,
    ConversationStatus,
    Direction,
    Message,
    Platform,
)

SCHEMA_VERSION = 1
PREVIEW_CHARS = 160
# Facebook and Instagram return only the last 20 messages of threads that existed before
# messaging was enabled.
HISTORY_LIMIT = 20
TRUNCATING_PLATFORMS = (Platform.FACEBOOK, Platform.INSTAGRAM)

_MIGRATIONS: dict[int, str] = {
    1: """
    CREATE TABLE conversations (
        profile TEXT NOT NULL,
        platform TEXT NOT NULL,
        id TEXT NOT NULL,
        status TEXT NOT NULL,
        participant_id TEXT NOT NULL DEFAULT '',
        participant_name TEXT NOT NULL DEFAULT '',
        participant_picture TEXT NOT NULL DEFAULT '',
        watermark INTEGER,
        -- derived from messages on every upsert:
        last_message_at REAL,
        last_preview TEXT NOT NULL DEFAULT '',
        last_direction TEXT,
        last_received_at REAL,
        last_sent_at REAL,
        message_count INTEGER NOT NULL DEFAULT 0,
        oldest_direction TEXT,
        PRIMARY KEY (profile, platform, id)
    ) WITHOUT ROWID;
    CREATE INDEX conversations_by_activity
        ON conversations (profile, status, last_message_at DESC);
    CREATE INDEX conversations_by_status_activity ON conversations (status, last_message_at DESC);

    CREATE TABLE messages (
        profile TEXT NOT NULL,
        platform TEXT NOT NULL,
        id TEXT NOT NULL,
        conversation_id TEXT NOT NULL,
        direction TEXT NOT NULL,
        created REAL NOT NULL,
        sender_id TEXT NOT NULL DEFAULT '',
        sender_name TEXT NOT NULL DEFAULT '',
        text TEXT NOT NULL DEFAULT '',
        attachments TEXT NOT NULL DEFAULT '[]',
        reactions TEXT NOT NULL DEFAULT '{}',
        PRIMARY KEY (profile, platform, id)
    ) WITHOUT ROWID;
    CREATE INDEX messages_by_thread ON messages (profile, platform, conversation_id, created);

    -- What only this app knows. Never written by sync.
    CREATE TABLE local_state (
        profile TEXT NOT NULL,
        platform TEXT NOT NULL,
        conversation_id TEXT NOT NULL,
        read_at REAL,  -- the newest received message time the user has seen
        PRIMARY KEY (profile, platform, conversation_id)
    ) WITHOUT ROWID;

    -- Each stream's cache window, so that even a restart never asks before nextUpdate.
    CREATE TABLE sync_windows (
        profile TEXT NOT NULL,
        stream TEXT NOT NULL,
        last_updated REAL,
        next_update REAL,
        PRIMARY KEY (profile, stream)
    ) WITHOUT ROWID;
    """,
}


class StoreVersionError(Exception):
    """The store was written by a newer inbox-tui."""


@dataclass(frozen=True, slots=True)
class ConversationRow:
    """One row of the list pane: a conversation with its derived summary."""

    profile: str
    platform: Platform
    id: str
    status: ConversationStatus
    participant_id: str
    participant_name: str
    last_message_at: datetime | None
    preview: str
    last_direction: Direction | None
    message_count: int
    unread: bool

    @property
    def key(self) -> str:
        """A unique id for widgets: profile, platform and conversation id."""
        return f"{self.profile}\x1f{self.platform.value}\x1f{self.id}"


@dataclass(frozen=True, slots=True)
class Thread:
    messages: list[Message]  # oldest first
    truncated: bool  # the platform's 20-message history limit may hide older messages


def _ts(moment: datetime | None) -> float | None:
    return None if moment is None else moment.timestamp()


def _dt(value: float | None) -> datetime | None:
    return None if value is None else datetime.fromtimestamp(value, UTC)


def preview_of(message: Message) -> str:
    if message.text:
        return " ".join(message.text.split())[:PREVIEW_CHARS]
    if message.attachments:
        kinds = ", ".join(a.type for a in message.attachments)
        return f"[{kinds}]"
    return ""


# The unread rule: a received message newer than both what the user saw here and the brand's
# own last reply (a reply means someone already saw it, in this app or another).
_UNREAD = (
    "(c.last_received_at IS NOT NULL AND c.last_received_at > "
    "MAX(COALESCE(l.read_at, 0), COALESCE(c.last_sent_at, 0)))"
)
_ROW_COLUMNS = f"""
    c.profile, c.platform, c.id, c.status, c.participant_id, c.participant_name,
    c.last_message_at, c.last_preview, c.last_direction, c.message_count, {_UNREAD}
"""
_ROW_JOIN = """
    FROM conversations c LEFT JOIN local_state l
      ON l.profile = c.profile AND l.platform = c.platform AND l.conversation_id = c.id
"""


def _row(r: tuple) -> ConversationRow:
    return ConversationRow(
        profile=r[0],
        platform=Platform(r[1]),
        id=r[2],
        status=ConversationStatus(r[3]),
        participant_id=r[4],
        participant_name=r[5],
        last_message_at=_dt(r[6]),
        preview=r[7],
        last_direction=Direction(r[8]) if r[8] else None,
        message_count=r[9],
        unread=bool(r[10]),
    )


class Store:
    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # Create the file 0600 before SQLite opens it: it holds private conversations.
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            os.close(fd)
            os.chmod(self.path, 0o600)
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._lock = threading.RLock()
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._migrate()

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _migrate(self) -> None:
        with self._lock:
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise StoreVersionError(
                    f"{self.path} was written by a newer inbox-tui (schema {version}, this one "
                    f"knows {SCHEMA_VERSION}). Upgrade inbox-tui, or move the file aside."
                )
            for target in range(version + 1, SCHEMA_VERSION + 1):
                with self._transaction() as db:
                    for statement in _MIGRATIONS[target].split(";"):
                        if statement.strip():
                            db.execute(statement)
                    db.execute(f"PRAGMA user_version = {target}")

    # -- writes from sync -----------------------------------------------------------------------

    def upsert_conversations(
        self,
        profile: str,
        platform: Platform,
        status: ConversationStatus,
        conversations: Iterable[Conversation],
    ) -> None:
        """Store the full `status` list of one platform.

        A row we held in `status` that the API no longer lists has moved to the other status
        (archive/unarchive are the only documented transitions).
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
            db.executemany(
                """
                INSERT INTO conversations (profile, platform, id, status, participant_id,
                    participant_name, participant_picture, watermark)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (profile, platform, id) DO UPDATE SET
                    status = excluded.status,
                    participant_id = CASE WHEN excluded.participant_id != ''
                        THEN excluded.participant_id ELSE participant_id END,
                    participant_name = CASE WHEN excluded.participant_name != ''
                        THEN excluded.participant_name ELSE participant_name END,
                    participant_picture = excluded.participant_picture,
                    watermark = excluded.watermark
                """,
                rows,
            )
            db.execute(
                """
                UPDATE conversations SET status = ?
                WHERE profile = ? AND platform = ? AND status = ?
                  AND id NOT IN (SELECT id FROM listed)
                """,
                (other.value, profile, platform.value, status.value),
            )

    def upsert_messages(
        self,
        profile: str,
        platform: Platform,
        messages: Iterable[Message],
        status: ConversationStatus = ConversationStatus.ACTIVE,
    ) -> set[str]:
        """Store messages, create placeholder conversations, refresh summaries.

        Returns the ids of conversations that gained messages they did not have.
        """
        messages = list(messages)
        rows = [
            (
                profile,
                platform.value,
                m.id,
                m.conversation_id,
                m.direction.value,
                m.created.timestamp(),
                m.sender_id,
                m.sender_name,
                m.text,
                json.dumps([[a.type, a.url] for a in m.attachments], ensure_ascii=False),
                json.dumps(m.reactions, ensure_ascii=False),
            )
            for m in messages
        ]
        placeholders = {}
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
        with self._transaction() as db:
            before = db.total_changes
            changed: set[str] = set()
            for row in rows:
                db.execute(
                    """
                    INSERT INTO messages VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (profile, platform, id) DO UPDATE SET
                        text = excluded.text, attachments = excluded.attachments,
                        reactions = excluded.reactions, sender_name = excluded.sender_name
                    WHERE text != excluded.text OR attachments != excluded.attachments
                       OR reactions != excluded.reactions OR sender_name != excluded.sender_name
                    """,
                    row,
                )
                if db.total_changes != before:
                    changed.add(row[3])
                    before = db.total_changes
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
            for conversation_id in changed:
                self._summarise(db, profile, platform.value, conversation_id)
        return changed

    @staticmethod
    def _summarise(db: sqlite3.Connection, profile: str, platform: str, cid: str) -> None:
        key = (profile, platform, cid)
        where = "profile = ? AND platform = ? AND conversation_id = ?"
        last = db.execute(
            f"SELECT created, direction, text, attachments FROM messages WHERE {where} "
            "ORDER BY created DESC LIMIT 1",
            key,
        ).fetchone()
        if last is None:
            return
        oldest = db.execute(
            f"SELECT direction FROM messages WHERE {where} ORDER BY created ASC LIMIT 1", key
        ).fetchone()
        stats = db.execute(
            f"""SELECT count(*),
                   max(CASE WHEN direction = 'received' THEN created END),
                   max(CASE WHEN direction = 'sent' THEN created END)
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
                _dt(last[0]),
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

    # -- local state ----------------------------------------------------------------------------

    def mark_read(self, profile: str, platform: Platform, conversation_id: str) -> None:
        """Seen up to the newest received message stored now."""
        with self._transaction() as db:
            db.execute(
                """
                INSERT INTO local_state (profile, platform, conversation_id, read_at)
                SELECT ?, ?, ?, COALESCE(
                    (SELECT last_received_at FROM conversations
                     WHERE profile = ? AND platform = ? AND id = ?), 0)
                ON CONFLICT (profile, platform, conversation_id)
                    DO UPDATE SET read_at = excluded.read_at
                """,
                (profile, platform.value, conversation_id) * 2,
            )

    def mark_unread(self, profile: str, platform: Platform, conversation_id: str) -> None:
        with self._transaction() as db:
            db.execute(
                """
                INSERT INTO local_state (profile, platform, conversation_id, read_at)
                VALUES (?, ?, ?, 0)
                ON CONFLICT (profile, platform, conversation_id) DO UPDATE SET read_at = 0
                """,
                (profile, platform.value, conversation_id),
            )

    # -- sync windows ---------------------------------------------------------------------------

    def save_window(
        self, profile: str, stream: str, last_updated: datetime | None, next_update: datetime | None
    ) -> None:
        with self._transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO sync_windows VALUES (?, ?, ?, ?)",
                (profile, stream, _ts(last_updated), _ts(next_update)),
            )

    def windows(self) -> dict[tuple[str, str], tuple[datetime | None, datetime | None]]:
        with self._lock:
            rows = self._db.execute("SELECT * FROM sync_windows").fetchall()
        return {(r[0], r[1]): (_dt(r[2]), _dt(r[3])) for r in rows}

    # -- reads for the UI -----------------------------------------------------------------------

    def conversations(
        self,
        profiles: Iterable[str],
        status: ConversationStatus,
        platform: Platform | None = None,
    ) -> list[ConversationRow]:
        """The list pane's rows, newest activity first."""
        profiles = list(profiles)
        sql = (
            f"SELECT {_ROW_COLUMNS} {_ROW_JOIN} WHERE c.status = ? "
            f"AND c.profile IN ({','.join('?' * len(profiles))})"
        )
        args: list = [status.value, *profiles]
        if platform is not None:
            sql += " AND c.platform = ?"
            args.append(platform.value)
        sql += " ORDER BY c.last_message_at IS NULL, c.last_message_at DESC, c.id"
        with self._lock:
            return [_row(r) for r in self._db.execute(sql, args)]

    def conversation(self, profile: str, platform: Platform, cid: str) -> ConversationRow | None:
        sql = (
            f"SELECT {_ROW_COLUMNS} {_ROW_JOIN} WHERE c.profile = ? AND c.platform = ? AND c.id = ?"
        )
        with self._lock:
            row = self._db.execute(sql, (profile, platform.value, cid)).fetchone()
        return None if row is None else _row(row)

    def unread_counts(
        self, status: ConversationStatus = ConversationStatus.ACTIVE
    ) -> dict[tuple[str, Platform], int]:
        sql = f"SELECT c.profile, c.platform, sum({_UNREAD}) {_ROW_JOIN} WHERE c.status = ? GROUP BY 1, 2"
        with self._lock:
            rows = self._db.execute(sql, (status.value,)).fetchall()
        return {(r[0], Platform(r[1])): int(r[2] or 0) for r in rows}

    def thread(self, profile: str, platform: Platform, conversation_id: str) -> Thread:
        with self._lock:
            rows = self._db.execute(
                """
                SELECT id, direction, created, sender_id, sender_name, text, attachments, reactions
                FROM messages WHERE profile = ? AND platform = ? AND conversation_id = ?
                ORDER BY created, id
                """,
                (profile, platform.value, conversation_id),
            ).fetchall()
        messages = [
            Message(
                platform=platform,
                id=r[0],
                conversation_id=conversation_id,
                direction=Direction(r[1]),
                created=_dt(r[2]),
                sender_id=r[3],
                sender_name=r[4],
                text=r[5],
                attachments=tuple(Attachment(t, u) for t, u in json.loads(r[6])),
                reactions=json.loads(r[7]),
            )
            for r in rows
        ]
        truncated = (
            platform in TRUNCATING_PLATFORMS
            and bool(messages)
            and (
                # A thread cannot start with the brand's message (the correspondent writes first),
                # and a full 20 is what the limit would leave.
                messages[0].direction is Direction.SENT or len(messages) >= HISTORY_LIMIT
            )
        )
        return Thread(messages, truncated)
