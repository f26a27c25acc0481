"""Sending replies so that no word is lost and no DM goes out twice.

The reply is stored (queued) before any request; the request's state is stored as it moves
(sending → accepted, or failed / unknown). A failure before the request left is `failed` and
safe to retry; anything that may have reached the API (a read timeout, a reset, a 5xx) is
`unknown` and is never retried automatically: a second POST could send the DM twice. A reply
is `sent` once a GET lists its messageId (see `Store._reconcile_outbox`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from datetime import datetime

from inbox_tui.providers.base import MessagingProvider, ProviderError
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

    async def send(self, ref: ConversationRef, recipient_id: str, draft: Draft) -> OutboxItem:
        """Store the reply, then send it. Returns the item in its resulting state."""
        item = await asyncio.to_thread(
            self.store.outbox_add, ref, recipient_id, draft, self.clock()
        )
        return await self.deliver(item)

    async def deliver(self, item: OutboxItem) -> OutboxItem:
        """Make the request for a queued or failed item (never for an unknown one unasked)."""
        profile, platform, _ = item.ref
        await asyncio.to_thread(
            self.store.outbox_update, item.local_id, OutboxState.SENDING, self.clock(), attempt=True
        )
        try:
            sent = await self._providers()[profile].send(
                platform, item.recipient_id, item.text, item.media_urls
            )
        except ProviderError as error:
            state = OutboxState.UNKNOWN if error.maybe_sent else OutboxState.FAILED
            await asyncio.to_thread(
                self.store.outbox_update, item.local_id, state, self.clock(), error=str(error)
            )
        else:
            await asyncio.to_thread(
                self.store.outbox_update,
                item.local_id,
                OutboxState.ACCEPTED,
                self.clock(),
                message_id=sent.message_id or None,
            )
        return await asyncio.to_thread(self.store.outbox_item, item.local_id)

    async def retry(self, local_id: str, *, confirmed_unknown: bool = False) -> OutboxItem | None:
        """Send again. An `unknown` item is sent again only when the user confirmed it."""
        item = await asyncio.to_thread(self.store.outbox_item, local_id)
        if item is None or item.state not in (OutboxState.FAILED, OutboxState.UNKNOWN):
            return item
        if item.state is OutboxState.UNKNOWN and not confirmed_unknown:
            return item
        return await self.deliver(item)

    async def discard(self, local_id: str) -> Draft | None:
        return await asyncio.to_thread(self.store.outbox_discard, local_id, self.clock())

    def recover(self) -> int:
        """At start: settle what a previous run left mid-send (off the event loop)."""
        return self.store.recover_outbox(self.clock())
