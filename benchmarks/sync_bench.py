"""Two sync budgets from DESIGN.md:

- requests in steady state: exactly one per stream per `nextUpdate` window, zero before it
  (an hour simulated with an injected clock against the in-process fake);
- the event loop never blocked by sync or store work for more than 16 ms (a 10k-message
  answer ingested while a ticker measures the loop's longest stall).
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from benchmarks.loop_stalls import STALL_BUDGET_S, LoopStalls
from inbox_tui.config.model import SyncSettings
from inbox_tui.domain import ConversationStatus, Direction, Message, Platform
from inbox_tui.store import Store
from inbox_tui.sync import SyncEngine
from inbox_tui.ui.idle_gc import IdleCollector

HOUR = 3600
WINDOWS = {"facebook": 60, "instagram": 60, "twitter": 15}


async def requests_per_hour(seconds: int = HOUR) -> dict:
    import httpx

    from inbox_tui.demo_keys import DEMO_API_KEY, DEMO_X_KEYS
    from inbox_tui.fake.demo_data import build_demo
    from inbox_tui.fake.server import build_app
    from inbox_tui.providers.ayrshare import AyrshareSession

    now = [datetime(2026, 11, 20, 12, tzinfo=UTC)]
    clock = lambda: now[0]  # noqa: E731
    fake = build_demo(now=now[0], clock=clock, live=False)
    fake.settings.rate_limit_max = 10**9  # measure the schedule, not the limit
    session = AyrshareSession(
        api_key=DEMO_API_KEY,
        base_url="http://fake/api",
        x_keys=DEMO_X_KEYS,
        transport=httpx.ASGITransport(app=build_app(fake)),
        clock=clock,
    )
    with tempfile.TemporaryDirectory() as scratch:
        store = Store(Path(scratch) / "s.sqlite3")
        engine = SyncEngine(
            store=store,
            providers={"Primary": session.for_profile(None)},
            platforms={"Primary": tuple(Platform)},
            settings=SyncSettings(),
            clock=clock,
        )
        engine.focus(("Primary",), ConversationStatus.ACTIVE)
        for _ in range(seconds):  # a tick every simulated second
            await engine.tick()
            now[0] += timedelta(seconds=1)
        store.close()
    await session.aclose()
    first_pages = [r for r in fake.requests if "next" not in r.query]  # X pages are one read
    made = len(first_pages)
    minimum = sum(2 * -(-seconds // WINDOWS[p]) for p in WINDOWS)  # list + messages, per window
    # and the archive's messages, at the background pace (a customer writing to an archived
    # thread brings it back: `reopen_archived`)
    minimum += len(WINDOWS) * -(-seconds // int(SyncSettings().background_interval_seconds))
    return {
        "name": f"requests over {seconds // 60} simulated minutes, one profile, 9 streams",
        "budget": "exactly one per stream per nextUpdate window",
        "app": made,
        "baseline": minimum,
        "baseline_is": "the minimum nextUpdate allows",
        "ratio": round(made / minimum, 3),
        "within_budget": made == minimum,
        "runs": 1,
        "unit": "requests",
    }


async def ingest_stall(messages: int = 10_000) -> dict:
    """Ingest one big answer the way the engine does (off the loop); time the loop's stalls."""
    t = datetime(2026, 11, 20, tzinfo=UTC)
    batch = [
        Message(
            Platform.FACEBOOK,
            f"m{i}",
            f"c{i % 500}",
            Direction.RECEIVED,
            t + timedelta(seconds=i),
            "s",
            "Ada",
            f"message number {i} about a refund",
        )
        for i in range(messages)
    ]
    collector = IdleCollector()  # the app's garbage-collection policy, as it runs there
    collector.start()
    with tempfile.TemporaryDirectory() as scratch:
        store = Store(Path(scratch) / "s.sqlite3")
        with LoopStalls() as loop:
            started = time.perf_counter()
            await asyncio.to_thread(store.upsert_messages, "P", Platform.FACEBOOK, batch)
            elapsed = time.perf_counter() - started
        store.close()
    collector.stop()
    worst = loop.longest
    return {
        "name": f"ingest a {messages:,}-message answer: longest event-loop stall",
        "budget": "<= 16 ms",
        "app": round(worst, 6),
        "baseline": round(elapsed, 6),
        "baseline_is": "the ingest's own duration",
        "ratio": round(worst / elapsed, 3),
        "within_budget": worst <= STALL_BUDGET_S,
        "runs": 1,
    }
