"""The sync engine's words: a stream (one kind of request for one profile), what the engine
keeps about it, and what it tells the UI (`SyncEvent`, `PlatformStatus`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from inbox_tui.domain import ConversationStatus, Message, Platform
from inbox_tui.providers.base import ProviderError


@dataclass(frozen=True, slots=True)
class StreamKey:
    profile: str
    platform: Platform
    kind: str  # "conversations" | "messages" | "thread"
    status: ConversationStatus
    conversation_id: str = ""

    @property
    def name(self) -> str:
        """The key in the store's sync_windows table (the profile is its own column)."""
        tail = f":{self.conversation_id}" if self.conversation_id else ""
        return f"{self.platform.value}:{self.kind}:{self.status.value}{tail}"


@dataclass(slots=True)
class StreamState:
    last_updated: datetime | None = None  # when the API last refreshed its cache
    next_update: datetime | None = None  # not before this
    last_fetch: datetime | None = None  # when we last asked (success or not)
    retry_at: datetime | None = None  # backoff after an error
    failures: int = 0
    error: ProviderError | None = None
    in_flight: bool = False
    synced: bool = False  # fetched successfully in this session


@dataclass(frozen=True, slots=True)
class SyncEvent:
    """Something the UI may want to re-read: new data, or a change of sync state."""

    profile: str
    platform: Platform
    kind: str
    changed: frozenset[str] = frozenset()  # conversations with new or edited rows or messages
    error: ProviderError | None = None
    finished: bool = True  # False: the fetch has just started
    # Received messages new to the store, from a stream that had already synced this session
    # (so a first sync never announces the whole history).
    arrived: tuple[Message, ...] = ()


@dataclass(frozen=True, slots=True)
class PlatformStatus:
    """What the status bar shows for one platform of a profile."""

    profile: str
    platform: Platform
    syncing: bool
    error: ProviderError | None
    last_updated: datetime | None
    next_at: datetime | None
