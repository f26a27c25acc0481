"""The store's connection: one SQLite file, opened private, migrated, guarded by a lock, and
the two small tables every part uses (settings, sync windows).

Thread-safe: one connection guarded by a lock, so callers can use `asyncio.to_thread` and
keep the event loop free.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import inbox_tui.store.schema as schema
from inbox_tui.config.paths import private_dir
from inbox_tui.store.records import StoreVersionError, SyncWindow, _dt, _ts


class StoreCore:
    def __init__(
        self, path: Path | str, on_upgrade: Callable[[int, int], None] | None = None
    ) -> None:
        """`on_upgrade(old, new)`: told before a store written by an older version is migrated
        (a migration may rebuild the search index: minutes for tens of millions of messages)."""
        self.path = Path(path)
        self._on_upgrade = on_upgrade
        if str(path) != ":memory:":
            private_dir(self.path.parent)
            # Create the file 0600 before SQLite opens it: it holds private conversations.
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            os.close(fd)
            os.chmod(self.path, 0o600)
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._lock = threading.RLock()
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._migrate()

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _migrate(self) -> None:
        with self._lock:
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            if version > schema.SCHEMA_VERSION:
                raise StoreVersionError(
                    f"{self.path} was written by a newer inbox-tui (schema {version}, this one "
                    f"knows {schema.SCHEMA_VERSION}). Upgrade inbox-tui, or move the file aside."
                )
            if 0 < version < schema.SCHEMA_VERSION and self._on_upgrade is not None:
                self._on_upgrade(version, schema.SCHEMA_VERSION)
            for target in range(version + 1, schema.SCHEMA_VERSION + 1):
                with self._transaction() as db:
                    for statement in schema.statements(schema.MIGRATIONS[target]):
                        db.execute(statement)
                    db.execute(f"PRAGMA user_version = {target}")

    # -- settings and sync windows ---------------------------------------------------------------------------

    def save_window(self, profile: str, stream: str, window: SyncWindow) -> None:
        with self._transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO sync_windows "
                "(profile, stream, last_updated, next_update, retry_at, failures, error) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    profile,
                    stream,
                    _ts(window.last_updated),
                    _ts(window.next_update),
                    _ts(window.retry_at),
                    window.failures,
                    window.error,
                ),
            )

    def windows(self) -> dict[tuple[str, str], SyncWindow]:
        with self._lock:
            rows = self._db.execute(
                "SELECT profile, stream, last_updated, next_update, retry_at, failures, error "
                "FROM sync_windows"
            ).fetchall()
        return {(r[0], r[1]): SyncWindow(_dt(r[2]), _dt(r[3]), _dt(r[4]), r[5], r[6]) for r in rows}

    def setting(self, key: str) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return row and row[0]

    def set_setting(self, key: str, value: str) -> None:
        with self._lock, self._db:
            self._db.execute(
                "INSERT INTO settings VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )
