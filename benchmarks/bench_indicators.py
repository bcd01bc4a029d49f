"""Indicator construction benchmarks: ratios measured in one process (never timed assertions).

1. DSR of 1,000,000 areas x 19 bands, life expectancy of 100,000 areas x 20 bands and ISR of
   1,000,000 areas x 19 bands, each against the bare numpy expression of the same formula
   (no validation, no notes); goal: within 3x.
2. The same against PHStatsMethods where it has the method (DSR, ISR; it has no life
   expectancy), timed on a subsample of areas and scaled linearly; goal: >= 1000x faster.
   PHStatsMethods is optional: installed in the bench environment only, skipped if absent.
3. For information: SII of 1,000 areas x 10 deciles with 100,000 simulated repetitions.

Run: ``.venv/bin/python benchmarks/bench_indicators.py``.
"""

from __future__ import annotations

import platform
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import median_time

from outcomes import indicators as ind
from outcomes.stats import z_value

AREAS = 1_000_000
LE_AREAS = 100_000
REPEAT = 5
SUBSAMPLE = 2_000  # areas timed in PHStatsMethods (median of 3), scaled to AREAS


def report(name: str, ours: float, base: float, goal: str) -> None:
    print(
        f"{name:<52} {ours * 1e3:9.1f} ms  vs {base * 1e3:9.1f} ms  ratio {ours / base:5.2f}x  ({goal})"
    )


def report_peer(name: str, ours: float, theirs_scaled: float) -> None:
    print(
        f"{name:<52} {theirs_scaled:9.1f} s (scaled)  ours is {theirs_scaled / ours:,.0f}x faster"
        "  (goal >= 1000x)"
    )


def data(rng: np.random.Generator, areas: int, bands: int) -> tuple[np.ndarray, np.ndarray]:
    pops = rng.integers(500, 8_000, (areas, bands)).astype(np.float64)
    rates = np.geomspace(2e-4, 0.15, bands)
    counts = rng.poisson(pops * rates).astype(np.float64)
    return counts, pops


# --- bare numpy expressions of the same formulas -------------------------------------------


def bare_byar(o: np.ndarray, z: float) -> tuple[np.ndarray, np.ndarray]:
    lo = o * (1 - 1 / (9 * o) - z / (3 * np.sqrt(o))) ** 3
    hi = (o + 1) * (1 - 1 / (9 * (o + 1)) + z / (3 * np.sqrt(o + 1))) ** 3
    return lo, hi


def bare_dsr(x: np.ndarray, n: np.ndarray, w: np.ndarray, per: float, z: float) -> tuple:
    value = (x * w / n).sum(axis=-1) / w.sum() * per
    var = (x * w * w / (n * n)).sum(axis=-1) / w.sum() ** 2
    o = x.sum(axis=-1)
    lo, hi = bare_byar(o, z)
    f = np.sqrt(var / o) * per
    small = o < 10
    return (
        np.where(small, np.nan, value),
        np.where(small, np.nan, value + f * (lo - o)),
        np.where(small, np.nan, value + f * (hi - o)),
    )


def bare_isr(x: np.ndarray, n: np.ndarray, rx: np.ndarray, rn: np.ndarray, z: float) -> tuple:
    from scipy.special import chdtri

    o = x.sum(axis=-1)
    e = (n * (rx / rn)).sum(axis=-1)
    ref = rx.sum() / rn.sum() * 1e5
    lo, hi = bare_byar(o, z)
    few = o < 10
    lo[few] = np.where(o[few] > 0, chdtri(np.maximum(2 * o[few], 1), 0.975) / 2, 0.0)
    hi[few] = chdtri(2 * o[few] + 2, 0.025) / 2
    return o / e * ref, lo / e * ref, hi / e * ref


def bare_life_expectancy(d: np.ndarray, p: np.ndarray, ages: np.ndarray, z: float) -> tuple:
    width = np.diff(ages)
    a = np.where(ages == 0, 0.1, 0.5)[:-1]
    m = d / p
    q = width * m[:, :-1] / (1 + width * m[:, :-1] * (1 - a))
    lx = 1e5 * np.cumprod(np.concatenate([np.ones((len(d), 1)), 1 - q], axis=1), axis=1)
    dx = lx[:, :-1] - lx[:, 1:]
    big_l = np.concatenate([width * (lx[:, 1:] + a * dx), (lx[:, -1] / m[:, -1])[:, None]], 1)
    e = np.cumsum(big_l[:, ::-1], axis=1)[:, ::-1] / lx
    var_q = q * q * (1 - q) / d[:, :-1]
    w = var_q * lx[:, :-1] ** 2 * ((1 - a) * width + e[:, 1:]) ** 2
    last = lx[:, -1] ** 2 / (d[:, -1] * m[:, -1] ** 2)
    st = np.cumsum(np.concatenate([w, last[:, None]], 1)[:, ::-1], axis=1)[:, ::-1]
    se = np.sqrt(st) / lx
    return e, e - z * se, e + z * se


# --- PHStatsMethods on a subsample -----------------------------------------------------------


def peers(x: np.ndarray, n: np.ndarray, w: np.ndarray, rx: np.ndarray, rn: np.ndarray) -> None:
    try:
        import pandas as pd
        from PHStatsMethods import ph_dsr, ph_ISRate
    except ImportError as error:  # installed in the bench environment only
        print(f"2. PHStatsMethods comparison skipped: {error}")
        return
    k, bands = SUBSAMPLE, x.shape[1]
    frame = pd.DataFrame(
        {
            "area": np.repeat(np.arange(k), bands),
            "count": x[:k].ravel(),
            "pop": n[:k].ravel(),
            "stdpop": np.tile(w, k),
            "refcount": np.tile(rx, k),
            "refpop": np.tile(rn, k),
        }
    )
    ours_dsr = median_time(lambda: ind.dsr(x, n), 3)
    theirs = median_time(
        lambda: ph_dsr(
            frame, "count", "pop", "stdpop", group_cols="area", euro_standard_pops=False
        ),
        3,
    )
    got = ph_dsr(frame, "count", "pop", "stdpop", group_cols="area", euro_standard_pops=False)
    mine = ind.dsr(x[:k], n[:k])
    np.testing.assert_allclose(got["Value"].to_numpy(), mine.value, rtol=1e-9)
    report_peer(
        f"2. PHStatsMethods ph_dsr ({k} areas, scaled to 1e6)", ours_dsr, theirs * AREAS / k
    )
    ours_isr = median_time(lambda: ind.isr(x, n, rx, rn), 3)
    theirs = median_time(
        lambda: ph_ISRate(frame, "count", "pop", "refcount", "refpop", group_cols="area"), 3
    )
    got = ph_ISRate(frame, "count", "pop", "refcount", "refpop", group_cols="area")
    np.testing.assert_allclose(
        got["Value"].to_numpy(), ind.isr(x[:k], n[:k], rx, rn).value, rtol=1e-9
    )
    report_peer(
        f"2. PHStatsMethods ph_ISRate ({k} areas, scaled to 1e6)", ours_isr, theirs * AREAS / k
    )
    print("2. PHStatsMethods has no life expectancy: no peer figure")


def main() -> None:
    rng = np.random.default_rng(2014)
    z = z_value(0.95)
    print(
        f"machine: {platform.machine()}, python {platform.python_version()}, numpy "
        f"{np.__version__}; median of {REPEAT} runs"
    )

    # 1. DSR of 1,000,000 areas x 19 bands
    x, n = data(rng, AREAS, 19)
    w = ind.standard_population().weights
    bare = median_time(lambda: bare_dsr(x, n, w, 1e5, z))
    ours = median_time(lambda: ind.dsr(x, n))
    report("1. dsr, 1,000,000 areas x 19 bands", ours, bare, "goal <= 3x")
    want = bare_dsr(x, n, w, 1e5, z)
    got = ind.dsr(x, n)
    for a, b in zip(want, (got.value, got.lower, got.upper), strict=True):
        np.testing.assert_allclose(b, a, rtol=1e-9)

    # 1. ISR of 1,000,000 areas x 19 bands
    rx = x[:1000].sum(axis=0)
    rn = n[:1000].sum(axis=0)
    bare = median_time(lambda: bare_isr(x, n, rx, rn, z))
    ours = median_time(lambda: ind.isr(x, n, rx, rn))
    report("1. isr, 1,000,000 areas x 19 bands", ours, bare, "goal <= 3x")
    want = bare_isr(x, n, rx, rn, z)
    got = ind.isr(x, n, rx, rn)
    for a, b in zip(want, (got.value, got.lower, got.upper), strict=True):
        np.testing.assert_allclose(b, a, rtol=1e-9)

    # 1. life expectancy of 100,000 areas x 20 bands
    ages = np.array(ind.PHE_LIFE_TABLE_AGES, dtype=float)
    pops = rng.integers(3_000, 60_000, (LE_AREAS, 20)).astype(float)
    mort = np.array([4e-3, 2e-4, 1e-4, 1e-4, 3e-4, 4e-4, 5e-4, 6e-4, 8e-4, 1.2e-3, 2e-3, 3e-3,
                     5e-3, 8e-3, 1.3e-2, 2.2e-2, 4e-2, 7e-2, 0.13, 0.25])  # fmt: skip
    deaths = np.maximum(rng.poisson(pops * mort), 1).astype(float)
    bare = median_time(lambda: bare_life_expectancy(deaths, pops, ages, z))
    ours = median_time(lambda: ind.life_expectancy(deaths, pops))
    report("1. life_expectancy, 100,000 areas x 20 bands", ours, bare, "goal <= 3x")
    want = bare_life_expectancy(deaths, pops, ages, z)
    got = ind.life_expectancy(deaths, pops)
    ok = got.note == ""
    np.testing.assert_allclose(got.value[ok], want[0][ok], rtol=1e-9)
    np.testing.assert_allclose(got.lower, want[1], rtol=1e-9)

    # 2. PHStatsMethods
    peers(x, n, w, rx, rn)

    # 3. SII, for information
    deciles = rng.integers(5_000, 30_000, (1_000, 10)).astype(float)
    le = np.linspace(76, 84, 10) + rng.normal(0, 0.5, (1_000, 10))
    se = np.full((1_000, 10), 0.4)
    t = median_time(lambda: ind.sii(le, deciles, se=se, seed=1), 1)
    print(f"{'3. sii, 1,000 areas x 10 deciles, 100,000 reps':<52} {t * 1e3:9.1f} ms (information)")


if __name__ == "__main__":
    main()
