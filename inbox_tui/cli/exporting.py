"""`inbox-tui export`: conversations and their messages, for reports.

JSON: one conversation a line (JSON Lines), its messages in it, oldest first. CSV: one row a
message with its conversation's columns. Both stream: a conversation at a time is held.
A CSV cell that a spreadsheet would run as a formula (it starts with = + - @ or a tab) gets a
leading ' (what OWASP advises against CSV injection): the text comes from strangers.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import IO

from inbox_tui.cli import records
from inbox_tui.cli.errors import CommandError
from inbox_tui.cli.session import Session, session
from inbox_tui.domain import Message
from inbox_tui.store import ConversationRow, View

COLUMNS = [
    "profile",
    "platform",
    "conversation_id",
    "participant_id",
    "participant_name",
    "status",
    "message_id",
    "direction",
    "created",
    "sender_id",
    "sender_name",
    "text",
    "attachments",
]
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _since(text: str | None) -> datetime | None:
    if text is None:
        return None
    from inbox_tui.search import parse

    query = parse(f"after:{text}", date.today())
    if query.problems or query.after is None:
        raise CommandError(f"--since {text} is not a day (use 2026-11-01, today, yesterday, 7d).")
    return query.after


def _threads(
    opened: Session, profiles: list[str], since: datetime | None
) -> Iterator[tuple[ConversationRow, list[Message]]]:
    for view in View:
        for row in opened.rows(profiles, view):
            if since is not None and (not row.last_message_at or row.last_message_at < since):
                continue
            messages = opened.store.thread(row.ref).messages
            if since is not None:
                messages = [m for m in messages if m.created >= since]
            yield row, messages


@contextmanager
def _output(path: Path) -> Iterator[IO[str]]:
    """stdout for -, else a file of mode 0600 (it holds customers' messages), written beside
    its place and renamed into it when whole: a failed export leaves no half file."""
    if str(path) == "-":
        yield sys.stdout
        return
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as error:
        raise CommandError(f"cannot write {path}: {error.strerror or error}.") from None
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            yield out
        os.replace(tmp, path)
    except OSError as error:
        raise CommandError(f"cannot write {path}: {error.strerror or error}.") from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def export(args: argparse.Namespace) -> int:
    since = _since(args.since)
    with session(args) as opened:
        profiles = [opened.profile_named(args.profile)] if args.profile else opened.profile_names
        conversations = messages = 0
        with _output(args.file) as out:
            writer = csv.writer(out) if args.format == "csv" else None
            if writer is not None:
                writer.writerow(COLUMNS)
            for row, thread in _threads(opened, profiles, since):
                conversations += 1
                messages += len(thread)
                if writer is None:
                    record = records.conversation(row)
                    record["thread"] = [records.message(m) for m in thread]
                    out.write(records.line(record) + "\n")
                    continue
                for m in thread:
                    attachments = " ".join(a.url for a in m.attachments)
                    writer.writerow(
                        _cell(v)
                        for v in (
                            row.profile,
                            row.platform.value,
                            row.id,
                            row.participant_id,
                            row.participant_name,
                            row.status.value,
                            m.id,
                            m.direction.value,
                            records.iso(m.created),
                            m.sender_id,
                            m.sender_name,
                            m.text,
                            attachments,
                        )
                    )
        if str(args.file) != "-":
            print(f"Wrote {conversations} conversations, {messages} messages to {args.file}.")
    return 0
