"""Benchmarking like Fingertips: compared with England, against a goal, funnel plots, recent trends.

Three questions an assurance team asks of every area, each answered by the published method:

* **Is it significantly different from the benchmark?** :func:`compare` reproduces the
  Fingertips comparers (overlapping confidence intervals at one or two levels, double overlap,
  SPC limits for proportions and for directly standardised rates) and returns
  :class:`Significance` values.
* **Did it reach its goal?** :func:`compare_to_goal` reproduces the Fingertips target comparers
  (single value, range, "use CIs for limit", percentile range, previous-year England) and returns
  :class:`Comparison` values.
* **Is it an outlier, and is it improving?** :func:`funnel_significance`, :func:`funnel_limits`
  and :func:`funnel_table` follow PHE's funnel-plot method (the Technical Guide and
  PHEindicatormethods' ``calculate_funnel_limits`` / ``assign_funnel_significance``);
  :func:`recent_trend` reproduces the Fingertips recent-trend marker (:class:`Trend`).

Every function broadcasts over areas like :mod:`outcomes.stats` (no Python loop over areas) and
marks missing data explicitly (``NOT_COMPARED``, ``NOT_APPLICABLE``, ``CANNOT_BE_CALCULATED``);
bad arguments raise :class:`~outcomes.errors.ScoringError` naming the field and the value.

Sources: Fingertips (``PublicHealthEngland/fingertips-open``, ``PholioVisualisationWS/Analysis``,
commit 6780897, MIT); PHE, *Technical Guide: Funnel Plots* (2017) and PHEindicatormethods
(``calculate_funnel_limits``, v2.1.0). Re-implemented from the published methods; no code copied.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Mapping, Sequence
from typing import Any, Literal, overload

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict

from outcomes._arrays import FloatArray, as_float_array
from outcomes._fields import ArrayField, PolarityField, TextArray, same_fields
from outcomes.errors import ScoringError
from outcomes.polarity import Polarity
from outcomes.stats import Interval, _confidence, z_value

__all__ = [
    "Comparison",
    "FunnelSignificance",
    "Significance",
    "Trend",
    "TrendResult",
    "compare",
    "compare_to_goal",
    "funnel_limits",
    "funnel_significance",
    "funnel_table",
    "percentile_range_goal",
    "recent_trend",
]

TextResult = npt.NDArray[np.str_]

#: chi-square with one degree of freedom at 99.8%: Fingertips' recent-trend cut-off.
TREND_CHI_SQUARED_CUTOFF = 9.54953570608324


# --------------------------------------------------------------------------------------------
# Enums
# --------------------------------------------------------------------------------------------


class Significance(enum.StrEnum):
    """An area compared with a benchmark (Fingertips' ``Significance``).

    ``BETTER``/``SIMILAR``/``WORSE`` when the polarity makes a judgement; ``HIGHER``/``LOWER``
    when it does not; ``BEST``/``WORST`` (``HIGHEST``/``LOWEST`` without a judgement) from the
    two-level method beyond the 99.8% interval; ``NOT_COMPARED`` where data are missing
    (Fingertips' "None").
    """

    BETTER = "BETTER"
    SIMILAR = "SIMILAR"
    WORSE = "WORSE"
    HIGHER = "HIGHER"
    LOWER = "LOWER"
    BEST = "BEST"
    WORST = "WORST"
    HIGHEST = "HIGHEST"
    LOWEST = "LOWEST"
    NOT_COMPARED = "NOT_COMPARED"

    @property
    def label(self) -> str:
        """Wording for a table: ``"Better"``, ``"Similar"``, ``"Not compared"``...

        >>> Significance.NOT_COMPARED.label
        'Not compared'
        """
        return self.value.replace("_", " ").capitalize()


class Comparison(enum.StrEnum):
    """A value compared with a goal (Fingertips' target comparers): ``SAME`` is inside a range
    goal or, with an interval, not distinguishable from a single goal."""

    BETTER = "BETTER"
    SAME = "SAME"
    WORSE = "WORSE"
    NOT_COMPARED = "NOT_COMPARED"


class FunnelSignificance(enum.StrEnum):
    """Where a point falls on a PHE funnel plot (``assign_funnel_significance``).

    ``HIGH_99.8`` / ``LOW_99.8`` beyond the 99.8% (three-sigma) limits, ``HIGH_95`` / ``LOW_95``
    beyond the 95% (two-sigma) limits only; ``NOT_APPLICABLE`` where PHE gives no verdict (a
    directly standardised rate from fewer than 10 events) or where the data are missing.
    """

    HIGH_998 = "HIGH_99.8"
    HIGH_95 = "HIGH_95"
    NOT_SIGNIFICANT = "NOT_SIGNIFICANT"
    LOW_95 = "LOW_95"
    LOW_998 = "LOW_99.8"
    NOT_APPLICABLE = "NOT_APPLICABLE"

    @property
    def label(self) -> str:
        """PHEindicatormethods' wording, e.g. ``"High (0.001)"`` for ``HIGH_99.8``.

        >>> FunnelSignificance.LOW_95.label
        'Low (0.025)'
        """
        return _FUNNEL_LABELS[self]


_FUNNEL_LABELS = {
    FunnelSignificance.HIGH_998: "High (0.001)",
    FunnelSignificance.HIGH_95: "High (0.025)",
    FunnelSignificance.NOT_SIGNIFICANT: "Not significant",
    FunnelSignificance.LOW_95: "Low (0.025)",
    FunnelSignificance.LOW_998: "Low (0.001)",
    FunnelSignificance.NOT_APPLICABLE: "Not applicable",
}


class Trend(enum.StrEnum):
    """Fingertips' recent-trend marker, with the polarity's judgement already applied.

    Each member carries its own wording in :attr:`label`, so no polarity is needed to read it:
    :func:`recent_trend` resolves the direction against the polarity once, when it computes the
    marker (``INCREASING_GETTING_BETTER`` where higher is better, plain ``INCREASING`` where the
    polarity makes no judgement). :meth:`from_marker` does the same for a raw Fingertips marker.
    """

    INCREASING_GETTING_BETTER = "INCREASING_GETTING_BETTER"
    INCREASING_GETTING_WORSE = "INCREASING_GETTING_WORSE"
    INCREASING = "INCREASING"
    DECREASING_GETTING_BETTER = "DECREASING_GETTING_BETTER"
    DECREASING_GETTING_WORSE = "DECREASING_GETTING_WORSE"
    DECREASING = "DECREASING"
    NO_SIGNIFICANT_CHANGE = "NO_SIGNIFICANT_CHANGE"
    CANNOT_BE_CALCULATED = "CANNOT_BE_CALCULATED"

    @property
    def label(self) -> str:
        """Fingertips' wording (``TrendMarkerLabelProvider``).

        >>> Trend.INCREASING_GETTING_WORSE.label
        'Increasing and getting worse'
        """
        words = self.value.lower().split("_")
        if self is Trend.NO_SIGNIFICANT_CHANGE:
            return "No significant change"
        if self is Trend.CANNOT_BE_CALCULATED:
            return "Cannot be calculated"
        head = words[0].capitalize()
        return head if len(words) == 1 else f"{head} and getting {words[-1]}"

    @classmethod
    def from_marker(cls, marker: object, polarity: object) -> Trend:
        """The member for a Fingertips ``TrendMarker`` (name or id: 0 CannotBeCalculated,
        1 Increasing, 2 Decreasing, 3 NoChange) read under ``polarity``.

        >>> Trend.from_marker("Increasing", "lower")
        <Trend.INCREASING_GETTING_WORSE: 'INCREASING_GETTING_WORSE'>
        >>> Trend.from_marker(2, "none").label
        'Decreasing'
        """
        names = {0: "cannotbecalculated", 1: "increasing", 2: "decreasing", 3: "nochange"}
        key = names.get(marker, "") if isinstance(marker, int) else str(marker)
        key = key.replace("_", "").replace(" ", "").lower()
        if key in ("nochange", "nosignificantchange"):
            return cls.NO_SIGNIFICANT_CHANGE
        if key == "cannotbecalculated":
            return cls.CANNOT_BE_CALCULATED
        if key not in ("increasing", "decreasing"):
            raise ScoringError(
                "marker must be Increasing, Decreasing, NoChange or CannotBeCalculated "
                f"(or 0-3), got {marker!r}"
            )
        return _TREND_TABLE[Polarity.parse(polarity)][1 if key == "increasing" else -1]


# [polarity][+1 increasing | -1 decreasing | 0 no change | 2 cannot]
_TREND_TABLE: dict[Polarity, dict[int, Trend]] = {
    Polarity.HIGHER_IS_BETTER: {
        1: Trend.INCREASING_GETTING_BETTER,
        -1: Trend.DECREASING_GETTING_WORSE,
    },
    Polarity.LOWER_IS_BETTER: {
        1: Trend.INCREASING_GETTING_WORSE,
        -1: Trend.DECREASING_GETTING_BETTER,
    },
    Polarity.NO_JUDGEMENT: {1: Trend.INCREASING, -1: Trend.DECREASING},
}


# --------------------------------------------------------------------------------------------
# Shared validation
# --------------------------------------------------------------------------------------------


def _array(value: Any, name: str) -> FloatArray:
    """Numbers (NaN = missing) as a float array; infinities and text raise, naming ``name``."""
    if isinstance(value, str):
        raise ScoringError(f"{name} must be numbers, got {value!r}")
    array = as_float_array(value, name, error=ScoringError, finite=False)
    if np.isinf(array).any():
        where = tuple(int(i) for i in np.argwhere(np.isinf(array))[0]) if array.ndim else ()
        at = f" at index {where}" if where else ""
        raise ScoringError(f"{name} must be finite or missing (NaN), got an infinite value{at}")
    return array


def _broadcast(named: Mapping[str, FloatArray]) -> list[FloatArray]:
    """Broadcast the arrays together; a mismatch names both fields and both shapes."""
    try:
        return [np.asarray(a) for a in np.broadcast_arrays(*named.values())]
    except ValueError:
        seen: list[tuple[str, tuple[int, ...]]] = []
        for name, array in named.items():
            for other, shape in seen:
                try:
                    np.broadcast_shapes(shape, array.shape)
                except ValueError:
                    raise ScoringError(
                        f"{name} has shape {array.shape} and {other} has shape {shape}: "
                        "they do not broadcast together"
                    ) from None
            seen.append((name, array.shape))
        shapes = ", ".join(f"{n} {s}" for n, s in seen)
        raise ScoringError(f"the inputs do not broadcast together: {shapes}") from None


def _positive(value: Any, name: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ScoringError(f"{name} must be a positive number, got {value!r}") from None
    if not (math.isfinite(number) and number > 0):
        raise ScoringError(f"{name} must be a positive number, got {value!r}")
    return number


def _choice(value: object, name: str, allowed: Sequence[str]) -> str:
    if not isinstance(value, str) or value not in allowed:
        options = ", ".join(repr(a) for a in allowed)
        raise ScoringError(f"{name} must be one of {options}, got {value!r}")
    return value


def _ordered(lower: FloatArray, upper: FloatArray, names: tuple[str, str]) -> None:
    with np.errstate(invalid="ignore"):
        bad = lower > upper
    if bad.any():
        where = tuple(int(i) for i in np.argwhere(bad)[0]) if bad.ndim else ()
        lo, hi = float(lower[where]), float(upper[where])
        at = f" at index {where}" if where else ""
        raise ScoringError(f"{names[0]} must be <= {names[1]}, got {lo!r} > {hi!r}{at}")


def _text(
    kind: type[enum.StrEnum], table: Sequence[str], codes: npt.NDArray[np.int8], scalar: bool
) -> Any:
    """Text of ``table[code]`` per cell; a scalar input gives the enum member."""
    out = np.asarray(table)[codes]
    return kind(out.item()) if scalar else out


# --------------------------------------------------------------------------------------------
# compare: significance against a benchmark
# --------------------------------------------------------------------------------------------

CompareMethod = Literal[
    "single_overlap", "double_overlap", "two_level", "spc_proportion", "spc_dsr"
]

_NEEDS: dict[str, tuple[str, ...]] = {
    "single_overlap": ("lower", "upper"),
    "double_overlap": ("lower", "upper", "benchmark_lower", "benchmark_upper"),
    "two_level": ("lower", "upper", "lower_998", "upper_998"),
    "spc_proportion": ("denominator",),
    "spc_dsr": ("denominator",),
}

# raw direction codes of the area relative to the benchmark, before the polarity is applied
_NONE, _LOW, _SAME, _HIGH, _LOWEST, _HIGHEST = range(6)

_SIGNIFICANCE_TABLE: dict[Polarity, tuple[str, ...]] = {
    Polarity.HIGHER_IS_BETTER: ("NOT_COMPARED", "WORSE", "SIMILAR", "BETTER", "WORST", "BEST"),
    Polarity.LOWER_IS_BETTER: ("NOT_COMPARED", "BETTER", "SIMILAR", "WORSE", "BEST", "WORST"),
    Polarity.NO_JUDGEMENT: ("NOT_COMPARED", "LOWER", "SIMILAR", "HIGHER", "LOWEST", "HIGHEST"),
}


@overload
def compare(
    value: float,
    benchmark: float,
    *,
    polarity: object,
    lower: float | None = ...,
    upper: float | None = ...,
    benchmark_lower: float | None = ...,
    benchmark_upper: float | None = ...,
    lower_998: float | None = ...,
    upper_998: float | None = ...,
    denominator: float | None = ...,
    per: float = ...,
    confidence: float = ...,
    method: CompareMethod = ...,
) -> Significance: ...


@overload
def compare(
    value: npt.ArrayLike,
    benchmark: npt.ArrayLike,
    *,
    polarity: object,
    lower: npt.ArrayLike | None = ...,
    upper: npt.ArrayLike | None = ...,
    benchmark_lower: npt.ArrayLike | None = ...,
    benchmark_upper: npt.ArrayLike | None = ...,
    lower_998: npt.ArrayLike | None = ...,
    upper_998: npt.ArrayLike | None = ...,
    denominator: npt.ArrayLike | None = ...,
    per: float = ...,
    confidence: float = ...,
    method: CompareMethod = ...,
) -> TextResult: ...


def compare(
    value: npt.ArrayLike,
    benchmark: npt.ArrayLike,
    *,
    polarity: object,
    lower: npt.ArrayLike | None = None,
    upper: npt.ArrayLike | None = None,
    benchmark_lower: npt.ArrayLike | None = None,
    benchmark_upper: npt.ArrayLike | None = None,
    lower_998: npt.ArrayLike | None = None,
    upper_998: npt.ArrayLike | None = None,
    denominator: npt.ArrayLike | None = None,
    per: float = 1,
    confidence: float = 0.95,
    method: CompareMethod = "single_overlap",
) -> Significance | TextResult:
    """Significance of each area's value against a benchmark, as Fingertips' comparers judge it.

    With ``B`` the benchmark value, ``[L, U]`` the area's interval and ``V`` its value (bounds
    inclusive throughout, as Fingertips):

    * ``"single_overlap"`` (Fingertips comparator 1, "CIs overlapping reference value"):
      SIMILAR if ``L <= B <= U``; otherwise LOWER if ``V < B`` else HIGHER.
    * ``"double_overlap"``: SIMILAR if the two intervals overlap (``L <= U_B`` when ``V < B``,
      else ``L_B <= U``); otherwise LOWER/HIGHER as above. The change between two periods is
      this method with the earlier period as the benchmark.
    * ``"two_level"`` (comparator 17, 95% and 99.8%): SIMILAR inside the 95% interval; HIGHER
      if ``L998 <= B <= L``, LOWER if ``U <= B <= U998``; beyond the 99.8% interval HIGHEST /
      LOWEST.
    * ``"spc_proportion"`` (SPC for proportions): control limits around the benchmark
      proportion ``P0 = B/per`` for the area's denominator ``N``, with ``E = N P0`` and ``z``
      for ``confidence``: ``(2E + z^2 -/+ z sqrt(z^2 + 4E(1 - P0))) / (2(N + z^2))``;
      HIGHER if ``V/per`` is above the upper limit, LOWER if below the lower (strictly).
    * ``"spc_dsr"`` (SPC for DSRs): with ``E = B N / per`` expected events for the population
      ``N``, the exact Poisson limits at one-sided ``p = (1 - confidence)/2`` - the mean with
      ``P(X >= ceil(E)) = p`` and the mean with ``P(X <= floor(E)) = p`` (Fingertips sums the
      Poisson probabilities over whole counts) - times ``per / N``; compared strictly.

    Then the polarity names the direction: HIGHER is BETTER where higher is better and WORSE
    where lower is better (HIGHEST -> BEST/WORST likewise); with polarity ``"none"`` the
    directions stay HIGHER/LOWER. Missing data (NaN in any input the method needs, or a
    denominator <= 0) give NOT_COMPARED.

    Parameters
    ----------
    value, benchmark : array_like
        The areas' values and the benchmark (e.g. England), broadcast together.
    polarity : {"higher", "lower", "none"} or Polarity
        Which direction is good.
    lower, upper : array_like, optional
        The value's confidence interval (95% for the overlap methods; compute it with
        :mod:`outcomes.stats`). Needed by the three overlap methods.
    benchmark_lower, benchmark_upper : array_like, optional
        The benchmark's interval (``"double_overlap"``).
    lower_998, upper_998 : array_like, optional
        The value's 99.8% interval (``"two_level"``).
    denominator : array_like, optional
        The area's denominator (``"spc_proportion"``) or population (``"spc_dsr"``).
    per : float, default 1
        The values' multiplier: 100 for a percentage, 100,000 for a rate per 100,000 (SPC
        methods).
    confidence : float, default 0.95
        The control limits' level for the SPC methods (Fingertips uses 0.95 or 0.998). The
        overlap methods use the intervals as given and ignore it.
    method : str, default "single_overlap"
        One of the five methods above. Arguments a method does not use are ignored.

    Returns
    -------
    numpy.ndarray of str, or Significance
        :class:`Significance` values of the broadcast shape (one member for scalar inputs).

    Raises
    ------
    ScoringError
        An unknown method, a missing argument the method needs, an interval with
        lower > upper, an infinite value, shapes that do not broadcast, a benchmark proportion
        outside [0, 1] or a negative benchmark rate (SPC methods).

    References
    ----------
    Fingertips ``SingleOverlappingCIsForOneCILevelComparer``,
    ``SingleOverlappingCIsForTwoCILevelsComparer``, ``DoubleOverlappingCIsComparer``,
    ``SpcForProportionsComparer``, ``SpcForDsrComparer`` (fingertips-open, commit 6780897, MIT).
    APHO Technical Briefing 2, *Statistical process control methods in public health
    intelligence* (2008). Flowers J. (2007) *Technical Briefing 3: Commonly used public health
    statistics and their confidence intervals*, APHO.

    Examples
    --------
    >>> compare([3.3, 2.9, 4.5], 3.0, polarity="lower",
    ...         lower=[3.2, 2.5, 4.1], upper=[3.5, 3.2, 4.9]).tolist()
    ['WORSE', 'SIMILAR', 'WORSE']
    >>> compare(2.6, 3.0, polarity="higher", lower=2.5, upper=2.7, lower_998=2.3,
    ...         upper_998=2.9, method="two_level")
    <Significance.WORST: 'WORST'>
    >>> compare(float("nan"), 3.0, polarity="higher", lower=1.0, upper=2.0)
    <Significance.NOT_COMPARED: 'NOT_COMPARED'>
    """
    pol = Polarity.parse(polarity)
    name = _choice(method, "method", tuple(_NEEDS))
    given = {
        "lower": lower,
        "upper": upper,
        "benchmark_lower": benchmark_lower,
        "benchmark_upper": benchmark_upper,
        "lower_998": lower_998,
        "upper_998": upper_998,
        "denominator": denominator,
    }
    missing = [n for n in _NEEDS[name] if given[n] is None]
    if missing:
        raise ScoringError(
            f"method={name!r} needs {', '.join(_NEEDS[name])}; missing: {', '.join(missing)}"
        )
    named = {"value": _array(value, "value"), "benchmark": _array(benchmark, "benchmark")}
    for field in _NEEDS[name]:
        named[field] = _array(given[field], field)
    scalar = all(a.ndim == 0 for a in named.values())
    arrays = dict(zip(named, _broadcast(named), strict=True))
    v, b = arrays["value"], arrays["benchmark"]
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        if name in ("single_overlap", "double_overlap", "two_level"):
            codes = _overlap_codes(name, v, b, arrays)
        else:
            codes = _spc_codes(name, v, b, arrays["denominator"], _positive(per, "per"), confidence)
    return _text(Significance, _SIGNIFICANCE_TABLE[pol], codes, scalar)  # type: ignore[no-any-return]


def _direction(v: FloatArray, b: FloatArray) -> npt.NDArray[np.int8]:
    return np.where(v < b, np.int8(_LOW), np.int8(_HIGH))


def _overlap_codes(
    name: str, v: FloatArray, b: FloatArray, arrays: Mapping[str, FloatArray]
) -> npt.NDArray[np.int8]:
    lo, hi = arrays["lower"], arrays["upper"]
    _ordered(lo, hi, ("lower", "upper"))
    valid = ~(np.isnan(v) | np.isnan(b) | np.isnan(lo) | np.isnan(hi))
    if name == "single_overlap":
        similar = (b >= lo) & (b <= hi)
        codes = np.where(similar, np.int8(_SAME), _direction(v, b))
    elif name == "double_overlap":
        blo, bhi = arrays["benchmark_lower"], arrays["benchmark_upper"]
        _ordered(blo, bhi, ("benchmark_lower", "benchmark_upper"))
        valid &= ~(np.isnan(blo) | np.isnan(bhi))
        overlap = np.where(b < v, lo <= bhi, blo <= hi)
        codes = np.where(overlap, np.int8(_SAME), _direction(v, b))
    else:
        lo3, hi3 = arrays["lower_998"], arrays["upper_998"]
        _ordered(lo3, hi3, ("lower_998", "upper_998"))
        valid &= ~(np.isnan(lo3) | np.isnan(hi3))
        beyond = np.where(v < b, np.int8(_LOWEST), np.int8(_HIGHEST))
        codes = np.where(
            (b >= lo) & (b <= hi),
            np.int8(_SAME),
            np.where(
                (b <= lo) & (b >= lo3),
                np.int8(_HIGH),
                np.where((b <= hi3) & (b >= hi), np.int8(_LOW), beyond),
            ),
        )
    codes = np.asarray(codes, dtype=np.int8)
    codes[~valid] = _NONE
    return codes


def _spc_codes(
    name: str, v: FloatArray, b: FloatArray, n: FloatArray, per: float, confidence: float
) -> npt.NDArray[np.int8]:
    conf = _confidence(confidence)
    valid = ~(np.isnan(v) | np.isnan(b) | np.isnan(n)) & (n > 0)
    if name == "spc_proportion":
        p0 = b / per
        bad = valid & ((p0 < 0) | (p0 > 1))
        if bad.any():
            raise ScoringError(
                f"benchmark must be a proportion between 0 and per={per:g}, "
                f"got {float(b[bad].flat[0])!r}"
            )
        z = z_value(conf)
        nn = np.where(valid, n, 1.0)
        expected = nn * np.where(valid, p0, 0.0)
        spread = z * np.sqrt(z * z + 4 * expected * (1 - np.where(valid, p0, 0.0)))
        centre, scale = 2 * expected + z * z, 2 * (nn + z * z)
        low_limit, high_limit, observed = (
            (centre - spread) / scale,
            (centre + spread) / scale,
            v / per,
        )
    else:
        from scipy.special import gammainccinv, gammaincinv

        bad = valid & (b < 0)
        if bad.any():
            raise ScoringError(f"benchmark must be a rate >= 0, got {float(b[bad].flat[0])!r}")
        p = (1.0 - conf) / 2.0
        nn = np.where(valid, n, 1.0)
        expected = np.where(valid, b, 0.0) * nn / per
        up, down = np.ceil(expected), np.floor(expected)
        low_mean = np.where(up > 0, gammaincinv(np.maximum(up, 1.0), p), 0.0)
        high_mean = gammainccinv(down + 1.0, p)
        low_limit, high_limit, observed = low_mean / nn * per, high_mean / nn * per, v
    codes = np.where(
        high_limit < observed,
        np.int8(_HIGH),
        np.where(low_limit > observed, np.int8(_LOW), np.int8(_SAME)),
    )
    codes = np.asarray(codes, dtype=np.int8)
    codes[~valid] = _NONE
    return codes


# --------------------------------------------------------------------------------------------
# compare_to_goal: Fingertips' target comparers
# --------------------------------------------------------------------------------------------

_B, _S, _W, _N = "BETTER", "SAME", "WORSE", "NOT_COMPARED"
# [polarity] -> text for codes 0 not compared, 1 below, 2 inside/indistinguishable, 3 at/above
_GOAL_TABLE: dict[Polarity, tuple[str, ...]] = {
    Polarity.HIGHER_IS_BETTER: (_N, _W, _S, _B),
    Polarity.LOWER_IS_BETTER: (_N, _B, _S, _W),
    Polarity.NO_JUDGEMENT: (_N, _N, _N, _N),
}


@overload
def compare_to_goal(
    value: float,
    goal: float | tuple[float, float],
    polarity: object,
    *,
    lower: float | None = ...,
    upper: float | None = ...,
) -> Comparison: ...


@overload
def compare_to_goal(
    value: npt.ArrayLike,
    goal: npt.ArrayLike | tuple[npt.ArrayLike, npt.ArrayLike],
    polarity: object,
    *,
    lower: npt.ArrayLike | None = ...,
    upper: npt.ArrayLike | None = ...,
) -> TextResult: ...


def compare_to_goal(
    value: npt.ArrayLike,
    goal: npt.ArrayLike | tuple[npt.ArrayLike, npt.ArrayLike],
    polarity: object,
    *,
    lower: npt.ArrayLike | None = None,
    upper: npt.ArrayLike | None = None,
) -> Comparison | TextResult:
    """Fingertips' "compared to goal": BETTER / SAME / WORSE per value.

    * **Single goal** ``g``: BETTER when the goal is reached - ``V >= g`` where higher is
      better, ``V <= g`` where lower is better (equality is BETTER for either polarity) -
      otherwise WORSE.
    * **Range goal** ``goal=(low, high)`` (a tuple, e.g. an :class:`~outcomes.stats.Interval`;
      each end may be an array): ``low <= V < high`` is SAME whatever the polarity; below
      ``low`` and at or above ``high`` are the ends, BETTER/WORSE by polarity (below is WORSE
      where higher is better, BETTER where lower is better).
    * **With the value's interval** ``lower``/``upper`` (Fingertips' "use CIs for limit"), the
      interval is compared instead of the value: at or above the goal when ``lower >= g``
      (BETTER where higher is better, WORSE where lower is better), below when ``upper < g``,
      otherwise SAME. For a range goal (an extension: Fingertips has no interval rule for
      ranges), above when ``lower >= high``, below when ``upper < low``, otherwise SAME.
    * A missing value, interval or goal (NaN), or a polarity with no judgement, gives
      NOT_COMPARED.

    Fingertips' bespoke targets are goals too: its **percentile-range** target is the range
    goal of the two percentile values (:func:`percentile_range_goal`), and its
    **previous-year England** target is the single goal of last year's England value judged
    higher-is-better whatever the indicator's polarity:
    ``compare_to_goal(value, england_last_year, "higher")``.

    Parameters
    ----------
    value : array_like
        Values (NaN where missing).
    goal : float, array_like or tuple (low, high)
        One goal per value (broadcast), or a range as a tuple. A list is an array of single
        goals, never a range.
    polarity : {"higher", "lower", "none"} or Polarity
        Which direction is good.
    lower, upper : array_like, optional
        The value's 95% confidence interval; give both or neither.

    Returns
    -------
    numpy.ndarray of str, or Comparison
        :class:`Comparison` values of the broadcast shape (one member for scalar inputs).

    Raises
    ------
    ScoringError
        A range goal with ``low > high``, only one of ``lower``/``upper``, an interval with
        lower > upper, text or infinite values, or shapes that do not broadcast.

    References
    ----------
    Fingertips ``SingleValueTargetComparer``, ``RangeTargetComparer``,
    ``BespokeTargetPercentileRangeComparer``, ``BespokeTargetPreviousYearEnglandValueComparer``
    (fingertips-open, commit 6780897, MIT).

    Examples
    --------
    >>> compare_to_goal([80.0, 75.0, 70.0], 75.0, "higher").tolist()
    ['BETTER', 'BETTER', 'WORSE']
    >>> compare_to_goal([5.0, 10.0, 12.0, 15.0], (10.0, 15.0), "lower").tolist()
    ['BETTER', 'SAME', 'SAME', 'WORSE']
    >>> compare_to_goal(8.5, 10.0, "lower", lower=8.0, upper=9.0)
    <Comparison.BETTER: 'BETTER'>
    >>> compare_to_goal(8.5, 10.0, "none")
    <Comparison.NOT_COMPARED: 'NOT_COMPARED'>
    """
    pol = Polarity.parse(polarity)
    if (lower is None) != (upper is None):
        raise ScoringError("give both lower and upper (the value's interval), or neither")
    named: dict[str, FloatArray] = {"value": _array(value, "value")}
    is_range = isinstance(goal, tuple)
    if is_range:
        ends = tuple(goal)  # type: ignore[arg-type]
        if len(ends) != 2:
            raise ScoringError(f"a range goal must be a tuple (low, high), got {goal!r}")
        named["goal low"] = _array(ends[0], "goal low")
        named["goal high"] = _array(ends[1], "goal high")
    else:
        named["goal"] = _array(goal, "goal")
    if lower is not None:
        named["lower"] = _array(lower, "lower")
        named["upper"] = _array(upper, "upper")
    scalar = all(a.ndim == 0 for a in named.values())
    try:
        arrays = dict(zip(named, _broadcast(named), strict=True))
    except ScoringError as error:
        hint = "" if is_range else "; pass a tuple (low, high) for a range goal"
        raise ScoringError(f"{error}{hint}") from None
    v = arrays["value"]
    if is_range:
        low, high = arrays["goal low"], arrays["goal high"]
        _ordered(low, high, ("goal low", "goal high"))
    else:
        low = high = arrays["goal"]
    interval = "lower" in arrays
    with np.errstate(all="ignore"):
        if interval:
            lo, hi = arrays["lower"], arrays["upper"]
            _ordered(lo, hi, ("lower", "upper"))
            above, below = lo >= high, hi < low
            valid = ~(np.isnan(v) | np.isnan(lo) | np.isnan(hi) | np.isnan(low) | np.isnan(high))
        else:
            above, below = v >= high, v < low
            valid = ~(np.isnan(v) | np.isnan(low) | np.isnan(high))
        if not is_range and not interval and pol is Polarity.LOWER_IS_BETTER:
            # a single goal: reaching it is BETTER for either polarity
            below, above = v <= low, v > low
    codes = np.where(above, np.int8(3), np.where(below, np.int8(1), np.int8(2)))
    codes = np.asarray(codes, dtype=np.int8)
    codes[~valid] = 0
    return _text(Comparison, _GOAL_TABLE[pol], codes, scalar)  # type: ignore[no-any-return]


def percentile_range_goal(
    peers: npt.ArrayLike, lower_percentile: float, upper_percentile: float
) -> Interval:
    """Fingertips' percentile-range target: the peers' values at two percentiles, as a range
    goal for :func:`compare_to_goal`.

    ``P(q)`` takes the 1-based position ``h = (N - 1) q/100 + 1`` in the sorted non-missing
    peer values and interpolates linearly (Excel PERCENTILE.INC), rounded to 10 decimal places,
    as Fingertips' ``BespokeTargetPercentileRangeCalculator``. Fingertips needs more than 3
    values; with fewer the goal is missing (NaN, so :func:`compare_to_goal` gives NOT_COMPARED;
    Fingertips would use 0).

    Parameters
    ----------
    peers : array_like
        The comparator areas' values (e.g. all upper-tier local authorities), NaN ignored.
    lower_percentile, upper_percentile : float
        Percentiles between 0 and 100, e.g. 50 and 90.

    Returns
    -------
    Interval
        ``(low, high)``, a range goal.

    Raises
    ------
    ScoringError
        Percentiles outside [0, 100] or in the wrong order; text or infinite peer values.

    References
    ----------
    Fingertips ``BespokeTargetPercentileRangeCalculator`` and ``ValueCategoriesCalculator``
    (fingertips-open, commit 6780897, MIT).

    Examples
    --------
    >>> goal = percentile_range_goal(range(1, 11), 50, 90)
    >>> goal
    Interval(lower=5.5, upper=9.1)
    >>> compare_to_goal(9.3, goal, "higher")
    <Comparison.BETTER: 'BETTER'>
    """
    values = _array(peers, "peers").ravel()
    values = np.sort(values[~np.isnan(values)])
    qs = []
    for name, q in (("lower_percentile", lower_percentile), ("upper_percentile", upper_percentile)):
        try:
            number = float(q)
        except (TypeError, ValueError):
            raise ScoringError(f"{name} must be a number in [0, 100], got {q!r}") from None
        if not 0.0 <= number <= 100.0:
            raise ScoringError(f"{name} must be a number in [0, 100], got {q!r}")
        qs.append(number / 100.0)
    if qs[0] > qs[1]:
        raise ScoringError(
            f"lower_percentile must be <= upper_percentile, got {lower_percentile!r} > "
            f"{upper_percentile!r}"
        )
    if values.size <= 3:
        return Interval(math.nan, math.nan)
    from outcomes._arrays import round_half_up

    bounds = np.quantile(values, qs, method="linear")
    low, high = (float(round_half_up(x, 10)) for x in bounds)
    return Interval(low, high)


# --------------------------------------------------------------------------------------------
# Funnel plots (PHE)
# --------------------------------------------------------------------------------------------

Statistic = Literal["proportion", "ratio", "rate"]
_STATISTICS = ("proportion", "ratio", "rate")
_FUNNEL_TEXT = ("NOT_APPLICABLE", "HIGH_99.8", "HIGH_95", "NOT_SIGNIFICANT", "LOW_95", "LOW_99.8")
_TWO_SIGMA, _THREE_SIGMA = 0.95, 0.998


def _count_interval(count: FloatArray, confidence: float) -> tuple[FloatArray, FloatArray]:
    """PHE's interval for an observed count: exact Poisson below 10 events, Byar from 10."""
    from scipy.special import chdtri, ndtri

    z = float(ndtri(0.5 + confidence / 2.0))
    alpha = 1.0 - confidence
    x = np.where(np.isnan(count), 0.0, count)
    safe = np.maximum(x, 1.0)
    a = 1 - 1 / (9 * safe) - z / (3 * np.sqrt(safe))
    low = np.array(safe * (a * a * a), dtype=np.float64)
    b = 1 - 1 / (9 * (x + 1)) + z / (3 * np.sqrt(x + 1))
    high = np.array((x + 1) * (b * b * b), dtype=np.float64)
    small = x < 10
    if small.any():  # the exact limits only where needed: they cost 50 times Byar's
        few = x[small]
        low[small] = np.where(few > 0, chdtri(2 * np.maximum(few, 1.0), 1 - alpha / 2) / 2, 0.0)
        high[small] = chdtri(2 * few + 2, alpha / 2) / 2
    return low, high


def _funnel_inputs(
    numerator: Any,
    denominator: Any,
    statistic: str,
    per: float,
    rate: Any,
    rate_type: str,
) -> tuple[FloatArray, FloatArray, bool]:
    """Numerator, the denominator the method uses (PHE's ``denominator_derived``), scalar flag."""
    named: dict[str, FloatArray] = {"numerator": _array(numerator, "numerator")}
    if denominator is not None:
        named["denominator"] = _array(denominator, "denominator")
    if rate is not None and statistic == "rate":
        named["rate"] = _array(rate, "rate")
    scalar = all(a.ndim == 0 for a in named.values())
    arrays = dict(zip(named, _broadcast(named), strict=True))
    n = arrays["numerator"]
    with np.errstate(all="ignore"):
        if (n < 0).any():
            raise ScoringError(f"numerator must be >= 0, got {float(n[n < 0].flat[0])!r}")
        d = arrays.get("denominator")
        if d is not None and (d <= 0).any():
            raise ScoringError(f"denominator must be > 0, got {float(d[d <= 0].flat[0])!r}")
        if statistic in ("proportion", "ratio"):
            if d is None:
                raise ScoringError(f"statistic={statistic!r} needs a denominator")
            if statistic == "proportion" and (n > d).any():
                bad = np.argwhere(n > d)[0] if n.ndim else ()
                raise ScoringError(
                    "numerator must be <= denominator for a proportion, got "
                    f"{float(n[tuple(bad)])!r} > {float(d[tuple(bad)])!r}"
                )
            return n, d, scalar
        r = arrays.get("rate")
        if r is None:
            if rate_type == "dsr":
                raise ScoringError("rate_type='dsr' needs the rate (the DSRs)")
            if d is None:
                raise ScoringError("statistic='rate' needs a denominator or a rate")
            return n, d, scalar
        if (r < 0).any():
            raise ScoringError(f"rate must be >= 0, got {float(r[r < 0].flat[0])!r}")
        if ((r == 0) & (n > 0)).any():
            raise ScoringError(
                "rate must be > 0 where numerator > 0 (the rate gives the population)"
            )
        derived = per * n / np.where(r > 0, r, 1.0)
        if (~(derived > 0) & (n > 0)).any() or np.isinf(derived).any():
            raise ScoringError(
                "the population implied by per * numerator / rate is not a positive finite "
                "number: check the rates against the numerators"
            )
        if rate_type == "dsr":
            derived = np.where(n > 0, derived, np.nan)
        else:
            zero = n == 0
            if zero.any():
                if d is None:
                    raise ScoringError(
                        "a crude rate with 0 events needs the denominator (the population)"
                    )
                derived = np.where(zero, d, derived)
        return n, np.asarray(derived, dtype=np.float64), scalar


def _funnel_args(statistic: object, rate_type: object, per: object) -> tuple[str, str, float]:
    stat = _choice(statistic, "statistic", _STATISTICS)
    kind = _choice(rate_type, "rate_type", ("crude", "dsr"))
    return stat, kind, _positive(per, "per")


@overload
def funnel_significance(
    numerator: float,
    denominator: float | None,
    *,
    statistic: Statistic,
    target: float | None = ...,
    per: float = ...,
    rate: float | None = ...,
    rate_type: Literal["crude", "dsr"] = ...,
) -> FunnelSignificance: ...


@overload
def funnel_significance(
    numerator: npt.ArrayLike,
    denominator: npt.ArrayLike | None,
    *,
    statistic: Statistic,
    target: float | None = ...,
    per: float = ...,
    rate: npt.ArrayLike | None = ...,
    rate_type: Literal["crude", "dsr"] = ...,
) -> TextResult: ...


def funnel_significance(
    numerator: npt.ArrayLike,
    denominator: npt.ArrayLike | None,
    *,
    statistic: Statistic,
    target: float | None = None,
    per: float = 1,
    rate: npt.ArrayLike | None = None,
    rate_type: Literal["crude", "dsr"] = "crude",
) -> FunnelSignificance | TextResult:
    """Where each area falls on PHE's funnel plot: beyond the 99.8% or 95% control limits.

    * ``"proportion"``: the limits around the target proportion ``p0`` for a denominator ``n``
      are ``p0 -/+ z sqrt(p0 (1 - p0) / n)`` (the proportions whose Wilson score interval just
      reaches ``p0``); the area's ``numerator/denominator`` is compared strictly.
    * ``"ratio"`` (observed / expected): the area's interval of the observed count ``O``
      (exact Poisson below 10 events, Byar from 10) divided by the expected count is compared
      with the target ratio (1, i.e. ``per`` on the ``per`` scale, unless given).
    * ``"rate"``: the same interval of the events divided by the population - the
      ``denominator`` for a crude rate, or ``per * numerator / rate`` when ``rate`` is given
      (for a DSR always; a crude rate with 0 events keeps its denominator) - compared with the
      pooled rate. A DSR from fewer than 10 events is NOT_APPLICABLE.

    ``target=None`` uses PHE's pooled value from the data: ``sum(numerator) / sum(denominator)``
    over the areas with data (for rates, over the derived populations). Areas with a missing
    numerator or denominator (NaN) are left out of the pooled value and marked NOT_APPLICABLE.

    Parameters
    ----------
    numerator : array_like
        Events (observed counts), >= 0.
    denominator : array_like or None
        Denominators (proportion), expected counts (ratio), populations (crude rate); may be
        None for a rate when ``rate`` is given.
    statistic : {"proportion", "ratio", "rate"}
        The indicator's statistic.
    target : float, optional
        The benchmark on the ``per`` scale (e.g. England's 95.6 per 100,000); by default the
        pooled value (proportion, rate) or 1 (ratio).
    per : float, default 1
        The values' multiplier (100 for a percentage or an ISR, 100,000 for a rate).
    rate : array_like, optional
        The areas' rates on the ``per`` scale (needed for ``rate_type="dsr"``).
    rate_type : {"crude", "dsr"}, default "crude"
        For ``statistic="rate"``: a crude or a directly standardised rate.

    Returns
    -------
    numpy.ndarray of str, or FunnelSignificance
        :class:`FunnelSignificance` values (one member for scalar inputs).

    Raises
    ------
    ScoringError
        Negative numerators, denominators <= 0, a numerator above its denominator
        (proportion), a missing argument, a target outside [0, per] (proportion), an unknown
        statistic or rate type, no usable rows for the pooled value.

    References
    ----------
    Public Health England (2017) *Technical Guide: Funnel Plots*, Fingertips guidance.
    Spiegelhalter D.J. (2005) Funnel plots for comparing institutional performance, Stat Med
    24:1185-1202. PHEindicatormethods ``assign_funnel_significance`` (v2.1.0, method only).

    Examples
    --------
    >>> funnel_significance([10232, 12321, 15123, 13213], [15232, 16123, 17932, 18475],
    ...                     statistic="proportion", per=100).tolist()
    ['LOW_99.8', 'HIGH_99.8', 'HIGH_99.8', 'LOW_99.8']
    >>> funnel_significance(25, 10.0, statistic="ratio")
    <FunnelSignificance.HIGH_998: 'HIGH_99.8'>
    """
    stat, kind, scale = _funnel_args(statistic, rate_type, per)
    n, d, scalar = _funnel_inputs(numerator, denominator, stat, scale, rate, kind)
    valid = ~(np.isnan(n) | np.isnan(d))
    if target is not None:
        t = _array(target, "target")
        if t.ndim or np.isnan(t):
            raise ScoringError(f"target must be one number, got {target!r}")
        reference = float(t) / scale
    elif stat == "ratio":
        reference = 1.0
    else:
        if not valid.any():
            raise ScoringError("no area has both a numerator and a denominator to pool")
        with np.errstate(all="ignore"):
            reference = float(np.sum(n[valid]) / np.sum(d[valid]))
        if not math.isfinite(reference):
            raise ScoringError(
                f"the pooled value is not finite ({reference!r}): check the denominators"
            )
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        if stat == "proportion":
            if not 0.0 <= reference <= 1.0:
                raise ScoringError(f"target must be between 0 and per={scale:g}, got {target!r}")
            from scipy.special import ndtri

            observed = n / d
            spread = np.sqrt(reference * (1 - reference) / np.where(valid, d, 1.0))
            z2, z3 = float(ndtri(0.975)), float(ndtri(0.999))
            low3, low2 = reference - z3 * spread, reference - z2 * spread
            high3, high2 = reference + z3 * spread, reference + z2 * spread
            codes = np.select(
                [observed < low3, observed < low2, observed > high3, observed > high2],
                [np.int8(5), np.int8(4), np.int8(1), np.int8(2)],
                np.int8(3),
            )
        else:
            if reference < 0:
                raise ScoringError(f"target must be >= 0, got {target!r}")
            lo2, hi2 = _count_interval(n, _TWO_SIGMA)
            lo3, hi3 = _count_interval(n, _THREE_SIGMA)
            dd = np.where(valid, d, 1.0)
            codes = np.select(
                [
                    reference < lo3 / dd,
                    reference < lo2 / dd,
                    reference > hi3 / dd,
                    reference > hi2 / dd,
                ],
                [np.int8(1), np.int8(2), np.int8(5), np.int8(4)],
                np.int8(3),
            )
            if stat == "rate" and kind == "dsr":
                valid = valid & ~(n < 10)
    codes = np.asarray(codes, dtype=np.int8)
    codes[~valid] = 0
    return _text(FunnelSignificance, _FUNNEL_TEXT, codes, scalar)  # type: ignore[no-any-return]


def _poisson_curves(mean: FloatArray, confidence: float) -> tuple[FloatArray, FloatArray]:
    """Observed counts (continuous) on the lower and upper control limits around ``mean``.

    The lower curve is the count whose exact upper limit equals the mean, the upper curve the
    count whose exact lower limit equals it: ``gammaincc(O_L + 1, m) = a/2`` and
    ``gammainc(O_U, m) = a/2`` - what PHE's funnel tools find by a numerical search.
    """
    from scipy.special import ndtri, pdtrik

    alpha = 1.0 - confidence
    m = np.where(np.isnan(mean), 1.0, mean)

    def count(p: float) -> FloatArray:
        # pdtrik inverts gammaincc(k + 1, m) = p in k; beyond 1e9 events it loses accuracy,
        # where the Cornish-Fisher expansion m + z sqrt(m) + (z^2 - 1)/6 - 1/2 is exact to
        # better than 1e-13 relative
        z = float(ndtri(p))
        large = m > 1e9
        asymptotic = m + z * np.sqrt(m) + (z * z - 1) / 6 - 0.5
        exact = pdtrik(p, np.where(large, 1.0, m))
        return np.asarray(np.where(large, asymptotic, exact), dtype=np.float64)

    low = np.where(np.exp(-m) > alpha / 2, 0.0, count(alpha / 2))
    high = count(1 - alpha / 2) + 1.0
    return np.maximum(low, 0.0), high


def funnel_limits(
    denominator: npt.ArrayLike,
    target: float,
    *,
    statistic: Statistic,
    per: float = 1,
    confidence: Sequence[float] = (_TWO_SIGMA, _THREE_SIGMA),
    years_of_data: float = 1,
) -> dict[float, Interval]:
    """PHE funnel-plot control limits at given denominators, one interval per confidence.

    * ``"proportion"`` (denominator = population ``n``, target proportion ``p0 = target/per``):
      ``p0 -/+ z sqrt(p0 (1 - p0)/n)``, kept within ``[0, per]`` - PHE's Wilson-based limits.
    * ``"ratio"`` (denominator = expected count ``E``, target ratio ``t = target/per``) and
      ``"rate"`` (denominator = population per year ``P``, ``E = t P years_of_data`` with the
      target rate ``t = target/per``): the exact Poisson limits ``O_L/E`` and ``O_U/E`` (times
      ``per``, times ``E/(P years)`` for rates), where ``O_L`` is the count whose exact upper
      limit is ``E`` and ``O_U`` the count whose exact lower limit is ``E`` (continuous in the
      count, from the incomplete gamma function). PHE's tools find the same curves by a
      bisection search (to about 1e-4 relative at small counts); :func:`funnel_table`
      reproduces PHE's table of them.

    Parameters
    ----------
    denominator : array_like
        The x axis: populations (proportion), expected counts (ratio) or populations per
        year (rate); > 0.
    target : float
        The benchmark on the ``per`` scale (e.g. the pooled value, or England).
    statistic : {"proportion", "ratio", "rate"}
        The indicator's statistic.
    per : float, default 1
        The values' multiplier.
    confidence : sequence of float, default (0.95, 0.998)
        Levels of the limits (PHE: 95% "2 sigma" and 99.8% "3 sigma").
    years_of_data : float, default 1
        Years pooled in each rate (``"rate"``: the population is per year).

    Returns
    -------
    dict[float, Interval]
        Confidence -> ``Interval(lower, upper)`` on the ``per`` scale, arrays of the
        denominator's shape (floats for a scalar).

    Raises
    ------
    ScoringError
        Non-finite or non-positive denominators, a target outside its range, an unknown
        statistic, a confidence outside (0, 1).

    References
    ----------
    Public Health England (2017) *Technical Guide: Funnel Plots*. Spiegelhalter D.J. (2005)
    Stat Med 24:1185-1202. PHEindicatormethods ``calculate_funnel_limits`` (v2.1.0, method
    only).

    Examples
    --------
    >>> limits = funnel_limits([100, 10_000], 80.0, statistic="proportion", per=100)
    >>> limits[0.95].lower.round(2).tolist()
    [72.16, 79.22]
    >>> lo, hi = funnel_limits(50.0, 100.0, statistic="ratio", per=100)[0.998]
    >>> round(lo, 1), round(hi, 1)
    (58.3, 147.4)
    """
    stat = _choice(statistic, "statistic", _STATISTICS)
    scale = _positive(per, "per")
    years = _positive(years_of_data, "years_of_data")
    x = as_float_array(denominator, "denominator", error=ScoringError)
    if (x <= 0).any():
        raise ScoringError(f"denominator must be > 0, got {float(x[x <= 0].flat[0])!r}")
    t = _array(target, "target")
    if t.ndim or np.isnan(t):
        raise ScoringError(f"target must be one number, got {target!r}")
    reference = float(t) / scale
    levels = [confidence] if isinstance(confidence, int | float) else list(confidence)
    result: dict[float, Interval] = {}
    for level in levels:
        c = _confidence(level)
        with np.errstate(all="ignore"):
            low, high = _limits_at(x, reference, stat, scale, years, c, target)
        if not (np.isfinite(low).all() and np.isfinite(high).all()):
            bad = ~(np.isfinite(low) & np.isfinite(high))
            raise ScoringError(
                "the funnel limits are too large to represent for denominator "
                f"{float(np.broadcast_to(x, bad.shape)[bad].flat[0])!r} (too small a denominator)"
            )
        result[c] = Interval(_scalar(low), _scalar(high))
    return result


def _limits_at(
    x: FloatArray, reference: float, stat: str, scale: float, years: float, c: float, target: Any
) -> tuple[FloatArray, FloatArray]:
    """Lower and upper limits at ``x`` on the ``per`` scale for one confidence level."""
    if stat == "proportion":
        if not 0.0 <= reference <= 1.0:
            raise ScoringError(f"target must be between 0 and per={scale:g}, got {target!r}")
        z = z_value(c)
        spread = z * np.sqrt(reference * (1 - reference) / x)
        low = np.clip(reference - spread, 0.0, 1.0) * scale
        high = np.clip(reference + spread, 0.0, 1.0) * scale
    else:
        if reference < 0:
            raise ScoringError(f"target must be >= 0, got {target!r}")
        exposure = x * years if stat == "rate" else x
        o_low, o_high = _poisson_curves(reference * exposure, c)
        low, high = o_low / exposure * scale, o_high / exposure * scale
    return np.asarray(low, dtype=np.float64), np.asarray(high, dtype=np.float64)


def _scalar(array: Any) -> Any:
    array = np.asarray(array, dtype=np.float64)
    return float(array) if array.ndim == 0 else array


def _r_nchar(number: float) -> int:
    """Characters R uses to print a whole number (``nchar``): scientific notation wins when
    shorter, as in R's ``as.character`` (1e+05 has 5 characters, 110000 has 6)."""
    digits = str(int(number))
    significant = digits.rstrip("0") or "0"
    exponent = len(digits) - 1
    mantissa = 1 if len(significant) == 1 else len(significant) + 1
    scientific = mantissa + 2 + max(2, len(str(exponent)))
    return min(len(digits), scientific) if scientific < len(digits) else len(digits)


def _axis_floor(x: float) -> float:
    """PHE's neat axis minimum: 95% of ``x`` floored to its leading digit."""
    if x == 0:
        return 0.0
    down = x * 0.95
    n = _r_nchar(math.floor(down)) - 1
    return float(math.floor(down / 10**n) * 10**n)


def _axis_ceiling(x: float) -> float:
    """PHE's neat axis maximum: 105% of ``x`` rounded up to its two leading digits."""
    if x == 0:
        return 0.0
    up = x * 1.05
    n = _r_nchar(math.ceil(up)) - 2
    return float(math.ceil(up / 10.0**n) * 10.0**n)


def funnel_table(
    numerator: npt.ArrayLike,
    denominator: npt.ArrayLike | None,
    *,
    statistic: Statistic,
    per: float = 1,
    rate: npt.ArrayLike | None = None,
    rate_type: Literal["crude", "dsr"] = "crude",
    ratio_type: Literal["count", "isr"] | None = None,
    years_of_data: float = 1,
    points: int = 100,
) -> dict[str, npt.NDArray[Any]]:
    """PHE's funnel-plot table (``calculate_funnel_limits``): the control limits at ``points``
    x-axis values spread over the data, ready to draw.

    The axis runs from ``max(1, a)`` to ``b``: ``a`` is 0 when the largest denominator is more
    than twice the smallest, else 95% of the smallest floored to its leading digit; ``b`` is
    105% of the largest rounded up to two leading digits (for rates both per year, then
    times the years and converted to events with the pooled rate). Each next point is
    ``max(round((b / x)^(1/(points + 1 - j)) x), x + 1)`` (``j - 1`` for ratios), so points
    crowd where counts are small. Then, at 95% ("2s") and 99.8% ("3s"):

    * ``"proportion"``: x = ``Population``; limits ``p0 -/+ z sqrt(p0(1 - p0)/n)`` times
      ``per``, clipped to ``[0, per]``; ``baseline = p0 per`` with ``p0`` pooled.
    * ``"ratio"``: x = ``Observed_events`` ``O``; ``lower_2s_exp_events`` is the mean whose
      chance of at most ``O`` events is 2.5% (exact upper limit of ``O``), ``lower_2s_limit``
      is ``O`` over it, and so on; limits are ratios minus 1 (``ratio_type="count"``) or times
      100 (``"isr"``), as PHE.
    * ``"rate"``: x = ``Events``; the populations (per year) that put ``O`` events on each
      limit, ``lower_2s_population_1_year`` etc., and the limits ``O / population`` times
      ``per``; ``baseline`` is the pooled rate.

    ``statistic`` and ``method`` columns repeat PHE's metadata (e.g. ``"rate (crude per
    100,000)"``, ``"Poisson"``).

    Parameters
    ----------
    numerator, denominator, rate, rate_type, per
        As :func:`funnel_significance` (rows with missing data are left out).
    statistic : {"proportion", "ratio", "rate"}
        The indicator's statistic.
    ratio_type : {"count", "isr"}, optional
        Needed for ratios.
    years_of_data : float, default 1
        Years pooled in each rate.
    points : int, default 100
        Number of rows (PHE draws 100).

    Returns
    -------
    dict[str, numpy.ndarray]
        Columns named as PHE names them.

    Raises
    ------
    ScoringError
        As :func:`funnel_significance`, plus a missing ``ratio_type`` for ratios or
        ``points`` < 2.

    References
    ----------
    Public Health England (2017) *Technical Guide: Funnel Plots*. PHEindicatormethods
    ``calculate_funnel_limits`` (v2.1.0; its table layout and axis rule, method only).

    Examples
    --------
    >>> table = funnel_table([10, 20, 30], [100, 150, 200], statistic="proportion", per=100,
    ...                      points=5)
    >>> table["Population"].tolist(), round(float(table["baseline"][0]), 4)
    ([90.0, 111.0, 137.0, 170.0, 210.0], 13.3333)
    """
    stat, kind, scale = _funnel_args(statistic, rate_type, per)
    years = _positive(years_of_data, "years_of_data")
    if isinstance(points, bool) or not isinstance(points, int) or points < 2:
        raise ScoringError(f"points must be a whole number >= 2, got {points!r}")
    if stat == "ratio":
        _choice(ratio_type, "ratio_type", ("count", "isr"))
    n, d, _ = _funnel_inputs(numerator, denominator, stat, scale, rate, kind)
    n, d = np.atleast_1d(n).ravel(), np.atleast_1d(d).ravel()
    keep = ~np.isnan(n)
    usable = keep & ~np.isnan(d)
    if not usable.any():
        raise ScoringError("no area has both a numerator and a denominator to draw a funnel")
    with np.errstate(all="ignore"):
        pooled = float(np.sum(n[keep]) / np.sum(d[usable]))
    if not math.isfinite(pooled):
        raise ScoringError(f"the pooled value is not finite ({pooled!r}): check the denominators")
    if stat == "rate" and not pooled > 0:
        raise ScoringError(
            "a rate funnel needs events: every numerator is 0, so the pooled rate is 0"
        )
    smallest, largest = float(np.min(d[usable])), float(np.max(d[usable]))
    x = _funnel_axis(smallest, largest, pooled, stat, years if stat == "rate" else 1.0, points)
    with np.errstate(all="ignore"):
        if stat == "proportion":
            table, label, method = _proportion_columns(x, pooled, scale), "proportion", "Wilson"
        else:
            table = _poisson_columns(x, stat, pooled, scale, years, ratio_type)
            if stat == "rate":
                shown = f"{scale:,.0f}" if scale == int(scale) else f"{scale:,}"
                label = f"rate ({kind} per {shown})"
            else:
                label = f"ratio ({ratio_type})"
            method = "Poisson"
    for column, values in table.items():
        if not np.isfinite(values).all():
            raise ScoringError(
                f"the funnel table's {column} is not finite: the denominators or rates are too "
                "extreme to draw"
            )
    columns: dict[str, npt.NDArray[Any]] = dict(table)
    columns["statistic"] = np.full(points, label)
    columns["method"] = np.full(points, method)
    return columns


def _funnel_axis(
    smallest: float, largest: float, pooled: float, stat: str, per_year: float, points: int
) -> FloatArray:
    """PHE's x axis: ``points`` values from a neat minimum to a neat maximum, crowded where
    counts are small."""
    if not (math.isfinite(largest * 1.05) and largest * 1.05 < 1e15):
        raise ScoringError(f"denominator is too large to draw a funnel, got {largest!r}")
    axis_min = 0.0 if largest > 2 * smallest else _axis_floor(smallest / per_year) * per_year
    axis_max = _axis_ceiling(largest / per_year) * per_year
    if stat == "rate":
        if not axis_max * pooled < 1e15:
            raise ScoringError(f"too many events to draw a funnel: about {axis_max * pooled:g}")
        axis_min, axis_max = math.floor(axis_min * pooled), math.ceil(axis_max * pooled)
    x = np.empty(points)
    x[0] = max(1.0, axis_min)
    for j in range(2, points + 1):  # PHE's recurrence: each point needs the one before
        offset = j - 1 if stat == "ratio" else j
        prev = float(x[j - 2])
        step = float(np.rint((axis_max / prev) ** (1 / (points + 1 - offset)) * prev))
        x[j - 1] = max(step, prev + 1)
    return x


def _proportion_columns(x: FloatArray, pooled: float, scale: float) -> dict[str, FloatArray]:
    table = {"Population": x}
    limits = funnel_limits(x, pooled * scale, statistic="proportion", per=scale)
    for sigma, level in (("2s", _TWO_SIGMA), ("3s", _THREE_SIGMA)):
        table[f"lower_{sigma}_limit"] = np.asarray(limits[level].lower)
        table[f"upper_{sigma}_limit"] = np.asarray(limits[level].upper)
    table["baseline"] = np.full(x.shape, pooled * scale)
    return table


def _poisson_columns(
    x: FloatArray, stat: str, pooled: float, scale: float, years: float, ratio_type: object
) -> dict[str, FloatArray]:
    from scipy.special import gammainccinv, gammaincinv

    table = {"Observed_events" if stat == "ratio" else "Events": x}
    for sigma, level in (("2s", _TWO_SIGMA), ("3s", _THREE_SIGMA)):
        p = (1 - level) / 2
        # the lower limit's mean is the one with chance p of x or fewer events (the exact
        # upper limit of x); the upper limit's the one with chance p of x or more
        means = {"lower": gammainccinv(x + 1, p), "upper": gammaincinv(x, p)}
        for side in ("lower", "upper"):
            if stat == "ratio":
                table[f"{side}_{sigma}_exp_events"] = means[side]
                limit = x / means[side]
                table[f"{side}_{sigma}_limit"] = limit - 1 if ratio_type == "count" else limit * 100
            else:
                population = means[side] / pooled
                table[f"{side}_{sigma}_population_1_year"] = population / years
                table[f"{side}_{sigma}_limit"] = x / population * scale
    if stat == "rate":
        table["baseline"] = np.full(x.shape, pooled * scale)
    return table


# --------------------------------------------------------------------------------------------
# Recent trend (Fingertips)
# --------------------------------------------------------------------------------------------

TrendMethod = Literal["ci_regression", "cochran_armitage"]

#: Why a trend cannot be calculated (``TrendResult.reason``) -> Fingertips' message.
TREND_REASONS: dict[str, str] = {
    "": "",
    "YEAR_RANGE": "The recent trend cannot be calculated for this year range",
    "TOO_FEW_PERIODS": "Not enough data points to calculate recent trend",
    "TOO_FEW_VALID_PERIODS": "Not enough data points with valid values to calculate recent trend",
    "COUNT_EQUALS_DENOMINATOR": "The recent trend cannot be calculated",
    "ZERO_COUNT": "The recent trend cannot be calculated: a count of 0 has no log-odds",
    "NOT_FINITE": "The recent trend cannot be calculated: the trend statistic is not finite",
}
_REASON_CODES = tuple(TREND_REASONS)
_TREND_ORDER = tuple(t.value for t in Trend)


def _lookup(keys: Sequence[str], values: Sequence[str], cells: Any) -> TextResult:
    """Map each cell of a text array through ``keys -> values`` (vectorised)."""
    order = np.argsort(np.asarray(keys))
    sorted_keys = np.asarray(keys)[order]
    position = np.searchsorted(sorted_keys, np.asarray(cells))
    return np.asarray(np.asarray(values)[order][np.minimum(position, len(keys) - 1)])


class TrendResult(BaseModel):
    """Fingertips' recent trend per area (shape ``areas``, the periods axis consumed).

    ``marker`` holds :class:`Trend` values; ``chi_squared`` the trend statistic rounded to
    2 dp as Fingertips shows it (NaN where the marker is CANNOT_BE_CALCULATED, where Fingertips
    shows 0); ``reason`` says why a trend cannot be calculated (a key of
    :data:`TREND_REASONS`: ``YEAR_RANGE``, ``TOO_FEW_PERIODS``, ``TOO_FEW_VALID_PERIODS``,
    ``COUNT_EQUALS_DENOMINATOR``, ``ZERO_COUNT``, ``NOT_FINITE``), empty otherwise;
    :attr:`message` gives Fingertips' wording and :attr:`label` the marker's.
    """

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    marker: TextArray
    chi_squared: ArrayField
    reason: TextArray
    polarity: PolarityField
    method: str
    points: int

    @property
    def label(self) -> TextResult:
        """Fingertips' wording of each marker ("Increasing and getting better", ...)."""
        return _lookup(_TREND_ORDER, [Trend(t).label for t in _TREND_ORDER], self.marker)

    @property
    def message(self) -> TextResult:
        """Fingertips' message where the trend cannot be calculated, empty otherwise."""
        return _lookup(_REASON_CODES, list(TREND_REASONS.values()), self.reason)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, TrendResult):
            return NotImplemented
        return same_fields(self, other)

    def __hash__(self) -> int:
        return hash((self.method, self.points, self.marker.shape))


def _trend_array(value: Any, name: str) -> FloatArray:
    array = _array(value, name)
    if array.ndim == 0:
        raise ScoringError(f"{name} must have a periods axis (the last axis), got one number")
    return array


def recent_trend(
    value: npt.ArrayLike,
    lower: npt.ArrayLike | None,
    upper: npt.ArrayLike | None,
    *,
    polarity: object,
    count: npt.ArrayLike | None = None,
    denominator: npt.ArrayLike | None = None,
    method: TrendMethod = "ci_regression",
    points: int = 5,
    year_range: int = 1,
) -> TrendResult:
    """Fingertips' recent-trend marker over the last axis (periods, oldest first).

    **Which points.** A period is valid when its value is present, and - where given - both
    interval limits (``"ci_regression"``), its count and a denominator > 0. The trend uses the
    ``points`` most recent periods, which must all be valid (Fingertips' unbroken run of valid
    points back from the latest); otherwise CANNOT_BE_CALCULATED. So is a run containing a
    count equal to its denominator, and any ``year_range`` other than 1.

    **``"ci_regression"``** (Fingertips' default): a weighted least-squares line through the
    values at ``x = 1..points`` with weights ``w = 1/((U - L)/3.92)^2`` (the 95% interval's
    standard error squared): with ``S1 = sum w``, ``S2 = sum w y x``, ``S3 = sum w x``,
    ``S4 = sum w y``, ``S5 = sum w x^2``, the slope is ``(S1 S2 - S3 S4)/(S1 S5 - S3^2)``,
    its standard error ``sqrt(S1/(S1 S5 - S3^2))``, and ``chi^2 = (slope/se)^2``.

    **``"cochran_armitage"``** (Fingertips' variant for SPC-for-proportions indicators): with
    counts ``c``, denominators ``d``, ``t = 1..points``, ``N = sum d``, ``C = sum c``:
    ``chi^2 = N (N sum c t - C sum d t)^2 / (C (N - C)(N sum d t^2 - (sum d t)^2))``; the
    slopes checked are least-squares slopes of the log-odds ``log(c/(d - c))``.

    **Marker.** The trend is significant when ``chi^2 > 9.5495`` (chi-square, 1 df, 99.8%)
    and the slope keeps its sign when each point is left out in turn (Fingertips' outlier
    rule: all ``points + 1`` slopes negative, or all non-negative). Then INCREASING or
    DECREASING by the slope's sign, judged by the polarity (GETTING_BETTER / GETTING_WORSE, or
    plain without a judgement); otherwise NO_SIGNIFICANT_CHANGE.

    Deviations from Fingertips, where its code gives no sensible answer: a point without both
    interval limits ends the run (Fingertips skips it inside the run and regresses on fewer
    points); ``"cochran_armitage"`` takes the direction from the log-odds slope (Fingertips
    reads a slope it never sets there, so its marker is always "Decreasing"), and a count of
    0 (no log-odds) or a non-finite statistic cannot be calculated.

    Parameters
    ----------
    value : array_like
        Values, periods on the last axis (oldest first); NaN where missing.
    lower, upper : array_like or None
        The values' 95% confidence limits (needed by ``"ci_regression"``).
    polarity : {"higher", "lower", "none"} or Polarity
        Which direction is good.
    count, denominator : array_like, optional
        Counts and denominators (needed by ``"cochran_armitage"``; with ``"ci_regression"``
        they only decide which points are valid, as in Fingertips).
    method : {"ci_regression", "cochran_armitage"}, default "ci_regression"
        The test.
    points : int, default 5
        Periods used (Fingertips: 5).
    year_range : int, default 1
        Years per period; Fingertips calculates trends for single years only.

    Returns
    -------
    TrendResult
        ``marker``, ``chi_squared``, ``message`` of the areas' shape, and ``label``.

    Raises
    ------
    ScoringError
        Inputs without a periods axis, shapes that do not broadcast, intervals with
        lower > upper, negative counts, counts above their denominators
        (``"cochran_armitage"``), an unknown method, a missing argument, ``points`` < 3 or
        ``year_range`` < 1.

    References
    ----------
    Fingertips ``TrendMarkerCalculator``, ``TrendRequest``, ``TrendMarkerLabelProvider``
    (fingertips-open, commit 6780897, MIT). Public Health England (2018) *Recent trends:
    methodology*, Fingertips guidance. Armitage P. (1955) Tests for linear trends in
    proportions and frequencies, Biometrics 11:375-386.

    Examples
    --------
    >>> r = recent_trend([24.67, 24.6, 28.0, 30.2, 30.6], [23.16, 23.15, 26.44, 28.63, 28.98],
    ...                  [26.25, 26.19, 29.64, 31.9, 32.25], polarity="higher")
    >>> str(r.marker), float(r.chi_squared), str(r.label)
    ('INCREASING_GETTING_BETTER', 46.77, 'Increasing and getting better')
    """
    pol = Polarity.parse(polarity)
    how = _choice(method, "method", ("ci_regression", "cochran_armitage"))
    if isinstance(points, bool) or not isinstance(points, int) or points < 3:
        raise ScoringError(f"points must be a whole number >= 3, got {points!r}")
    if isinstance(year_range, bool) or not isinstance(year_range, int) or year_range < 1:
        raise ScoringError(f"year_range must be a whole number of years >= 1, got {year_range!r}")
    named: dict[str, FloatArray] = {"value": _trend_array(value, "value")}
    if how == "ci_regression":
        if lower is None or upper is None:
            raise ScoringError("method='ci_regression' needs lower and upper (95% limits)")
    elif count is None or denominator is None:
        raise ScoringError("method='cochran_armitage' needs count and denominator")
    if lower is not None or upper is not None:
        if lower is None or upper is None:
            raise ScoringError("give both lower and upper, or neither")
        named["lower"] = _trend_array(lower, "lower")
        named["upper"] = _trend_array(upper, "upper")
    if (count is None) != (denominator is None):
        raise ScoringError("give both count and denominator, or neither")
    if count is not None:
        named["count"] = _trend_array(count, "count")
        named["denominator"] = _trend_array(denominator, "denominator")
    arrays = dict(zip(named, _broadcast(named), strict=True))
    v = arrays["value"]
    shape, periods = v.shape[:-1], v.shape[-1]
    reason = np.zeros(shape, dtype=np.int8)

    def fail(mask: Any, key: str) -> None:  # the first reason found is the one reported
        reason[(reason == 0) & mask] = _REASON_CODES.index(key)

    if "lower" in arrays:
        _ordered(arrays["lower"], arrays["upper"], ("lower", "upper"))
    if "count" in arrays:
        c, d = arrays["count"], arrays["denominator"]
        with np.errstate(invalid="ignore"):
            if (c < 0).any():
                raise ScoringError(f"count must be >= 0, got {float(c[c < 0].flat[0])!r}")
            if how == "cochran_armitage" and (c > d).any():
                raise ScoringError("count must be <= denominator for method='cochran_armitage'")
    if year_range != 1:
        fail(True, "YEAR_RANGE")
    if periods < points:
        fail(True, "TOO_FEW_PERIODS")
        chi2 = np.full(shape, np.nan)
        direction = np.zeros(shape, dtype=bool)
        consistent = np.zeros(shape, dtype=bool)
    else:
        # periods first, so that each sum over the periods adds whole rows (fast)
        last = {
            k: np.ascontiguousarray(np.moveaxis(a[..., periods - points :], -1, 0))
            for k, a in arrays.items()
        }
        with np.errstate(invalid="ignore"):
            fail(~_valid(last, how).all(axis=0), "TOO_FEW_VALID_PERIODS")
            if "count" in arrays:
                fail(_count_is_denominator_in_run(arrays, how), "COUNT_EQUALS_DENOMINATOR")
        with np.errstate(all="ignore"):
            if how == "ci_regression":
                chi2, direction, consistent = _ci_regression(
                    last["value"], last["lower"], last["upper"]
                )
            else:
                fail((last["count"] == 0).any(axis=0), "ZERO_COUNT")
                chi2, direction, consistent = _cochran_armitage(last["count"], last["denominator"])
        fail(~np.isfinite(chi2), "NOT_FINITE")
    cannot = reason != 0
    significant = ~cannot & consistent & (chi2 > TREND_CHI_SQUARED_CUTOFF)
    table = _TREND_TABLE[pol]
    words = (Trend.NO_SIGNIFICANT_CHANGE.value, table[1].value, table[-1].value)
    codes = np.where(significant, np.where(direction, np.int8(1), np.int8(2)), np.int8(0))
    marker = np.asarray((*words, Trend.CANNOT_BE_CALCULATED.value))[np.where(cannot, 3, codes)]
    with np.errstate(invalid="ignore"):
        rounded = np.where(cannot, np.nan, np.round(chi2, 2))
    return TrendResult.model_construct(
        marker=marker,
        chi_squared=np.asarray(rounded, dtype=np.float64),
        reason=np.asarray(_REASON_CODES)[reason],
        polarity=pol,
        method=how,
        points=points,
    )


def _valid(columns: Mapping[str, FloatArray], how: str) -> npt.NDArray[np.bool_]:
    """Fingertips' valid point: a value, and - where given - a count and a denominator > 0;
    the regression also needs both limits (and a positive width to weight by)."""
    ok = ~np.isnan(columns["value"])
    if how == "ci_regression":
        ok &= columns["upper"] > columns["lower"]  # False where either is NaN
    if "count" in columns:
        ok &= ~np.isnan(columns["count"]) & (columns["denominator"] > 0)
    return np.asarray(ok)


def _count_is_denominator_in_run(arrays: Mapping[str, FloatArray], how: str) -> Any:
    """Fingertips' divide-by-zero guard: a count equal to its denominator anywhere in the
    unbroken run of valid periods back from the latest."""
    every = {k: np.moveaxis(a, -1, 0) for k, a in arrays.items()}
    bad = ~_valid(every, how)
    periods = bad.shape[0]
    # index of the latest invalid period (-1 if none): the run starts after it
    latest_bad = np.where(bad.any(axis=0), periods - 1 - np.argmax(bad[::-1], axis=0), -1)
    position = np.arange(periods).reshape((periods,) + (1,) * (bad.ndim - 1))
    in_run = position > latest_bad
    return (in_run & (every["count"] == every["denominator"])).any(axis=0)


def _signs_agree(full: FloatArray, left_out: FloatArray) -> npt.NDArray[np.bool_]:
    """Fingertips' outlier rule: every slope negative, or every slope non-negative (NaN
    counts as non-negative, as its ``slope < 0`` test does)."""
    negative = left_out < 0
    return np.asarray(np.where(full < 0, negative.all(axis=0), ~negative.any(axis=0)))


def _ci_regression(
    y: FloatArray, lower: FloatArray, upper: FloatArray
) -> tuple[FloatArray, npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """Chi-square, direction (True = increasing) and consistency of the weighted regression;
    arrays have the periods first."""
    k = y.shape[0]
    x = np.arange(1.0, k + 1.0).reshape((k,) + (1,) * (y.ndim - 1))
    se = (upper - lower) / 3.92
    w = 1.0 / (se * se)
    wx, wy = w * x, w * y
    parts = (w, wy * x, wx, wy, wx * x)
    s1, s2, s3, s4, s5 = (p.sum(axis=0) for p in parts)
    det = s1 * s5 - s3 * s3
    slope = (s1 * s2 - s3 * s4) / det
    chi2 = slope * slope / (s1 / det)
    l1, l2, l3, l4, l5 = (s - p for s, p in zip((s1, s2, s3, s4, s5), parts, strict=True))
    left_out = (l1 * l2 - l3 * l4) / (l1 * l5 - l3 * l3)
    return chi2, np.asarray(slope > 0), _signs_agree(slope, left_out)


def _cochran_armitage(
    c: FloatArray, d: FloatArray
) -> tuple[FloatArray, npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """Chi-square of the Cochran-Armitage test, direction and consistency of the log-odds
    slopes; arrays have the periods first."""
    k = c.shape[0]
    t = np.arange(1.0, k + 1.0).reshape((k,) + (1,) * (c.ndim - 1))
    big_n, big_c = d.sum(axis=0), c.sum(axis=0)
    ct, dt, dt2 = (c * t).sum(axis=0), (d * t).sum(axis=0), (d * t * t).sum(axis=0)
    numerator = big_n * (big_n * ct - big_c * dt) ** 2
    chi2 = numerator / (big_c * (big_n - big_c) * (big_n * dt2 - dt * dt))
    logit = np.log(c / (d - c))
    # least-squares slope numerators n sum(y t) - sum(y) sum(t); their denominators are > 0
    sy, syt, st = logit.sum(axis=0), (logit * t).sum(axis=0), float(k * (k + 1) / 2)
    slope = k * syt - sy * st
    left_out = (k - 1) * (syt - logit * t) - (sy - logit) * (st - t)
    return chi2, np.asarray(slope > 0), _signs_agree(slope, left_out)
