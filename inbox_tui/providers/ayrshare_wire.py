"""Ayrshare's answers as they come on the wire (camelCase JSON, tolerant of missing and extra
fields) and their mapping to `domain` models and rate-limit facts; only the client reads them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Annotated, Any

import httpx
from pydantic import (
    AfterValidator,
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    WrapValidator,
)
from pydantic.alias_generators import to_camel

from inbox_tui.domain import (
    Attachment,
    Conversation,
    ConversationStatus,
    Direction,
    Message,
    Platform,
    as_utc,
    message_time,
)
from inbox_tui.providers.http import tolerant_list
from inbox_tui.providers.results import RateLimit
from inbox_tui.text import clean, clean_line

# --- wire models ------------------------------------------------------------------------------


class WireModel(BaseModel):
    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="ignore",
        coerce_numbers_to_str=True,
    )


class WirePerson(WireModel):
    """`senderDetails`, `recipientDetails` and `participant`: the union of their fields."""

    id: str = ""
    name: str = ""
    username: str = ""
    # FB/IG received messages say `profileImage`; sent ones and participants say `picture`.
    picture: str = Field("", validation_alias=AliasChoices("picture", "profileImage"))


class WireAttachment(WireModel):
    type: str = "file"
    url: str = ""


class WireMessage(WireModel):
    id: str
    conversation_id: str = ""
    platform: str | None = None  # missing from X's paginated answer
    action: str | None = None  # "sent" | "received"
    created: Annotated[datetime, AfterValidator(message_time)]
    updated: datetime | None = None
    sender_id: str = ""
    sender_details: WirePerson | None = None
    recipient_id: str = ""
    recipient_details: WirePerson | None = None
    message: str | None = None  # missing on attachment-only messages
    attachments: list[WireAttachment] = []
    reactions: dict[str, str] = {}  # reacting user id -> emoji


if TYPE_CHECKING:
    WireMessageList = list[WireMessage]
else:
    WireMessageList = tolerant_list(WireMessage, "Ayrshare", "message")


class WirePagination(WireModel):
    has_more: bool = False
    limit: int | None = None
    next: str | None = None


class WireMeta(WireModel):
    pagination: WirePagination | None = None


def _time_or_none(value: Any, handler: Callable[[Any], Any]) -> datetime | None:
    """A cache time we cannot read is a missing one (the engine then uses the documented
    window): a garbage `nextUpdate` must not cost the whole answer."""
    try:
        return as_utc(handler(value)) if value is not None else None
    except (ValidationError, ValueError, OverflowError):
        return None


LenientTime = Annotated[datetime | None, WrapValidator(_time_or_none)]


class _Cached(WireModel):
    status: str = "success"
    last_updated: LenientTime = None
    next_update: LenientTime = None


class WireMessages(_Cached):
    # Required: an answer without the list is of a shape we don't know, not an empty inbox.
    # One bad message is skipped, not the answer (see `tolerant_list`).
    messages: WireMessageList
    messages_count: int | None = None
    meta: WireMeta | None = None


class WireConversationDetail(WireModel):
    id: str
    participant: WirePerson | None = None
    status: str = "active"
    watermark: int | None = None


if TYPE_CHECKING:
    WireDetailList = list[WireConversationDetail]
else:
    WireDetailList = tolerant_list(WireConversationDetail, "Ayrshare", "conversation")


class WireConversations(_Cached):
    conversation_ids: list[str]  # required, as `messages` above
    conversations_details: WireDetailList = []


class WireSent(WireModel):
    status: str = "success"
    recipient_id: str = ""
    message_id: str = ""
    message: str = ""


class WireAutoResponse(WireModel):
    auto_response_active: bool | None = None
    auto_response_message: str | None = None
    auto_response_wait_seconds: int | None = None


class WireAutoResponseUpdated(WireModel):
    updated: WireAutoResponse | None = None


class WireDisplayName(WireModel):
    platform: str = ""
    id: str = ""
    display_name: str = ""
    messaging_active: bool | None = None


class WireUser(WireModel):
    active_social_accounts: list[str] = []
    display_names: list[WireDisplayName] = []


class WireProfile(WireModel):
    title: str = ""
    ref_id: str = ""
    status: str = "active"
    active_social_accounts: list[str] = []


class WireProfiles(_Cached):
    profiles: list[WireProfile] = []


# --- mapping to the domain ---------------------------------------------------------------------


def _name(person: WirePerson | None) -> str:
    if person is None:
        return ""
    return clean_line(person.name or person.username)


def to_message(wire: WireMessage, platform: Platform) -> Message:
    """Direction comes from `action`: the docs show different sender ids for one page."""
    direction = Direction.SENT if wire.action == "sent" else Direction.RECEIVED
    if direction is Direction.RECEIVED:
        correspondent_id, correspondent = wire.sender_id, wire.sender_details
    else:
        correspondent_id, correspondent = wire.recipient_id, wire.recipient_details
    return Message(
        platform=platform,
        id=clean_line(wire.id),
        conversation_id=clean_line(wire.conversation_id),
        direction=direction,
        created=wire.created,
        sender_id=clean_line(wire.sender_id),
        sender_name=_name(wire.sender_details),
        text=clean(wire.message or ""),
        attachments=tuple(
            Attachment(type=clean_line(a.type) or "file", url=clean_line(a.url))
            for a in wire.attachments
        ),
        reactions={clean_line(k): clean_line(v) for k, v in wire.reactions.items()},
        correspondent_id=clean_line(correspondent_id or (correspondent and correspondent.id) or ""),
        correspondent_name=_name(correspondent),
    )


def to_conversation(wire: WireConversationDetail, platform: Platform) -> Conversation:
    person = wire.participant or WirePerson()
    try:
        status = ConversationStatus(wire.status)
    except ValueError:
        status = ConversationStatus.ACTIVE
    return Conversation(
        platform=platform,
        id=clean_line(wire.id),
        status=status,
        participant_id=clean_line(person.id),
        participant_name=_name(person),
        participant_picture=clean_line(person.picture),
        watermark=wire.watermark,
    )


def utc_or_none(moment: datetime | None) -> datetime | None:
    return None if moment is None else as_utc(moment)


def parse_rate_limit(headers: httpx.Headers) -> RateLimit | None:
    try:
        return RateLimit(
            max=int(headers["x-ratelimit-max"]), count=int(headers["x-ratelimit-count"])
        )
    except (KeyError, ValueError):
        return None


def parse_retry_after(headers: httpx.Headers) -> timedelta | None:
    """`Retry-After` in seconds, if given and sane (a day at most; the date form is not used)."""
    value = headers.get("retry-after", "").strip()
    if value.isdigit() and int(value) <= 86_400:
        return timedelta(seconds=int(value))
    return None
