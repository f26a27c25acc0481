"""The benchmark script runs end to end on a small store, so it never rots (no timing asserted)."""

import json

from benchmarks.run import main


def test_bench_runs_on_a_small_store(tmp_path, capsys):
    out = tmp_path / "results.json"
    small = (
        "--conversations 30 --messages 90 --large-conversations 40 --large-messages 160 --runs 1 "
        "--list-size 40 --keys 20 --simulate-seconds 300 --load-profiles 6 "
        "--load-conversations 150 --load-seconds 330"
    )
    assert main([*small.split(), "--out", str(out), "--data", str(tmp_path)]) == 0
    results = json.loads(out.read_text())["results"]
    first, first_by_size, memory, memory_by_config, memory_by_size = results[:5]
    memory_syncing, memory_syncing_by_deps, start_stall = results[5:8]
    imports, search, large_search, requests, stall, keys, thread, update, switch = results[8:17]
    load, load_stall, load_keys = results[17:]
    # The load run: X's two pages, six profiles; within the limit the fake enforces.
    assert load["unit"] == "requests" and 0 < load["app"] <= load["baseline"] == 300
    assert load["app_429s"] == 0 and load["app_on_screen"] > 0
    assert load_stall["app"] >= 0 and load_keys["app"] > 0 and load_keys["baseline"] > 0
    assert "pydantic" in memory_by_config["baseline_is"] and memory_by_config["baseline"] > 0
    # The syncing run really synced: httpx and the providers are loaded on top of the rest.
    assert memory_syncing["app"] > memory["app"] and memory_syncing["baseline"] > 0
    assert "httpx" in memory_syncing_by_deps["baseline_is"]
    assert memory_syncing_by_deps["baseline"] > memory_by_config["baseline"]
    assert start_stall["app"] > 0 and start_stall["app_worst"] >= start_stall["app"]
    for result in (first_by_size, memory_by_size):  # the same app on the small store
        assert "60 conversations" in result["baseline_is"] and result["within_budget"] is None
        assert result["app"] > 0 and result["baseline"] > 0
    assert keys["app"] > 0 and keys["app_p50"] > 0 and keys["baseline"] > 0
    assert thread["app"] > 0 and thread["baseline"] > 0
    assert update["app"] > 0 and update["baseline"] > 0 and update["app_longest_stall"] >= 0
    assert 0 < switch["app"] <= switch["baseline"]
    assert imports["app"] > 0 and imports["baseline"] > 0 and imports["within_budget"] is None
    assert "160 messages" in large_search["name"] and large_search["app_p95"] > 0
    assert memory["unit"] == "MiB" and memory["app"] > 0 and memory["baseline"] > 0
    assert requests["app"] == requests["baseline"] and requests["unit"] == "requests"
    assert stall["app"] > 0
    for result in (first, search):
        assert result["app"] > 0 and result["baseline"] > 0
        assert abs(result["ratio"] - result["app"] / result["baseline"]) < 0.01
    printed = capsys.readouterr().out
    assert "first screen" in printed and "search" in printed and search["app_p95"] > 0
    assert "5 simulated minutes" in printed and "event-loop stall" in printed
