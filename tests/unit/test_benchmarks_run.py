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
    (result,) = json.loads(out.read_text())["results"]
    assert result["app_median_s"] > 0 and result["baseline_median_s"] > 0
    assert abs(result["ratio"] - result["app_median_s"] / result["baseline_median_s"]) < 0.01
    assert "first screen" in capsys.readouterr().out
