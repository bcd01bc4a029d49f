"""Scoring actuals against a trajectory: met, gap, progress, RAG, and a confidence verdict.

Fingertips' "compared to goal" uses the point value only; :func:`score` also asks whether a
miss (or a hit) is real or noise, from the actual's confidence interval: given directly
(``lower``/``upper``) or computed from ``count``/``denominator`` by the method that fits the unit
(Wilson for percentages and proportions, Byar / exact Poisson for rates).
"""

from __future__ import annotations

import enum
import math
from collections.abc import Mapping
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict

from outcomes._arrays import FloatArray, as_float_array
from outcomes._fields import ArrayField, PolarityField, TextArray, same_fields
from outcomes.errors import ScoringError
from outcomes.models import Trajectory
from outcomes.periods import Period, period
from outcomes.polarity import Polarity

__all__ = ["RAG", "Comparison", "Score", "Verdict", "compare_to_goal", "score"]

MISSING_WORDS = {"", "awaiting data", "awaiting indicator", "n/a", "na", "-", "*", "x", ".."}
_RATE_UNITS = {"per_100000": 100_000.0, "per_1000": 1_000.0, "per_100": 100.0}


class RAG(enum.StrEnum):
    """Red/amber/green rating; GREY when the actual is missing."""

    GREEN = "GREEN"
    AMBER = "AMBER"
    RED = "RED"
    GREY = "GREY"


class Verdict(enum.StrEnum):
    """Whether the target was met beyond reasonable doubt, from the actual's interval."""

    MET_WITH_CONFIDENCE = "MET_WITH_CONFIDENCE"
    NOT_MET_WITH_CONFIDENCE = "NOT_MET_WITH_CONFIDENCE"
    NOT_DISTINGUISHABLE = "NOT_DISTINGUISHABLE"
    NOT_AVAILABLE = "NOT_AVAILABLE"
    NO_INTERVAL = "NO_INTERVAL"


class Comparison(enum.StrEnum):
    """Fingertips' comparison of a value with a goal."""

    BETTER = "BETTER"
    SAME = "SAME"
    WORSE = "WORSE"
    NOT_COMPARED = "NOT_COMPARED"


class Score(BaseModel):
    """Per-period scores for one organisation or many (shape ``organisations + (periods,)``).

    ``rag`` and ``verdict`` are numpy arrays of the enum values' text; ``available`` is False where the
    actual was missing (GREY / NOT_AVAILABLE): such cells are never counted as a miss.
    """

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    periods: tuple[Period, ...]
    baseline: ArrayField
    target: ArrayField
    actual: ArrayField
    available: ArrayField
    met: ArrayField
    gap: ArrayField
    progress: ArrayField
    lower: ArrayField | None = None
    upper: ArrayField | None = None
    rag: TextArray
    verdict: TextArray
    polarity: PolarityField
    tolerance: float
    tolerance_kind: Literal["absolute", "relative"]
    amber_progress: float | None
    confidence: float | None = None
    interval_method: str | None = None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Score):
            return NotImplemented
        return same_fields(self, other)

    def __hash__(self) -> int:
        return hash(self.periods)

    def summary(self) -> dict[str, Any]:
        """Counts by RAG and by verdict; missing actuals are counted separately.

        >>> from outcomes import hold
        >>> s = score(hold([10.0, 10.0, 10.0], start="2013/14", end="2014/15", polarity="lower"),
        ...           [[9.0], [12.0], [float("nan")]])
        >>> s.summary()["rag"]
        {'GREEN': 1, 'AMBER': 0, 'RED': 1, 'GREY': 1}
        """
        rag = dict(zip(*np.unique(self.rag, return_counts=True), strict=True))
        verdict = dict(zip(*np.unique(self.verdict, return_counts=True), strict=True))
        return {
            "cells": int(np.size(self.actual)),
            "scored": int(np.sum(self.available)),
            "missing": int(np.size(self.actual) - np.sum(self.available)),
            "met": int(np.sum(self.met)),
            "rag": {r.value: int(rag.get(r.value, 0)) for r in RAG},
            "verdict": {v.value: int(verdict.get(v.value, 0)) for v in Verdict},
        }

    def to_records(self) -> list[dict[str, Any]]:
        """Tidy rows: organisation index, period, target, actual, met, gap, progress, RAG, verdict."""
        rows = []
        rag, verdict = self.rag, self.verdict
        shape = self.target.shape[:-1]
        for idx in np.ndindex(*shape):
            for i, p in enumerate(self.periods):
                cell = (*idx, i)
                rows.append(
                    {
                        "organisation": idx if idx else None,
                        "period": str(p),
                        "target": float(self.target[cell]),
                        "actual": None if not self.available[cell] else float(self.actual[cell]),
                        "met": bool(self.met[cell]) if self.available[cell] else None,
                        "gap": float(self.gap[cell]) if self.available[cell] else None,
                        "progress": float(self.progress[cell]) if self.available[cell] else None,
                        "rag": str(rag[cell]),
                        "verdict": str(verdict[cell]),
                    }
                )
        return rows

    def to_frame(self) -> Any:
        """A tidy pandas DataFrame (extra ``pandas``)."""
        from outcomes.io import require_pandas

        return require_pandas().DataFrame(self.to_records())

    def __str__(self) -> str:
        from outcomes.io import format_table

        header = ["org", "period", "target", "actual", "gap", "RAG", "verdict"]
        rows = []
        for r in self.to_records()[:40]:
            rows.append(
                [
                    "" if r["organisation"] is None else str(r["organisation"][0]),
                    r["period"],
                    f"{r['target']:.6g}",
                    "missing" if r["actual"] is None else f"{r['actual']:.6g}",
                    "" if r["gap"] is None else f"{r['gap']:+.4g}",
                    r["rag"],
                    r["verdict"],
                ]
            )
        s = self.summary()
        tail = f"\n{s['scored']} scored, {s['missing']} missing; RAG {s['rag']}"
        return format_table(header, rows) + tail


def _actuals(actuals: Any, trajectory: Trajectory) -> FloatArray:
    """Actuals as a float array of the trajectory's shape; missing words become NaN."""
    shape = trajectory.values.shape
    if isinstance(actuals, Mapping):
        out = np.full(shape, np.nan)
        for key, value in actuals.items():
            p = period(key)
            if p not in trajectory.periods:
                raise ScoringError(
                    f"actuals given for {str(p)!r}, which the trajectory does not have "
                    f"(it has {', '.join(str(q) for q in trajectory.periods)})"
                )
            out[..., trajectory.periods.index(p)] = _values(value, f"actuals[{str(p)!r}]")
        return out
    array = _values(actuals, "actuals")
    if array.shape != shape:
        try:
            array = np.broadcast_to(array, shape)
        except ValueError:
            raise ScoringError(
                f"actuals have shape {array.shape}, the trajectory's targets {shape}"
            ) from None
    return np.asarray(array, dtype=np.float64)


def _values(value: Any, name: str) -> FloatArray:
    def one(v: Any) -> float:
        if v is None:
            return math.nan
        if isinstance(v, str):
            if v.strip().lower() in MISSING_WORDS:
                return math.nan
            try:
                return float(v.replace(",", ""))
            except ValueError:
                raise ScoringError(
                    f"{name} must be numbers or 'Awaiting data', got {v!r}"
                ) from None
        return float(v)

    if isinstance(value, np.ndarray) and value.dtype.kind in "fiub":
        raw = value  # already numbers: nothing to look for
    else:
        raw = np.asarray(value, dtype=object)
    if raw.dtype == object and raw.size and any(isinstance(v, str) or v is None for v in raw.flat):
        return np.asarray(np.vectorize(one, otypes=[np.float64])(raw), dtype=np.float64)
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ScoringError(f"{name} must be numbers, got {value!r}") from None
    if np.isinf(array).any():
        raise ScoringError(f"{name} must be finite or missing (NaN), got an infinite value")
    return array


def _interval(
    trajectory: Trajectory,
    actual: FloatArray,
    lower: Any,
    upper: Any,
    count: Any,
    denominator: Any,
    confidence: float,
    method: str,
) -> tuple[FloatArray | None, FloatArray | None, str | None]:
    from outcomes import stats

    shape = actual.shape
    if lower is not None or upper is not None:
        if lower is None or upper is None:
            raise ScoringError("give both lower and upper, or neither")
        lo = np.broadcast_to(
            as_float_array(lower, "lower", error=ScoringError, finite=False), shape
        )
        hi = np.broadcast_to(
            as_float_array(upper, "upper", error=ScoringError, finite=False), shape
        )
        if (lo > hi).any():
            raise ScoringError("lower must be <= upper in every cell")
        return np.asarray(lo), np.asarray(hi), "given"
    if count is None and denominator is None:
        return None, None, None
    if count is None or denominator is None:
        raise ScoringError("give both count and denominator, or neither")
    x = np.broadcast_to(as_float_array(count, "count", error=ScoringError, finite=False), shape)
    n = np.broadcast_to(
        as_float_array(denominator, "denominator", error=ScoringError, finite=False), shape
    )
    ok = ~(np.isnan(x) | np.isnan(n))
    if (x[ok] < 0).any():
        raise ScoringError(f"count must be >= 0, got {float(x[ok][x[ok] < 0][0])!r}")
    xs, ns = np.where(ok, x, 0.0), np.where(ok, n, 1.0)
    unit = trajectory.unit
    if unit in ("percent", "proportion"):
        lo, hi = stats.wilson(xs, ns, confidence)
        scale = 100.0 if unit == "percent" else 1.0
        lo, hi, used = np.asarray(lo) * scale, np.asarray(hi) * scale, "wilson"
    elif unit in _RATE_UNITS:
        chosen = "auto" if method == "auto" else method
        lo, hi = stats.rate_ci(xs, ns, per=_RATE_UNITS[unit], method=chosen, confidence=confidence)  # type: ignore[arg-type]
        lo, hi, used = np.asarray(lo), np.asarray(hi), f"rate ({chosen})"
    else:
        raise ScoringError(
            f"cannot compute an interval from count/denominator for unit {unit!r}; give the "
            "trajectory a unit ('percent', 'proportion', 'per_100000', 'per_1000', 'per_100') "
            "or pass lower/upper"
        )
    return np.where(ok, lo, np.nan), np.where(ok, hi, np.nan), used


def score(
    trajectory: Trajectory,
    actuals: Any,
    *,
    polarity: Any = None,
    tolerance: float = 0.0,
    tolerance_kind: Literal["absolute", "relative"] = "absolute",
    amber_progress: float | None = None,
    lower: Any = None,
    upper: Any = None,
    count: Any = None,
    denominator: Any = None,
    confidence: float = 0.95,
    method: Literal["auto", "byar", "exact"] = "auto",
) -> Score:
    """Score actuals against a trajectory's targets, per period.

    With ``s`` = +1 when higher is better and -1 when lower is better:

    * ``met = s (actual - target) >= 0`` (equal to target counts as met);
    * ``gap = s (actual - target)`` (positive is better);
    * ``progress = (actual - baseline) / (target - baseline)``, the share of the planned
      improvement achieved; where the plan holds the baseline, 1 if the baseline was kept
      (or bettered) and 0 otherwise;
    * ``rag``: GREEN met; AMBER not met but within ``tolerance`` of the target (absolute, in the
      measure's unit, or relative: a share of the target, by ``tolerance_kind``) or with
      ``progress >= amber_progress``; RED otherwise; GREY when the actual is missing;
    * ``verdict`` (with an interval): MET_WITH_CONFIDENCE when the whole interval is on the good
      side of the target, NOT_MET_WITH_CONFIDENCE when the whole interval is on the bad side,
      NOT_DISTINGUISHABLE otherwise; NOT_AVAILABLE when missing; NO_INTERVAL without one.

    ``actuals`` is an array of the targets' shape (NaN, None or 'Awaiting data' for missing) or a
    mapping of period label to values. Intervals come from ``lower``/``upper``, or from
    ``count``/``denominator`` by the trajectory's unit: Wilson for percent/proportion, and for
    rates per 100,000/1,000/100 :func:`outcomes.stats.rate_ci` (``method="auto"``: exact Poisson
    below 10 events, Byar from 10).

    >>> from outcomes import percentage_change
    >>> t = percentage_change(2000.0, -0.032, start="2013", periods=["2014"], polarity="lower")
    >>> s = score(t, [1900.0], lower=[1870.0], upper=[1930.0])
    >>> s.met.tolist(), s.rag.tolist(), s.verdict.tolist()
    ([True], ['GREEN'], ['MET_WITH_CONFIDENCE'])
    """
    if not isinstance(trajectory, Trajectory):
        raise ScoringError(f"trajectory must be a Trajectory, got {type(trajectory).__name__}")
    pol = Polarity.parse(polarity) if polarity is not None else trajectory.polarity
    if pol is None or pol is Polarity.NO_JUDGEMENT:
        raise ScoringError(
            "polarity is needed to score: pass polarity='higher' or 'lower' (the trajectory has none)"
        )
    if not (isinstance(tolerance, int | float) and math.isfinite(tolerance) and tolerance >= 0):
        raise ScoringError(f"tolerance must be a number >= 0, got {tolerance!r}")
    if tolerance_kind not in ("absolute", "relative"):
        raise ScoringError(
            f"tolerance_kind must be 'absolute' or 'relative', got {tolerance_kind!r}"
        )
    if amber_progress is not None and not 0 <= amber_progress <= 1:
        raise ScoringError(f"amber_progress must be a share in [0, 1], got {amber_progress!r}")
    from outcomes.stats import _confidence

    conf = _confidence(confidence)
    sign = pol.sign
    target = trajectory.values
    actual = _actuals(actuals, trajectory)
    available = ~np.isnan(actual)
    base = np.broadcast_to(trajectory.baseline[..., np.newaxis], target.shape)

    with np.errstate(invalid="ignore", divide="ignore"):
        gap = sign * (actual - target)
        met = available & (gap >= 0)
        planned = target - base
        held = planned == 0
        kept = sign * (actual - base) >= 0
        progress = np.where(
            held, np.where(kept, 1.0, 0.0), (actual - base) / np.where(held, 1.0, planned)
        )
    progress = np.where(available, progress, np.nan)
    gap = np.where(available, gap, np.nan)
    allowed = tolerance * np.abs(target) if tolerance_kind == "relative" else tolerance
    near = available & ~met & (gap >= -allowed)
    if amber_progress is not None:
        near |= available & ~met & (progress >= amber_progress)
    rag = np.full(target.shape, RAG.RED.value, dtype="<U5")
    rag[near] = RAG.AMBER.value
    rag[met] = RAG.GREEN.value
    rag[~available] = RAG.GREY.value

    lo, hi, used = _interval(trajectory, actual, lower, upper, count, denominator, conf, method)
    verdict = np.full(target.shape, Verdict.NO_INTERVAL.value, dtype="<U23")
    if lo is not None and hi is not None:
        good_side = sign * (np.where(sign > 0, lo, hi) - target) >= 0
        bad_side = sign * (np.where(sign > 0, hi, lo) - target) < 0
        has = available & ~np.isnan(lo) & ~np.isnan(hi)
        verdict[has] = Verdict.NOT_DISTINGUISHABLE.value
        verdict[has & good_side] = Verdict.MET_WITH_CONFIDENCE.value
        verdict[has & bad_side] = Verdict.NOT_MET_WITH_CONFIDENCE.value
    verdict[~available] = Verdict.NOT_AVAILABLE.value

    return Score.model_construct(
        periods=trajectory.periods,
        baseline=np.asarray(trajectory.baseline),
        target=np.asarray(target),
        actual=actual,
        available=available,
        met=met,
        gap=gap,
        progress=progress,
        lower=lo,
        upper=hi,
        rag=rag,
        verdict=verdict,
        polarity=pol,
        tolerance=float(tolerance),
        tolerance_kind=tolerance_kind,
        amber_progress=amber_progress,
        confidence=conf if used else None,
        interval_method=used,
    )


def compare_to_goal(value: Any, goal: Any, polarity: Any) -> Any:
    """Fingertips' "compared to goal": BETTER / SAME / WORSE, per value.

    A single goal: reaching it (equal counts) is BETTER, otherwise WORSE. A range goal
    ``(lower, upper)``: beyond the good end is BETTER, beyond the bad end WORSE, inside SAME.
    Missing values are NOT_COMPARED.

    >>> compare_to_goal([80.0, 70.0], 75.0, "higher").tolist()
    ['BETTER', 'WORSE']
    >>> compare_to_goal([5.0, 12.0, 20.0], (10.0, 15.0), "lower").tolist()
    ['BETTER', 'SAME', 'WORSE']
    """
    pol = Polarity.parse(polarity)
    if pol is Polarity.NO_JUDGEMENT:
        raise ScoringError("polarity must be 'higher' or 'lower' to compare with a goal")
    sign = pol.sign
    v = _values(value, "value")
    if isinstance(goal, tuple | list) and len(goal) == 2:
        a, b = sorted(float(g) for g in goal)
        good_end, bad_end = (b, a) if sign > 0 else (a, b)
        better = sign * (v - good_end) >= 0
        worse = sign * (v - bad_end) < 0
    else:
        g = float(goal)
        better = sign * (v - g) >= 0
        worse = ~better
    out = np.full(v.shape, Comparison.SAME.value, dtype=object)
    out[worse] = Comparison.WORSE.value
    out[better] = Comparison.BETTER.value
    out[np.isnan(v)] = Comparison.NOT_COMPARED.value
    return out if out.ndim else out.item()
