"""Roll member organisations' trajectories up to a footprint, and apportion a footprint target.

Rates (per 100,000, per 100, %) combine as population-weighted means; counts add up. Survey
scores and EQ-5D means need respondent counts as weights (``kind="mean"``); without them they
cannot be combined, and saying so is better than a wrong number.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from outcomes._arrays import (
    FloatArray,
    as_float_array,
    as_number,
    check_choice,
    check_finite_result,
)
from outcomes.errors import TrajectoryError
from outcomes.periods import Period
from outcomes.polarity import Polarity
from outcomes.rules import check_compatible, to_target
from outcomes.rules._engine import Profile
from outcomes.rules.combine import as_trajectories
from outcomes.trajectory import Rule, Trajectory
from outcomes.units import unit

__all__ = ["apportion", "roll_up"]


def _stack(trajectories: Trajectory | Sequence[Trajectory]) -> Trajectory:
    if isinstance(trajectories, Trajectory):
        if trajectories.values.ndim != 2:
            raise TrajectoryError(
                "a Trajectory to roll up needs one leading axis of organisations, got shape "
                f"{trajectories.values.shape}"
            )
        return trajectories
    items = as_trajectories(trajectories, "member")
    if not items:
        raise TrajectoryError("roll_up needs at least one trajectory")
    check_compatible(items, "member")
    for i, t in enumerate(items):
        if t.values.ndim not in (1, 2):
            raise TrajectoryError(
                f"member {i} must be one organisation or one axis of organisations, got shape "
                f"{t.shape}"
            )
    first = items[0]
    # one concatenation of every member's rows (a member may hold many organisations). The
    # common case, every member a 2-D block, takes the arrays as they are: with 10,000 members
    # the np.atleast_* calls of the general case cost as much as the weighted sum itself.
    if all(t.values.ndim == 2 for t in items):
        values = np.concatenate([t.values for t in items])
        baseline = np.concatenate([t.baseline for t in items])
        target = np.concatenate([t.target for t in items])
    else:
        values = np.concatenate([np.atleast_2d(t.values) for t in items])
        baseline = np.concatenate([np.atleast_1d(t.baseline) for t in items])
        target = np.concatenate([np.atleast_1d(t.target) for t in items])
    rules = list(dict.fromkeys(t.rule.name for t in items))
    return Trajectory.model_construct(
        baseline=baseline,
        start=first.start,
        periods=first.periods,
        values=values,
        target=target,
        end=first.end,
        rule=Rule(name="members", parameters={"rules": rules}),
        polarity=first.polarity,
        unit=first.unit,
        measure=first.measure,
        indexing=first.indexing,
    )


def _scaled(weights: FloatArray) -> FloatArray:
    """The weights scaled below 1 by one power of two (exact, so a weighted mean is unchanged),
    so that huge populations do not overflow a weighted sum."""
    _, exponent = np.frexp(np.max(weights))
    if exponent < 900:
        return weights  # a weighted sum of values up to 1e30 cannot overflow: no copy needed
    return np.ldexp(weights, -int(exponent))


def _weighted_mean(values: FloatArray, weights: FloatArray) -> FloatArray:
    """``sum(w v) / sum(w)`` over members (axis 0), overflow-safe (see :func:`_scaled`)."""
    scaled = _scaled(weights)
    with np.errstate(over="ignore", invalid="ignore"):
        return np.asarray((values * scaled).sum(axis=0) / scaled.sum(axis=0))


def roll_up(
    trajectories: Trajectory | Sequence[Trajectory],
    populations: npt.ArrayLike | None,
    *,
    kind: Literal["rate", "count", "mean"] = "rate",
    measure: str | None = None,
) -> Trajectory:
    """Combine members' trajectories for one measure into the footprint's trajectory.

    ``trajectories`` is one trajectory with an axis of organisations, or a list of members, each
    one organisation or an axis of them (their rows are stacked once, in order).
    ``kind="rate"``: ``sum(p_i v_i) / sum(p_i)`` with ``populations`` one per member
    organisation, or one per member and period (the baseline then uses the first period's); ``kind="count"``:
    ``sum(v_i)``; ``kind="mean"``: as a rate, with respondent counts as the weights (survey
    scores, EQ-5D). A survey-score unit rolled up as a rate raises.

    >>> from outcomes import percentage_change
    >>> members = percentage_change([100.0, 300.0], -0.1, start="2013/14", end="2014/15",
    ...                             unit="per_100000")
    >>> roll_up(members, [3000, 1000]).values.tolist()
    [135.0]
    """
    stacked = _stack(trajectories)
    m, n = stacked.values.shape
    check_choice(kind, "kind", ("rate", "count", "mean"), TrajectoryError)
    combine = unit(stacked.unit).combine if stacked.unit is not None else None
    if kind == "rate" and combine == "respondents":
        raise TrajectoryError(
            f"a measure in {stacked.unit!r} is a mean of survey responses and cannot be combined "
            "by population; pass the respondent counts with kind='mean'"
        )
    if kind != "count" and combine == "sum":
        raise TrajectoryError(
            f"a measure in {stacked.unit!r} is a count: roll it up with kind='count'"
        )
    if kind == "count":
        with np.errstate(over="ignore", invalid="ignore"):
            values = stacked.values.sum(axis=0)
            baseline, target = stacked.baseline.sum(), stacked.target.sum()
        weights_record: Any = None
    else:
        pop = as_float_array(populations, "populations", error=TrajectoryError, nonnegative=True)
        if pop.shape == (m,):
            if pop.size == 0 or pop.max() <= 0:
                raise TrajectoryError("populations must not all be zero")
            w = _scaled(pop)
            total = w.sum()
            with np.errstate(over="ignore", invalid="ignore"):
                # one weighted sum (a matrix-vector product), no member x period temporary
                values = w @ stacked.values / total
                baseline = w @ stacked.baseline / total
                target = w @ stacked.target / total
        elif pop.shape == (m, n):
            if (pop.max(axis=0) <= 0).any():
                raise TrajectoryError("populations must not all be zero")
            w = _scaled(pop)
            with np.errstate(over="ignore", invalid="ignore"):
                values = np.einsum("ij,ij->j", stacked.values, w) / w.sum(axis=0)
                baseline = w[:, 0] @ stacked.baseline / w[:, 0].sum()
                target = w[:, -1] @ stacked.target / w[:, -1].sum()
        else:
            raise TrajectoryError(
                f"populations must have one value per member ({m},) or per member and period "
                f"({m}, {n}), got shape {pop.shape}"
            )
        weights_record = pop
    check_finite_result(np.asarray(values), "the footprint's targets", TrajectoryError)
    check_finite_result(np.asarray(baseline), "the footprint's baseline", TrajectoryError)
    return Trajectory.model_construct(
        baseline=np.asarray(baseline),
        start=stacked.start,
        periods=stacked.periods,
        values=np.asarray(values),
        target=np.asarray(target),
        end=stacked.end,
        rule=Rule(
            name="roll_up", parameters={"kind": kind, "members": m, "populations": weights_record}
        ),
        polarity=stacked.polarity,
        unit=stacked.unit,
        measure=measure or stacked.measure,
        indexing=stacked.indexing,
    )


def apportion(
    target: float,
    populations: npt.ArrayLike,
    baselines: npt.ArrayLike,
    *,
    start: str | Period,
    end: str | Period,
    periods: Sequence[str | Period] | None = None,
    method: Literal["relative", "absolute"] = "relative",
    kind: Literal["rate", "count"] = "rate",
    profile: Profile = "linear",
    polarity: Polarity | str | None = None,
    unit: str | None = None,
) -> Trajectory:
    """Split a footprint target among members so that their roll-up reproduces it.

    With the footprint baseline ``B`` (population-weighted mean of member baselines for rates,
    their sum for counts): ``method="relative"`` gives every member the same relative change,
    ``t_i = b_i T / B``; ``method="absolute"`` the same absolute change, ``t_i = b_i + (T - B)``
    for rates, ``t_i = b_i + (T - B) / m`` for counts. Member paths follow ``profile``.

    >>> members = apportion(90.0, [3000, 1000], [80.0, 160.0], start="2013/14", end="2014/15")
    >>> members.target.tolist(), roll_up(members, [3000, 1000]).values.tolist()
    ([72.0, 144.0], [90.0])
    """
    check_choice(method, "method", ("relative", "absolute"), TrajectoryError)
    check_choice(kind, "kind", ("rate", "count"), TrajectoryError)
    pop = as_float_array(populations, "populations", error=TrajectoryError, nonnegative=True)
    base = as_float_array(baselines, "baselines", error=TrajectoryError, nonnegative=True)
    goal = as_number(target, "target", error=TrajectoryError, minimum=0)
    if pop.ndim != 1 or base.shape != pop.shape:
        raise TrajectoryError(
            f"populations and baselines must be 1-D, one per member; got {pop.shape}, {base.shape}"
        )
    if pop.size == 0 or pop.max() <= 0:
        raise TrajectoryError("populations must not all be zero")
    with np.errstate(over="ignore", invalid="ignore"):
        footprint = float(base.sum() if kind == "count" else _weighted_mean(base, pop))
        if method == "relative":
            if footprint == 0:
                raise TrajectoryError("equal relative change needs a footprint baseline above zero")
            member_targets = base * (goal / footprint)
        else:
            shift = goal - footprint
            member_targets = base + (shift / base.size if kind == "count" else shift)
    check_finite_result(
        np.asarray(member_targets),
        "the members' targets",
        TrajectoryError,
        "the target is too large",
    )
    if (member_targets < 0).any():
        raise TrajectoryError(
            f"equal {method} change would give a member a negative target "
            f"({float(member_targets.min())!r}); use method='relative'"
        )
    t = to_target(
        base,
        member_targets,
        start=start,
        end=end,
        periods=periods,
        profile=profile,
        polarity=polarity,
        unit=unit,
    )
    return t.model_copy(
        update={
            "rule": Rule(
                name="apportion",
                parameters={
                    "footprint_target": goal,
                    "method": method,
                    "kind": kind,
                    "populations": pop,
                    "profile": profile if isinstance(profile, str) else list(profile),
                },
            )
        }
    )
