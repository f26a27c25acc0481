"""Moving machines: what only this app knows (read state, snoozes, labels, drafts, the outbox) out
as JSON and in again, each value checked on the way in; renaming a profile."""

from __future__ import annotations

import json

from inbox_tui.domain import ConversationStatus, Platform
from inbox_tui.store.core import StoreCore
from inbox_tui.store.labels import label_problem
from inbox_tui.store.records import OutboxState
from inbox_tui.text import clean, clean_line


def _one_line(value: object) -> str:
    if not isinstance(value, str) or not value or clean_line(value) != value:
        raise ValueError("must be a non-empty line of printable text")
    return value


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError("must be text")
    return clean(value)


def _platform(value: str) -> str:
    return Platform(value).value


def _moment(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("must be a time (seconds since 1970)")
    if not 0 <= value <= _LAST_MOMENT:
        raise ValueError("is not a time between 1970 and 9999")
    return float(value)


def _optional(check):
    return lambda value: None if value is None else check(value)


def _urls(value: object) -> str:
    urls = json.loads(value) if isinstance(value, str) else None
    if not isinstance(urls, list) or not all(isinstance(u, str) for u in urls):
        raise ValueError("must be a JSON list of URLs")
    return json.dumps([clean_line(u) for u in urls])


def _count(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 1_000_000:
        raise ValueError("must be a whole number from 0 to 1,000,000")
    return value


def _label(value: object) -> str:
    if not isinstance(value, str) or (problem := label_problem(value)):
        raise ValueError(problem if isinstance(value, str) else "must be text")
    return value


def _flag(value: object) -> int:
    if not isinstance(value, bool | int) or value not in (0, 1):
        raise ValueError("must be 0 or 1")
    return int(value)


_LAST_MOMENT = 253_402_300_799  # 9999-12-31 23:59:59 UTC
# Each exported column's check for `import_state` (the value stored, or an error).
_IMPORT_FIELDS = {
    "profile": _one_line,
    "platform": _platform,
    "conversation_id": _one_line,
    "local_id": _one_line,
    "recipient_id": _text,
    "read_at": _optional(_moment),
    "status_override": _optional(lambda v: ConversationStatus(v).value),
    "override_at": _optional(_moment),
    "snoozed_until": _optional(_moment),
    "snoozed_at": _optional(_moment),
    "text": _text,
    "media_urls": _urls,
    "updated_at": _moment,
    "created_at": _moment,
    "state": lambda v: OutboxState(v).value,
    "error": _text,
    "message_id": _optional(_one_line),
    "attempts": _count,
    "parts": lambda v: max(1, _count(v)),
    "part_ids": _urls,  # a JSON list of strings, like the URLs
    "label": _label,
    "added": _flag,
}
# Columns newer than the first export format: an older export has none.
_IMPORT_DEFAULTS = {"outbox": {"parts": 1, "part_ids": "[]"}}


class Transfer(StoreCore):
    # -- moving machines: what only this app knows, as JSON --------------------------------------

    EXPORT_FORMAT = 1
    _EXPORTED = {
        "local_state": "profile, platform, conversation_id, read_at, status_override, override_at, "
        "snoozed_until, snoozed_at",
        "drafts": "profile, platform, conversation_id, text, media_urls, updated_at",
        "outbox": "local_id, profile, platform, conversation_id, recipient_id, text, media_urls, "
        "state, error, message_id, created_at, updated_at, attempts, parts, part_ids",
        "labels": "profile, platform, conversation_id, label",  # none in an older export
        # Label changes not yet at Meta: else the next read there would undo them.
        "label_changes": "profile, platform, conversation_id, label, added",
    }

    def export_state(self) -> dict:
        """Read state, archive overrides, snoozes, drafts and unsent replies (no secrets: the
        store holds none). Synced data is left out: the API gives it back."""
        out: dict = {"format": self.EXPORT_FORMAT}
        with self._lock:
            for table, columns in self._EXPORTED.items():
                where = " WHERE state != 'sent'" if table == "outbox" else ""
                rows = self._db.execute(f"SELECT {columns} FROM {table}{where}").fetchall()
                names = [c.strip() for c in columns.split(",")]
                out[table] = [dict(zip(names, row, strict=True)) for row in rows]
        return out

    def import_state(self, data: dict) -> int:
        """Merge an export in (its rows win over the same keys here). Returns rows taken.

        Every field is checked before anything is written (its type, its range, its enum; text
        is sanitised like anything else from outside): a file that fails changes nothing."""
        if not isinstance(data, dict) or data.get("format") != self.EXPORT_FORMAT:
            raise ValueError("not an inbox-tui state export (or from a newer inbox-tui)")
        rows: list[tuple[str, list[str], list]] = []
        for table, columns in self._EXPORTED.items():
            names = [c.strip() for c in columns.split(",")]
            entries = data.get(table, [])
            if not isinstance(entries, list):
                raise ValueError(f"{table} is not a list")
            for n, row in enumerate(entries):
                if not isinstance(row, dict):
                    raise ValueError(f"{table}[{n}] is not an object")
                row = {**_IMPORT_DEFAULTS.get(table, {}), **row}
                if set(row) != set(names):
                    raise ValueError(f"a {table} entry does not have the expected fields")
                values = []
                for name in names:
                    try:
                        values.append(_IMPORT_FIELDS[name](row[name]))
                    except (TypeError, ValueError, OverflowError, RecursionError) as exc:
                        raise ValueError(f"{table}[{n}].{name}: {exc}") from None
                rows.append((table, names, values))
        with self._transaction() as db:
            for table, names, values in rows:
                db.execute(
                    f"INSERT OR REPLACE INTO {table} ({', '.join(names)}) "
                    f"VALUES ({','.join('?' * len(names))})",
                    values,
                )
        return len(rows)

    def rename_profile(self, old: str, new: str) -> None:
        """A profile's rows follow its new name (they are keyed by it)."""
        with self._transaction() as db:
            for table in (
                "conversations",
                "messages",
                "local_state",
                "sync_windows",
                "drafts",
                "outbox",
                "labels",
                "label_changes",
            ):
                db.execute(f"UPDATE {table} SET profile = ? WHERE profile = ?", (new, old))
