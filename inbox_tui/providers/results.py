"""What a provider returns besides conversations and messages: the cache window and rate-limit
use that come with each answer, a sent message's receipt, and account facts.

Kept apart from `domain` so the first frame (which reads only the store) never builds them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class RateLimit:
    """`x-ratelimit-max` / `x-ratelimit-count`: requests allowed / used in the 5-minute window
    (Ayrshare), or Meta's usage in percent of what it allows."""

    max: int
    count: int
    percent: bool = False  # Meta: `count` is the highest usage percentage its headers gave

    def nearly_spent(self, under_way: int = 0) -> bool:
        """90 % of a request budget is used, counting `under_way` requests not answered yet
        (Meta's percentages slow the pace on their own)."""
        return not self.percent and self.max > 0 and self.count + under_way >= self.max * 0.9


@dataclass(frozen=True, slots=True)
class Fetched(Generic[T]):
    """A provider result with the cache window and rate-limit use that came with it."""

    data: T
    last_updated: datetime | None
    next_update: datetime | None
    rate_limit: RateLimit | None = None


@dataclass(frozen=True, slots=True)
class SentMessage:
    recipient_id: str
    message_id: str
    text: str


@dataclass(frozen=True, slots=True)
class AutoResponse:
    active: bool | None = None
    message: str | None = None
    wait_seconds: int | None = None


@dataclass(frozen=True, slots=True)
class Account:
    """One network account of a profile, from `GET /user` `displayNames[]`."""

    platform: str
    id: str
    display_name: str
    messaging_active: bool | None = None


@dataclass(frozen=True, slots=True)
class UserDetails:
    active_social_accounts: tuple[str, ...]
    accounts: tuple[Account, ...]


@dataclass(frozen=True, slots=True)
class ProfileSummary:
    """One User Profile from `GET /profiles` (profile keys are never listed by the API)."""

    title: str
    ref_id: str
    status: str
    active_social_accounts: tuple[str, ...] = ()
