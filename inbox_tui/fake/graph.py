"""A fake of Meta's Graph Conversations API for one Page (Messenger and Instagram).

Rules without HTTP, like `state.py`; `server.build_app` puts both fakes behind one front.
What the docs leave open is a `FakeGraphSettings` field (see shared/reference §3):
the shape of messages past the 20 Meta details, the usage each call costs, the status a
throttled call gets, what a Custom Labels call without the permission gets. The Page's
Custom Labels are `graph_labels`; the answers' shared parts `graph_wire`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from inbox_tui.fake.graph_labels import FakeCustomLabels
from inbox_tui.fake.graph_wire import cursor, error, graph_time, page_size, paging, version_of
from inbox_tui.fake.records import RecordedRequest, Reply

GRAPH_VERSION = "v26.0"  # what the fake serves at `base_path`; it answers other versions too
VERSION_PATH = re.compile(r"/(v\d+)\.(\d+)(?=/|$)")
FIELD_LIMIT = re.compile(r"messages\.limit\((\d+)\)")


@dataclass
class GraphMessage:
    id: str
    created: datetime
    from_me: bool
    text: str = ""
    attachments: list[tuple[str, str]] = field(default_factory=list)  # (type, url)
    reply_to: str | None = None
    # Instagram's other kinds, as Graph writes them: {"shares": {"data": [{"link": …}]}},
    # {"story": {"mention": {"link": …, "id": …}}}, {"is_unsupported": true}.
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class GraphConversation:
    id: str
    platform: str  # "messenger" | "instagram"
    participant_id: str
    participant_name: str
    messages: list[GraphMessage] = field(default_factory=list)  # oldest first
    is_owner: bool = True
    can_reply: bool = True
    # None: what the Page has not read, as Meta counts it (the person's messages since the
    # Page's last one); a number: read (0) or left unread in another inbox.
    unread_count: int | None = None

    def page_unread(self) -> int:
        if self.unread_count is not None:
            return self.unread_count
        count = 0
        for message in reversed(self.messages):
            if message.from_me:
                break
            count += 1
        return count


@dataclass
class FakeGraphSettings:
    token: str = "test-page-token"
    page_id: str = "104000000000001"
    page_name: str = "Demo Page"
    ig_account_id: str = "17841400000000001"
    ig_username: str = "demo.page"
    detail_limit: int = 20  # Meta details only the newest 20 messages of a conversation
    # Undocumented: how a message past the limit comes back in a list. "bare": its id and
    # time only; "deleted": an entry whose fields are all absent but the id.
    older_messages: str = "bare"
    reply_window_hours: float = 24.0
    # The subcode a reply past the window gets: the error-code table lists 2018065 and
    # 2534022 for "outside of allowed window"; 2018278 is the Send API's own.
    window_subcode: int = 2018278
    human_agent_permission: bool = False  # the app may tag replies HUMAN_AGENT (7 days)
    # Usage (X-App-Usage / X-Business-Use-Case-Usage, percent) that each call adds within
    # the hour; at 100 % calls are refused with `throttle_code` until the hour has passed.
    usage_per_call: float = 0.0
    throttle_code: int = 4
    throttle_status: int = 400
    expired_token: bool = False
    send_delay_seconds: float = 0.0
    fault: str | None = None  # the HTTP front's faults ("timeout", "reset", "html", ...)
    # Versions before this one are refused with `deprecated_code` (Meta retires a version two
    # years after the next; what it answers then the docs leave open: 12 or 2635).
    oldest_version: str = "v21.0"
    deprecated_code: int = 12
    # Set: every call must carry appsecret_proof (the Page's "Require App Secret").
    app_secret: str | None = None
    # Refuse a send whose message has an attachment: (HTTP status, code, subcode, message).
    refuse_attachments: tuple[int, int, int | None, str] | None = None
    # An answer without `data` on the conversations edge (a shape we don't know).
    conversations_without_data: bool = False
    # The next sends are refused with this error body's `error` fields (once each).
    send_errors: list[dict[str, Any]] = field(default_factory=list)
    # Set: every Custom Labels call is refused so (HTTP status, code, message). Meta answers a
    # token without pages_manage_metadata with a permission error (#200); what a Page whose
    # admins have not accepted the Page Contact Terms gets is not documented.
    custom_labels_refused: tuple[int, int, str] | None = None


class FakeGraph:
    base_path = f"/{GRAPH_VERSION}"

    def serves(self, path: str) -> bool:
        return VERSION_PATH.match(path) is not None

    def __init__(
        self, settings: FakeGraphSettings | None = None, clock: Callable[[], datetime] | None = None
    ) -> None:
        self.settings = settings or FakeGraphSettings()
        self.clock = clock or (lambda: datetime.now(UTC))
        self.conversations: dict[str, GraphConversation] = {}
        self.requests: list[RecordedRequest] = []
        self.scheduled: list[tuple[datetime, str, str]] = []  # (due, conversation id, text)
        self._calls: list[datetime] = []
        self._next_id = 1
        self.labels = FakeCustomLabels(
            self.settings.page_id,
            lambda: {
                c.participant_id for c in self.conversations.values() if c.platform == "messenger"
            },
            lambda: self.settings.custom_labels_refused,
        )

    # -- data -----------------------------------------------------------------------------------

    def add(self, conversation: GraphConversation) -> GraphConversation:
        self.conversations[conversation.id] = conversation
        return conversation

    def deliver(
        self, conversation_id: str, text: str, when: datetime | None = None
    ) -> GraphMessage:
        """A new message from the person."""
        message = GraphMessage(self._new_id(), when or self.clock(), False, text)
        conversation = self.conversations[conversation_id]
        conversation.messages.append(message)
        if conversation.unread_count is not None:
            conversation.unread_count += 1
        return message

    def _deliver_due(self) -> None:
        now = self.clock()
        while self.scheduled and self.scheduled[0][0] <= now:
            due, conversation_id, text = self.scheduled.pop(0)
            self.deliver(conversation_id, text, due)

    def _new_id(self) -> str:
        self._next_id += 1
        return f"m_{self._next_id:06d}"

    # -- the API --------------------------------------------------------------------------------

    def usage(self) -> float:
        hour_ago = self.clock() - timedelta(hours=1)
        self._calls = [t for t in self._calls if t > hour_ago]
        return min(100.0, len(self._calls) * self.settings.usage_per_call)

    def handle(
        self, method: str, path: str, query: dict[str, str], headers: dict[str, str], body: Any
    ) -> Reply:
        record = RecordedRequest(method, path, dict(query), dict(headers), body)
        self.requests.append(record)
        self._deliver_due()
        version = VERSION_PATH.match(path)
        if version is not None and version_of(version.group(0)) < version_of(
            "/" + self.settings.oldest_version
        ):
            reply = error(
                400,
                self.settings.deprecated_code,
                f"(#{self.settings.deprecated_code}) {version.group(0)[1:]} is deprecated for "
                "this app: call a current version",
            )
        else:
            rest = path[version.end() :] if version else path
            reply = self._answer(method, rest.strip("/"), query, headers, body)
        self._calls.append(self.clock())
        reply.headers.update(self._usage_headers())
        record.status = reply.status
        return reply

    def _usage_headers(self) -> dict[str, str]:
        used = round(self.usage())
        regain = 60 if used >= 100 else 0
        app = {"call_count": used, "total_cputime": used // 2, "total_time": used // 2}
        buc = {
            self.settings.page_id: [
                {
                    "type": "pages",
                    "call_count": used,
                    "total_cputime": used // 2,
                    "total_time": used // 2,
                    "estimated_time_to_regain_access": regain,
                }
            ]
        }
        return {"x-app-usage": json.dumps(app), "x-business-use-case-usage": json.dumps(buc)}

    def _answer(self, method, path, query, headers, body) -> Reply:
        s = self.settings
        token = headers.get("authorization", "").removeprefix("Bearer ") or query.get(
            "access_token", ""
        )
        if token != s.token or s.expired_token:
            return error(400, 190, "Error validating access token: Session has expired.", sub=463)
        if s.app_secret is not None:
            proof = hmac.new(s.app_secret.encode(), token.encode(), hashlib.sha256).hexdigest()
            if query.get("appsecret_proof") != proof:
                return error(
                    400, 100, "API calls from the server require an appsecret_proof argument"
                )
        if self.usage() >= 100:
            return error(s.throttle_status, s.throttle_code, "Application request limit reached")
        parts = path.split("/")
        if method == "GET" and parts == [s.page_id]:
            return Reply(
                200,
                {
                    "id": s.page_id,
                    "name": s.page_name,
                    "instagram_business_account": {
                        "id": s.ig_account_id,
                        "username": s.ig_username,
                    },
                },
            )
        if method == "GET" and parts == [s.page_id, "conversations"]:
            return self._conversations(query)
        if method == "GET" and len(parts) == 2 and parts[1] == "messages":
            conversation = self.conversations.get(parts[0])
            if conversation is None:
                return error(400, 100, "Unsupported get request. Object does not exist.", sub=33)
            return self._messages(conversation, query)
        if method == "POST" and parts == [s.page_id, "messages"]:
            return self._send(body)
        if (labelled := self.labels.answer(method, parts, query, body)) is not None:
            return labelled
        return error(400, 100, f"Unknown path components: /{path}")

    def _conversations(self, query: dict[str, str]) -> Reply:
        platform = query.get("platform", "messenger")
        if platform not in ("messenger", "instagram"):
            return error(400, 100, "(#100) Param platform must be one of {MESSENGER, INSTAGRAM}")
        user = query.get("user_id")
        listed = sorted(
            (
                c
                for c in self.conversations.values()
                if c.platform == platform and (user is None or c.participant_id == user)
            ),
            key=lambda c: (
                c.messages[-1].created if c.messages else datetime.min.replace(tzinfo=UTC)
            ),
            reverse=True,
        )
        start, limit = cursor(query.get("after")), page_size(query, 25)
        page = listed[start : start + limit]
        if self.settings.conversations_without_data:
            return Reply(200, {"conversations": [c.id for c in page]})
        fields = query.get("fields", "id")
        nested = FIELD_LIMIT.search(fields)
        data = []
        for conversation in page:
            last = conversation.messages[-1].created if conversation.messages else self.clock()
            entry: dict[str, Any] = {"id": conversation.id, "updated_time": graph_time(last)}
            if "participants" in fields:
                entry["participants"] = {"data": self._participants(conversation)}
            if "snippet" in fields and conversation.messages:
                entry["snippet"] = conversation.messages[-1].text[:100]
            if "unread_count" in fields:
                entry["unread_count"] = conversation.page_unread()
            for name in ("can_reply", "is_owner"):
                if name in fields:
                    entry[name] = getattr(conversation, name)
            if "message_count" in fields:
                entry["message_count"] = len(conversation.messages)
            if nested:
                entry["messages"] = self._messages(conversation, {"limit": nested.group(1)}).body
            data.append(entry)
        return Reply(200, {"data": data, "paging": paging(start, limit, len(listed), query)})

    def _participants(self, conversation: GraphConversation) -> list[dict[str, str]]:
        s = self.settings
        me = (
            {"id": s.ig_account_id, "username": s.ig_username}
            if conversation.platform == "instagram"
            else {"id": s.page_id, "name": s.page_name}
        )
        key = "username" if conversation.platform == "instagram" else "name"
        return [{"id": conversation.participant_id, key: conversation.participant_name}, me]

    def _messages(self, conversation: GraphConversation, query: dict[str, str]) -> Reply:
        newest_first = conversation.messages[::-1]
        start, limit = cursor(query.get("after")), page_size(query, 25)
        data = []
        me, them = self._participants(conversation)[1], self._participants(conversation)[0]
        for index, message in enumerate(newest_first[start : start + limit], start):
            if index >= self.settings.detail_limit:
                data.append(
                    {"id": message.id, "created_time": graph_time(message.created)}
                    if self.settings.older_messages == "bare"
                    else {"id": message.id}
                )
                continue
            entry: dict[str, Any] = {
                "id": message.id,
                "created_time": graph_time(message.created),
                "from": me if message.from_me else them,
                "to": {"data": [them if message.from_me else me]},
            }
            if message.text:
                entry["message"] = message.text
            entry.update(message.extra)
            if message.attachments:
                entry["attachments"] = {
                    "data": [
                        {"id": f"{message.id}_a{n}", "image_data": {"url": url}}
                        if kind == "image"
                        else {"id": f"{message.id}_a{n}", "mime_type": f"{kind}/*", "file_url": url}
                        for n, (kind, url) in enumerate(message.attachments)
                    ]
                }
            if message.reply_to:
                quoted = next((m for m in conversation.messages if m.id == message.reply_to), None)
                entry["reply_to"] = {
                    "mid": message.reply_to,
                    "is_self_reply": quoted is not None and quoted.from_me == message.from_me,
                }
            data.append(entry)
        return Reply(200, {"data": data, "paging": paging(start, limit, len(newest_first), query)})

    def _send(self, body: Any) -> Reply:
        s = self.settings
        if not isinstance(body, dict) or not isinstance(body.get("recipient"), dict):
            return error(400, 100, "(#100) The parameter recipient is required")
        if body.get("messaging_type") not in ("RESPONSE", "UPDATE", "MESSAGE_TAG"):
            return error(400, 100, "(#100) Param messaging_type is required")
        recipient = str(body["recipient"].get("id", ""))
        conversation = next(
            (c for c in self.conversations.values() if c.participant_id == recipient), None
        )
        if conversation is None:
            return error(400, 100, "(#100) No matching user found", sub=2018001)
        if not conversation.is_owner:
            return error(400, 10, "(#10) This thread is owned by another app.", sub=2018300)
        inbound = [m.created for m in conversation.messages if not m.from_me]
        since = self.clock() - inbound[-1] if inbound else None
        tagged = body["messaging_type"] == "MESSAGE_TAG"
        if tagged and body.get("tag") != "HUMAN_AGENT":
            return error(400, 100, "(#100) Param tag must be one of {HUMAN_AGENT, ...}")
        if tagged and not s.human_agent_permission:
            return error(400, 10, "(#10) Requires the Human Agent permission.", sub=2018065)
        window = timedelta(days=7) if tagged else timedelta(hours=s.reply_window_hours)
        if body["messaging_type"] != "UPDATE" and (since is None or since > window):
            return error(
                400,
                10,
                "(#10) This message is sent outside of allowed window.",
                sub=s.window_subcode,
            )
        message = body.get("message") or {}
        attachment = message.get("attachment") if isinstance(message, dict) else None
        if s.send_errors:
            return Reply(400, {"error": s.send_errors.pop(0)})
        if attachment and s.refuse_attachments:
            status, code, sub, text = s.refuse_attachments
            return error(status, code, text, sub=sub)
        sent = GraphMessage(
            self._new_id(),
            self.clock(),
            True,
            str(message.get("text", "")) if isinstance(message, dict) else "",
            [(attachment["type"], attachment["payload"]["url"])] if attachment else [],
        )
        conversation.messages.append(sent)
        conversation.unread_count = None  # the Page wrote: it has read what came before
        return Reply(
            200, {"recipient_id": recipient, "message_id": sent.id}, delay=s.send_delay_seconds
        )
