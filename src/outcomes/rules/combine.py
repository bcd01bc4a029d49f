"""Operations on targets rather than rules: split an annual target over quarters or months, and
add the parts of a composite measure.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt

from outcomes._arrays import (
    FloatArray,
    as_float_array,
    check_finite_result,
    check_ndigits,
    round_half_up,
)
from outcomes.errors import TrajectoryError
from outcomes.trajectory import Rule, Trajectory

__all__ = ["as_trajectories", "check_compatible", "composite", "phase"]


def phase(
    annual: npt.ArrayLike, shares: Sequence[float], *, ndigits: int | None = None
) -> FloatArray:
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
    w = as_float_array(shares, "shares", error=TrajectoryError, nonnegative=True)
    if w.ndim != 1 or w.size == 0:
        raise TrajectoryError(f"shares must be a non-empty sequence, got {shares!r}")
    if (w > 1).any():
        raise TrajectoryError(f"shares must each be at most 1, got {float(w.max())!r}")
    if abs(float(w.sum()) - 1.0) > 1e-9:
        raise TrajectoryError(f"shares must sum to 1 (within 1e-9), got {float(w.sum())!r}")
    parts = a[..., np.newaxis] * w
    if ndigits is None:
        return parts
    ndigits = check_ndigits(ndigits, TrajectoryError)
    scale = 10.0**ndigits
    with np.errstate(over="ignore", invalid="ignore"):
        total_units = np.rint(np.asarray(round_half_up(a, ndigits)) * scale)
    check_finite_result(
        total_units,
        "the annual figures",
        TrajectoryError,
        f"too large to split at ndigits={ndigits}",
    )
    raw = total_units[..., np.newaxis] * w
    base = np.floor(raw + 1e-9)
    remainder = (total_units - base.sum(axis=-1)).astype(np.int64)
    fraction = raw - base
    order = np.argsort(-fraction, axis=-1, kind="stable")
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.arange(w.size), axis=-1)
    base = base + (ranks < remainder[..., np.newaxis])
    return np.asarray(base / scale)


def as_trajectories(items: object, what: str) -> list[Trajectory]:
    """``items`` as a list of trajectories; anything else raises naming its position.

    >>> as_trajectories([1.0], "part")
    Traceback (most recent call last):
    ...
    outcomes.errors.TrajectoryError: part 0 must be a Trajectory, got float: 1.0
    """
    if isinstance(items, Trajectory | str | bytes) or not isinstance(items, Iterable):
        raise TrajectoryError(f"{what}s must be a sequence of trajectories, got {items!r:.80}")
    listed = list(items)
    if all(type(item) is Trajectory for item in listed):
        return listed  # the common case, checked in one pass
    for i, item in enumerate(listed):
        if not isinstance(item, Trajectory):
            raise TrajectoryError(
                f"{what} {i} must be a Trajectory, got {type(item).__name__}: {item!r:.60}"
            )
    return listed


def check_compatible(trajectories: Sequence[Trajectory], what: str = "part") -> None:
    """Raise unless the trajectories share periods, baseline period and unit, and their
    polarities (where stated) agree: the condition for adding or averaging them."""
    trajectories = as_trajectories(trajectories, what)
    if not trajectories:
        raise TrajectoryError(f"no {what}s given")
    first = trajectories[0]
    periods, start, unit_id, polarity = first.periods, first.start, first.unit, first.polarity
    for i, other in enumerate(trajectories[1:], start=1):
        if (
            other.periods is periods
            and other.start is start
            and other.unit == unit_id
            and other.polarity is polarity
        ):
            continue  # the same span (shared, as rules share it) and the same unit and direction
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

    >>> from outcomes import hold, to_target
    >>> a = hold(100.0, start="2013/14", end="2014/15", unit="per_100000")
    >>> b = to_target(50.0, 40.0, start="2013/14", end="2014/15", unit="per_100000")
    >>> composite([a, b]).values.tolist()
    [140.0]
    """
    parts = as_trajectories(parts, "part")
    if len(parts) < 2:
        raise TrajectoryError(f"a composite needs two or more parts, got {len(parts)}")
    check_compatible(parts, "part")
    first = parts[0]
    try:
        shape = np.broadcast_shapes(*(p.baseline.shape for p in parts))
    except ValueError:
        shown = ", ".join(f"part {i} has shape {p.baseline.shape}" for i, p in enumerate(parts))
        raise TrajectoryError(f"the parts' organisations do not match: {shown}") from None
    baseline = np.zeros(shape)
    values = np.zeros((*shape, len(first.periods)))
    target = np.zeros(shape)
    with np.errstate(over="ignore", invalid="ignore"):
        for p in parts:
            baseline = baseline + p.baseline
            values = values + p.values
            target = target + p.target
    check_finite_result(values, "the composite's sums", TrajectoryError)
    check_finite_result(baseline, "the composite's baseline", TrajectoryError)
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
        ndigits=first.ndigits,
        organisations=first.organisations,
        organisation_names=first.organisation_names,
    )
