"""Means with Student's t limits."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from outcomes.errors import ScoringError
from outcomes.indicators._common import (
    _CODE,
    Confidence,
    MeanResult,
    Note,
    _array,
    _interval_map,
    _levels,
    _note_text,
    _quiet,
    _sweep,
)

# --------------------------------------------------------------------------------------------
# Means
# --------------------------------------------------------------------------------------------


@_quiet
def mean_ci(values: npt.ArrayLike, *, confidence: Confidence = 0.95, axis: int = -1) -> MeanResult:
    """Mean with Student's t limits from the sample standard deviation (PHE).

    ``mean -/+ t(1 - a/2, N - 1) * s / sqrt(N)`` with ``s`` the sample standard deviation
    (``N - 1`` divisor) of the ``N`` non-missing values along ``axis``. Missing values (NaN)
    are left out; with one value the limits are not computed (note ``"fewer than 2 values:
    no interval"``), with none the value neither (``"no values"``).

    Parameters
    ----------
    values : array_like
        The observations; several groups along the other axes.
    confidence : float or sequence of float
        Level(s).
    axis : int
        Axis holding the observations (default: the last).

    Returns
    -------
    MeanResult
        ``value``, ``lower``, ``upper``, ``note``, ``total`` (sum), ``count``, ``stdev``.

    Raises
    ------
    ScoringError
        Infinite values, a bad axis or confidence.

    References
    ----------
    Student (1908) The probable error of a mean. Biometrika 6:1-25; PHE Technical Guidance,
    "Confidence intervals"; PHEindicatormethods ``phe_mean``.

    Examples
    --------
    >>> r = mean_ci([1.0, 2.0, 3.0, 4.0])
    >>> float(r.value), round(float(r.lower), 4), round(float(r.upper), 4)
    (2.5, 0.4457, 4.5543)
    """
    from scipy.special import stdtrit

    levels = _levels(confidence)
    x = _array(values, "values")
    if x.ndim == 0:
        x = x.reshape(1)
    if isinstance(axis, bool) or not isinstance(axis, int | np.integer):
        raise ScoringError(f"axis must be a whole number, got {axis!r}")
    try:
        x = np.moveaxis(x, axis, -1)
    except (np.exceptions.AxisError, TypeError, ValueError, OverflowError):
        raise ScoringError(f"axis {axis!r} is out of range for values of shape {x.shape}") from None
    present = ~np.isnan(x)
    count = present.sum(axis=-1).astype(np.float64)
    total = np.where(present, x, 0.0).sum(axis=-1)
    code = np.zeros(count.shape, dtype=np.uint8)
    code[count < 2] = _CODE[Note.FEWER_THAN_2_VALUES]
    code[count == 0] = _CODE[Note.NO_VALUES]
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = total / count
        deviation = np.where(present, x - mean[..., np.newaxis], 0.0)
        stdev = np.sqrt((deviation * deviation).sum(axis=-1) / (count - 1))
        half = stdev / np.sqrt(count)
    df = np.where(count >= 2, count - 1, 1.0)
    limits = []
    for c in levels:
        t = stdtrit(df, 1.0 - (1.0 - c) / 2.0)
        limits.append((mean - t * half, mean + t * half))
    value = np.where(count > 0, mean, np.nan)
    stdev = np.where(count >= 2, stdev, np.nan)
    _sweep(code, value, total, *(a for pair in limits for a in pair))
    # a sum or a spread beyond a float (values near 1e308): missing, beside the note
    total = np.where(np.isfinite(total), total, np.nan)
    stdev = np.where(np.isfinite(stdev), stdev, np.nan)
    bad = code != 0
    limits = [(np.where(bad, np.nan, lo), np.where(bad, np.nan, hi)) for lo, hi in limits]
    value = np.where(code == _CODE[Note.FEWER_THAN_2_VALUES], value, np.where(bad, np.nan, value))
    return MeanResult(
        value=value,
        lower=limits[0][0],
        upper=limits[0][1],
        note=_note_text(code),
        confidence=levels,
        intervals=_interval_map(levels, limits),
        per=1.0,
        method="Student's t-distribution",
        total=total,
        count=count,
        stdev=stdev,
    )
