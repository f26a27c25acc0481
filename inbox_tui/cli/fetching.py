"""One pass of the app's sync engine without the app, every profile in focus: what
`inbox-tui sync --once` runs, and the demo's fill before a command."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from inbox_tui.cli.errors import NETWORK, OK
from inbox_tui.domain import ConversationStatus

if TYPE_CHECKING:
    from inbox_tui.cli.session import Session


def say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def engine_builder(opened: Session, quiet: bool):
    from inbox_tui.sync import SyncEngine, SyncEvent

    failed: list[SyncEvent] = []

    def report(event: SyncEvent) -> None:
        if not event.finished:
            return
        what = f"{event.profile} {event.platform.label} {event.kind}"
        if event.error is not None:
            failed.append(event)
        if quiet:
            return
        if event.error is not None:
            say(f"{what}: {event.error}")
        else:
            say(f"{what}: {len(event.changed)} changed, {len(event.arrived)} new")

    def build(providers):
        engine = SyncEngine.for_config(
            opened.config, opened.store, providers.by_profile, opened.now, report
        )
        engine.load_windows()
        engine.focus(tuple(opened.profile_names), ConversationStatus.ACTIVE)
        return engine

    return build, failed


async def fetch_due(opened: Session, quiet: bool = False, archived: bool = False) -> int:
    """One pass: every stream that is due, once. 3 when any of them failed. `quiet`: the
    demo's fill before a command (its data has a brand without messaging, on purpose)."""
    build, failed = engine_builder(opened, quiet)
    async with opened.providers() as providers:
        engine = build(providers)
        ran = await engine.tick()
        if archived:
            engine.focus(tuple(opened.profile_names), ConversationStatus.ARCHIVED)
            ran += await engine.tick()
        if not ran and not quiet:
            due = engine.next_due()
            when = f" (the next at {due.astimezone():%H:%M:%S})" if due else ""
            say(f"Nothing is due: every cache window is still open{when}.")
    return NETWORK if failed else OK
