"""Fifty brands at once (issue 22's load run, rebuilt against the project's own fake):

- requests per profile per 5-minute rate window over simulated minutes (an injected clock),
  the fake enforcing Ayrshare's documented 300: the most any profile made, against the limit;
- the app starting on those fifty profiles in real time (in-process fake): the longest
  event-loop stall and key -> frame p99 while the first syncs run, against the same app on
  the same store with sync off.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from benchmarks.loop_stalls import STALL_BUDGET_S, LoopStalls
from benchmarks.ui_bench import FRAME_BUDGET_S, _p99, _press_keys
from inbox_tui.config.model import AyrshareSettings, Config, Profile, SyncSettings
from inbox_tui.domain import ConversationStatus, Platform
from inbox_tui.fake.records import (
    FakeConversation,
    FakeMessage,
    FakePlatform,
    FakeProfile,
    FakeSettings,
)
from inbox_tui.fake.state import FakeAyrshare
from inbox_tui.store import Store

API_KEY = "bench-api-key"
X_KEYS = ("bench-x-key", "bench-x-secret")
RATE_LIMIT = 300  # Ayrshare's documented per-profile budget per 5 minutes (or 250)


def profile_key(n: int) -> str | None:
    return None if n == 0 else f"pk-bench-{n:02d}"


def fifty_brands(profiles: int, conversations: int, now: datetime, clock) -> FakeAyrshare:
    """`profiles` brands, each on Facebook, Instagram and X with `conversations` threads of
    one received message (X's list is paged by 100: `conversations / 100` pages)."""
    fake = FakeAyrshare(FakeSettings(api_key=API_KEY, rate_limit_max=RATE_LIMIT), clock=clock)
    for n in range(profiles):
        platforms = {}
        for platform in ("facebook", "instagram", "twitter"):
            account = FakePlatform(account_id=f"{n}{platform[:2]}", account_name=f"Brand {n}")
            for c in range(conversations):
                cid = f"{n}-{c}" if platform == "twitter" else f"{platform[:2]}{n}_{c}"
                account.conversations[cid] = FakeConversation(
                    cid,
                    f"9{n}{c}",
                    f"Person {n}.{c}",
                    messages=[
                        FakeMessage(
                            f"m{platform[:2]}{n}_{c}", "received", now - timedelta(minutes=c), "hi"
                        )
                    ],
                )
            platforms[platform] = account
        profile = FakeProfile(f"Brand {n}", f"brand{n}", platforms)
        if n == 0:
            fake.primary = profile
        else:
            fake.profiles[profile_key(n)] = profile
    return fake


def _config(profiles: int, base_url: str) -> Config:
    return Config(
        ayrshare=AyrshareSettings(
            api_key=API_KEY, base_url=base_url, x_api_key=X_KEYS[0], x_api_secret=X_KEYS[1]
        ),
        profiles=[Profile(name=f"Brand {n}", profile_key=profile_key(n)) for n in range(profiles)],
    )


async def requests_per_window(profiles: int, conversations: int, seconds: int) -> dict:
    """The engine alone, a tick every simulated second, Brand 0 on screen."""
    import httpx

    from inbox_tui.fake.server import build_app
    from inbox_tui.providers.ayrshare import AyrshareSession
    from inbox_tui.sync import SyncEngine

    now = [datetime(2026, 11, 20, 12, tzinfo=UTC)]
    clock = lambda: now[0]  # noqa: E731
    fake = fifty_brands(profiles, conversations, now[0], clock)
    session = AyrshareSession(
        api_key=API_KEY,
        base_url="http://fake/api",
        x_keys=X_KEYS,
        transport=httpx.ASGITransport(app=build_app(fake)),
        clock=clock,
    )
    names = [f"Brand {n}" for n in range(profiles)]
    with tempfile.TemporaryDirectory() as scratch:
        store = Store(Path(scratch) / "s.sqlite3")
        engine = SyncEngine(
            store=store,
            providers={
                name: session.for_profile(profile_key(n), name) for n, name in enumerate(names)
            },
            platforms={name: tuple(Platform) for name in names},
            settings=SyncSettings(),
            clock=clock,
        )
        engine.focus((names[0],), ConversationStatus.ACTIVE)
        for _ in range(seconds):
            while started := engine.start_due():  # as the loop does: what is due, now
                await asyncio.gather(*started)
            now[0] += timedelta(seconds=1)
        store.close()
    await session.aclose()
    windows = {n: fake.requests_per_window(profile_key(n)) for n in range(profiles)}
    most = max((max(w.values(), default=0) for w in windows.values()), default=0)
    on_screen = max(windows[0].values(), default=0)
    refused = sum(r.status == 429 for r in fake.requests)
    return {
        "name": f"{profiles} profiles x 3, {conversations} conversations each: requests per 5 min",
        "budget": f"<= {RATE_LIMIT} per profile per 5-minute window, no 429",
        "app": most,
        "app_on_screen": on_screen,
        "app_429s": refused,
        "app_total": len(fake.requests),
        "baseline": RATE_LIMIT,
        "baseline_is": "Ayrshare's documented per-profile limit",
        "ratio": round(most / RATE_LIMIT, 3),
        "within_budget": most <= RATE_LIMIT and refused == 0,
        "runs": 1,
        "unit": "requests",
        "simulated_seconds": seconds,
    }


async def _start_session(
    profiles: int, conversations: int, keys: int, store_path: Path, sync: bool
) -> tuple[float, list[float]]:
    """The app on the fifty profiles: the longest stall and key -> frame during its start."""
    from inbox_tui.fake.server import running
    from inbox_tui.ui.app import InboxApp

    clock = lambda: datetime.now(UTC)  # noqa: E731
    fake = fifty_brands(profiles, conversations, clock(), clock)
    # A real loopback socket, the fake in its own thread: in-process (ASGI) its answers would
    # be computed on the app's event loop, and their time counted as the app's stalls.
    with running(fake) as base_url:
        app = InboxApp(_config(profiles, base_url), Store(store_path), sync=sync)
        async with app.run_test(size=(120, 40)) as pilot:
            while len(app.conversation_list.rows) < 2:
                await pilot.pause(0.02)
            widget = app.conversation_list
            widget.focus()
            with LoopStalls() as loop:
                _, frames = await _press_keys(app, widget, keys)
    app.store.close()
    return loop.longest, frames


async def start_with_fifty(profiles: int, conversations: int, keys: int) -> list[dict]:
    with tempfile.TemporaryDirectory() as scratch:
        store_path = Path(scratch) / "s.sqlite3"
        stall, frames = await _start_session(profiles, conversations, keys, store_path, True)
        base_stall, base_frames = await _start_session(
            profiles, conversations, keys, store_path, False
        )
    p99, base_p99 = _p99(frames), _p99(base_frames)
    return [
        {
            "name": f"{profiles}-profile start: longest event-loop stall while keys go in",
            "budget": "<= 16 ms",
            "app": round(stall, 6),
            "baseline": round(base_stall, 6),
            "baseline_is": "the same app on the same store, sync off",
            "ratio": round(stall / base_stall, 3) if base_stall else 0.0,
            "within_budget": stall <= STALL_BUDGET_S,
            "runs": 1,
        },
        {
            "name": f"{profiles}-profile start: key -> frame p99 (p50 {statistics.median(frames) * 1000:.1f} ms)",
            "budget": "p99 <= one frame (16.7 ms)",
            "app": round(p99, 6),
            "app_p50": round(statistics.median(frames), 6),
            "baseline": round(base_p99, 6),
            "baseline_is": "the same keys, same app and store, sync off",
            "ratio": round(p99 / base_p99, 3) if base_p99 else 0.0,
            "within_budget": p99 <= FRAME_BUDGET_S,
            "runs": keys,
        },
    ]
