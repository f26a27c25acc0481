"""The benchmark script runs end to end on a small store, so it never rots (no timing asserted).

One test per group of benchmarks (`--only`), so the groups run side by side on pytest-xdist's
workers; together they are the whole of `make bench`.
"""

import json
import sqlite3

import pytest

from benchmarks.run import main

SMALL = (
    "--conversations 30 --messages 90 --large-conversations 40 --large-messages 160 "
    "--huge-conversations 50 --huge-messages 250 --runs 1 "
    "--list-size 40 --keys 20 --simulate-seconds 300 --load-profiles 6 "
    "--load-conversations 150 --load-seconds 330 --idle-runs 1 --idle-seconds 0.5 --idle-settle 1.5 --scale-sizes 30,90 --scale-runs 1 --scale-keys 20"
)


def run(groups: str, tmp_path) -> list[dict]:
    out = tmp_path / "results.json"
    assert main([*SMALL.split(), "--only", groups, "--out", str(out), "--data", str(tmp_path)]) == 0
    written = json.loads(out.read_text())
    # the run says when it ran, what it ran and how loaded the machine was
    assert written["groups"] == groups.split(",") and len(written["load_before"]) == 3
    assert written["started"].startswith("20") and written["minutes"] >= 0
    return written["results"]


def test_the_first_screen_benchmarks_run(tmp_path, capsys):
    first, first_by_size, memory, memory_by_config, memory_by_size, *rest = run(
        "first-screen", tmp_path
    )
    memory_syncing, memory_syncing_by_deps, start_stall = rest
    assert first["app"] > 0 and first["baseline"] > 0
    assert abs(first["ratio"] - first["app"] / first["baseline"]) < 0.01
    assert "pydantic" in memory_by_config["baseline_is"] and memory_by_config["baseline"] > 0
    # The syncing run really synced: httpx and the providers are loaded on top of the rest.
    assert memory_syncing["app"] > memory["app"] and memory_syncing["baseline"] > 0
    assert "httpx" in memory_syncing_by_deps["baseline_is"]
    assert memory_syncing_by_deps["baseline"] > memory_by_config["baseline"]
    assert start_stall["app"] > 0 and start_stall["app_worst"] >= start_stall["app"]
    for result in (first_by_size, memory_by_size):  # the same app on the small store
        assert "60 conversations" in result["baseline_is"] and result["within_budget"] is None
        assert result["app"] > 0 and result["baseline"] > 0
    assert memory["unit"] == "MiB" and memory["app"] > 0 and memory["baseline"] > 0
    assert "first screen" in capsys.readouterr().out


def test_the_import_search_and_sync_benchmarks_run(tmp_path, capsys):
    imports, search, large_search, huge_search, requests, stall = run(
        "imports,search,sync", tmp_path
    )
    assert imports["app"] > 0 and imports["baseline"] > 0 and imports["within_budget"] is None
    assert search["app"] > 0 and search["baseline"] > 0 and search["app_p95"] > 0
    assert abs(search["ratio"] - search["app"] / search["baseline"]) < 0.01
    assert "160 messages" in large_search["name"] and large_search["app_p95"] > 0
    assert "250 messages" in huge_search["name"] and "50 ms" in huge_search["budget"]
    assert huge_search["app_p95"] > 0 and huge_search["baseline"] > 0
    assert requests["app"] == requests["baseline"] and requests["unit"] == "requests"
    assert stall["app"] > 0
    printed = capsys.readouterr().out
    assert "search" in printed and "5 simulated minutes" in printed
    assert "event-loop stall" in printed


def test_the_ui_and_load_benchmarks_run(tmp_path):
    keys, thread, update, switch, load, load_stall, load_keys = run("ui,load", tmp_path)
    assert keys["app"] > 0 and keys["app_p50"] > 0 and keys["baseline"] > 0
    assert thread["app"] > 0 and thread["baseline"] > 0
    assert update["app"] > 0 and update["baseline"] > 0 and update["app_longest_stall"] >= 0
    assert 0 < switch["app"] <= switch["baseline"]
    # The load run: X's two pages, six profiles; within the limit the fake enforces.
    assert load["unit"] == "requests" and 0 < load["app"] <= load["baseline"] == 300
    assert load["app_429s"] == 0 and load["app_on_screen"] > 0
    assert load_stall["app"] >= 0 and load_keys["app"] > 0 and load_keys["baseline"] > 0


def test_the_idle_benchmark_runs(tmp_path):
    """Four commands in a pty, watched a moment each (one syncing from `inbox-tui fake-server`
    in a process of its own): the numbers are real, not their size."""
    results = run("idle", tmp_path)
    demo_wakes, demo_cpu, served_wakes, served_cpu, off_wakes, off_cpu = results
    for result in (demo_wakes, served_wakes, off_wakes):
        assert result["unit"] == "wake-ups/s" and result["app"] > 0 and result["baseline"] > 0
    for result in (demo_cpu, served_cpu, off_cpu):
        assert result["unit"] == "%" and result["app"] >= 0 and result["baseline"] >= 0
    assert "demo" in demo_wakes["name"] and "--no-sync" in off_wakes["name"]
    assert "another process" in served_wakes["name"]
    # The served run really synced: its store holds the demo's conversations.
    served = sqlite3.connect(tmp_path / "idle-home" / "served.sqlite3")
    assert served.execute("SELECT COUNT(*) FROM conversations").fetchone()[0] > 0


def test_the_scale_benchmark_runs(tmp_path):
    """Each size's first screen and memory (both ways), the growth against the smallest, and
    the moves at the largest: real numbers, not their size."""
    results = run("scale", tmp_path)
    names = [r["name"] for r in results]
    assert sum("first screen" in n for n in names) == 2
    assert sum("peak memory" in n for n in names) == 6  # 2 sizes x 2, and 2 against the smallest
    assert any("90 conversations vs 30" in n for n in names)
    for move in ("a view switch", "All profiles", "G (the last row)", "key -> frame"):
        (result,) = [r for r in results if move in r["name"]]
        assert result["app"] > 0 and result["baseline"] > 0
    assert all(r["app"] > 0 and r["baseline"] > 0 for r in results)


def test_an_unknown_group_is_named(tmp_path, capsys):
    with pytest.raises(SystemExit):
        main(["--only", "first-screen,speed", "--out", str(tmp_path / "r.json")])
    assert "no group speed" in capsys.readouterr().err
