"""Is an area improving? The Fingertips recent-trend marker."""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict

from outcomes._arrays import FloatArray, check_choice
from outcomes._fields import ArrayField, PolarityField, TextArray, same_fields
from outcomes.benchmark._common import (
    TextResult,
    _array,
    _broadcast,
    _ordered,
)
from outcomes.errors import ScoringError
from outcomes.polarity import Polarity

#: chi-square with one degree of freedom at 99.8%: Fingertips' recent-trend cut-off.
TREND_CHI_SQUARED_CUTOFF = 9.54953570608324


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

    def to_frame(
        self,
        *,
        organisations: Sequence[str] | None = None,
        organisation_names: Sequence[str] | None = None,
        measure: str | None = None,
        measure_name: str | None = None,
        period: str | None = None,
        unit: str | None = None,
    ) -> Any:
        """One row per area as a tidy DataFrame (extra ``pandas``); see
        :func:`outcomes.frames.trend_frame`."""
        from outcomes.frames import trend_frame

        return trend_frame(
            self,
            organisations=organisations,
            organisation_names=organisation_names,
            measure=measure,
            measure_name=measure_name,
            period=period,
            unit=unit,
        )

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
    how = check_choice(method, "method", ("ci_regression", "cochran_armitage"), ScoringError)
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
