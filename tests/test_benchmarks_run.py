"""The benchmark of issue 18's paths runs end to end (on a few rows, so the suite stays quick).

No timing is asserted here: speed is measured by `make bench` as ratios in one process."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def test_the_paths_benchmark_runs_on_a_few_rows(capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("pandas")
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import bench_paths
    finally:
        sys.path.remove(str(BENCHMARKS))
    results = bench_paths.main(rows=2_000)
    printed = capsys.readouterr().out
    assert "| path | baseline in the same run | ratio | target |" in printed
    names = {r.path for r in results}
    assert {"`read_fingertips`, time", "targets table + `write_csv`", "`Score.to_records`"} <= names
    assert all(r.ratio > 0 for r in results)
