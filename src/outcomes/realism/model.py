"""The forecasting model: common yearly shocks, regression to the mean, and each area's own trend
shrunk toward its peers'; the probability of meeting a target."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict

from outcomes._arrays import FloatArray, as_float_array
from outcomes._fields import ArrayField, PolarityField, TextArray, same_fields
from outcomes.errors import ScoringError
from outcomes.stats.changes import (
    Kind,
    RealismNote,
    _history,
    _horizon,
    _kind,
    _sampling_sd,
    _scale,
    _sign,
    _unscale,
)

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


def _horizons(horizons: object) -> tuple[int, ...]:
    """Periods ahead as whole numbers, in the order given: one, or a sequence of them."""
    if isinstance(horizons, int | np.integer):
        horizons = (int(horizons),)
    if not isinstance(horizons, Sequence) or isinstance(horizons, str):
        raise ScoringError(f"horizons must be whole numbers of periods, got {horizons!r}")
    hs = tuple(_horizon(h, "horizons") for h in horizons)
    if not hs:
        raise ScoringError("horizons must not be empty")
    return hs


def _targets(targets: npt.ArrayLike, n_areas: int) -> FloatArray:
    """One target per area (a read-only view when one is given for all); NaN: no target."""
    target = as_float_array(targets, "targets", error=ScoringError, finite=False)
    if np.isinf(target).any():
        raise ScoringError("targets must be finite or missing (NaN), got an infinity")
    try:
        return np.broadcast_to(target, (n_areas,))
    except ValueError:
        raise ScoringError(
            f"targets have shape {target.shape}, history has {n_areas} areas; give one target "
            "per area or one for all"
        ) from None


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

    def to_frame(
        self,
        *,
        organisations: Sequence[str] | None = None,
        organisation_names: Sequence[str] | None = None,
        measure: str | None = None,
        measure_name: str | None = None,
        periods: Sequence[str] | None = None,
        unit: str | None = None,
    ) -> Any:
        """One row per area and horizon as a tidy DataFrame (extra ``pandas``); see
        :func:`outcomes.frames.forecast_frame`."""
        from outcomes.frames import forecast_frame

        return forecast_frame(
            self,
            organisations=organisations,
            organisation_names=organisation_names,
            measure=measure,
            measure_name=measure_name,
            periods=periods,
            unit=unit,
        )

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
        _, sign = _sign(polarity)
        j = self._column(horizon)
        return self._meet(_targets(targets, self.mean.shape[0]), sign, j)

    def _meet(self, target: FloatArray, sign: int, j: int) -> FloatArray:
        """:meth:`probability` of checked targets (one per area), by sign, at column ``j``."""
        from scipy.special import ndtr

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
    hs = _horizons(horizons)
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
        :func:`outcomes.frames.probability_frame`."""
        from outcomes.frames import probability_frame

        return probability_frame(
            self,
            organisations=organisations,
            organisation_names=organisation_names,
            measure=measure,
            measure_name=measure_name,
            period=period,
            unit=unit,
        )


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
    pol, sign = _sign(polarity)
    fc = forecast(
        history, horizons=(h,), kind=kind, lower=lower, upper=upper, confidence=confidence
    )
    target = np.array(_targets(targets, fc.mean.shape[0]))
    p = fc._meet(target, sign, 0)
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
