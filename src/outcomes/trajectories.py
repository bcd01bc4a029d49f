"""Trajectory rules: from a baseline and a rule, the yearly targets a plan publishes.

Every rule is a pure, vectorised function: the baseline (and most parameters) may be scalars or
numpy arrays that broadcast, and the scalar answer equals the vectorised one. Each returns a
:class:`~outcomes.models.Trajectory` whose ``rule`` records the rule and its parameters.

**Time indexing.** The 2014 plans counted steps two ways, so every rule takes ``indexing``:

* ``"elapsed"`` (default): ``k`` = start year of the target period minus the start year of the
  baseline period. From a calendar-2012 baseline, 2014/15 is ``k = 2``.
* ``"plan-year"``: the first reported period is ``k = 1`` whatever the baseline date.

``n`` is the step of ``end`` under the same convention; ``x = k / n`` is the share of time elapsed.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np

from outcomes._arrays import FloatArray, as_float_array, round_half_up
from outcomes.errors import PeriodError, TrajectoryError
from outcomes.models import Polarity, Rule, Trajectory
from outcomes.periods import CalendarYear, FinancialYear, Period, period

__all__ = [
    "PROFILES",
    "check_compatible",
    "composite",
    "cumulative_share",
    "hold",
    "national_or_quantile",
    "percentage_change",
    "phase",
    "quantile_step",
    "reach_national",
    "to_target",
]

Indexing = Literal["elapsed", "plan-year"]
Profile = str | Sequence[float]

#: Named phasing profiles and their cumulative share of the change after a share x of the time.
PROFILES: dict[str, str] = {
    "linear": "s(x) = x (equal absolute steps)",
    "geometric": "v = b (T/b)^x (equal percentage steps; needs b, T > 0)",
    "front-loaded": "s(x) = 1 - (1 - x)^2 (most of the change early)",
    "back-loaded": "s(x) = x^2 (most of the change late)",
}


# --------------------------------------------------------------------------------------------
# shared machinery
# --------------------------------------------------------------------------------------------


def _baseline(value: Any) -> FloatArray:
    return as_float_array(value, "baseline", error=TrajectoryError, nonnegative=True)


def _polarity(value: Any, *, required: bool) -> Polarity | None:
    if value is None:
        if required:
            raise TrajectoryError("polarity is required: 'higher' or 'lower' (is better)")
        return None
    p = Polarity.parse(value)
    if p is Polarity.NO_JUDGEMENT:
        if required:
            raise TrajectoryError(
                "polarity 'none' (no judgement) has no direction of improvement; "
                "give 'higher' or 'lower'"
            )
        return None
    return p


def _yearly(p: Period, name: str) -> Period:
    if not isinstance(p, FinancialYear | CalendarYear):
        raise PeriodError(
            f"{name} must be a financial or calendar year for a yearly trajectory, got "
            f"{str(p)!r}; split annual targets into quarters or months with phase()"
        )
    return p


def _timeline(
    start: Any, periods: Any, end: Any, indexing: str
) -> tuple[Period, tuple[Period, ...], Period, FloatArray, float]:
    """Resolve periods and return (start, periods, end, steps k per period, steps n to end)."""
    if indexing not in ("elapsed", "plan-year"):
        raise TrajectoryError(f"indexing must be 'elapsed' or 'plan-year', got {indexing!r}")
    start_p = _yearly(period(start), "start")
    end_p = _yearly(period(end), "end") if end is not None else None
    if periods is None:
        if end_p is None:
            raise PeriodError("give end (e.g. end='2018/19') or the periods to report")
        if end_p.start_year <= start_p.start_year:
            raise PeriodError(f"end {str(end_p)!r} must be after start {str(start_p)!r}")
        chosen: tuple[Period, ...] = tuple(
            FinancialYear(y) for y in range(start_p.start_year + 1, end_p.start_year + 1)
        )
    else:
        if isinstance(periods, str | Period):
            periods = [periods]
        chosen = tuple(_yearly(period(p), "periods") for p in periods)
        if not chosen:
            raise PeriodError("periods must not be empty")
        years = [p.start_year for p in chosen]
        if any(b <= a for a, b in itertools.pairwise(years)):
            raise PeriodError(
                f"periods must be in order, one per year, got {[str(p) for p in chosen]}"
            )
        if years[0] <= start_p.start_year:
            raise PeriodError(
                f"period {str(chosen[0])!r} is not after the baseline period {str(start_p)!r}"
            )
        if end_p is None:
            end_p = chosen[-1]
        elif years[-1] > end_p.start_year:
            raise PeriodError(f"period {str(chosen[-1])!r} is after end {str(end_p)!r}")
    assert end_p is not None
    if end_p.start_year <= start_p.start_year:
        raise PeriodError(f"end {str(end_p)!r} must be after start {str(start_p)!r}")
    if indexing == "elapsed":
        k = np.array([start_p.years_until(p) for p in chosen], dtype=np.float64)
        n = float(start_p.years_until(end_p))
    else:
        k = np.array([chosen[0].years_until(p) + 1 for p in chosen], dtype=np.float64)
        n = float(chosen[0].years_until(end_p) + 1)
    return start_p, chosen, end_p, k, n


def cumulative_share(profile: Profile, x: Any) -> FloatArray:
    """Cumulative share ``s(x)`` of the change reached after a share ``x`` of the time.

    ``"linear"``: ``x``; ``"front-loaded"``: ``1 - (1 - x)^2``; ``"back-loaded"``: ``x^2``.
    (``"geometric"`` is not a share of the absolute change; see :func:`to_target`.)

    >>> cumulative_share("front-loaded", [0.5, 1.0]).tolist()
    [0.75, 1.0]
    """
    xs = np.asarray(x, dtype=np.float64)
    if profile == "linear":
        return xs
    if profile == "front-loaded":
        return 1.0 - (1.0 - xs) ** 2
    if profile == "back-loaded":
        return xs**2
    raise TrajectoryError(
        f"profile must be one of {', '.join(PROFILES)} or a sequence of cumulative shares, "
        f"got {profile!r}"
    )


def _explicit_shares(shares: Sequence[float], count: int) -> FloatArray:
    s = as_float_array(list(shares), "profile", error=TrajectoryError)
    if s.ndim != 1 or s.shape[0] != count:
        raise TrajectoryError(
            f"profile as cumulative shares needs one share per period ({count}), got {list(shares)}"
        )
    if abs(s[-1] - 1.0) > 1e-9:
        raise TrajectoryError(f"cumulative shares must end at 1, got {s[-1]!r}")
    if (np.diff(s) < -1e-12).any() or (s < -1e-12).any():
        raise TrajectoryError(f"cumulative shares must not decrease, got {s.tolist()}")
    return s


def _path(
    b: FloatArray, target: FloatArray, k: FloatArray, n: float, profile: Profile
) -> FloatArray:
    """Values along the path from b to target; exact at k == n."""
    x = k / n
    bb, tt = b[..., np.newaxis], target[..., np.newaxis]
    if isinstance(profile, str) and profile == "geometric":
        if (b <= 0).any() or (target <= 0).any():
            raise TrajectoryError(
                "profile 'geometric' needs a baseline and target above zero; use 'linear'"
            )
        values = bb * (tt / bb) ** x
    else:
        if isinstance(profile, str):
            s = cumulative_share(profile, x)
        else:
            s = _explicit_shares(profile, k.shape[0])
        values = bb + (tt - bb) * s
    at_end = k == n
    if at_end.any():
        values[..., at_end] = tt  # the end value is the target exactly, with no rounding error
    return values


def _not_worse(b: FloatArray, target: FloatArray, polarity: Polarity | None, what: str) -> None:
    if polarity is None:
        return
    worse = polarity.sign * (target - b) < 0
    if np.any(worse):
        where = np.argwhere(np.broadcast_to(worse, np.broadcast_shapes(b.shape, target.shape)))
        index = tuple(int(i) for i in where[0]) if where.size else ()
        bb = float(np.broadcast_to(b, worse.shape)[index])
        tt = float(np.broadcast_to(target, worse.shape)[index])
        raise TrajectoryError(
            f"{what} {tt!r} is worse than the baseline {bb!r} for a {polarity.value}-is-better "
            f"measure" + (f" (at index {index})" if index else "")
        )


def _make(
    b: FloatArray,
    start: Period,
    periods: tuple[Period, ...],
    end: Period,
    values: FloatArray,
    target: FloatArray,
    rule: str,
    parameters: dict[str, Any],
    polarity: Polarity | None,
    indexing: Indexing,
    unit: str | None,
    measure: str | None,
) -> Trajectory:
    shape = np.broadcast_shapes(b.shape, target.shape)
    values = np.broadcast_to(values, (*shape, len(periods)))
    return Trajectory.model_construct(
        baseline=np.broadcast_to(b, shape),
        start=start,
        periods=periods,
        values=values,
        target=np.broadcast_to(target, shape),
        end=end,
        rule=Rule(name=rule, parameters=parameters),
        polarity=polarity,
        unit=unit,
        measure=measure,
        indexing=indexing,
    )


def _param(value: FloatArray) -> Any:
    return float(value) if value.ndim == 0 else value


# --------------------------------------------------------------------------------------------
# the rules
# --------------------------------------------------------------------------------------------


def percentage_change(
    baseline: Any,
    rate: Any,
    *,
    start: str | Period,
    periods: Sequence[str | Period] | None = None,
    end: str | Period | None = None,
    compound: bool = True,
    indexing: Indexing = "elapsed",
    polarity: Any = None,
    unit: str | None = None,
    measure: str | None = None,
) -> Trajectory:
    """Constant annual percentage change (rule R1 of the 2014 plans: "3.2% decline per year").

    Compound: ``v_k = b (1 + r)^k``; simple (``compound=False``): ``v_k = b (1 + r k)``, where
    ``k`` is the number of yearly steps from ``start`` (see the module note on ``indexing``).
    ``rate=-0.032`` is a 3.2% fall a year; ``rate`` must be above -1. With ``polarity``, a rate
    that would make targets worse than the baseline raises.

    Source: the QP 2014/15 PYLL expectation of a 3.2% fall a year (Sutton CCG, March 2014);
    compounded over five years that is a 15.0% fall (0.968^5 = 0.850).

    >>> t = percentage_change(1000.0, -0.032, start="2013/14", end="2018/19")
    >>> t.rounded(1).values.tolist()
    [968.0, 937.0, 907.0, 878.0, 849.9]
    >>> percentage_change([1000.0, 2000.0], -0.1, start="2012", periods=["2014/15"]).values
    array([[ 810.],
           [1620.]])
    """
    b = _baseline(baseline)
    r = as_float_array(rate, "rate", error=TrajectoryError)
    if (r <= -1).any():
        raise TrajectoryError(
            f"rate must be > -1 (a fall of less than 100%), got {float(np.min(r))!r}"
        )
    pol = _polarity(polarity, required=False)
    start_p, chosen, end_p, k, n = _timeline(start, periods, end, indexing)
    rr = r[..., np.newaxis]
    if compound:
        values = b[..., np.newaxis] * (1.0 + rr) ** k
        target = b * (1.0 + r) ** n
    else:
        factor = 1.0 + rr * k
        if (factor < 0).any() or (1.0 + r * n < 0).any():
            raise TrajectoryError(
                f"simple rate {float(np.min(r))!r} over {int(n)} years falls below zero"
            )
        values = b[..., np.newaxis] * factor
        target = b * (1.0 + r * n)
    _not_worse(b, target, pol, "target")
    return _make(
        b,
        start_p,
        chosen,
        end_p,
        values,
        target,
        "percentage_change",
        {"rate": _param(r), "compound": compound},
        pol,
        indexing,
        unit,
        measure,
    )


def to_target(
    baseline: Any,
    target: Any,
    *,
    start: str | Period,
    end: str | Period,
    periods: Sequence[str | Period] | None = None,
    profile: Profile = "linear",
    indexing: Indexing = "elapsed",
    polarity: Any = None,
    unit: str | None = None,
    measure: str | None = None,
) -> Trajectory:
    """Reach ``target`` at ``end`` from ``baseline`` along a phasing profile (rules R3, R7, R9, R10).

    ``v_k = b + (T - b) s(k / n)`` with the cumulative share ``s``: ``"linear"`` ``s(x) = x``;
    ``"front-loaded"`` ``1 - (1 - x)^2``; ``"back-loaded"`` ``x^2``; or an explicit sequence of
    cumulative shares, one per period, ending at 1. ``"geometric"`` takes equal percentage steps,
    ``v_k = b (T / b)^(k / n)``. The value at ``end`` is ``T`` exactly.

    >>> to_target(80.0, 40.0, start="2013/14", end="2017/18", profile="front-loaded").values.tolist()
    [62.5, 50.0, 42.5, 40.0]
    >>> years = ["2014/15", "2015/16", "2016/17", "2017/18", "2018/19"]
    >>> to_target(9.0, 5.0, start="2012", end="2018/19", periods=years).rounded(1).values.tolist()
    [7.7, 7.0, 6.3, 5.7, 5.0]
    """
    b = _baseline(baseline)
    t = as_float_array(target, "target", error=TrajectoryError, nonnegative=True)
    pol = _polarity(polarity, required=False)
    _not_worse(b, t, pol, "target")
    start_p, chosen, end_p, k, n = _timeline(start, periods, end, indexing)
    values = _path(b, t, k, n, profile)
    return _make(
        b,
        start_p,
        chosen,
        end_p,
        values,
        t,
        "to_target",
        {"target": _param(t), "profile": _profile_record(profile)},
        pol,
        indexing,
        unit,
        measure,
    )


def _profile_record(profile: Profile) -> Any:
    return profile if isinstance(profile, str) else [float(s) for s in profile]


def hold(
    baseline: Any,
    *,
    start: str | Period,
    periods: Sequence[str | Period] | None = None,
    end: str | Period | None = None,
    polarity: Any = None,
    unit: str | None = None,
    measure: str | None = None,
) -> Trajectory:
    """Maintain the baseline in every period (rule R8, the BCF "maintain the rate").

    Note that "maintain the rate" is not "keep the count while the population grows"; the
    second makes the rate fall. ``v_k = b``.

    >>> hold(310.0, start="2014/15", end="2016/17").values.tolist()
    [310.0, 310.0]
    """
    b = _baseline(baseline)
    pol = _polarity(polarity, required=False)
    start_p, chosen, end_p, k, _ = _timeline(start, periods, end, "elapsed")
    values = np.repeat(b[..., np.newaxis], k.shape[0], axis=-1)
    return _make(b, start_p, chosen, end_p, values, b, "hold", {}, pol, "elapsed", unit, measure)


def reach_national(
    baseline: Any,
    national: Any,
    *,
    polarity: Any,
    start: str | Period,
    end: str | Period,
    periods: Sequence[str | Period] | None = None,
    profile: Profile = "linear",
    indexing: Indexing = "elapsed",
    unit: str | None = None,
    measure: str | None = None,
) -> Trajectory:
    """Reach the national value (average or national target) by ``end`` (rule R5).

    ``T = national`` where the baseline is worse than national under ``polarity``; otherwise
    ``T = b`` (hold: never plan to get worse). The path follows ``profile`` as in
    :func:`to_target`.

    >>> reach_national([120.0, 80.0], 100.0, polarity="lower", start="2013/14",
    ...                end="2015/16").values.tolist()
    [[110.0, 100.0], [80.0, 80.0]]
    """
    b = _baseline(baseline)
    nat = as_float_array(national, "national", error=TrajectoryError, nonnegative=True)
    pol = _polarity(polarity, required=True)
    assert pol is not None
    target = np.where(pol.sign * (b - nat) >= 0, b, nat)
    start_p, chosen, end_p, k, n = _timeline(start, periods, end, indexing)
    values = _path(b, np.asarray(target, dtype=np.float64), k, n, profile)
    return _make(
        b,
        start_p,
        chosen,
        end_p,
        values,
        np.asarray(target, dtype=np.float64),
        "reach_national",
        {"national": _param(nat), "profile": _profile_record(profile)},
        pol,
        indexing,
        unit,
        measure,
    )


def _quantile_target(
    b: FloatArray,
    peers: Any,
    pol: Polarity,
    quantiles: int,
    steps: int,
    aim: str,
    method: str,
    nan_policy: str,
) -> tuple[FloatArray, FloatArray]:
    """Target at the boundary (or middle) of the band ``steps`` better; (target, bounds)."""
    from outcomes.stats import quantile_bounds, quantile_categories

    if isinstance(steps, bool) or not isinstance(steps, int | np.integer) or steps < 1:
        raise TrajectoryError(f"steps must be a whole number >= 1, got {steps!r}")
    if aim not in ("boundary", "middle"):
        raise TrajectoryError(f"aim must be 'boundary' or 'middle', got {aim!r}")
    if nan_policy not in ("raise", "omit"):
        raise TrajectoryError(f"nan_policy must be 'raise' or 'omit', got {nan_policy!r}")
    bounds = quantile_bounds(peers, quantiles, method, nan_policy=nan_policy)  # type: ignore[arg-type]
    k = bounds.shape[-1] - 1
    if bounds.ndim > 1:
        try:
            np.broadcast_shapes(bounds.shape[:-1], b.shape)
        except ValueError:
            raise TrajectoryError(
                f"peers must be 1-D (one peer set) or one row per baseline: baseline shape "
                f"{b.shape}, peers shape {np.shape(peers)}"
            ) from None
    category = quantile_categories(b, bounds)  # 1 = lowest values
    # rank from worst: 1 = worst band, k = best band
    from_worst = category if pol is Polarity.HIGHER_IS_BETTER else k + 1 - category
    aimed = np.minimum(from_worst + steps, k)
    aimed_category = aimed if pol is Polarity.HIGHER_IS_BETTER else k + 1 - aimed
    lower_edge = np.take_along_axis(
        np.broadcast_to(bounds, (*np.broadcast_shapes(bounds.shape[:-1], b.shape), k + 1)),
        (aimed_category - 1)[..., np.newaxis],
        axis=-1,
    )[..., 0]
    upper_edge = np.take_along_axis(
        np.broadcast_to(bounds, (*np.broadcast_shapes(bounds.shape[:-1], b.shape), k + 1)),
        aimed_category[..., np.newaxis],
        axis=-1,
    )[..., 0]
    if aim == "middle":
        goal = (lower_edge + upper_edge) / 2.0
    else:  # the edge of the better band nearest the baseline
        goal = lower_edge if pol is Polarity.HIGHER_IS_BETTER else upper_edge
    # already in the best band, or a goal no better than today: hold the baseline
    better = pol.sign * (goal - b) > 0
    target = np.where((from_worst < k) & better, goal, b)
    return np.asarray(target, dtype=np.float64), bounds


def quantile_step(
    baseline: Any,
    peers: Any,
    *,
    polarity: Any,
    start: str | Period,
    end: str | Period,
    periods: Sequence[str | Period] | None = None,
    quantiles: int = 4,
    steps: int = 1,
    aim: Literal["boundary", "middle"] = "boundary",
    profile: Profile = "linear",
    method: str = "fingertips",
    nan_policy: Literal["raise", "omit"] = "raise",
    indexing: Indexing = "elapsed",
    unit: str | None = None,
    measure: str | None = None,
) -> Trajectory:
    """Move ``steps`` quantile bands better among peers by ``end`` (rule R4).

    The peer distribution gives bounds ``[min, P(1/k), ..., max]`` (:func:`outcomes.stats.
    quantile_bounds`, Fingertips method by default) and the baseline's band (a value on a bound
    falls in the lower band). The target is the edge of the band ``steps`` better that is nearest
    the baseline (``aim="boundary"``) or that band's middle (``aim="middle"``). Polarity decides
    which way is better: for lower-is-better the best band holds the lowest values. In the best
    band already: hold the baseline. ``quantiles=5`` gives the quintile version. ``peers`` is 1-D
    (one peer set for all) or one row per baseline (each organisation's comparator group). The
    path to the target follows ``profile`` as in :func:`to_target`.

    >>> peers = [1806.8, 1900.0, 2006.1, 2100.0, 2285.9]
    >>> t = quantile_step(2200.0, peers, polarity="lower", start="2013", end="2018/19")
    >>> float(t.target), t.rule.parameters["bounds"]
    (2100.0, [1806.8, 1900.0, 2006.1, 2100.0, 2285.9])
    """
    b = _baseline(baseline)
    pol = _polarity(polarity, required=True)
    assert pol is not None
    target, bounds = _quantile_target(b, peers, pol, quantiles, steps, aim, method, nan_policy)
    start_p, chosen, end_p, k, n = _timeline(start, periods, end, indexing)
    values = _path(b, target, k, n, profile)
    return _make(
        b,
        start_p,
        chosen,
        end_p,
        values,
        target,
        "quantile_step",
        {
            "quantiles": int(quantiles),
            "steps": int(steps),
            "aim": aim,
            "method": method,
            "profile": _profile_record(profile),
            "bounds": bounds.tolist() if bounds.ndim == 1 else bounds,
        },
        pol,
        indexing,
        unit,
        measure,
    )


def national_or_quantile(
    baseline: Any,
    peers: Any,
    national: Any,
    *,
    polarity: Any,
    start: str | Period,
    end: str | Period,
    periods: Sequence[str | Period] | None = None,
    quantiles: int = 4,
    steps: int = 1,
    aim: Literal["boundary", "middle"] = "boundary",
    profile: Profile = "linear",
    method: str = "fingertips",
    nan_policy: Literal["raise", "omit"] = "raise",
    indexing: Indexing = "elapsed",
    unit: str | None = None,
    measure: str | None = None,
) -> Trajectory:
    """The hybrid rule (R6, Basildon & Brentwood 2014): worse than national -> reach national;
    otherwise -> the next better quantile boundary (as :func:`quantile_step`).

    "Worse" follows ``polarity``: for a lower-is-better measure a value above national is worse.

    >>> peers = [10.0, 20.0, 30.0, 40.0, 50.0]
    >>> t = national_or_quantile([35.0, 25.0], peers, 30.0, polarity="lower",
    ...                          start="2013/14", end="2014/15")
    >>> t.values.tolist()
    [[30.0], [20.0]]
    """
    b = _baseline(baseline)
    nat = as_float_array(national, "national", error=TrajectoryError, nonnegative=True)
    pol = _polarity(polarity, required=True)
    assert pol is not None
    quantile_target, bounds = _quantile_target(
        b, peers, pol, quantiles, steps, aim, method, nan_policy
    )
    worse_than_national = pol.sign * (b - nat) < 0
    target = np.asarray(np.where(worse_than_national, nat, quantile_target), dtype=np.float64)
    start_p, chosen, end_p, k, n = _timeline(start, periods, end, indexing)
    values = _path(b, target, k, n, profile)
    return _make(
        b,
        start_p,
        chosen,
        end_p,
        values,
        target,
        "national_or_quantile",
        {
            "national": _param(nat),
            "quantiles": int(quantiles),
            "steps": int(steps),
            "aim": aim,
            "method": method,
            "profile": _profile_record(profile),
            "bounds": bounds.tolist() if bounds.ndim == 1 else bounds,
        },
        pol,
        indexing,
        unit,
        measure,
    )


def phase(annual: Any, shares: Sequence[float], *, ndigits: int | None = None) -> FloatArray:
    """Split annual targets into quarters or months by a seasonal profile (rule R11).

    ``q_i = A w_i`` with ``sum(w) = 1``: the parts are shares of the annual figure and add up to
    it (they are not annualised). With ``ndigits`` the parts are rounded so that they still add
    up exactly to the annual figure rounded half-up (largest-remainder rounding), because
    published quarterly targets must sum to the year.

    >>> phase(1000.0, [0.3, 0.2, 0.2, 0.3]).tolist()
    [300.0, 200.0, 200.0, 300.0]
    >>> phase(100.0, [1/3, 1/3, 1/3], ndigits=1).tolist()
    [33.4, 33.3, 33.3]
    """
    a = as_float_array(annual, "annual", error=TrajectoryError, nonnegative=True)
    w = as_float_array(list(shares), "shares", error=TrajectoryError, nonnegative=True)
    if w.ndim != 1 or w.size == 0:
        raise TrajectoryError(f"shares must be a non-empty sequence, got {shares!r}")
    if abs(float(w.sum()) - 1.0) > 1e-9:
        raise TrajectoryError(f"shares must sum to 1 (within 1e-9), got {float(w.sum())!r}")
    parts = a[..., np.newaxis] * w
    if ndigits is None:
        return parts
    scale = 10.0**ndigits
    total_units = np.rint(np.asarray(round_half_up(a, ndigits)) * scale)
    raw = total_units[..., np.newaxis] * w
    base = np.floor(raw + 1e-9)
    remainder = (total_units - base.sum(axis=-1)).astype(np.int64)
    fraction = raw - base
    order = np.argsort(-fraction, axis=-1, kind="stable")
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.arange(w.size), axis=-1)
    base = base + (ranks < remainder[..., np.newaxis])
    return np.asarray(base / scale)


def check_compatible(trajectories: Sequence[Trajectory], what: str = "part") -> None:
    """Raise unless the trajectories share periods, baseline period and unit, and their
    polarities (where stated) agree: the condition for adding or averaging them."""
    first = trajectories[0]
    for i, other in enumerate(trajectories[1:], start=1):
        if other.periods != first.periods or other.start != first.start:
            raise TrajectoryError(
                f"{what} {i} has periods {[str(p) for p in other.periods]} from {other.start}, "
                f"{what} 0 has {[str(p) for p in first.periods]} from {first.start}"
            )
        if other.unit != first.unit:
            raise TrajectoryError(f"{what} {i} has unit {other.unit!r}, {what} 0 {first.unit!r}")
        if None not in (other.polarity, first.polarity) and other.polarity != first.polarity:
            raise TrajectoryError(
                f"{what} {i} has polarity {other.polarity!r}, {what} 0 {first.polarity!r}"
            )


def composite(parts: Sequence[Trajectory], *, measure: str | None = None) -> Trajectory:
    """Sum the trajectories of a composite measure's parts (e.g. ambition 3's four admission
    rates per 100,000: 2.3.i + 2.3.ii + 3a + 3.2).

    The parts must share periods, baseline period and unit; polarity must agree.

    >>> a = hold(100.0, start="2013/14", end="2014/15", unit="per_100000")
    >>> b = to_target(50.0, 40.0, start="2013/14", end="2014/15", unit="per_100000")
    >>> composite([a, b]).values.tolist()
    [140.0]
    """
    if len(parts) < 2:
        raise TrajectoryError(f"a composite needs two or more parts, got {len(parts)}")
    check_compatible(parts, "part")
    first = parts[0]
    baseline = sum((p.baseline for p in parts), np.zeros(()))
    values = sum((p.values for p in parts), np.zeros(()))
    target = sum((p.target for p in parts), np.zeros(()))
    polarity = next((p.polarity for p in parts if p.polarity is not None), None)
    return Trajectory.model_construct(
        baseline=np.asarray(baseline),
        start=first.start,
        periods=first.periods,
        values=np.asarray(values),
        target=np.asarray(target),
        end=first.end,
        rule=Rule(name="composite", parameters={"parts": [p.rule.describe() for p in parts]}),
        polarity=polarity,
        unit=first.unit,
        measure=measure,
        indexing=first.indexing,
    )
