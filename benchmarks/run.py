"""`make bench`: each budget from DESIGN.md, measured side by side with its baseline.

Machines here are noisy: every number is a median over interleaved runs, and the verdict is a
ratio against a baseline measured in the same run. Results also go to benchmarks/results.json.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import NamedTuple

from benchmarks.generate import PROFILES, generate
from benchmarks.loop_stalls import STALL_BUDGET_S
from inbox_tui.cli.start_app import FRAME_RATE

HERE = Path(__file__).parent
# Generated stores are kept per version of the schema's source: a store made by another one
# would fail (or, worse, measure something else).
SCHEMA_TAG = hashlib.sha256(
    (HERE.parent / "inbox_tui" / "store" / "schema.py").read_bytes()
).hexdigest()
DATA = HERE / ".data" / SCHEMA_TAG[:12]


# The app and its baselines paint at the frame rate the command sets (see cli.FRAME_RATE); set
# here before anything imports Textual, for the in-process UI benchmarks too.
os.environ.setdefault("TEXTUAL_FPS", FRAME_RATE)
# As installed: bytecode is written (the warm-up run does it), whatever this shell says.
CHILD_ENV = {
    **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
    "TEXTUAL_ANIMATIONS": "none",
}


class Child(NamedTuple):
    seconds: float  # process start to the first frame
    first_rss: int  # peak RSS (KiB) at the first frame
    peak_rss: int  # and a little later (see first_screen_child)
    stall: float  # the longest event-loop stall after the first frame, seconds


def first_frame(which: str, config: Path) -> Child:
    """One fresh process of `first_screen_child`."""
    start = time.time()
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.first_screen_child", which, str(config)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=HERE.parent,
        env=CHILD_ENV,
    )
    values = dict(line.split(" ", 1) for line in result.stdout.splitlines() if " " in line)
    if not {"FIRST_FRAME", "PEAK_RSS", "STALL"} <= values.keys():
        raise RuntimeError(f"{which} printed no first frame:\n{result.stdout}\n{result.stderr}")
    return Child(
        float(values["FIRST_FRAME"]) - start,
        int(values["FIRST_RSS"]),
        int(values["PEAK_RSS"]),
        float(values["STALL"]),
    )


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then let go): requests to it are refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def write_config(path: Path, store: Path, port: int) -> None:
    """The config the real command runs with: the generated profiles, that store, and an API
    at a closed loopback port (the syncing runs are refused; the others make no requests)."""
    import tomli_w

    config = {
        "store_path": str(store),
        "ayrshare": {"api_key": "unused", "base_url": f"http://127.0.0.1:{port}/api"},
        "profiles": [{"name": name} for name in PROFILES],
    }
    path.write_text(tomli_w.dumps(config))
    path.chmod(0o600)


SMALL_STORE = (60, 600)  # "as instant with that as with ten": the same app on a small store


def bench_first_screen(conversations: int, messages: int, runs: int, data: Path) -> list[dict]:
    """The app on the big store against a minimal Textual app (the budget), against itself on a
    small store (what the stored data costs), and syncing; interleaved, so drift hits all alike."""
    store = generate(data / f"store-{conversations}-{messages}.sqlite3", conversations, messages)
    small = generate(data / "store-{}-{}.sqlite3".format(*SMALL_STORE), *SMALL_STORE)
    port = closed_port()
    for path in (store, small):
        write_config(path.with_suffix(".toml"), path, port)
    config, small_config = store.with_suffix(".toml"), small.with_suffix(".toml")
    kinds = {  # name: (which, config)
        "minimal": ("minimal", config),
        "inbox": ("inbox", config),
        "small": ("inbox", small_config),
        "config": ("minimal-config", config),
        "deps": ("minimal-deps", config),
        "sync": ("inbox-sync", config),
    }
    if runs > 1:  # warm the OS file cache and bytecode once (a smoke run of one round: no need)
        first_frame("minimal", config)
        first_frame("inbox", config)
        first_frame("inbox", small_config)
    children: dict[str, list[Child]] = {name: [] for name in kinds}
    for _ in range(runs):
        for name, (which, path) in kinds.items():
            children[name].append(first_frame(which, path))

    def median(name: str, field: str) -> float:
        return statistics.median(getattr(child, field) for child in children[name])

    # Each ratio is the median of the rounds' own ratios: the runs of a round are a second
    # apart, so the machine's slow drift (large here) cancels out within the round.
    def paired(name: str, base: str) -> float:
        pairs = zip(children[name], children[base], strict=True)
        return round(statistics.median([a.seconds / b.seconds for a, b in pairs]), 3)

    t = {name: round(median(name, "seconds"), 6) for name in ("minimal", "inbox", "small")}
    m = {name: round(median(name, "peak_rss") / 1024, 1) for name in kinds}
    stall = {name: round(median(name, "stall"), 4) for name in ("inbox", "sync")}
    stored = f"{conversations:,} conversations / {messages:,} messages"
    small_is = "the same app on a store of {:,} conversations / {:,} messages".format(*SMALL_STORE)

    def memory(name: str, budget: str, app: str, base: str, baseline_is: str, **extra) -> dict:
        ratio = round(m[app] / m[base], 3)
        within = ratio <= 1.5 if budget.startswith("<=") else None
        return {
            "name": name,
            "budget": budget,
            "app": m[app],
            **extra,
            "baseline_is": baseline_is,
            "baseline": m[base],
            "ratio": ratio,
            "within_budget": within,
            "runs": runs,
            "unit": "MiB",
        }

    return [
        {
            "name": f"first screen, {stored}",
            "budget": "<= 1.2 x minimal Textual app",
            "app": t["inbox"],
            "baseline_is": "a minimal Textual app's first screen (one option, a footer)",
            "baseline": t["minimal"],
            "ratio": paired("inbox", "minimal"),
            "ratio_is": "the median of each round's app / baseline",
            "within_budget": paired("inbox", "minimal") <= 1.2,
            "runs": runs,
        },
        {
            "name": "first screen: what the stored data costs",
            "budget": "none of its own (the app must not slow down as the store grows)",
            "app": t["inbox"],
            "baseline_is": small_is,
            "baseline": t["small"],
            "ratio": paired("inbox", "small"),
            "within_budget": None,
            "runs": runs,
        },
        memory(
            f"peak memory, {messages:,} messages stored",
            "<= 1.5 x minimal Textual app",
            "inbox",
            "minimal",
            "a minimal Textual app's peak RSS",
            # Before the config's validation imports pydantic (about 10 MiB, whatever the store).
            app_at_first_frame=round(median("inbox", "first_rss") / 1024, 1),
        ),
        memory(
            "peak memory: what the app adds to its config's validation",
            "none of its own (pydantic, a required dependency, costs the same anywhere)",
            "inbox",
            "config",
            "the minimal Textual app validating the same config with pydantic",
        ),
        memory(
            "peak memory: what the stored data costs",
            "none of its own (messages stay on disk; the list holds a row per conversation)",
            "inbox",
            "small",
            small_is,
        ),
        memory(
            f"peak memory syncing, {messages:,} messages stored",
            "<= 1.5 x minimal Textual app",
            "sync",
            "minimal",
            "a minimal Textual app's peak RSS",
        ),
        memory(
            "peak memory syncing: what the app adds to its libraries",
            "none of its own (pydantic and httpx are required dependencies)",
            "sync",
            "deps",
            "the minimal Textual app validating the config and making an httpx client",
        ),
        {
            "name": "event loop after the first frame, syncing (longest stall)",
            "budget": "<= 16 ms",
            "app": stall["sync"],
            "app_worst": round(max(child.stall for child in children["sync"]), 4),
            "baseline_is": "the same app not syncing (the rest of the list, the config)",
            "baseline": stall["inbox"],
            "ratio": round(stall["sync"] / stall["inbox"], 3),
            "within_budget": stall["sync"] <= STALL_BUDGET_S,
            "runs": runs,
        },
    ]


IMPORT_APP = "import inbox_tui.cli, inbox_tui.ui.app"
IMPORT_MINIMAL = "import textual.app, textual.widgets._footer, textual.widgets._option_list"


def _import_seconds(statement: str) -> float:
    code = f"import time; t = time.perf_counter(); {statement}; print(time.perf_counter() - t)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=HERE.parent, env=CHILD_ENV
    )
    return float(result.stdout)


def bench_imports(runs: int) -> dict:
    """Importing what the first frame needs (the CLI and the app) against Textual's own share."""
    _import_seconds(IMPORT_APP)  # writes bytecode, as an installed app has it
    app, minimal = [], []
    for _ in range(runs):
        minimal.append(_import_seconds(IMPORT_MINIMAL))
        app.append(_import_seconds(IMPORT_APP))
    m_app, m_min = statistics.median(app), statistics.median(minimal)
    return {
        "name": "import the app's modules (cli + ui.app)",
        "budget": "part of the first screen's (no budget of its own)",
        "app": round(m_app, 6),
        "baseline_is": "importing textual.app, Footer and OptionList",
        "baseline": round(m_min, 6),
        "ratio": round(m_app / m_min, 3),
        "within_budget": None,
        "runs": runs,
    }


SEARCHES = ["refund", "mug", "re", "from:ava", '"gift card"', "damaged platform:ig"]
SEARCH_BUDGET_S = 0.1  # typing must feel instant: the p95 of an incremental search
# At agency scale (issue 18: 1M conversations, 20M messages), stricter: a keystroke's frame.
HUGE_SEARCH_BUDGET_S = 0.050


def bench_search(
    conversations: int,
    messages: int,
    runs: int,
    data: Path,
    budget: float = SEARCH_BUDGET_S,
    scans: int | None = None,
) -> dict:
    """Incremental search (FTS5, newest first, a page of 200) against a LIKE scan of the same
    store. `scans`: rounds of the baseline (a LIKE scan of 20M rows takes seconds, and varies
    little)."""
    import sqlite3
    from datetime import date

    from inbox_tui.search import parse
    from inbox_tui.store import Store

    path = generate(data / f"store-{conversations}-{messages}.sqlite3", conversations, messages)
    store = Store(path)
    raw = sqlite3.connect(path)
    fts, scan = [], []
    for round_ in range(max(runs, 5)):
        for text in SEARCHES:
            query = parse(text, date(2026, 11, 20))
            started = time.perf_counter()
            store.search(query)
            fts.append(time.perf_counter() - started)
            if scans is not None and round_ >= scans:
                continue
            word = (query.terms or (query.sender,))[0]
            started = time.perf_counter()
            raw.execute(
                "SELECT id FROM messages WHERE text LIKE ? ORDER BY created DESC LIMIT 200",
                (f"%{word}%",),
            ).fetchall()
            scan.append(time.perf_counter() - started)
    store.close()
    raw.close()
    fts.sort()
    p95 = fts[int(len(fts) * 0.95) - 1]
    m_fts, m_scan = round(statistics.median(fts), 6), round(statistics.median(scan), 6)
    return {
        "name": f"search, {messages:,} messages (p95 over {len(SEARCHES)} queries)",
        "budget": f"p95 <= {budget * 1000:.0f} ms",
        "app": m_fts,
        "app_p95": round(p95, 6),
        "baseline": m_scan,
        "baseline_is": "a LIKE scan of the same store",
        "ratio": round(m_fts / m_scan, 3),
        "within_budget": p95 <= budget,
        "runs": runs,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--conversations", type=int, default=10_000)
    parser.add_argument("--messages", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--large-conversations", type=int, default=100_000)
    parser.add_argument("--large-messages", type=int, default=1_000_000, help="second search store")
    parser.add_argument("--huge-conversations", type=int, default=1_000_000)
    parser.add_argument(
        "--huge-messages", type=int, default=20_000_000, help="third search store (issue 18's)"
    )
    parser.add_argument(
        "--list-size", type=int, default=100_000, help="conversations for key -> frame"
    )
    parser.add_argument("--simulate-seconds", type=int, default=3600, help="sync time simulated")
    parser.add_argument(
        "--keys", type=int, default=500, help="keys injected for key -> frame (rounds of 100)"
    )
    parser.add_argument("--load-profiles", type=int, default=50, help="profiles of the load run")
    parser.add_argument(
        "--load-conversations", type=int, default=400, help="per profile and platform"
    )
    parser.add_argument("--load-seconds", type=int, default=600, help="simulated for the load")
    parser.add_argument(
        "--scale-sizes",
        default="1000,100000,1000000",
        help="conversations in the stores of the scale benchmark (the first is its baseline)",
    )
    parser.add_argument("--scale-runs", type=int, default=5, help="rounds of the scale runs")
    parser.add_argument(
        "--scale-keys", type=int, default=500, help="cursor keys at each end of the scale runs"
    )
    parser.add_argument("--idle-runs", type=int, default=3, help="rounds of the idle benchmark")
    parser.add_argument("--idle-seconds", type=float, default=30.0, help="watched a round")
    parser.add_argument(
        "--idle-settle", type=float, default=8.0, help="seconds after start before watching"
    )
    parser.add_argument(
        "--only",
        default="",
        help="comma-separated groups: first-screen, imports, search, sync, ui, load, idle "
        "(default: all)",
    )
    parser.add_argument("--out", type=Path, default=HERE / "results.json")
    parser.add_argument("--data", type=Path, default=DATA, help="where generated stores are kept")
    args = parser.parse_args(argv)
    import asyncio

    from benchmarks.idle_bench import idle
    from benchmarks.load_bench import requests_per_window, start_with_fifty
    from benchmarks.scale_bench import bench_moves, bench_scale
    from benchmarks.sync_bench import ingest_stall, requests_per_hour
    from benchmarks.ui_bench import key_to_frame, list_update, open_thread, switch_view

    sizes = [int(size) for size in args.scale_sizes.split(",")]
    groups = {
        "first-screen": lambda: bench_first_screen(
            args.conversations, args.messages, args.runs, args.data
        ),
        "imports": lambda: [bench_imports(args.runs)],
        "search": lambda: [
            bench_search(args.conversations, args.messages, args.runs, args.data),
            bench_search(args.large_conversations, args.large_messages, args.runs, args.data),
            bench_search(
                args.huge_conversations,
                args.huge_messages,
                args.runs,
                args.data,
                budget=HUGE_SEARCH_BUDGET_S,
                scans=1,
            ),
        ],
        "sync": lambda: [
            asyncio.run(requests_per_hour(args.simulate_seconds)),
            asyncio.run(ingest_stall(min(args.messages, 10_000))),
        ],
        "ui": lambda: [
            asyncio.run(key_to_frame(args.list_size, args.keys, args.data)),
            asyncio.run(open_thread(min(args.messages, 10_000), args.runs, args.data)),
            asyncio.run(list_update(args.list_size, args.runs, args.data)),
            asyncio.run(switch_view(args.list_size, args.runs, args.data)),
        ],
        "load": lambda: [
            asyncio.run(
                requests_per_window(args.load_profiles, args.load_conversations, args.load_seconds)
            ),
            *asyncio.run(start_with_fifty(args.load_profiles, args.load_conversations, args.keys)),
        ],
        "idle": lambda: idle(args.idle_runs, args.idle_seconds, args.idle_settle, args.data),
        "scale": lambda: [
            *bench_scale(sizes, args.scale_runs, args.data),
            *bench_moves(sizes, args.scale_runs, args.data, args.scale_keys),
        ],
    }
    chosen = args.only.split(",") if args.only else list(groups)
    unknown = sorted(set(chosen) - set(groups))
    if unknown:
        parser.error(f"--only: no group {', '.join(unknown)} (there are {', '.join(groups)})")
    started, load_before = time.time(), os.getloadavg()
    results = [result for name in groups if name in chosen for result in groups[name]()]
    print(f"{'benchmark':<60} {'app':>9} {'baseline':>9} {'ratio':>7}  budget")
    for r in results:
        verdict = {True: "ok", False: "OVER", None: "info"}[r["within_budget"]]
        if "app_p95" in r:
            verdict += f", p95 {r['app_p95'] * 1000:.0f} ms"
        if "app_worst" in r:
            verdict += f", worst {r['app_worst'] * 1000:.0f} ms"
        if "app_at_first_frame" in r:
            verdict += f", {r['app_at_first_frame']} at the first frame"
        unit = r.get("unit", "s")
        app, base = (
            (f"{r['app']:.3f}s", f"{r['baseline']:.3f}s")
            if unit == "s"
            else (str(r["app"]), str(r["baseline"]))
        )
        print(f"{r['name']:<60} {app:>9} {base:>9} {r['ratio']:>7.2f}  {r['budget']} [{verdict}]")
    run = {
        "machine": os.uname().machine,
        "cpus": os.cpu_count(),
        "python": sys.version.split()[0],
        "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
        "minutes": round((time.time() - started) / 60, 1),
        "groups": [name for name in groups if name in chosen],
        # 1-, 5- and 15-minute load averages as the run began and ended: what else ran
        "load_before": [round(x, 2) for x in load_before],
        "load_after": [round(x, 2) for x in os.getloadavg()],
    }
    args.out.write_text(json.dumps({**run, "results": results}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
