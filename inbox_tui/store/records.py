"""The records the store hands out, and how its columns convert to them.

NamedTuples, not frozen dataclasses: the list reads up to 100k rows (a frozen dataclass sets
each field through object.__setattr__, 2.3x slower to make), and each frozen dataclass costs
~0.6 ms to define on the first frame's import path.
"""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import NamedTuple

from inbox_tui.domain import ConversationStatus, Direction, Message, Platform

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
    labels: tuple[str, ...] = ()  # by name
    # The sort terms of the list it was read for, as ascending values (see `conversations`):
    # one number for the newest-first order, a tuple for the others.
    order: float | tuple | None = None

    @property
    def key(self) -> str:
        return ref_key(self.ref)

    @property
    def ref(self) -> ConversationRef:
        return self[:3]  # (profile, platform, id): the first three fields

    @property
    def needs_reply(self) -> bool:
        """The customer wrote last: no reply since, here or from another inbox (the store's
        `WAITING`)."""
        return self.last_direction is Direction.RECEIVED


class SyncWindow(NamedTuple):
    """What a stream's last fetch left for the next: the API's cache window, and the backoff
    after an error (`failures` in a row; `retry_at` not before; `error` its words)."""

    last_updated: datetime | None
    next_update: datetime | None
    retry_at: datetime | None = None
    failures: int = 0
    error: str = ""


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


class UpsertResult(NamedTuple):
    changed: set[str]  # conversation ids with new or edited messages
    arrived: list[Message]  # received messages that were not stored before
    # Archived conversations that the customer wrote to again (a received message newer than
    # any stored before it): the sync engine brings them back to Active, if so set.
    reopened: set[str] = set()


def _ts(moment: datetime | None) -> float | None:
    return None if moment is None else moment.timestamp()


def _at(value: float) -> datetime:
    """A NOT NULL time column."""
    return datetime.fromtimestamp(value, UTC)


def _dt(value: float | None) -> datetime | None:
    return None if value is None else _at(value)


# Enum members by value: a dict lookup is ~6x faster than calling the enum, for 100k rows.
_PLATFORMS = {p.value: p for p in Platform}
_STATUSES = {s.value: s for s in ConversationStatus}
_DIRECTIONS = {d.value: d for d in Direction}


def list_position(row: ConversationRow) -> tuple:
    """Where a row sorts, ascending, in the list `conversations` read it for: rows read apart
    (a selection's, a range's ends) are put in list order, or found inside a range, by it."""
    return (row.order, row.profile, row.platform, row.id)
