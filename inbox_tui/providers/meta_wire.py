"""Meta's Graph answers as they come on the wire, and their mapping to `domain` models (the
20-message detail limit, story and share attachments, reactions); only the client reads them."""

from __future__ import annotations

import re
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, TypeVar
from urllib.parse import quote

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

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
from inbox_tui.providers.base import MalformedResponse
from inbox_tui.providers.http import tolerant_list
from inbox_tui.text import clean, clean_line

# Graph ids: digits, or a token such as `t_10161…`, `m_…` or Instagram's base64 `aWdf…`.
GRAPH_ID = re.compile(r"[A-Za-z0-9_.:=+-]{1,256}")


def _graph_time(value: object) -> object:
    """Graph datetimes: ISO with "+0000", or (per one doc) a unix timestamp."""
    if isinstance(value, str) and len(value) > 5 and value[-5] in "+-" and value[-3] != ":":
        return f"{value[:-2]}:{value[-2:]}"
    return value


GraphTime = Annotated[datetime, BeforeValidator(_graph_time), AfterValidator(message_time)]


# --- wire models ------------------------------------------------------------------------------


class WireModel(BaseModel):
    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True, populate_by_name=True)


class WireUser(WireModel):
    id: str = ""
    name: str = ""
    username: str = ""


class WireUsers(WireModel):
    data: list[WireUser] = []


def _graph_id(value: str) -> str:
    if not GRAPH_ID.fullmatch(value):
        raise ValueError("not a Graph id")
    return value


GraphId = Annotated[str, AfterValidator(_graph_id)]


def graph_path(*ids: str) -> str:
    """A path of Graph ids, each checked and percent-encoded."""
    for graph_id in ids:
        if not GRAPH_ID.fullmatch(graph_id):
            raise MalformedResponse("Meta gave an id that is not a Graph id; it was not used.")
    return "/".join(quote(graph_id, safe="") for graph_id in ids)


class WireMedia(WireModel):
    url: str = ""


class WireAttachment(WireModel):
    id: str = ""
    mime_type: str = ""
    name: str = ""
    file_url: str = ""
    image_data: WireMedia | None = None
    video_data: WireMedia | None = None


class WireAttachments(WireModel):
    data: list[WireAttachment] = []


class WireReplyTo(WireModel):
    mid: str = ""
    is_self_reply: bool = False


class WireCursors(WireModel):
    after: str | None = None
    before: str | None = None


class WirePaging(WireModel):
    cursors: WireCursors | None = None
    next: str | None = None


class WireLink(WireModel):
    link: str = ""


class WireShares(WireModel):
    data: list[WireLink] = []


class WireStory(WireModel):
    """Instagram: a story the person mentioned the account in, or one they replied to."""

    mention: WireLink | None = None
    reply_to: WireLink | None = None


class WireMessage(WireModel):
    id: str
    created_time: GraphTime | None = None
    sender: WireUser | None = Field(None, alias="from")
    to: WireUsers | None = None
    message: str | None = None
    attachments: WireAttachments | None = None
    reply_to: WireReplyTo | None = None
    shares: WireShares | None = None
    story: WireStory | None = None
    is_unsupported: bool = False


if TYPE_CHECKING:
    WireMessageList = list[WireMessage]
else:
    WireMessageList = tolerant_list(WireMessage, "Meta", "message")


class WirePaged(WireModel):
    paging: WirePaging | None = None


class WireMessages(WirePaged):
    # Required: an answer without `data` is of a shape we don't know, not an empty thread.
    # One bad message is skipped, not the answer (see `tolerant_list`).
    data: WireMessageList


class WireConversation(WireModel):
    id: GraphId  # it goes into a path: a URL here would carry the token elsewhere
    updated_time: Annotated[datetime, BeforeValidator(_graph_time)] | None = None
    participants: WireUsers | None = None
    unread_count: int | None = None
    can_reply: bool | None = None
    is_owner: bool | None = None
    messages: WireMessages | None = None


if TYPE_CHECKING:
    WireConversationList = list[WireConversation]
else:
    WireConversationList = tolerant_list(WireConversation, "Meta", "conversation")


class WireConversations(WirePaged):
    data: WireConversationList  # required, as above


class WireSent(WireModel):
    recipient_id: str = ""
    message_id: str


class WireAccount(WireModel):
    id: str = ""
    username: str = ""


class WirePage(WireModel):
    id: str
    name: str = ""
    instagram_business_account: WireAccount | None = None


class WireLabel(WireModel):
    id: GraphId  # it goes into a path, as a conversation's does
    page_label_name: str = ""


if TYPE_CHECKING:
    WireLabelList = list[WireLabel]
else:
    WireLabelList = tolerant_list(WireLabel, "Meta", "label")


class WireLabels(WirePaged):
    data: WireLabelList  # required, as above


class WireCreated(WireModel):
    id: GraphId


class WireDone(WireModel):
    success: bool


M = TypeVar("M", bound=WireModel)
Paged = TypeVar("Paged", bound=WirePaged)

# --- mapping ----------------------------------------------------------------------------------


def _attachment(wire: WireAttachment) -> Attachment:
    if wire.image_data and wire.image_data.url:
        return Attachment("image", clean_line(wire.image_data.url))
    if wire.video_data and wire.video_data.url:
        return Attachment("video", clean_line(wire.video_data.url))
    kind = wire.mime_type.split("/")[0] if wire.mime_type else "file"
    return Attachment(clean_line(kind) or "file", clean_line(wire.file_url))


def _attachments(wire: WireMessage) -> tuple[Attachment, ...]:
    """Files, then what Instagram sends as links (shares, stories), then a note for a message
    type Meta itself says it cannot give to apps (`is_unsupported`)."""
    out = [_attachment(a) for a in wire.attachments.data] if wire.attachments else []
    out += (
        [Attachment("share", clean_line(s.link)) for s in wire.shares.data] if wire.shares else []
    )
    if wire.story and wire.story.mention:
        out.append(Attachment("story_mention", clean_line(wire.story.mention.link)))
    if wire.story and wire.story.reply_to:
        out.append(Attachment("story_reply", clean_line(wire.story.reply_to.link)))
    if wire.is_unsupported:
        out.append(Attachment("unsupported", ""))
    return tuple(out)


def to_message(
    wire: WireMessage, platform: Platform, conversation_id: str, me: frozenset[str]
) -> Message | None:
    """A message, or None without even a time. No sender: past the 20 Meta details."""
    if wire.created_time is None:
        return None
    created = wire.created_time
    if wire.sender is None:
        return Message(
            platform=platform,
            id=clean_line(wire.id),
            conversation_id=conversation_id,
            direction=Direction.RECEIVED,  # unknown: kept out of previews, unread and windows
            created=created,
            sender_id="",
            sender_name="",
            unavailable=True,
        )
    sent = wire.sender.id in me
    them = (wire.to.data[0] if wire.to and wire.to.data else WireUser()) if sent else wire.sender
    return Message(
        platform=platform,
        id=clean_line(wire.id),
        conversation_id=conversation_id,
        direction=Direction.SENT if sent else Direction.RECEIVED,
        created=created,
        sender_id=clean_line(wire.sender.id),
        sender_name=clean_line(wire.sender.name or wire.sender.username),
        text=clean(wire.message or ""),
        attachments=_attachments(wire),
        correspondent_id=clean_line(them.id),
        correspondent_name=clean_line(them.name or them.username),
        reply_to=clean_line(wire.reply_to.mid) if wire.reply_to else "",
    )


def to_conversation(wire: WireConversation, platform: Platform, me: frozenset[str]) -> Conversation:
    people = wire.participants.data if wire.participants else []
    them = next((p for p in people if p.id not in me), WireUser())
    read_elsewhere = wire.unread_count == 0 and wire.updated_time is not None
    return Conversation(
        platform=platform,
        id=clean_line(wire.id),
        status=ConversationStatus.ACTIVE,
        participant_id=clean_line(them.id),
        participant_name=clean_line(them.name or them.username),
        is_owner=wire.is_owner,
        can_reply=wire.can_reply,
        remote_read_at=as_utc(wire.updated_time)
        if read_elsewhere and wire.updated_time is not None
        else None,
    )
