"""`archive`, `unarchive`, `read`, `unread`, `snooze` and `reply`: the app's triage and its
outbox, with its rules (`triage`, `outbox`, `reply_rules`), driven from a command."""

from __future__ import annotations

import argparse
import asyncio
import sys

from inbox_tui.cli.errors import MAYBE_SENT, NETWORK, OK, REFUSED, CommandError
from inbox_tui.cli.records import ref_text
from inbox_tui.cli.session import Session, session
from inbox_tui.domain import ConversationStatus
from inbox_tui.store import ConversationRef


def _targets(opened: Session, args: argparse.Namespace) -> dict[ConversationRef, str]:
    """The conversations named, each with its participant's name (for the messages)."""
    rows = [opened.find(text, args.profile) for text in args.conversation]
    return {row.ref: row.participant_name for row in rows}


def _triage(opened: Session, providers=None):
    from inbox_tui.triage import Triage

    return Triage(opened.store, lambda: providers.by_profile if providers else {}, opened.now)


def _set_status(args: argparse.Namespace, status: ConversationStatus) -> int:
    with session(args) as opened:
        targets = _targets(opened, args)

        async def run() -> list:
            async with opened.providers() as providers:
                return await _triage(opened, providers).set_status(targets, status)

        failures = asyncio.run(run())
        for failure in failures:
            print(f"inbox-tui: {ref_text(failure.ref)}: {failure.error}", file=sys.stderr)
        done = len(targets) - len(failures)
        verb = "Archived" if status is ConversationStatus.ARCHIVED else "Unarchived"
        print(f"{verb} {done} of {len(targets)}.")
        return NETWORK if failures else OK


def archive(args: argparse.Namespace) -> int:
    return _set_status(args, ConversationStatus.ARCHIVED)


def unarchive(args: argparse.Namespace) -> int:
    return _set_status(args, ConversationStatus.ACTIVE)


def _local(args: argparse.Namespace, action: str, done: str) -> int:
    with session(args) as opened:
        refs = list(_targets(opened, args))
        asyncio.run(getattr(_triage(opened), action)(refs))
        print(f"{done} {len(refs)}.")
    return OK


def read(args: argparse.Namespace) -> int:
    return _local(args, "mark_read", "Marked read:")


def unread(args: argparse.Namespace) -> int:
    return _local(args, "mark_unread", "Marked unread:")


def snooze(args: argparse.Namespace) -> int:
    from inbox_tui import snooze_time

    with session(args) as opened:
        ref = opened.find(args.conversation, args.profile).ref
        text = " ".join(args.when)
        now = opened.now().astimezone()
        until = snooze_time.parse(text, now)
        if until is None:
            raise CommandError(f"{text!r}: {snooze_time.problem(text, now)}")
        asyncio.run(_triage(opened).snooze([ref], until))
        print(f"Snoozed {ref_text(ref)} until {until.astimezone():%Y-%m-%d %H:%M}.")
    return OK


def _reply_text(args: argparse.Namespace) -> str:
    from inbox_tui.text import clean

    text = sys.stdin.read() if args.text == "-" else args.text
    return clean(text).strip()


def reply(args: argparse.Namespace) -> int:
    from inbox_tui.reply_rules import send_problems
    from inbox_tui.store import Draft, OutboxState

    text = _reply_text(args)
    if not text and not args.media:
        raise CommandError("the reply is empty.")
    with session(args) as opened:
        store = opened.store
        row = opened.find(args.conversation, args.profile)
        ref = row.ref
        recipient, window = opened.reply_check(row, store.thread(ref, 100).messages)
        if not window.can_reply:
            raise CommandError(f"cannot reply: {window.reason}", REFUSED)
        if problems := send_problems(row.platform, args.media, text):
            raise CommandError("not sent: " + " ".join(problems), REFUSED)

        async def send():
            from inbox_tui.outbox import Outbox

            async with opened.providers() as providers:
                outbox = Outbox(store, lambda: providers.by_profile, opened.now)
                item = await outbox.send(ref, recipient, Draft(text, tuple(args.media)))
                return item, ref in outbox.window_refused

        item, refused = asyncio.run(send())
        if item.state in (OutboxState.SENT, OutboxState.ACCEPTED):
            print(f"Sent to {row.participant_name} ({ref_text(ref)}).")
            return OK
        if item.state is OutboxState.UNKNOWN:
            print(
                f"inbox-tui: it may have gone out: {item.error} It is kept in the outbox and "
                "never sent again on its own (the app's R asks before retrying).",
                file=sys.stderr,
            )
            return MAYBE_SENT
        print(
            f"inbox-tui: not sent: {item.error} (kept in the outbox: R retries it in the app)",
            file=sys.stderr,
        )
        return REFUSED if refused else NETWORK
