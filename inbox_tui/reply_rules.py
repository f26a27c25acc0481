"""What the platforms allow before a reply goes out: windows, the monthly cap, media URLs.

Checked before sending so the composer can say why a reply cannot go, instead of letting
the API refuse it (see shared/reference §1.4 and §2.2).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import PurePosixPath
from typing import NamedTuple
from urllib.parse import urlsplit

from inbox_tui.domain import Platform
from inbox_tui.store import INSTAGRAM_WINDOW

# Known file extensions Facebook/Instagram accept by URL: images, a video, voice (.aac/.wav).
META_WINDOW = timedelta(hours=24)  # Graph's standard messaging window (messaging_type RESPONSE)
MEDIA_EXTENSIONS = {".jpg", ".jpeg", ".png", ".gif", ".mp4", ".mov", ".aac", ".wav"}


class ReplyWindow(NamedTuple):
    can_reply: bool
    reason: str = ""  # why not, in plain words (empty when a reply can go)
    closes_at: datetime | None = None  # where the platform has a window


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
    meta: bool = False,
) -> ReplyWindow:
    """`meta`: the profile talks to Graph directly, where every platform has Meta's 24-hour
    standard window; through Ayrshare only Instagram has one (7 days)."""
    if last_received_at is None:
        return ReplyWindow(
            False, "They have not written yet: on these networks the person must message first."
        )
    closes_at = None
    if meta:
        closes_at = last_received_at + META_WINDOW
        rule = "Meta takes standard replies only within 24 hours of the person's last message"
    elif platform is Platform.INSTAGRAM:
        closes_at = last_received_at + INSTAGRAM_WINDOW
        rule = "Instagram takes replies only within 7 days of the person's last message"
    if closes_at is not None and now >= closes_at:
        return ReplyWindow(
            False, f"{rule}; this one closed. You can reply again when they write.", closes_at
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
