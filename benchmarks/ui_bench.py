"""UI budgets from DESIGN.md, measured in-process on a headless app (sync off, store only):

- key -> frame in a 100k-conversation list, p50/p99 (keys go in through the driver: Pilot's
  `press` waits for idle itself and would measure the harness);
- opening a 10k-message thread to its first frame.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from textual import events

from benchmarks.generate import PROFILES, generate
from inbox_tui.config import AyrshareSettings, Config, Profile
from inbox_tui.domain import Direction, Message, Platform
from inbox_tui.store import Store
from inbox_tui.ui.app import InboxApp

FRAME_BUDGET_S = 1 / 60
THREAD_BUDGET_S = 0.05


def _config(names) -> Config:
    return Config(
        ayrshare=AyrshareSettings(api_key="unused"), profiles=[Profile(name=n) for n in names]
    )


async def key_to_frame(conversations: int, keys: int, data: Path) -> dict:
    path = generate(data / f"list-{conversations}.sqlite3", conversations, conversations)
    app = InboxApp(_config(PROFILES), Store(path), sync=False)
    state, frame = [], []
    async with app.run_test(size=(120, 40)) as pilot:
        app.switch_to_profile(None)  # every profile: the whole list
        while len(app.conversation_list.rows) < conversations * 0.5:
            await pilot.pause(0.05)
        await pilot.pause(0.2)
        widget = app.conversation_list
        for n in range(keys):
            before = widget.highlighted
            started = time.perf_counter()
            app._driver.send_message(events.Key("down" if n % 50 < 40 else "up", None))
            while widget.highlighted == before:
                await asyncio.sleep(0)
            state.append(time.perf_counter() - started)
            await widget.wait_for_refresh()
            frame.append(time.perf_counter() - started)
            await asyncio.sleep(0.02)  # a person's key repeat, not a flood
        rows = len(widget.rows)
    app.store.close()
    frame.sort()
    p50, p99 = statistics.median(frame), frame[int(len(frame) * 0.99) - 1]
    return {
        "name": f"key -> frame, {rows:,}-row list (p99; key -> state p50 {statistics.median(state) * 1000:.1f} ms)",
        "budget": "p99 <= one frame (16.7 ms)",
        "app": round(p99, 6),
        "app_p50": round(p50, 6),
        "baseline_is": "one 60 fps frame",
        "baseline": round(FRAME_BUDGET_S, 6),
        "ratio": round(p99 / FRAME_BUDGET_S, 3),
        "within_budget": p99 <= FRAME_BUDGET_S,
        "runs": keys,
    }


async def open_thread(messages: int, runs: int, data: Path) -> dict:
    path = data / f"thread-{messages}.sqlite3"
    if not path.exists():
        store = Store(path)
        t = datetime(2026, 11, 1, tzinfo=UTC)
        store.upsert_messages(
            "P",
            Platform.FACEBOOK,
            [
                Message(
                    Platform.FACEBOOK,
                    f"m{i}",
                    "long",
                    Direction.RECEIVED if i % 3 else Direction.SENT,
                    t + timedelta(minutes=i),
                    "s",
                    "Ada",
                    f"message {i}: can you check my order?",
                )
                for i in range(messages)
            ],
        )
        store.close()
    app = InboxApp(_config(["P"]), Store(path), sync=False)
    timings = []
    async with app.run_test(size=(120, 40)) as pilot:
        while not app.conversation_list.rows:
            await pilot.pause(0.05)
        key = app.conversation_list.rows[0].key
        for _ in range(runs):
            app.thread_view.clear_thread()
            app.thread_view.row = None
            await pilot.pause(0.05)
            started = time.perf_counter()
            app.load_thread(key, delay=0)
            while app.thread_view.row is None:
                await asyncio.sleep(0)
            await app.thread_view.wait_for_refresh()
            timings.append(time.perf_counter() - started)
    app.store.close()
    median = statistics.median(timings)
    return {
        "name": f"open a {messages:,}-message thread to its first frame",
        "budget": "<= 50 ms",
        "app": round(median, 6),
        "baseline_is": "the budget",
        "baseline": THREAD_BUDGET_S,
        "ratio": round(median / THREAD_BUDGET_S, 3),
        "within_budget": median <= THREAD_BUDGET_S,
        "runs": runs,
    }
