"""UI budgets from DESIGN.md, measured in-process on a headless app (sync off, store only):

- key -> frame in a 100k-conversation list, p50/p99 (keys go in through the driver: Pilot's
  `press` waits for idle itself and would measure the harness);
- opening a 10k-message thread to its first frame;
- a change to a few rows of a 100k-conversation list (a new message, a triage action) shown
  by reading those rows alone, against reading the whole list again, and the longest time
  the event loop is blocked meanwhile;
- switching views (Active <-> Archived) in that list: the frame with the first screenful,
  against the frame with the whole list.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

from textual import events
from textual.app import App
from textual.pilot import Pilot
from textual.worker import Worker

from benchmarks.generate import PROFILES, generate
from benchmarks.loop_stalls import STALL_BUDGET_S, LoopStalls
from inbox_tui.config.model import AyrshareSettings, Config, Profile
from inbox_tui.domain import Direction, Message, Platform
from inbox_tui.store import Store
from inbox_tui.ui.app import InboxApp
from inbox_tui.ui.widgets.conversation_list import ConversationList

FRAME_BUDGET_S = 1 / 60
THREAD_BUDGET_S = 0.05


def _config(names) -> Config:
    return Config(
        ayrshare=AyrshareSettings(api_key="unused"), profiles=[Profile(name=n) for n in names]
    )


class FrameClock:
    """When the app hands each screen update to its driver (the bytes a terminal would get).

    `wait_for_refresh` is no frame clock: it can return at an idle moment before the update
    that shows the change is rendered (so a bare OptionList seemed to draw in 3 ms).
    """

    def __init__(self) -> None:
        self.frames: list[float] = []
        self._display = App._display

    def __enter__(self) -> FrameClock:
        clock = self

        def display(app, screen, update) -> None:
            clock._display(app, screen, update)
            if update is not None:
                clock.frames.append(time.perf_counter())

        App._display = display
        return self

    def __exit__(self, *exc) -> None:
        App._display = self._display

    async def next_after(self, moment: float) -> float:
        while not self.frames or self.frames[-1] < moment:
            await asyncio.sleep(0)
        return next(t for t in self.frames if t >= moment)


async def seconds_to_frame(start: Callable[[], Worker]) -> float:
    """From starting a worker to the first frame handed to the driver after it is done (its
    `wait` raises if the worker failed)."""
    with FrameClock() as clock:
        started = time.perf_counter()
        await start().wait()
        return await clock.next_after(time.perf_counter()) - started


async def _press_keys(app, widget, keys: int) -> tuple[list[float], list[float]]:
    """Inject keys through the driver; seconds to the state change and to the frame showing it."""
    state, frame = [], []
    rows = widget.total if isinstance(widget, ConversationList) else widget.option_count
    with FrameClock() as clock:
        for n in range(keys):
            before = widget.highlighted
            started = time.perf_counter()
            key = "down" if n % 50 < 40 else "up"
            if widget.highlighted in (0, rows - 1):  # at an end (a short list): away from it
                key = "up" if widget.highlighted else "down"
            app._driver.send_message(events.Key(key, None))
            while widget.highlighted == before:
                await asyncio.sleep(0)
            changed = time.perf_counter()
            state.append(changed - started)
            frame.append(await clock.next_after(changed) - started)
            await asyncio.sleep(0.02)  # a person's key repeat, not a flood
    return state, frame


ROUND = 100  # keys per round: the p99 is each round's, and the result their median


def _p99(values: list[float]) -> float:
    """The median over rounds of each round's p99: one stall of this noisy VM moves one round."""
    rounds = [values[i : i + ROUND] for i in range(0, len(values), ROUND)]
    tails = [sorted(r)[max(0, int(len(r) * 0.99) - 1)] for r in rounds]
    return statistics.median(tails)


async def _baseline_keys(rows: int, keys: int) -> list[float]:
    """The same keys into a minimal app: one plain OptionList of `rows` one-line options."""
    from textual.app import App
    from textual.widgets import Footer, OptionList

    class Minimal(App):
        def compose(self):
            yield OptionList(*(f"conversation {i}" for i in range(rows)))
            yield Footer()

    app = Minimal()
    async with app.run_test(size=(120, 40)) as pilot:
        widget = app.query_one(OptionList)
        widget.focus()
        widget.highlighted = 0
        await pilot.pause(0.2)
        _, frame = await _press_keys(app, widget, keys)
    return frame


@asynccontextmanager
async def whole_list(conversations: int, data: Path) -> AsyncIterator[tuple[InboxApp, Pilot]]:
    """The app (sync off) on a generated store of `conversations`, every profile in scope,
    once the list (its window, and its count) is on screen; the store is closed after."""
    path = generate(data / f"list-{conversations}.sqlite3", conversations, conversations)
    app = InboxApp(_config(PROFILES), Store(path), sync=False)
    async with app.run_test(size=(120, 40)) as pilot:
        app.switch_to_profile(None)
        while app.conversation_list.total < conversations * 0.5:
            await pilot.pause(0.05)
        await pilot.pause(0.3)
        yield app, pilot
    app.store.close()


async def key_to_frame(conversations: int, keys: int, data: Path) -> dict:
    async with whole_list(conversations, data) as (app, _):
        widget = app.conversation_list
        state, frame = await _press_keys(app, widget, keys)
        rows = widget.total
    baseline = await _baseline_keys(rows, keys)
    p50, p99, base_p99 = statistics.median(frame), _p99(frame), _p99(baseline)
    return {
        "name": f"key -> frame, {rows:,}-row list (p99; key -> state p50 {statistics.median(state) * 1000:.1f} ms)",
        "budget": "p99 <= one frame (16.7 ms)",
        "p99_is": f"the median of the p99s of {max(1, keys // ROUND)} rounds of {ROUND} keys",
        "app": round(p99, 6),
        "app_p50": round(p50, 6),
        "baseline_is": "the same keys in a minimal app's OptionList of as many rows (p99)",
        "baseline": round(base_p99, 6),
        "baseline_p50": round(statistics.median(baseline), 6),
        "ratio": round(p99 / base_p99, 3),
        "within_budget": p99 <= FRAME_BUDGET_S,
        "runs": keys,
    }


def _thread_store(path: Path, messages: int) -> Path:
    """Two conversations: "long" with `messages` messages, "short" with 20."""
    if path.exists():
        return path
    store = Store(path)
    t = datetime(2026, 11, 1, tzinfo=UTC)
    for cid, count in (("long", messages), ("short", 20)):
        store.upsert_messages(
            "P",
            Platform.FACEBOOK,
            [
                Message(
                    Platform.FACEBOOK,
                    f"{cid}{i}",
                    cid,
                    Direction.RECEIVED if i % 3 else Direction.SENT,
                    t + timedelta(minutes=i),
                    "s",
                    "Ada",
                    f"message {i}: can you check my order?",
                )
                for i in range(count)
            ],
        )
    store.close()
    return path


async def open_thread(messages: int, runs: int, data: Path) -> dict:
    """Open the long thread and a 20-message one in turn, each to its first frame."""
    path = _thread_store(data / f"threads-{messages}.sqlite3", messages)
    app = InboxApp(_config(["P"]), Store(path), sync=False)
    timings: dict[str, list[float]] = {"long": [], "short": []}
    async with app.run_test(size=(120, 40)) as pilot:
        while len(app.conversation_list.rows) < 2:
            await pilot.pause(0.05)
        await pilot.pause(0.3)
        for _ in range(runs):
            for index, row in enumerate(app.conversation_list.rows):
                app.conversation_list.highlighted = index
                await pilot.pause(0.3)  # its own debounced load is done
                app.thread_view.clear_thread()
                await pilot.pause(0.05)
                load = partial(app.thread_pane.load, row.key, delay=0)
                timings[row.id].append(await seconds_to_frame(load))
    app.store.close()
    long, short = statistics.median(timings["long"]), statistics.median(timings["short"])
    return {
        "name": f"open a {messages:,}-message thread to its first frame",
        "budget": "<= 50 ms",
        "app": round(long, 6),
        "baseline_is": "opening a 20-message thread in the same app",
        "baseline": round(short, 6),
        "ratio": round(long / short, 3),
        "within_budget": long <= THREAD_BUDGET_S,
        "runs": runs,
    }


async def _whole_read_and_shown(app: InboxApp) -> None:
    """What a change cost before rows were spliced in and the list read by window."""
    pane = app.list_pane
    pane.show_rows(await asyncio.to_thread(pane.read_rows))


async def list_update(conversations: int, runs: int, data: Path) -> dict:
    """Two rows change (as a sync result or a triage action would) in the 100k list: the
    window around the cursor read again with the counts, against reading the whole list."""
    timings: dict[str, list[float]] = {"rows": [], "whole": []}
    stalls: dict[str, float] = {"rows": 0.0, "whole": 0.0}
    async with whole_list(conversations, data) as (app, _):
        rows = app.conversation_list.rows
        count = app.conversation_list.total
        for n in range(runs):
            changed = {rows[(n * 7919) % len(rows)].ref, rows[(n * 104729) % len(rows)].ref}
            app.store.mark_unread(changed)
            for kind in ("rows", "whole"):
                reload = (
                    partial(app.list_pane.reload, 0)
                    if kind == "rows"
                    else partial(app.run_worker, _whole_read_and_shown(app))
                )
                with LoopStalls() as loop:
                    timings[kind].append(await seconds_to_frame(reload))
                    await asyncio.sleep(0.2)  # what follows the frame (freeing the old rows)
                stalls[kind] = max(stalls[kind], loop.longest)
            await app.list_pane.reload(0).wait()  # the window again, not the whole list held
            await asyncio.sleep(0.2)
    fast, whole = statistics.median(timings["rows"]), statistics.median(timings["whole"])
    return {
        "name": f"show a change to 2 rows of a {count:,}-row list (loop stall {stalls['rows'] * 1000:.0f} ms; whole read: {stalls['whole'] * 1000:.0f} ms)",
        "budget": "event loop blocked <= 16 ms",
        "app": round(fast, 6),
        "app_longest_stall": round(stalls["rows"], 6),
        "baseline_is": "reading and showing the whole list (what a change did before rows were spliced)",
        "baseline": round(whole, 6),
        "baseline_longest_stall": round(stalls["whole"], 6),
        "ratio": round(fast / whole, 3),
        "within_budget": stalls["rows"] <= STALL_BUDGET_S,
        "runs": runs,
    }


async def _until(condition: Callable[[], bool]) -> float:
    while not condition():
        await asyncio.sleep(0.001)
    return time.perf_counter()


async def switch_view(conversations: int, runs: int, data: Path) -> dict:
    """Active <-> Archived with every profile in scope: the first frame showing rows of the
    other view, against the first frame showing its window with the view's counts."""
    timings: dict[str, list[float]] = {"first": [], "whole": []}
    async with whole_list(conversations, data) as (app, pilot):
        widget = app.conversation_list

        def shown(status, whole: bool) -> bool:
            """Rows of the view on screen; with `whole`, once the position has its count
            (it reads "1/…" while only the first screenful is there)."""
            rows = widget.rows
            return (
                bool(rows)
                and rows[0].status is status
                and (not whole or "…" not in str(widget.border_subtitle))
            )

        for _ in range(runs * 2):  # there and back: both views count
            with FrameClock() as clock:
                started = time.perf_counter()
                app.list_pane.action_toggle_view()
                status = app.list_pane.view.api_status
                some = await _until(partial(shown, status, whole=False))
                timings["first"].append(await clock.next_after(some) - started)
                every = await _until(partial(shown, status, whole=True))
                timings["whole"].append(await clock.next_after(every) - started)
            await pilot.pause(0.2)
    first, whole = statistics.median(timings["first"]), statistics.median(timings["whole"])
    return {
        "name": f"switch view in a {conversations:,}-conversation list: first screenful",
        "budget": "none of its own (the list must not wait for the counts)",
        "app": round(first, 6),
        "baseline_is": "the frame showing the view with its counts (the window after its top)",
        "baseline": round(whole, 6),
        "ratio": round(first / whole, 3),
        "within_budget": None,
        "runs": runs * 2,
    }
