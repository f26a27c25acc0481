"""`inbox-tui sync`: the app's sync engine without the app, every profile in focus.

It honours what the last run recorded: a stream whose cache window (`nextUpdate`) is still
open is not asked again (`--once` then says when it may be). Progress goes to stderr, one
line a fetch; SIGTERM and ctrl+c stop it cleanly.
"""

from __future__ import annotations

import argparse
import asyncio
import signal

from inbox_tui.cli.errors import OK, CommandError
from inbox_tui.cli.fetching import Progress, engine, fetch_due, say
from inbox_tui.cli.session import Session, session


def sync(args: argparse.Namespace) -> int:
    if args.archived and not args.once:
        raise CommandError("--archived goes with --once (a running sync follows the active lists).")
    with session(args, store_must_exist=False) as opened:
        if args.once:
            return asyncio.run(fetch_due(opened, archived=args.archived))
        return asyncio.run(_run_until_stopped(opened))


async def _run_until_stopped(opened: Session) -> int:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    async with opened.providers() as providers:
        syncing = engine(opened, providers, Progress(quiet=False))
        running = asyncio.create_task(syncing.run())
        await stop.wait()
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)
        await syncing.aclose()
    say("Stopped.")
    return OK
