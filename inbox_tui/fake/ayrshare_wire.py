"""How the fake writes Ayrshare's answers: conversation details, messages as the API shows
them, errors, paging cursors, and the shape faults that bend an answer."""

from __future__ import annotations

import base64
import json
from datetime import datetime, timedelta
from typing import Any

from inbox_tui.fake.records import FakeConversation, FakeMessage, FakePlatform, Reply, iso


def error_reply(
    status: int, message: str, code: int | None = None, action: str = "messages"
) -> Reply:
    body: dict[str, Any] = {"action": action, "status": "error", "message": message}
    if code is not None:
        body["code"] = code
    return Reply(status, body)


def reshaped(reply: Reply, fault: str | None) -> Reply:
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


def encode_cursor(snapshot: int, offset: int) -> str:
    return base64.urlsafe_b64encode(json.dumps([snapshot, offset]).encode()).decode()


def decode_cursor(cursor: str) -> tuple[int, int] | None:
    try:
        snapshot, offset = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        return int(snapshot), int(offset)
    except (ValueError, TypeError):
        return None


def detail(conversation: FakeConversation) -> dict[str, Any]:
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


def wire_messages(
    account: FakePlatform, platform: str, status: str, conversation_id: str | None
) -> list[dict]:
    out: list[tuple[datetime, dict]] = []
    for conversation in account.conversations.values():
        if conversation.status != status:
            continue
        if conversation_id and conversation.id != conversation_id:
            continue
        for m in conversation.messages:
            out.append((m.created, wire_message(account, platform, conversation, m)))
    out.sort(key=lambda pair: pair[0], reverse=True)  # newest first, as the examples
    return [wire for _, wire in out]


def wire_message(account: FakePlatform, platform: str, c: FakeConversation, m: FakeMessage) -> dict:
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
        wire.update(senderId=c.participant_id, senderDetails=them, recipientId=account.account_id)
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
