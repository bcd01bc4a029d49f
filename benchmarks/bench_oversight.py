"""Oversight segmentation benchmarks, reported as ratios to baselines in the same process.

Baselines (no peer library implements the NOF method):
* ``metric_scores`` against scipy.stats.rankdata(axis=-1, nan_policy="omit") plus the same
  linear mapping: the textbook way to rank many peer sets at once;
* ``segments`` (quartiles) against outcomes.stats.assign_quantiles called once per peer set in a
  Python loop (the OHID formula it reproduces);
* ``qof_payment`` against the bare numpy product.

Never timed assertions: this prints figures.
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import median_time


def report(name: str, ours: float, base: float) -> None:
    print(f"{name:<62} {ours * 1e3:9.2f} ms  vs {base * 1e3:9.2f} ms  ratio {ours / base:6.2f}x")


def main() -> None:
    from scipy.stats import rankdata

    from outcomes.incentives import qof_payment
    from outcomes.oversight import metric_scores, segments
    from outcomes.stats import assign_quantiles

    rng = np.random.default_rng(0)
    # 40 quarters x 22 metrics x 134 acute trusts, 2% missing, values rounded (ties)
    values = rng.normal(60, 10, size=(40, 22, 134)).round(0)
    values[rng.random(values.shape) < 0.02] = np.nan

    def scipy_scores() -> object:
        rank = rankdata(-values, axis=-1, nan_policy="omit")
        n = np.sum(~np.isnan(values), axis=-1, keepdims=True)
        return 1 + 3 * (rank - 1) / (n - 1)

    ours = metric_scores(values, polarity="higher").scores
    assert np.allclose(ours, scipy_scores(), equal_nan=True)  # same scores
    report(
        "metric_scores 40x22x134 vs scipy rankdata + mapping",
        median_time(lambda: metric_scores(values, polarity="higher")),
        median_time(scipy_scores),
    )

    average = rng.uniform(1, 4, size=(2000, 134)).round(2)

    def loop_quantiles() -> object:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return np.stack([assign_quantiles(row, 4, polarity="lower") for row in average])

    assert np.array_equal(segments(average).segments, loop_quantiles())  # same segments
    report(
        "segments 2000 peer sets x 134 vs assign_quantiles per row",
        median_time(lambda: segments(average)),
        median_time(loop_quantiles),
    )

    points = rng.uniform(0, 635, size=1_000_000)
    cpi = rng.uniform(0.5, 2.0, size=1_000_000)
    report(
        "qof_payment 1e6 practices vs bare numpy product",
        median_time(lambda: qof_payment(points, edition="qof-2024-25", list_size_adjustment=cpi)),
        median_time(lambda: points * 220.62 * cpi * 1.0),
    )


if __name__ == "__main__":
    main()
