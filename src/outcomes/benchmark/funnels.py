"""Is an area an outlier? PHE's funnel-plot method."""

from __future__ import annotations

import enum
import math
from collections.abc import Sequence
from typing import Any, Literal, overload

import numpy as np
import numpy.typing as npt

from outcomes._arrays import FloatArray, _shown, as_float_array, check_choice
from outcomes.benchmark._common import (
    TextResult,
    _array,
    _broadcast,
    _positive,
    _text,
)
from outcomes.errors import ScoringError
from outcomes.stats.intervals import Interval, _count_limits, _interval, z_value
from outcomes.stats.intervals import confidence_level as _confidence


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


# --------------------------------------------------------------------------------------------
# Funnel plots (PHE)
# --------------------------------------------------------------------------------------------

Statistic = Literal["proportion", "ratio", "rate"]
_STATISTICS = ("proportion", "ratio", "rate")
_FUNNEL_TEXT = ("NOT_APPLICABLE", "HIGH_99.8", "HIGH_95", "NOT_SIGNIFICANT", "LOW_95", "LOW_99.8")
_TWO_SIGMA, _THREE_SIGMA = 0.95, 0.998
#: Most rows of a funnel table (PHE draws 100): each row follows from the one before.
_MAX_POINTS = 100_000


def _count_interval(count: FloatArray, confidence: float) -> tuple[FloatArray, FloatArray]:
    """PHE's interval for an observed count: exact Poisson below 10 events, Byar from 10."""
    return _count_limits(np.where(np.isnan(count), 0.0, count), confidence, z_value(confidence))


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
    stat = check_choice(statistic, "statistic", _STATISTICS, ScoringError)
    kind = check_choice(rate_type, "rate_type", ("crude", "dsr"), ScoringError)
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
        reference = _reference(target, stat, scale)
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
) -> dict[float, Interval[float] | Interval[FloatArray]]:
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
    stat = check_choice(statistic, "statistic", _STATISTICS, ScoringError)
    scale = _positive(per, "per")
    years = _positive(years_of_data, "years_of_data")
    x = as_float_array(denominator, "denominator", error=ScoringError)
    if (x <= 0).any():
        raise ScoringError(f"denominator must be > 0, got {float(x[x <= 0].flat[0])!r}")
    reference = _reference(target, stat, scale)
    levels = [confidence] if isinstance(confidence, int | float) else list(confidence)
    result: dict[float, Interval[float] | Interval[FloatArray]] = {}
    for level in levels:
        c = _confidence(level)
        with np.errstate(all="ignore"):
            low, high = _limits_at(x, reference, stat, scale, years, c)
        if not (np.isfinite(low).all() and np.isfinite(high).all()):
            bad = ~(np.isfinite(low) & np.isfinite(high))
            raise ScoringError(
                "the funnel limits are too large to represent for denominator "
                f"{float(np.broadcast_to(x, bad.shape)[bad].flat[0])!r} (too small a denominator)"
            )
        result[c] = _interval(low, high)
    return result


def _reference(target: object, stat: str, scale: float) -> float:
    """A given target on the scale of 1 (``target / per``), checked once where it enters: one
    number, a proportion in [0, 1], a ratio or rate >= 0."""
    t = _array(target, "target")
    if t.ndim or np.isnan(t):
        raise ScoringError(f"target must be one number, got {target!r}")
    reference = float(t) / scale
    if stat == "proportion" and not 0.0 <= reference <= 1.0:
        raise ScoringError(f"target must be between 0 and per={scale:g}, got {target!r}")
    if reference < 0:
        raise ScoringError(f"target must be >= 0, got {target!r}")
    return reference


def _limits_at(
    x: FloatArray, reference: float, stat: str, scale: float, years: float, c: float
) -> tuple[FloatArray, FloatArray]:
    """Lower and upper limits at ``x`` on the ``per`` scale for one confidence level."""
    if stat == "proportion":
        z = z_value(c)
        spread = z * np.sqrt(reference * (1 - reference) / x)
        low = np.clip(reference - spread, 0.0, 1.0) * scale
        high = np.clip(reference + spread, 0.0, 1.0) * scale
    else:
        exposure = x * years if stat == "rate" else x
        o_low, o_high = _poisson_curves(reference * exposure, c)
        low, high = o_low / exposure * scale, o_high / exposure * scale
    return np.asarray(low, dtype=np.float64), np.asarray(high, dtype=np.float64)


def _r_nchar(number: float) -> int:
    """Characters R uses to print a whole number (``nchar``): scientific notation wins when
    shorter, as in R's ``as.character`` (1e+05 has 5 characters, 110000 has 6)."""
    digits = str(int(number))
    significant = digits.rstrip("0") or "0"
    exponent = len(digits) - 1
    mantissa = 1 if len(significant) == 1 else len(significant) + 1
    scientific = mantissa + 2 + max(2, len(str(exponent)))
    return min(len(digits), scientific)


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
) -> dict[str, npt.NDArray[np.generic]]:
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
        ``points`` outside 2 to 100,000.

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
    if isinstance(points, bool) or not isinstance(points, int) or not 2 <= points <= _MAX_POINTS:
        raise ScoringError(
            f"points must be a whole number from 2 to {_MAX_POINTS:,}, got {_shown(points)}"
        )
    if stat == "ratio":
        check_choice(ratio_type, "ratio_type", ("count", "isr"), ScoringError)
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
    columns: dict[str, npt.NDArray[np.generic]] = dict(table)
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
