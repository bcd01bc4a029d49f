"""Quantiles, in the two published flavours that disagree on real data.

* :func:`quantile_bounds` - **value bounds** by linear interpolation (Excel PERCENTILE.INC,
  R ``quantile(type = 7)``, numpy's default), as the Fingertips site computes quartile and
  quintile boundaries (``ValueCategoriesCalculator``); :func:`quantile_categories` places values
  in them (a value equal to a bound falls in the lower group).
* :func:`assign_quantiles` - the OHID **rank-based** assignment of PHEindicatormethods
  ``phe_quantile`` and PHStatsMethods ``ph_quantile`` ("Assigning Deprivation Categories"),
  re-implemented from the published formula.
"""

from __future__ import annotations

import bisect
import math
import warnings
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from outcomes._arrays import (
    FloatArray,
    as_float_array,
    check_choice,
    check_finite_result,
    check_ndigits,
)
from outcomes.errors import OutcomesError, OutcomesWarning, TrajectoryError
from outcomes.polarity import Polarity

__all__ = [
    "QUANTILE_METHODS",
    "QuantileWarning",
    "assign_quantiles",
    "quantile_bounds",
    "quantile_categories",
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


class QuantileWarning(OutcomesWarning):
    """Some values could not be given a quantile (missing, or their group is too small); they
    get NaN, counted in the message, and nothing is dropped."""


def _check_quantiles(quantiles: int, error: type[OutcomesError]) -> int:
    if isinstance(quantiles, bool) or not isinstance(quantiles, int | np.integer) or quantiles < 2:
        raise error(f"quantiles must be a whole number >= 2, got {quantiles!r}")
    return int(quantiles)


def quantile_bounds(
    values: npt.ArrayLike,
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
    check_choice(method, "method", sorted(QUANTILE_METHODS), TrajectoryError)
    check_choice(nan_policy, "nan_policy", ("raise", "omit"), TrajectoryError)
    array = as_float_array(values, "peers", error=TrajectoryError, finite=False)
    if array.ndim == 0:
        raise TrajectoryError(f"peers must be a sequence of values, got {values!r}")
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
    places = None if ndigits is None else check_ndigits(ndigits, TrajectoryError)
    probs = np.linspace(0.0, 1.0, k + 1)
    func = np.nanquantile if missing.any() else np.quantile
    with np.errstate(over="ignore", invalid="ignore"):
        bounds = func(array, probs, axis=-1, method=QUANTILE_METHODS[method])  # type: ignore[call-overload]
        bounds = np.moveaxis(bounds, 0, -1)
        if places is not None:
            rounded = np.round(bounds, places)
            # values too large to hold decimals are whole already (rounding them overflows)
            bounds = np.where(np.isfinite(rounded), rounded, bounds)
    check_finite_result(
        np.asarray(bounds), "the quantile bounds", TrajectoryError, "the peer values are too large"
    )
    return np.asarray(bounds, dtype=np.float64)


def quantile_categories(
    values: npt.ArrayLike, bounds: npt.ArrayLike, *, polarity: Polarity | str | None = None
) -> npt.NDArray[np.intp]:
    """Fingertips value-bound category of each value: the first ``i`` (1..k) with
    ``value <= bounds[i]``, so 1 holds the lowest values and a value on a bound goes down.

    With ``polarity=HIGHER_IS_BETTER`` the categories are reversed (``k + 1 - i``), as
    Fingertips does for quintiles, so that 1 is best whatever the polarity.

    >>> quantile_categories([1, 3, 3.5, 9], [1, 3, 5, 7, 9])
    array([1, 1, 2, 4])
    """
    edges = as_float_array(bounds, "bounds", error=TrajectoryError)
    array = as_float_array(values, "values", error=TrajectoryError)
    if edges.ndim == 0 or edges.shape[-1] < 2:
        raise TrajectoryError(
            f"bounds must be [min, ..., max] with at least 2 values along the last axis, got "
            f"shape {edges.shape}"
        )
    if (edges[..., 1:] < edges[..., :-1]).any():
        raise TrajectoryError("bounds must not decrease along the last axis")
    k = edges.shape[-1] - 1
    inner = edges[..., 1:-1]
    if inner.ndim == 1:
        category = np.searchsorted(inner, array, side="left") + 1
    else:
        try:
            np.broadcast_shapes(inner.shape[:-1], array.shape)
        except ValueError:
            raise TrajectoryError(
                f"shapes do not match: values has shape {array.shape}, bounds has shape "
                f"{edges.shape} (one row of bounds per value)"
            ) from None
        category = (inner < array[..., np.newaxis]).sum(axis=-1) + 1
    if polarity is not None and Polarity.parse(polarity) is Polarity.HIGHER_IS_BETTER:
        category = k + 1 - category
    return category


def assign_quantiles(
    values: npt.ArrayLike,
    quantiles: int = 10,
    *,
    polarity: Polarity | str | npt.ArrayLike,
    groups: npt.ArrayLike | None = None,
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
    check_choice(first, "first", ("best", "worst"), TrajectoryError)
    invert = _invert_flags(polarity, n, first)

    if groups is None:
        codes = np.zeros(n, dtype=np.intp)
    else:
        try:
            group_array = np.asarray(groups)
        except ValueError:
            raise TrajectoryError(
                f"groups must be one label per value ({n}), got {groups!r:.80}"
            ) from None
        if group_array.shape != (n,):
            raise TrajectoryError(
                f"groups must have one label per value ({n}), got shape {group_array.shape}"
            )
        codes = _group_codes(group_array)
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
        if groups is None and m >= k:
            # no sort at all: the quantile is a step function of the rank, so k - 1 order
            # statistics (one partition) and a search among them place every value
            q = _ungrouped(key, k, descending=not np.ndim(invert) and bool(invert))
            if idx is None:
                result = q
            else:
                result[idx] = q
            m = 0  # done
    if m:
        if not np.ndim(invert) and invert:
            key = -key  # descending: the order of the negated values (gathers run forwards)
        order = np.argsort(key)
        size: FloatArray | np.float64
        if groups is None:  # fewer values than quantiles: none is placed (NaN below)
            rank = np.arange(1.0, m + 1.0)
            size = np.float64(m)
        else:
            grp = codes if idx is None else codes[idx]
            # group-major order: a stable radix sort of small integer codes keeps value order
            small = grp.astype(np.uint16 if grp.max() < 2**16 else np.uint32)
            by_group = np.argsort(small[order], kind="stable")
            order = order[by_group]
            sorted_key = key[order]
            counts = np.bincount(small)
            present = counts[counts > 0]
            starts = np.cumsum(present) - present
            group_start = np.repeat(starts, present)  # the first position of each one's group
            size = np.repeat(present, present).astype(np.float64)
            differs = np.empty(m, dtype=bool)
            differs[0] = True
            np.not_equal(sorted_key[1:], sorted_key[:-1], out=differs[1:])
            if differs.all():  # no ties anywhere: the rank is the position in the group
                rank = (np.arange(m) - group_start + 1).astype(np.float64)
            else:  # a run of ties (which never crosses a group's start) takes its first rank
                differs[starts] = True
                run_start = np.maximum.accumulate(np.where(differs, np.arange(m), 0))
                rank = (run_start - group_start + 1).astype(np.float64)
        # q = floor((k + 1) - ceil((size + 1 - rank) / (size / k))), in place on the ranks
        q = np.asarray(rank, dtype=np.float64)
        with np.errstate(divide="ignore", invalid="ignore"):
            np.subtract(size + 1, q, out=q)
            np.divide(q, size / k, out=q)
            np.ceil(q, out=q)
            np.subtract(k + 1, q, out=q)
            np.floor(q, out=q)
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


def _group_codes(groups: npt.NDArray[Any]) -> npt.NDArray[np.intp]:
    """A small whole number per group label: whole-number labels of a compact range are their
    own codes (offset; no sort needed), any other labels are numbered by ``np.unique``."""
    n = groups.shape[0]
    if groups.dtype.kind == "b":
        return np.asarray(groups, dtype=np.intp)
    if groups.dtype.kind in "iu" and n:
        low, high = groups.min(), groups.max()
        if int(high) - int(low) <= max(4 * n, 1 << 16):
            return np.asarray(groups - low, dtype=np.intp)
    _, codes = np.unique(groups, return_inverse=True)
    return np.asarray(codes, dtype=np.intp).reshape(n)


def _rank_thresholds(m: int, k: int) -> list[int]:
    """For quantiles 2..k, the least rank ``r`` (1-based, of ``m`` values) whose quantile
    ``max(1, floor((k + 1) - ceil((m + 1 - r) / (m / k))))`` reaches it (``m + 1``: never),
    found by bisection over the same floating-point formula the ranks would use."""

    def quantile(r: int) -> int:
        return max(1, math.floor((k + 1) - math.ceil((m + 1 - r) / (m / k))))

    return [bisect.bisect_left(range(1, m + 1), j, key=quantile) + 1 for j in range(2, k + 1)]


def _ungrouped(key: FloatArray, k: int, *, descending: bool) -> FloatArray:
    """Quantiles of one set of (finite or infinite, not NaN) values by the OHID rank rule.

    A value's rank is 1 + the number of values better than it (ties share the better rank), and
    its quantile is 1 + the number of thresholds ``r_j`` (:func:`_rank_thresholds`) its rank
    reaches. With ``s`` the values in ascending order, "at least ``t`` values below ``x``" is
    ``x > s[t - 1]`` (ascending) and "at least ``t`` values above ``x``" is ``x < s[m - t]``
    (descending), so only the order statistics ``s[t - 1]`` (or ``s[m - t]``) are needed: one
    ``np.partition`` and one ``np.searchsorted`` instead of a full sort.
    """
    m = key.shape[0]
    t = [r - 1 for r in _rank_thresholds(m, k) if r <= m]  # values that must lie beyond
    positions = [m - tj for tj in t] if descending else [tj - 1 for tj in t]
    wanted = sorted({p for p, tj in zip(positions, t, strict=True) if tj >= 1})
    part = np.partition(key, wanted) if wanted else key
    edge = np.inf if descending else -np.inf
    cuts = np.sort(
        np.array([part[p] if tj >= 1 else edge for p, tj in zip(positions, t, strict=True)])
    )
    if descending:  # how many cuts lie above the value
        q = np.searchsorted(cuts, key, side="right").astype(np.float64)
        np.subtract(len(cuts) + 1.0, q, out=q)
    else:  # how many cuts lie below it
        q = np.searchsorted(cuts, key, side="left").astype(np.float64)
        q += 1.0
    return q


def _invert_flags(
    polarity: Polarity | str | npt.ArrayLike, n: int, first: str
) -> bool | npt.NDArray[np.bool_]:
    """True where the highest value should get rank 1."""
    want_high_first = first == "best"
    if isinstance(polarity, str | Polarity):
        p = Polarity.parse(polarity)
        if p is Polarity.NO_JUDGEMENT:
            raise TrajectoryError("polarity must be 'higher' or 'lower' to rank values, got 'none'")
        return (p is Polarity.HIGHER_IS_BETTER) == want_high_first
    try:
        labels = np.asarray(polarity).ravel()
    except ValueError:
        raise TrajectoryError(
            f"polarity must be one value or one per value ({n}), got {polarity!r:.80}"
        ) from None
    if labels.shape != (n,):
        raise TrajectoryError(
            f"polarity must be one value or one per value ({n}), got shape {np.shape(polarity)}"
        )
    # parse each distinct label once, not once per row
    distinct, inverse = np.unique(labels.astype(str), return_inverse=True)
    parsed = [Polarity.parse(text) for text in distinct]
    if Polarity.NO_JUDGEMENT in parsed:
        raise TrajectoryError("polarity must be 'higher' or 'lower' to rank values, got 'none'")
    high = np.array([p is Polarity.HIGHER_IS_BETTER for p in parsed], dtype=bool)
    flags: npt.NDArray[np.bool_] = high[inverse.reshape(n)] == want_high_first
    return flags
