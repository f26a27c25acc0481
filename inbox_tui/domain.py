"""Provider-neutral models. Everything here is already sanitised (see `text.py`).

Plain frozen dataclasses, not pydantic: the store and the UI use them on the first-frame path,
and they need no validation there (the providers validate at the boundary).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import UTC, datetime


def utcnow() -> datetime:
    """The real clock; everything that reads the time takes a clock, so tests inject theirs."""
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """An API's timestamp in UTC; one without a zone is taken to be UTC already."""
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def message_time(moment: datetime) -> datetime:
    """`as_utc` for a message's time, refusing one no message can have: before 1970 or in the
    last year Python can show in every time zone (`ValueError`, so the message is skipped)."""
    try:
        utc = as_utc(moment)
    except OverflowError:
        raise ValueError("a time out of range") from None
    if not 1970 <= utc.year <= 9998:
        raise ValueError(f"a time in the year {utc.year}")
    return utc


class Platform(enum.StrEnum):
    FACEBOOK = "facebook"
    INSTAGRAM = "instagram"
    TWITTER = "twitter"

    @property
    def label(self) -> str:
        return _PLATFORM_LABELS[self]

    @property
    def badge(self) -> str:
        return _PLATFORM_BADGES[self]


_PLATFORM_LABELS = {
    Platform.FACEBOOK: "Facebook",
    Platform.INSTAGRAM: "Instagram",
    Platform.TWITTER: "X",
}
_PLATFORM_BADGES = {Platform.FACEBOOK: "FB", Platform.INSTAGRAM: "IG", Platform.TWITTER: "X"}
# The names a person may type for a platform (search's `platform:`, the CLI's `--platform`).
PLATFORM_NAMES = {
    "facebook": Platform.FACEBOOK,
    "fb": Platform.FACEBOOK,
    "messenger": Platform.FACEBOOK,
    "instagram": Platform.INSTAGRAM,
    "ig": Platform.INSTAGRAM,
    "twitter": Platform.TWITTER,
    "x": Platform.TWITTER,
}


class ConversationStatus(enum.StrEnum):
    ACTIVE = "active"
    ARCHIVED = "archived"


class Direction(enum.StrEnum):
    SENT = "sent"  # from the brand's profile
    RECEIVED = "received"  # from the correspondent


@dataclass(frozen=True, slots=True)
class Attachment:
    type: str
    url: str


@dataclass(frozen=True, slots=True)
class Conversation:
    platform: Platform
    id: str
    status: ConversationStatus
    participant_id: str
    participant_name: str
    participant_picture: str = ""
    watermark: int | None = None  # epoch ms, meaning undocumented (kept, not interpreted)
    # Meta Graph only (None: the provider does not say). `is_owner` False: another app holds
    # the thread (Conversation Routing); `can_reply` False: Meta will refuse a reply.
    is_owner: bool | None = None
    can_reply: bool | None = None
    # Meta Graph only: when the Page (in any inbox) had read everything, from `unread_count`
    # 0 at `updated_time`; the unread rule uses it until the thread is opened here.
    remote_read_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Message:
    platform: Platform
    id: str
    conversation_id: str
    direction: Direction
    created: datetime
    sender_id: str
    sender_name: str
    text: str = ""
    attachments: tuple[Attachment, ...] = ()
    reactions: dict[str, str] = field(default_factory=dict)  # reacting user id -> emoji
    # The correspondent, when the message itself names them (X messages and the thread view
    # need this where no conversation row exists yet).
    correspondent_id: str = ""
    correspondent_name: str = ""
    # Meta details only a conversation's 20 newest messages: older ones are listed bare.
    unavailable: bool = False
    reply_to: str = ""  # Meta: the id of the message this one answers (a quoted reply)
