"""Triage actions and their undo, with no Textual: archive, read state, snooze.

Archive is optimistic: the store records a local override at once (the row moves), then the
PUT goes out; a failed PUT removes the override again (the row comes back) and is reported.
Read state and snoozes are local only. Every action pushes an undo entry; `undo()` reverts the
newest one, so repeated undos walk back in order.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from inbox_tui.domain import ConversationStatus
from inbox_tui.providers.base import MessagingProvider, ProviderError
from inbox_tui.store import ConversationRef, LocalState, Store

PUT_CONCURRENCY = 4  # bulk archives stay gentle on the per-profile rate limit
UNDO_DEPTH = 100


@dataclass(frozen=True, slots=True)
class Failure:
    ref: ConversationRef
    name: str
    error: ProviderError


@dataclass
class UndoEntry:
    description: str
    states: dict[ConversationRef, LocalState]  # local state before the action
    # For archive/unarchive: the status to PUT back (the server was changed too).
    status_back: ConversationStatus | None = None
    names: dict[ConversationRef, str] = field(default_factory=dict)


def _count(n: int, what: str = "conversation") -> str:
    return f"{n} {what}{'' if n == 1 else 's'}"


class Triage:
    def __init__(
        self,
        store: Store,
        providers: Callable[[], Mapping[str, MessagingProvider]],
        clock: Callable[[], datetime],
    ) -> None:
        self.store = store
        self._providers = providers  # read late: the sync engine builds them after first frame
        self.clock = clock
        self.undo_stack: list[UndoEntry] = []

    def _push(self, entry: UndoEntry) -> None:
        self.undo_stack.append(entry)
        del self.undo_stack[:-UNDO_DEPTH]

    async def _states(self, refs: Sequence[ConversationRef]) -> dict[ConversationRef, LocalState]:
        return await asyncio.to_thread(self.store.local_states, refs)

    # -- actions --------------------------------------------------------------------------------

    async def set_status(
        self,
        targets: Mapping[ConversationRef, str],  # ref -> participant name (for messages)
        status: ConversationStatus,
        *,
        record: bool = True,
    ) -> list[Failure]:
        """Archive or unarchive: the row moves now, the PUT follows, failures move it back."""
        before = await self.set_status_locally(targets, status, record=record)
        return await self.push_status(targets, status, before)

    async def set_status_locally(
        self,
        targets: Mapping[ConversationRef, str],
        status: ConversationStatus,
        *,
        record: bool = True,
    ) -> dict[ConversationRef, LocalState]:
        """The first half of `set_status`: the undo entry and the local override. Returns the
        local states before it (what `push_status` puts back where the API says no)."""
        refs = list(targets)
        before = await self._states(refs)
        if record:
            verb = "Archived" if status is ConversationStatus.ARCHIVED else "Unarchived"
            back = (
                ConversationStatus.ACTIVE
                if status is ConversationStatus.ARCHIVED
                else ConversationStatus.ARCHIVED
            )
            self._push(UndoEntry(f"{verb} {_count(len(refs))}", before, back, dict(targets)))
        await asyncio.to_thread(self.store.set_status_override, refs, status, self.clock())
        return before

    async def push_status(
        self,
        targets: Mapping[ConversationRef, str],
        status: ConversationStatus,
        before: Mapping[ConversationRef, LocalState],
    ) -> list[Failure]:
        """The PUTs behind `set_status`; where one fails, the override there `before` is put
        back (an unarchive refused right after an archive leaves the row archived)."""
        providers = self._providers()
        limit = asyncio.Semaphore(PUT_CONCURRENCY)
        failures: list[Failure] = []

        async def one(ref: ConversationRef) -> None:
            profile, platform, cid = ref
            async with limit:
                try:
                    await providers[profile].set_status(platform, cid, status)
                except ProviderError as error:
                    failures.append(Failure(ref, targets[ref], error))

        await asyncio.gather(*(one(ref) for ref in targets))
        if failures:
            back = {f.ref: before[f.ref] for f in failures}
            await asyncio.to_thread(self.store.restore_status_overrides, back)
        return failures

    async def mark_read(self, refs: Sequence[ConversationRef], *, record: bool = True) -> None:
        if record:
            self._push(UndoEntry(f"Marked {_count(len(refs))} read", await self._states(refs)))
        await asyncio.to_thread(self.store.mark_read, refs)

    async def mark_unread(self, refs: Sequence[ConversationRef]) -> None:
        self._push(UndoEntry(f"Marked {_count(len(refs))} unread", await self._states(refs)))
        await asyncio.to_thread(self.store.mark_unread, refs)

    async def snooze(self, refs: Sequence[ConversationRef], until: datetime) -> None:
        self._push(UndoEntry(f"Snoozed {_count(len(refs))}", await self._states(refs)))
        await asyncio.to_thread(self.store.snooze, refs, until, self.clock())

    async def unsnooze(self, refs: Sequence[ConversationRef]) -> None:
        self._push(UndoEntry(f"Unsnoozed {_count(len(refs))}", await self._states(refs)))
        await asyncio.to_thread(self.store.unsnooze, refs)

    # -- undo -----------------------------------------------------------------------------------

    async def undo(self) -> tuple[UndoEntry, list[Failure]] | None:
        """Revert the newest action. Returns it and any failed PUTs, or None if none is left."""
        if not self.undo_stack:
            return None
        entry = self.undo_stack.pop()
        if entry.status_back is None:
            await asyncio.to_thread(self.store.restore_local_states, entry.states)
            return entry, []
        failures = await self.set_status(entry.names, entry.status_back, record=False)
        return entry, failures
