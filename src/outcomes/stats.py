"""Statistical methods: quantiles and confidence intervals, one function per published method.

Quantiles come in two published flavours that disagree on real data, so both are here:

* :func:`quantile_bounds` - **value bounds** by linear interpolation (Excel PERCENTILE.INC,
  R ``quantile(type = 7)``, numpy's default), as the Fingertips site computes quartile and
  quintile boundaries (``ValueCategoriesCalculator``); :func:`quantile_categories` places values
  in them (a value equal to a bound falls in the lower group).
* :func:`assign_quantiles` - the OHID **rank-based** assignment of PHEindicatormethods
  ``phe_quantile`` and PHStatsMethods ``ph_quantile`` ("Assigning Deprivation Categories"),
  re-implemented from the published formula.

Confidence intervals (scipy is imported inside the functions, never at module import):
Wilson score for proportions; exact Poisson (chi-square) and Byar for counts; rates built on
either; Dobson for directly standardised rates.
"""

from __future__ import annotations

import warnings
from typing import Any, Literal, NamedTuple

import numpy as np

from outcomes._arrays import FloatArray, as_float_array
from outcomes.errors import OutcomesError, ScoringError, TrajectoryError
from outcomes.polarity import Polarity

__all__ = [
    "Interval",
    "QuantileWarning",
    "assign_quantiles",
    "byar",
    "dsr_ci",
    "poisson_exact",
    "quantile_bounds",
    "quantile_categories",
    "rate_ci",
    "wilson",
    "z_value",
]

#: Named methods of :func:`quantile_bounds` -> numpy ``method``.
QUANTILE_METHODS: dict[str, str] = {
    "fingertips": "linear",
    "excel-inc": "linear",
    "excel-exc": "weibull",
    "r7": "linear",
    "r6": "weibull",
    "r8": "median_unbiased",
    "r9": "normal_unbiased",
    "linear": "linear",
    "weibull": "weibull",
    "hazen": "hazen",
    "median_unbiased": "median_unbiased",
    "normal_unbiased": "normal_unbiased",
    "lower": "lower",
    "higher": "higher",
    "nearest": "nearest",
    "midpoint": "midpoint",
}


class QuantileWarning(UserWarning):
    """Some values could not be given a quantile (missing, or their group is too small)."""


class Interval(NamedTuple):
    """Lower and upper confidence limits (scalars or arrays)."""

    lower: Any
    upper: Any


# --------------------------------------------------------------------------------------------
# Quantiles
# --------------------------------------------------------------------------------------------


def _check_quantiles(quantiles: int, error: type[OutcomesError]) -> int:
    if isinstance(quantiles, bool) or not isinstance(quantiles, int | np.integer) or quantiles < 2:
        raise error(f"quantiles must be a whole number >= 2, got {quantiles!r}")
    return int(quantiles)


def quantile_bounds(
    values: Any,
    quantiles: int = 4,
    method: str = "fingertips",
    *,
    nan_policy: Literal["raise", "omit"] = "raise",
    ndigits: int | None = None,
) -> FloatArray:
    """Quantile value bounds ``[min, P(1/k), ..., P((k-1)/k), max]`` along the last axis.

    ``P(p)`` takes the 1-based position ``h = (N - 1) p + 1`` in the sorted values and
    interpolates linearly between neighbours (``method="fingertips"``: Excel PERCENTILE.INC,
    R type 7, numpy ``"linear"``). Fingertips rounds the bounds to 10 decimal places; pass
    ``ndigits=10`` to do the same. The default keeps full precision, so that bounds scale exactly
    with the values and a value equal to a peer value stays on its bound. Other methods by name: ``"excel-exc"`` (numpy ``"weibull"``, Excel
    PERCENTILE.EXC), ``"r6"``-``"r9"`` and any numpy method name.

    Fingertips needs more than 3 values and at least ``quantiles`` values.
    Source: Fingertips ``ValueCategoriesCalculator`` (fingertips-open, commit 6780897).

    >>> quantile_bounds([1, 2, 3, 4, 5, 6, 7, 8, 9])
    array([1., 3., 5., 7., 9.])
    >>> quantile_bounds([[1, 2, 3, 4], [10, 20, 30, 40]], quantiles=2)
    array([[ 1. ,  2.5,  4. ],
           [10. , 25. , 40. ]])
    """
    k = _check_quantiles(quantiles, TrajectoryError)
    if method not in QUANTILE_METHODS:
        raise TrajectoryError(
            f"method must be one of {', '.join(sorted(QUANTILE_METHODS))}, got {method!r}"
        )
    array = as_float_array(values, "peers", error=TrajectoryError, finite=False)
    if array.ndim == 0:
        raise TrajectoryError(f"peers must be a sequence of values, got {values!r}")
    if np.isinf(array).any():
        raise TrajectoryError("peers must be finite, got an infinite value")
    missing = np.isnan(array)
    if missing.any() and nan_policy != "omit":
        raise TrajectoryError(
            f"peers contain {int(missing.sum())} missing value(s) (NaN); pass nan_policy='omit' "
            "to leave them out"
        )
    counts = (~missing).sum(axis=-1)
    smallest = int(np.min(counts))
    if smallest <= 3 or smallest < k:
        raise TrajectoryError(
            f"peers need more than 3 values and at least quantiles={k} values, got {smallest}"
        )
    probs = np.linspace(0.0, 1.0, k + 1)
    func = np.nanquantile if missing.any() else np.quantile
    bounds = func(array, probs, axis=-1, method=QUANTILE_METHODS[method])  # type: ignore[call-overload]
    bounds = np.moveaxis(bounds, 0, -1)
    if ndigits is not None:
        bounds = np.round(bounds, ndigits)
    return np.asarray(bounds, dtype=np.float64)


def quantile_categories(values: Any, bounds: Any, *, polarity: Any = None) -> Any:
    """Fingertips value-bound category of each value: the first ``i`` (1..k) with
    ``value <= bounds[i]``, so 1 holds the lowest values and a value on a bound goes down.

    With ``polarity=HIGHER_IS_BETTER`` the categories are reversed (``k + 1 - i``), as
    Fingertips does for quintiles, so that 1 is best whatever the polarity.

    >>> quantile_categories([1, 3, 3.5, 9], [1, 3, 5, 7, 9])
    array([1, 1, 2, 4])
    """
    edges = as_float_array(bounds, "bounds", error=TrajectoryError)
    array = as_float_array(values, "values", error=TrajectoryError)
    k = edges.shape[-1] - 1
    inner = edges[..., 1:-1]
    if inner.ndim == 1:
        category = np.searchsorted(inner, array, side="left") + 1
    else:
        category = (inner < array[..., np.newaxis]).sum(axis=-1) + 1
    if polarity is not None and Polarity.parse(polarity) is Polarity.HIGHER_IS_BETTER:
        category = k + 1 - category
    return category


def assign_quantiles(
    values: Any,
    quantiles: int = 10,
    *,
    polarity: Any,
    groups: Any = None,
    first: Literal["best", "worst"] = "best",
) -> FloatArray:
    """Rank-based quantile of each value within its group (OHID method).

    Within each group, values are ranked with ties taking the lowest (minimum) rank, counting
    from the end that should be quantile 1. Then, with ``N`` non-missing values in the group::

        quantile = floor((k + 1) - ceil((N + 1 - rank) / (N / k)))     (0 becomes 1)

    ``first="best"`` (default) puts the best values in quantile 1 under ``polarity``;
    ``first="worst"`` the worst (the "most deprived = 1" convention). PHEindicatormethods'
    ``invert=TRUE`` (highest value is 1) is ``polarity="higher", first="best"`` or
    ``polarity="lower", first="worst"``. ``polarity`` may also be one per value, provided each
    group has a single polarity.

    Missing values (NaN) and every value of a group with fewer than ``k`` values get NaN and a
    :class:`QuantileWarning` naming how many; nothing is dropped. One sort for all groups; no
    Python loop over groups. Sources: PHEindicatormethods ``phe_quantile`` (GPL-3) and
    PHStatsMethods ``ph_quantile``; re-implemented from the published formula, no code copied.

    >>> assign_quantiles([10, 20, 30, 40], 4, polarity="higher")
    array([4., 3., 2., 1.])
    >>> assign_quantiles([10, 20, 30, 40], 2, polarity="lower", groups=["a", "a", "b", "b"])
    array([1., 2., 1., 2.])
    """
    k = _check_quantiles(quantiles, TrajectoryError)
    array = as_float_array(values, "values", error=TrajectoryError, finite=False)
    if array.ndim != 1:
        raise TrajectoryError(f"values must be one-dimensional, got shape {array.shape}")
    n = array.shape[0]
    if first not in ("best", "worst"):
        raise TrajectoryError(f"first must be 'best' or 'worst', got {first!r}")
    invert = _invert_flags(polarity, n, first)

    if groups is None:
        codes = np.zeros(n, dtype=np.intp)
    else:
        group_array = np.asarray(groups)
        if group_array.shape != (n,):
            raise TrajectoryError(
                f"groups must have one label per value ({n}), got shape {group_array.shape}"
            )
        _, codes = np.unique(group_array, return_inverse=True)
        codes = codes.reshape(n)
    if np.ndim(invert) and n:
        # one polarity per group: the flag must not change inside a group
        per_group_min = np.full(codes.max() + 1, True)
        per_group_max = np.full(codes.max() + 1, False)
        np.minimum.at(per_group_min, codes, invert)
        np.maximum.at(per_group_max, codes, invert)
        if (per_group_min != per_group_max).any():
            raise TrajectoryError("polarity must be the same for every value in a group")

    result = np.full(n, np.nan)
    missing_values = np.isnan(array)
    all_valid = not missing_values.any()
    valid = ~missing_values
    idx = None if all_valid else np.flatnonzero(valid)
    m = n if all_valid else int(idx.size)  # type: ignore[union-attr]
    if m:
        # Rank 1 goes to the highest value where inverted: sort descending by reversing an
        # ascending sort (ties stay together, so no copy of negated values is needed). Ties need
        # no stable sort either: equal values form one run and take its first rank, so the
        # default (SIMD) sort serves, several times faster than a stable one.
        key = np.where(invert, -array, array) if np.ndim(invert) else array
        if idx is not None:
            key = key[idx]
        order = np.argsort(key)
        if not np.ndim(invert) and invert:
            order = order[::-1]
        sorted_key = key[order]
        new_run = np.empty(m, dtype=bool)
        new_run[0] = True
        np.not_equal(sorted_key[1:], sorted_key[:-1], out=new_run[1:])
        if groups is None:
            if new_run.all():  # no ties: the rank is the position
                rank = np.arange(1.0, m + 1.0)
            else:
                rank = np.maximum.accumulate(np.where(new_run, np.arange(m), 0)) + 1.0
            size = np.float64(m)
        else:
            grp = codes if idx is None else codes[idx]
            # group-major order: a stable radix sort of small integer codes keeps value order
            small = grp.astype(np.uint16 if grp.max() < 2**16 else np.uint32)
            by_group = np.argsort(small[order], kind="stable")
            order = order[by_group]
            sorted_key, sorted_grp = key[order], small[order]
            group_change = np.empty(m, dtype=bool)
            group_change[0] = True
            np.not_equal(sorted_grp[1:], sorted_grp[:-1], out=group_change[1:])
            new_run = group_change.copy()
            new_run[1:] |= sorted_key[1:] != sorted_key[:-1]
            position = np.arange(m)
            run_start = np.maximum.accumulate(np.where(new_run, position, 0))
            group_start = np.maximum.accumulate(np.where(group_change, position, 0))
            rank = (run_start - group_start + 1).astype(np.float64)
            size = np.bincount(sorted_grp).astype(np.float64)[sorted_grp]
        with np.errstate(divide="ignore", invalid="ignore"):
            q = np.floor((k + 1) - np.ceil((size + 1 - rank) / (size / k)))
        np.maximum(q, 1.0, out=q)  # the formula gives 0 for the top rank in small groups
        if np.ndim(size):
            q[size < k] = np.nan
        elif size < k:
            q[:] = np.nan
        out = np.empty(m)
        out[order] = q
        if idx is None:
            result = out
        else:
            result[idx] = out
    complete = all_valid and (groups is None or bool(m)) and not np.isnan(result).any()
    unassigned = 0 if complete else int(np.isnan(result).sum())
    if unassigned:
        missing = int((~valid).sum())
        warnings.warn(
            f"{unassigned} value(s) got no quantile: {missing} missing, "
            f"{unassigned - missing} in groups with fewer than quantiles={k} values",
            QuantileWarning,
            stacklevel=2,
        )
    return result


def _invert_flags(polarity: Any, n: int, first: str) -> Any:
    """True where the highest value should get rank 1."""
    want_high_first = first == "best"
    if isinstance(polarity, str | Polarity):
        p = Polarity.parse(polarity)
        if p is Polarity.NO_JUDGEMENT:
            raise TrajectoryError("polarity must be 'higher' or 'lower' to rank values, got 'none'")
        return (p is Polarity.HIGHER_IS_BETTER) == want_high_first
    flags = np.asarray(
        [Polarity.parse(p) is Polarity.HIGHER_IS_BETTER for p in np.asarray(polarity).ravel()]
    )
    if flags.shape != (n,):
        raise TrajectoryError(
            f"polarity must be one value or one per value ({n}), got {polarity!r}"
        )
    return flags == want_high_first


# --------------------------------------------------------------------------------------------
# Confidence intervals
# --------------------------------------------------------------------------------------------


def _confidence(confidence: float) -> float:
    try:
        c = float(confidence)
    except (TypeError, ValueError):
        raise ScoringError(
            f"confidence must be a fraction such as 0.95, got {confidence!r}"
        ) from None
    if not 0.0 < c < 1.0:
        hint = f"; did you mean {c / 100:g}?" if 1.0 < c < 100.0 else ""
        raise ScoringError(
            f"confidence must be a fraction in (0, 1) such as 0.95, got {confidence!r}{hint}"
        )
    return c


def z_value(confidence: float = 0.95) -> float:
    """Two-sided standard normal quantile for a confidence level (0.95 -> 1.959964...).

    >>> round(z_value(0.95), 6), round(z_value(0.998), 4)
    (1.959964, 3.0902)
    """
    from scipy.special import ndtri

    return float(ndtri(1.0 - (1.0 - _confidence(confidence)) / 2.0))


def _z(confidence: float, z: float | None) -> float:
    if z is None:
        return z_value(confidence)
    if not np.isfinite(z) or z <= 0:
        raise ScoringError(f"z must be a positive number, got {z!r}")
    return float(z)


def _out(array: FloatArray) -> Any:
    return float(array) if np.ndim(array) == 0 else array


def _counts(count: Any, name: str = "count") -> FloatArray:
    return as_float_array(count, name, error=ScoringError, nonnegative=True)


def wilson(
    count: Any, denominator: Any, confidence: float = 0.95, *, z: float | None = None
) -> Interval:
    """Wilson score interval for a proportion ``count / denominator`` (as a fraction 0-1).

    ``(2x + z^2 -/+ z sqrt(z^2 + 4x(1 - p))) / (2(n + z^2))`` with ``p = x/n``.
    Source: Wilson E.B. (1927) JASA 22:209-212; Newcombe R.G. (1998) Stat Med 17:857-872,
    whose worked example 81/263 gives 0.2553 to 0.3662 (95%).

    >>> lo, hi = wilson(81, 263)
    >>> round(lo, 4), round(hi, 4)
    (0.2553, 0.3662)
    >>> wilson(0, 10).lower
    0.0
    """
    x = _counts(count)
    n = as_float_array(denominator, "denominator", error=ScoringError)
    if (n <= 0).any():
        raise ScoringError(f"denominator must be > 0, got {float(np.min(n))!r}")
    if (x > n).any():
        bad = np.argwhere(np.broadcast_to(x > n, np.broadcast_shapes(x.shape, n.shape)))
        raise ScoringError(
            f"count must be <= denominator for a proportion (first at index "
            f"{tuple(int(i) for i in bad[0])})"
        )
    zz = _z(confidence, z)
    p = x / n
    centre = 2 * x + zz**2
    spread = zz * np.sqrt(zz**2 + 4 * x * (1 - p))
    scale = 2 * (n + zz**2)
    lower = np.maximum((centre - spread) / scale, 0.0)
    upper = np.minimum((centre + spread) / scale, 1.0)
    return Interval(_out(lower), _out(upper))


def poisson_exact(count: Any, confidence: float = 0.95) -> Interval:
    """Exact Poisson limits for a count, from the chi-square distribution.

    ``lower = chi2.ppf(a/2, 2x) / 2`` (0 when x = 0), ``upper = chi2.ppf(1 - a/2, 2x + 2) / 2``,
    with ``a = 1 - confidence``. Source: Ulm K. (1990) Am J Epidemiol 131:373-375; PHE
    Technical Guide, Confidence intervals (2018).

    >>> lo, hi = poisson_exact(5)
    >>> round(lo, 4), round(hi, 4)
    (1.6235, 11.6683)
    """
    from scipy.special import chdtri

    x = _counts(count)
    alpha = 1.0 - _confidence(confidence)
    # chdtri(v, p) is the inverse survival function of chi-square with v degrees of freedom
    with np.errstate(invalid="ignore"):
        lower = np.where(x > 0, chdtri(np.where(x > 0, 2 * x, 1.0), 1 - alpha / 2) / 2, 0.0)
    upper = chdtri(2 * x + 2, alpha / 2) / 2
    return Interval(_out(lower), _out(upper))


def byar(count: Any, confidence: float = 0.95, *, z: float | None = None) -> Interval:
    """Byar's approximation to the exact Poisson limits of a count.

    ``lower = x (1 - 1/(9x) - z/(3 sqrt x))^3`` (0 when x = 0),
    ``upper = (x + 1) (1 - 1/(9(x + 1)) + z/(3 sqrt(x + 1)))^3``.
    Source: Breslow N.E., Day N.E. (1987) Statistical Methods in Cancer Research II, IARC,
    p. 69; PHE Technical Guide, Confidence intervals (2018). Pass ``z=1.96`` to match tools
    that use the rounded constant.

    >>> lo, hi = byar(100)
    >>> round(lo, 3), round(hi, 3)
    (81.362, 121.628)
    """
    x = _counts(count)
    zz = _z(confidence, z)
    # cubes by multiplication: pow() may differ by an ulp between array and scalar code paths
    with np.errstate(divide="ignore", invalid="ignore"):
        safe = np.where(x > 0, x, 1.0)
        a = 1 - 1 / (9 * safe) - zz / (3 * np.sqrt(safe))
        lower = np.where(x > 0, safe * (a * a * a), 0.0)
    b = 1 - 1 / (9 * (x + 1)) + zz / (3 * np.sqrt(x + 1))
    upper = (x + 1) * (b * b * b)
    return Interval(_out(np.maximum(lower, 0.0)), _out(upper))


def rate_ci(
    count: Any,
    denominator: Any,
    per: float = 100_000,
    method: Literal["byar", "exact", "auto"] = "byar",
    confidence: float = 0.95,
    *,
    z: float | None = None,
) -> Interval:
    """Confidence interval of a crude rate ``count / denominator * per``.

    ``method="exact"`` uses :func:`poisson_exact`, ``"byar"`` :func:`byar`, and ``"auto"`` the
    common PHE convention: exact below 10 events, Byar from 10 (element by element).

    >>> lo, hi = rate_ci(20, 50_000)
    >>> round(lo, 2), round(hi, 2)
    (24.42, 61.78)
    """
    x = _counts(count)
    n = as_float_array(denominator, "denominator", error=ScoringError)
    if (n <= 0).any():
        raise ScoringError(f"denominator must be > 0, got {float(np.min(n))!r}")
    if method == "exact":
        lo, hi = poisson_exact(x, confidence)
    elif method == "byar":
        lo, hi = byar(x, confidence, z=z)
    elif method == "auto":
        elo, ehi = poisson_exact(x, confidence)
        blo, bhi = byar(x, confidence, z=z)
        lo, hi = np.where(x < 10, elo, blo), np.where(x < 10, ehi, bhi)
    else:
        raise ScoringError(f"method must be 'byar', 'exact' or 'auto', got {method!r}")
    scale = per / n
    return Interval(_out(np.asarray(lo) * scale), _out(np.asarray(hi) * scale))


def dsr_ci(
    dsr: Any,
    count: Any,
    variance: Any,
    confidence: float = 0.95,
    method: Literal["byar", "exact"] = "byar",
) -> Interval:
    """Dobson's interval for a directly standardised rate.

    ``DSR + sqrt(var(DSR) / O) * (O_limit - O)``, where ``O`` is the total observed count, its
    limits ``O_limit`` come from Byar (or exact Poisson), and ``var(DSR)`` is the variance of
    the standardised rate (``sum(w_i^2 O_i / n_i^2)`` times the rate multiplier squared).
    Undefined for zero events, which raises. Source: Dobson A.J. et al. (1991) Stat Med
    10:457-462; PHE Technical Guide, Confidence intervals (2018).

    >>> lo, hi = dsr_ci(500.0, 100, 2500.0)
    >>> round(lo, 2), round(hi, 2)
    (406.81, 608.14)
    """
    rate = as_float_array(dsr, "dsr", error=ScoringError)
    o = _counts(count)
    var = as_float_array(variance, "variance", error=ScoringError, nonnegative=True)
    if (o <= 0).any():
        raise ScoringError("count must be > 0 for Dobson's method (undefined for zero events)")
    lo, hi = byar(o, confidence) if method == "byar" else poisson_exact(o, confidence)
    factor = np.sqrt(var / o)
    return Interval(
        _out(rate + factor * (np.asarray(lo) - o)), _out(rate + factor * (np.asarray(hi) - o))
    )
