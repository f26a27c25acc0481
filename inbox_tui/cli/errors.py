"""How a command ends: its exit status (documented in the README) and its words on stderr."""

from __future__ import annotations

import sys

OK, REFUSED, USAGE, NETWORK, MAYBE_SENT = 0, 1, 2, 3, 4


class CommandError(Exception):
    """A command that cannot go on: `message` goes to stderr, `status` is the exit status."""

    def __init__(self, message: str, status: int = USAGE) -> None:
        super().__init__(message)
        self.status = status


def fail(message: str, status: int = USAGE) -> int:
    print(f"inbox-tui: {message}", file=sys.stderr)
    return status
