"""Sending replies so that no word is lost and no DM goes out twice.

The reply is stored (queued) before any request; the request's state is stored as it moves
(sending → accepted, or failed / unknown). A failure before the request left is `failed` and
safe to retry; anything that may have reached the API (a read timeout, a reset, a 5xx) is
`unknown` and is never retried automatically: a second POST could send the DM twice. A reply
is `sent` once a GET lists its messageId (see `Store._reconcile_outbox`).

Every attempt first claims the item in one SQL statement, so two at once never both send.
A reply in parts (Meta: the text, then one request per attachment) records each part that
went out; a retry sends only the rest.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from datetime import datetime

from inbox_tui.platform_rules import META_WINDOW
from inbox_tui.providers.base import MessagingProvider, OutsideWindow, ProviderError
from inbox_tui.store import ConversationRef, Draft, OutboxItem, OutboxState, Store


class Outbox:
    def __init__(
        self,
        store: Store,
        providers: Callable[[], Mapping[str, MessagingProvider]],
        clock: Callable[[], datetime],
    ) -> None:
        self.store = store
        self._providers = providers
        self.clock = clock
        # Conversations whose platform refused a reply as outside its window, and when: the
        # composer stays closed for them until the person writes again.
        self.window_refused: dict[ConversationRef, datetime] = {}

    async def send(self, ref: ConversationRef, recipient_id: str, draft: Draft) -> OutboxItem:
        """Store the reply, then send it. Returns the item in its resulting state."""
        profile, platform, _ = ref
        parts = self._providers()[profile].parts(platform, draft.text, draft.media_urls)
        item = await asyncio.to_thread(
            self.store.outbox_add, ref, recipient_id, draft, self.clock(), parts
        )
        sent = await self._deliver(item.local_id, (OutboxState.QUEUED,))
        assert sent is not None  # just stored, and queued items are never deleted
        return sent

    async def _deliver(self, local_id: str, states: tuple[OutboxState, ...]) -> OutboxItem | None:
        """Claim the item (only from `states`: a second attempt at once finds it taken and
        makes no request), then send the parts that have not gone out yet."""
        item = await asyncio.to_thread(self.store.outbox_claim, local_id, states, self.clock())
        if item is None:  # taken by another attempt, sent meanwhile, or gone
            return await asyncio.to_thread(self.store.outbox_item, local_id)
        profile, platform, _ = item.ref

        async def part_sent(message_id: str) -> None:
            await asyncio.to_thread(self.store.outbox_part_sent, local_id, message_id, self.clock())

        row = await asyncio.to_thread(self.store.conversation, item.ref, self.clock())
        last_heard = row.last_received_at if row is not None else None
        try:
            sent = await self._providers()[profile].send(
                platform,
                item.recipient_id,
                item.text,
                item.media_urls,
                first_part=item.parts_done,
                part_sent=part_sent,
                past_standard_window=last_heard is not None
                and self.clock() - last_heard > META_WINDOW,
            )
        except ProviderError as error:
            if isinstance(error, OutsideWindow):
                self.window_refused[item.ref] = self.clock()
            state = OutboxState.UNKNOWN if error.maybe_sent else OutboxState.FAILED
            await asyncio.to_thread(
                self.store.outbox_update, local_id, state, self.clock(), error=str(error)
            )
        else:
            done = await asyncio.to_thread(self.store.outbox_item, local_id)
            first = (done.part_ids[0] if done and done.part_ids else "") or sent.message_id
            await asyncio.to_thread(
                self.store.outbox_update,
                local_id,
                OutboxState.ACCEPTED,
                self.clock(),
                message_id=first or None,
            )
        return await asyncio.to_thread(self.store.outbox_item, local_id)

    async def retry(self, local_id: str, *, confirmed_unknown: bool = False) -> OutboxItem | None:
        """Send again what did not go out. An `unknown` item only when the user confirmed it:
        the part under way then may have gone out."""
        states = (
            (OutboxState.FAILED, OutboxState.UNKNOWN)
            if confirmed_unknown
            else (OutboxState.FAILED,)
        )
        return await self._deliver(local_id, states)

    async def discard(self, local_id: str) -> Draft | None:
        return await asyncio.to_thread(self.store.outbox_discard, local_id, self.clock())

    def recover(self) -> int:
        """At start: settle what a previous run left mid-send (off the event loop)."""
        return self.store.recover_outbox(self.clock())
