"""The Ayrshare Messages API client.

Wire models (the API's camelCase JSON, tolerant of missing and extra fields) stay with the
provider (`ayrshare_wire`); callers get `domain` models and `base` errors. One `AyrshareSession` owns the
`httpx.AsyncClient` (one connection pool); `session.for_profile()` hands out a client that
sends that profile's `Profile-Key`.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta
from typing import Any, TypeVar
from urllib.parse import quote

import httpx
from pydantic import BaseModel, ValidationError

from inbox_tui.domain import Conversation, ConversationStatus, Message, Platform, utcnow
from inbox_tui.platform_rules import X_KEYS_NEEDED
from inbox_tui.providers.ayrshare_wire import (
    WireAutoResponse,
    WireAutoResponseUpdated,
    WireConversationDetail,
    WireConversations,
    WireMessages,
    WireModel,
    WireProfiles,
    WireSent,
    WireUser,
    parse_rate_limit,
    parse_retry_after,
    to_conversation,
    to_message,
    utc_or_none,
)
from inbox_tui.providers.base import (
    ApiError,
    AuthError,
    ForbiddenError,
    MalformedResponse,
    MessagingNotEnabled,
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
    mapped,
    parse_json,
    shape_error,
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
from inbox_tui.reply_rules import NO_RECIPIENT
from inbox_tui.text import clean, clean_line

RATE_WINDOW = timedelta(minutes=5)  # Ayrshare counts requests per profile per 5 minutes
X_PAGE_SIZE = 100  # the documented maximum for `limit`
_MAX_PAGES = 10_000  # a runaway-cursor guard, far above any real inbox
MESSAGING_NOT_ENABLED = 361
log = logging.getLogger(__name__)


def _wait_words(wait: timedelta) -> str:
    seconds = round(wait.total_seconds())
    if seconds == RATE_WINDOW.total_seconds():
        return "for the 5-minute window to pass"
    return f"{seconds} s, as it asked" if seconds < 120 else f"{seconds // 60} minutes, as it asked"


# --- errors ------------------------------------------------------------------------------------

_MESSAGING_HELP = (
    "Messaging is not enabled for this profile (Ayrshare error 361). In the Ayrshare "
    "dashboard, activate Messaging on the Account page and tick messaging for this profile "
    "(messagingActive), then relink Facebook and Instagram."
)


def _api_code_and_text(body: Any) -> tuple[int | None, str]:
    """The error code and text from the flat `{code, message}` or nested `errors[]` shape."""
    if not isinstance(body, dict):
        return None, ""
    source = body
    errors = body.get("errors")
    if "code" not in body and isinstance(errors, list) and errors and isinstance(errors[0], dict):
        source = errors[0]
    code = source.get("code")
    text = source.get("message") or source.get("error") or ""
    code = code if isinstance(code, int) and not isinstance(code, bool) else None
    return code, clean_line(str(text))[:300]


def error_for(
    status_code: int,
    body: Any,
    *,
    platform: Platform | None,
    rate_limit: RateLimit | None,
    now: datetime,
    profile: str = "",
    retry_after: timedelta | None = None,
) -> ProviderError:
    code, text = _api_code_and_text(body)
    where = f"{platform.label}: " if platform else ""
    detail = f" The API said: {text}" if text else ""
    if code == MESSAGING_NOT_ENABLED:
        return MessagingNotEnabled(where + _MESSAGING_HELP, rate_limit=rate_limit)
    if status_code in (401, 403) and profile and "profile-key not found" in text.lower():
        return AuthError(
            f'Ayrshare does not know the Profile-Key of profile "{profile}": check its '
            "profile_key in the config (copy it again from the Ayrshare dashboard)." + detail,
            rate_limit=rate_limit,
        )
    if status_code == 401:
        return AuthError(
            "The Ayrshare API key or this profile's Profile-Key was refused (HTTP 401). Check "
            "ayrshare.api_key (or AYRSHARE_API_KEY) and the profile_key in your config." + detail,
            rate_limit=rate_limit,
        )
    if status_code == 403:
        return ForbiddenError(
            where + "Ayrshare refused this request (HTTP 403): the profile may be suspended, "
            "or your plan does not include it." + detail,
            rate_limit=rate_limit,
        )
    if status_code == 429:
        wait = retry_after if retry_after is not None else RATE_WINDOW
        return RateLimited(
            f"Rate limited by Ayrshare (HTTP 429): waiting {_wait_words(wait)} before asking again.",
            until=now + wait,
            rate_limit=rate_limit,
        )
    label = f"error {code}" if code is not None else f"HTTP {status_code}"
    return ApiError(
        f"{where}Ayrshare answered with {label}." + detail,
        status_code=status_code,
        code=code,
        rate_limit=rate_limit,
    )


# What the user must do when a send is refused. The docs give no codes for these, so the
# API's text is matched (the thread-control sentence is quoted in the docs verbatim).
_SEND_REFUSALS: list[tuple[str, str]] = [
    (
        "another app is controlling this thread",
        "Another app controls this conversation (Meta's thread control). Remove the other app "
        "in the Page's or Instagram account's connected apps; control then returns "
        "automatically. Receiving still works.",
    ),
    (
        "within 7 days",
        "Instagram takes replies only within 7 days of the person's last message. You can "
        "reply again when they write.",
    ),
    (
        "active conversation limit",
        "This profile reached its monthly limit of active conversations. Messages still "
        "arrive; replies can go out again next billing cycle, or raise the limit with Ayrshare.",
    ),
    (
        "x-twitter-oauth1",
        X_KEYS_NEEDED,
    ),
    (
        "must message you first",
        "They have not written to this profile: on these networks the person must message first.",
    ),
]


def send_refusal(error: ApiError, platform: Platform) -> ProviderError:
    """A refused send in plain words, with the API's own text kept after them."""
    text = str(error)
    for needle, words in _SEND_REFUSALS:
        if needle in text.lower():
            return SendRefused(f"{platform.label}: {words} ({text})", rate_limit=error.rate_limit)
    return error


# --- the client --------------------------------------------------------------------------------

M = TypeVar("M", bound=BaseModel)


class AyrshareSession:
    """Owns the HTTP connection pool shared by every profile's client."""

    def __init__(
        self,
        *,
        api_key: str,
        base_url: str,
        x_keys: tuple[str, str] | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float = 20.0,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._api_key = api_key
        self._x_keys = x_keys
        self._clock = clock
        self.timeout = timeout  # for the whole request, not only each read
        self._http = http_client(base_url, transport, timeout)

    def for_profile(self, profile_key: str | None, name: str = "") -> AyrshareClient:
        return AyrshareClient(self, profile_key, name)

    async def aclose(self) -> None:
        await self._http.aclose()


class AyrshareClient:
    """One profile's view of the API (the MessagingProvider protocol)."""

    archives = True
    cached = True
    labels = None  # Ayrshare keeps no labels: they are this app's alone

    def __init__(self, session: AyrshareSession, profile_key: str | None, name: str = "") -> None:
        self._session = session
        self._profile_key = profile_key
        self._name = name  # the profile's name in the config, for errors that concern its key
        # `x-ratelimit-*` from the latest answer of any call, success or error (the
        # Fetched results and the errors carry it too).
        self.rate_limit: RateLimit | None = None
        # X message ids read this session, per (status, conversation): see `messages`.
        self._x_seen: dict[tuple[ConversationStatus, str | None], set[str]] = {}

    def _headers(self, platform: Platform | None) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {self._session._api_key}"}
        if self._profile_key:
            headers["Profile-Key"] = self._profile_key
        if platform is Platform.TWITTER and self._session._x_keys:
            key, secret = self._session._x_keys
            headers["X-Twitter-OAuth1-Api-Key"] = key
            headers["X-Twitter-OAuth1-Api-Secret"] = secret
        return headers

    async def _call(
        self,
        method: str,
        path: str,
        model: type[M],
        *,
        platform: Platform | None = None,
        params: dict[str, str] | None = None,
        body: dict[str, Any] | None = None,
    ) -> tuple[M, RateLimit | None]:
        session = self._session
        response, content = await exchange(
            session._http,
            method,
            path,
            service="Ayrshare",
            deadline=session.timeout,
            params=params,
            body=body,
            headers=self._headers(platform),
        )
        rate_limit = parse_rate_limit(response.headers)
        if rate_limit is not None:
            self.rate_limit = rate_limit
        if response.status_code != 200:
            raise error_for(
                response.status_code,
                json_or_none(content),
                platform=platform,
                rate_limit=rate_limit,
                now=self._session._clock(),
                profile=self._name,
                retry_after=parse_retry_after(response.headers),
            )
        try:
            parsed = await decoded(content, lambda body: _decode_checked(body, model))
        except MalformedResponse as error:
            error.maybe_sent = method != "GET"  # a write was answered: it may have been done
            raise
        if isinstance(parsed, dict):  # `"status": "error"` inside an HTTP 200
            raise error_for(
                200, parsed, platform=platform, rate_limit=rate_limit, now=self._session._clock()
            )
        return parsed, rate_limit

    # -- reads ----------------------------------------------------------------------------------

    async def conversations(
        self, platform: Platform, status: ConversationStatus = ConversationStatus.ACTIVE
    ) -> Fetched[list[Conversation]]:
        wire, rate = await self._call(
            "GET",
            f"messages/{platform.value}",
            WireConversations,
            platform=platform,
            params={"status": status.value, "conversationsOnly": "true"},
        )
        details = {d.id: d for d in wire.conversations_details}
        # `conversationIds` is the list; a detail-less id still deserves a row.
        ids = list(dict.fromkeys([*wire.conversation_ids, *details]))
        conversations = await mapped(
            ids,
            lambda cid: to_conversation(
                details.get(cid) or WireConversationDetail(id=cid, status=status), platform
            ),
        )
        return Fetched(
            conversations, utc_or_none(wire.last_updated), utc_or_none(wire.next_update), rate
        )

    async def messages(
        self,
        platform: Platform,
        status: ConversationStatus = ConversationStatus.ACTIVE,
        conversation_id: str | None = None,
    ) -> Fetched[list[Message]]:
        """All messages (of one conversation, if given). X is read page by page."""
        params = {"status": status.value}
        if conversation_id:
            params["conversationId"] = conversation_id
        if platform is not Platform.TWITTER:
            wire, rate = await self._call(
                "GET", f"messages/{platform.value}", WireMessages, platform=platform, params=params
            )
            return Fetched(
                await mapped(wire.messages, lambda m: to_message(m, platform)),
                utc_or_none(wire.last_updated),
                utc_or_none(wire.next_update),
                rate,
            )
        # X pages newest first: the whole history once a session, then pages only while each
        # is all new (a 2,000-message inbox is 20 pages; every 15 s that was ~5,000 requests an
        # hour, over Ayrshare's 300 per 5 minutes). Paging also stops near the request budget.
        seen = self._x_seen.get((status, conversation_id))
        collected: list[Message] = []
        seen_cursors: set[str] = set()
        params["limit"] = str(X_PAGE_SIZE)
        for _ in range(_MAX_PAGES):
            wire, rate = await self._call(
                "GET", f"messages/{platform.value}", WireMessages, platform=platform, params=params
            )
            batch = await mapped(wire.messages, lambda m: to_message(m, platform))
            collected.extend(batch)
            page = wire.meta.pagination if wire.meta else None
            if not page or not page.has_more or not page.next or page.next in seen_cursors:
                break
            if seen is not None and any(m.id in seen for m in batch):
                break  # the rest was read before
            if rate is not None and rate.nearly_spent():
                log.info("X paging stopped near the request budget (%s/%s)", rate.count, rate.max)
                break
            seen_cursors.add(page.next)
            params["next"] = page.next
        self._x_seen.setdefault((status, conversation_id), set()).update(m.id for m in collected)
        return Fetched(
            collected, utc_or_none(wire.last_updated), utc_or_none(wire.next_update), rate
        )

    async def user(self) -> UserDetails:
        wire, _ = await self._call("GET", "user", WireUser)
        return UserDetails(
            active_social_accounts=tuple(clean_line(a) for a in wire.active_social_accounts),
            accounts=tuple(
                Account(
                    platform=clean_line(d.platform),
                    id=clean_line(d.id),
                    display_name=clean_line(d.display_name),
                    messaging_active=d.messaging_active,
                )
                for d in wire.display_names
            ),
        )

    async def profiles(self) -> Fetched[list[ProfileSummary]]:
        wire, rate = await self._call("GET", "profiles", WireProfiles)
        profiles = [
            ProfileSummary(
                title=clean_line(p.title),
                ref_id=clean_line(p.ref_id),
                status=clean_line(p.status),
                active_social_accounts=tuple(clean_line(a) for a in p.active_social_accounts),
            )
            for p in wire.profiles
        ]
        return Fetched(
            profiles, utc_or_none(wire.last_updated), utc_or_none(wire.next_update), rate
        )

    async def auto_response(self) -> AutoResponse:
        wire, _ = await self._call("GET", "messages/autoresponse", WireAutoResponse)
        return _auto_response(wire)

    # -- writes ---------------------------------------------------------------------------------

    def parts(self, platform: Platform, text: str, media_urls: Sequence[str]) -> int:
        return 1  # text and mediaUrls go in one request

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
        if not recipient_id:  # an empty recipientId must never go out (X rows can lack one)
            raise SendRefused(f"{platform.label}: {NO_RECIPIENT}")
        body: dict[str, Any] = {"recipientId": recipient_id, "message": text}
        if media_urls:
            body["mediaUrls"] = list(media_urls)
        try:
            wire, _ = await self._call(
                "POST", f"messages/{platform.value}", WireSent, platform=platform, body=body
            )
        except ApiError as error:
            if 400 <= error.status_code < 500:
                raise send_refusal(error, platform) from None
            raise
        return SentMessage(
            recipient_id=clean_line(wire.recipient_id),
            message_id=clean_line(wire.message_id),
            text=clean(wire.message),
        )

    async def set_status(
        self, platform: Platform, conversation_id: str, status: ConversationStatus
    ) -> None:
        await self._call(
            "PUT",
            f"messages/{platform.value}/{quote(conversation_id, safe='')}",
            WireModel,
            platform=platform,
            body={"status": status.value},
        )

    async def set_auto_response(self, settings: AutoResponse) -> AutoResponse:
        body = WireAutoResponse(
            auto_response_active=settings.active,
            auto_response_message=settings.message,
            auto_response_wait_seconds=settings.wait_seconds,
        ).model_dump(by_alias=True, exclude_none=True)
        wire, _ = await self._call(
            "POST", "messages/autoresponse", WireAutoResponseUpdated, body=body
        )
        return _auto_response(wire.updated or WireAutoResponse())

    async def aclose(self) -> None:
        """Profiles share the session's pool: closing is the session's job."""


def _auto_response(wire: WireAutoResponse) -> AutoResponse:
    message = wire.auto_response_message
    return AutoResponse(
        active=wire.auto_response_active,
        message=None if message is None else clean(message),
        wait_seconds=wire.auto_response_wait_seconds,
    )


def _decode_checked(content: bytes, model: type[M]) -> M | dict:
    """Decode, but hand back the raw dict when the body says `"status": "error"`."""
    data = parse_json(content, "Ayrshare")
    if isinstance(data, dict) and data.get("status") == "error":
        return data
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        log_unknown(content, "Ayrshare", model.__name__)
        raise shape_error(exc, "Ayrshare") from None
