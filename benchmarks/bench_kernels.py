"""The vectorised kernels against bare numpy and a per-row loop, quantiles against a sort and
PHStatsMethods, scoring against scipy per row, import time, peak memory (`make bench` runs it
after the paths of bench_paths.py).

Never timed assertions: this prints figures; docs/benchmarks.md records a run.
"""

from __future__ import annotations

import platform
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import median_time

import outcomes
from outcomes.stats import assign_quantiles

N = 1_000_000


def report(name: str, ours: float, base: float, goal: str) -> None:
    print(
        f"{name:<58} {ours * 1e3:9.1f} ms  vs {base * 1e3:9.1f} ms  ratio {ours / base:6.2f}x  ({goal})"
    )


def main() -> None:
    started = time.perf_counter()
    rng = np.random.default_rng(2014)
    b = rng.uniform(1000, 3000, N)
    k = np.arange(1.0, 6.0)
    print(
        f"machine: {platform.machine()}, {platform.processor() or 'cpu'}, python "
        f"{platform.python_version()}, numpy {np.__version__}; N = {N:,} baselines x 5 years"
    )

    # 1. rules vs the bare numpy expression
    bare = median_time(lambda: b[:, None] * (1 - 0.032) ** k)
    ours = median_time(
        lambda: outcomes.percentage_change(b, -0.032, start="2013/14", end="2018/19")
    )
    report("1. percentage_change", ours, bare, "goal <= 3x")
    np.testing.assert_allclose(
        outcomes.percentage_change(b, -0.032, start="2013/14", end="2018/19").values,
        b[:, None] * 0.968**k,
    )
    t_goal = b * 0.85
    x = k / 5
    for profile, s in (("linear", x), ("front-loaded", 1 - (1 - x) ** 2), ("back-loaded", x**2)):
        bare = median_time(lambda s=s: b[:, None] + (t_goal - b)[:, None] * s)
        ours = median_time(
            lambda p=profile: outcomes.to_target(
                b, t_goal, start="2013/14", end="2018/19", profile=p
            )
        )
        report(f"1. to_target {profile}", ours, bare, "goal <= 3x")
    bare = median_time(lambda: b[:, None] * (t_goal / b)[:, None] ** x)
    ours = median_time(
        lambda: outcomes.to_target(b, t_goal, start="2013/14", end="2018/19", profile="geometric")
    )
    report("1. to_target geometric", ours, bare, "goal <= 3x")
    peers = rng.uniform(1000, 3000, 211)

    def bare_quantile() -> object:
        q = np.quantile(peers, [0, 0.25, 0.5, 0.75, 1])
        c = np.searchsorted(q[1:-1], b, side="left") + 1
        goal = np.where(c > 1, q[np.maximum(c - 1, 1)], b)
        return b[:, None] + (goal - b)[:, None] * x

    bare = median_time(bare_quantile)
    ours = median_time(
        lambda: outcomes.quantile_step(b, peers, polarity="lower", start="2013/14", end="2018/19")
    )
    report("1. quantile_step (211 peers)", ours, bare, "goal <= 3x")

    # 2. a per-row Python loop over the scalar path (timed on 2,000 rows, scaled to N)
    rows = 2_000
    loop = median_time(
        lambda: [
            outcomes.percentage_change(float(v), -0.032, start="2013/14", end="2018/19")
            for v in b[:rows]
        ],
        1,
    )
    vec = median_time(lambda: outcomes.percentage_change(b, -0.032, start="2013/14", end="2018/19"))
    print(
        f"{'2. per-row loop (scaled from 2,000 rows) vs vectorised':<58} loop {loop * N / rows:9.1f} s  "
        f"speed-up {loop * N / rows / vec:,.0f}x  (goal >= 50x)"
    )

    # 3. quantile assignment vs one sort and vs PHStatsMethods
    values = rng.normal(100, 15, N)
    groups = rng.integers(0, 1000, N)
    floor = median_time(lambda: np.argsort(values))
    ours = median_time(lambda: assign_quantiles(values, 10, polarity="higher"))
    report("3. assign_quantiles deciles, ungrouped vs np.argsort", ours, floor, "goal <= 2x")
    floor_g = median_time(lambda: np.lexsort((values, groups)))
    ours_g = median_time(lambda: assign_quantiles(values, 4, polarity="higher", groups=groups))
    report(
        "3. assign_quantiles quartiles, 1,000 groups vs np.lexsort", ours_g, floor_g, "goal <= 2x"
    )
    try:
        import pandas as pd
        from PHStatsMethods import ph_quantile
    except ImportError as error:  # installed by `make bench`, not a dependency
        print(f"3. PHStatsMethods comparison skipped: {error}")
    else:
        frame = pd.DataFrame({"v": values, "g": groups})
        # invert=True (their default) puts the highest value in quantile 1: polarity "higher"
        theirs = median_time(lambda: ph_quantile(frame, "v", nquantiles=10), 3)
        print(
            f"{'3. PHStatsMethods ph_quantile ungrouped':<58} {theirs * 1e3:9.1f} ms  ours is "
            f"{theirs / ours:5.1f}x faster  (goal >= 5x)"
        )
        theirs_g = median_time(lambda: ph_quantile(frame, "v", group_cols="g", nquantiles=4), 3)
        print(
            f"{'3. PHStatsMethods ph_quantile 1,000 groups':<58} {theirs_g * 1e3:9.1f} ms  ours is "
            f"{theirs_g / ours_g:5.1f}x faster  (goal >= 2x)"
        )
        for label, kwargs, mine in (
            ("ungrouped", {"nquantiles": 10}, assign_quantiles(values, 10, polarity="higher")),
            (
                "grouped",
                {"nquantiles": 4, "group_cols": "g"},
                assign_quantiles(values, 4, polarity="higher", groups=groups),
            ),
        ):
            got = ph_quantile(frame, "v", **kwargs).sort_index()["quantile"].to_numpy(dtype=float)
            print(
                f"   {label}: assignments that differ from PHStatsMethods: {int((got != mine).sum())}"
            )

    # 4. score with intervals vs the same question asked row by row with scipy
    from scipy import stats as sps

    rows = 2_000
    counts = rng.integers(10, 500, N).astype(float)
    denom = np.full(N, 100_000.0)
    t = outcomes.hold(
        counts / denom * 1e5,
        start="2013/14",
        periods=["2014/15"],
        polarity="lower",
        unit="per_100000",
    )
    actual = (counts * 0.97 / denom * 1e5)[:, None]
    ours = median_time(
        lambda: outcomes.score(
            t, actual, count=counts[:, None], denominator=denom[:, None], method="byar"
        ),
        3,
    )

    def byar_row(c: float, n: float, target: float) -> str:
        z = sps.norm.ppf(0.975)
        lo = c * (1 - 1 / (9 * c) - z / (3 * np.sqrt(c))) ** 3 / n * 1e5
        hi = (c + 1) * (1 - 1 / (9 * (c + 1)) + z / (3 * np.sqrt(c + 1))) ** 3 / n * 1e5
        return "met" if hi <= target else ("missed" if lo > target else "unclear")

    target_rate = t.values[:, 0]
    loop = (
        median_time(
            lambda: [byar_row(counts[i] * 0.97, denom[i], target_rate[i]) for i in range(rows)], 1
        )
        * N
        / rows
    )
    print(
        f"{'4. score, rates with Byar, vs scipy per row (scaled)':<58} {ours * 1e3:9.1f} ms  vs {loop:6.1f} s  speed-up {loop / ours:,.0f}x"
    )
    x = rng.integers(0, 1000, N).astype(float)
    n = np.full(N, 1000.0)
    tp = outcomes.hold(
        x / n * 100, start="2013/14", periods=["2014/15"], polarity="higher", unit="percent"
    )
    ours_w = median_time(
        lambda: outcomes.score(
            tp, (x / n * 100)[:, None], count=x[:, None], denominator=n[:, None]
        ),
        3,
    )

    def wilson_row(c: float, m: float) -> tuple[float, float]:
        z = sps.norm.ppf(0.975)
        p = c / m
        centre, spread = 2 * c + z * z, z * np.sqrt(z * z + 4 * c * (1 - p))
        return (centre - spread) / (2 * (m + z * z)), (centre + spread) / (2 * (m + z * z))

    loop_w = median_time(lambda: [wilson_row(x[i], n[i]) for i in range(rows)], 1) * N / rows
    print(
        f"{'4. score, percentages with Wilson, vs scipy per row (scaled)':<58} {ours_w * 1e3:9.1f} ms  vs {loop_w:6.1f} s  speed-up {loop_w / ours_w:,.0f}x"
    )

    # 5. import time and the first frameworks.load()
    def import_time(code: str) -> float:
        runs = []
        for _ in range(5):
            out = subprocess.run(
                [
                    sys.executable,
                    "-c",
                    f"import time; t=time.perf_counter(); {code}; print(time.perf_counter()-t)",
                ],
                capture_output=True,
                text=True,
                check=True,
            )
            runs.append(float(out.stdout))
        return statistics.median(runs)

    base = import_time("import numpy, pydantic")
    ours = import_time("import numpy, pydantic, outcomes")
    report("5. import outcomes (+numpy, pydantic) vs numpy, pydantic", ours, base, "goal <= 1.3x")
    check = subprocess.run(
        [
            sys.executable,
            "-c",
            "import outcomes, sys; print(sorted({m.split('.')[0] for m in sys.modules} & {'scipy', 'pint'}))",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    print(f"   scipy/pint loaded by a bare import: {check}")
    loads = []
    for _ in range(5):
        out = subprocess.run(
            [
                sys.executable,
                "-c",
                "import time; from outcomes import frameworks; import outcomes.models; "
                "t = time.perf_counter(); [frameworks.load(i) for i in frameworks.available()]; "
                "first = time.perf_counter() - t; t = time.perf_counter(); "
                "[frameworks.load(i) for i in frameworks.available()]; "
                "print(first, time.perf_counter() - t)",
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        loads.append([float(v) for v in out.stdout.split()])
    first = statistics.median(v[0] for v in loads)
    cached = statistics.median(v[1] for v in loads)
    print(
        f"{'5. first load of every framework edition':<58} {first * 1e3:9.1f} ms  (goal < 50 ms); "
        f"cached {cached * 1e6:.0f} us"
    )

    # 6. peak memory of benchmark 1
    tracemalloc.start()
    result = outcomes.percentage_change(b, -0.032, start="2013/14", end="2018/19")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"{'6. peak memory of percentage_change / output size':<58} {peak / 1e6:9.1f} MB / {result.values.nbytes / 1e6:.1f} MB = {peak / result.values.nbytes:.2f}x  (goal <= 3x)"
    )
    print(f"all benchmarks together: {time.perf_counter() - started:.0f} s (goal < 120 s)")


if __name__ == "__main__":
    main()
