"""Backtests: are the probabilities honest? Brier scores on every rolling origin against the base
rate, and a reliability table."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict

from outcomes._arrays import FloatArray, as_float_array
from outcomes._fields import ArrayField, PolarityField, same_fields
from outcomes.errors import ScoringError
from outcomes.realism.model import MIN_PERIODS, _horizons, forecast
from outcomes.realism.shares import _plans, achievability
from outcomes.stats.changes import (
    Kind,
    _history,
    _horizon,
    _kind,
    _sampling_sd,
    _sign,
)


class Backtest(BaseModel):
    """Brier scores of :func:`probability` on every rolling origin, against the base rate.

    ``brier`` and ``brier_base``: mean over every forecast (area, origin, horizon).
    ``skill = 1 - brier / brier_base`` (above 0: better than the base rate); ``NaN`` with the
    ``note`` ``BASE_RATE_PERFECT`` when the base rate scored 0.
    ``brier_by_horizon``/``base_by_horizon``: per horizon; ``NaN`` beside ``n_by_horizon == 0``
    for a horizon that no origin could test.
    ``by_origin_*``: one row per (origin, horizon); ``origin`` is the index of the last period
    used. Reliability table: forecasts grouped by predicted probability in tenths
    (``0-10%`` ... ``90-100%``), with the mean predicted probability and the observed share
    that met the plan; empty groups are ``NaN`` beside ``reliability_count == 0``.
    ``forecasts_*``: every single forecast, for your own analysis.
    """

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    horizons: tuple[int, ...]
    polarity: PolarityField
    kind: Kind
    brier: float
    brier_base: float
    skill: float
    note: str
    n: int
    n_excluded: int
    brier_by_horizon: ArrayField
    base_by_horizon: ArrayField
    n_by_horizon: ArrayField
    by_origin_origin: ArrayField
    by_origin_horizon: ArrayField
    by_origin_n: ArrayField
    by_origin_brier: ArrayField
    by_origin_base: ArrayField
    by_origin_event_rate: ArrayField
    by_origin_mean_probability: ArrayField
    reliability_lower: ArrayField
    reliability_upper: ArrayField
    reliability_count: ArrayField
    reliability_predicted: ArrayField
    reliability_observed: ArrayField
    forecasts_area: ArrayField
    forecasts_origin: ArrayField
    forecasts_horizon: ArrayField
    forecasts_probability: ArrayField
    forecasts_base: ArrayField
    forecasts_met: ArrayField

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Backtest):
            return NotImplemented
        return same_fields(self, other)

    def __hash__(self) -> int:
        return hash((self.horizons, self.n))

    def to_frame(
        self,
        *,
        table: Literal["horizons", "origins", "reliability", "forecasts"] = "horizons",
        organisations: Sequence[str] | None = None,
        measure: str | None = None,
        measure_name: str | None = None,
        unit: str | None = None,
    ) -> Any:
        """One of the backtest's tables as a tidy DataFrame (extra ``pandas``); see
        :func:`outcomes.frames.backtest_frame`."""
        from outcomes.frames import backtest_frame

        return backtest_frame(
            self,
            table=table,
            organisations=organisations,
            measure=measure,
            measure_name=measure_name,
            unit=unit,
        )

    def reliability_table(self) -> str:
        """The reliability table as Markdown (predicted vs observed by tenth of probability)."""
        rows = [
            "| predicted | forecasts | mean predicted | observed |",
            "|---|---:|---:|---:|",
        ]
        for lo, hi, c, p, o in zip(
            self.reliability_lower,
            self.reliability_upper,
            self.reliability_count,
            self.reliability_predicted,
            self.reliability_observed,
            strict=True,
        ):
            cells = ("-", "-") if c == 0 else (f"{p:.1%}", f"{o:.1%}")
            rows.append(f"| {lo:.0%}-{hi:.0%} | {int(c)} | {cells[0]} | {cells[1]} |")
        return "\n".join(rows)

    def __str__(self) -> str:
        skill = (
            f"skill {self.skill:+.1%}"
            if np.isfinite(self.skill)
            else "no skill score: the base rate was never wrong"
        )
        lines = [
            f"Brier score {self.brier:.4f} vs base rate {self.brier_base:.4f} "
            f"({skill}) over {self.n} forecasts",
        ]
        for h, b, base, n in zip(
            self.horizons,
            self.brier_by_horizon,
            self.base_by_horizon,
            self.n_by_horizon,
            strict=True,
        ):
            if n == 0:
                lines.append(f"  horizon {h}: no forecast could be tested")
                continue
            lines.append(f"  horizon {h}: {b:.4f} vs {base:.4f} ({int(n)} forecasts)")
        return "\n".join(lines) + "\n" + self.reliability_table()


def backtest(
    history: npt.ArrayLike,
    *,
    planned_change: npt.ArrayLike,
    polarity: object,
    horizons: Sequence[int] = (1, 2),
    kind: Kind = "relative",
    lower: npt.ArrayLike | None = None,
    upper: npt.ArrayLike | None = None,
    confidence: float = 0.95,
    min_periods: int = MIN_PERIODS,
) -> Backtest:
    """Brier score of :func:`probability` on every rolling origin, against the naive base rate.

    For every origin ``o`` (the last period the model may see, from ``min_periods - 1`` on) and
    every horizon ``h`` with ``o + h`` in the history, each area's target is its value at ``o``
    moved by the plan: ``y_o (1 + p)^h`` (relative) or ``y_o + h p`` (absolute). The event is
    "the value at ``o + h`` was at least as good as the target". The model sees only periods
    ``0..o``; so does the base rate, the :func:`achievability` share of the ``h``-period plan
    among the changes up to ``o``, used as a constant for every area. Brier score: the mean of
    ``(probability - event)^2`` (Brier 1950); lower is better, a coin toss scores 0.25.
    Forecasts whose origin or outcome value is missing are left out (``n_excluded``).

    Parameters
    ----------
    history : array_like
        2-D, areas x equally spaced periods (``NaN`` = missing).
    planned_change : array_like
        The plan's change per period (one, or one per area), e.g. ``-0.032``.
    polarity : {"higher", "lower"}
        Which direction is better.
    horizons : sequence of int
        Periods ahead to test (default 1 and 2).
    kind, lower, upper, confidence
        As in :func:`probability`.
    min_periods : int
        Fewest periods of history the model is given (default and minimum 3).

    Returns
    -------
    Backtest
        Overall, per horizon and per origin Brier scores for the model and the base rate, the
        reliability table and every single forecast.

    Raises
    ------
    ScoringError
        Bad arguments, or no origin that leaves a period to test.

    References
    ----------
    Brier G.W. (1950) Monthly Weather Review 78:1-3. Murphy A.H., Winkler R.L. (1977)
    Reliability of subjective probability forecasts of precipitation and temperature.
    JRSS C 26:41-47 (reliability tables). Tashman L.J. (2000) Out-of-sample tests of forecasting
    accuracy: an analysis and review. Int J Forecasting 16:437-450 (rolling origins).

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(1)
    >>> level = rng.normal(5.0, 0.3, (40, 1))
    >>> history = np.exp(level + rng.normal(0.0, 0.1, (40, 6)))
    >>> b = backtest(history, planned_change=-0.03, polarity="lower", horizons=(1, 2))
    >>> b.brier < b.brier_base
    True
    """
    k = _kind(kind)
    pol, sign = _sign(polarity)
    hs = tuple(sorted(set(_horizons(horizons))))
    start = _horizon(min_periods, "min_periods")
    if start < MIN_PERIODS:
        raise ScoringError(f"min_periods must be >= {MIN_PERIODS}, got {min_periods!r}")
    values = _history(history, kind=k, two_d=True)
    n_areas, n = values.shape
    plan = _plans(planned_change, k, 1)
    if np.isnan(plan).any():
        raise ScoringError("planned_change must not be missing (NaN) in a backtest")
    try:
        plan = np.broadcast_to(plan, (n_areas,))
    except ValueError:
        raise ScoringError(
            f"planned_change has shape {plan.shape}, history has {n_areas} areas"
        ) from None
    lo_all = hi_all = None
    if lower is not None or upper is not None:
        _sampling_sd(values, lower, upper, k, confidence)  # type: ignore[arg-type]
        lo_all = as_float_array(lower, "lower", error=ScoringError, finite=False)
        hi_all = as_float_array(upper, "upper", error=ScoringError, finite=False)

    rows: list[tuple[int, int, int, float, float, float, float]] = []
    parts: list[tuple[FloatArray, ...]] = []
    excluded = 0
    for origin in range(start - 1, n - 1):
        todo = [h for h in hs if origin + h <= n - 1 and origin >= h]
        if not todo:
            continue
        seen = values[:, : origin + 1]
        fc = forecast(
            seen,
            horizons=todo,
            kind=k,
            lower=None if lo_all is None else lo_all[:, : origin + 1],
            upper=None if hi_all is None else hi_all[:, : origin + 1],
            confidence=confidence,
        )
        base_now = values[:, origin]
        for h in todo:
            step = (1.0 + plan) ** h - 1.0 if k == "relative" else plan * h
            target = base_now * (1.0 + step) if k == "relative" else base_now + step
            outcome = values[:, origin + h]
            p = fc.probability(target, polarity=pol, horizon=h)
            usable = ~np.isnan(target) & ~np.isnan(outcome) & ~np.isnan(p)
            excluded += int((~usable).sum())
            if not usable.any():
                continue
            met = (sign * outcome >= sign * target).astype(np.float64)
            base = achievability(step, seen, polarity=pol, horizon=h, kind=k).share
            base = np.broadcast_to(base, (n_areas,))
            if np.isnan(base[usable]).any():  # no h-period change seen yet: nothing to compare
                excluded += int(usable.sum())
                continue
            u = usable
            rows.append(
                (
                    origin,
                    h,
                    int(u.sum()),
                    float(np.mean((p[u] - met[u]) ** 2)),
                    float(np.mean((base[u] - met[u]) ** 2)),
                    float(met[u].mean()),
                    float(p[u].mean()),
                )
            )
            parts.append(
                (
                    np.flatnonzero(u).astype(np.float64),
                    np.full(int(u.sum()), float(origin)),
                    np.full(int(u.sum()), float(h)),
                    p[u],
                    np.asarray(base[u], dtype=np.float64),
                    met[u],
                )
            )
    if not rows:
        raise ScoringError(
            f"backtest: no rolling origin leaves a period to test (history has {n} periods, "
            f"min_periods={start}, horizons={hs})"
        )
    area, org, hor, prob, base, met = (np.concatenate(c) for c in zip(*parts, strict=True))
    brier = float(np.mean((prob - met) ** 2))
    brier_base = float(np.mean((base - met) ** 2))
    n_h = np.array([float(np.sum(hor == h)) for h in hs])
    # a horizon no origin could test (too few periods after min_periods) has no score: NaN
    # beside n_by_horizon == 0, as the reliability table's empty groups
    by_h, base_h = (
        np.array(
            [
                np.mean((x - met)[hor == h] ** 2) if m else math.nan
                for h, m in zip(hs, n_h, strict=True)
            ]
        )
        for x in (prob, base)
    )
    edges = np.linspace(0.0, 1.0, 11)
    which = np.clip(np.floor(prob * 10.0).astype(int), 0, 9)
    count = np.bincount(which, minlength=10).astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        predicted = np.bincount(which, weights=prob, minlength=10) / count
        observed = np.bincount(which, weights=met, minlength=10) / count
    table = np.asarray(rows, dtype=np.float64)
    return Backtest(
        horizons=hs,
        polarity=pol,
        kind=k,
        brier=brier,
        brier_base=brier_base,
        skill=1.0 - brier / brier_base if brier_base > 0 else math.nan,
        note="OK" if brier_base > 0 else "BASE_RATE_PERFECT",
        n=int(prob.size),
        n_excluded=excluded,
        brier_by_horizon=by_h,
        base_by_horizon=base_h,
        n_by_horizon=n_h,
        by_origin_origin=table[:, 0],
        by_origin_horizon=table[:, 1],
        by_origin_n=table[:, 2],
        by_origin_brier=table[:, 3],
        by_origin_base=table[:, 4],
        by_origin_event_rate=table[:, 5],
        by_origin_mean_probability=table[:, 6],
        reliability_lower=edges[:-1],
        reliability_upper=edges[1:],
        reliability_count=count,
        reliability_predicted=predicted,
        reliability_observed=observed,
        forecasts_area=area,
        forecasts_origin=org,
        forecasts_horizon=hor,
        forecasts_probability=prob,
        forecasts_base=base,
        forecasts_met=met,
    )
