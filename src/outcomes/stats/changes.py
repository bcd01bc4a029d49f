"""A record of changes: every area's change over a number of periods, the distribution of true
changes once sampling noise is removed (empirical Bayes), and the change a share of peers achieved.

These are the statistics :mod:`outcomes.realism` builds on and the data-driven rule
``peer_achieved`` uses; they take an array of areas x equally spaced periods (``NaN`` =
missing) and, optionally, each value's published confidence limits.

References: Louis T.A. (1984) Estimating a population of parameter values using Bayes and
empirical Bayes methods. JASA 79:393-398; Hyndman R.J., Fan Y. (1996) Sample quantiles in
statistical packages. Am Stat 50:361-365.
"""

from __future__ import annotations

import enum
import math
from typing import Literal, NamedTuple, cast

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict

from outcomes._arrays import FloatArray, as_float_array, check_choice
from outcomes._fields import ArrayField, TextArray, same_fields
from outcomes.errors import ScoringError
from outcomes.polarity import Polarity

__all__ = ["Changes", "Kind", "RealismNote", "changes", "peer_rate"]

Kind = Literal["relative", "absolute"]

#: Largest magnitude accepted in a history (squares and ratios must stay finite).
_LARGEST = 1e100


class RealismNote(enum.StrEnum):
    """Why a value is missing (``NaN``); ``OK`` beside every value that is present."""

    OK = "OK"
    MISSING_START = "MISSING_START"
    MISSING_END = "MISSING_END"
    ZERO_START = "ZERO_START"
    NO_PLAN = "NO_PLAN"
    NO_CHANGES = "NO_CHANGES"
    NO_HISTORY = "NO_HISTORY"
    NO_TARGET = "NO_TARGET"
    NOT_AFTER_HISTORY = "NOT_AFTER_HISTORY"
    NOT_WHOLE_STEPS = "NOT_WHOLE_STEPS"


def _kind(kind: object) -> Kind:
    return cast(Kind, check_choice(kind, "kind", ("relative", "absolute"), ScoringError))


#: Most periods ahead a change or a forecast may look (a century of months).
_MAX_HORIZON = 1200


def _horizon(horizon: object, name: str = "horizon") -> int:
    if isinstance(horizon, bool) or not isinstance(horizon, int | np.integer):
        raise ScoringError(f"{name} must be a whole number of periods >= 1, got {horizon!r}")
    h = int(horizon)
    if not 1 <= h <= _MAX_HORIZON:
        shown = repr(h) if abs(h) < 10**20 else "a number of more than 20 digits"
        raise ScoringError(
            f"{name} must be a whole number of periods from 1 to {_MAX_HORIZON}, got {shown}"
        )
    return h


def _sign(polarity: object) -> tuple[Polarity, int]:
    try:
        pol = Polarity.parse(polarity)
    except ValueError as exc:  # TrajectoryError from Polarity.parse
        raise ScoringError(f"polarity: {exc}") from None
    if pol is Polarity.NO_JUDGEMENT:
        raise ScoringError(
            f"polarity must be 'higher' or 'lower' (is better) to judge a change, got {polarity!r}"
        )
    return pol, pol.sign


def _history(history: npt.ArrayLike, *, kind: Kind, two_d: bool = False) -> FloatArray:
    """History as a float array (areas..., periods); NaN is missing, infinities are errors."""
    values = as_float_array(history, "history", error=ScoringError, finite=False)
    if values.ndim == 0:
        raise ScoringError(f"history must be areas x periods, got a single value {history!r}")
    if two_d and values.ndim != 2:
        raise ScoringError(f"history must be 2-D (areas x periods), got shape {values.shape}")
    big = np.abs(values) > _LARGEST
    if big.any():
        where = tuple(int(i) for i in np.argwhere(big)[0])
        raise ScoringError(
            f"history values must be within +-{_LARGEST:g}, got {float(values[where])!r} at "
            f"{where}; rescale the measure (e.g. per 100,000)"
        )
    tiny = (values != 0) & (np.abs(values) < 1.0 / _LARGEST)
    if kind == "relative" and tiny.any():
        where = tuple(int(i) for i in np.argwhere(tiny)[0])
        raise ScoringError(
            f"history values must be 0 or at least {1.0 / _LARGEST:g} for relative changes, "
            f"got {float(values[where])!r} at {where}; rescale the measure"
        )
    if kind == "relative" and (values < 0).any():
        where = tuple(int(i) for i in np.argwhere(values < 0)[0])
        raise ScoringError(
            f"history must be >= 0 for relative changes, got {float(values[where])!r} at "
            f"{where}; use kind='absolute' for values that can be negative"
        )
    return values


def _sampling_sd(
    values: FloatArray, lower: npt.ArrayLike, upper: npt.ArrayLike, kind: Kind, confidence: float
) -> FloatArray:
    """Standard error of each value on the model scale, from its published confidence limits.

    Absolute: ``(upper - lower) / (2 z)``. Relative (log scale, where ratio limits such as those
    of a rate are near symmetric): ``(log upper - log lower) / (2 z)``.
    """
    from outcomes.stats.intervals import z_value

    if lower is None or upper is None:
        raise ScoringError("give both lower and upper confidence limits, or neither")
    z = z_value(confidence)
    lo = as_float_array(lower, "lower", error=ScoringError, finite=False)
    hi = as_float_array(upper, "upper", error=ScoringError, finite=False)
    for name, arr in (("lower", lo), ("upper", hi)):
        if arr.shape != values.shape:
            raise ScoringError(
                f"{name} has shape {arr.shape}, history has shape {values.shape}; "
                "give one limit per value"
            )
        if (np.abs(arr) > _LARGEST).any():
            raise ScoringError(
                f"{name} must be finite and within +-{_LARGEST:g}, or missing (NaN); got "
                f"{float(np.nanmax(np.abs(arr)))!r}"
            )
    present = ~np.isnan(values)
    gap = present & (np.isnan(lo) | np.isnan(hi))
    if gap.any():
        where = tuple(int(i) for i in np.argwhere(gap)[0])
        raise ScoringError(
            f"lower and upper must be given wherever history has a value; missing at {where} "
            f"(history {float(values[where])!r})"
        )
    slack = 1e-9 * np.maximum(np.abs(values), 1.0)
    bad = present & ((lo > values + slack) | (hi < values - slack))
    if bad.any():
        where = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ScoringError(
            f"confidence limits must surround the value: at {where} lower={float(lo[where])!r}, "
            f"value={float(values[where])!r}, upper={float(hi[where])!r}"
        )
    if kind == "relative":
        nonpositive = present & (lo <= 0)
        if nonpositive.any():
            where = tuple(int(i) for i in np.argwhere(nonpositive)[0])
            raise ScoringError(
                f"relative changes need lower limits > 0 (they are used on the log scale), got "
                f"lower={float(lo[where])!r} at {where}; use kind='absolute'"
            )
        with np.errstate(divide="ignore", invalid="ignore"):
            sd = (np.log(hi) - np.log(lo)) / (2.0 * z)
    else:
        sd = (hi - lo) / (2.0 * z)
    return np.where(present, sd, np.nan)


def _scale(values: FloatArray, kind: Kind) -> FloatArray:
    """Values on the model scale: log for relative changes, as given for absolute ones."""
    if kind == "absolute":
        return values
    if (values == 0).any():
        where = tuple(int(i) for i in np.argwhere(values == 0)[0])
        raise ScoringError(
            f"history must be > 0 for a relative (log-scale) model, got 0 at {where}; "
            "use kind='absolute'"
        )
    with np.errstate(invalid="ignore"):
        return np.log(values)


def _unscale(values: FloatArray, kind: Kind) -> FloatArray:
    return np.exp(values) if kind == "relative" else values


class Changes(BaseModel):
    """Every area's change over ``horizon`` periods, at every start (shape areas x starts).

    ``change`` is ``NaN`` where it cannot be computed, and ``note`` says why:
    ``MISSING_START``, ``MISSING_END`` or (relative changes) ``ZERO_START``.
    """

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    change: ArrayField
    note: TextArray
    horizon: int
    kind: Kind

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Changes):
            return NotImplemented
        return same_fields(self, other)

    def __hash__(self) -> int:
        return hash((self.horizon, self.kind, self.change.shape))

    @property
    def n(self) -> int:
        """How many changes could be computed."""
        return int(np.sum(~np.isnan(self.change)))

    def values(self) -> FloatArray:
        """The changes that could be computed, as one flat array (row by row).

        >>> changes([[100.0, 90.0, float("nan")]]).values()
        array([-0.1])
        """
        flat = self.change.reshape(-1)
        return np.asarray(flat[~np.isnan(flat)], dtype=np.float64)


def changes(history: npt.ArrayLike, *, horizon: int = 1, kind: Kind = "relative") -> Changes:
    """Every area's change over ``horizon`` periods, at every start.

    Relative: ``c[i, t] = y[i, t + h] / y[i, t] - 1``; absolute: ``c[i, t] = y[i, t + h] -
    y[i, t]``, for ``t = 0 .. n - 1 - h``. A change whose start or end is missing (``NaN``) is
    ``NaN`` with the note ``MISSING_START`` / ``MISSING_END``; a relative change from zero is
    ``NaN`` with ``ZERO_START``.

    Parameters
    ----------
    history : array_like
        Areas x equally spaced periods (the last axis is time; ``NaN`` = missing).
    horizon : int
        Periods between the start and the end of each change (default 1: year on year).
    kind : {"relative", "absolute"}
        Fractional change (``-0.032`` is a 3.2% fall) or difference in the measure's unit.

    Returns
    -------
    Changes
        ``change`` and ``note`` of shape ``history.shape[:-1] + (n - horizon,)``.

    Raises
    ------
    ScoringError
        History is not numeric, has infinities, or (relative) negative values; bad ``horizon``
        or ``kind``.

    References
    ----------
    The "change over a period" of PHE's Fingertips trend and the NHS 2014 planning guidance's
    "x% a year" ambitions (NHS England, Everyone Counts: Planning for Patients 2014/15 to 2018/19).

    Examples
    --------
    >>> c = changes([[100.0, 90.0, 99.0], [50.0, float("nan"), 40.0]])
    >>> c.change.round(3)
    array([[-0.1,  0.1],
           [ nan,  nan]])
    >>> c.note.tolist()
    [['OK', 'OK'], ['MISSING_END', 'MISSING_START']]
    >>> changes([[100.0, 90.0, 99.0]], horizon=2, kind="absolute").change
    array([[-1.]])
    """
    k = _kind(kind)
    h = _horizon(horizon)
    return _changes(_history(history, kind=k), h, k)


def _changes(values: FloatArray, h: int, k: Kind) -> Changes:
    """:func:`changes` of a history that :func:`_history` has checked."""
    start, end = values[..., :-h], values[..., h:]
    if h >= values.shape[-1]:
        start = end = values[..., :0]
    with np.errstate(divide="ignore", invalid="ignore"):
        change = end / start - 1.0 if k == "relative" else end - start
    note = np.full(change.shape, RealismNote.OK.value, dtype="<U13")
    if k == "relative":
        note[start == 0] = RealismNote.ZERO_START.value
    note[np.isnan(end)] = RealismNote.MISSING_END.value
    note[np.isnan(start)] = RealismNote.MISSING_START.value
    change = np.where(note == RealismNote.OK.value, change, np.nan)
    return Changes(change=change, note=note, horizon=h, kind=k)


class _Posteriors(NamedTuple):
    mean: FloatArray  # posterior mean of each observed change (model scale)
    sd: FloatArray  # posterior SD
    tau: float  # SD of true changes around their period's mean
    noise: float  # root mean sampling variance of a change


def _posteriors(values: FloatArray, sd: FloatArray, kind: Kind, horizon: int) -> _Posteriors | None:
    """Empirical-Bayes posteriors of the true changes (None when no change can be computed)."""
    y = values.reshape(-1, values.shape[-1])
    s = sd.reshape(-1, values.shape[-1])
    if kind == "relative":
        if (y == 0).any():
            raise ScoringError(
                "relative changes with confidence limits need values > 0 (the noise model is "
                "on the log scale); use kind='absolute'"
            )
        y = np.log(y)
    c = y[:, horizon:] - y[:, :-horizon] if horizon < y.shape[1] else y[:, :0]
    v = s[:, horizon:] ** 2 + s[:, :-horizon] ** 2 if horizon < y.shape[1] else s[:, :0]
    present = ~np.isnan(c)
    n = int(present.sum())
    if n == 0:
        return None
    counts = present.sum(axis=0)
    mu = np.where(counts > 0, np.nansum(c, axis=0) / np.maximum(counts, 1), 0.0)
    resid = np.where(present, c - mu, 0.0)
    groups = int((counts > 0).sum())
    within = float((resid**2).sum() / max(n - groups, 1))
    mean_v = float(v[present].mean())
    tau2 = max(0.0, within - mean_v)
    cc, vv = c[present], v[present]
    mm = np.broadcast_to(mu, c.shape)[present]
    with np.errstate(invalid="ignore", divide="ignore"):
        shrink = np.where(vv > 0, tau2 / (tau2 + vv), 1.0)
    return _Posteriors(
        mean=mm + shrink * (cc - mm),
        sd=np.sqrt(shrink * vv),
        tau=math.sqrt(tau2),
        noise=math.sqrt(mean_v),
    )


def _mixture_quantile(post: _Posteriors, q: float) -> float:
    """The ``q`` quantile of the average of the posteriors N(mean, sd^2), by bisection."""
    from scipy.special import ndtr

    sd = post.sd
    lo = float(np.min(post.mean - 12.0 * sd)) - 1e-12
    hi = float(np.max(post.mean + 12.0 * sd)) + 1e-12

    def cdf(x: float) -> float:
        with np.errstate(divide="ignore", invalid="ignore"):
            z = (x - post.mean) / sd
        return float(np.mean(np.where(sd > 0, ndtr(z), (post.mean <= x) * 1.0)))

    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if cdf(mid) >= q:
            hi = mid
        else:
            lo = mid
        if hi - lo <= 1e-12 * max(1.0, abs(mid)):
            break
    return hi


def peer_rate(
    history: npt.ArrayLike,
    *,
    percentile: float = 0.75,
    polarity: object,
    lower: npt.ArrayLike | None = None,
    upper: npt.ArrayLike | None = None,
    confidence: float = 0.95,
) -> float:
    """The yearly relative change that the best ``1 - percentile`` of peers' area-years achieved.

    With the one-period relative changes ``c`` of :func:`changes` (every area, every year) and
    ``Q`` the linear-interpolation quantile (Excel PERCENTILE.INC, R type 7, as Fingertips uses
    for quantile bounds)::

        rate = Q(c, percentile)       when higher is better
        rate = Q(c, 1 - percentile)   when lower is better

    so ``percentile=0.75`` is the change that a quarter of area-years matched or beat.

    With confidence limits, ``Q`` is the quantile of the changes once sampling noise is removed
    (the average of the empirical-Bayes posteriors of :func:`achievability`): the best quarter
    of a noisy indicator's observed changes is mostly noise, and a target built on it would ask
    every area to repeat a lucky year.

    Parameters
    ----------
    history : array_like
        Areas x equally spaced yearly periods (``NaN`` = missing; missing changes left out).
    percentile : float
        In ``[0, 1]``: how far along the distribution of improvement (default 0.75, the best
        quarter; 0.5 is the typical area-year).
    polarity : {"higher", "lower"}
        Which direction is better.
    lower, upper : array_like, optional
        Published confidence limits of ``history`` (same shape): remove sampling noise first.
    confidence : float
        Their confidence level (default 0.95).

    Returns
    -------
    float
        The yearly rate (``-0.05`` is a 5% fall a year).

    Raises
    ------
    ScoringError
        Bad percentile, polarity, history or limits; no change could be computed.

    References
    ----------
    Hyndman R.J., Fan Y. (1996) Sample quantiles in statistical packages. Am Stat 50:361-365
    (type 7). Louis T.A. (1984) JASA 79:393-398 (the noise-removed distribution).

    Examples
    --------
    >>> history = [[100.0, 90.0, 85.5], [100.0, 100.0, 102.0], [100.0, 95.0, 95.0]]
    >>> round(peer_rate(history, percentile=0.75, polarity="lower"), 4)
    -0.05
    """
    _, sign = _sign(polarity)
    try:
        q = float(percentile)
    except (TypeError, ValueError, OverflowError):
        raise ScoringError(f"percentile must be a fraction in [0, 1], got {percentile!r}") from None
    if not 0.0 <= q <= 1.0:
        hint = f"; did you mean {q / 100:g}?" if 1.0 < q <= 100.0 else ""
        raise ScoringError(f"percentile must be a fraction in [0, 1], got {percentile!r}{hint}")
    where = q if sign > 0 else 1.0 - q
    values = _history(history, kind="relative")
    observed = _changes(values, 1, "relative").values()
    if observed.size == 0:
        raise ScoringError("history has no year-on-year change to learn from (all missing?)")
    if lower is None and upper is None:
        return float(np.quantile(observed, where, method="linear"))
    sd = _sampling_sd(values, lower, upper, "relative", confidence)  # type: ignore[arg-type]
    post = _posteriors(values, sd, "relative", 1)
    if post is None:  # pragma: no cover - observed.size > 0 guarantees posteriors
        raise ScoringError("history has no year-on-year change to learn from")
    return float(np.expm1(_mixture_quantile(post, min(max(where, 1e-12), 1.0 - 1e-12))))
