"""Entry points: `inbox-tui` (the app), its commands (a scriptable CLI over the same store and
the same rules as the app), `python -m inbox_tui`.

Each command is a function in a module of its own kind (`reading`, `acting`, `exporting`,
`syncing`, `setup_commands`, `start_app`), imported only when it runs. Exit statuses are in
`errors` (and the README).
"""

from __future__ import annotations

import os
from importlib import import_module

from inbox_tui.cli.errors import CommandError, fail
from inbox_tui.cli.parser import parser


def main(argv: list[str] | None = None) -> int:
    if "_ARGCOMPLETE" in os.environ:  # the shell asks for completions (see `completion`)
        from inbox_tui.cli.completion import complete

        complete(parser())
    args = parser().parse_args(argv)
    module, _, name = args.run.partition(":")
    try:
        return import_module(module).__dict__[name](args)
    except CommandError as error:
        return fail(str(error), error.status)
