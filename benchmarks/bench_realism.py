"""Benchmark of outcomes.realism (issue 19): probability() for 10,000 areas x 10 periods.

Never a timed assertion: this prints times (median of a few runs, time.perf_counter) and ratios
measured in the same process against two baselines:

* bare numpy, comparable work: a random walk with drift on the log scale (``ndtr`` of the gap
  between the target and last value plus the mean change, scaled by the spread of past changes),
  the cheapest vectorised forecast of the same question, without the model's fit or kriging step;
* the same model with a Python loop over areas (one ``np.linalg.solve`` per area), to show what
  vectorisation buys.

Run: ``python benchmarks/bench_realism.py``.
"""

from __future__ import annotations

import platform
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import median_time
from scipy.special import ndtr

from outcomes.realism import probability
from outcomes.realism.model import _fit, _predict

AREAS, PERIODS, REPEAT = 10_000, 10, 5


def report(name: str, ours: float, base: float, label: str) -> None:
    print(
        f"{name:<52} {ours * 1e3:8.1f} ms  vs {label} {base * 1e3:8.1f} ms  ratio {ours / base:6.2f}x"
    )


def synthetic(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """PYLL-like rates: persistent levels, a common trend, per-area sampling noise, 2% missing."""
    level = rng.normal(7.6, 0.16, (AREAS, 1))
    trend = np.cumsum(rng.normal(-0.012, 0.012, (1, PERIODS)), axis=1)
    noise = rng.uniform(0.03, 0.12, (AREAS, 1)) * np.ones((1, PERIODS))
    values = np.exp(level + trend + rng.normal(0.0, 1.0, (AREAS, PERIODS)) * noise)
    values[rng.random(values.shape) < 0.02] = np.nan
    values[:, -1] = np.where(np.isnan(values[:, -1]), values[:, -2], values[:, -1])
    z = 1.959963984540054
    return values, values * np.exp(-z * noise), values * np.exp(z * noise), values[:, -1] * 0.968


def bare_random_walk(values: np.ndarray, targets: np.ndarray, horizon: int) -> np.ndarray:
    y = np.log(values)
    step = np.diff(y, axis=1)
    drift = np.nanmean(step)
    sd = np.nanstd(step) * np.sqrt(horizon)
    return np.asarray(ndtr((np.log(targets) - y[:, -1] - horizon * drift) / sd))


def looped_model(values: np.ndarray, lower: np.ndarray, upper: np.ndarray, horizon: int) -> None:
    fit = _fit(values, lower, upper, "relative", 0.95)
    for i in range(values.shape[0]):
        one = fit._replace(
            y=fit.y[i : i + 1], s2=fit.s2[i : i + 1], deviation=fit.deviation[i : i + 1]
        )
        _predict(one, (horizon,))


def main() -> None:
    rng = np.random.default_rng(19)
    values, lower, upper, targets = synthetic(rng)
    print(
        f"machine: {platform.machine()}, python {platform.python_version()}, numpy "
        f"{np.__version__}; {AREAS:,} areas x {PERIODS} periods, median of {REPEAT} runs"
    )
    for label, kw in (("no limits", {}), ("with limits", {"lower": lower, "upper": upper})):
        ours = median_time(
            lambda kw=kw: probability(values, targets, polarity="lower", horizon=2, **kw)
        )
        bare = median_time(lambda: bare_random_walk(values, targets, 2))
        report(f"probability, horizon 2, {label}", ours, bare, "bare numpy RW")
        print(f"{'':<52} {ours:8.3f} s  (target: well under 1 s)")
    ours = median_time(
        lambda: probability(values, targets, polarity="lower", horizon=2, lower=lower, upper=upper)
    )
    loop = median_time(lambda: looped_model(values, lower, upper, 2), repeat=1)
    report("probability vs the same model looped over areas", ours, loop, "Python loop")


if __name__ == "__main__":
    main()
