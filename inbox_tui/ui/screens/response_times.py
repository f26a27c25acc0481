"""Response times (`T`): per brand, today and the last 7 days, how many customer messages
were answered and how long the median and the 90th-percentile customer waited."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from inbox_tui.response_times import PERIODS, Figures, response_times, wait_words
from inbox_tui.ui.screens.dialogs import Dialog

if TYPE_CHECKING:
    from inbox_tui.store import Store

NOTE = (
    "A reply's wait runs from the customer's first message since the brand's last one; "
    "replies sent elsewhere count once a sync brings them. Today: since midnight."
)


_CELL = "{:>8}  {:>8}  {:>8}    "  # answered, median, 90th %: one period's columns
_BLOCK = len(_CELL.format("", "", ""))


def figures_table(figures: dict[str, dict[str, Figures]], style: Callable[[str], str]) -> Content:
    width = max([len(name) for name in figures] + [5])
    head = f"{'':{width}}  " + "".join(f"{p.upper():^{_BLOCK - 4}}    " for p in PERIODS)
    columns = f"{'brand':{width}}  " + _CELL.format("answered", "median", "90th %") * len(PERIODS)
    parts: list[str | tuple[str, str]] = [
        (head.rstrip(), "bold"),
        "\n",
        (columns.rstrip(), "$foreground-muted"),
        "\n",
    ]
    for name, periods in figures.items():
        parts.append((f"{name:{width}}  ", style(name)))
        for period in PERIODS:
            f = periods[period]
            parts.append(_CELL.format(f.answered, wait_words(f.median), wait_words(f.p90)))
        parts.append("\n")
    return Content.assemble(*parts).rstrip()


class ResponseTimesScreen(Dialog[None]):
    BINDINGS = [Binding("escape,T,q", "dismiss(None)", "Close")]

    def __init__(
        self,
        store: Store,
        now: datetime,
        profiles: Sequence[str],
        brand_style: Callable[[str], str],
    ) -> None:
        super().__init__()
        self.store, self.now, self.profiles, self.brand_style = store, now, profiles, brand_style

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Response times"
            box.border_subtitle = "escape to close"
            yield Static(Content("Counting…"), id="figures", markup=False)
            yield Static(Content(NOTE), classes="hint", markup=False)

    def on_mount(self) -> None:
        self.count()

    @work(group="figures", exit_on_error=False)
    async def count(self) -> None:
        figures = await asyncio.to_thread(response_times, self.store, self.profiles, self.now)
        self.query_one("#figures", Static).update(figures_table(figures, self.brand_style))
