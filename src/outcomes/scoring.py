"""Scoring actuals against a trajectory: met, gap, progress, RAG, and a confidence verdict.

Fingertips' "compared to goal" uses the point value only; :func:`score` also asks whether a
miss (or a hit) is real or noise, from the actual's confidence interval: given directly
(``lower``/``upper``) or computed from ``count``/``denominator`` by the method the unit's kind
calls for (Wilson for percentages and proportions, exact Poisson / Byar for rates; see
:mod:`outcomes.units`). Missing actuals are never a miss: they are GREY / NOT_AVAILABLE.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Mapping
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict

from outcomes._arrays import (
    FloatArray,
    as_float_array,
    as_number,
    check_choice,
    check_finite_result,
)
from outcomes._fields import ArrayField, PolarityField, TextArray, same_fields
from outcomes._format import format_table
from outcomes.benchmark.goals import Comparison, compare_to_goal
from outcomes.benchmark.significance import compare
from outcomes.errors import ScoringError
from outcomes.periods import Period, period
from outcomes.polarity import Polarity
from outcomes.stats.intervals import confidence_level, rate_ci, wilson
from outcomes.trajectory import Trajectory, _organisation_labels
from outcomes.units import (
    check_values,
    format_given,
    format_value,
    is_missing,
    unit,
    warn_fractions,
)

__all__ = ["RAG", "Comparison", "Score", "Verdict", "compare_to_goal", "parse_values", "score"]


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


def _target_text(value: float, ndigits: int | None) -> str:
    """A target as printed in a console table: to its published precision (rounded half-up),
    else to six significant figures.

    >>> _target_text(74.0, 1), _target_text(1705.04, None)
    ('74.0', '1705.04')
    """
    return format_value(value, None, ndigits) if ndigits is not None else f"{value:.6g}"


def _actual_text(value: float | None, ndigits: int | None) -> str:
    """An actual as given (see :func:`outcomes.units.format_given`); ``missing`` for none."""
    return "missing" if value is None else format_given(value, ndigits)


class Score(BaseModel):
    """Per-period scores for one organisation or many (shape ``organisations + (periods,)``).

    ``rag`` and ``verdict`` are numpy arrays of the enum values' text; ``available`` is False where
    the actual was missing (GREY / NOT_AVAILABLE): such cells are never counted as a miss. The
    trajectory's organisation codes and names, measure, unit and published precision are
    carried over, so a score can be written and drawn on its own.
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
    significance: TextArray | None = None
    benchmark: ArrayField | None = None
    measure: str | None = None
    unit: str | None = None
    ndigits: int | None = None
    start: Period | None = None
    organisations: tuple[str, ...] | None = None
    organisation_names: tuple[str, ...] | None = None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Score):
            return NotImplemented
        return same_fields(self, other)

    def __hash__(self) -> int:
        return hash(self.periods)

    def organisation_labels(self) -> list[str]:
        """One label per organisation row: its code where known, else its index ('' for one)."""
        return _organisation_labels(self.organisations, self.target.shape[:-1])

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
        """Tidy rows: organisation, period, target, actual, met, gap, progress, RAG, verdict.

        A missing actual is ``None`` in ``actual``, ``met``, ``gap`` and ``progress``, beside its
        GREY / NOT_AVAILABLE marker; nothing is dropped.
        """
        labels = self.organisation_labels()
        names = self.organisation_names or ("",) * len(labels)
        n = len(self.periods)
        flat = {
            name: np.asarray(getattr(self, name)).reshape(-1, n)
            for name in (
                "target",
                "actual",
                "available",
                "met",
                "gap",
                "progress",
                "rag",
                "verdict",
            )
        }
        sig = None if self.significance is None else self.significance.reshape(-1, n)
        lower = None if self.lower is None else self.lower.reshape(-1, n)
        upper = None if self.upper is None else self.upper.reshape(-1, n)
        rows = []
        for i, label in enumerate(labels):
            for j, p in enumerate(self.periods):
                ok = bool(flat["available"][i, j])
                row: dict[str, Any] = {
                    "organisation": label,
                    "organisation_name": names[i],
                    "measure": self.measure or "",
                    "period": str(p),
                    "target": float(flat["target"][i, j]),
                    "actual": float(flat["actual"][i, j]) if ok else None,
                    "met": bool(flat["met"][i, j]) if ok else None,
                    "gap": float(flat["gap"][i, j]) if ok else None,
                    "progress": float(flat["progress"][i, j]) if ok else None,
                    "lower": _maybe(lower, i, j) if ok else None,
                    "upper": _maybe(upper, i, j) if ok else None,
                    "rag": str(flat["rag"][i, j]),
                    "verdict": str(flat["verdict"][i, j]),
                }
                if sig is not None:
                    row["significance"] = str(sig[i, j])
                rows.append(row)
        return rows

    def to_frame(self, *, measure: str | None = None) -> Any:
        """A tidy pandas DataFrame, one row per organisation and period (extra ``pandas``);
        ``measure`` sets the measure's code; see :func:`outcomes.frames.score_frame`."""
        from outcomes.frames import score_frame

        return score_frame(self, measure=measure)

    def __str__(self) -> str:
        header = ["org", "period", "target", "actual", "gap", "RAG", "verdict"]
        rows = [
            [
                r["organisation"],
                r["period"],
                _target_text(r["target"], self.ndigits),
                _actual_text(r["actual"], self.ndigits),
                "" if r["gap"] is None else f"{r['gap']:+.4g}",
                r["rag"],
                r["verdict"],
            ]
            for r in self.to_records()[:40]
        ]
        s = self.summary()
        tail = f"\n{s['scored']} scored, {s['missing']} missing; RAG {s['rag']}"
        return format_table(header, rows) + tail


def _maybe(array: FloatArray | None, i: int, j: int) -> float | None:
    if array is None or np.isnan(array[i, j]):
        return None
    return float(array[i, j])


def parse_values(value: object, name: str) -> FloatArray:
    """Numbers as a float array, with every missing marker (NaN, None, '..', 'Awaiting data')
    as NaN; other text raises :class:`ScoringError` naming ``name``.

    >>> parse_values([1.5, None, "Awaiting data", "2,407"], "actuals").tolist()
    [1.5, nan, nan, 2407.0]
    """

    def one(v: object) -> float:
        if v is None:
            return math.nan
        if isinstance(v, str):
            if is_missing(v):
                return math.nan
            try:
                return float(v.replace(",", ""))
            except ValueError:
                raise ScoringError(
                    f"{name} must be numbers or a missing marker such as 'Awaiting data', got {v!r}"
                ) from None
        if isinstance(v, bool):
            raise ScoringError(f"{name} must be numbers, got {v!r}")
        try:
            return float(v)  # type: ignore[arg-type]
        except (TypeError, ValueError, OverflowError):
            raise ScoringError(f"{name} must be numbers, got {v!r}") from None

    if isinstance(value, np.ndarray) and value.dtype.kind in "fiu":
        array = value.astype(np.float64, copy=False)
    else:
        raw = np.asarray(value, dtype=object)
        if raw.dtype == object and raw.size:
            array = np.asarray(
                np.vectorize(one, otypes=[np.float64])(raw), dtype=np.float64
            ).reshape(raw.shape)
        else:
            array = as_float_array(value, name, error=ScoringError, finite=False)
    if np.isinf(array).any():
        raise ScoringError(f"{name} must be finite or missing (NaN), got an infinite value")
    return array


def _actuals(actuals: object, trajectory: Trajectory) -> FloatArray:
    """Actuals as a float array of the trajectory's shape; missing markers become NaN."""
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
            cells = parse_values(value, f"actuals[{str(p)!r}]")
            try:
                out[..., trajectory.periods.index(p)] = cells
            except ValueError:
                raise ScoringError(
                    f"actuals[{str(p)!r}] has shape {cells.shape}, the organisations {shape[:-1]}"
                ) from None
        return out
    return _to_shape(parse_values(actuals, "actuals"), shape, "actuals")


def _to_shape(array: FloatArray, shape: tuple[int, ...], name: str) -> FloatArray:
    if array.shape == shape:
        return array
    try:
        return np.asarray(np.broadcast_to(array, shape), dtype=np.float64)
    except ValueError:
        raise ScoringError(
            f"{name} has shape {array.shape}, the trajectory's targets {shape}"
        ) from None


def _interval(
    trajectory: Trajectory,
    actual: FloatArray,
    lower: npt.ArrayLike | None,
    upper: npt.ArrayLike | None,
    count: npt.ArrayLike | None,
    denominator: npt.ArrayLike | None,
    confidence: float,
    method: Literal["auto", "byar", "exact"],
) -> tuple[FloatArray | None, FloatArray | None, str | None]:
    shape = actual.shape
    available = ~np.isnan(actual)
    if lower is not None or upper is not None:
        if lower is None or upper is None:
            raise ScoringError("give both lower and upper, or neither")
        lo = _to_shape(parse_values(lower, "lower"), shape, "lower")
        hi = _to_shape(parse_values(upper, "upper"), shape, "upper")
        if (lo > hi).any():
            raise ScoringError("lower must be <= upper in every cell")
        with np.errstate(over="ignore", invalid="ignore"):
            outside = (
                available
                & ~np.isnan(lo)
                & ((actual < lo - 1e-9 * np.abs(lo)) | (actual > hi + 1e-9 * np.abs(hi)))
            )
        if outside.any():
            i = tuple(int(x) for x in np.argwhere(outside)[0])
            raise ScoringError(
                f"an actual lies outside its own confidence interval: actual {float(actual[i])!r}, "
                f"interval [{float(lo[i])!r}, {float(hi[i])!r}] (at index {i}, period "
                f"{trajectory.periods[i[-1]]})"
            )
        return lo, hi, "given"
    if count is None and denominator is None:
        return None, None, None
    if count is None or denominator is None:
        raise ScoringError("give both count and denominator, or neither")
    x = _to_shape(parse_values(count, "count"), shape, "count")
    n = _to_shape(parse_values(denominator, "denominator"), shape, "denominator")
    ok = ~(np.isnan(x) | np.isnan(n))
    if (x[ok] < 0).any():
        raise ScoringError(f"count must be >= 0, got {float(x[ok][x[ok] < 0][0])!r}")
    if (n[ok] <= 0).any():
        raise ScoringError(f"denominator must be > 0, got {float(n[ok][n[ok] <= 0][0])!r}")
    xs, ns = np.where(ok, x, 0.0), np.where(ok, n, 1.0)
    spec = unit(trajectory.unit) if trajectory.unit is not None else None
    if spec is not None and spec.interval == "wilson":
        lo_w, hi_w = wilson(xs, ns, confidence)
        scale = spec.per or 1.0
        lo, hi, used = np.asarray(lo_w) * scale, np.asarray(hi_w) * scale, "wilson"
    elif spec is not None and spec.interval == "poisson":
        lo_r, hi_r = rate_ci(xs, ns, per=spec.per or 1.0, method=method, confidence=confidence)
        lo, hi, used = np.asarray(lo_r), np.asarray(hi_r), f"rate ({method})"
    else:
        raise ScoringError(
            f"cannot compute an interval from count/denominator for unit {trajectory.unit!r}; "
            "give the trajectory a rate or percentage unit ('percent', 'proportion', "
            "'per_100000', 'per_1000', 'per_100') or pass lower/upper"
        )
    return np.where(ok, lo, np.nan), np.where(ok, hi, np.nan), used


def _check_units(trajectory: Trajectory, actual: FloatArray) -> None:
    if trajectory.unit is None:
        return
    check_values(actual, trajectory.unit, "actuals", error=ScoringError)
    warn_fractions(actual, trajectory.unit, "actuals", trajectory.measure)


def score(
    trajectory: Trajectory,
    actuals: object,
    *,
    polarity: Polarity | str | None = None,
    tolerance: float = 0.0,
    tolerance_kind: Literal["absolute", "relative"] = "absolute",
    amber_progress: float | None = None,
    lower: npt.ArrayLike | None = None,
    upper: npt.ArrayLike | None = None,
    count: npt.ArrayLike | None = None,
    denominator: npt.ArrayLike | None = None,
    confidence: float = 0.95,
    method: Literal["auto", "byar", "exact"] = "auto",
    benchmark: npt.ArrayLike | None = None,
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
      NOT_DISTINGUISHABLE otherwise; NOT_AVAILABLE when missing; NO_INTERVAL without one;
    * ``significance`` (with ``benchmark``, e.g. England's value per period): the actual's
      significance against the benchmark from its interval, by
      :func:`outcomes.benchmark.compare` (``BETTER``/``SIMILAR``/``WORSE``; ``NOT_COMPARED``
      where the actual, its interval or the benchmark is missing, and in every cell when no
      interval was given). It answers a different
      question from the verdict: "are we different from England?", not "did we hit our plan?".

    ``actuals`` is an array of the targets' shape (NaN, None or a missing marker such as
    'Awaiting data' for missing) or a mapping of period label to values. Intervals come from
    ``lower``/``upper``, or from ``count``/``denominator`` by the unit's kind: Wilson for
    percent/proportion, and for rates :func:`outcomes.stats.rate_ci` (``method="auto"``: exact
    Poisson below 10 events, Byar from 10).

    Raises
    ------
    ScoringError
        Text that is not a number or a missing marker, actuals outside the unit's bounds (a
        negative rate, a percentage above 100), an actual outside its own interval, shapes that
        do not match the targets, an unknown ``method``.

    Examples
    --------
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
    tolerance = as_number(tolerance, "tolerance", error=ScoringError, minimum=0)
    check_choice(tolerance_kind, "tolerance_kind", ("absolute", "relative"), ScoringError)
    if amber_progress is not None:
        amber_progress = as_number(
            amber_progress, "amber_progress (a share)", error=ScoringError, minimum=0, maximum=1
        )
    check_choice(method, "method", ("auto", "byar", "exact"), ScoringError)
    conf = confidence_level(confidence)
    sign = pol.sign
    target = trajectory.values
    actual = _actuals(actuals, trajectory)
    _check_units(trajectory, actual)
    available = ~np.isnan(actual)
    base = np.broadcast_to(trajectory.baseline[..., np.newaxis], target.shape)

    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        gap = sign * (actual - target)
        met = available & (gap >= 0)
        planned = target - base
        ratio = (actual - base) / np.where(planned == 0, 1.0, planned)
        # a plan that holds the baseline, or whose planned change is so small that the ratio is
        # not a number (a published target rounded onto a tiny baseline), is scored as a hold
        held = (planned == 0) | ~np.isfinite(ratio)
        kept = sign * (actual - base) >= 0
        progress = np.where(held, np.where(kept, 1.0, 0.0), ratio)
    progress = np.where(available, progress, np.nan)
    gap = np.where(available, gap, np.nan)
    check_finite_result(
        np.where(available, gap, 0.0),
        "the gaps to target",
        ScoringError,
        "the actuals are too large",
    )
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

    significance = bench = None
    if benchmark is not None:
        bench = _to_shape(parse_values(benchmark, "benchmark"), target.shape, "benchmark")
        # without the actuals' intervals nothing can be said: NOT_COMPARED in every cell
        no_interval = np.full(target.shape, np.nan)
        significance = np.asarray(
            compare(
                actual,
                bench,
                polarity=pol,
                lower=no_interval if lo is None else lo,
                upper=no_interval if hi is None else hi,
                method="single_overlap",
            )
        )

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
        significance=significance,
        benchmark=bench,
        measure=trajectory.measure,
        unit=trajectory.unit,
        ndigits=trajectory.ndigits,
        start=trajectory.start,
        organisations=trajectory.organisations,
        organisation_names=trajectory.organisation_names,
    )
