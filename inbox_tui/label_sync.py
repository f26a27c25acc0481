"""Labels shared with a provider (a Meta Page's Custom Labels), with no Textual.

A label change is the store's at once (the row shows it). Where the conversation's labels are
shared (`platform_rules.SHARED_LABELS`), the change also waits in the store until the provider
has it: `send` sends what waits, after each change and before each of the profile's list
fetches, so a change made offline, with `--no-sync` or before a crash goes out later, once.
`read` takes what the provider has on conversations (those a walk found changed, and the
thread opened), with what still waits on top.

A refusal (the token lacks pages_manage_metadata, the Page's admins have not accepted Meta's
Page Contact Terms) makes that profile's labels local for the session, and `where` says so; a
network fault, a 5xx or a throttle leaves the change waiting for the next send.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping, Sequence

from inbox_tui.config.model import Config
from inbox_tui.domain import Platform
from inbox_tui.platform_rules import SHARED_LABELS
from inbox_tui.providers.base import (
    AuthError,
    ForbiddenError,
    MessagingProvider,
    ProviderError,
    SharedLabels,
)
from inbox_tui.store import ConversationRef, PendingLabel, Store

log = logging.getLogger(__name__)

READ_CONCURRENCY = 4  # a person's labels are one request each: gentle on the Page's budget
# A first walk finds every conversation changed; the newest this many are read at once, the
# others when they are opened or get a message.
READS_PER_WALK = 25


class LabelSync:
    def __init__(
        self,
        store: Store,
        providers: Callable[[], Mapping[str, MessagingProvider]],
        shares: Mapping[str, frozenset[Platform]],  # profile -> platforms whose labels are shared
    ) -> None:
        self.store = store
        self._providers = providers  # read late, as Triage's: sync builds them after first frame
        self._shares = shares
        self.refused: dict[str, str] = {}  # profile -> the provider's refusal, in its words
        self._sending: dict[str, asyncio.Lock] = {}  # one send per profile at a time

    @classmethod
    def for_config(
        cls,
        config: Config,
        store: Store,
        providers: Callable[[], Mapping[str, MessagingProvider]],
    ) -> LabelSync:
        shares = {
            p.name: SHARED_LABELS[p.provider] if p.share_labels else frozenset()
            for p in config.profiles
        }
        return cls(store, providers, shares)

    def shared(self, refs: Sequence[ConversationRef]) -> list[ConversationRef]:
        """Those of `refs` whose labels the provider keeps too."""
        return [
            ref
            for ref in refs
            if ref[0] not in self.refused and ref[1] in self._shares.get(ref[0], ())
        ]

    def where(self, refs: Sequence[ConversationRef]) -> str:
        """Where these conversations' labels live, in one line."""
        refused = next((p for p, _, _ in refs if p in self.refused), None)
        if refused is not None:
            return (
                f"Kept in this app only: Meta refused {refused}'s labels ({self.refused[refused]})"
            )
        shared = len(self.shared(refs))
        if shared == len(refs):
            return "Shared with the Page's labels in Meta Business Suite"
        if shared:
            return f"{shared} of them shared with Meta Business Suite; the others kept in this app"
        if any(self._shares.get(p) for p, _, _ in refs):
            return "Kept in this app: a Meta Page shares the labels of Messenger conversations only"
        return "Kept in this app"

    async def change(self, refs: Sequence[ConversationRef], label: str, *, add: bool) -> list[str]:
        """Put a label on (or take it off) `refs` in the store; returns the profiles whose
        change now waits for `send`."""
        shared = self.shared(refs)
        write = self.store.add_label if add else self.store.remove_label
        await asyncio.to_thread(write, refs, label, shared=shared)
        return list(dict.fromkeys(p for p, _, _ in shared))

    async def send(self, profile: str) -> None:
        """Every change of `profile` still waiting, oldest first; stops at a fault."""
        labels = self._labels(profile)
        if labels is None:
            return
        async with self._sending.setdefault(profile, asyncio.Lock()):
            for change in await asyncio.to_thread(self.store.label_changes, profile):
                try:
                    if change.added:
                        await labels.put_on(change.person, change.label)
                    else:
                        await labels.take_off(change.person, change.label)
                except ProviderError as error:
                    if not self._failed(profile, change, error):
                        return
                await asyncio.to_thread(self.store.label_change_done, change)

    async def read(self, profile: str, platform: Platform, ids: Sequence[str]) -> set[str]:
        """What waits sent, then what the provider has on these conversations (the first
        `READS_PER_WALK`); returns those whose labels changed here."""
        labels = self._labels(profile)
        if labels is None or platform not in self._shares.get(profile, ()):
            return set()
        await self.send(profile)  # ours first, so that what comes back has them
        if not ids:
            return set()
        people = await asyncio.to_thread(self.store.people, profile, platform, ids[:READS_PER_WALK])
        limit, changed = asyncio.Semaphore(READ_CONCURRENCY), set()

        async def one(cid: str, person: str) -> None:
            async with limit:
                if profile in self.refused:
                    return
                try:
                    remote = await labels.of_person(person)
                except ProviderError as error:
                    self._failed(profile, None, error)
                    return
            ref = (profile, platform, cid)
            if await asyncio.to_thread(self.store.set_remote_labels, ref, remote):
                changed.add(cid)

        await asyncio.gather(*(one(cid, person) for cid, person in people.items()))
        return changed

    def _labels(self, profile: str) -> SharedLabels | None:
        if profile in self.refused or not self._shares.get(profile):
            return None
        return getattr(self._providers().get(profile), "labels", None)

    def _failed(self, profile: str, change: PendingLabel | None, error: ProviderError) -> bool:
        """After a failed request: True when the next change may still go."""
        if isinstance(error, ForbiddenError):
            log.warning("%s's labels stay local: %s", profile, error)
            self.refused[profile] = str(error)
            return False
        if error.retryable or change is None or isinstance(error, AuthError):  # a new token
            log.info("%s's labels: %s (tried again later)", profile, error)
            return False
        # One that can never go (the person is gone): the others still may.
        log.warning("label %r of %s could not be shared: %s", change.label, profile, error)
        return True
