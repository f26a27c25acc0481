"""The fake's data and rules, independent of HTTP so tests can drive them directly.

Where the public docs are silent (see shared/reference §4), the behaviour is a `FakeSettings`
field, never a guess baked in.
"""

from __future__ import annotations

import base64
import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

PLATFORMS = ("facebook", "instagram", "twitter")
RATE_WINDOW_SECONDS = 300


def iso(moment: datetime) -> str:
    """ISO-8601 UTC with millisecond precision, as Ayrshare writes it."""
    return (
        moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
    )


@dataclass
class FakeSettings:
    api_key: str = "test-api-key"
    cache_ttl_seconds: dict[str, float] = field(
        default_factory=lambda: {"facebook": 60.0, "instagram": 60.0, "twitter": 15.0}
    )
    cache_enabled: bool = True
    # 250 (app.ayrshare.com render, legacy page) or 300 (ayrshare.com render).
    rate_limit_max: int = 250
    suspend_after_429s: int = 1000  # within 24 h; then every call gets 403
    # Undocumented: the status for an unknown Profile-Key (401 or 403).
    unknown_profile_status: int = 403
    # Undocumented: what X calls without the BYO headers get.
    x_missing_keys_status: int = 400
    x_missing_keys_code: int | None = None
    # Sends: the monthly active-conversation cap (100 or 1,000 depending on the page).
    monthly_conversation_cap: int = 100
    ig_reply_window_days: float = 7.0
    # Undocumented: whether an archived conversation returns to active on a new inbound message.
    unarchive_on_inbound: bool = True
    # Test switches for sends: answer only after this many seconds (the DM is already recorded,
    # so a client that gives up meanwhile does not know it went out), or refuse every send.
    send_delay_seconds: float = 0.0
    refuse_sends: tuple[int, str] | None = None  # (HTTP status, message)
    # A fault for every request (see FAULTS), for the tests that prove nothing is lost.
    fault: str | None = None
    fault_message: str | None = None  # the error text the 5xx faults send, if set
    # The fake's clock is this far off (seconds) in what it writes (lastUpdated/nextUpdate).
    clock_skew_seconds: float = 0.0
    # The 429 faults carry `Retry-After: <this>` when set (the docs do not say it is sent).
    retry_after_seconds: int | None = None
    # A change to the shape of every successful GET messages answer (see SHAPE_FAULTS).
    shape_fault: str | None = None


# What `FakeSettings.fault` can be. The HTTP front (server.py) carries out the ones that are
# about the connection or the bytes; `FakeAyrshare.handle` answers the others.
FAULTS = (
    "timeout",  # never answers in time
    "reset",  # closes the connection halfway through the body
    "500",
    "502",
    "503",
    "429",  # with x-ratelimit-* headers
    "429-bare",  # without them
    "html",  # an HTML error page with HTTP 502
    "truncated",  # JSON cut off
    "malformed",  # not JSON at all, HTTP 200
    "wrong-shape",  # valid JSON, not the documented shape
    "suspended",  # the profile is suspended: 403
    "deep-json",  # JSON nested 100,000 deep (a RecursionError for a naive parser)
    "huge",  # a valid answer of over 20 MB
    "trickle",  # a byte at a time, each within a read timeout, never finishing
)

# What `FakeSettings.shape_fault` can be: answers that are JSON, HTTP 200, but not the shape
# the docs show, or with one bad item.
SHAPE_FAULTS = (
    "no-list",  # {"status": "success"}: no conversationIds / messages at all
    "old-shape",  # the list under data.conversations / data.messages (pre-2024-like)
    "bad-item",  # one message with a time that is not a time, beside the good ones
    "garbage-window",  # nextUpdate "soon-ish", lastUpdated "yesterday"
    "past-window",  # nextUpdate a minute before lastUpdated
)


@dataclass
class FakeMessage:
    id: str
    action: str  # "sent" | "received"
    created: datetime
    text: str | None = None
    attachments: list[dict[str, str]] = field(default_factory=list)
    reactions: dict[str, str] = field(default_factory=dict)


@dataclass
class FakeConversation:
    id: str
    participant_id: str
    participant_name: str
    participant_picture: str = ""
    participant_username: str = ""
    status: str = "active"
    watermark: int | None = None
    messages: list[FakeMessage] = field(default_factory=list)  # oldest first
    thread_controlled_by_other_app: bool = False

    def last_received(self) -> datetime | None:
        return max((m.created for m in self.messages if m.action == "received"), default=None)


@dataclass
class FakePlatform:
    account_id: str  # the profile's own id on this network
    account_name: str
    messaging_enabled: bool = True
    conversations: dict[str, FakeConversation] = field(default_factory=dict)


@dataclass
class FakeProfile:
    title: str
    ref_id: str
    platforms: dict[str, FakePlatform] = field(default_factory=dict)
    auto_response: dict[str, Any] = field(default_factory=dict)
    conversations_replied_this_month: set[str] = field(default_factory=set)
    suspended: bool = False


@dataclass
class Arrival:
    """An inbound message scheduled to appear at `due` (the demo's live traffic)."""

    due: datetime
    profile_key: str | None
    platform: str
    conversation_id: str
    message: FakeMessage


@dataclass
class RecordedRequest:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: Any
    status: int = 0


@dataclass
class Reply:
    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds the HTTP front waits before answering


def _error(status: int, message: str, code: int | None = None, action: str = "messages") -> Reply:
    body: dict[str, Any] = {"action": action, "status": "error", "message": message}
    if code is not None:
        body["code"] = code
    return Reply(status, body)


def _reshaped(reply: Reply, fault: str | None) -> Reply:
    """A successful GET answer changed as `FakeSettings.shape_fault` says."""
    body = reply.body
    if reply.status != 200 or fault is None:
        return reply
    lists = ("conversationIds", "conversationsDetails", "messages")
    if fault == "no-list":
        body = {k: v for k, v in body.items() if k not in lists}
    elif fault == "old-shape":
        rest = {k: v for k, v in body.items() if k not in lists}
        inner = body.get("conversationsDetails", body.get("messages", []))
        body = {
            **rest,
            "data": {"conversations" if "conversationIds" in body else "messages": inner},
        }
    elif fault == "bad-item" and body.get("messages"):
        bad = {**body["messages"][0], "id": "bad_time", "created": "yesterday at noon"}
        body = {**body, "messages": [bad, *body["messages"]]}
    elif fault == "garbage-window":
        body = {**body, "nextUpdate": "soon-ish", "lastUpdated": "yesterday"}
    elif fault == "past-window" and "lastUpdated" in body:
        last = datetime.fromisoformat(body["lastUpdated"].replace("Z", "+00:00"))
        body = {**body, "nextUpdate": iso(last - timedelta(minutes=1))}
    return Reply(reply.status, body, reply.headers, reply.delay)


def _encode_cursor(snapshot: int, offset: int) -> str:
    return base64.urlsafe_b64encode(json.dumps([snapshot, offset]).encode()).decode()


def _decode_cursor(cursor: str) -> tuple[int, int] | None:
    try:
        snapshot, offset = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        return int(snapshot), int(offset)
    except (ValueError, TypeError):
        return None


class FakeAyrshare:
    """The fake API. `handle()` takes one request and returns the reply the real one would."""

    base_path = "/api"

    def __init__(
        self,
        settings: FakeSettings | None = None,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.settings = settings or FakeSettings()
        self.clock = clock
        self.primary = FakeProfile(title="Primary", ref_id="primary")
        self.profiles: dict[str, FakeProfile] = {}  # profile key -> profile
        self.arrivals: list[Arrival] = []
        self.requests: list[RecordedRequest] = []
        self._cache: dict[tuple, tuple[int, Any, datetime, datetime]] = {}
        self._snapshots = 0
        self._rate: dict[tuple[str | None, int], int] = defaultdict(int)
        self._429s: dict[str | None, list[datetime]] = defaultdict(list)
        self._ids = 0

    def serves(self, path: str) -> bool:
        return path.startswith(self.base_path)

    # -- data -----------------------------------------------------------------------------------

    def profile(self, key: str | None) -> FakeProfile:
        return self.primary if key is None else self.profiles[key]

    def new_id(self, prefix: str) -> str:
        self._ids += 1
        return f"{prefix}{self._ids:08d}"

    def advance(self) -> None:
        """Deliver the arrivals that are due."""
        now = self.clock()
        due = [a for a in self.arrivals if a.due <= now]
        if not due:
            return
        self.arrivals = [a for a in self.arrivals if a.due > now]
        for arrival in due:
            self.deliver(
                arrival.profile_key, arrival.platform, arrival.conversation_id, arrival.message
            )

    def deliver(
        self, key: str | None, platform: str, conversation_id: str, message: FakeMessage
    ) -> None:
        conversation = self.profile(key).platforms[platform].conversations[conversation_id]
        conversation.messages.append(message)
        if message.action == "received" and self.settings.unarchive_on_inbound:
            conversation.status = "active"

    # -- the request path -----------------------------------------------------------------------

    def handle(
        self,
        method: str,
        path: str,
        query: dict[str, str],
        headers: dict[str, str],
        body: Any,
    ) -> Reply:
        record = RecordedRequest(method, path, dict(query), dict(headers), body)
        self.requests.append(record)
        self.advance()
        reply = self._faulty() or self._authorised(method, path, query, headers, body)
        record.status = reply.status
        return reply

    def _faulty(self) -> Reply | None:
        fault = self.settings.fault
        if fault in ("500", "502", "503"):
            message = self.settings.fault_message or f"Upstream error {fault}."
            return _error(int(fault), message, action="server")
        retry = (
            {"retry-after": str(self.settings.retry_after_seconds)}
            if self.settings.retry_after_seconds is not None
            else {}
        )
        if fault == "429":
            return Reply(
                429,
                {"status": "error", "code": 429, "message": "Too many requests."},
                {
                    "x-ratelimit-max": str(self.settings.rate_limit_max),
                    "x-ratelimit-count": str(self.settings.rate_limit_max + 1),
                    **retry,
                },
            )
        if fault == "429-bare":
            return Reply(429, {"status": "error", "message": "Too many requests."}, retry)
        if fault == "suspended":
            return _error(403, "This profile is suspended.", action="authorization")
        if fault == "wrong-shape":
            return Reply(
                200,
                {
                    "status": "success",
                    "messages": {"unexpected": True},
                    "conversationIds": "not-a-list",
                },
            )
        return None

    def _authorised(self, method, path, query, headers, body) -> Reply:
        auth = headers.get("authorization", "")
        if auth != f"Bearer {self.settings.api_key}":
            return _error(401, "Invalid or missing API key.", action="authorization")
        key = headers.get("profile-key") or None
        if key is not None and key not in self.profiles:
            return _error(
                self.settings.unknown_profile_status,
                "Profile-Key not found.",
                action="authorization",
            )
        profile = self.profile(key)
        if profile.suspended:
            return _error(403, "This profile is suspended.", action="authorization")
        reply = self._rate_limited(key)
        if reply.status == 200:
            reply = self._route(method, path, query, headers, body, key, profile)
        reply.headers.update(self._rate_headers(key))
        return reply

    def _window(self) -> int:
        return int(self.clock().timestamp()) // RATE_WINDOW_SECONDS

    def requests_per_window(self, key: str | None) -> dict[int, int]:
        """The requests a profile made in each 5-minute rate window (for the tests)."""
        return {window: n for (k, window), n in self._rate.items() if k == key}

    def _rate_headers(self, key: str | None) -> dict[str, str]:
        return {
            "x-ratelimit-max": str(self.settings.rate_limit_max),
            "x-ratelimit-count": str(self._rate[(key, self._window())]),
        }

    def _rate_limited(self, key: str | None) -> Reply:
        self._rate[(key, self._window())] += 1
        if self._rate[(key, self._window())] <= self.settings.rate_limit_max:
            return Reply(200, {})
        now = self.clock()
        recent = [t for t in self._429s[key] if now - t < timedelta(hours=24)]
        recent.append(now)
        self._429s[key] = recent
        if len(recent) >= self.settings.suspend_after_429s:
            self.profile(key).suspended = True
        return _error(429, "Rate limit exceeded.", action="ratelimit")

    def _route(self, method, path, query, headers, body, key, profile) -> Reply:
        parts = [p for p in path.strip("/").split("/") if p]
        if parts[:1] == ["api"]:
            parts = parts[1:]
        if parts == ["messages", "autoresponse"]:
            if method == "GET":
                return Reply(200, {"status": "success", **profile.auto_response})
            if method == "POST":
                return self._set_auto_response(profile, body)
        if parts == ["user"] and method == "GET":
            return Reply(200, self._user(profile))
        if parts == ["profiles"] and method == "GET":
            return self._profiles()
        if len(parts) == 2 and parts[0] == "messages" and method == "GET":
            reply = self._route_messages(method, parts, query, headers, body, key, profile)
            return _reshaped(reply, self.settings.shape_fault)
        if len(parts) in (2, 3) and parts[0] == "messages":
            return self._route_messages(method, parts, query, headers, body, key, profile)
        if method not in ("GET", "POST", "PUT"):
            return _error(405, "Method not allowed.")
        return _error(404, "Not found.")

    def _route_messages(self, method, parts, query, headers, body, key, profile) -> Reply:
        """`messages/{platform}` (GET, POST) and `messages/{platform}/{id}` (PUT)."""
        platform = parts[1]
        if platform not in PLATFORMS:
            return _error(400, f"Invalid platform: {platform[:40]}")
        if platform not in profile.platforms:
            return _error(400, f"{platform} is not linked to this profile.")
        if not profile.platforms[platform].messaging_enabled:
            return _error(
                400,
                "Messaging is not enabled for this profile. Subscribe and activate messaging.",
                361,
            )
        if platform == "twitter" and not (
            headers.get("x-twitter-oauth1-api-key") and headers.get("x-twitter-oauth1-api-secret")
        ):
            return _error(
                self.settings.x_missing_keys_status,
                "X requires your own API key and secret (X-Twitter-OAuth1-Api-Key/Secret).",
                self.settings.x_missing_keys_code,
            )
        if len(parts) == 2 and method == "GET":
            return self._get_messages(key, profile, platform, query)
        if len(parts) == 2 and method == "POST":
            return self._send(profile, platform, body)
        if len(parts) == 3 and method == "PUT":
            return self._set_status(profile, platform, parts[2], body)
        return _error(405, "Method not allowed.")

    # -- GET messages ---------------------------------------------------------------------------

    def _now(self) -> datetime:
        """The time as the fake's (possibly skewed) clock writes it."""
        return self.clock() + timedelta(seconds=self.settings.clock_skew_seconds)

    def _cached(
        self, cache_key: tuple, platform: str, compute: Callable[[], Any]
    ) -> tuple[int, Any, datetime, datetime]:
        entry = self._cache.get(cache_key)
        if self.settings.cache_enabled and entry is not None and self._now() < entry[3]:
            return entry
        ttl = timedelta(seconds=self.settings.cache_ttl_seconds[platform])
        self._snapshots += 1
        stamp = self._now()
        entry = (self._snapshots, compute(), stamp, stamp + ttl)
        self._cache[cache_key] = entry
        return entry

    def _get_messages(
        self, key, profile: FakeProfile, platform: str, query: dict[str, str]
    ) -> Reply:
        status = query.get("status", "active")
        if status not in ("active", "archived"):
            return _error(400, "status must be active or archived.")
        account = profile.platforms[platform]
        if query.get("conversationsOnly", "false").lower() == "true":
            _, details, last, nxt = self._cached(
                (key, platform, "conversations", status),
                platform,
                lambda: [
                    self._detail(c) for c in account.conversations.values() if c.status == status
                ],
            )
            return Reply(
                200,
                {
                    "status": "success",
                    "conversationIds": [d["id"] for d in details],
                    "conversationsDetails": details,
                    "lastUpdated": iso(last),
                    "nextUpdate": iso(nxt),
                },
            )
        conversation_id = query.get("conversationId")
        snapshot, messages, last, nxt = self._cached(
            (key, platform, "messages", status, conversation_id),
            platform,
            lambda: self._messages(account, platform, status, conversation_id),
        )
        body: dict[str, Any] = {
            "status": "success",
            "lastUpdated": iso(last),
            "nextUpdate": iso(nxt),
        }
        if platform != "twitter" or "limit" not in query:
            body["messages"] = messages
            return Reply(200, body)
        try:
            limit = int(query["limit"])
        except ValueError:
            limit = 0
        if not 1 <= limit <= 100:
            return _error(400, "limit must be between 1 and 100.")
        offset = 0
        if query.get("next"):
            cursor = _decode_cursor(query["next"])
            if cursor is None or cursor[0] != snapshot:
                # The snapshot moved on (or the cursor is junk): the real cursor expires too.
                return _error(400, "Invalid or expired next cursor.")
            offset = cursor[1]
        page = messages[offset : offset + limit]
        has_more = offset + limit < len(messages)
        # The documented X page omits `platform` and `recipientId`.
        body["messages"] = [
            {k: v for k, v in m.items() if k not in ("platform", "recipientId")} for m in page
        ]
        body["messagesCount"] = len(page)
        pagination: dict[str, Any] = {"hasMore": has_more, "limit": limit}
        if has_more:
            pagination["next"] = _encode_cursor(snapshot, offset + limit)
        body["meta"] = {"pagination": pagination}
        return Reply(200, body)

    @staticmethod
    def _detail(conversation: FakeConversation) -> dict[str, Any]:
        detail: dict[str, Any] = {
            "id": conversation.id,
            "participant": {
                "name": conversation.participant_name,
                "id": conversation.participant_id,
                "picture": conversation.participant_picture,
            },
            "status": conversation.status,
        }
        if conversation.watermark is not None:
            detail["watermark"] = conversation.watermark
        return detail

    @staticmethod
    def _messages(
        account: FakePlatform, platform: str, status: str, conversation_id: str | None
    ) -> list[dict]:
        out: list[tuple[datetime, dict]] = []
        for conversation in account.conversations.values():
            if conversation.status != status:
                continue
            if conversation_id and conversation.id != conversation_id:
                continue
            for m in conversation.messages:
                out.append(
                    (m.created, FakeAyrshare._wire_message(account, platform, conversation, m))
                )
        out.sort(key=lambda pair: pair[0], reverse=True)  # newest first, as the examples
        return [wire for _, wire in out]

    @staticmethod
    def _wire_message(
        account: FakePlatform, platform: str, c: FakeConversation, m: FakeMessage
    ) -> dict:
        them = {"name": c.participant_name}
        if platform == "twitter":
            them["username"] = c.participant_username or c.participant_name
        elif c.participant_picture:
            them["profileImage"] = c.participant_picture
        wire: dict[str, Any] = {
            "id": m.id,
            "conversationId": c.id,
            "platform": platform,
            "action": m.action,
            "created": iso(m.created),
        }
        if m.action == "received":
            wire.update(
                senderId=c.participant_id, senderDetails=them, recipientId=account.account_id
            )
        else:
            wire.update(
                senderId=account.account_id,
                senderDetails={"name": account.account_name},
                recipientId=c.participant_id,
                recipientDetails={
                    "name": c.participant_name,
                    "id": c.participant_id,
                    "picture": c.participant_picture,
                },
            )
        if m.text is not None:
            wire["message"] = m.text
        if m.attachments:
            wire["attachments"] = [dict(a) for a in m.attachments]
        if m.reactions:
            wire["reactions"] = dict(m.reactions)
        return wire

    # -- writes ---------------------------------------------------------------------------------

    def _send(self, profile: FakeProfile, platform: str, body: Any) -> Reply:
        if self.settings.refuse_sends is not None:
            status, refusal = self.settings.refuse_sends
            return _error(status, refusal)
        if not isinstance(body, dict):
            return _error(400, "The body must be a JSON object.")
        recipient = body.get("recipientId")
        text = body.get("message")
        media = body.get("mediaUrls") or []
        if not isinstance(recipient, str) or not recipient:
            return _error(400, "recipientId is required.")
        if not isinstance(media, list) or not all(isinstance(u, str) for u in media):
            return _error(400, "mediaUrls must be a list of URLs.")
        if text is not None and not isinstance(text, str):
            return _error(400, "message must be a string.")
        if platform == "twitter":
            if not text:
                return _error(400, "X messages need at least one character of text.")
            if len(media) > 1:
                return _error(400, "X accepts exactly one media URL.")
        elif not text and not media:
            return _error(400, "Send a message or mediaUrls.")
        elif any("?" in url for url in media):
            return _error(400, "Media URLs must not carry query parameters.")
        account = profile.platforms[platform]
        conversation = next(
            (c for c in account.conversations.values() if c.participant_id == recipient), None
        )
        last_received = conversation.last_received() if conversation else None
        if conversation is None or last_received is None:
            return _error(400, "The recipient must message you first.")
        if conversation.thread_controlled_by_other_app:
            return _error(
                400, "Message failed to send because another app is controlling this thread now"
            )
        now = self.clock()
        if platform == "instagram" and now - last_received > timedelta(
            days=self.settings.ig_reply_window_days
        ):
            return _error(400, "Instagram replies must be sent within 7 days of the last message.")
        replied = profile.conversations_replied_this_month
        if (
            conversation.id not in replied
            and len(replied) >= self.settings.monthly_conversation_cap
        ):
            return _error(400, "Monthly active conversation limit reached.")
        replied.add(conversation.id)
        message = FakeMessage(
            id=self.new_id({"facebook": "m_", "instagram": "aWdf", "twitter": ""}[platform]),
            action="sent",
            created=now,
            text=text or None,
            attachments=[{"type": "image", "url": u} for u in media],
        )
        conversation.messages.append(message)
        return Reply(
            status=200,
            body={
                "status": "success",
                "recipientId": recipient,
                "messageId": message.id,
                "message": text or "",
            },
            delay=self.settings.send_delay_seconds,
        )

    def _set_status(
        self, profile: FakeProfile, platform: str, conversation_id: str, body: Any
    ) -> Reply:
        status = body.get("status") if isinstance(body, dict) else None
        if status not in ("active", "archived"):
            return _error(400, "status must be active or archived.")
        conversation = profile.platforms[platform].conversations.get(conversation_id)
        if conversation is None:
            return _error(404, "Conversation not found.")
        conversation.status = status
        return Reply(200, {"status": "success"})

    def _set_auto_response(self, profile: FakeProfile, body: Any) -> Reply:
        if not isinstance(body, dict):
            return _error(400, "The body must be a JSON object.")
        fields = ("autoResponseActive", "autoResponseMessage", "autoResponseWaitSeconds")
        update = {k: body[k] for k in fields if k in body}
        if not update:
            return _error(400, "Send at least one auto-response field.")
        if update.get("autoResponseMessage") == "":
            update["autoResponseMessage"] = (
                "Thank you for contacting us. A customer care agent will get back to you soon."
            )
        profile.auto_response.update(update)
        return Reply(200, {"status": "success", "updated": dict(profile.auto_response)})

    # -- profile endpoints ----------------------------------------------------------------------

    def _user(self, profile: FakeProfile) -> dict[str, Any]:
        return {
            "status": "success",
            "activeSocialAccounts": list(profile.platforms),
            "displayNames": [
                {
                    "platform": name,
                    "id": account.account_id,
                    "displayName": account.account_name,
                    "messagingActive": account.messaging_enabled,
                }
                for name, account in profile.platforms.items()
            ],
        }

    def _profiles(self) -> Reply:
        now = self.clock()
        return Reply(
            200,
            {
                "profiles": [
                    {
                        "status": "suspended" if p.suspended else "active",
                        "title": p.title,
                        "refId": p.ref_id,
                        "activeSocialAccounts": list(p.platforms),
                    }
                    for p in self.profiles.values()
                ],
                "count": len(self.profiles),
                "lastUpdated": iso(now),
                "nextUpdate": iso(now + timedelta(minutes=5)),
            },
        )
