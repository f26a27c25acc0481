"""Search every stored message: incremental as you type, results open at the matching message."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from datetime import datetime

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from inbox_tui import search
from inbox_tui.domain import Direction
from inbox_tui.store import Store
from inbox_tui.ui.format import stamp
from inbox_tui.ui.widgets.key_bar import KeyBar
from inbox_tui.ui.widgets.vim_keys import PickList
from inbox_tui.ui.worker_errors import SurfacesWorkerErrors

SEARCH_DEBOUNCE = 0.08
PAGE_AHEAD = 50  # hits left below the cursor when the next page is read
HELP = (
    "Words match as prefixes. Filters (alone, they list every match): from:NAME  "
    'profile:NAME  platform:fb|ig|x  label:NAME  after:2026-11-01  before:today  "a phrase"'
)


def render_hit(hit: search.SearchHit, now: datetime, show_profile: bool) -> Content:
    parts: list[str | tuple[str, str]] = [(f"{hit.platform.badge:<2} ", "$text-accent")]
    if show_profile:
        parts.append((f"{hit.profile} · ", "$foreground-muted"))
    who = "You" if hit.direction is Direction.SENT else (hit.sender_name or hit.participant_name)
    parts += [
        (hit.participant_name or "(unknown)", "bold"),
        (f"  {stamp(hit.created, now)}", "$foreground-muted"),
        ("  archived" if hit.status.value == "archived" else "", "$warning"),
        "\n   ",
        (f"{who}: ", "$foreground-muted"),
    ]
    # The snippet's matches are between MARK_START and MARK_END; build styled parts from it.
    text = " ".join(hit.snippet.split())
    for n, piece in enumerate(text.split(search.MARK_START)):
        matched, _, rest = piece.partition(search.MARK_END) if n else ("", "", piece)
        if matched:
            parts.append((matched, "bold reverse"))
        if rest:
            parts.append(rest)
    return Content.assemble(*parts)


class SearchScreen(SurfacesWorkerErrors, Screen[search.SearchHit | None]):
    CSS_PATH = "screens.tcss"
    BINDINGS = [
        Binding("escape", "dismiss(None)", "Back"),
        Binding("down", "results", "Results", show=False),
    ]

    def __init__(
        self,
        store: Store,
        clock: Callable[[], datetime],
        *,
        profiles: Sequence[str],
        initial: str = "",
    ) -> None:
        super().__init__()
        self.store = store
        self.clock = clock
        self.profiles = profiles
        self.show_profile = len(profiles) > 1
        self.initial = initial
        self.hits: list[search.SearchHit] = []
        self._more: tuple[search.SearchQuery, str] | None = None  # a next page, for that text

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Input(value=self.initial, placeholder="Search every message…", id="search-input")
            yield Static(HELP, id="search-help", markup=False)
            yield Static("", id="search-status", markup=False)
            yield PickList(markup=False, id="search-results")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#search-input", Input).focus()
        if self.initial:
            self.run_search(self.initial, delay=0)

    @on(Input.Changed, "#search-input")
    def _changed(self, event: Input.Changed) -> None:
        self.run_search(event.value)

    @work(exclusive=True, group="search", exit_on_error=False)
    async def run_search(self, text: str, delay: float = SEARCH_DEBOUNCE) -> None:
        if delay:
            await asyncio.sleep(delay)
        now = self.clock()
        query = search.parse(text, now.astimezone().date(), self.profiles)
        status = self.query_one("#search-status", Static)
        results = self.query_one("#search-results", OptionList)
        self._more = None
        if not query.searchable:
            self.hits = []
            results.clear_options()
            status.update("; ".join(query.problems) or "Type a word, from:NAME, or a filter.")
            return
        try:
            hits = await asyncio.to_thread(self.store.search, query)
        except search.SearchError as error:
            hits, problem = [], str(error)
        else:
            problem = ""
        if self.query_one("#search-input", Input).value != text:
            return  # typed on meanwhile
        self.hits = hits
        results.set_options(
            Option(render_hit(hit, now, self.show_profile), id=str(n)) for n, hit in enumerate(hits)
        )
        if hits:
            results.highlighted = 0
        if problem:
            status.update(problem)
            return
        self._more = (query, text) if len(hits) >= search.DEFAULT_LIMIT else None
        self._say_count(query)

    def _say_count(self, query: search.SearchQuery) -> None:
        more = "+" if self._more else ""
        problems = "  ·  " + "; ".join(query.problems) if query.problems else ""
        self.query_one("#search-status", Static).update(
            f"{len(self.hits)}{more} messages, newest first{problems}"
        )

    @on(OptionList.OptionHighlighted, "#search-results")
    def _near_the_end(self, event: OptionList.OptionHighlighted) -> None:
        if self._more and event.option_index >= len(self.hits) - PAGE_AHEAD:
            self.next_page(*self._more)

    @work(exclusive=True, group="search-page", exit_on_error=False)
    async def next_page(self, query: search.SearchQuery, text: str) -> None:
        """The page of hits below the last one shown (results stream as the cursor goes)."""
        if not self.hits:
            return
        page = await asyncio.to_thread(self.store.search, query, after=self.hits[-1])
        if self._more != (query, text):
            return  # another search meanwhile
        now = self.clock()
        first = len(self.hits)
        self.hits.extend(page)
        self.query_one("#search-results", OptionList).add_options(
            Option(render_hit(hit, now, self.show_profile), id=str(first + n))
            for n, hit in enumerate(page)
        )
        self._more = (query, text) if len(page) >= search.DEFAULT_LIMIT else None
        self._say_count(query)

    @on(Input.Submitted, "#search-input")
    def _submitted(self) -> None:
        results = self.query_one("#search-results", OptionList)
        if self.hits:
            self.dismiss(self.hits[results.highlighted or 0])

    @on(OptionList.OptionSelected, "#search-results")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.hits[event.option_index])

    def action_results(self) -> None:
        self.query_one("#search-results", OptionList).focus()
