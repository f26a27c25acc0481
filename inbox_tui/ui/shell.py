"""What a pane may ask of the app around it (`InboxApp` is the one implementation).

The panes own their state and post messages up for what crosses panes; for what belongs to
the whole app (the store, the clock, the config, the sync engine, the status bar) they ask
the shell. A Protocol, so the panes never import the app (no import circle).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from textual.color import Color

    from inbox_tui.config.model import Config
    from inbox_tui.label_sync import LabelSync
    from inbox_tui.outbox import Outbox
    from inbox_tui.store import Store
    from inbox_tui.sync import SyncEngine
    from inbox_tui.triage import Triage


class Shell(Protocol):
    store: Store
    clock: Callable[[], datetime]
    outbox: Outbox
    engine: SyncEngine | None
    config_ready: asyncio.Event  # set once `config` is validated
    sync_enabled: bool
    profile: str | None  # None: all profiles
    brand_colors: dict[str, Color]  # each profile's `color`, where it has one

    @property
    def config(self) -> Config: ...
    @property
    def profile_names(self) -> tuple[str, ...]: ...
    @property
    def meta_profiles(self) -> tuple[str, ...]: ...
    @property
    def triage(self) -> Triage: ...
    @property
    def label_sync(self) -> LabelSync: ...
    @property
    def profiles_in_scope(self) -> tuple[str, ...]: ...
    @property
    def scope_label(self) -> str: ...

    def brand_style(self, profile: str) -> str:
        """A Content style for a brand's name (bold, in its colour)."""

    def update_status(self) -> None: ...
    def tick_at(self, moment: datetime) -> None:
        """Something on screen changes then (a snooze ends): the app's clock wakes for it."""

    def report(self, words: str, title: str = "Not done") -> None:
        """A failed action, said in the status bar and a toast ("": the bar clears)."""

    async def change_config(self, change: str, *args: object) -> str:
        """Write a change to the config file and apply it; returns a problem, or ""."""
