"""`inbox-tui serve`: the app in a browser, through textual-serve (the `web` extra).

textual-serve runs the command below once per browser session, under its web driver; the app
knows it is in a browser (`App.is_web`) and says so where a terminal's tools (`$EDITOR`)
cannot follow. It has no login, so only a loopback address is served unless asked plainly.
"""

from __future__ import annotations

import argparse
import shlex
import sys

from inbox_tui.cli.errors import USAGE, CommandError

NO_LOGIN = (
    "warning: textual-serve has no login: anyone who can reach {where} can read and answer "
    "your inbox. Put it behind something that asks who they are, or serve 127.0.0.1 only."
)


def served_command(args: argparse.Namespace) -> str:
    """The app as each browser session runs it: this Python, these global options."""
    argv = [sys.executable, "-m", "inbox_tui"]
    if args.demo:
        argv.append("--demo")
    for option in ("config", "store"):
        if (path := getattr(args, option)) is not None:
            argv += [f"--{option}", str(path.resolve())]
    if args.no_sync:
        argv.append("--no-sync")
    return shlex.join(argv)


def serve(args: argparse.Namespace) -> int:
    from inbox_tui.config.model import is_loopback_host

    if not is_loopback_host(args.host):
        if not args.allow_remote:
            raise CommandError(
                f"{args.host} is not a loopback address: textual-serve has no login, so "
                "serving it needs --allow-remote as well.",
                USAGE,
            )
        print(NO_LOGIN.format(where=f"{args.host}:{args.port}"), file=sys.stderr)
    try:
        from textual_serve.server import Server
    except ImportError:
        raise CommandError("serve needs textual-serve: pip install 'inbox-tui[web]'.") from None
    Server(served_command(args), host=args.host, port=args.port, title="inbox-tui").serve()
    return 0
