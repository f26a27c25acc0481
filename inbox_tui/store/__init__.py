"""The SQLite store: conversations, messages, local state, drafts and the outbox.

Local-first: the UI reads only from here. Rows are keyed by (profile, platform, id), upserts
are idempotent and run in one transaction each. What the API does not know (read state,
snoozes, drafts, the outbox) lives in tables that a re-sync never writes.

`Store` is the one interface the UI, sync, the outbox and the CLI use; each of its parts is
a module with the SQL it runs: `ingest` (provider data in), `local_state`, `labels`, `outbox` (drafts
and replies), `lists` (the list's reads and threads), `full_text` (search), `reply_times` (the brand's reply times), `transfer`
(export / import), on `core` (the connection, settings, sync windows) and `schema`. Nothing
SQLite-specific leaves the package: a second backend implements the same methods.
"""

from __future__ import annotations

from inbox_tui.store.full_text import FullTextSearch
from inbox_tui.store.ingest import Ingest
from inbox_tui.store.labels import Labels, PendingLabel, label_problem
from inbox_tui.store.lists import ListReads
from inbox_tui.store.local_state import LocalStates
from inbox_tui.store.outbox import DraftsAndOutbox
from inbox_tui.store.records import (
    ConversationRef,
    ConversationRow,
    Draft,
    LocalState,
    OutboxItem,
    OutboxState,
    StoreVersionError,
    SyncWindow,
    Thread,
    UpsertResult,
    View,
    key_ref,
    list_position,
    ref_key,
)
from inbox_tui.store.reply_times import ReplyTimes
from inbox_tui.store.transfer import Transfer

__all__ = [
    "ConversationRef",
    "ConversationRow",
    "Draft",
    "LocalState",
    "OutboxItem",
    "OutboxState",
    "PendingLabel",
    "Store",
    "StoreVersionError",
    "SyncWindow",
    "Thread",
    "UpsertResult",
    "View",
    "key_ref",
    "label_problem",
    "list_position",
    "ref_key",
]


class Store(
    Ingest, LocalStates, Labels, DraftsAndOutbox, ListReads, FullTextSearch, ReplyTimes, Transfer
):
    """One SQLite file (see the modules for each part)."""
