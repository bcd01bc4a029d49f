"""Rules that set the end value from where an organisation stands among its peers: the next
better quantile band, or the national value when worse than it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from pydantic import Field, field_validator

from outcomes._arrays import FloatArray, as_float_array, broadcast, check_choice
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
    make,
    parse_polarity,
    path,
    profile_record,
    record,
    timeline,
    valid_profile,
)
from outcomes.rules._spec import ALL_INVARIANTS, RuleParameters, RuleSpec
from outcomes.stats.quantiles import QUANTILE_METHODS, quantile_bounds, quantile_categories
from outcomes.trajectory import Trajectory

__all__ = ["RULES", "national_or_quantile", "quantile_step"]

Aim = Literal["boundary", "middle"]
NanPolicy = Literal["raise", "omit"]


def _quantile_target(
    b: FloatArray,
    peers: npt.ArrayLike,
    pol: Polarity,
    quantiles: int,
    steps: int,
    aim: str,
    method: str,
    nan_policy: str,
) -> tuple[FloatArray, FloatArray]:
    """Target at the boundary (or middle) of the band ``steps`` better; (target, bounds)."""
    if isinstance(steps, bool) or not isinstance(steps, int | np.integer) or steps < 1:
        raise TrajectoryError(f"steps must be a whole number >= 1, got {steps!r}")
    check_choice(aim, "aim", ("boundary", "middle"), TrajectoryError)
    check_choice(nan_policy, "nan_policy", ("raise", "omit"), TrajectoryError)
    bounds = quantile_bounds(peers, quantiles, method, nan_policy=nan_policy)  # type: ignore[arg-type]
    k = bounds.shape[-1] - 1
    shape = b.shape
    if bounds.ndim > 1:
        try:
            shape = np.broadcast_shapes(bounds.shape[:-1], b.shape)
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
    edges = np.broadcast_to(bounds, (*shape, k + 1))
    lower_edge = np.take_along_axis(edges, (aimed_category - 1)[..., np.newaxis], axis=-1)[..., 0]
    upper_edge = np.take_along_axis(edges, aimed_category[..., np.newaxis], axis=-1)[..., 0]
    if aim == "middle":
        goal = (lower_edge + upper_edge) / 2.0
    else:  # the edge of the better band nearest the baseline
        goal = lower_edge if pol is Polarity.HIGHER_IS_BETTER else upper_edge
    # already in the best band, or a goal no better than today: hold the baseline
    better = pol.sign * (goal - b) > 0
    target = np.where((from_worst < k) & better, goal, b)
    return np.asarray(target, dtype=np.float64), bounds


def _bounds_record(bounds: FloatArray) -> list[float] | FloatArray:
    return [float(x) for x in bounds] if bounds.ndim == 1 else bounds


def quantile_step(
    baseline: npt.ArrayLike,
    peers: npt.ArrayLike,
    *,
    polarity: Polarity | str,
    start: PeriodLike,
    end: PeriodLike,
    periods: Sequence[PeriodLike] | None = None,
    quantiles: int = 4,
    steps: int = 1,
    aim: Aim = "boundary",
    profile: Profile = "linear",
    method: str = "fingertips",
    nan_policy: NanPolicy = "raise",
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

    Examples
    --------
    >>> peers = [1806.8, 1900.0, 2006.1, 2100.0, 2285.9]
    >>> t = quantile_step(2200.0, peers, polarity="lower", start="2013", end="2018/19")
    >>> float(t.target), t.rule.parameters["bounds"]
    (2100.0, [1806.8, 1900.0, 2006.1, 2100.0, 2285.9])
    """
    b = baseline_array(baseline, unit)
    pol = parse_polarity(polarity, required=True)
    assert pol is not None
    check_profile(profile)
    target, bounds = _quantile_target(b, peers, pol, quantiles, steps, aim, method, nan_policy)
    start_p, chosen, end_p, k, n = timeline(start, periods, end, indexing)
    values = path(b, target, k, n, profile)
    return make(
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
            "profile": profile_record(profile),
            "bounds": _bounds_record(bounds),
        },
        pol,
        indexing,
        unit,
        measure,
    )


def national_or_quantile(
    baseline: npt.ArrayLike,
    peers: npt.ArrayLike,
    national: npt.ArrayLike,
    *,
    polarity: Polarity | str,
    start: PeriodLike,
    end: PeriodLike,
    periods: Sequence[PeriodLike] | None = None,
    quantiles: int = 4,
    steps: int = 1,
    aim: Aim = "boundary",
    profile: Profile = "linear",
    method: str = "fingertips",
    nan_policy: NanPolicy = "raise",
    indexing: Indexing = "elapsed",
    unit: str | None = None,
    measure: str | None = None,
) -> Trajectory:
    """The hybrid rule (R6, Basildon & Brentwood 2014): worse than national -> reach national;
    otherwise -> the next better quantile boundary (as :func:`quantile_step`).

    "Worse" follows ``polarity``: for a lower-is-better measure a value above national is worse.

    Examples
    --------
    >>> peers = [10.0, 20.0, 30.0, 40.0, 50.0]
    >>> t = national_or_quantile([35.0, 25.0], peers, 30.0, polarity="lower",
    ...                          start="2013/14", end="2014/15")
    >>> t.values.tolist()
    [[30.0], [20.0]]
    """
    b = baseline_array(baseline, unit)
    nat = as_float_array(national, "national", error=TrajectoryError, nonnegative=True)
    broadcast(TrajectoryError, baseline=b, national=nat)
    pol = parse_polarity(polarity, required=True)
    assert pol is not None
    check_profile(profile)
    quantile_target, bounds = _quantile_target(
        b, peers, pol, quantiles, steps, aim, method, nan_policy
    )
    worse_than_national = pol.sign * (b - nat) < 0
    target = np.asarray(np.where(worse_than_national, nat, quantile_target), dtype=np.float64)
    start_p, chosen, end_p, k, n = timeline(start, periods, end, indexing)
    values = path(b, target, k, n, profile)
    return make(
        b,
        start_p,
        chosen,
        end_p,
        values,
        target,
        "national_or_quantile",
        {
            "national": record(nat),
            "quantiles": int(quantiles),
            "steps": int(steps),
            "aim": aim,
            "method": method,
            "profile": profile_record(profile),
            "bounds": _bounds_record(bounds),
        },
        pol,
        indexing,
        unit,
        measure,
    )


# --------------------------------------------------------------------------------------------
# declarations
# --------------------------------------------------------------------------------------------


def _valid_method(value: str) -> str:
    if value not in QUANTILE_METHODS:
        raise ValueError(f"must be one of {', '.join(sorted(QUANTILE_METHODS))}")
    return value


class _QuantileParameters(RuleParameters):
    peers: list[float] | None = Field(
        default=None,
        description="peer values (one per area), or selected from data with [peers] / --peers",
    )
    quantiles: int = Field(default=4, ge=2, description="4 for quartiles, 5 for quintiles")
    steps: int = Field(default=1, ge=1, description="how many bands better to aim for")
    aim: Aim = Field(default="boundary", description="the band's near boundary or its middle")
    profile: str | list[float] = "linear"
    method: str = Field(default="fingertips", description="how quantile bounds are computed")
    nan_policy: NanPolicy = "raise"
    indexing: Indexing = "elapsed"

    _profile = field_validator("profile")(valid_profile)
    _method = field_validator("method")(_valid_method)


class QuantileStepParameters(_QuantileParameters):
    pass


class NationalOrQuantileParameters(_QuantileParameters):
    national: float = Field(ge=0, description="the national value to reach where worse than it")


def _peer_sets(st: Any) -> Any:
    return st.lists(
        st.floats(min_value=1.0, max_value=1e5, allow_nan=False), min_size=5, max_size=60
    )


def _quantile_example(st: Any, start: Period, end: Period) -> Any:
    return st.fixed_dictionaries(
        {
            "peers": _peer_sets(st),
            "quantiles": st.sampled_from([4, 5]),
            "steps": st.integers(min_value=1, max_value=3),
            "aim": st.sampled_from(["boundary", "middle"]),
            "profile": st.sampled_from(tuple(PROFILES)),
        }
    )


def _national_or_quantile_example(st: Any, start: Period, end: Period) -> Any:
    return st.fixed_dictionaries(
        {
            "peers": _peer_sets(st),
            "national": st.floats(min_value=1.0, max_value=1e5),
            "profile": st.sampled_from(tuple(PROFILES)),
        }
    )


def _move(t: Trajectory) -> str:
    p = t.rule.parameters
    band = w.band_name(p.get("quantiles", 4))
    steps = int(p.get("steps", 1))
    how_many = f"{w.number(steps)} {band}{'s' if steps > 1 else ''}"
    aim = (
        f"to the middle of the {band} aimed for"
        if p.get("aim") == "middle"
        else f"to the near edge of the better {band}"
    )
    return (
        f"move {how_many} better among peers by {t.end}, {aim}, {w.profile(p.get('profile'))}; "
        f"hold the baseline if already in the best {band}"
    )


def _describe_quantile_step(t: Trajectory) -> str:
    return f"{_move(t)}{w.bounds_words(t.rule.parameters.get('bounds'), t)}{w.indexing(t)}"


def _describe_national_or_quantile(t: Trajectory) -> str:
    p = t.rule.parameters
    return (
        f"where the {t.start} baseline is worse than the national value of "
        f"{w.value_or_range(p['national'], t)}, reach it by {t.end}; otherwise {_move(t)}"
        f"{w.bounds_words(p.get('bounds'), t)}{w.indexing(t)}"
    )


RULES = (
    RuleSpec(
        name="quantile_step",
        function=quantile_step,
        parameters=QuantileStepParameters,
        summary="move one (or more) quantile bands better among peers by the end period",
        invariants=ALL_INVARIANTS,
        example=_quantile_example,
        measured={"peers": "absolute"},
        describe=_describe_quantile_step,
        inputs=("peers",),
        needs_polarity=True,
    ),
    RuleSpec(
        name="national_or_quantile",
        function=national_or_quantile,
        parameters=NationalOrQuantileParameters,
        summary="worse than national: reach it; otherwise the next better quantile band",
        invariants=ALL_INVARIANTS,
        example=_national_or_quantile_example,
        measured={"peers": "absolute", "national": "absolute"},
        describe=_describe_national_or_quantile,
        inputs=("peers",),
        needs_polarity=True,
    ),
)
