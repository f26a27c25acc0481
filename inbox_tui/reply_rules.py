"""What the platforms allow before a reply goes out: windows, the monthly cap, media URLs.

Checked before sending so the composer can say why a reply cannot go, instead of letting
the API refuse it (see shared/reference §1.4 and §2.2).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import UTC, datetime
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, NamedTuple, Protocol
from urllib.parse import urlsplit

from inbox_tui.domain import Direction, Message, Platform
from inbox_tui.platform_rules import (
    HUMAN_AGENT_WINDOW,
    INSTAGRAM_WINDOW,
    MEDIA_EXTENSIONS,
    META_WINDOW,
    TEXT_LIMITS,
    X_KEYS_NEEDED,
    text_size,
)

if TYPE_CHECKING:
    from inbox_tui.config.model import Config
    from inbox_tui.store import Store


class ReplyWindow(NamedTuple):
    can_reply: bool
    reason: str = ""  # why not, in plain words (empty when a reply can go)
    closes_at: datetime | None = None  # where the platform has a window


NO_RECIPIENT = (
    "This conversation can't be answered from here: the API gave no id for the person (no "
    "participant, no message from them). Answer it on the network itself."
)


def reply_recipient(
    platform: Platform, conversation_id: str, participant_id: str, messages: Sequence[Message]
) -> str:
    """Whom a reply goes to: the participant; else the sender of a message they wrote; else,
    on X, the part of the two-part conversation id (`<id>-<id>`) that is not the brand's own
    account (the sender of its sent messages). "" when none is known: a POST with an empty
    recipientId must never go out."""
    if participant_id:
        return participant_id
    ours = {m.sender_id for m in messages if m.direction is Direction.SENT and m.sender_id}
    for m in reversed(messages):  # newest first
        if m.direction is Direction.RECEIVED and m.sender_id and m.sender_id not in ours:
            return m.sender_id
    parts = conversation_id.split("-")
    if platform is Platform.TWITTER and ours and len(parts) == 2 and all(parts):
        others = [p for p in parts if p not in ours]
        if len(others) == 1:
            return others[0]
    return ""


OTHER_APP_HOLDS_IT = (
    "Another app holds this conversation (Meta's Conversation Routing): reply from that app, "
    "or give this app thread control in the Page's settings (Advanced messaging)."
)
META_REFUSED = (
    "Meta refused the reply: outside its 24-hour window (their last message is older). "
    "You can reply again when they write."
)
META_CANNOT_REPLY = (
    "Meta says this conversation cannot be replied to (the person may have blocked the Page "
    "or left the conversation)."
)


class Conversation(Protocol):
    """What the rules read of a conversation (the store's `ConversationRow` has it)."""

    @property
    def platform(self) -> Platform: ...
    @property
    def id(self) -> str: ...
    @property
    def participant_id(self) -> str: ...
    @property
    def last_received_at(self) -> datetime | None: ...
    @property
    def is_owner(self) -> bool | None: ...
    @property
    def can_reply(self) -> bool | None: ...


class ProfileRules(NamedTuple):
    """What the profile's configuration changes about replying."""

    meta: bool = False  # on Meta's Graph API directly (its 24-hour window, its refusals)
    human_agent: bool = False  # a Meta Page with the human-agent tag (7 days)
    x_keys: bool = False  # the profile has its own X API key and secret
    monthly_cap: int | None = None  # Ayrshare's conversations per month (None: no cap)

    @classmethod
    def of(cls, config: Config, profile: str) -> ProfileRules:
        settings, entry = config.ayrshare, config.profile(profile)
        return cls(
            meta=entry.provider == "meta",
            human_agent=entry.human_agent,
            x_keys=bool(settings.x_api_key and settings.x_api_secret),
            monthly_cap=settings.monthly_conversation_cap,
        )


def check_reply(
    row: Conversation,
    messages: Sequence[Message],
    rules: ProfileRules,
    now: datetime,
    *,
    replied: Collection[tuple[Platform, str]] = (),
    refused_at: datetime | None = None,
) -> tuple[str, ReplyWindow]:
    """Whom a reply to `row` goes to and whether it can go now (the composer's check and
    `inbox-tui reply`'s): `messages` are the thread's, newest last (see `what_is_allowed`)."""
    recipient = reply_recipient(row.platform, row.id, row.participant_id, messages)
    if not recipient:
        return "", ReplyWindow(False, NO_RECIPIENT)
    window = what_is_allowed(row, rules, now, replied=replied, refused_at=refused_at)
    return recipient, window


def what_is_allowed(
    row: Conversation,
    rules: ProfileRules,
    now: datetime,
    *,
    replied: Collection[tuple[Platform, str]] = (),
    refused_at: datetime | None = None,
) -> ReplyWindow:
    """Whether a reply to `row` can go now, and why not. `replied`: the conversations the
    profile answered this month (the monthly cap); `refused_at`: when Meta last refused a
    reply here as outside its window (closed until the person writes again)."""
    if rules.meta and row.is_owner is False:
        return ReplyWindow(False, OTHER_APP_HOLDS_IT)
    if refused_at is not None and (
        row.last_received_at is None or row.last_received_at <= refused_at
    ):
        return ReplyWindow(False, META_REFUSED)
    if rules.meta and row.can_reply is False:
        return ReplyWindow(False, META_CANNOT_REPLY)
    if row.platform is Platform.TWITTER and not rules.x_keys:
        return ReplyWindow(False, X_KEYS_NEEDED)
    return reply_window(
        row.platform,
        row.last_received_at,
        now,
        replied_this_month=(row.platform, row.id) in replied,
        replied_count=len(replied),
        monthly_cap=None if rules.meta else rules.monthly_cap,
        meta=rules.meta,
        human_agent=rules.meta and rules.human_agent,
    )


def month_start(now: datetime) -> datetime:
    return now.astimezone(UTC).replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def replied_this_month(
    store: Store, config: Config, profile: str, now: datetime
) -> set[tuple[Platform, str]]:
    """The conversations `profile` replied in this month, for the monthly cap: read only
    when a cap is configured (it is a scan of the profile's sent messages)."""
    if config.ayrshare.monthly_conversation_cap is None:
        return set()
    return store.replied_conversations(profile, month_start(now))


def reply_window(
    platform: Platform,
    last_received_at: datetime | None,
    now: datetime,
    *,
    replied_this_month: bool = False,
    replied_count: int = 0,
    monthly_cap: int | None = None,
    meta: bool = False,
    human_agent: bool = False,
) -> ReplyWindow:
    """`meta`: the profile talks to Graph directly, where every platform has Meta's 24-hour
    standard window (7 days for a `human_agent` Page); through Ayrshare only Instagram has one
    (7 days)."""
    if last_received_at is None:
        return ReplyWindow(
            False, "They have not written yet: on these networks the person must message first."
        )
    closes_at = None
    if meta and human_agent:
        closes_at = last_received_at + HUMAN_AGENT_WINDOW
        rule = "Meta takes a person's replies only within 7 days of the customer's last message"
    elif meta:
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


def send_problems(platform: Platform, urls: Sequence[str], text: str) -> list[str]:
    """The documented rules for a message's text and `mediaUrls`, in plain words (empty when
    all is well)."""
    problems = []
    limit, unit = TEXT_LIMITS[platform]
    if (size := text_size(platform, text)) > limit:
        problems.append(
            f"{platform.label} takes at most {limit:,} {unit} in a message; this one has "
            f"{size:,}. Shorten it, or send it in two."
        )
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
