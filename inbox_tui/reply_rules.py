"""What the platforms allow before a reply goes out: windows, the monthly cap, media URLs.

Checked before sending so the composer can say why a reply cannot go, instead of letting
the API refuse it (see shared/reference §1.4 and §2.2).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from inbox_tui.domain import Platform
from inbox_tui.store import INSTAGRAM_WINDOW

# Known file extensions Facebook/Instagram accept by URL: images, a video, voice (.aac/.wav).
MEDIA_EXTENSIONS = {".jpg", ".jpeg", ".png", ".gif", ".mp4", ".mov", ".aac", ".wav"}


@dataclass(frozen=True, slots=True)
class ReplyWindow:
    can_reply: bool
    reason: str = ""  # why not, in plain words (empty when a reply can go)
    closes_at: datetime | None = None  # Instagram only


def month_start(now: datetime) -> datetime:
    return now.astimezone(UTC).replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def reply_window(
    platform: Platform,
    last_received_at: datetime | None,
    now: datetime,
    *,
    replied_this_month: bool = False,
    replied_count: int = 0,
    monthly_cap: int | None = None,
) -> ReplyWindow:
    if last_received_at is None:
        return ReplyWindow(
            False, "They have not written yet: on these networks the person must message first."
        )
    closes_at = None
    if platform is Platform.INSTAGRAM:
        closes_at = last_received_at + INSTAGRAM_WINDOW
        if now >= closes_at:
            return ReplyWindow(
                False,
                "Instagram takes replies only within 7 days of the person's last message; "
                "this one closed. You can reply again when they write.",
                closes_at,
            )
    if monthly_cap is not None and not replied_this_month and replied_count >= monthly_cap:
        return ReplyWindow(
            False,
            f"This profile has replied in {replied_count} conversations this month, its limit of "
            f"{monthly_cap} (monthly_conversation_cap in the config): messages still arrive, "
            "replies go out again next billing cycle.",
            closes_at,
        )
    return ReplyWindow(True, "", closes_at)


def media_problems(platform: Platform, urls: Sequence[str], text: str) -> list[str]:
    """The documented rules for `mediaUrls`, in plain words (empty when all is well)."""
    problems = []
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            problems.append(f"{url} is not an http(s) URL.")
            continue
        if platform is not Platform.TWITTER:
            if parts.query:
                problems.append(
                    f"{url}: {platform.label} media URLs must not carry a query string (?…)."
                )
            if PurePosixPath(parts.path).suffix.lower() not in MEDIA_EXTENSIONS:
                kinds = ", ".join(sorted(MEDIA_EXTENSIONS))
                problems.append(
                    f"{url}: {platform.label} needs a file extension it knows ({kinds})."
                )
    if platform is Platform.TWITTER:
        if len(urls) > 1:
            problems.append("X takes exactly one media URL per message.")
        if urls and not text.strip():
            problems.append("X needs some text with the media.")
    return problems
