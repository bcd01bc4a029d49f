"""How often peers achieved a planned change: the share of the record at least as good, with and
without sampling noise."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

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
    _Posteriors,
    _posteriors,
    _sampling_sd,
    _sign,
    changes,
)


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
        """One row per plan as a tidy DataFrame (extra ``pandas``); see
        :func:`outcomes.frames.achievability_frame`."""
        from outcomes.frames import achievability_frame

        return achievability_frame(
            self,
            organisations=organisations,
            organisation_names=organisation_names,
            measure=measure,
            measure_name=measure_name,
            period=period,
            unit=unit,
        )

    def __str__(self) -> str:
        rows = []
        shares, notes = np.ravel(self.share), np.ravel(self.note)
        adjusted = None if self.share_adjusted is None else np.ravel(self.share_adjusted)
        for i, plan in enumerate(np.ravel(self.planned_change)):
            share = shares[i]
            text = f"planned {_pct(plan)} over {self.horizon} period(s): "
            if np.isnan(share):
                rows.append(text + f"not computed ({notes[i]})")
                continue
            text += f"achieved by {share:.0%} of {self.n} area-periods"
            if adjusted is not None:
                text += f" ({adjusted[i]:.0%} after removing noise)"
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
    return _achievability(
        planned_change, history, polarity, horizon, kind, lower, upper, confidence
    )[0]


def _achievability(
    planned_change: npt.ArrayLike,
    history: npt.ArrayLike,
    polarity: object,
    horizon: int,
    kind: Kind,
    lower: npt.ArrayLike | None,
    upper: npt.ArrayLike | None,
    confidence: float,
) -> tuple[Achievability, FloatArray, _Posteriors | None]:
    """:func:`achievability`, with the observed changes it counted and, given limits, their
    posteriors (what :func:`~outcomes.plot.plot_changes` draws, so it need not redo them)."""
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

    adjusted = true_sd = noise_sd = post = None
    method = "count of historical changes at least as good as planned"
    if lower is not None or upper is not None:
        sd = _sampling_sd(values, lower, upper, k, confidence)  # type: ignore[arg-type]
        post = _posteriors(values, sd, k, h)
        adjusted, true_sd, noise_sd = _adjusted_share(post, plan, ok, sign, k)
        method += (
            "; adjusted: posterior expected share under empirical-Bayes normal shrinkage "
            "toward each start period's mean change (Louis 1984)"
        )
    result = Achievability(
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
    return result, observed, post


def _adjusted_share(
    post: _Posteriors | None,
    plan: FloatArray,
    ok: npt.NDArray[np.bool_],
    sign: int,
    kind: Kind,
) -> tuple[FloatArray, float | None, float | None]:
    from scipy.special import ndtr

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
