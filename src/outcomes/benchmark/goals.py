"""Did an area reach its goal? The Fingertips target comparers."""

from __future__ import annotations

import enum
import math
from typing import overload

import numpy as np
import numpy.typing as npt

from outcomes._arrays import FloatArray, _shown, round_half_up
from outcomes.benchmark._common import (
    TextResult,
    _array,
    _broadcast,
    _ordered,
    _text,
)
from outcomes.errors import ScoringError
from outcomes.polarity import Polarity
from outcomes.stats.intervals import Interval


class Comparison(enum.StrEnum):
    """A value compared with a goal (Fingertips' target comparers): ``SAME`` is inside a range
    goal or, with an interval, not distinguishable from a single goal."""

    BETTER = "BETTER"
    SAME = "SAME"
    WORSE = "WORSE"
    NOT_COMPARED = "NOT_COMPARED"


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
) -> Interval[float]:
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
    values = values[~np.isnan(values)]
    qs = []
    for name, q in (("lower_percentile", lower_percentile), ("upper_percentile", upper_percentile)):
        try:
            number = float(q)
        except (TypeError, ValueError, OverflowError):
            raise ScoringError(f"{name} must be a number in [0, 100], got {_shown(q)}") from None
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
    bounds = np.quantile(values, qs, method="linear")
    low, high = (float(round_half_up(x, 10)) for x in bounds)
    return Interval(low, high)
