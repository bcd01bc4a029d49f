"""Rules that reach a given end value along a phasing profile: an explicit target, or the
national value.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
from pydantic import Field, field_validator

from outcomes._arrays import FloatArray, as_float_array, broadcast
from outcomes.errors import TrajectoryError
from outcomes.periods import Period
from outcomes.polarity import Polarity
from outcomes.rules import _words as w
from outcomes.rules._engine import (
    PROFILES,
    Indexing,
    PeriodLike,
    Profile,
    baseline_array,
    check_profile,
    cumulative_share,
    make,
    not_worse,
    parse_polarity,
    path,
    profile_record,
    record,
    timeline,
    valid_profile,
)
from outcomes.rules._spec import ALL_INVARIANTS, AuditForm, RuleParameters, RuleSpec
from outcomes.trajectory import Trajectory

__all__ = ["RULES", "reach_national", "to_target"]


def to_target(
    baseline: npt.ArrayLike,
    target: npt.ArrayLike,
    *,
    start: PeriodLike,
    end: PeriodLike,
    periods: Sequence[PeriodLike] | None = None,
    profile: Profile = "linear",
    indexing: Indexing = "elapsed",
    polarity: Polarity | str | None = None,
    unit: str | None = None,
    measure: str | None = None,
) -> Trajectory:
    """Reach ``target`` at ``end`` from ``baseline`` along a phasing profile (rules R3, R7, R9, R10).

    ``v_k = b + (T - b) s(k / n)`` with the cumulative share ``s``: ``"linear"`` ``s(x) = x``;
    ``"front-loaded"`` ``1 - (1 - x)^2``; ``"back-loaded"`` ``x^2``; or an explicit sequence of
    cumulative shares, one per period, ending at 1. ``"geometric"`` takes equal percentage steps,
    ``v_k = b (T / b)^(k / n)``. The value at ``end`` is ``T`` exactly.

    Raises
    ------
    TrajectoryError
        A negative target, a target worse than the baseline under ``polarity``, an unknown
        profile or shares that do not fit the periods.

    Examples
    --------
    >>> to_target(80.0, 40.0, start="2013/14", end="2017/18", profile="front-loaded").values.tolist()
    [62.5, 50.0, 42.5, 40.0]
    >>> years = ["2014/15", "2015/16", "2016/17", "2017/18", "2018/19"]
    >>> to_target(9.0, 5.0, start="2012", end="2018/19", periods=years).rounded(1).values.tolist()
    [7.7, 7.0, 6.3, 5.7, 5.0]
    """
    b = baseline_array(baseline, unit)
    t = as_float_array(target, "target", error=TrajectoryError, nonnegative=True)
    broadcast(TrajectoryError, baseline=b, target=t)
    pol = parse_polarity(polarity, required=False)
    check_profile(profile)
    not_worse(b, t, pol, "target")
    start_p, chosen, end_p, k, n = timeline(start, periods, end, indexing)
    values = path(b, t, k, n, profile)
    return make(
        b,
        start_p,
        chosen,
        end_p,
        values,
        t,
        "to_target",
        {"target": record(t), "profile": profile_record(profile)},
        pol,
        indexing,
        unit,
        measure,
    )


def reach_national(
    baseline: npt.ArrayLike,
    national: npt.ArrayLike,
    *,
    polarity: Polarity | str,
    start: PeriodLike,
    end: PeriodLike,
    periods: Sequence[PeriodLike] | None = None,
    profile: Profile = "linear",
    indexing: Indexing = "elapsed",
    unit: str | None = None,
    measure: str | None = None,
) -> Trajectory:
    """Reach the national value (average or national target) by ``end`` (rule R5).

    ``T = national`` where the baseline is worse than national under ``polarity``; otherwise
    ``T = b`` (hold: never plan to get worse). The path follows ``profile`` as in
    :func:`to_target`.

    Examples
    --------
    >>> reach_national([120.0, 80.0], 100.0, polarity="lower", start="2013/14",
    ...                end="2015/16").values.tolist()
    [[110.0, 100.0], [80.0, 80.0]]
    """
    b = baseline_array(baseline, unit)
    nat = as_float_array(national, "national", error=TrajectoryError, nonnegative=True)
    broadcast(TrajectoryError, baseline=b, national=nat)
    pol = parse_polarity(polarity, required=True)
    assert pol is not None
    check_profile(profile)
    target = np.asarray(np.where(pol.sign * (b - nat) >= 0, b, nat), dtype=np.float64)
    start_p, chosen, end_p, k, n = timeline(start, periods, end, indexing)
    values = path(b, target, k, n, profile)
    return make(
        b,
        start_p,
        chosen,
        end_p,
        values,
        target,
        "reach_national",
        {"national": record(nat), "profile": profile_record(profile)},
        pol,
        indexing,
        unit,
        measure,
    )


# --------------------------------------------------------------------------------------------
# declarations
# --------------------------------------------------------------------------------------------


class ToTargetParameters(RuleParameters):
    target: float = Field(ge=0, description="the value to reach at the end period")
    profile: str | list[float] = Field(
        default="linear", description="linear, geometric, front-loaded, back-loaded or shares"
    )
    indexing: Indexing = "elapsed"

    _profile = field_validator("profile")(valid_profile)


class ReachNationalParameters(RuleParameters):
    national: float = Field(ge=0, description="the national value (average or target) to reach")
    profile: str | list[float] = "linear"
    indexing: Indexing = "elapsed"

    _profile = field_validator("profile")(valid_profile)


def _share_form(profile: str) -> AuditForm:
    def forward(t: FloatArray, k: FloatArray, n: FloatArray, b: FloatArray) -> FloatArray:
        return np.asarray(b + (t - b) * cumulative_share(profile, k / n))

    def inverse(v: FloatArray, k: FloatArray, n: FloatArray, b: FloatArray) -> FloatArray:
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.asarray(b + (v - b) / cumulative_share(profile, k / n))

    return AuditForm(profile, "target", {"profile": profile}, forward, inverse, (0.0, np.inf))


def _geometric(t: FloatArray, k: FloatArray, n: FloatArray, b: FloatArray) -> FloatArray:
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return np.asarray(np.where((t > 0) & (b > 0), b * (t / b) ** (k / n), np.nan))


def _geometric_target(v: FloatArray, k: FloatArray, n: FloatArray, b: FloatArray) -> FloatArray:
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return np.asarray(b * (v / b) ** (n / k))


def _profiles(st: Any) -> Any:
    return st.sampled_from(tuple(PROFILES))


def _to_target_example(st: Any, start: Period, end: Period) -> Any:
    return st.fixed_dictionaries(
        {"target": st.floats(min_value=0.2, max_value=2.0), "profile": _profiles(st)}
    )


def _national_example(st: Any, start: Period, end: Period) -> Any:
    return st.fixed_dictionaries(
        {"national": st.floats(min_value=1.0, max_value=1e5), "profile": _profiles(st)}
    )


def _describe_to_target(t: Trajectory) -> str:
    p = t.rule.parameters
    return (
        f"reach {w.value_or_range(p['target'], t)} by {t.end} from the {t.start} baseline, "
        f"{w.profile(p.get('profile'))}{w.indexing(t)}"
    )


def _describe_reach_national(t: Trajectory) -> str:
    p = t.rule.parameters
    return (
        f"where the {t.start} baseline is worse than the national value of "
        f"{w.value_or_range(p['national'], t)}, reach it by {t.end}, "
        f"{w.profile(p.get('profile'))}; otherwise hold the baseline{w.indexing(t)}"
    )


RULES = (
    RuleSpec(
        name="to_target",
        function=to_target,
        parameters=ToTargetParameters,
        summary="reach a given value by the end period along a phasing profile",
        invariants=ALL_INVARIANTS,
        audit=(
            _share_form("linear"),
            AuditForm(
                "geometric",
                "target",
                {"profile": "geometric"},
                _geometric,
                _geometric_target,
                (0.0, np.inf),
            ),
            _share_form("front-loaded"),
            _share_form("back-loaded"),
        ),
        example=_to_target_example,
        measured={"target": "baseline"},
        describe=_describe_to_target,
    ),
    RuleSpec(
        name="reach_national",
        function=reach_national,
        parameters=ReachNationalParameters,
        summary="reach the national value by the end period where worse than it, else hold",
        invariants=ALL_INVARIANTS,
        example=_national_example,
        measured={"national": "absolute"},
        describe=_describe_reach_national,
        needs_polarity=True,
    ),
)
