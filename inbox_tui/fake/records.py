"""The fake's records: its settings (each a behaviour the public docs leave open, see
shared/reference §4), its faults, and the profiles, conversations and messages it holds."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
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
