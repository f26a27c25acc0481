"""Human output: aligned columns by their width on screen (wide characters count two), the
last one cut to the terminal's width when the output is a terminal."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Sequence
from datetime import datetime

from rich.cells import cell_len, set_cell_size


def when(moment: datetime | None) -> str:
    """Local time, to the minute."""
    return "" if moment is None else f"{moment.astimezone():%Y-%m-%d %H:%M}"


def print_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    if not rows:
        return
    widths = [max(cell_len(r[n]) for r in [headers, *rows]) for n in range(len(headers) - 1)]
    room = None
    if sys.stdout.isatty():
        room = max(20, shutil.get_terminal_size().columns - sum(widths) - 2 * len(widths))
    for row in [headers, *rows]:
        cells = [set_cell_size(cell, width) for cell, width in zip(row, widths, strict=False)]
        last = row[-1]
        if room is not None and cell_len(last) > room:
            last = set_cell_size(last, room - 1) + "…"
        print("  ".join([*cells, last]).rstrip())
