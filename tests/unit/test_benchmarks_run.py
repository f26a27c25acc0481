"""The benchmark script runs end to end on a small store, so it never rots (no timing asserted)."""

import json

from benchmarks.run import main


def test_bench_runs_on_a_small_store(tmp_path, capsys):
    out = tmp_path / "results.json"
    assert (
        main(
            [
                "--conversations",
                "30",
                "--messages",
                "90",
                "--runs",
                "1",
                "--out",
                str(out),
                "--data",
                str(tmp_path),
            ]
        )
        == 0
    )
    first, search = json.loads(out.read_text())["results"]
    for result in (first, search):
        assert result["app_median_s"] > 0 and result["baseline_median_s"] > 0
        assert abs(result["ratio"] - result["app_median_s"] / result["baseline_median_s"]) < 0.01
    printed = capsys.readouterr().out
    assert "first screen" in printed and "search" in printed and search["app_p95_s"] > 0
