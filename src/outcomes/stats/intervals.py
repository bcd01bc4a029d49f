"""Confidence intervals, one function per published method.

Wilson score for proportions; exact Poisson (chi-square) and Byar for counts; crude rates built
on either; Dobson for directly standardised rates. scipy is imported inside the functions, never
at module import. Every function broadcasts its inputs (a shape mismatch names both fields),
gives a float for scalar input and an array for array input, and refuses input that would give a
non-finite limit.
"""

from __future__ import annotations

import functools
from typing import Generic, Literal, NamedTuple, TypeVar, overload

import numpy as np
import numpy.typing as npt

from outcomes._arrays import (
    FloatArray,
    as_float_array,
    broadcast,
    check_choice,
    check_finite_result,
)
from outcomes.errors import ScoringError

__all__ = [
    "Interval",
    "byar",
    "confidence_level",
    "dsr_ci",
    "poisson_exact",
    "rate_ci",
    "wilson",
    "z_value",
]

T = TypeVar("T", float, FloatArray)
Scalar = float | int
RateMethod = Literal["byar", "exact", "auto"]


class Interval(NamedTuple, Generic[T]):
    """Lower and upper confidence limits (floats, or arrays of one shape); unpacks as
    ``lower, upper``."""

    lower: T
    upper: T


def _interval(lower: FloatArray, upper: FloatArray) -> Interval[float] | Interval[FloatArray]:
    if np.ndim(lower) == 0:
        return Interval(float(lower), float(upper))
    return Interval(np.asarray(lower), np.asarray(upper))


def confidence_level(confidence: object, name: str = "confidence") -> float:
    """A confidence level as a fraction in (0, 1); a percentage such as 95 gets a hint.

    >>> confidence_level(0.95)
    0.95
    >>> confidence_level(99.8)
    Traceback (most recent call last):
    ...
    outcomes.errors.ScoringError: confidence must be a fraction in (0, 1) such as 0.95, got 99.8; give 0.998
    """
    if isinstance(confidence, bool) or not isinstance(confidence, int | float | np.number):
        raise ScoringError(f"{name} must be a fraction such as 0.95, got {confidence!r:.80}")
    try:
        c = float(confidence)
    except OverflowError:
        raise ScoringError(f"{name} must be a fraction such as 0.95, got a huge number") from None
    if not 0.0 < c < 1.0:
        hint = f"; give {c / 100:g}" if 1.0 < c < 100.0 else ""
        raise ScoringError(
            f"{name} must be a fraction in (0, 1) such as 0.95, got {confidence!r}{hint}"
        )
    return c


def z_value(confidence: float = 0.95) -> float:
    """Two-sided standard normal quantile for a confidence level (0.95 -> 1.959964...).

    >>> round(z_value(0.95), 6), round(z_value(0.998), 4)
    (1.959964, 3.0902)
    """
    from scipy.special import ndtri

    return float(ndtri(1.0 - (1.0 - confidence_level(confidence)) / 2.0))


def _z(confidence: float, z: float | None) -> float:
    if z is None:
        return z_value(confidence)
    if isinstance(z, bool) or not isinstance(z, int | float | np.number):
        raise ScoringError(f"z must be a positive number such as 1.96, got {z!r:.80}")
    if not 0 < z <= 40:  # also refuses NaN, infinities and huge integers
        raise ScoringError(f"z must be a positive number such as 1.96 (at most 40), got {z!r:.80}")
    return float(z)


def _counts(count: npt.ArrayLike, name: str = "count") -> FloatArray:
    return as_float_array(count, name, error=ScoringError, nonnegative=True)


def _positive(value: npt.ArrayLike, name: str) -> FloatArray:
    array = as_float_array(value, name, error=ScoringError)
    if (array <= 0).any():
        raise ScoringError(f"{name} must be > 0, got {float(np.min(array))!r}")
    return array


@overload
def wilson(
    count: Scalar, denominator: Scalar, confidence: float = 0.95, *, z: float | None = None
) -> Interval[float]: ...
@overload
def wilson(
    count: npt.ArrayLike,
    denominator: npt.ArrayLike,
    confidence: float = 0.95,
    *,
    z: float | None = None,
) -> Interval[float] | Interval[FloatArray]: ...
def wilson(
    count: npt.ArrayLike,
    denominator: npt.ArrayLike,
    confidence: float = 0.95,
    *,
    z: float | None = None,
) -> Interval[float] | Interval[FloatArray]:
    """Wilson score interval for a proportion ``count / denominator`` (as a fraction 0-1).

    ``(2x + z^2 -/+ z sqrt(z^2 + 4x(1 - p))) / (2(n + z^2))`` with ``p = x/n``, computed in
    terms of ``p`` so that huge counts do not overflow.

    Parameters
    ----------
    count, denominator : array_like
        Events and population (``0 <= count <= denominator``, ``denominator > 0``); broadcast.
    confidence : float
        Two-sided level as a fraction (0.95), or give ``z`` directly.

    Returns
    -------
    Interval
        Lower and upper limits as fractions.

    Raises
    ------
    ScoringError
        Negative or non-finite counts, a count above its denominator, mismatched shapes.

    References
    ----------
    Wilson E.B. (1927) JASA 22:209-212; Newcombe R.G. (1998) Stat Med 17:857-872, whose worked
    example 81/263 gives 0.2553 to 0.3662 (95%).

    Examples
    --------
    >>> lo, hi = wilson(81, 263)
    >>> round(lo, 4), round(hi, 4)
    (0.2553, 0.3662)
    >>> wilson(0, 10).lower
    0.0
    """
    x, n = broadcast(
        ScoringError, count=_counts(count), denominator=_positive(denominator, "denominator")
    )
    if (x > n).any():
        bad = np.argwhere(x > n)[0] if x.ndim else ()
        where = f" (first at index {tuple(int(i) for i in bad)})" if x.ndim else ""
        raise ScoringError(
            f"count must be <= denominator for a proportion{where}: count "
            f"{float(x[tuple(bad)])!r}, denominator {float(n[tuple(bad)])!r}"
        )
    zz = _z(confidence, z)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        p = x / n
        z2n = zz * zz / n
        centre = (p + z2n / 2) / (1 + z2n)
        spread = zz / (1 + z2n) * np.sqrt(p * (1 - p) / n + z2n / (4 * n))
    # the limits are exactly 0 and 1 at the ends (rounding would leave a few ulps otherwise),
    # and never exclude the estimate itself; a denominator so small that z^2 / n overflows
    # (below about 1e-308) has the limits of n -> 0, the whole of [0, 1]
    tiny = np.isinf(z2n)
    lower = np.where(x == 0, 0.0, np.clip(np.minimum(centre - spread, p), 0.0, 1.0))
    upper = np.where(x == n, 1.0, np.clip(np.maximum(centre + spread, p), 0.0, 1.0))
    lower, upper = np.where(tiny, 0.0, lower), np.where(tiny, 1.0, upper)
    check_finite_result(np.asarray(lower), "the Wilson limits", ScoringError)
    check_finite_result(np.asarray(upper), "the Wilson limits", ScoringError)
    return _interval(lower, upper)


@overload
def poisson_exact(count: Scalar, confidence: float = 0.95) -> Interval[float]: ...
@overload
def poisson_exact(
    count: npt.ArrayLike, confidence: float = 0.95
) -> Interval[float] | Interval[FloatArray]: ...
def poisson_exact(
    count: npt.ArrayLike, confidence: float = 0.95
) -> Interval[float] | Interval[FloatArray]:
    """Exact Poisson limits for a count, from the chi-square distribution.

    ``lower = chi2.ppf(a/2, 2x) / 2`` (0 when x = 0), ``upper = chi2.ppf(1 - a/2, 2x + 2) / 2``,
    with ``a = 1 - confidence``.

    References
    ----------
    Ulm K. (1990) Am J Epidemiol 131:373-375; PHE Technical Guide, Confidence intervals (2018).

    Examples
    --------
    >>> lo, hi = poisson_exact(5)
    >>> round(lo, 4), round(hi, 4)
    (1.6235, 11.6683)
    """
    x = _counts(count)
    return _interval(*_exact(x, confidence_level(confidence)))


def _exact(x: FloatArray, confidence: float) -> tuple[FloatArray, FloatArray]:
    """The exact Poisson limits of validated counts at a validated confidence level."""
    from scipy.special import chdtri

    alpha = 1.0 - confidence
    # chdtri(v, p) is the inverse survival function of chi-square with v degrees of freedom
    with np.errstate(invalid="ignore", over="ignore"):
        lower = np.where(x > 0, chdtri(np.where(x > 0, 2 * x, 1.0), 1 - alpha / 2) / 2, 0.0)
        upper = chdtri(2 * x + 2, alpha / 2) / 2
    # a count that is a tiny fraction (below 1e-6) has a lower limit of 0 to double precision;
    # chdtri gives NaN there, its degrees of freedom being too small
    lower = np.where((x < 1e-6) & np.isnan(lower), 0.0, lower)
    check_finite_result(np.asarray(upper), "the exact Poisson limits", ScoringError)
    check_finite_result(np.asarray(lower), "the exact Poisson limits", ScoringError)
    return np.asarray(lower, dtype=np.float64), np.asarray(upper, dtype=np.float64)


@overload
def byar(count: Scalar, confidence: float = 0.95, *, z: float | None = None) -> Interval[float]: ...
@overload
def byar(
    count: npt.ArrayLike, confidence: float = 0.95, *, z: float | None = None
) -> Interval[float] | Interval[FloatArray]: ...
def byar(
    count: npt.ArrayLike, confidence: float = 0.95, *, z: float | None = None
) -> Interval[float] | Interval[FloatArray]:
    """Byar's approximation to the exact Poisson limits of a count.

    ``lower = x (1 - 1/(9x) - z/(3 sqrt x))^3`` (0 when x = 0),
    ``upper = (x + 1) (1 - 1/(9(x + 1)) + z/(3 sqrt(x + 1)))^3``. Pass ``z=1.96`` to match
    tools that use the rounded constant.

    References
    ----------
    Breslow N.E., Day N.E. (1987) Statistical Methods in Cancer Research II, IARC, p. 69; PHE
    Technical Guide, Confidence intervals (2018).

    Examples
    --------
    >>> lo, hi = byar(100)
    >>> round(lo, 3), round(hi, 3)
    (81.362, 121.628)
    """
    x = _counts(count)
    zz = _z(confidence, z)
    return _interval(*_byar(x, zz))


def _byar(x: FloatArray, zz: float) -> tuple[FloatArray, FloatArray]:
    # cubes by multiplication: pow() may differ by an ulp between array and scalar code paths
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        safe = np.where(x > 0, x, 1.0)
        a = 1 - 1 / (9 * safe) - zz / (3 * np.sqrt(safe))
        lower = np.where(x > 0, safe * (a * a * a), 0.0)
        b = 1 - 1 / (9 * (x + 1)) + zz / (3 * np.sqrt(x + 1))
        upper = (x + 1) * (b * b * b)
    check_finite_result(np.asarray(upper), "the Byar limits", ScoringError)
    return np.maximum(lower, 0.0), np.asarray(upper, dtype=np.float64)


def _per(per: object) -> float:
    value = as_float_array(per, "per", error=ScoringError)
    if value.ndim or not value > 0:
        raise ScoringError(f"per must be one number > 0 such as 100000, got {per!r}")
    return float(value)


@overload
def rate_ci(
    count: Scalar,
    denominator: Scalar,
    per: float = 100_000,
    method: RateMethod = "byar",
    confidence: float = 0.95,
    *,
    z: float | None = None,
) -> Interval[float]: ...
@overload
def rate_ci(
    count: npt.ArrayLike,
    denominator: npt.ArrayLike,
    per: float = 100_000,
    method: RateMethod = "byar",
    confidence: float = 0.95,
    *,
    z: float | None = None,
) -> Interval[float] | Interval[FloatArray]: ...
def rate_ci(
    count: npt.ArrayLike,
    denominator: npt.ArrayLike,
    per: float = 100_000,
    method: RateMethod = "byar",
    confidence: float = 0.95,
    *,
    z: float | None = None,
) -> Interval[float] | Interval[FloatArray]:
    """Confidence interval of a crude rate ``count / denominator * per``.

    ``method="exact"`` uses :func:`poisson_exact`, ``"byar"`` :func:`byar`, and ``"auto"`` the
    common PHE convention: exact below 10 events, Byar from 10 (element by element; the exact
    interval is computed only for the counts below 10).

    Examples
    --------
    >>> lo, hi = rate_ci(20, 50_000)
    >>> round(lo, 2), round(hi, 2)
    (24.42, 61.78)
    >>> [round(float(v), 2) for v in rate_ci([3, 30], 1000, per=1000, method="auto").upper]
    [8.77, 42.83]
    """
    check_choice(method, "method", ("byar", "exact", "auto"), ScoringError)
    multiplier = _per(per)
    x, n = broadcast(
        ScoringError, count=_counts(count), denominator=_positive(denominator, "denominator")
    )
    conf = confidence_level(confidence)
    if method == "exact":
        lo, hi = _exact(x, conf)
    elif method == "byar":
        lo, hi = _byar(x, _z(conf, z))
    else:
        lo, hi = _count_limits(x, conf, _z(conf, z))
    with np.errstate(over="ignore", invalid="ignore"):
        scale = multiplier / n
        lower, upper = np.asarray(lo) * scale, np.asarray(hi) * scale
    check_finite_result(
        np.asarray(upper), "the rate limits", ScoringError, "the denominator is too small"
    )
    check_finite_result(np.asarray(lower), "the rate limits", ScoringError)
    return _interval(lower, upper)


def _count_limits(x: FloatArray, confidence: float, zz: float) -> tuple[FloatArray, FloatArray]:
    """PHE's limits of validated counts: exact Poisson below 10 events, Byar from 10 (the exact
    limits only for the counts below 10; those of whole counts from a table)."""
    lo, hi = _byar(x, zz)
    small = np.flatnonzero(np.reshape(x, -1) < 10)  # few rows: positions, not a mask
    if small.size:
        shape = np.shape(x)
        # the Byar arrays are fresh: changed in place, through flat views
        lo, hi = lo.reshape(-1), hi.reshape(-1)
        counts = np.reshape(x, -1)[small]
        whole = counts == np.floor(counts)
        # the exact limits of 0..9 events, computed once per confidence level and looked up
        table_lo, table_hi = _exact_below_ten(confidence)
        elo = np.empty_like(counts)
        ehi = np.empty_like(counts)
        index = counts[whole].astype(np.intp)
        elo[whole], ehi[whole] = table_lo[index], table_hi[index]
        if not whole.all():  # fractional counts (weighted or estimated): computed
            elo[~whole], ehi[~whole] = _exact(counts[~whole], confidence)
        lo[small], hi[small] = elo, ehi
        lo, hi = lo.reshape(shape), hi.reshape(shape)
    return lo, hi


@functools.lru_cache(maxsize=32)
def _exact_below_ten(confidence: float) -> tuple[FloatArray, FloatArray]:
    """The exact Poisson limits of 0, 1, ..., 9 events at one confidence level."""
    lower, upper = _exact(np.arange(10, dtype=np.float64), confidence)
    lower.setflags(write=False)
    upper.setflags(write=False)
    return lower, upper


@overload
def dsr_ci(
    dsr: Scalar,
    count: Scalar,
    variance: Scalar,
    confidence: float = 0.95,
    method: Literal["byar", "exact"] = "byar",
) -> Interval[float]: ...
@overload
def dsr_ci(
    dsr: npt.ArrayLike,
    count: npt.ArrayLike,
    variance: npt.ArrayLike,
    confidence: float = 0.95,
    method: Literal["byar", "exact"] = "byar",
) -> Interval[float] | Interval[FloatArray]: ...
def dsr_ci(
    dsr: npt.ArrayLike,
    count: npt.ArrayLike,
    variance: npt.ArrayLike,
    confidence: float = 0.95,
    method: Literal["byar", "exact"] = "byar",
) -> Interval[float] | Interval[FloatArray]:
    """Dobson's interval for a directly standardised rate.

    ``DSR + sqrt(var(DSR) / O) * (O_limit - O)``, where ``O`` is the total observed count, its
    limits ``O_limit`` come from Byar (or exact Poisson), and ``var(DSR)`` is the variance of
    the standardised rate (``sum(w_i^2 O_i / n_i^2)`` times the rate multiplier squared).
    Undefined for zero events, which raises. To compute the DSR itself from counts by age band,
    use :func:`outcomes.indicators.dsr`.

    References
    ----------
    Dobson A.J. et al. (1991) Stat Med 10:457-462; PHE Technical Guide, Confidence intervals
    (2018).

    Examples
    --------
    >>> lo, hi = dsr_ci(500.0, 100, 2500.0)
    >>> round(lo, 2), round(hi, 2)
    (406.81, 608.14)
    """
    check_choice(method, "method", ("byar", "exact"), ScoringError)
    rate, o, var = broadcast(
        ScoringError,
        dsr=as_float_array(dsr, "dsr", error=ScoringError),
        count=_counts(count),
        variance=as_float_array(variance, "variance", error=ScoringError, nonnegative=True),
    )
    if (o <= 0).any():
        raise ScoringError("count must be > 0 for Dobson's method (undefined for zero events)")
    conf = confidence_level(confidence)
    lo, hi = _byar(o, z_value(conf)) if method == "byar" else _exact(o, conf)
    with np.errstate(over="ignore", invalid="ignore"):
        factor = np.sqrt(var / o)
        lower = rate + factor * (np.asarray(lo) - o)
        upper = rate + factor * (np.asarray(hi) - o)
    check_finite_result(np.asarray(upper), "the Dobson limits", ScoringError)
    check_finite_result(np.asarray(lower), "the Dobson limits", ScoringError)
    return _interval(np.asarray(lower), np.asarray(upper))
