"""Meta's Graph Conversations API, directly: a Page's Messenger and Instagram inbox.

Wire models are in `meta_wire`, errors and usage headers in `meta_errors`; callers get
`domain` models and `base` errors, as with Ayrshare. What
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
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

import httpx
from pydantic import ValidationError

from inbox_tui.domain import Conversation, ConversationStatus, Message, Platform, utcnow
from inbox_tui.providers.base import MalformedResponse, ProviderError
from inbox_tui.providers.http import (
    decoded,
    exchange,
    http_client,
    json_or_none,
    log_unknown,
    parse_json,
    shape_error,
)
from inbox_tui.providers.meta_errors import error_for, parse_usage, slowdown
from inbox_tui.providers.meta_labels import PageLabels
from inbox_tui.providers.meta_wire import (
    M,
    Paged,
    WireConversations,
    WireMessage,
    WireMessages,
    WirePage,
    WireSent,
    graph_path,
    to_conversation,
    to_message,
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
from inbox_tui.text import clean_line

GRAPH_PLATFORM = {Platform.FACEBOOK: "messenger", Platform.INSTAGRAM: "instagram"}
CONVERSATIONS_PAGE = 50
RECENT_MESSAGES = 5  # nested per conversation in the list walk: previews and unread state
THREAD_PAGE = 25
_MAX_PAGES = 2_000
_MESSAGE_FIELDS = (
    "id,created_time,from,to,message,attachments,reply_to,shares{link},story,is_unsupported"
)
# `updated_time` skips re-reading a thread that has not changed; `unread_count` is the Page's
# own read state (read in Business Suite: not unread here).
_CONVERSATION_FIELDS = "id,updated_time,participants,unread_count,can_reply,is_owner"
log = logging.getLogger(__name__)


def _decode(content: bytes, model: type[M]) -> M:
    # Python's json, not pydantic's parser: that one refuses a lone surrogate (`\ud800`) in
    # one message's text and with it the whole walk; `clean()` drops it later.
    data = parse_json(content, "Meta")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        log_unknown(content, "Meta", model.__name__)
        raise shape_error(exc, "Meta") from None


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
        self.labels = PageLabels(self._call, self._pages, page_id)

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
            graph_path(self._page_id),
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
            graph_path(self._page_id, "conversations"), WireConversations, params, _MAX_PAGES
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
            graph_path(self._page_id, "conversations"),
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
        path = graph_path(conversation_id, "messages")
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
                graph_path(self._page_id, "messages"),
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
