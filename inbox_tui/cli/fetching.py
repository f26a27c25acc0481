"""One pass of the app's sync engine without the app, every profile in focus: what
`inbox-tui sync --once` runs, and the demo's fill before a command."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from inbox_tui.cli.errors import NETWORK, OK
from inbox_tui.domain import ConversationStatus

if TYPE_CHECKING:
    from inbox_tui.cli.session import Session
    from inbox_tui.providers.build import Providers
    from inbox_tui.sync import SyncEngine
    from inbox_tui.sync_streams import SyncEvent


def say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


class Progress:
    """What the engine says as it goes: a line a fetch on stderr (unless `quiet`), and the
    failures kept for the exit status."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.failed: list[SyncEvent] = []

    def __call__(self, event: SyncEvent) -> None:
        if not event.finished:
            return
        if event.error is not None:
            self.failed.append(event)
        if self.quiet:
            return
        what = f"{event.profile} {event.platform.label} {event.kind}"
        if event.error is not None:
            say(f"{what}: {event.error}")
        else:
            say(f"{what}: {len(event.changed)} changed, {len(event.arrived)} new")


def engine(opened: Session, providers: Providers, progress: Progress) -> SyncEngine:
    """The app's engine on this session's store, every profile in focus."""
    from inbox_tui.sync import SyncEngine

    built = SyncEngine.for_config(
        opened.config, opened.store, providers.by_profile, opened.now, progress
    )
    built.load_windows()
    built.focus(tuple(opened.profile_names), ConversationStatus.ACTIVE)
    return built


async def tick_until_done(syncing: SyncEngine) -> int:
    """Every due stream once, the background's included (the engine starts only a few of
    those at a time); a fetched stream is never due again at once (`sync.MIN_GAP`)."""
    ran = 0
    while started := await syncing.tick():
        ran += started
    return ran


async def fetch_due(opened: Session, quiet: bool = False, archived: bool = False) -> int:
    """One pass: every stream that is due, once. 3 when any of them failed. `quiet`: the
    demo's fill before a command (its data has a brand without messaging, on purpose)."""
    progress = Progress(quiet)
    async with opened.providers() as providers:
        syncing = engine(opened, providers, progress)
        ran = await tick_until_done(syncing)
        if archived:
            syncing.focus(tuple(opened.profile_names), ConversationStatus.ARCHIVED)
            ran += await tick_until_done(syncing)
        if not ran and not quiet:
            due = syncing.next_due()
            when = f" (the next at {due.astimezone():%H:%M:%S})" if due else ""
            say(f"Nothing is due: every cache window is still open{when}.")
    return NETWORK if progress.failed else OK
