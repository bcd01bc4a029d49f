"""Is this ambition realistic? What peers actually achieved, and calibrated odds of meeting a target.

History is an array of areas x equally spaced periods (``NaN`` = missing), optionally with the
published confidence limits of each value (same shape). Four questions, one function each:

* :func:`changes` - every area's change over ``horizon`` periods, at every start.
* :func:`achievability` - how often peers did at least as well as a planned change (``share``),
  where the plan sits among their changes (``percentile``), and, given confidence limits, the
  same share once sampling noise is removed (``share_adjusted``, empirical-Bayes shrinkage).
* :func:`probability` - for each area, the probability of meeting a target ``horizon`` periods
  after the last period, from a model with shocks common to all areas in a year, regression to
  the mean and shrinkage of each area's own trend toward its peers' (:func:`forecast` gives the
  whole predictive distribution).
* :func:`backtest` - Brier score of :func:`probability` on every rolling origin against the
  naive base rate, and a reliability table, so that a user can see that the odds are honest.

:func:`peer_achieved` turns the record into a trajectory: the yearly change that the best
quarter (or any share) of peers actually achieved. The model's equations, and the backtests that
chose it, are in ``docs/realism.md``.
"""

from __future__ import annotations

import enum
import math
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict

from outcomes._arrays import FloatArray, as_float_array
from outcomes._fields import ArrayField, PolarityField, TextArray, same_fields
from outcomes.errors import InputError, ScoringError
from outcomes.polarity import Polarity

if TYPE_CHECKING:  # only for the annotation of peer_achieved; imported lazily at run time
    from outcomes.models import Trajectory

__all__ = [
    "Achievability",
    "Backtest",
    "Changes",
    "Forecast",
    "History",
    "Probability",
    "RealismModel",
    "RealismNote",
    "achievability",
    "backtest",
    "changes",
    "forecast",
    "history_from_frame",
    "peer_achieved",
    "peer_rate",
    "probability",
]

Kind = Literal["relative", "absolute"]

#: Changes further than this many robust standard deviations (1.4826 x MAD) from the year's
#: median are pulled in to that limit when the model's variances are estimated (boundary
#: changes and data errors would otherwise set the spread for every area). Chosen by backtest.
WINSOR_MADS = 4.0
#: The trend variance is kept only above this many standard errors (chosen by backtest).
TREND_GUARD_SE = 2.0
#: Grid of year-on-year persistence of transient deviations searched by the fit.
PERSISTENCE_GRID = np.round(np.linspace(0.0, 0.98, 50), 2)
#: Fewest periods and areas the model can be fitted to.
MIN_PERIODS = 3
MIN_AREAS = 3
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


# --------------------------------------------------------------------------------------------
# validation
# --------------------------------------------------------------------------------------------


def _kind(kind: object) -> Kind:
    if kind == "relative":
        return "relative"
    if kind == "absolute":
        return "absolute"
    raise ScoringError(f"kind must be 'relative' or 'absolute', got {kind!r}")


def _horizon(horizon: object, name: str = "horizon") -> int:
    if isinstance(horizon, bool) or not isinstance(horizon, int | np.integer) or horizon < 1:
        raise ScoringError(f"{name} must be a whole number of periods >= 1, got {horizon!r}")
    return int(horizon)


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
    if np.isinf(values).any():
        where = tuple(int(i) for i in np.argwhere(np.isinf(values))[0])
        raise ScoringError(
            f"history must be finite or missing (NaN), got {float(values[where])!r} at {where}"
        )
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
    from outcomes.stats import z_value

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
        if np.isinf(arr).any() or (np.abs(arr) > _LARGEST).any():
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


# --------------------------------------------------------------------------------------------
# changes and achievability
# --------------------------------------------------------------------------------------------


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
    values = _history(history, kind=k)
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


class Achievability(BaseModel):
    """How often peers' changes were at least as good as a plan (one value per plan).

    ``share``: fraction of the ``n`` historical area-periods whose change was at least as good
    as planned. ``percentile``: the plan's rank among them counted in the direction of
    improvement (``0.9``: the plan is better than 90% of historical changes; ties count half).
    ``share_adjusted`` (confidence limits given): the share once sampling noise is removed.
    ``NaN`` only beside a ``note`` (``NO_PLAN``, ``NO_CHANGES``).
    """

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    planned_change: ArrayField
    share: ArrayField
    percentile: ArrayField
    n: int
    n_missing: int
    share_adjusted: ArrayField | None = None
    true_sd: float | None = None
    noise_sd: float | None = None
    note: TextArray
    polarity: PolarityField
    horizon: int
    kind: Kind
    method: str

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Achievability):
            return NotImplemented
        return same_fields(self, other)

    def __hash__(self) -> int:
        return hash((self.n, self.horizon, self.kind))

    def __str__(self) -> str:
        rows = []
        for i, plan in enumerate(np.atleast_1d(self.planned_change)):
            share = np.atleast_1d(self.share)[i]
            text = f"planned {_pct(plan)} over {self.horizon} period(s): "
            if np.isnan(share):
                rows.append(text + f"not computed ({np.atleast_1d(self.note)[i]})")
                continue
            text += f"achieved by {share:.0%} of {self.n} area-periods"
            if self.share_adjusted is not None:
                text += f" ({np.atleast_1d(self.share_adjusted)[i]:.0%} after removing noise)"
            rows.append(text)
        return "\n".join(rows)


def _pct(value: float) -> str:
    return f"{value * 100:+.1f}%" if np.isfinite(value) else "missing"


def _plans(planned_change: npt.ArrayLike, kind: Kind, horizon: int) -> FloatArray:
    plan = as_float_array(planned_change, "planned_change", error=ScoringError, finite=False)
    if np.isinf(plan).any():
        raise ScoringError("planned_change must be finite or missing (NaN), got an infinity")
    if kind == "relative" and (plan <= -1).any():
        raise ScoringError(
            f"a relative planned_change must be > -1 (a fall of less than 100%), got "
            f"{float(np.min(plan))!r}"
        )
    return plan


def achievability(
    planned_change: npt.ArrayLike,
    history: npt.ArrayLike,
    *,
    polarity: object,
    horizon: int = 1,
    kind: Kind = "relative",
    lower: npt.ArrayLike | None = None,
    upper: npt.ArrayLike | None = None,
    confidence: float = 0.95,
) -> Achievability:
    """How often peers achieved a planned change: the share of historical changes at least as
    good, the plan's percentile, and (with confidence limits) the share net of sampling noise.

    With the ``n`` changes ``c`` of :func:`changes` (every area, every start) and ``s = +1``
    (higher is better) or ``-1``::

        share      = #{s c >= s p} / n
        percentile = (#{s c < s p} + #{c = p} / 2) / n

    **Adjusted share** (``lower``/``upper`` given). An observed change is a true change plus
    sampling noise, ``c_ij = theta_ij + e_ij`` with ``e_ij ~ N(0, v_ij)``, ``v_ij`` the sum of
    the squared standard errors of its two ends (``(upper - lower) / (2 z)``, on the log scale
    for relative changes). Noise fattens the tails, so bold plans look more common than they
    are. True changes of start period ``j`` are taken as ``N(mu_j, tau^2)``: ``mu_j`` is the
    period's mean change (the shock common to all areas that year) and ``tau^2 = max(0,
    pooled within-period variance - mean v)`` (method of moments). Each change's posterior is
    ``N(m_ij, B_ij v_ij)`` with ``B_ij = tau^2 / (tau^2 + v_ij)`` and ``m_ij = mu_j + B_ij
    (c_ij - mu_j)``, and::

        share_adjusted = mean_ij P(s theta_ij >= s p | c_ij) = mean_ij Phi(s (m_ij - p) / sqrt(B_ij v_ij))

    the posterior expected share of true changes at least as good as the plan. This is the
    shrinkage estimate of the deconvolved distribution's tail (Louis 1984; Shen & Louis 1998):
    counting the shrunken point estimates ``m_ij`` instead would make the tails too thin.

    Parameters
    ----------
    planned_change : array_like
        The plan's change over ``horizon`` periods, as :func:`changes` measures it (relative:
        ``-0.032`` is a 3.2% fall). Any shape: one result per plan. ``NaN`` gives ``NaN`` with
        the note ``NO_PLAN``.
    history : array_like
        Areas x equally spaced periods (``NaN`` = missing; missing changes are left out and
        counted in ``n_missing``).
    polarity : {"higher", "lower"}
        Which direction is better.
    horizon : int
        Periods per change (default 1).
    kind : {"relative", "absolute"}
        As in :func:`changes`.
    lower, upper : array_like, optional
        Published confidence limits of every value of ``history`` (same shape).
    confidence : float
        Confidence level of the limits (default 0.95).

    Returns
    -------
    Achievability
        ``share``, ``percentile`` (shape of ``planned_change``), ``n``, ``n_missing``, and with
        limits ``share_adjusted``, ``true_sd`` (``tau``) and ``noise_sd`` (root mean ``v``).

    Raises
    ------
    ScoringError
        Bad history, limits, plan, polarity, horizon or kind (the message names the field).

    References
    ----------
    Louis T.A. (1984) Estimating a population of parameter values using Bayes and empirical
    Bayes methods. JASA 79:393-398. Shen W., Louis T.A. (1998) Triple-goal estimates in
    two-stage hierarchical models. JRSS B 60:455-471. DerSimonian R., Laird N. (1986)
    Meta-analysis in clinical trials. Control Clin Trials 7:177-188 (moment estimate of tau^2).

    Examples
    --------
    >>> history = [[100.0, 96.0, 95.0], [200.0, 204.0, 190.0], [150.0, 150.0, 147.0]]
    >>> a = achievability(-0.032, history, polarity="lower")
    >>> round(float(a.share), 4), round(float(a.percentile), 4), a.n
    (0.3333, 0.6667, 6)

    Noisy small areas whose true rates hardly move: a 10% fall looks common, but is not.

    >>> import numpy as np
    >>> rng = np.random.default_rng(7)
    >>> rate = np.exp(rng.normal(0.0, 0.1, (100, 5)))  # 10% sampling noise, no real change
    >>> b = achievability(-0.10, rate * 100, polarity="lower",
    ...                   lower=rate * 100 * np.exp(-0.196), upper=rate * 100 * np.exp(0.196))
    >>> round(float(b.share), 2), round(float(b.share_adjusted), 2)
    (0.2, 0.0)
    """
    k = _kind(kind)
    h = _horizon(horizon)
    pol, sign = _sign(polarity)
    values = _history(history, kind=k)
    plan = _plans(planned_change, k, h)
    ch = changes(values, horizon=h, kind=k)
    observed = ch.values()
    n = observed.size
    n_missing = int(ch.change.size - n)

    ordered = np.sort(observed)
    left = np.searchsorted(ordered, plan, side="left").astype(np.float64)
    right = np.searchsorted(ordered, plan, side="right").astype(np.float64)
    ties = right - left
    if sign < 0:
        better_or_equal, worse = right, n - right
    else:
        better_or_equal, worse = n - left, left
    note = np.full(plan.shape, RealismNote.OK.value, dtype="<U13")
    if n == 0:
        note[...] = RealismNote.NO_CHANGES.value
    note[np.isnan(plan)] = RealismNote.NO_PLAN.value
    ok = note == RealismNote.OK.value
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(ok, better_or_equal / max(n, 1), np.nan)
        percentile = np.where(ok, (worse + ties / 2.0) / max(n, 1), np.nan)

    adjusted = true_sd = noise_sd = None
    method = "count of historical changes at least as good as planned"
    if lower is not None or upper is not None:
        sd = _sampling_sd(values, lower, upper, k, confidence)  # type: ignore[arg-type]
        adjusted, true_sd, noise_sd = _adjusted_share(values, sd, plan, ok, sign, k, h)
        method += (
            "; adjusted: posterior expected share under empirical-Bayes normal shrinkage "
            "toward each start period's mean change (Louis 1984)"
        )
    return Achievability(
        planned_change=plan,
        share=share,
        percentile=percentile,
        n=n,
        n_missing=n_missing,
        share_adjusted=adjusted,
        true_sd=true_sd,
        noise_sd=noise_sd,
        note=note,
        polarity=pol,
        horizon=h,
        kind=k,
        method=method,
    )


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


def _adjusted_share(
    values: FloatArray,
    sd: FloatArray,
    plan: FloatArray,
    ok: npt.NDArray[np.bool_],
    sign: int,
    kind: Kind,
    horizon: int,
) -> tuple[FloatArray, float | None, float | None]:
    from scipy.special import ndtr

    post = _posteriors(values, sd, kind, horizon)
    if post is None:
        return np.full(plan.shape, np.nan), None, None
    if kind == "relative":
        with np.errstate(invalid="ignore", divide="ignore"):
            target = np.log1p(plan)
    else:
        target = plan
    flat = target.reshape(-1)
    out = np.empty(flat.shape)
    # chunks keep the (changes x plans) matrix small for long plan arrays
    for lo in range(0, flat.size, 256):
        t = flat[lo : lo + 256]
        diff = sign * (post.mean[:, None] - t[None, :])
        with np.errstate(invalid="ignore", divide="ignore"):
            z = diff / post.sd[:, None]
        prob = np.where(post.sd[:, None] > 0, ndtr(z), (diff >= 0).astype(np.float64))
        out[lo : lo + 256] = prob.mean(axis=0)
    adjusted = np.where(ok, out.reshape(target.shape), np.nan)
    return adjusted, post.tau, post.noise


# --------------------------------------------------------------------------------------------
# the forecasting model
# --------------------------------------------------------------------------------------------


class RealismModel(BaseModel):
    """The fitted parameters of the forecasting model (on the model scale: log for relative).

    ``drift``/``shock_sd``: mean and standard deviation of the yearly change common to all
    areas. ``level_sd``: spread of areas' persistent levels around the peers' mean (the smaller,
    the harder far-out areas are pulled back). ``transient_sd``/``persistence``: deviations
    from an area's own level that die away by the factor ``persistence`` a year. ``trend_sd``:
    spread of areas' own trends around the peers' trend (0: own trends are shrunk entirely to
    the peers'). ``sampling``: whether published confidence limits were used as sampling noise.
    """

    model_config = ConfigDict(frozen=True)

    kind: Kind
    areas: int
    periods: int
    drift: float
    shock_sd: float
    level_sd: float
    transient_sd: float
    persistence: float
    trend_sd: float
    sampling: bool

    def explain(self) -> str:
        """The fitted model in words.

        >>> m = RealismModel(kind="relative", areas=3, periods=4, drift=-0.01, shock_sd=0.02,
        ...                  level_sd=0.1, transient_sd=0.05, persistence=0.5, trend_sd=0.0,
        ...                  sampling=False)
        >>> print(m.explain().splitlines()[0])
        Common to all areas: -1.0% a period on average, give or take 2.0% (shocks of a year).
        """
        unit = "%" if self.kind == "relative" else ""
        f = 100.0 if self.kind == "relative" else 1.0

        def q(x: float) -> str:
            return f"{x * f:.1f}{unit}" if unit else f"{x:.4g}"

        lines = [
            f"Common to all areas: {'+' if self.drift >= 0 else '-'}{q(abs(self.drift))} a "
            f"period on average, give or take {q(self.shock_sd)} (shocks of a year).",
            f"Areas' persistent levels differ from the peers' mean by about {q(self.level_sd)};"
            " an area's level is pulled toward the mean in proportion to how noisy its history is.",
            f"Transient deviations of about {q(self.transient_sd)} keep "
            f"{self.persistence:.0%} of themselves from one period to the next "
            "(regression to the mean).",
            f"Areas' own trends differ from the peers' trend by about {q(self.trend_sd)} a period"
            + (" (own trends are shrunk entirely to the peers')." if self.trend_sd == 0 else "."),
            "Published confidence limits are used as sampling noise."
            if self.sampling
            else "No confidence limits: sampling noise is part of the transient deviations.",
        ]
        return "\n".join(lines)


class _Fit(NamedTuple):
    model: RealismModel
    y: FloatArray  # model-scale history
    s2: FloatArray  # sampling variance (0 when no limits)
    common: FloatArray  # M_t + c_t, the peers' mean level each period
    deviation: FloatArray  # d_it
    changes: int  # number of common changes used for drift and shock_sd


def _winsorise(change: FloatArray) -> FloatArray:
    """Pull changes beyond WINSOR_MADS robust SDs of each period's median in to that limit."""
    med = np.nanmedian(change, axis=0)
    mad = 1.4826 * np.nanmedian(np.abs(change - med), axis=0)
    limit = np.where(mad > 0, WINSOR_MADS * mad, np.inf)
    return np.clip(change, med - limit, med + limit)


def _fit(
    history: npt.ArrayLike,
    lower: npt.ArrayLike | None,
    upper: npt.ArrayLike | None,
    kind: Kind,
    confidence: float,
) -> _Fit:
    """Fit the model by closed-form moments (see docs/realism.md for the equations)."""
    values = _history(history, kind=kind, two_d=True)
    n_areas, n = values.shape
    if n < MIN_PERIODS:
        raise ScoringError(f"history needs at least {MIN_PERIODS} periods, got {n}")
    observed_areas = int((~np.isnan(values)).any(axis=1).sum())
    if observed_areas < MIN_AREAS:
        raise ScoringError(
            f"history needs at least {MIN_AREAS} areas with values, got {observed_areas}"
        )
    sampling = lower is not None or upper is not None
    sd = _sampling_sd(values, lower, upper, kind, confidence) if sampling else None  # type: ignore[arg-type]
    y = _scale(values, kind)
    ok = ~np.isnan(y)
    s2 = np.where(ok, sd**2, 0.0) if sd is not None else np.zeros_like(y)

    # 1. shocks common to all areas: the mean change of the areas present in both periods
    step = np.diff(y, axis=1)
    both = ~np.isnan(step)
    if not both.any(axis=0).all():
        gap = int(np.argmin(both.any(axis=0)))
        raise ScoringError(
            f"history: no area has values in both period {gap} and period {gap + 1}, so the change "
            "common to all areas cannot be measured"
        )
    g = np.nansum(step, axis=0) / both.sum(axis=0)
    level = np.concatenate([[0.0], np.cumsum(g)])
    d = y - level
    centre = np.nanmean(np.where(ok, d, np.nan), axis=0)
    d = d - centre
    common = level + centre

    # 2. dynamics from the cross-area covariances of the deviations' changes
    delta = _winsorise(np.diff(d, axis=1))
    okd = ~np.isnan(delta)
    dc = np.where(okd, delta - np.nanmean(delta, axis=0), 0.0)
    w = okd.astype(np.float64)
    m = n - 1
    lags, cov, weight, per_area = [], [], [], []
    for lag in range(m):
        prod = (dc[:, : m - lag] * dc[:, lag:]).sum(axis=1)
        count = (w[:, : m - lag] * w[:, lag:]).sum(axis=1)
        if lag == 0:
            known = ((s2[:, 1:] + s2[:, :-1]) * w).sum(axis=1)
        elif lag == 1:
            known = -(s2[:, 1:m] * w[:, : m - 1] * w[:, 1:]).sum(axis=1)
        else:
            known = np.zeros(n_areas)
        total = count.sum()
        if total == 0:
            continue
        lags.append(lag)
        cov.append((prod.sum() - known.sum()) / total)
        weight.append(total)
        per_area.append((prod, count))
    lag_arr = np.asarray(lags, dtype=np.float64)
    cov_arr = np.asarray(cov)
    wt = np.asarray(weight, dtype=np.float64)

    trend_var = 0.0
    far = [i for i, lag in enumerate(lags) if lag >= 2]
    if far:
        prod = sum(per_area[i][0] for i in far)
        count = sum(per_area[i][1] for i in far)
        has = count > 0
        per = prod[has] / count[has]
        estimate = float(prod.sum() / count.sum())
        se = float(per.std(ddof=1) / math.sqrt(per.size)) if per.size > 1 else abs(estimate)
        trend_var = max(0.0, estimate - TREND_GUARD_SE * se)

    unit = float(np.max(np.abs(cov_arr - trend_var))) or 1.0  # work in O(1) numbers
    target = (cov_arr - trend_var) / unit
    best = (math.inf, 0.0, 0.0)
    for phi in PERSISTENCE_GRID:
        # innovation variance q: Var(dU) = 2q/(1+phi), Cov lag k = -q phi^(k-1)(1-phi)/(1+phi)
        col = np.where(
            lag_arr == 0,
            2.0 / (1.0 + phi),
            -(phi ** np.maximum(lag_arr - 1, 0)) * (1.0 - phi) / (1.0 + phi),
        )
        q = max(0.0, float((wt * col * target).sum() / (wt * col * col).sum()))
        sse = float((wt * (target - q * col) ** 2).sum())
        if sse < best[0] * (1.0 - 1e-12):  # ties keep the smaller persistence
            best = (sse, float(phi), q)
    _, phi, q = best
    transient_var = q * unit / (1.0 - phi**2)

    # 3. persistent level: what the level covariances leave over
    t = np.arange(n, dtype=np.float64)
    tbar = (n - 1) / 2.0
    signal = trend_var * np.outer(t - tbar, t - tbar) + transient_var * phi ** np.abs(
        t[:, None] - t[None, :]
    )
    dz = np.where(ok, d, 0.0)
    wl = ok.astype(np.float64)
    pairs = wl.T @ wl
    emp = (dz.T @ dz) / np.maximum(pairs, 1.0)
    noise = s2.sum(axis=0) / np.maximum(wl.sum(axis=0), 1.0)
    resid = emp - signal - np.diag(noise)
    upper_tri = np.triu_indices(n)
    level_var = max(0.0, float(np.average(resid[upper_tri], weights=pairs[upper_tri] + 1e-300)))

    shock_var = float(np.var(g, ddof=1)) if g.size > 1 else 0.0
    model = RealismModel(
        kind=kind,
        areas=n_areas,
        periods=n,
        drift=float(g.mean()),
        shock_sd=math.sqrt(shock_var),
        level_sd=math.sqrt(level_var),
        transient_sd=math.sqrt(transient_var),
        persistence=phi,
        trend_sd=math.sqrt(trend_var),
        sampling=sampling,
    )
    return _Fit(model, y, s2, common, d, int(g.size))


def _predict(fit: _Fit, horizons: Sequence[int]) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Predictive mean and SD (model scale) per area and horizon; and the rows with history."""
    m = fit.model
    y, d = fit.y, fit.deviation
    n_areas, n = y.shape
    ok = ~np.isnan(y)
    t = np.arange(n, dtype=np.float64)
    tbar = (n - 1) / 2.0
    ta, tb = m.level_sd**2, m.trend_sd**2
    tu, phi = m.transient_sd**2, m.persistence
    signal = ta + tb * np.outer(t - tbar, t - tbar) + tu * phi ** np.abs(t[:, None] - t[None, :])
    jitter = 1e-9 * (ta + tu + tb + float(fit.s2.mean())) + 1e-300
    sigma = np.broadcast_to(signal, (n_areas, n, n)).copy()
    idx = np.arange(n)
    sigma[:, idx, idx] += fit.s2 + jitter
    # missing periods: drop their rows and columns (identity block, zero data)
    gone = ~ok
    sigma[gone[:, :, None] | gone[:, None, :]] = 0.0
    sigma[:, idx, idx] = np.where(gone, 1.0, sigma[:, idx, idx])
    h = np.asarray(horizons, dtype=np.float64)
    future = n - 1 + h
    cross = (
        ta
        + tb * np.outer(t - tbar, future - tbar)
        + tu * phi ** np.abs(future[None, :] - t[:, None])
    )  # (n, H)
    k = np.where(ok[:, :, None], cross[None, :, :], 0.0)  # (areas, n, H)
    rhs = np.concatenate([np.where(ok, d, 0.0)[:, :, None], k], axis=2)
    sol = np.linalg.solve(sigma, rhs)
    dev = np.einsum("anh,an->ah", k, sol[:, :, 0])
    prior = ta + tb * (future - tbar) ** 2 + tu
    var = np.maximum(prior[None, :] - np.einsum("anh,anh->ah", k, sol[:, :, 1:]), 0.0)
    # future sampling noise: the area's mean published noise (0 without limits)
    counts = ok.sum(axis=1)
    own_noise = np.where(counts > 0, fit.s2.sum(axis=1) / np.maximum(counts, 1), 0.0)
    if m.sampling:
        own_noise = np.where(counts > 0, own_noise, float(fit.s2[ok].mean()))
    shock = m.shock_sd**2 * (h + h**2 / max(fit.changes, 1))
    mean = fit.common[-1] + m.drift * h[None, :] + dev
    sd = np.sqrt(var + own_noise[:, None] + shock[None, :])
    return mean, sd, counts.astype(np.float64)


class Forecast(BaseModel):
    """Predictive distribution of every area's value ``horizons`` periods after the last.

    Normal on the model scale (log for ``kind="relative"``, so a log-normal for the value):
    ``mean`` and ``sd`` have shape areas x horizons. Areas without history are ``NaN`` with the
    note ``NO_HISTORY``.
    """

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    horizons: tuple[int, ...]
    mean: ArrayField
    sd: ArrayField
    note: TextArray
    model: RealismModel

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Forecast):
            return NotImplemented
        return same_fields(self, other)

    def __hash__(self) -> int:
        return hash(self.horizons)

    def _column(self, horizon: int) -> int:
        h = _horizon(horizon)
        if h not in self.horizons:
            raise ScoringError(f"horizon {h} was not forecast; horizons are {self.horizons}")
        return self.horizons.index(h)

    def quantile(self, q: float) -> FloatArray:
        """The ``q`` quantile of every area's value at every horizon (original scale).

        >>> f = forecast([[10.0, 11, 12], [20, 21, 23], [30, 29, 31]], horizons=(1,))
        >>> bool(np.all(f.quantile(0.1) < f.quantile(0.9)))
        True
        """
        from scipy.special import ndtri

        if not 0.0 < float(q) < 1.0:
            raise ScoringError(f"q must be a fraction in (0, 1), got {q!r}")
        return _unscale(self.mean + float(ndtri(float(q))) * self.sd, self.model.kind)

    def median(self) -> FloatArray:
        """Every area's median value at every horizon (original scale)."""
        return _unscale(self.mean, self.model.kind)

    def probability(self, targets: npt.ArrayLike, *, polarity: object, horizon: int) -> FloatArray:
        """Probability of a value at least as good as ``targets`` at ``horizon`` (one per area).

        >>> f = forecast([[10.0, 11, 12], [20, 21, 23], [30, 29, 31]], horizons=(1, 2))
        >>> p = f.probability([12.0, 23.0, 31.0], polarity="higher", horizon=2)
        >>> bool(np.all((p > 0) & (p < 1)))
        True
        """
        from scipy.special import ndtr

        _, sign = _sign(polarity)
        j = self._column(horizon)
        target = as_float_array(targets, "targets", error=ScoringError, finite=False)
        if np.isinf(target).any():
            raise ScoringError("targets must be finite or missing (NaN), got an infinity")
        try:
            target = np.broadcast_to(target, self.mean.shape[:1])
        except ValueError:
            raise ScoringError(
                f"targets have shape {target.shape}, history has {self.mean.shape[0]} areas"
            ) from None
        if self.model.kind == "relative":
            with np.errstate(divide="ignore", invalid="ignore"):
                scaled = np.where(target > 0, np.log(np.where(target > 0, target, 1.0)), -np.inf)
        else:
            scaled = target
        mean, sd = self.mean[:, j], self.sd[:, j]
        gap = sign * (mean - scaled)  # > 0: the median is better than the target
        # a (near) certain forecast meets a target it equals: "at least as good" includes ties
        spread = sd > 1e-12 * np.maximum(1.0, np.abs(mean))
        with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
            p = np.where(spread, ndtr(gap / np.where(spread, sd, 1.0)), (gap >= 0) * 1.0)
        return np.where(np.isnan(target) | np.isnan(mean), np.nan, p)


def forecast(
    history: npt.ArrayLike,
    *,
    horizons: Sequence[int] = (1,),
    kind: Kind = "relative",
    lower: npt.ArrayLike | None = None,
    upper: npt.ArrayLike | None = None,
    confidence: float = 0.95,
) -> Forecast:
    """Predictive distribution of each area's value ``h`` periods after the last period.

    On the model scale ``y`` (log of the value for ``kind="relative"``)::

        y_it = C_t + d_it                       C_t: the peers' mean level in period t
        C_(t+1) - C_t = g_t ~ N(gbar, sigma_g^2)   shocks common to all areas in a year
        d_it = a_i + b_i (t - tbar) + u_it + e_it
        a_i ~ N(0, tau_a^2)       persistent level: far-out areas are pulled toward the peers
        b_i ~ N(0, tau_b^2)       own trend, shrunk toward the peers' trend
        u_it = phi u_i(t-1) + eta_it, Var u = sigma_u^2   transient deviations that die away
        e_it ~ N(0, s_it^2)       sampling noise, s from the published confidence limits

    Parameters are estimated in closed form by moments: ``g_t`` is the mean change of the areas
    present in both periods; ``tau_b^2``, ``phi`` and ``sigma_u^2`` come from the cross-area
    covariances of the deviations' yearly changes (winsorised at 4 robust SDs, known sampling
    noise removed; ``tau_b^2`` from lags >= 2, kept only above two standard errors); ``tau_a^2``
    from the level covariances that remain. The forecast is the best linear unbiased predictor
    of ``d`` given the area's own history (a Gaussian-process / kriging step), plus
    ``h gbar``; its variance adds the area's sampling noise and the common shocks
    ``sigma_g^2 (h + h^2 / n_g)``.

    Parameters
    ----------
    history : array_like
        2-D, areas x equally spaced periods; ``NaN`` = missing. At least 3 periods and 3 areas.
    horizons : sequence of int
        Periods after the last one to forecast.
    kind : {"relative", "absolute"}
        ``"relative"`` models the log of the value (changes in proportion; values must be > 0).
    lower, upper : array_like, optional
        Published confidence limits of each value (same shape as ``history``).
    confidence : float
        Their confidence level (default 0.95).

    Returns
    -------
    Forecast
        ``mean``/``sd`` (areas x horizons, model scale), ``note``, fitted ``model``.

    Raises
    ------
    ScoringError
        Bad history (not 2-D, too short, infinities, zeros or negatives for relative), limits,
        horizons or kind.

    References
    ----------
    Harvey A.C. (1989) Forecasting, Structural Time Series Models and the Kalman Filter (local
    level, trend and noise components). Morris C.N. (1983) Parametric empirical Bayes inference.
    JASA 78:47-55. Goldstein H., Spiegelhalter D.J. (1996) League tables and their limitations.
    JRSS A 159:385-443 (regression to the mean of noisy institutional indicators).

    Examples
    --------
    >>> f = forecast([[10.0, 11, 12], [20, 21, 23], [30, 29, 31]], horizons=(1, 2))
    >>> f.median().shape
    (3, 2)
    """
    k = _kind(kind)
    if isinstance(horizons, int | np.integer):
        horizons = (int(horizons),)
    hs = tuple(_horizon(h, "horizons") for h in horizons)
    if not hs:
        raise ScoringError("horizons must not be empty")
    fit = _fit(history, lower, upper, k, confidence)
    mean, sd, counts = _predict(fit, hs)
    none = counts == 0
    note = np.where(none, RealismNote.NO_HISTORY.value, RealismNote.OK.value).astype("<U13")
    mean = np.where(none[:, None], np.nan, mean)
    sd = np.where(none[:, None], np.nan, sd)
    return Forecast(horizons=hs, mean=mean, sd=sd, note=note, model=fit.model)


class Probability(BaseModel):
    """Per area, the probability of meeting its target ``horizon`` periods after the last.

    ``median``, ``lower`` and ``upper``: the predictive median and 80% interval of the value.
    ``NaN`` only beside a ``note`` (``NO_HISTORY``, ``NO_TARGET``).
    """

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    probability: ArrayField
    target: ArrayField
    median: ArrayField
    lower: ArrayField
    upper: ArrayField
    note: TextArray
    horizon: int
    polarity: PolarityField
    model: RealismModel

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Probability):
            return NotImplemented
        return same_fields(self, other)

    def __hash__(self) -> int:
        return hash((self.horizon, self.probability.shape))


def probability(
    history: npt.ArrayLike,
    targets: npt.ArrayLike,
    *,
    polarity: object,
    horizon: int,
    lower: npt.ArrayLike | None = None,
    upper: npt.ArrayLike | None = None,
    kind: Kind = "relative",
    confidence: float = 0.95,
) -> Probability:
    """Per area, the probability of meeting ``targets`` ``horizon`` periods after the last period.

    ``P = Phi((T - mu) / sd)`` when lower is better, ``1 - Phi((T - mu) / sd)`` when higher is
    better, with ``mu`` and ``sd`` the predictive mean and SD of :func:`forecast` and ``T`` the
    target on the model scale (``log T`` for ``kind="relative"``). The model has shocks common
    to all areas in a year, regression to the mean, and each area's own trend shrunk toward
    its peers'; it was chosen by backtest (``docs/realism.md``).

    Parameters
    ----------
    history : array_like
        2-D, areas x equally spaced periods (``NaN`` = missing), the last column the latest.
    targets : array_like
        One target value per area (or one for all), in the measure's unit. ``NaN``: no target
        (the probability is ``NaN`` with the note ``NO_TARGET``).
    polarity : {"higher", "lower"}
        Which direction is better ("meeting" is at least as good as the target).
    horizon : int
        Periods after the last period of ``history`` at which the target applies.
    lower, upper : array_like, optional
        Published confidence limits of ``history`` (same shape).
    kind : {"relative", "absolute"}
        Model the log of the value (default) or the value itself.
    confidence : float
        Confidence level of the limits (default 0.95).

    Returns
    -------
    Probability
        ``probability``, ``target``, predictive ``median`` and 80% ``lower``/``upper``, ``note``,
        and the fitted ``model`` (``model.explain()`` says it in words).

    Raises
    ------
    ScoringError
        Bad history, limits, targets (shape or infinities), polarity, horizon or kind.

    References
    ----------
    See :func:`forecast`. Brier G.W. (1950) Verification of forecasts expressed in terms of
    probability. Monthly Weather Review 78:1-3 (the score :func:`backtest` reports).

    Examples
    --------
    >>> history = [[10.0, 11, 12, 12], [20, 21, 23, 22], [30, 29, 31, 30], [15, 15, 14, 16]]
    >>> p = probability(history, [11.0, 21.0, 29.0, 15.0], polarity="lower", horizon=1)
    >>> p.probability.shape, bool(np.all((p.probability > 0) & (p.probability < 1)))
    ((4,), True)
    """
    h = _horizon(horizon)
    pol, _ = _sign(polarity)
    fc = forecast(
        history, horizons=(h,), kind=kind, lower=lower, upper=upper, confidence=confidence
    )
    target = as_float_array(targets, "targets", error=ScoringError, finite=False)
    if np.isinf(target).any():
        raise ScoringError("targets must be finite or missing (NaN), got an infinity")
    n_areas = fc.mean.shape[0]
    try:
        target = np.broadcast_to(target, (n_areas,)).astype(np.float64)
    except ValueError:
        raise ScoringError(
            f"targets have shape {target.shape}, history has {n_areas} areas; give one target "
            "per area or one for all"
        ) from None
    p = fc.probability(target, polarity=pol, horizon=h)
    note = fc.note.copy()
    note[(note == RealismNote.OK.value) & np.isnan(target)] = RealismNote.NO_TARGET.value
    return Probability(
        probability=p,
        target=target,
        median=fc.median()[:, 0],
        lower=fc.quantile(0.1)[:, 0],
        upper=fc.quantile(0.9)[:, 0],
        note=note,
        horizon=h,
        polarity=pol,
        model=fc.model,
    )


# --------------------------------------------------------------------------------------------
# backtest
# --------------------------------------------------------------------------------------------


class Backtest(BaseModel):
    """Brier scores of :func:`probability` on every rolling origin, against the base rate.

    ``brier`` and ``brier_base``: mean over every forecast (area, origin, horizon).
    ``skill = 1 - brier / brier_base`` (above 0: better than the base rate); ``NaN`` with the
    ``note`` ``BASE_RATE_PERFECT`` when the base rate scored 0.
    ``by_origin_*``: one row per (origin, horizon); ``origin`` is the index of the last period
    used. Reliability table: forecasts grouped by predicted probability in tenths
    (``0-10%`` ... ``90-100%``), with the mean predicted probability and the observed share
    that met the plan; empty groups are ``NaN`` beside ``reliability_count == 0``.
    ``forecasts_*``: every single forecast, for your own analysis.
    """

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    horizons: tuple[int, ...]
    polarity: PolarityField
    kind: Kind
    brier: float
    brier_base: float
    skill: float
    note: str
    n: int
    n_excluded: int
    brier_by_horizon: ArrayField
    base_by_horizon: ArrayField
    n_by_horizon: ArrayField
    by_origin_origin: ArrayField
    by_origin_horizon: ArrayField
    by_origin_n: ArrayField
    by_origin_brier: ArrayField
    by_origin_base: ArrayField
    by_origin_event_rate: ArrayField
    by_origin_mean_probability: ArrayField
    reliability_lower: ArrayField
    reliability_upper: ArrayField
    reliability_count: ArrayField
    reliability_predicted: ArrayField
    reliability_observed: ArrayField
    forecasts_area: ArrayField
    forecasts_origin: ArrayField
    forecasts_horizon: ArrayField
    forecasts_probability: ArrayField
    forecasts_base: ArrayField
    forecasts_met: ArrayField

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Backtest):
            return NotImplemented
        return same_fields(self, other)

    def __hash__(self) -> int:
        return hash((self.horizons, self.n))

    def reliability_table(self) -> str:
        """The reliability table as Markdown (predicted vs observed by tenth of probability)."""
        rows = [
            "| predicted | forecasts | mean predicted | observed |",
            "|---|---:|---:|---:|",
        ]
        for lo, hi, c, p, o in zip(
            self.reliability_lower,
            self.reliability_upper,
            self.reliability_count,
            self.reliability_predicted,
            self.reliability_observed,
            strict=True,
        ):
            cells = ("-", "-") if c == 0 else (f"{p:.1%}", f"{o:.1%}")
            rows.append(f"| {lo:.0%}-{hi:.0%} | {int(c)} | {cells[0]} | {cells[1]} |")
        return "\n".join(rows)

    def __str__(self) -> str:
        lines = [
            f"Brier score {self.brier:.4f} vs base rate {self.brier_base:.4f} "
            f"(skill {self.skill:+.1%}) over {self.n} forecasts",
        ]
        for h, b, base, n in zip(
            self.horizons,
            self.brier_by_horizon,
            self.base_by_horizon,
            self.n_by_horizon,
            strict=True,
        ):
            lines.append(f"  horizon {h}: {b:.4f} vs {base:.4f} ({int(n)} forecasts)")
        return "\n".join(lines) + "\n" + self.reliability_table()


def backtest(
    history: npt.ArrayLike,
    *,
    planned_change: npt.ArrayLike,
    polarity: object,
    horizons: Sequence[int] = (1, 2),
    kind: Kind = "relative",
    lower: npt.ArrayLike | None = None,
    upper: npt.ArrayLike | None = None,
    confidence: float = 0.95,
    min_periods: int = MIN_PERIODS,
) -> Backtest:
    """Brier score of :func:`probability` on every rolling origin, against the naive base rate.

    For every origin ``o`` (the last period the model may see, from ``min_periods - 1`` on) and
    every horizon ``h`` with ``o + h`` in the history, each area's target is its value at ``o``
    moved by the plan: ``y_o (1 + p)^h`` (relative) or ``y_o + h p`` (absolute). The event is
    "the value at ``o + h`` was at least as good as the target". The model sees only periods
    ``0..o``; so does the base rate, the :func:`achievability` share of the ``h``-period plan
    among the changes up to ``o``, used as a constant for every area. Brier score: the mean of
    ``(probability - event)^2`` (Brier 1950); lower is better, a coin toss scores 0.25.
    Forecasts whose origin or outcome value is missing are left out (``n_excluded``).

    Parameters
    ----------
    history : array_like
        2-D, areas x equally spaced periods (``NaN`` = missing).
    planned_change : array_like
        The plan's change per period (one, or one per area), e.g. ``-0.032``.
    polarity : {"higher", "lower"}
        Which direction is better.
    horizons : sequence of int
        Periods ahead to test (default 1 and 2).
    kind, lower, upper, confidence
        As in :func:`probability`.
    min_periods : int
        Fewest periods of history the model is given (default and minimum 3).

    Returns
    -------
    Backtest
        Overall, per horizon and per origin Brier scores for the model and the base rate, the
        reliability table and every single forecast.

    Raises
    ------
    ScoringError
        Bad arguments, or no origin that leaves a period to test.

    References
    ----------
    Brier G.W. (1950) Monthly Weather Review 78:1-3. Murphy A.H., Winkler R.L. (1977)
    Reliability of subjective probability forecasts of precipitation and temperature.
    JRSS C 26:41-47 (reliability tables). Tashman L.J. (2000) Out-of-sample tests of forecasting
    accuracy: an analysis and review. Int J Forecasting 16:437-450 (rolling origins).

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(1)
    >>> level = rng.normal(5.0, 0.3, (40, 1))
    >>> history = np.exp(level + rng.normal(0.0, 0.1, (40, 6)))
    >>> b = backtest(history, planned_change=-0.03, polarity="lower", horizons=(1, 2))
    >>> b.brier < b.brier_base
    True
    """
    k = _kind(kind)
    pol, sign = _sign(polarity)
    if isinstance(horizons, int | np.integer):
        horizons = (int(horizons),)
    hs = tuple(sorted({_horizon(h, "horizons") for h in horizons}))
    if not hs:
        raise ScoringError("horizons must not be empty")
    start = _horizon(min_periods, "min_periods")
    if start < MIN_PERIODS:
        raise ScoringError(f"min_periods must be >= {MIN_PERIODS}, got {min_periods!r}")
    values = _history(history, kind=k, two_d=True)
    n_areas, n = values.shape
    plan = _plans(planned_change, k, 1)
    if np.isnan(plan).any():
        raise ScoringError("planned_change must not be missing (NaN) in a backtest")
    try:
        plan = np.broadcast_to(plan, (n_areas,))
    except ValueError:
        raise ScoringError(
            f"planned_change has shape {plan.shape}, history has {n_areas} areas"
        ) from None
    lo_all = hi_all = None
    if lower is not None or upper is not None:
        _sampling_sd(values, lower, upper, k, confidence)  # type: ignore[arg-type]
        lo_all = as_float_array(lower, "lower", error=ScoringError, finite=False)
        hi_all = as_float_array(upper, "upper", error=ScoringError, finite=False)

    rows: list[tuple[int, int, int, float, float, float, float]] = []
    parts: list[tuple[FloatArray, ...]] = []
    excluded = 0
    for origin in range(start - 1, n - 1):
        todo = [h for h in hs if origin + h <= n - 1 and origin >= h]
        if not todo:
            continue
        seen = values[:, : origin + 1]
        fc = forecast(
            seen,
            horizons=todo,
            kind=k,
            lower=None if lo_all is None else lo_all[:, : origin + 1],
            upper=None if hi_all is None else hi_all[:, : origin + 1],
            confidence=confidence,
        )
        base_now = values[:, origin]
        for h in todo:
            step = (1.0 + plan) ** h - 1.0 if k == "relative" else plan * h
            target = base_now * (1.0 + step) if k == "relative" else base_now + step
            outcome = values[:, origin + h]
            p = fc.probability(target, polarity=pol, horizon=h)
            usable = ~np.isnan(target) & ~np.isnan(outcome) & ~np.isnan(p)
            excluded += int((~usable).sum())
            if not usable.any():
                continue
            met = (sign * outcome >= sign * target).astype(np.float64)
            base = achievability(step, seen, polarity=pol, horizon=h, kind=k).share
            base = np.broadcast_to(base, (n_areas,))
            if np.isnan(base[usable]).any():  # no h-period change seen yet: nothing to compare
                excluded += int(usable.sum())
                continue
            u = usable
            rows.append(
                (
                    origin,
                    h,
                    int(u.sum()),
                    float(np.mean((p[u] - met[u]) ** 2)),
                    float(np.mean((base[u] - met[u]) ** 2)),
                    float(met[u].mean()),
                    float(p[u].mean()),
                )
            )
            parts.append(
                (
                    np.flatnonzero(u).astype(np.float64),
                    np.full(int(u.sum()), float(origin)),
                    np.full(int(u.sum()), float(h)),
                    p[u],
                    np.asarray(base[u], dtype=np.float64),
                    met[u],
                )
            )
    if not rows:
        raise ScoringError(
            f"backtest: no rolling origin leaves a period to test (history has {n} periods, "
            f"min_periods={start}, horizons={hs})"
        )
    area, org, hor, prob, base, met = (np.concatenate(c) for c in zip(*parts, strict=True))
    brier = float(np.mean((prob - met) ** 2))
    brier_base = float(np.mean((base - met) ** 2))
    by_h = np.array([np.mean((prob - met)[hor == h] ** 2) for h in hs])
    base_h = np.array([np.mean((base - met)[hor == h] ** 2) for h in hs])
    n_h = np.array([float(np.sum(hor == h)) for h in hs])
    edges = np.linspace(0.0, 1.0, 11)
    which = np.clip(np.floor(prob * 10.0).astype(int), 0, 9)
    count = np.bincount(which, minlength=10).astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        predicted = np.bincount(which, weights=prob, minlength=10) / count
        observed = np.bincount(which, weights=met, minlength=10) / count
    table = np.asarray(rows, dtype=np.float64)
    return Backtest(
        horizons=hs,
        polarity=pol,
        kind=k,
        brier=brier,
        brier_base=brier_base,
        skill=1.0 - brier / brier_base if brier_base > 0 else math.nan,
        note="OK" if brier_base > 0 else "BASE_RATE_PERFECT",
        n=int(prob.size),
        n_excluded=excluded,
        brier_by_horizon=by_h,
        base_by_horizon=base_h,
        n_by_horizon=n_h,
        by_origin_origin=table[:, 0],
        by_origin_horizon=table[:, 1],
        by_origin_n=table[:, 2],
        by_origin_brier=table[:, 3],
        by_origin_base=table[:, 4],
        by_origin_event_rate=table[:, 5],
        by_origin_mean_probability=table[:, 6],
        reliability_lower=edges[:-1],
        reliability_upper=edges[1:],
        reliability_count=count,
        reliability_predicted=predicted,
        reliability_observed=observed,
        forecasts_area=area,
        forecasts_origin=org,
        forecasts_horizon=hor,
        forecasts_probability=prob,
        forecasts_base=base,
        forecasts_met=met,
    )


# --------------------------------------------------------------------------------------------
# peer_achieved: a data-driven trajectory rule
# --------------------------------------------------------------------------------------------


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
    except (TypeError, ValueError):
        raise ScoringError(f"percentile must be a fraction in [0, 1], got {percentile!r}") from None
    if not 0.0 <= q <= 1.0:
        hint = f"; did you mean {q / 100:g}?" if 1.0 < q <= 100.0 else ""
        raise ScoringError(f"percentile must be a fraction in [0, 1], got {percentile!r}{hint}")
    where = q if sign > 0 else 1.0 - q
    values = _history(history, kind="relative")
    observed = changes(values, horizon=1, kind="relative").values()
    if observed.size == 0:
        raise ScoringError("history has no year-on-year change to learn from (all missing?)")
    if lower is None and upper is None:
        return float(np.quantile(observed, where, method="linear"))
    sd = _sampling_sd(values, lower, upper, "relative", confidence)  # type: ignore[arg-type]
    post = _posteriors(values, sd, "relative", 1)
    if post is None:  # pragma: no cover - observed.size > 0 guarantees posteriors
        raise ScoringError("history has no year-on-year change to learn from")
    return float(np.expm1(_mixture_quantile(post, min(max(where, 1e-12), 1.0 - 1e-12))))


def peer_achieved(
    baseline: npt.ArrayLike,
    history: npt.ArrayLike,
    *,
    percentile: float = 0.75,
    polarity: object,
    start: object,
    end: object = None,
    periods: Sequence[object] | None = None,
    lower: npt.ArrayLike | None = None,
    upper: npt.ArrayLike | None = None,
    confidence: float = 0.95,
    compound: bool = True,
    indexing: Literal["elapsed", "plan-year"] = "elapsed",
    unit: str | None = None,
    measure: str | None = None,
) -> Trajectory:
    """Data-driven trajectory: the yearly change that the best quarter (or any share) of peers
    actually achieved, applied from ``baseline``.

    ``rate = peer_rate(history, percentile=percentile, polarity=polarity, lower=lower,
    upper=upper)``, then :func:`outcomes.trajectories.percentage_change`: ``v_k = b (1 +
    rate)^k`` (compound) or ``b (1 + rate k)`` (simple). An ambition grounded in the record
    rather than a round number; give the peers' confidence limits to ground it in their true
    changes rather than their noise.

    Parameters
    ----------
    baseline : array_like
        Baseline value(s), as for ``percentage_change``.
    history : array_like
        Peers' history, areas x equally spaced yearly periods (``NaN`` = missing).
    percentile : float
        How far along the distribution of improvement (0.75: the best quarter's boundary).
    polarity : {"higher", "lower"}
        Which direction is better.
    start, end, periods, compound, indexing, unit, measure
        As for ``percentage_change``.
    lower, upper, confidence
        Optional confidence limits of ``history``, as for :func:`peer_rate`.

    Returns
    -------
    Trajectory
        What ``percentage_change`` returns, with the learned ``rate`` in its rule parameters.

    Raises
    ------
    ScoringError
        Bad history, limits, percentile or polarity.
    TrajectoryError
        If the peers' change at that percentile would make the targets worse than the
        baseline (``percentage_change`` refuses it), or other trajectory arguments are bad.

    References
    ----------
    NHS England (2014) Everyone Counts: Planning for Patients 2014/15 to 2018/19 ("ambitious
    but realistic" outcome ambitions). Hyndman & Fan (1996), see :func:`peer_rate`.

    Examples
    --------
    >>> history = [[100.0, 90.0, 85.5], [100.0, 100.0, 102.0], [100.0, 95.0, 95.0]]
    >>> t = peer_achieved(1000.0, history, polarity="lower", start="2013/14", end="2015/16")
    >>> t.values.round(1).tolist()
    [950.0, 902.5]
    """
    from outcomes.trajectories import percentage_change

    pol, _ = _sign(polarity)
    rate = peer_rate(
        history,
        percentile=percentile,
        polarity=pol,
        lower=lower,
        upper=upper,
        confidence=confidence,
    )
    return percentage_change(
        baseline,
        rate,
        start=start,  # type: ignore[arg-type]
        end=end,  # type: ignore[arg-type]
        periods=periods,  # type: ignore[arg-type]
        compound=compound,
        indexing=indexing,
        polarity=pol,
        unit=unit,
        measure=measure,
    )


# --------------------------------------------------------------------------------------------
# data frames
# --------------------------------------------------------------------------------------------


class History(NamedTuple):
    """Arrays from a long data frame: ``values`` (and limits) are areas x periods."""

    areas: tuple[str, ...]
    periods: tuple[str, ...]
    values: FloatArray
    lower: FloatArray | None
    upper: FloatArray | None


_MISSING_WORDS = {"", "na", "n/a", "nan", "-", "*", "x", "..", ":", "awaiting data", "none"}
_YEAR = re.compile(r"^(\d{4})$")
_FINANCIAL = re.compile(r"^(\d{4})[/-](\d{2})$")


def _period_key(label: str) -> tuple[str, int] | None:
    """(format, start year) for yearly labels '2014' and '2014/15' (or '2014-15')."""
    if m := _YEAR.match(label):
        return "calendar", int(m.group(1))
    if m := _FINANCIAL.match(label):
        first = int(m.group(1))
        if (first + 1) % 100 == int(m.group(2)):
            return "financial", first
    return None


def _fill_years(labels: list[str]) -> list[str]:
    """Insert the missing years of a yearly series, so that periods are equally spaced."""
    keys = [_period_key(p) for p in labels]
    if not labels or any(k is None for k in keys) or len({k[0] for k in keys if k}) != 1:
        return labels
    kind = keys[0][0]  # type: ignore[index]
    years = [k[1] for k in keys if k]
    sep = "/" if kind == "calendar" or "/" in labels[0] else "-"
    out = []
    for year in range(min(years), max(years) + 1):
        out.append(str(year) if kind == "calendar" else f"{year}{sep}{(year + 1) % 100:02d}")
    return out


def _pandas() -> Any:
    try:
        import pandas
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError("this needs pandas: pip install 'outcomes[pandas]'") from None
    return pandas


def _numbers(column: Any, name: str) -> FloatArray:
    pd = _pandas()
    text = column.astype("string").str.strip().str.replace(",", "", regex=False)
    missing = column.isna() | text.str.lower().isin(_MISSING_WORDS).fillna(True)
    numbers = pd.to_numeric(text.where(~missing), errors="coerce")
    bad = numbers.isna() & ~missing
    if bad.any():
        first = column[bad].iloc[0]
        raise InputError(
            f"column {name!r} must hold numbers or a missing marker, got {first!r} "
            f"({int(bad.sum())} such cells)",
            tuple(f"{name}: {v!r}" for v in column[bad].iloc[:20]),
        )
    return np.asarray(numbers.to_numpy(dtype=np.float64, na_value=np.nan), dtype=np.float64)


def history_from_frame(
    df: Any,
    *,
    area: str,
    period: str,
    value: str,
    lower: str | None = None,
    upper: str | None = None,
) -> History:
    """Areas x periods arrays from a long data frame (one row per area and period).

    Rows are pivoted to areas (sorted) x periods (sorted; yearly labels such as ``2014`` or
    ``2014/15`` have missing years inserted so that periods are equally spaced). A cell with no
    row, an empty cell or a missing marker (``NA``, ``-``, ``*``, ``..``, ``Awaiting data``) is
    ``NaN``; any other text raises.

    Parameters
    ----------
    df : pandas.DataFrame
        The long table (extra ``pandas``).
    area, period, value : str
        Column names of the area code, the period label and the value.
    lower, upper : str, optional
        Column names of the confidence limits.

    Returns
    -------
    History
        ``(areas, periods, values, lower, upper)``, a named tuple.

    Raises
    ------
    InputError
        A column is missing, a value is not a number, or an (area, period) pair repeats.

    References
    ----------
    Wickham H. (2014) Tidy data. J Stat Softw 59(10) (long to wide).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"ccg": ["00C", "00C", "00D"], "year": ["2012", "2014", "2012"],
    ...                    "dsr": [2000.0, 1900.0, "Awaiting data"]})
    >>> h = history_from_frame(df, area="ccg", period="year", value="dsr")
    >>> h.areas, h.periods
    (('00C', '00D'), ('2012', '2013', '2014'))
    >>> h.values
    array([[2000.,   nan, 1900.],
           [  nan,   nan,   nan]])
    """
    _pandas()
    wanted = {"area": area, "period": period, "value": value, "lower": lower, "upper": upper}
    absent = [f"{k}={c!r}" for k, c in wanted.items() if c is not None and c not in df.columns]
    if absent:
        raise InputError(
            f"data frame has no column {', '.join(absent)}; it has {list(df.columns)}",
            tuple(absent),
        )
    if (lower is None) != (upper is None):
        raise InputError("give both lower and upper columns, or neither")
    keys = df[area].astype("string").str.strip()
    labels = df[period].astype("string").str.strip()
    if keys.isna().any() or labels.isna().any():
        raise InputError(f"columns {area!r} and {period!r} must not be empty")
    dup = keys.to_frame("a").assign(p=labels).duplicated(keep=False)
    if dup.any():
        pairs = sorted({(a, p) for a, p in zip(keys[dup], labels[dup], strict=True)})
        raise InputError(
            f"each (area, period) must appear once; {len(pairs)} repeat, e.g. {pairs[0]}",
            tuple(f"{a} {p}" for a, p in pairs[:20]),
        )
    areas = sorted(keys.unique().tolist())
    periods = _fill_years(sorted(labels.unique().tolist()))
    pd = _pandas()
    ii = np.asarray(pd.Categorical(keys, categories=areas).codes, dtype=np.intp)
    jj = np.asarray(pd.Categorical(labels, categories=periods).codes, dtype=np.intp)

    def grid(name: str) -> FloatArray:
        out = np.full((len(areas), len(periods)), np.nan)
        out[ii, jj] = _numbers(df[name], name)
        return out

    return History(
        areas=tuple(areas),
        periods=tuple(periods),
        values=grid(value),
        lower=grid(lower) if lower is not None else None,
        upper=grid(upper) if upper is not None else None,
    )
