"""The command line: the app's options and every subcommand, with its help and defaults.

Global options (`--config`, `--store`, `--demo`) work before or after the subcommand: each
subcommand takes them too, with defaults that leave the top level's value alone. A command
names its function as "module:function" (imported only when it runs: `--help` and completion
pay for no command's imports).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from inbox_tui import demo_keys

VIEWS = ("active", "archived", "snoozed")
PLATFORMS = ("facebook", "instagram", "x", "messenger")
SORTS = ("newest", "unread", "closing", "waiting")
SHELLS = ("bash", "zsh", "fish", "tcsh", "powershell")


class _Version(argparse.Action):
    """--version, read from the package's metadata only when asked for."""

    def __init__(self, option_strings: list[str], dest: str, **_: object) -> None:
        super().__init__(option_strings, dest, nargs=0, help="print the version and exit")

    def __call__(self, parser, namespace, values, option_string=None) -> None:
        from inbox_tui import __version__

        print(f"inbox-tui {__version__}")
        parser.exit()


class _Help(argparse.ArgumentDefaultsHelpFormatter, argparse.RawDescriptionHelpFormatter):
    """Defaults in the help, and descriptions kept as written."""


def _global_options(parser: argparse.ArgumentParser, default: object) -> None:
    parser.add_argument(
        "--config",
        type=Path,
        default=default,
        help="config file (default: the user config dir; or INBOX_TUI_CONFIG)",
    )
    parser.add_argument(
        "--store", type=Path, default=default, help="SQLite store (default: the config's)"
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        default=default if default is argparse.SUPPRESS else False,
        help="on built-in demo data (no account or key needed; with --store it is kept there)",
    )


def _json(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument("--json", action="store_true", help=f"{what} as JSON (see the README)")


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="inbox-tui",
        description="A keyboard-driven terminal inbox for social DMs (Ayrshare Messages API, "
        "Meta Graph). With no command, the app; the commands below script the same store "
        "with the same rules.",
        epilog="Exit status: 0 done, 1 refused (a platform rule, the reply window), 2 usage or "
        "config, 3 network or API, 4 a reply that may not have gone out.",
        formatter_class=_Help,
    )
    top.add_argument("--version", action=_Version)
    _global_options(top, None)
    top.add_argument(
        "--no-sync", action="store_true", help="the app shows the stored inbox, makes no requests"
    )
    top.add_argument("--log", type=Path, help="write a log there (0600; keys are scrubbed)")
    top.set_defaults(run="inbox_tui.cli.start_app:run_app")
    common = argparse.ArgumentParser(add_help=False)
    _global_options(common, argparse.SUPPRESS)
    commands = top.add_subparsers(dest="command", title="commands", metavar="COMMAND")

    def command(
        name: str, run: str, summary: str, description: str = ""
    ) -> argparse.ArgumentParser:
        sub = commands.add_parser(
            name,
            help=summary,
            description=description or summary,
            parents=[common],
            formatter_class=_Help,
        )
        sub.set_defaults(run=run)
        return sub

    def conversations(sub: argparse.ArgumentParser, many: bool = False) -> None:
        sub.add_argument(
            "conversation",
            nargs="+" if many else None,
            metavar="CONVERSATION",
            help="profile/platform/id as `list` prints it, or the id as the API gives it",
        )
        sub.add_argument("--profile", help="the profile to look in, for an id alone")

    sub = command(
        "list",
        "inbox_tui.cli.reading:list_conversations",
        "list conversations, newest first (from the store: works offline)",
    )
    scope = sub.add_mutually_exclusive_group()
    scope.add_argument("--profile", help="this profile (a unique prefix will do)")
    scope.add_argument("--all", action="store_true", help="every profile (default: the first)")
    sub.add_argument("--view", choices=VIEWS, default="active", help="which conversations")
    sub.add_argument("--platform", choices=PLATFORMS, help="one platform only")
    sub.add_argument("--unread", action="store_true", help="unread ones only")
    sub.add_argument(
        "--needs-reply", action="store_true", help="only those where the customer wrote last"
    )
    sub.add_argument("--sort", choices=SORTS, default="newest", help="the app's `s` orders")
    sub.add_argument("--limit", type=int, default=100, help="at most this many (0: all)")
    _json(sub, "JSON Lines, one conversation a line")

    sub = command(
        "show", "inbox_tui.cli.reading:show_thread", "show a conversation's thread (offline)"
    )
    conversations(sub)
    sub.add_argument("--limit", type=int, default=100, help="its newest messages (0: all)")
    _json(sub, "one JSON object")

    sub = command(
        "search",
        "inbox_tui.cli.reading:search_messages",
        "search every stored message (offline)",
        "Search every stored message, newest first, in the app's query language: words and "
        'prefixes, "a phrase", from:NAME, profile:NAME, platform:fb|ig|x, after:/before: '
        "(2026-11-01, today, yesterday, 7d).",
    )
    sub.add_argument("query", nargs="+", metavar="QUERY", help="words and filters")
    sub.add_argument("--limit", type=int, default=100, help="at most this many hits")
    _json(sub, "JSON Lines, one hit a line")

    sub = command(
        "stats",
        "inbox_tui.cli.reading:response_time_stats",
        "response times per brand, today and the last 7 days (offline)",
        "Per brand, today (since midnight) and the last 7 days: how many customer messages "
        "were answered, and the median and 90th-percentile wait for the reply (from the "
        "customer's first message since the brand's last one).",
    )
    sub.add_argument("--profile", help="this profile only (default: every one)")
    _json(sub, "JSON Lines, one profile a line")

    sub = command(
        "reply",
        "inbox_tui.cli.acting:reply",
        "send a reply (through the outbox, with the composer's checks)",
        "Send a reply through the outbox, with every check the composer makes (the reply "
        "window, the monthly cap, media rules) and the same never-twice rules. Exit 4: it may "
        "have gone out (never retried on its own; the app's R retries it after a yes).",
    )
    conversations(sub)
    sub.add_argument("text", metavar="TEXT", help="the reply, or - to read it from stdin")
    sub.add_argument(
        "--media", action="append", default=[], metavar="URL", help="attach this URL (repeat)"
    )

    for name, summary in (
        ("archive", "archive conversations (on the API too)"),
        ("unarchive", "bring archived conversations back (on the API too)"),
        ("read", "mark conversations read (here only: the APIs keep no read state)"),
        ("unread", "mark conversations unread (here only)"),
    ):
        conversations(command(name, f"inbox_tui.cli.acting:{name}", summary), many=True)

    sub = command("snooze", "inbox_tui.cli.acting:snooze", "hide a conversation until a time")
    conversations(sub)
    sub.add_argument(
        "when", nargs="+", metavar="WHEN", help="2h, 18:00, tomorrow 9, mon 9:30, 2026-12-24"
    )

    sub = command(
        "export",
        "inbox_tui.cli.exporting:export",
        "write conversations and their messages to a file, for reports",
        "Write conversations and their messages to FILE: JSON (one object a conversation, "
        "with its messages, a line) or CSV (one row a message). Text a spreadsheet would run "
        "as a formula is written with a leading '.",
    )
    sub.add_argument("--profile", help="this profile only (default: every profile)")
    sub.add_argument("--since", help="messages on or after this day (2026-11-01, 7d, today)")
    sub.add_argument("--format", choices=("json", "csv"), required=True, help="the file's form")
    sub.add_argument("file", type=Path, metavar="FILE", help="where to write (- for stdout)")

    sub = command(
        "sync",
        "inbox_tui.cli.syncing:sync",
        "fetch from the APIs without the app",
        "Fetch from the APIs without the app, honouring every cache window (nextUpdate) the "
        "last run recorded; progress goes to stderr. Until SIGTERM or ctrl+c, or --once.",
    )
    sub.add_argument("--once", action="store_true", help="fetch what is due once, then exit")
    sub.add_argument(
        "--archived",
        action="store_true",
        help="with --once, the archived lists too (the app fetches them when they are shown)",
    )

    sub = command(
        "serve",
        "inbox_tui.cli.serving:serve",
        "the app in a web browser (textual-serve; pip install 'inbox-tui[web]')",
        "Serve the app to a web browser through textual-serve: each browser tab runs its own "
        "inbox-tui on this machine, with this config and store. textual-serve has no login: "
        "anyone who can reach the address can use your inbox, so it listens on 127.0.0.1 "
        "unless --host names another address and --allow-remote says you mean it.",
    )
    sub.add_argument("--host", default="127.0.0.1", help="the address to listen on")
    sub.add_argument("--port", type=int, default=8000, help="the port to listen on")
    sub.add_argument(
        "--allow-remote", action="store_true", help="listen on a non-loopback --host (no login!)"
    )
    sub.add_argument("--no-sync", action="store_true", help="the served app makes no requests")

    sub = command(
        "completion",
        "inbox_tui.cli.completion:print_script",
        "print a shell's completion script",
        "Print the completion script for SHELL, e.g. in ~/.bashrc: "
        'eval "$(inbox-tui completion bash)"',
    )
    sub.add_argument("shell", choices=SHELLS, metavar="SHELL", help=", ".join(SHELLS))

    sub = command(
        "init",
        "inbox_tui.cli.setup_commands:init",
        "write a starter config at --config (never over an existing one)",
    )
    sub.add_argument(
        "--example", action="store_true", help="print the example config instead: every key"
    )
    for name, summary in (
        ("export-state", "write read state, snoozes, drafts and unsent replies to a file (0600)"),
        ("import-state", "merge a file written by export-state into this store"),
    ):
        sub = command(name, "inbox_tui.cli.setup_commands:state", summary)
        sub.add_argument("file", type=Path, metavar="FILE")
    sub = command(
        "fake-server",
        "inbox_tui.cli.setup_commands:fake_server",
        "serve the fake Ayrshare and Graph APIs on a loopback port",
        "serve the fake Ayrshare and Graph APIs on a loopback port, with the demo's data. "
        "A config pointed at it needs:\n\n" + demo_keys.help_text(),
    )
    sub.add_argument("--host", default="127.0.0.1", help="a loopback address")
    sub.add_argument("--port", type=int, default=8765)
    sub.add_argument("--seed", type=int, default=7, help="the demo data's")
    return top
