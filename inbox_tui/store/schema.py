"""The store's schema, one migration per version (`PRAGMA user_version`)."""

from __future__ import annotations

import sqlite3

SCHEMA_VERSION = 13
SEQ_SLOTS = 1024  # messages that may share one millisecond

_V1 = """
CREATE TABLE conversations (
    profile TEXT NOT NULL,
    platform TEXT NOT NULL,
    id TEXT NOT NULL,
    status TEXT NOT NULL,
    participant_id TEXT NOT NULL DEFAULT '',
    participant_name TEXT NOT NULL DEFAULT '',
    participant_picture TEXT NOT NULL DEFAULT '',
    watermark INTEGER,
    -- derived from messages on every upsert:
    last_message_at REAL,
    last_preview TEXT NOT NULL DEFAULT '',
    last_direction TEXT,
    last_received_at REAL,
    last_sent_at REAL,
    message_count INTEGER NOT NULL DEFAULT 0,
    oldest_direction TEXT,
    PRIMARY KEY (profile, platform, id)
) WITHOUT ROWID;
CREATE INDEX conversations_by_activity ON conversations (profile, status, last_message_at DESC);
CREATE INDEX conversations_by_status_activity ON conversations (status, last_message_at DESC);

CREATE TABLE messages (
    profile TEXT NOT NULL,
    platform TEXT NOT NULL,
    id TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    direction TEXT NOT NULL,
    created REAL NOT NULL,
    sender_id TEXT NOT NULL DEFAULT '',
    sender_name TEXT NOT NULL DEFAULT '',
    text TEXT NOT NULL DEFAULT '',
    attachments TEXT NOT NULL DEFAULT '[]',
    reactions TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (profile, platform, id)
) WITHOUT ROWID;
CREATE INDEX messages_by_thread ON messages (profile, platform, conversation_id, created);

-- What only this app knows. Never written by sync.
CREATE TABLE local_state (
    profile TEXT NOT NULL,
    platform TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    read_at REAL,
    PRIMARY KEY (profile, platform, conversation_id)
) WITHOUT ROWID;

-- Each stream's cache window, so that even a restart never asks before nextUpdate.
CREATE TABLE sync_windows (
    profile TEXT NOT NULL,
    stream TEXT NOT NULL,
    last_updated REAL,
    next_update REAL,
    PRIMARY KEY (profile, stream)
) WITHOUT ROWID;
"""

# v2: full-text search, and local archive overrides and snoozes.
# FTS5 needs an integer rowid on messages, so the table is rebuilt with one: `seq`, ordered by
# time (created milliseconds x 1024 + a slot), so that FTS5 can walk matches newest first and
# stop after a page, and date filters are rowid ranges (see SEQ_SLOTS and store.seq_for).
_V2 = """
CREATE TABLE messages_v2 (
    seq INTEGER PRIMARY KEY,
    profile TEXT NOT NULL,
    platform TEXT NOT NULL,
    id TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    direction TEXT NOT NULL,
    created REAL NOT NULL,
    sender_id TEXT NOT NULL DEFAULT '',
    sender_name TEXT NOT NULL DEFAULT '',
    text TEXT NOT NULL DEFAULT '',
    attachments TEXT NOT NULL DEFAULT '[]',
    reactions TEXT NOT NULL DEFAULT '{}',
    UNIQUE (profile, platform, id)
);
INSERT INTO messages_v2 (seq, profile, platform, id, conversation_id, direction, created,
    sender_id, sender_name, text, attachments, reactions)
    SELECT CAST(round(created * 1000) AS INTEGER) * 1024
            + row_number() OVER (PARTITION BY CAST(round(created * 1000) AS INTEGER)) - 1,
        profile, platform, id, conversation_id, direction, created, sender_id, sender_name,
        text, attachments, reactions FROM messages;
DROP TABLE messages;
ALTER TABLE messages_v2 RENAME TO messages;
CREATE INDEX messages_by_thread ON messages (profile, platform, conversation_id, created);

CREATE VIRTUAL TABLE messages_fts USING fts5(
    text, sender_name, content='messages', content_rowid='seq',
    tokenize='unicode61 remove_diacritics 2'
);
INSERT INTO messages_fts (messages_fts) VALUES ('rebuild');
CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
    INSERT INTO messages_fts (rowid, text, sender_name) VALUES (new.seq, new.text, new.sender_name);
END;
CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, text, sender_name)
        VALUES ('delete', old.seq, old.text, old.sender_name);
END;
CREATE TRIGGER messages_fts_update AFTER UPDATE OF text, sender_name ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, text, sender_name)
        VALUES ('delete', old.seq, old.text, old.sender_name);
    INSERT INTO messages_fts (rowid, text, sender_name) VALUES (new.seq, new.text, new.sender_name);
END;

-- Archive/unarchive done here, until API data newer than `override_at` confirms it (the API
-- serves its cache for up to a minute, which would otherwise bring the row back).
ALTER TABLE local_state ADD COLUMN status_override TEXT;
ALTER TABLE local_state ADD COLUMN override_at REAL;
-- Snoozed until `snoozed_until`, or until they write again after `snoozed_at`.
ALTER TABLE local_state ADD COLUMN snoozed_until REAL;
ALTER TABLE local_state ADD COLUMN snoozed_at REAL;
CREATE INDEX local_state_snoozed ON local_state (snoozed_until) WHERE snoozed_until IS NOT NULL;
"""

# v3: replying. Drafts, and the outbox: every reply is stored before its request is made.
_V3 = """
CREATE TABLE drafts (
    profile TEXT NOT NULL,
    platform TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    text TEXT NOT NULL DEFAULT '',
    media_urls TEXT NOT NULL DEFAULT '[]',
    updated_at REAL NOT NULL,
    PRIMARY KEY (profile, platform, conversation_id)
) WITHOUT ROWID;

-- state: queued (stored, request not started) -> sending (request under way) -> accepted
-- (the API took it; waiting to see it in GET) -> sent (seen, by messageId). Or failed (certainly
-- not sent: retry is safe) or unknown (it may have gone out: never retried automatically).
CREATE TABLE outbox (
    local_id TEXT PRIMARY KEY,
    profile TEXT NOT NULL,
    platform TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    recipient_id TEXT NOT NULL,
    text TEXT NOT NULL,
    media_urls TEXT NOT NULL DEFAULT '[]',
    state TEXT NOT NULL,
    error TEXT NOT NULL DEFAULT '',
    message_id TEXT,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX outbox_by_conversation ON outbox (profile, platform, conversation_id, created_at);
CREATE INDEX outbox_by_message ON outbox (profile, platform, message_id);
-- The monthly cap counts a profile's sent messages since the 1st.
CREATE INDEX messages_sent_by_time ON messages (profile, created) WHERE direction = 'sent';
"""

# v4: small facts the app keeps about itself (the fingerprint of the last config that validated).
_V4 = """
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
"""

# v5: Meta Graph. Who holds a thread and whether Meta takes a reply (NULL: not said), and
# messages Meta lists without detail (beyond the 20 newest of a conversation), and what a
# message quotes (Meta's `reply_to`).
_V5 = """
ALTER TABLE conversations ADD COLUMN is_owner INTEGER;
ALTER TABLE conversations ADD COLUMN can_reply INTEGER;
ALTER TABLE messages ADD COLUMN unavailable INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN reply_to TEXT NOT NULL DEFAULT '';
"""

# v6: the list's newest-first order as an index, so the first screenful is the first rows of
# one index walk (LIMIT stops it) instead of a sort of every conversation.
_V6 = """
CREATE INDEX conversations_by_recency
    ON conversations (last_message_at DESC, profile, platform, id);
"""

# v7: a reply that goes out in parts (Meta takes one attachment per request: text, then each
# attachment) records the ids of the parts that went out, so a retry sends only the rest.
# Also: a Meta Page's own read state (unread_count 0 at updated_time), for threads not
# opened here.
_V7 = """
ALTER TABLE outbox ADD COLUMN parts INTEGER NOT NULL DEFAULT 1;
ALTER TABLE outbox ADD COLUMN part_ids TEXT NOT NULL DEFAULT '[]';
ALTER TABLE conversations ADD COLUMN remote_read_at REAL;
"""

# The unread rule: a received message newer than both what the user saw here (or, for a
# thread never opened here, what the Meta Page read in another inbox) and the brand's own last
# reply (a reply means someone already saw it, in this app or another). Over `conversations c
# LEFT JOIN local_state l`, as the effective status is.
UNREAD = (
    "(c.last_received_at IS NOT NULL AND c.last_received_at > "
    "MAX(COALESCE(l.read_at, c.remote_read_at, 0), COALESCE(c.last_sent_at, 0)))"
)
STATUS = "COALESCE(l.status_override, c.status)"
OWNED = "COALESCE(c.is_owner, 1)"  # Meta: unknown counts as ours

# v8: the list's counts kept as rows are written, so "1/1,000,000 · 5,210 unread" is a sum of
# a few rows instead of a pass over every conversation (0.8 s at a million). One row per
# (profile, platform, effective status, unread, ours); snoozes depend on the time and are few,
# so they are taken off when counted. Every write to a conversation or its local state takes
# the row's part off before (BEFORE) and puts it back after (AFTER), computed the same way.
# An upsert fires BEFORE INSERT even when it becomes an update: that one only counts a real
# insert, and conversations need none (a row not there yet has no part to take off).
_COUNTED_FROM = """
    FROM conversations c LEFT JOIN local_state l
      ON l.profile = c.profile AND l.platform = c.platform AND l.conversation_id = c.id"""
_OF_ROW = """
    WHERE c.profile = {row}.profile AND c.platform = {row}.platform AND c.id = {row}.{id}"""
_TRIGGERS = [  # (name, when, table, step, condition)
    ("counts_conversation_inserted", "AFTER INSERT", "conversations", "on", ""),
    ("counts_conversation_updating", "BEFORE UPDATE", "conversations", "off", ""),
    ("counts_conversation_updated", "AFTER UPDATE", "conversations", "on", ""),
    ("counts_conversation_deleting", "BEFORE DELETE", "conversations", "off", ""),
    (
        "counts_state_inserting",
        "BEFORE INSERT",
        "local_state",
        "off",
        "WHEN NOT EXISTS (SELECT 1 FROM local_state s WHERE s.profile = new.profile "
        "AND s.platform = new.platform AND s.conversation_id = new.conversation_id) ",
    ),
    ("counts_state_inserted", "AFTER INSERT", "local_state", "on", ""),
    ("counts_state_updating", "BEFORE UPDATE", "local_state", "off", ""),
    ("counts_state_updated", "AFTER UPDATE", "local_state", "on", ""),
    ("counts_state_deleting", "BEFORE DELETE", "local_state", "off", ""),
    ("counts_state_deleted", "AFTER DELETE", "local_state", "on", ""),
]


def _kept_counts(keys: dict[str, str]) -> str:
    """The table of counts by `keys` (column -> its expression over `c` and `l`), filled from
    the rows there are, and the triggers that keep it."""
    names, values = ", ".join(keys), ", ".join(keys.values())
    off = f"""
    UPDATE list_counts SET n = n - 1
    WHERE ({names}) = (SELECT {values} {_COUNTED_FROM} {_OF_ROW});
"""
    on = f"""
    INSERT INTO list_counts ({names}, n)
    SELECT {values}, 1 {_COUNTED_FROM} {_OF_ROW}
    ON CONFLICT ({names}) DO UPDATE SET n = n + 1;
"""
    columns = "".join(
        f"    {name} {'TEXT' if name in ('profile', 'platform', 'status') else 'INTEGER'} NOT NULL,\n"
        for name in keys
    )
    script = (
        f"CREATE TABLE list_counts (\n{columns}    n INTEGER NOT NULL,\n"
        f"    PRIMARY KEY ({names})\n) WITHOUT ROWID;\n"
        f"INSERT INTO list_counts ({names}, n)\n"
        f"SELECT {values}, count(*) {_COUNTED_FROM}\n"
        f"GROUP BY {', '.join(str(n + 1) for n in range(len(keys)))};\n"
    )
    for name, when, table, step, condition in _TRIGGERS:
        row = "old" if "DELETE" in when else "new"  # keys never change in an update
        id_column = "id" if table == "conversations" else "conversation_id"
        body = (off if step == "off" else on).format(row=row, id=id_column)
        script += f"CREATE TRIGGER {name} {when} ON {table} {condition}BEGIN{body}END;\n"
    return script


_V8_KEYS = {
    "profile": "c.profile",
    "platform": "c.platform",
    "status": STATUS,
    "unread": UNREAD,
    "owned": OWNED,
}
_V8 = _kept_counts(_V8_KEYS)

# v9: a stream's backoff after an error, kept with its window: a restart (or `inbox-tui sync
# --once` from cron) waits it out instead of asking a failing endpoint again at once, and the
# status bar still says why.
_V9 = """
ALTER TABLE sync_windows ADD COLUMN retry_at REAL;
ALTER TABLE sync_windows ADD COLUMN failures INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sync_windows ADD COLUMN error TEXT NOT NULL DEFAULT '';
"""

# v10: the counts know which rows wait for a reply (the customer wrote last), for the queue
# of those (`W`) and its counter.
WAITING = "(c.last_direction IS 'received')"  # 0 or 1, never NULL
_V10 = (
    "".join(f"DROP TRIGGER {name};\n" for name, *_ in _TRIGGERS)
    + "DROP TABLE list_counts;\n"
    + _kept_counts({**_V8_KEYS, "waiting": WAITING})
)

# v11: labels, local (the Ayrshare API has none): any number per conversation, one name in
# any case ("VIP" and "vip" are one label).
_V11 = """
CREATE TABLE labels (
    profile TEXT NOT NULL,
    platform TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    label TEXT NOT NULL COLLATE NOCASE,
    PRIMARY KEY (profile, platform, conversation_id, label)
) WITHOUT ROWID;
CREATE INDEX labels_by_name ON labels (label);
"""

# v12: label changes on their way to a Meta Page's Custom Labels (Messenger): the newest
# intent per conversation and label, gone once Meta has it; kept across restarts.
_V12 = """
CREATE TABLE label_changes (
    profile TEXT NOT NULL,
    platform TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    label TEXT NOT NULL COLLATE NOCASE,
    added INTEGER NOT NULL,
    PRIMARY KEY (profile, platform, conversation_id, label)
) WITHOUT ROWID;
"""

# v13: the search index keeps prefix indexes of 1, 2 and 3 characters. Every word searched
# for is a prefix (search as you type), and without them FTS5 reads the whole doclist of every
# word a short prefix matches: at 20M messages `re` took 320-480 ms, `r` more; with them, a
# lookup (0.1 ms at 2M messages, where they were 40-45 ms). The index is ~2.9x the size, and
# is rebuilt here from the messages (a 20M-message store: minutes, once).
_V13 = """
DROP TABLE messages_fts;
CREATE VIRTUAL TABLE messages_fts USING fts5(
    text, sender_name, content='messages', content_rowid='seq',
    tokenize='unicode61 remove_diacritics 2', prefix='1 2 3'
);
INSERT INTO messages_fts (messages_fts) VALUES ('rebuild');
"""

MIGRATIONS: dict[int, str] = {
    1: _V1, 2: _V2, 3: _V3, 4: _V4, 5: _V5, 6: _V6, 7: _V7, 8: _V8, 9: _V9, 10: _V10, 11: _V11,
    12: _V12, 13: _V13,
}  # fmt: skip


def statements(script: str) -> list[str]:
    """Split a script into statements (triggers hold `;` inside BEGIN … END)."""
    out, current = [], ""
    for line in script.splitlines(keepends=True):
        if line.strip().startswith("--"):
            continue
        current += line
        if sqlite3.complete_statement(current):
            out.append(current.strip())
            current = ""
    if current.strip():
        out.append(current.strip())
    return out
