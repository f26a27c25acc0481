"""Meta's Graph Conversations API, directly: a Page's Messenger and Instagram inbox.

Wire models stay here; callers get `domain` models and `base` errors, as with Ayrshare. What
differs from Ayrshare, and how it is bridged:

- No cache window: each answer's `next_update` is this client's own pace (`poll_seconds`),
  stretched as Meta's usage headers (`X-App-Usage`, `X-Business-Use-Case-Usage`) rise, so
  the sync engine slows down before Meta throttles. `last_updated` is None: nothing here
  comes from a cache, and a local archive is never overruled by a later fetch.
- No "all messages" request: one walk of the conversations edge, with each conversation's
  newest messages nested (`messages.limit(n){…}`), serves both the list and its previews.
  A thread is read from its own `messages` edge; its whole history once per session, then
  the newest page on each refresh.
- Meta details only a conversation's 20 newest messages; older ones come back as bare ids
  and are kept as "unavailable" (the thread shows "older message not available").
- No archive and no auto-response in the API: archive stays local (`set_status` does
  nothing remote); the auto-response screen says where to set it.
- Paging follows `paging.cursors.after` while `paging.next` is present (the `next` URL
  itself is never requested: it can carry the token).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import re
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Annotated, Any, TypeVar
from urllib.parse import quote

import httpx
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from inbox_tui.config.model import DEFAULT_GRAPH_VERSION
from inbox_tui.domain import (
    Attachment,
    Conversation,
    ConversationStatus,
    Direction,
    Message,
    Platform,
    as_utc,
    message_time,
    utcnow,
)
from inbox_tui.providers.base import (
    ApiError,
    AuthError,
    ForbiddenError,
    MalformedResponse,
    OutsideWindow,
    ProviderError,
    RateLimited,
    SendRefused,
)
from inbox_tui.providers.http import (
    decoded,
    exchange,
    http_client,
    json_or_none,
    log_unknown,
    parse_json,
    shape_error,
    tolerant_list,
)
from inbox_tui.providers.results import (
    Account,
    AutoResponse,
    Fetched,
    ProfileSummary,
    RateLimit,
    SentMessage,
    UserDetails,
)
from inbox_tui.text import clean, clean_line

GRAPH_PLATFORM = {Platform.FACEBOOK: "messenger", Platform.INSTAGRAM: "instagram"}
CONVERSATIONS_PAGE = 50
RECENT_MESSAGES = 5  # nested per conversation in the list walk: previews and unread state
THREAD_PAGE = 25
THROTTLE_PAUSE = timedelta(minutes=5)  # when Meta throttles without saying until when
_MAX_PAGES = 2_000
_MESSAGE_FIELDS = (
    "id,created_time,from,to,message,attachments,reply_to,shares{link},story,is_unsupported"
)
# `updated_time` skips re-reading a thread that has not changed; `unread_count` is the Page's
# own read state (read in Business Suite: not unread here).
_CONVERSATION_FIELDS = "id,updated_time,participants,unread_count,can_reply,is_owner"
_RATE_CODES = {4, 17, 32, 613} | set(range(80000, 80015))
# Code 10 with these subcodes: "This message is sent outside of allowed window" (the Messenger
# Platform's error-code table lists the first two; the third is what the Send API answers
# for a RESPONSE past 24 hours).
_OUTSIDE_WINDOW = {2018065, 2534022, 2018278}
_DEPRECATED_VERSION = {12, 2635}  # "deprecated for versions…", "deprecated version of the API"
# Graph ids: digits, or a token such as `t_10161…`, `m_…` or Instagram's base64 `aWdf…`.
GRAPH_ID = re.compile(r"[A-Za-z0-9_.:=+-]{1,256}")
log = logging.getLogger(__name__)


def _graph_time(value: object) -> object:
    """Graph datetimes: ISO with "+0000", or (per one doc) a unix timestamp."""
    if isinstance(value, str) and len(value) > 5 and value[-5] in "+-" and value[-3] != ":":
        return f"{value[:-2]}:{value[-2:]}"
    return value


GraphTime = Annotated[datetime, BeforeValidator(_graph_time), AfterValidator(message_time)]

# --- wire models ------------------------------------------------------------------------------


class _Wire(BaseModel):
    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True, populate_by_name=True)


class WireUser(_Wire):
    id: str = ""
    name: str = ""
    username: str = ""


class WireUsers(_Wire):
    data: list[WireUser] = []


def _graph_id(value: str) -> str:
    if not GRAPH_ID.fullmatch(value):
        raise ValueError("not a Graph id")
    return value


GraphId = Annotated[str, AfterValidator(_graph_id)]


class WireMedia(_Wire):
    url: str = ""


class WireAttachment(_Wire):
    id: str = ""
    mime_type: str = ""
    name: str = ""
    file_url: str = ""
    image_data: WireMedia | None = None
    video_data: WireMedia | None = None


class WireAttachments(_Wire):
    data: list[WireAttachment] = []


class WireReplyTo(_Wire):
    mid: str = ""
    is_self_reply: bool = False


class WireCursors(_Wire):
    after: str | None = None
    before: str | None = None


class WirePaging(_Wire):
    cursors: WireCursors | None = None
    next: str | None = None


class WireLink(_Wire):
    link: str = ""


class WireShares(_Wire):
    data: list[WireLink] = []


class WireStory(_Wire):
    """Instagram: a story the person mentioned the account in, or one they replied to."""

    mention: WireLink | None = None
    reply_to: WireLink | None = None


class WireMessage(_Wire):
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


class _WirePaged(_Wire):
    paging: WirePaging | None = None


class WireMessages(_WirePaged):
    # Required: an answer without `data` is of a shape we don't know, not an empty thread.
    # One bad message is skipped, not the answer (see `tolerant_list`).
    data: WireMessageList


class WireConversation(_Wire):
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


class WireConversations(_WirePaged):
    data: WireConversationList  # required, as above


class WireSent(_Wire):
    recipient_id: str = ""
    message_id: str


class WireAccount(_Wire):
    id: str = ""
    username: str = ""


class WirePage(_Wire):
    id: str
    name: str = ""
    instagram_business_account: WireAccount | None = None


M = TypeVar("M", bound=_Wire)
Paged = TypeVar("Paged", bound=_WirePaged)

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


def parse_usage(headers: httpx.Headers) -> tuple[float, float]:
    """(highest usage in percent, minutes until access returns) from both usage headers."""
    usage, regain = 0.0, 0.0
    for name in ("x-app-usage", "x-page-usage", "x-business-use-case-usage"):
        try:
            value = json.loads(headers.get(name) or "null")
        except ValueError:
            continue
        entries = [value] if isinstance(value, dict) and "call_count" in value else []
        if isinstance(value, dict) and not entries:
            entries = [e for group in value.values() if isinstance(group, list) for e in group]
        for entry in entries:
            if not isinstance(entry, dict):
                continue
            for key in ("call_count", "total_cputime", "total_time"):
                if isinstance(entry.get(key), int | float):
                    usage = max(usage, float(entry[key]))
            if isinstance(entry.get("estimated_time_to_regain_access"), int | float):
                regain = max(regain, float(entry["estimated_time_to_regain_access"]))
    return usage, regain


def slowdown(usage: float) -> int:
    """How many times the normal pace to wait: more as usage nears Meta's 100 % limit."""
    return 1 if usage < 50 else 2 if usage < 75 else 4 if usage < 90 else 8


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _reference(error: dict, code: int | None, sub: int | None) -> str:
    """What Meta said, for the user and a support ticket: its words for people first
    (`error_user_title` / `error_user_msg`), then the developer message, codes and trace."""
    title = clean_line(str(error.get("error_user_title") or ""))[:120]
    user = clean_line(str(error.get("error_user_msg") or ""))[:300]
    said = clean_line(str(error.get("message") or ""))[:300]
    trace = clean_line(str(error.get("fbtrace_id") or ""))[:40]
    for_people = " ".join(part for part in (f"{title}:" if title and user else title, user) if part)
    codes = f"code {code}{f'/{sub}' if sub else ''}" if code is not None else ""
    details = "; ".join(part for part in (said, codes, trace and f"fbtrace_id {trace}") if part)
    return (f" Meta says: {for_people}" if for_people else "") + (
        f" (Meta: {details})" if details else ""
    )


def error_for(
    status: int, body: Any, *, now: datetime, regain_minutes: float, version: str = ""
) -> ProviderError:
    """A Graph error (`error.code`, `error_subcode`, `fbtrace_id`) in plain words."""
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        return ApiError(f"Meta answered HTTP {status} without an error body.", status_code=status)
    code, sub = _int(error.get("code")), _int(error.get("error_subcode"))
    ref = _reference(error, code, sub)
    if code in _DEPRECATED_VERSION:
        return ForbiddenError(
            f"Meta refused Graph API {version or 'this version'}: it is deprecated. Set "
            f'[meta] graph_version to a current one (for example "{DEFAULT_GRAPH_VERSION}").' + ref
        )
    if code == 190:
        return AuthError(
            "The Page access token has expired or was revoked: make a new one and put it where "
            "the config takes it from (access_token_env or access_token_command)." + ref
        )
    if code == 10 and sub in _OUTSIDE_WINDOW:
        return OutsideWindow(
            "Outside Meta's 24-hour window: the person last wrote more than 24 hours ago, so a "
            "standard reply is not allowed." + ref
        )
    if error.get("is_transient") is True:
        transient = ApiError(
            "Meta had a temporary problem; it will be tried again." + ref,
            status_code=status,
            code=code,
        )
        transient.retryable = True
        return transient
    if code in _RATE_CODES:
        until = now + (timedelta(minutes=regain_minutes) if regain_minutes else THROTTLE_PAUSE)
        return RateLimited(
            f"Meta is throttling this app: waiting until it lets go.{ref}", until=until
        )
    if code in (3, 10) or (code is not None and 200 <= code <= 299):
        return ForbiddenError(
            "A permission is missing: the token needs pages_messaging and pages_manage_metadata "
            "(and instagram_manage_messages for Instagram)." + ref
        )
    refusals = {
        551: "This person is not available (they blocked the Page or deactivated their account).",
        10900: "This was already replied to.",
        10903: "This person cannot be replied to.",
        10904: "Messaging is turned off for this Page: turn it on in the Page's settings.",
    }
    if code in refusals:
        return SendRefused(refusals[code] + ref)
    if code == 2 or status >= 500:
        return ApiError(
            "Meta had a temporary problem." + ref, status_code=max(status, 503), code=code
        )
    return ApiError(f"Meta refused the request.{ref}", status_code=status, code=code)


def _decode(content: bytes, model: type[M]) -> M:
    # Python's json, not pydantic's parser: that one refuses a lone surrogate (`\ud800`) in
    # one message's text and with it the whole walk; `clean()` drops it later.
    data = parse_json(content, "Meta")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        log_unknown(content, "Meta", model.__name__)
        raise shape_error(exc, "Meta") from None


def _path(*ids: str) -> str:
    """A path of Graph ids, each checked and percent-encoded."""
    for graph_id in ids:
        if not GRAPH_ID.fullmatch(graph_id):
            raise MalformedResponse("Meta gave an id that is not a Graph id; it was not used.")
    return "/".join(quote(graph_id, safe="") for graph_id in ids)


# --- the client -------------------------------------------------------------------------------


class MetaSession:
    """Owns the connection pool shared by every Page's client."""

    def __init__(
        self,
        *,
        graph_url: str,
        poll_seconds: float = 60.0,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float = 20.0,
        clock: Callable[[], datetime] = utcnow,
        app_secret: str | None = None,
    ) -> None:
        self.poll = timedelta(seconds=poll_seconds)
        self.clock = clock
        self.timeout = timeout  # for the whole request, not only each read
        self.version = graph_url.rstrip("/").rsplit("/", 1)[-1]
        self.app_secret = app_secret
        self.http = http_client(graph_url, transport, timeout)

    def for_page(self, page_id: str, token: str, *, human_agent: bool = False) -> MetaClient:
        return MetaClient(self, page_id, token, human_agent=human_agent)

    async def aclose(self) -> None:
        await self.http.aclose()


class MetaClient:
    """One Page's inbox (the MessagingProvider protocol)."""

    archives = False  # Graph has no archive: the app keeps it (see the module docstring)
    cached = False  # a GET right after a send lists it

    def __init__(
        self, session: MetaSession, page_id: str, token: str, *, human_agent: bool = False
    ) -> None:
        self._session = session
        self._page_id = page_id
        self._token = token
        # The Page's app has Human Agent: replies up to 7 days after their last message.
        self.human_agent = human_agent
        # Pages with "Require App Secret" want every call signed with the app's secret.
        secret = session.app_secret
        self._proof = (
            hmac.new(secret.encode(), token.encode(), hashlib.sha256).hexdigest()
            if secret
            else None
        )
        self._me: frozenset[str] | None = None  # the Page's and its Instagram account's ids
        self._walks: dict[Platform, tuple[datetime, asyncio.Future]] = {}
        self._read_whole: set[str] = set()  # threads whose history was read this session
        # A conversation's `updated_time` from the last walk, and at its thread's last read:
        # the same, and the thread is not asked for again.
        self._updated: dict[str, datetime] = {}
        self._thread_read_at: dict[str, datetime] = {}
        self.usage = 0.0  # the highest usage percentage Meta reported last
        self.rate_limit: RateLimit | None = None

    # -- plumbing -------------------------------------------------------------------------------

    async def _call(self, method: str, path: str, model: type[M], *, params=None, body=None) -> M:
        session = self._session
        if self._proof:
            params = {**(params or {}), "appsecret_proof": self._proof}
        response, content = await exchange(
            session.http,
            method,
            path,
            service="Meta",
            deadline=session.timeout,
            params=params,
            body=body,
            headers={"Authorization": f"Bearer {self._token}"},
        )
        usage, regain = parse_usage(response.headers)
        self.usage = usage
        self.rate_limit = RateLimit(max=100, count=round(usage), percent=True)
        if response.status_code != 200:
            raise error_for(
                response.status_code,
                json_or_none(content),
                now=session.clock(),
                regain_minutes=regain,
                version=session.version,
            )
        try:
            return await decoded(content, lambda body: _decode(body, model))
        except MalformedResponse as error:
            error.maybe_sent = method != "GET"  # a write was answered: it may have been done
            raise

    def _fetched(self, data) -> Fetched:
        """Our own pace, stretched by usage: Graph has no cache window to follow."""
        wait = self._session.poll * slowdown(self.usage)
        return Fetched(data, None, self._session.clock() + wait, self.rate_limit)

    async def _pages(
        self, path: str, model: type[Paged], params: dict[str, str], limit_pages: int
    ) -> AsyncIterator[Paged]:
        """Every page of an edge: `after` cursors while `paging.next` is there."""
        after = None
        for _ in range(limit_pages):
            page = await self._call(
                "GET", path, model, params={**params, **({"after": after} if after else {})}
            )
            yield page
            paging = page.paging
            if not (paging and paging.next and paging.cursors and paging.cursors.after):
                return
            if paging.cursors.after == after:
                raise MalformedResponse("Meta repeated a paging cursor; stopped reading there.")
            after = paging.cursors.after

    async def _page(self) -> WirePage:
        """The Page, with the Instagram account it answers for."""
        return await self._call(
            "GET",
            _path(self._page_id),
            WirePage,
            params={"fields": "id,name,instagram_business_account{id,username}"},
        )

    async def _my_ids(self) -> frozenset[str]:
        if self._me is None:
            page = await self._page()
            ig = page.instagram_business_account
            self._me = frozenset({page.id, self._page_id} | ({ig.id} if ig and ig.id else set()))
        return self._me

    # -- reads ----------------------------------------------------------------------------------

    def _walk(self, platform: Platform) -> asyncio.Future:
        """The conversations of a platform with their newest messages; the conversations and
        messages streams of one poll share one walk."""
        now = self._session.clock()
        taken = self._walks.get(platform)
        if taken is not None and now - taken[0] < self._session.poll / 2 and _usable(taken[1]):
            return taken[1]
        future = asyncio.ensure_future(self._walk_now(platform))
        self._walks[platform] = (now, future)
        future.add_done_callback(lambda f: f.cancelled() or f.exception())
        return future

    async def _walk_now(self, platform: Platform) -> tuple[list[Conversation], list[Message]]:
        me = await self._my_ids()
        fields = f"{_CONVERSATION_FIELDS},messages.limit({RECENT_MESSAGES}){{{_MESSAGE_FIELDS}}}"
        params = {
            "platform": GRAPH_PLATFORM[platform],
            "fields": fields,
            "limit": str(CONVERSATIONS_PAGE),
        }
        conversations, messages = [], []
        async for page in self._pages(
            _path(self._page_id, "conversations"), WireConversations, params, _MAX_PAGES
        ):
            for wire in page.data:
                conversation = to_conversation(wire, platform, me)
                if wire.updated_time is not None:
                    self._updated[conversation.id] = wire.updated_time
                conversations.append(conversation)
                for m in _wire_messages(wire.messages):
                    if (message := to_message(m, platform, conversation.id, me)) is not None:
                        messages.append(message)
        return conversations, messages

    async def conversation_with(self, platform: Platform, user_id: str) -> Conversation | None:
        """One person's thread by their PSID/IGSID (`user_id`), or None if they have none."""
        me = await self._my_ids()
        page = await self._call(
            "GET",
            _path(self._page_id, "conversations"),
            WireConversations,
            params={
                "platform": GRAPH_PLATFORM[platform],
                "user_id": user_id,
                "fields": _CONVERSATION_FIELDS,
            },
        )
        return to_conversation(page.data[0], platform, me) if page.data else None

    async def conversations(
        self, platform: Platform, status: ConversationStatus = ConversationStatus.ACTIVE
    ) -> Fetched[list[Conversation]]:
        if status is ConversationStatus.ARCHIVED:
            return self._fetched([])  # archive is local with Meta: nothing to ask
        conversations, _ = await asyncio.shield(self._walk(platform))
        return self._fetched(conversations)

    async def messages(
        self,
        platform: Platform,
        status: ConversationStatus = ConversationStatus.ACTIVE,
        conversation_id: str | None = None,
    ) -> Fetched[list[Message]]:
        if conversation_id:
            return self._fetched(await self._thread(platform, conversation_id))
        if status is ConversationStatus.ARCHIVED:
            return self._fetched([])
        _, messages = await asyncio.shield(self._walk(platform))
        return self._fetched(messages)

    async def _thread(self, platform: Platform, conversation_id: str) -> list[Message]:
        """The thread's history the first time this session, then its newest page; nothing
        when the conversation's `updated_time` has not moved since the last read."""
        updated = self._updated.get(conversation_id)
        if updated is not None and self._thread_read_at.get(conversation_id) == updated:
            return []
        me = await self._my_ids()
        pages = 1 if conversation_id in self._read_whole else _MAX_PAGES
        params = {"fields": _MESSAGE_FIELDS, "limit": str(THREAD_PAGE)}
        out = []
        path = _path(conversation_id, "messages")
        async for page in self._pages(path, WireMessages, params, pages):
            out += [
                m
                for w in _wire_messages(page)
                if (m := to_message(w, platform, conversation_id, me))
            ]
        self._read_whole.add(conversation_id)
        if updated is not None:
            self._thread_read_at[conversation_id] = updated
        return out

    # -- writes ---------------------------------------------------------------------------------

    def parts(self, platform: Platform, text: str, media_urls: Sequence[str]) -> int:
        return len(self._bodies(text, media_urls))

    @staticmethod
    def _bodies(text: str, media_urls: Sequence[str]) -> list[dict[str, Any]]:
        """Text first, then one message per attachment (Graph takes one attachment a message)."""
        bodies: list[dict[str, Any]] = [{"text": text}] if text else []
        bodies += [
            {
                "attachment": {
                    "type": _media_type(url),
                    "payload": {"url": url, "is_reusable": False},
                }
            }
            for url in media_urls
        ]
        return bodies

    async def send(
        self,
        platform: Platform,
        recipient_id: str,
        text: str,
        media_urls: Sequence[str] = (),
        *,
        first_part: int = 0,
        part_sent: Callable[[str], Awaitable[None]] | None = None,
        past_standard_window: bool = False,
    ) -> SentMessage:
        """The parts from `first_part` on, each recorded by `part_sent` as it goes out (a
        later part's failure must not make a retry send the earlier ones again). The reply's
        id is the first part's. Past the 24 hours a Human Agent Page tags its reply."""
        self._thread_read_at.clear()  # the reply changes its thread: read it again
        kind = {"messaging_type": "RESPONSE"}
        if past_standard_window and self.human_agent:
            kind = {"messaging_type": "MESSAGE_TAG", "tag": "HUMAN_AGENT"}
        first = None
        for message in self._bodies(text, media_urls)[first_part:]:
            sent = await self._call(
                "POST",
                _path(self._page_id, "messages"),
                WireSent,
                body={"recipient": {"id": recipient_id}, **kind, "message": message},
            )
            first = first or sent
            if part_sent is not None:
                await part_sent(clean_line(sent.message_id))
        return SentMessage(recipient_id, clean_line(first.message_id) if first else "", text)

    async def set_status(
        self, platform: Platform, conversation_id: str, status: ConversationStatus
    ) -> None:
        """Graph has no archive: it stays in this app's store (see the module docstring)."""

    async def auto_response(self) -> AutoResponse:
        raise ProviderError(
            "Meta's API has no auto-response setting: set instant replies in Meta Business "
            "Suite (Inbox, then Automations)."
        )

    async def set_auto_response(self, settings: AutoResponse) -> AutoResponse:
        return await self.auto_response()

    async def user(self) -> UserDetails:
        page = await self._page()
        accounts = [Account("facebook", clean_line(page.id), clean_line(page.name), True)]
        if (ig := page.instagram_business_account) is not None:
            accounts.append(Account("instagram", clean_line(ig.id), clean_line(ig.username), True))
        return UserDetails(tuple(a.platform for a in accounts), tuple(accounts))

    async def profiles(self) -> Fetched[list[ProfileSummary]]:
        return self._fetched([])  # one Page per profile: nothing to list

    async def aclose(self) -> None:
        for _, future in self._walks.values():
            future.cancel()


def _wire_messages(messages: WireMessages | None) -> list[WireMessage]:
    return messages.data if messages else []


def _usable(future: asyncio.Future) -> bool:
    """Still running, or done with a result (a failed walk is never handed out again)."""
    return not future.done() or (not future.cancelled() and future.exception() is None)


def _media_type(url: str) -> str:
    lowered = url.lower().split("?")[0]
    if lowered.endswith((".mp4", ".mov")):
        return "video"
    if lowered.endswith((".mp3", ".m4a", ".wav")):
        return "audio"
    if lowered.endswith((".jpg", ".jpeg", ".png", ".gif", ".webp")):
        return "image"
    return "file"
