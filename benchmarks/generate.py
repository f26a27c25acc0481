"""Fill a store with N conversations and M messages, realistic in shape (through the Store API):
long-tailed thread lengths, the demo's texts, a mix of platforms, profiles and archived threads.

`copies` builds 1/copies of it through the API and copies that in SQL, each copy further back
in time (the tests' 200k-message store in a few seconds instead of half a minute)."""

from __future__ import annotations

import math
import random
import sqlite3
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from inbox_tui.domain import Conversation, ConversationStatus, Direction, Message, Platform
from inbox_tui.fake.demo_data import FIRST, INBOUND, ITEMS, LAST, OUTBOUND
from inbox_tui.store import Store, schema

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
PROFILES = ["Primary", "Acme Coffee", "Northwind Outdoor", "Lumen Skincare", "Harbor Books"]


COPIED_FROM = 2_000_000  # messages: from this size a store is a tenth built and nine copies


def generate(
    path: Path, conversations: int, messages: int, seed: int = 1, copies: int | None = None
) -> Path:
    """Write the store at `path` unless it already exists; returns the path. `copies` by
    default: 10 from `COPIED_FROM` messages (through the API, 20M messages would take hours)."""
    if path.exists():
        return path
    if copies is None:
        copies = 10 if messages >= COPIED_FROM else 1
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".partial")
    for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        leftover.unlink(missing_ok=True)
    rng = random.Random(seed)
    store = Store(tmp)
    conversations, messages = conversations // copies, messages // copies
    lengths = _thread_lengths(rng, conversations, messages)
    platforms = list(Platform)
    batch: dict[tuple[str, Platform], tuple[list[Conversation], list[Message]]] = {}
    for n in range(conversations):
        profile, platform = PROFILES[n % len(PROFILES)], platforms[n % 3]
        first = rng.choice(FIRST)
        cid = f"c{n:07d}"
        conversation = Conversation(
            platform,
            cid,
            ConversationStatus.ACTIVE if rng.random() > 0.15 else ConversationStatus.ARCHIVED,
            participant_id=f"p{n}",
            participant_name=f"{first} {rng.choice(LAST)}",
        )
        when = NOW - timedelta(minutes=rng.expovariate(1 / 3000)) - timedelta(hours=lengths[n])
        thread = []
        for i in range(lengths[n]):
            received = i == 0 or rng.random() < 0.55
            template = rng.choice(INBOUND if received else OUTBOUND)
            text = template.format(n=rng.randint(1000, 9999), item=rng.choice(ITEMS), first=first)
            thread.append(
                Message(
                    platform,
                    f"{cid}m{i}",
                    cid,
                    Direction.RECEIVED if received else Direction.SENT,
                    when,
                    f"p{n}",
                    first,
                    text,
                )
            )
            when += timedelta(minutes=rng.uniform(1, 60))
        convs, msgs = batch.setdefault((profile, platform), ([], []))
        convs.append(conversation)
        msgs.extend(thread)
        if len(msgs) >= 20_000:
            _flush(store, batch)
    _flush(store, batch)
    store.close()
    if copies > 1:
        _copy_back_in_time(tmp, copies)
    tmp.rename(path)
    return path


def _copy_back_in_time(path: Path, copies: int) -> None:
    """Copies 2..n of every conversation and message, each one span further back: ids get a
    suffix, times and `seq` (the rowid that follows time, see schema v2) move together, whole
    seconds at a time, so the copies never share a time with anything (the FTS index follows
    by its trigger)."""
    db = sqlite3.connect(path, isolation_level=None)
    low, high = db.execute("SELECT min(created), max(created) FROM messages").fetchone()
    span = math.ceil(high - low) + 86_400
    times = ("last_message_at", "last_received_at", "last_sent_at", "remote_read_at", "created")
    db.execute("BEGIN")
    for table, ids in (("conversations", ("id",)), ("messages", ("id", "conversation_id"))):
        columns = [r[1] for r in db.execute(f"PRAGMA table_info({table})")]
        for k in range(1, copies):
            shift = k * span
            exprs = {c: f"{c} || '~{k}'" for c in ids}
            exprs |= {c: f"{c} - {shift}" for c in times if c in columns}
            exprs["seq"] = f"seq - {shift * 1000 * schema.SEQ_SLOTS}"
            select = ", ".join(exprs.get(c, c) for c in columns)
            db.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) SELECT {select} FROM {table} "
                "WHERE id NOT LIKE '%~%'"
            )
    db.execute("COMMIT")
    db.close()


def _thread_lengths(rng: random.Random, conversations: int, messages: int) -> list[int]:
    """Long-tailed thread lengths (most threads short, a few very long) summing to `messages`."""
    raw = [rng.lognormvariate(0, 1.2) for _ in range(conversations)]
    scale = messages / sum(raw)
    lengths = [max(1, round(r * scale)) for r in raw]
    lengths[max(range(conversations), key=lengths.__getitem__)] += messages - sum(lengths)
    return lengths


def _flush(store: Store, batch) -> None:
    for (profile, platform), (convs, msgs) in batch.items():
        for status in ConversationStatus:
            chosen = [c for c in convs if c.status is status]
            ids = {c.id for c in chosen}
            store.upsert_messages(
                profile, platform, [m for m in msgs if m.conversation_id in ids], status
            )
    batch.clear()


if __name__ == "__main__":
    out = generate(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]))
    print(out)
