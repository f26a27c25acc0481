"""`list`, `show`, `search` and `stats`: read from the store alone (they work offline) and change
nothing (`show` does not mark a thread read: `inbox-tui read` does)."""

from __future__ import annotations

import argparse
from collections.abc import Iterator

from inbox_tui.cli import records
from inbox_tui.cli.errors import USAGE, CommandError
from inbox_tui.cli.session import Session, session
from inbox_tui.cli.table import print_table, when
from inbox_tui.domain import PLATFORM_NAMES
from inbox_tui.store import ConversationRow, View


def _rows(opened: Session, args: argparse.Namespace) -> Iterator[ConversationRow]:
    return opened.rows(
        opened.in_scope(args.profile, args.all),
        View(args.view),
        args.limit or None,
        platform=PLATFORM_NAMES[args.platform] if args.platform else None,
        unread_only=args.unread,
        needs_reply=args.needs_reply,
        sort=args.sort,
    )


def _flags(row: ConversationRow) -> str:
    return "".join(
        mark
        for mark, on in (
            ("●", row.unread),
            ("↩", row.needs_reply),
            ("✎", row.has_draft),
            ("!", row.outbox_problem),
            ("z", row.snoozed_until is not None),
        )
        if on
    )


def list_conversations(args: argparse.Namespace) -> int:
    if args.limit < 0:
        raise CommandError("--limit must be 0 (all) or more.")
    with session(args) as opened:
        rows = _rows(opened, args)
        if args.json:
            for row in rows:
                print(records.line(records.conversation(row)), flush=False)
            return 0
        table = [
            [
                records.ref_text(row.ref),
                row.participant_name,
                when(row.last_message_at),
                _flags(row),
                row.preview,
            ]
            for row in rows
        ]
        print_table(["CONVERSATION", "FROM", "LAST", "", "PREVIEW"], table)
    return 0


def show_thread(args: argparse.Namespace) -> int:
    with session(args) as opened:
        row = opened.find(args.conversation, args.profile)
        thread = opened.store.thread(row.ref, args.limit or None)
        _, window = opened.reply_check(row, thread.messages)
        outbox = [i for i in opened.store.outbox_for(row.ref) if i.state.value != "sent"]
        if args.json:
            record = records.conversation(row)
            record |= {
                "reply_window": records.reply_window(window),
                "older_messages": thread.older,
                "history_may_be_cut": thread.truncated,
                "thread": [records.message(m) for m in thread.messages],
                "outbox": [records.outbox_item(i) for i in outbox],
            }
            print(records.line(record))
            return 0
        print(f"{row.participant_name} · {row.platform.label} · {row.profile} · {row.status}")
        if thread.older:
            print(f"({thread.older} older messages: --limit 0 shows them all)")
        for m in thread.messages:
            who = m.sender_name or ("them" if m.direction.value == "received" else row.profile)
            text = m.text.replace("\n", "\n" + " " * 18)  # under the first line's text
            print(f"{when(m.created)}  {who}: {text}".rstrip())
            for attachment in m.attachments:
                print(f"{'':18}[{attachment.type}] {attachment.url}")
        for item in outbox:
            print(f"{when(item.created_at)}  (reply {item.state.value}) {item.text}")
        print(
            "Reply window: open" + (f" until {when(window.closes_at)}" if window.closes_at else "")
            if window.can_reply
            else f"Cannot reply: {window.reason}"
        )
    return 0


def search_messages(args: argparse.Namespace) -> int:
    from datetime import date

    from inbox_tui.search import SearchError, parse

    with session(args) as opened:
        query = parse(" ".join(args.query), date.today(), opened.profile_names)
        if query.problems:
            raise CommandError("; ".join(query.problems) + ".", USAGE)
        if not query.searchable:
            raise CommandError("give a word, from:NAME or a filter to search by.", USAGE)
        try:
            hits = opened.store.search(query, args.limit)
        except SearchError as error:
            raise CommandError(str(error)) from None
        if args.json:
            for hit in hits:
                print(records.line(records.search_hit(hit)))
            return 0
        table = [
            [when(h.created), records.ref_text(h.ref), h.sender_name, records.snippet(h)]
            for h in hits
        ]
        print_table(["WHEN", "CONVERSATION", "FROM", "MATCH"], table)
    return 0


def response_time_stats(args: argparse.Namespace) -> int:
    """Per brand, today and the last 7 days: replies, median and 90th-percentile wait."""
    from inbox_tui.response_times import PERIODS, response_times, wait_words

    with session(args) as opened:
        names = opened.in_scope(args.profile, every=args.profile is None)
        figures = response_times(opened.store, names, opened.now())
    if args.json:
        for name, periods in figures.items():
            print(records.line(records.response_times(name, periods)))
        return 0
    header = ["PROFILE"]
    for period in PERIODS:
        header += [f"{period.upper()}: ANSWERED", "MEDIAN", "90TH %"]
    table = []
    for name, periods in figures.items():
        row = [name]
        for period in PERIODS:
            f = periods[period]
            row += [str(f.answered), wait_words(f.median), wait_words(f.p90)]
        table.append(row)
    print_table(header, table)
    return 0
