"""Benchmarks of outcomes.benchmark, as ratios to baselines measured in the same process.

Run: ``python benchmarks/bench_benchmark.py``. Never timed assertions: this prints figures.

1. ``compare`` over 1,000,000 areas against the bare numpy expression of the same rule (the
   goal: within 5x). The bare expression has no validation and no missing-value handling.
2. ``recent_trend`` over 1,000,000 areas x 5 periods against the bare numpy sums of the same
   regression, and against a per-area Python loop as Fingertips computes it (timed on fewer
   areas and scaled).
3. ``funnel_significance`` over 1,000,000 areas against the bare numpy limits, and against
   PHStatsMethods (optional; skipped when it is not installed).
"""

from __future__ import annotations

import platform
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import median_time

from outcomes.benchmark import compare, funnel_significance, recent_trend

N = 1_000_000


def report(name: str, ours: float, base: float, goal: str) -> None:
    print(
        f"{name:<52} {ours * 1e3:9.1f} ms  vs {base * 1e3:9.1f} ms  ratio {ours / base:6.2f}x  ({goal})"
    )


def bench_compare(rng: np.random.Generator) -> None:
    value = rng.uniform(50, 150, N)
    half = rng.uniform(1, 20, N)
    lower, upper = value - half, value + half
    benchmark = 100.0
    text = np.array(["NOT_COMPARED", "WORSE", "SIMILAR", "BETTER"])

    def bare_text() -> object:
        inside = (benchmark >= lower) & (benchmark <= upper)
        return np.where(inside, "SIMILAR", np.where(value < benchmark, "WORSE", "BETTER"))

    def bare_codes() -> object:
        inside = (benchmark >= lower) & (benchmark <= upper)
        return text[np.where(inside, 2, np.where(value < benchmark, 1, 3))]

    def ours() -> object:
        return compare(value, benchmark, polarity="higher", lower=lower, upper=upper)

    assert np.array_equal(ours(), bare_text())
    t_ours = median_time(ours)
    report(
        "1. compare single_overlap vs bare np.where text",
        t_ours,
        median_time(bare_text),
        "goal <= 5x",
    )
    report(
        "1. compare single_overlap vs bare codes -> text",
        t_ours,
        median_time(bare_codes),
        "goal <= 5x",
    )

    lower3, upper3 = value - 1.6 * half, value + 1.6 * half

    def bare_two_level() -> object:
        b = benchmark
        return np.where(
            (b >= lower) & (b <= upper),
            "SIMILAR",
            np.where(
                (b <= lower) & (b >= lower3),
                "BETTER",
                np.where(
                    (b <= upper3) & (b >= upper), "WORSE", np.where(value < b, "WORST", "BEST")
                ),
            ),
        )

    def ours_two_level() -> object:
        return compare(
            value,
            benchmark,
            polarity="higher",
            lower=lower,
            upper=upper,
            lower_998=lower3,
            upper_998=upper3,
            method="two_level",
        )

    assert np.array_equal(ours_two_level(), bare_two_level())
    report(
        "1. compare two_level vs bare np.where text",
        median_time(ours_two_level),
        median_time(bare_two_level),
        "goal <= 5x",
    )

    denominator = rng.uniform(500, 50_000, N)
    p = rng.uniform(0.05, 0.3, N)
    pct = 100 * p
    z = 1.959963984540054
    p0 = 0.15

    def bare_spc() -> object:
        e = denominator * p0
        b = z * np.sqrt(z * z + 4 * e * (1 - p0))
        a, c = 2 * e + z * z, 2 * (denominator + z * z)
        lo, hi = (a - b) / c, (a + b) / c
        return np.where(hi < p, "BETTER", np.where(lo > p, "WORSE", "SIMILAR"))

    def ours_spc() -> object:
        return compare(
            pct, 15.0, polarity="higher", denominator=denominator, per=100, method="spc_proportion"
        )

    assert np.array_equal(ours_spc(), bare_spc())
    report(
        "1. compare spc_proportion vs bare numpy limits",
        median_time(ours_spc),
        median_time(bare_spc),
        "goal <= 5x",
    )


def bench_trend(rng: np.random.Generator) -> None:
    base = rng.uniform(10, 40, (N, 1))
    value = base + rng.normal(0, 1, (N, 5)) + rng.uniform(-1, 1, (N, 1)) * np.arange(5)
    half = rng.uniform(0.5, 3, (N, 5))
    lower, upper = value - half, value + half
    x = np.arange(1.0, 6.0)

    def bare() -> object:
        w = 1 / ((upper - lower) / 3.92) ** 2
        parts = (w, w * value * x, w * x, w * value, w * x * x)
        s1, s2, s3, s4, s5 = (q.sum(axis=1) for q in parts)
        det = s1 * s5 - s3 * s3
        slope = (s1 * s2 - s3 * s4) / det
        chi2 = slope * slope * det / s1
        loo = [s[:, None] - q for s, q in zip((s1, s2, s3, s4, s5), parts, strict=True)]
        loo_slope = (loo[0] * loo[1] - loo[2] * loo[3]) / (loo[0] * loo[4] - loo[2] ** 2)
        return chi2, loo_slope

    def ours() -> object:
        return recent_trend(value, lower, upper, polarity="higher")

    t_ours, t_bare = median_time(ours, 3), median_time(bare, 3)
    report("2. recent_trend ci_regression vs bare numpy sums", t_ours, t_bare, "vectorised")

    def loop(areas: int) -> float:
        # a per-area loop as Fingertips computes it, one area at a time
        t0 = time.perf_counter()
        for i in range(areas):
            rows = [(value[i, j], lower[i, j], upper[i, j]) for j in range(5)]
            sums = [0.0] * 5
            for j, (y, lo, hi) in enumerate(rows, start=1):
                w = 1 / ((hi - lo) / 3.92) ** 2
                sums = [
                    sums[0] + w,
                    sums[1] + w * y * j,
                    sums[2] + w * j,
                    sums[3] + w * y,
                    sums[4] + w * j * j,
                ]
            det = sums[0] * sums[4] - sums[2] ** 2
            slope = (sums[0] * sums[1] - sums[2] * sums[3]) / det
            _ = slope * slope * det / sums[0]
        return (time.perf_counter() - t0) * N / areas

    t_loop = loop(20_000)
    print(
        f"{'2. per-area Python loop (chi-square only), scaled to N':<52} {t_loop * 1e3:9.1f} ms  "
        f"ours is {t_loop / t_ours:6.1f}x faster"
    )
    count = rng.integers(100, 2000, (N, 5)).astype(float)
    denominator = count * rng.uniform(3, 8, (N, 5))

    def ours_ca() -> object:
        return recent_trend(
            value,
            None,
            None,
            polarity="higher",
            count=count,
            denominator=denominator,
            method="cochran_armitage",
        )

    print(f"{'2. recent_trend cochran_armitage':<52} {median_time(ours_ca, 3) * 1e3:9.1f} ms")


def bench_funnel(rng: np.random.Generator) -> None:
    denominator = rng.integers(1_000, 100_000, N).astype(float)
    numerator = np.floor(denominator * rng.uniform(0.7, 0.9, N))

    def bare() -> object:
        p0 = numerator.sum() / denominator.sum()
        observed = numerator / denominator
        s = np.sqrt(p0 * (1 - p0) / denominator)
        z2, z3 = 1.959963984540054, 3.090232306167813
        return np.select(
            [
                observed < p0 - z3 * s,
                observed < p0 - z2 * s,
                observed > p0 + z3 * s,
                observed > p0 + z2 * s,
            ],
            ["LOW_99.8", "LOW_95", "HIGH_99.8", "HIGH_95"],
            "NOT_SIGNIFICANT",
        )

    def ours() -> object:
        return funnel_significance(numerator, denominator, statistic="proportion", per=100)

    assert np.array_equal(ours(), bare())
    report(
        "3. funnel_significance proportion vs bare numpy",
        median_time(ours, 3),
        median_time(bare, 3),
        "vectorised",
    )
    events = rng.integers(0, 400, N).astype(float)
    population = rng.uniform(50_000, 400_000, N)
    dsr = events / population * 1e5 * rng.uniform(0.8, 1.2, N)

    def ours_dsr() -> object:
        return funnel_significance(
            events, None, statistic="rate", rate=dsr, rate_type="dsr", per=1e5
        )

    print(f"{'3. funnel_significance rate (dsr)':<52} {median_time(ours_dsr, 3) * 1e3:9.1f} ms")

    try:
        import pandas as pd
        from PHStatsMethods import assign_funnel_significance
    except ImportError as error:
        print(f"3. PHStatsMethods comparison skipped: {error}")
        return
    rows = 10_000
    frame = pd.DataFrame({"n": numerator[:rows], "d": denominator[:rows]})
    try:
        t0 = time.perf_counter()
        theirs = assign_funnel_significance(
            frame.copy(), num_col="n", denom_col="d", statistic="proportion"
        )
        t_theirs = time.perf_counter() - t0
    except Exception as error:  # an older or newer signature
        print(f"3. PHStatsMethods comparison skipped: {error!r}")
        return
    mine = funnel_significance(numerator[:rows], denominator[:rows], statistic="proportion")
    labels = {
        "HIGH_99.8": "High (0.001)",
        "HIGH_95": "High (0.025)",
        "NOT_SIGNIFICANT": "Not significant",
    }
    labels |= {"LOW_95": "Low (0.025)", "LOW_99.8": "Low (0.001)"}
    differ = int((np.array([labels[m] for m in mine]) != theirs["significance"].to_numpy()).sum())
    t_mine = median_time(
        lambda: funnel_significance(numerator[:rows], denominator[:rows], statistic="proportion")
    )
    print(
        f"{'3. PHStatsMethods assign_funnel_significance, 10,000':<52} {t_theirs * 1e3:9.1f} ms  ours is "
        f"{t_theirs / t_mine:6.1f}x faster; labels that differ: {differ}"
    )


def main() -> None:
    rng = np.random.default_rng(14)
    print(
        f"machine: {platform.machine()}, {platform.processor() or 'cpu'}, python "
        f"{platform.python_version()}, numpy {np.__version__}; N = {N:,} areas"
    )
    bench_compare(rng)
    bench_trend(rng)
    bench_funnel(rng)


if __name__ == "__main__":
    main()
