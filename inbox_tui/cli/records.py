"""The JSON the commands print: one shape per kind of record, documented in the README and
kept stable (fields are added, never renamed or removed). Times are ISO 8601 in UTC."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from inbox_tui.domain import Message

if TYPE_CHECKING:
    from inbox_tui.reply_rules import ReplyWindow
    from inbox_tui.response_times import Figures
    from inbox_tui.search import SearchHit
    from inbox_tui.store import ConversationRef, ConversationRow, OutboxItem


def ref_text(ref: ConversationRef) -> str:
    """profile/platform/id: what `list` prints and every command takes."""
    profile, platform, cid = ref
    return f"{profile}/{platform.value}/{cid}"


def iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def line(record: dict) -> str:
    """One JSON Lines line (UTF-8 as it is: names and messages are not escaped to \\uXXXX)."""
    return json.dumps(record, ensure_ascii=False)


def conversation(row: ConversationRow) -> dict:
    profile, platform, cid = row.ref
    return {
        "ref": ref_text(row.ref),
        "profile": profile,
        "platform": platform.value,
        "id": cid,
        "status": row.status.value,
        "participant": {"id": row.participant_id, "name": row.participant_name},
        "last_message_at": iso(row.last_message_at),
        "last_received_at": iso(row.last_received_at),
        "last_direction": row.last_direction.value if row.last_direction else None,
        "preview": row.preview,
        "messages": row.message_count,
        "unread": row.unread,
        "needs_reply": row.needs_reply,
        "snoozed_until": iso(row.snoozed_until),
        "has_draft": row.has_draft,
        "reply_problem": row.outbox_problem,
        "labels": list(row.labels),
    }


def message(m: Message) -> dict:
    return {
        "id": m.id,
        "direction": m.direction.value,
        "created": iso(m.created),
        "sender": {"id": m.sender_id, "name": m.sender_name},
        "text": m.text,
        "attachments": [{"type": a.type, "url": a.url} for a in m.attachments],
        "reactions": m.reactions,
        "reply_to": m.reply_to or None,
        "unavailable": m.unavailable,
    }


def reply_window(window: ReplyWindow) -> dict:
    return {
        "can_reply": window.can_reply,
        "reason": window.reason or None,
        "closes_at": iso(window.closes_at),
    }


def outbox_item(item: OutboxItem) -> dict:
    return {
        "local_id": item.local_id,
        "state": item.state.value,
        "text": item.text,
        "media_urls": list(item.media_urls),
        "error": item.error or None,
        "message_id": item.message_id,
        "created": iso(item.created_at),
    }


def snippet(hit: SearchHit) -> str:
    """The hit's words around the match, without the markers the app styles."""
    from inbox_tui.search import MARK_END, MARK_START

    return hit.snippet.replace(MARK_START, "").replace(MARK_END, "")


def search_hit(hit: SearchHit) -> dict:
    return {
        "ref": ref_text(hit.ref),
        "profile": hit.profile,
        "platform": hit.platform.value,
        "conversation_id": hit.conversation_id,
        "message_id": hit.message_id,
        "created": iso(hit.created),
        "direction": hit.direction.value,
        "sender_name": hit.sender_name,
        "participant_name": hit.participant_name,
        "status": hit.status.value,
        "snippet": snippet(hit),
    }


def response_times(profile: str, periods: dict[str, Figures]) -> dict:
    """One brand's figures: per period, replies counted and the waits in seconds (null
    when nothing was answered)."""
    return {
        "profile": profile,
        **{
            period.replace(" ", "_"): {
                "answered": f.answered,
                "median_seconds": None if f.median is None else round(f.median),
                "p90_seconds": None if f.p90 is None else round(f.p90),
            }
            for period, f in periods.items()
        },
    }
