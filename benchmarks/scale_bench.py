"""Flat at any scale (issue 18): the app on stores of 1k, 100k and 1M conversations.

- first screen and peak memory of the real command, not syncing and syncing, against a
  minimal Textual app that imports httpx and pydantic and opens a store of the same size (the
  budget's baseline), and against the same app at the smallest size (what size costs);
- in-process at the largest size: a view switch, All profiles and `G`, from the key to the
  frame that shows the whole result (rows and counts), and the cursor's step (the position
  counter with it) key to frame, against the same at the smallest.

Rounds interleave every size and kind, so the machine's drift hits all alike; each ratio is the
median of the rounds' own ratios.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.generate import COPIED_FROM, PROFILES, generate
from benchmarks.ui_bench import FRAME_BUDGET_S, FrameClock, _config, _p99, _press_keys
from inbox_tui.store import Store
from inbox_tui.ui.app import InboxApp

FIRST_SCREEN_BUDGET, MEMORY_BUDGET, GROWTH_BUDGET, MOVE_BUDGET_S = 1.15, 1.2, 1.1, 0.050


def scale_store(data: Path, conversations: int) -> Path:
    """`conversations` with long-tailed threads (ten messages each on average, two at a million:
    the list's cost is per conversation); the biggest built a tenth at a time and copied."""
    messages = min(conversations * 10, COPIED_FROM)
    path = data / f"store-{conversations}-{messages}.sqlite3"
    return generate(path, conversations, messages)


def bench_scale(sizes: list[int], runs: int, data: Path) -> list[dict]:
    from benchmarks.run import closed_port, first_frame, write_config

    port = closed_port()
    configs = {}
    for size in sizes:
        path = scale_store(data, size)
        configs[size] = path.with_suffix(".toml")
        write_config(configs[size], path, port)
        if runs > 1:  # once: the config's fingerprint, the file cache (a smoke run: no need)
            first_frame("inbox", configs[size])
    kinds = ("inbox", "inbox-sync", "minimal-store")
    children: dict[tuple[int, str], list] = {(s, k): [] for s in sizes for k in kinds}
    for _ in range(runs):
        for size in sizes:
            for kind in kinds:
                children[size, kind].append(first_frame(kind, configs[size]))

    def ratio(a: tuple[int, str], b: tuple[int, str], field: str) -> float:
        pairs = zip(children[a], children[b], strict=True)
        return round(statistics.median(getattr(x, field) / getattr(y, field) for x, y in pairs), 3)

    def median(key: tuple[int, str], field: str) -> float:
        return statistics.median(getattr(child, field) for child in children[key])

    smallest, results = sizes[0], []
    for size in sizes:
        label = f"{size:,} conversations"
        r = ratio((size, "inbox"), (size, "minimal-store"), "seconds")
        results.append(
            {
                "name": f"scale: first screen, {label}",
                "budget": f"<= {FIRST_SCREEN_BUDGET} x minimal Textual app",
                "app": round(median((size, "inbox"), "seconds"), 6),
                "baseline_is": "a minimal Textual app (it imports httpx and pydantic and opens "
                "the same store after its first frame)",
                "baseline": round(median((size, "minimal-store"), "seconds"), 6),
                "ratio": r,
                "within_budget": r <= FIRST_SCREEN_BUDGET,
                "runs": runs,
            }
        )
        for kind, doing in (("inbox", ""), ("inbox-sync", " syncing")):
            r = ratio((size, kind), (size, "minimal-store"), "peak_rss")
            results.append(
                {
                    "name": f"scale: peak memory{doing}, {label}",
                    "budget": f"<= {MEMORY_BUDGET} x minimal app loading the same",
                    "app": round(median((size, kind), "peak_rss") / 1024, 1),
                    "baseline_is": "a minimal Textual app that imports httpx and pydantic and "
                    "opens the same store",
                    "baseline": round(median((size, "minimal-store"), "peak_rss") / 1024, 1),
                    "ratio": r,
                    "within_budget": r <= MEMORY_BUDGET,
                    "runs": runs,
                    "unit": "MiB",
                }
            )
            if size != smallest:
                r = ratio((size, kind), (smallest, kind), "peak_rss")
                results.append(
                    {
                        "name": f"scale: peak memory{doing}, {label} vs {smallest:,}",
                        "budget": f"<= {GROWTH_BUDGET} x the same app at {smallest:,}",
                        "app": round(median((size, kind), "peak_rss") / 1024, 1),
                        "baseline_is": f"the same app on {smallest:,} conversations",
                        "baseline": round(median((smallest, kind), "peak_rss") / 1024, 1),
                        "ratio": r,
                        "within_budget": r <= GROWTH_BUDGET,
                        "runs": runs,
                        "unit": "MiB",
                    }
                )
    return results


async def _move_seconds(app: InboxApp, move: Callable[[], None], done: Callable[[], bool]) -> float:
    """From the move to the frame that shows it done (rows and counts)."""
    with FrameClock() as clock:
        started = time.perf_counter()
        move()
        while not done():
            await asyncio.sleep(0.001)
        return await clock.next_after(time.perf_counter()) - started


async def _moves(path: Path, runs: int, keys: int) -> dict[str, list[float]]:
    app = InboxApp(_config(PROFILES), Store(path), sync=False)
    timings: dict[str, list[float]] = {"view": [], "all": [], "G": []}
    async with app.run_test(size=(120, 40)) as pilot:
        widget, pane = app.conversation_list, app.list_pane
        while not widget.total or "…" in str(widget.border_subtitle):
            await pilot.pause(0.05)

        def settled(view=None, profile=False) -> bool:
            row = widget.current
            return (
                row is not None
                and not any(w.is_running for w in app.workers if w.group == "list")
                and (view is None or pane.view is view)
                and (not profile or app.profile is None)
            )

        for _ in range(runs):
            for view in ("archived", "active"):  # there and back
                timings["view"].append(
                    await _move_seconds(
                        app,
                        pane.action_toggle_view,
                        lambda v=view: settled() and pane.view.value == v,
                    )
                )
                await pilot.pause(0.1)
            timings["all"].append(
                await _move_seconds(
                    app, lambda: app.switch_to_profile(None), lambda: settled(profile=True)
                )
            )
            await pilot.pause(0.1)
            timings["G"].append(
                await _move_seconds(
                    app,
                    widget.action_last,
                    lambda: settled() and widget.highlighted == widget.total - 1,
                )
            )
            widget.action_first()
            await pilot.pause(0.2)
            app.switch_to_profile(PROFILES[0])
            await pilot.pause(0.3)
        widget.focus()
        await pilot.pause(0.3)  # the thread pane's read of the first row is over
        timings["keys"] = (await _press_keys(app, widget, keys))[1]
    app.store.close()
    return timings


def bench_moves(sizes: list[int], runs: int, data: Path, keys: int) -> list[dict]:
    smallest, largest = sizes[0], sizes[-1]
    small = asyncio.run(_moves(scale_store(data, smallest), runs, keys))
    large = asyncio.run(_moves(scale_store(data, largest), runs, keys))
    names = {"view": "a view switch", "all": "All profiles", "G": "G (the last row)"}
    results = []
    for move, name in names.items():
        app, base = statistics.median(large[move]), statistics.median(small[move])
        results.append(
            {
                "name": f"scale: {name} shown whole, {largest:,} conversations",
                "budget": f"<= {MOVE_BUDGET_S * 1000:.0f} ms",
                "app": round(app, 6),
                "app_p95": round(sorted(large[move])[int(0.95 * (len(large[move]) - 1))], 6),
                "baseline_is": f"the same move on {smallest:,} conversations",
                "baseline": round(base, 6),
                "ratio": round(app / base, 3),
                "within_budget": app <= MOVE_BUDGET_S,
                "runs": runs,
            }
        )
    app, base = _p99(large["keys"]), _p99(small["keys"])
    results.append(
        {
            "name": f"scale: key -> frame (the cursor and its counter), {largest:,} conversations",
            "budget": "p99 <= one frame (16.7 ms)",
            "p99_is": "the median of the p99s of rounds of 100 keys",
            "app": round(app, 6),
            "app_p50": round(statistics.median(large["keys"]), 6),
            "baseline_is": f"the same keys on {smallest:,} conversations (p99)",
            "baseline": round(base, 6),
            "ratio": round(app / base, 3),
            "within_budget": app <= FRAME_BUDGET_S,
            "runs": keys,
        }
    )
    return results
