"""What the fake Graph's answers share: its datetime format, its error body and its paging
(`after` cursors, a `next` the client must not follow)."""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from typing import Any

from inbox_tui.fake.records import Reply


def graph_time(moment: datetime) -> str:
    """Graph's own datetime format: "2022-07-12T19:11:07+0000"."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


def error(status: int, code: int, message: str, sub: int | None = None) -> Reply:
    error: dict[str, Any] = {
        "message": message,
        "type": "OAuthException",
        "code": code,
        "fbtrace_id": "AbCdEfGhIjK",
    }
    if sub is not None:
        error["error_subcode"] = sub
    return Reply(status, {"error": error})


def version_of(path: str) -> tuple[int, int]:
    major, minor = path[2:].split(".")
    return int(major), int(minor)


def cursor(after: str | None) -> int:
    if not after:
        return 0
    try:
        return int(base64.urlsafe_b64decode(after.encode()).decode())
    except ValueError:
        return 0


def page_size(query: dict[str, str], default: int) -> int:
    try:
        return max(1, min(100, int(query.get("limit", default))))
    except ValueError:
        return default


def paging(start: int, limit: int, total: int, query: dict[str, str]) -> dict[str, Any]:
    after = base64.urlsafe_b64encode(str(start + limit).encode()).decode()
    before = base64.urlsafe_b64encode(str(start).encode()).decode()
    paging: dict[str, Any] = {"cursors": {"before": before, "after": after}}
    if start + limit < total:
        # A real `next` URL carries the token; the client must not follow it (it does not).
        paging["next"] = f"https://graph.example/next?after={after}&access_token=REDACTED"
    return paging
