"""Shell completion (argcomplete): `inbox-tui completion SHELL` prints the script; the shell
then runs `inbox-tui` with `_ARGCOMPLETE` set and argcomplete answers from the parser itself,
so completion never lags behind the commands. CONVERSATION completes from the store."""

from __future__ import annotations

import argparse
import os


def print_script(args: argparse.Namespace) -> int:
    import argcomplete

    print(argcomplete.shellcode(["inbox-tui"], shell=args.shell))
    return 0


def _conversations(prefix: str, parsed_args: argparse.Namespace, **_: object) -> list[str]:
    """The newest conversations' refs that start with what is typed (none without a store)."""
    from inbox_tui.cli.records import ref_text
    from inbox_tui.cli.session import session
    from inbox_tui.store import View

    if parsed_args.demo:
        return []  # the demo's data is made when it runs
    try:
        with session(parsed_args) as opened:
            rows = opened.store.conversations(
                opened.profile_names, View.ACTIVE, now=opened.now(), limit=500
            )
    except Exception:  # a completion never prints a traceback into the command line
        return []
    return [ref for row in rows if (ref := ref_text(row.ref)).startswith(prefix)]


def complete(parser: argparse.ArgumentParser) -> None:
    """Answer the shell and exit (argcomplete does both)."""
    import argcomplete

    for action in _actions(parser):
        if action.dest == "conversation":
            action.completer = _conversations
    argcomplete.autocomplete(parser, exit_method=os._exit)


def _actions(parser: argparse.ArgumentParser):
    for action in parser._actions:
        yield action
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                yield from _actions(sub)
