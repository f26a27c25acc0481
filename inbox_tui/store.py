"""The SQLite store: conversations, messages, local state and sync windows.

Local-first: the UI reads only from here. Rows are keyed by (profile, platform, id), upserts
are idempotent and run in one transaction each. What the API does not know (read state, and
later snooze, drafts, outbox) lives in tables that a re-sync never writes.

Thread-safe: one connection guarded by a lock, so callers can use `asyncio.to_thread`
and keep the event loop free.
"""

from __future__ import annotations

import enum
import json
import os
import sqlite3
import threading
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from inbox_tui import schema
from inbox_tui.config.paths import private_dir
from inbox_tui.domain import (
    Attachment,
    Conversation,
    ConversationStatus,
    Direction,
    Message,
    Platform,
)
from inbox_tui.platform_rules import HISTORY_LIMIT, INSTAGRAM_WINDOW, TRUNCATING_PLATFORMS
from inbox_tui.text import clean, clean_line

if TYPE_CHECKING:
    from inbox_tui.search import SearchHit, SearchQuery

PREVIEW_CHARS = 160


class View(enum.StrEnum):
    """What the list shows. Snoozed is local: the API only knows active and archived."""

    ACTIVE = "active"
    ARCHIVED = "archived"
    SNOOZED = "snoozed"

    @property
    def api_status(self) -> ConversationStatus:
        return ConversationStatus.ARCHIVED if self is View.ARCHIVED else ConversationStatus.ACTIVE


ConversationRef = tuple[str, Platform, str]  # (profile, platform, conversation id)


def ref_key(ref: ConversationRef) -> str:
    """A conversation's unique id for widgets (option ids)."""
    profile, platform, cid = ref
    return f"{profile}\x1f{platform.value}\x1f{cid}"


def key_ref(key: str) -> ConversationRef:
    """The inverse of `ref_key`."""
    profile, platform, cid = key.split("\x1f")
    return profile, _PLATFORMS[platform], cid


class StoreVersionError(Exception):
    """The store was written by a newer inbox-tui."""


# The records the store hands out are NamedTuples, not frozen dataclasses: the list reads up to
# 100k rows (a frozen dataclass sets each field through object.__setattr__, 2.3x slower to
# make), and each frozen dataclass costs ~0.6 ms to define on the first frame's import path.


class ConversationRow(NamedTuple):
    """One row of the list pane: a conversation with its derived summary and local state."""

    profile: str
    platform: Platform
    id: str
    status: ConversationStatus  # effective: a local archive/unarchive wins until confirmed
    participant_id: str
    participant_name: str
    last_message_at: datetime | None
    preview: str
    last_direction: Direction | None
    message_count: int
    unread: bool
    snoozed_until: datetime | None = None  # set only while the snooze holds
    last_received_at: datetime | None = None  # their last message (reply windows run from it)
    has_draft: bool = False
    outbox_problem: bool = False  # a reply failed, or may not have gone out
    is_owner: bool | None = None  # Meta: False when another app holds the thread
    can_reply: bool | None = None  # Meta: False when Meta will refuse a reply
    # The sort terms of the list it was read for, as ascending values (see `conversations`):
    # one number for the newest-first order, a tuple for the others.
    order: float | tuple | None = None

    @property
    def key(self) -> str:
        return ref_key(self.ref)

    @property
    def ref(self) -> ConversationRef:
        return self[:3]  # (profile, platform, id): the first three fields


class Thread(NamedTuple):
    messages: list[Message]  # oldest first
    truncated: bool  # the platform's 20-message history limit may hide older messages
    older: int = 0  # stored messages before this window (not read yet)


class LocalState(NamedTuple):
    """Everything only this app knows about a conversation (for undo: taken, then restored)."""

    read_at: float | None = None
    status_override: str | None = None
    override_at: float | None = None
    snoozed_until: float | None = None
    snoozed_at: float | None = None


class Draft(NamedTuple):
    text: str
    media_urls: tuple[str, ...] = ()


class OutboxState(enum.StrEnum):
    QUEUED = "queued"  # stored; the request has not started
    SENDING = "sending"  # the request is under way
    ACCEPTED = "accepted"  # the API took it; waiting to see it in a GET
    SENT = "sent"  # seen in a GET (matched by messageId)
    FAILED = "failed"  # certainly not sent: retrying is safe
    UNKNOWN = "unknown"  # may have gone out: never retried automatically


class OutboxItem(NamedTuple):
    local_id: str
    ref: ConversationRef
    recipient_id: str
    text: str
    media_urls: tuple[str, ...]
    state: OutboxState
    error: str
    message_id: str | None
    created_at: datetime
    attempts: int
    parts: int = 1  # requests the reply takes (Meta: the text, then one per attachment)
    part_ids: tuple[str, ...] = ()  # the message ids of the parts that went out, in order

    @property
    def parts_done(self) -> int:
        return len(self.part_ids)


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


class UpsertResult(NamedTuple):
    changed: set[str]  # conversation ids with new or edited messages
    arrived: list[Message]  # received messages that were not stored before


def _ts(moment: datetime | None) -> float | None:
    return None if moment is None else moment.timestamp()


def _at(value: float) -> datetime:
    """A NOT NULL time column."""
    return datetime.fromtimestamp(value, UTC)


def _dt(value: float | None) -> datetime | None:
    return None if value is None else _at(value)


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


# The unread rule: a received message newer than both what the user saw here (or, for a
# thread never opened here, what the Meta Page read in another inbox) and the brand's own last
# reply (a reply means someone already saw it, in this app or another).
_UNREAD = (
    "(c.last_received_at IS NOT NULL AND c.last_received_at > "
    "MAX(COALESCE(l.read_at, c.remote_read_at, 0), COALESCE(c.last_sent_at, 0)))"
)
_STATUS = "COALESCE(l.status_override, c.status)"
# Snoozed: until the due time, unless they wrote again after it was snoozed. Needs :now.
_SNOOZED = (
    "(l.snoozed_until IS NOT NULL AND l.snoozed_until > :now "
    "AND COALESCE(c.last_received_at, 0) <= l.snoozed_at)"
)
_ROW_COLUMNS = f"""
    c.profile, c.platform, c.id, {_STATUS}, c.participant_id, c.participant_name,
    c.last_message_at, c.last_preview, c.last_direction, c.message_count, {_UNREAD},
    CASE WHEN {_SNOOZED} THEN l.snoozed_until END, c.last_received_at,
    EXISTS (SELECT 1 FROM drafts d
            WHERE d.profile = c.profile AND d.platform = c.platform AND d.conversation_id = c.id),
    EXISTS (SELECT 1 FROM outbox o
            WHERE o.profile = c.profile AND o.platform = c.platform AND o.conversation_id = c.id
              AND o.state IN ('failed', 'unknown')),
    c.is_owner, c.can_reply
"""
_ROW_JOIN = """
    FROM conversations c LEFT JOIN local_state l
      ON l.profile = c.profile AND l.platform = c.platform AND l.conversation_id = c.id
"""
_VIEW_WHERE = {
    View.ACTIVE: f"{_STATUS} = 'active' AND NOT {_SNOOZED}",
    View.ARCHIVED: f"{_STATUS} = 'archived'",
    View.SNOOZED: f"{_STATUS} = 'active' AND {_SNOOZED}",
}


INSTAGRAM_SECONDS = int(INSTAGRAM_WINDOW.total_seconds())
DAY_WINDOW = 24 * 3600  # Meta's standard messaging window, on every platform


def _ascending(expression: str, descending: bool, nullable: bool) -> str:
    """A numeric sort term as a value that sorts the same way ascending (for a row's `order`),
    NULLs where SQLite puts them."""
    if descending:
        expression = f"-({expression})"
    if nullable:
        return f"COALESCE({expression}, {'1e300' if descending else '-1e300'})"
    return expression


# Enum members by value: a dict lookup is ~6x faster than calling the enum, for 100k rows.
_PLATFORMS = {p.value: p for p in Platform}
_STATUSES = {s.value: s for s in ConversationStatus}
_DIRECTIONS = {d.value: d for d in Direction}


def list_position(row: ConversationRow) -> tuple:
    """Where a row sorts, ascending, in the list `conversations` read it for: a row read again
    on its own is put in its place among the others without reading them again."""
    return (row.order, row.profile, row.platform, row.id)


def _row(r: tuple) -> ConversationRow:
    return ConversationRow(  # positional (the field order), as fast as a tuple gets made
        r[0],
        _PLATFORMS[r[1]],
        r[2],
        _STATUSES[r[3]],
        r[4],
        r[5],
        _dt(r[6]),
        r[7],
        _DIRECTIONS[r[8]] if r[8] else None,
        r[9],
        bool(r[10]),
        _dt(r[11]),
        _dt(r[12]),
        bool(r[13]),
        bool(r[14]),
        None if r[15] is None else bool(r[15]),
        None if r[16] is None else bool(r[16]),
        # The sort terms `conversations` adds after the row's columns (a tuple costs 64 bytes a
        # row, 6 MiB in a list of 100k, so the one term of the default order stands alone).
        r[17] if len(r) == 18 else r[17:] or None,
    )


def _one_line(value: object) -> str:
    if not isinstance(value, str) or not value or clean_line(value) != value:
        raise ValueError("must be a non-empty line of printable text")
    return value


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError("must be text")
    return clean(value)


def _platform(value: str) -> str:
    return Platform(value).value


def _moment(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("must be a time (seconds since 1970)")
    if not 0 <= value <= _LAST_MOMENT:
        raise ValueError("is not a time between 1970 and 9999")
    return float(value)


def _optional(check):
    return lambda value: None if value is None else check(value)


def _urls(value: object) -> str:
    urls = json.loads(value) if isinstance(value, str) else None
    if not isinstance(urls, list) or not all(isinstance(u, str) for u in urls):
        raise ValueError("must be a JSON list of URLs")
    return json.dumps([clean_line(u) for u in urls])


def _count(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 1_000_000:
        raise ValueError("must be a whole number from 0 to 1,000,000")
    return value


_LAST_MOMENT = 253_402_300_799  # 9999-12-31 23:59:59 UTC
# Each exported column's check for `import_state` (the value stored, or an error).
_IMPORT_FIELDS = {
    "profile": _one_line,
    "platform": _platform,
    "conversation_id": _one_line,
    "local_id": _one_line,
    "recipient_id": _text,
    "read_at": _optional(_moment),
    "status_override": _optional(lambda v: ConversationStatus(v).value),
    "override_at": _optional(_moment),
    "snoozed_until": _optional(_moment),
    "snoozed_at": _optional(_moment),
    "text": _text,
    "media_urls": _urls,
    "updated_at": _moment,
    "created_at": _moment,
    "state": lambda v: OutboxState(v).value,
    "error": _text,
    "message_id": _optional(_one_line),
    "attempts": _count,
    "parts": lambda v: max(1, _count(v)),
    "part_ids": _urls,  # a JSON list of strings, like the URLs
}
# Columns newer than the first export format: an older export has none.
_IMPORT_DEFAULTS = {"outbox": {"parts": 1, "part_ids": "[]"}}


class Store:
    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        if str(path) != ":memory:":
            private_dir(self.path.parent)
            # Create the file 0600 before SQLite opens it: it holds private conversations.
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            os.close(fd)
            os.chmod(self.path, 0o600)
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._lock = threading.RLock()
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
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
            if version > schema.SCHEMA_VERSION:
                raise StoreVersionError(
                    f"{self.path} was written by a newer inbox-tui (schema {version}, this one "
                    f"knows {schema.SCHEMA_VERSION}). Upgrade inbox-tui, or move the file aside."
                )
            for target in range(version + 1, schema.SCHEMA_VERSION + 1):
                with self._transaction() as db:
                    for statement in schema.statements(schema.MIGRATIONS[target]):
                        db.execute(statement)
                    db.execute(f"PRAGMA user_version = {target}")

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
            for conversation_id in changed:
                self._summarise(db, profile, platform.value, conversation_id)
        return UpsertResult(changed, arrived)

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

    def clear_status_override(self, refs: Iterable[ConversationRef]) -> None:
        with self._transaction() as db:
            for ref in refs:
                self._set_local(db, ref, status_override=None, override_at=None)

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

    # -- moving machines: what only this app knows, as JSON --------------------------------------

    EXPORT_FORMAT = 1
    _EXPORTED = {
        "local_state": "profile, platform, conversation_id, read_at, status_override, override_at, "
        "snoozed_until, snoozed_at",
        "drafts": "profile, platform, conversation_id, text, media_urls, updated_at",
        "outbox": "local_id, profile, platform, conversation_id, recipient_id, text, media_urls, "
        "state, error, message_id, created_at, updated_at, attempts, parts, part_ids",
    }

    def export_state(self) -> dict:
        """Read state, archive overrides, snoozes, drafts and unsent replies (no secrets: the
        store holds none). Synced data is left out: the API gives it back."""
        out: dict = {"format": self.EXPORT_FORMAT}
        with self._lock:
            for table, columns in self._EXPORTED.items():
                where = " WHERE state != 'sent'" if table == "outbox" else ""
                rows = self._db.execute(f"SELECT {columns} FROM {table}{where}").fetchall()
                names = [c.strip() for c in columns.split(",")]
                out[table] = [dict(zip(names, row, strict=True)) for row in rows]
        return out

    def import_state(self, data: dict) -> int:
        """Merge an export in (its rows win over the same keys here). Returns rows taken.

        Every field is checked before anything is written (its type, its range, its enum; text
        is sanitised like anything else from outside): a file that fails changes nothing."""
        if not isinstance(data, dict) or data.get("format") != self.EXPORT_FORMAT:
            raise ValueError("not an inbox-tui state export (or from a newer inbox-tui)")
        rows: list[tuple[str, list[str], list]] = []
        for table, columns in self._EXPORTED.items():
            names = [c.strip() for c in columns.split(",")]
            entries = data.get(table, [])
            if not isinstance(entries, list):
                raise ValueError(f"{table} is not a list")
            for n, row in enumerate(entries):
                if not isinstance(row, dict):
                    raise ValueError(f"{table}[{n}] is not an object")
                row = {**_IMPORT_DEFAULTS.get(table, {}), **row}
                if set(row) != set(names):
                    raise ValueError(f"a {table} entry does not have the expected fields")
                values = []
                for name in names:
                    try:
                        values.append(_IMPORT_FIELDS[name](row[name]))
                    except (TypeError, ValueError, OverflowError, RecursionError) as exc:
                        raise ValueError(f"{table}[{n}].{name}: {exc}") from None
                rows.append((table, names, values))
        with self._transaction() as db:
            for table, names, values in rows:
                db.execute(
                    f"INSERT OR REPLACE INTO {table} ({', '.join(names)}) "
                    f"VALUES ({','.join('?' * len(names))})",
                    values,
                )
        return len(rows)

    def rename_profile(self, old: str, new: str) -> None:
        """A profile's rows follow its new name (they are keyed by it)."""
        with self._transaction() as db:
            for table in (
                "conversations",
                "messages",
                "local_state",
                "sync_windows",
                "drafts",
                "outbox",
            ):
                db.execute(f"UPDATE {table} SET profile = ? WHERE profile = ?", (new, old))

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
        view: View,
        platform: Platform | None = None,
        *,
        now: datetime,
        unread_only: bool = False,
        owned_only: bool = False,
        sort: str = "newest",
        limit: int | None = None,
        day_window_profiles: Iterable[str] = (),
        refs: Iterable[ConversationRef] | None = None,
    ) -> list[ConversationRow]:
        """The list pane's rows. `sort`: "newest" activity first, "unread" first, or "closing":
        open reply windows first, the soonest to close at the top (Instagram's 7 days through
        Ayrshare; 24 hours on every platform of `day_window_profiles`, Meta's).

        `refs`: only these conversations (a few hundred at most: three SQL parameters each),
        those of them that are in the list (the others have left it); each row's `order` says
        where it goes among the rest."""
        params: dict[str, object] = {
            "now": now.timestamp(),
            "platform": platform and platform.value,
        }
        names = []
        for n, profile in enumerate(profiles):
            names.append(f":p{n}")
            params[f"p{n}"] = profile
        # A screenful of the newest: walk the recency index and stop at `limit` (the unary `+`
        # keeps SQLite from taking the profile key instead, which means sorting every row).
        # A whole list is better served by the profile key (one brand of fifty is 2 % of rows).
        early_stop = limit is not None and sort == "newest"
        profile_term = "+c.profile" if early_stop else "c.profile"
        where = [f"{profile_term} IN ({','.join(names)})", _VIEW_WHERE[view]]
        if platform is not None:
            where.append("c.platform = :platform")
        if unread_only:
            where.append(_UNREAD)
        if owned_only:  # Meta: threads another app holds are left out (unknown counts as ours)
            where.append("COALESCE(c.is_owner, 1) = 1")
        if refs is not None:
            wanted = []
            for n, (profile, platform_, cid) in enumerate(refs):
                wanted.append(f"(:rp{n}, :rf{n}, :ri{n})")
                params.update({f"rp{n}": profile, f"rf{n}": platform_.value, f"ri{n}": cid})
            if not wanted:
                return []
            where.append(f"(c.profile, c.platform, c.id) IN (VALUES {','.join(wanted)})")
        day = []
        for n, profile in enumerate(day_window_profiles):
            day.append(f":d{n}")
            params[f"d{n}"] = profile
        closes = (
            f"CASE WHEN c.profile IN ({','.join(day)}) THEN c.last_received_at + {DAY_WINDOW} "
            f"WHEN c.platform = 'instagram' THEN c.last_received_at + {INSTAGRAM_SECONDS} END"
        )
        # The order, as terms: (expression, descending, may be NULL). SQLite puts NULLs first
        # in ascending order and last in descending order.
        terms = {
            "newest": [],
            "unread": [(_UNREAD, True, False)],
            "closing": [(f"coalesce({closes} <= :now, 1)", False, False), (closes, False, True)],
        }[sort] + [("c.last_message_at", True, True)]
        order_by = ", ".join(f"{e} DESC" if desc else e for e, desc, _ in terms)
        sql = (
            f"SELECT {_ROW_COLUMNS}, {', '.join(_ascending(*term) for term in terms)} {_ROW_JOIN} "
            f"WHERE {' AND '.join(where)} ORDER BY {order_by}, c.profile, c.platform, c.id "
            "LIMIT :limit"
        )
        params["limit"] = -1 if limit is None else limit
        with self._lock:
            return [_row(r) for r in self._db.execute(sql, params)]

    def conversation(self, ref: ConversationRef, now: datetime) -> ConversationRow | None:
        sql = (
            f"SELECT {_ROW_COLUMNS} {_ROW_JOIN} "
            "WHERE c.profile = :profile AND c.platform = :platform AND c.id = :id"
        )
        params = {"now": now.timestamp(), "profile": ref[0], "platform": ref[1].value, "id": ref[2]}
        with self._lock:
            row = self._db.execute(sql, params).fetchone()
        return None if row is None else _row(row)

    def unread_counts(self, now: datetime) -> dict[tuple[str, Platform], int]:
        """Unread conversations in the Active view, per profile and platform."""
        sql = (
            f"SELECT c.profile, c.platform, sum({_UNREAD}) {_ROW_JOIN} "
            f"WHERE {_VIEW_WHERE[View.ACTIVE]} GROUP BY 1, 2"
        )
        with self._lock:
            rows = self._db.execute(sql, {"now": now.timestamp()}).fetchall()
        return {(r[0], Platform(r[1])): int(r[2] or 0) for r in rows}

    def setting(self, key: str) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return row and row[0]

    def set_setting(self, key: str, value: str) -> None:
        with self._lock, self._db:
            self._db.execute(
                "INSERT INTO settings VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def next_snooze_due(self, now: datetime) -> datetime | None:
        with self._lock:
            row = self._db.execute(
                "SELECT min(snoozed_until) FROM local_state WHERE snoozed_until > ?",
                (now.timestamp(),),
            ).fetchone()
        return _dt(row[0])

    def thread(
        self, ref: ConversationRef, limit: int | None = None, including: str | None = None
    ) -> Thread:
        """The newest `limit` messages of a conversation (all if None), oldest first.

        `including` widens the window to reach that message (a search hit further back).
        Reading a window keeps opening a 10k-message thread as fast as a short one.
        """
        profile, platform, conversation_id = ref
        key = (profile, platform.value, conversation_id)
        where = "profile = ? AND platform = ? AND conversation_id = ?"
        with self._lock:
            # The count and the first message's side are kept on the conversation's row.
            summary = self._db.execute(
                "SELECT message_count, oldest_direction FROM conversations "
                "WHERE profile = ? AND platform = ? AND id = ?",
                key,
            ).fetchone()
            total, oldest = summary or (0, None)
            if limit is not None and including is not None:
                (newer,) = self._db.execute(
                    """
                    SELECT COUNT(*) FROM messages AS m, messages AS hit
                    WHERE hit.profile = ? AND hit.platform = ? AND hit.id = ?
                    AND m.profile = hit.profile AND m.platform = hit.platform
                    AND m.conversation_id = hit.conversation_id
                    AND (m.created, m.id) >= (hit.created, hit.id)
                    """,
                    (profile, platform.value, including),
                ).fetchone()
                limit = max(limit, newer + limit // 2)
            rows = self._db.execute(
                f"""
                SELECT id, direction, created, sender_id, sender_name, text, attachments,
                    reactions, unavailable, reply_to
                FROM messages WHERE {where}
                ORDER BY created DESC, id DESC LIMIT ?
                """,
                (*key, -1 if limit is None else limit),
            ).fetchall()
        messages = [
            Message(
                platform=platform,
                id=r[0],
                conversation_id=conversation_id,
                direction=Direction(r[1]),
                created=_at(r[2]),
                sender_id=r[3],
                sender_name=r[4],
                text=r[5],
                attachments=tuple(Attachment(t, u) for t, u in json.loads(r[6])),
                reactions=json.loads(r[7]),
                unavailable=bool(r[8]),
                reply_to=r[9],
            )
            for r in reversed(rows)
        ]
        # A thread cannot start with the brand's message (the correspondent writes first), and
        # a full 20 is what the platform's history limit would leave.
        truncated = platform in TRUNCATING_PLATFORMS and bool(
            total and (oldest == Direction.SENT.value or total >= HISTORY_LIMIT)
        )
        return Thread(messages, truncated, older=total - len(messages))

    def search(self, query: SearchQuery, limit: int | None = None) -> list[SearchHit]:
        """Newest matches first: FTS5 walks rowids (time-ordered) downwards and stops at `limit`."""
        from inbox_tui.search import (  # not at start-up
            DEFAULT_LIMIT,
            SearchError,
            SearchHit,
            fts_expression,
        )

        limit = DEFAULT_LIMIT if limit is None else limit
        expression = fts_expression(query)
        if not expression:
            return []
        where, args = ["messages_fts MATCH ?"], list[str | int]([expression])
        if query.profile:  # a case-insensitive prefix: profile:acme finds "Acme Coffee"
            where.append("m.profile LIKE ? ESCAPE '\\'")
            escaped = query.profile.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            args.append(escaped + "%")
        if query.platform is not None:
            where.append("m.platform = ?")
            args.append(query.platform.value)
        if query.after is not None:
            where.append("messages_fts.rowid >= ?")
            args.append(seq_base(query.after))
        if query.before is not None:
            where.append("messages_fts.rowid < ?")
            args.append(seq_base(query.before))
        sql = f"""
            SELECT m.profile, m.platform, m.conversation_id, m.id, m.created, m.direction,
                   m.sender_name, COALESCE(c.participant_name, ''),
                   COALESCE(l.status_override, c.status, 'active'),
                   snippet(messages_fts, 0, char(2), char(3), '…', 12)
            FROM messages_fts
            JOIN messages m ON m.seq = messages_fts.rowid
            LEFT JOIN conversations c
              ON c.profile = m.profile AND c.platform = m.platform AND c.id = m.conversation_id
            LEFT JOIN local_state l
              ON l.profile = m.profile AND l.platform = m.platform AND l.conversation_id = m.conversation_id
            WHERE {" AND ".join(where)}
            ORDER BY messages_fts.rowid DESC LIMIT ?
        """
        with self._lock:
            try:
                rows = self._db.execute(sql, (*args, limit)).fetchall()
            except sqlite3.OperationalError as error:  # an expression FTS5 cannot read
                raise SearchError(
                    f"Can't search for that: {error} (SQLite's full-text search)."
                ) from None
        return [
            SearchHit(
                profile=r[0],
                platform=Platform(r[1]),
                conversation_id=r[2],
                message_id=r[3],
                created=_at(r[4]),
                direction=Direction(r[5]),
                sender_name=r[6],
                participant_name=r[7],
                status=ConversationStatus(r[8]),
                snippet=r[9],
            )
            for r in rows
        ]
