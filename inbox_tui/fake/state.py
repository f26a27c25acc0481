"""The fake Ayrshare's rules, independent of HTTP so tests can drive them directly.

Where the public docs are silent (see shared/reference §4), the behaviour is a `FakeSettings`
field (in `records`), never a guess baked in.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from inbox_tui.fake.ayrshare_wire import (
    decode_cursor,
    detail,
    encode_cursor,
    error_reply,
    reshaped,
    wire_messages,
)
from inbox_tui.fake.records import (
    PLATFORMS,
    RATE_WINDOW_SECONDS,
    Arrival,
    FakeMessage,
    FakeProfile,
    FakeSettings,
    RecordedRequest,
    Reply,
    iso,
)


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
            return error_reply(int(fault), message, action="server")
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
            return error_reply(403, "This profile is suspended.", action="authorization")
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
            return error_reply(401, "Invalid or missing API key.", action="authorization")
        key = headers.get("profile-key") or None
        if key is not None and key not in self.profiles:
            return error_reply(
                self.settings.unknown_profile_status,
                "Profile-Key not found.",
                action="authorization",
            )
        profile = self.profile(key)
        if profile.suspended:
            return error_reply(403, "This profile is suspended.", action="authorization")
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
        return error_reply(429, "Rate limit exceeded.", action="ratelimit")

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
            return reshaped(reply, self.settings.shape_fault)
        if len(parts) in (2, 3) and parts[0] == "messages":
            return self._route_messages(method, parts, query, headers, body, key, profile)
        if method not in ("GET", "POST", "PUT"):
            return error_reply(405, "Method not allowed.")
        return error_reply(404, "Not found.")

    def _route_messages(self, method, parts, query, headers, body, key, profile) -> Reply:
        """`messages/{platform}` (GET, POST) and `messages/{platform}/{id}` (PUT)."""
        platform = parts[1]
        if platform not in PLATFORMS:
            return error_reply(400, f"Invalid platform: {platform[:40]}")
        if platform not in profile.platforms:
            return error_reply(400, f"{platform} is not linked to this profile.")
        if not profile.platforms[platform].messaging_enabled:
            return error_reply(
                400,
                "Messaging is not enabled for this profile. Subscribe and activate messaging.",
                361,
            )
        if platform == "twitter" and not (
            headers.get("x-twitter-oauth1-api-key") and headers.get("x-twitter-oauth1-api-secret")
        ):
            return error_reply(
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
        return error_reply(405, "Method not allowed.")

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
            return error_reply(400, "status must be active or archived.")
        account = profile.platforms[platform]
        if query.get("conversationsOnly", "false").lower() == "true":
            _, details, last, nxt = self._cached(
                (key, platform, "conversations", status),
                platform,
                lambda: [detail(c) for c in account.conversations.values() if c.status == status],
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
            lambda: wire_messages(account, platform, status, conversation_id),
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
            return error_reply(400, "limit must be between 1 and 100.")
        offset = 0
        if query.get("next"):
            cursor = decode_cursor(query["next"])
            if cursor is None or cursor[0] != snapshot:
                # The snapshot moved on (or the cursor is junk): the real cursor expires too.
                return error_reply(400, "Invalid or expired next cursor.")
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
            pagination["next"] = encode_cursor(snapshot, offset + limit)
        body["meta"] = {"pagination": pagination}
        return Reply(200, body)

    # -- writes ---------------------------------------------------------------------------------

    def _send(self, profile: FakeProfile, platform: str, body: Any) -> Reply:
        if self.settings.refuse_sends is not None:
            status, refusal = self.settings.refuse_sends
            return error_reply(status, refusal)
        if not isinstance(body, dict):
            return error_reply(400, "The body must be a JSON object.")
        recipient = body.get("recipientId")
        text = body.get("message")
        media = body.get("mediaUrls") or []
        if not isinstance(recipient, str) or not recipient:
            return error_reply(400, "recipientId is required.")
        if not isinstance(media, list) or not all(isinstance(u, str) for u in media):
            return error_reply(400, "mediaUrls must be a list of URLs.")
        if text is not None and not isinstance(text, str):
            return error_reply(400, "message must be a string.")
        if platform == "twitter":
            if not text:
                return error_reply(400, "X messages need at least one character of text.")
            if len(media) > 1:
                return error_reply(400, "X accepts exactly one media URL.")
        elif not text and not media:
            return error_reply(400, "Send a message or mediaUrls.")
        elif any("?" in url for url in media):
            return error_reply(400, "Media URLs must not carry query parameters.")
        account = profile.platforms[platform]
        conversation = next(
            (c for c in account.conversations.values() if c.participant_id == recipient), None
        )
        last_received = conversation.last_received() if conversation else None
        if conversation is None or last_received is None:
            return error_reply(400, "The recipient must message you first.")
        if conversation.thread_controlled_by_other_app:
            return error_reply(
                400, "Message failed to send because another app is controlling this thread now"
            )
        now = self.clock()
        if platform == "instagram" and now - last_received > timedelta(
            days=self.settings.ig_reply_window_days
        ):
            return error_reply(
                400, "Instagram replies must be sent within 7 days of the last message."
            )
        replied = profile.conversations_replied_this_month
        if (
            conversation.id not in replied
            and len(replied) >= self.settings.monthly_conversation_cap
        ):
            return error_reply(400, "Monthly active conversation limit reached.")
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
            return error_reply(400, "status must be active or archived.")
        conversation = profile.platforms[platform].conversations.get(conversation_id)
        if conversation is None:
            return error_reply(404, "Conversation not found.")
        conversation.status = status
        return Reply(200, {"status": "success"})

    def _set_auto_response(self, profile: FakeProfile, body: Any) -> Reply:
        if not isinstance(body, dict):
            return error_reply(400, "The body must be a JSON object.")
        fields = ("autoResponseActive", "autoResponseMessage", "autoResponseWaitSeconds")
        update = {k: body[k] for k in fields if k in body}
        if not update:
            return error_reply(400, "Send at least one auto-response field.")
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
