"""The machinery every rule is built on: the timeline (which periods, how many steps), phasing
profiles, the path from a baseline to a target, and the checks and packaging of the result.

**Time indexing.** The 2014 plans counted steps two ways, so every rule takes ``indexing``:

* ``"elapsed"`` (default): ``k`` = the number of periods from the baseline to the target
  period. Years are counted by start year: from a calendar-2012 baseline, 2014/15 is ``k = 2``.
  Months and quarters are counted from the end of the baseline period: from the 2024/25
  financial year (or from March 2025), April 2025 is ``k = 1``.
* ``"plan-year"``: the first reported period is ``k = 1`` whatever the baseline date.

``n`` is the step of ``end`` under the same convention; ``x = k / n`` is the share of time elapsed.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from outcomes._arrays import FloatArray, as_float_array, check_choice, check_finite_result
from outcomes.errors import PeriodError, TrajectoryError
from outcomes.periods import CalendarYear, FinancialYear, Month, Period, Quarter, period
from outcomes.polarity import Polarity
from outcomes.trajectory import Rule, Trajectory
from outcomes.units import check_values, unit, warn_fractions

__all__ = [
    "PROFILES",
    "Indexing",
    "PeriodLike",
    "Profile",
    "cumulative_share",
    "make",
    "path",
    "timeline",
]

Indexing = Literal["elapsed", "plan-year"]
Profile = str | Sequence[float]
PeriodLike = str | Period

#: Named phasing profiles and their cumulative share of the change after a share x of the time.
PROFILES: dict[str, str] = {
    "linear": "s(x) = x (equal absolute steps)",
    "geometric": "v = b (T/b)^x (equal percentage steps; needs b, T > 0)",
    "front-loaded": "s(x) = 1 - (1 - x)^2 (most of the change early)",
    "back-loaded": "s(x) = x^2 (most of the change late)",
}


def baseline_array(value: npt.ArrayLike, unit_id: str | None = None) -> FloatArray:
    """The baseline as a float array: finite, not negative, within its unit's bounds."""
    b = as_float_array(value, "baseline", error=TrajectoryError, nonnegative=True)
    if b.size == 0:
        raise TrajectoryError(f"baseline must hold at least one value, got shape {b.shape}")
    if unit_id is not None:
        unit(unit_id)
        check_values(b, unit_id, "baseline", error=TrajectoryError)
    return b


def parse_polarity(value: object, *, required: bool) -> Polarity | None:
    """A polarity with a direction (higher/lower), None when not given and not required."""
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


def _yearly(p: Period) -> bool:
    return isinstance(p, FinancialYear | CalendarYear)


@functools.lru_cache(maxsize=1024)
def _default_periods(start: Period, end: Period) -> tuple[Period, ...]:
    """The periods from the one after the baseline to ``end``, in ``end``'s kind (cached: the
    same span gives the same tuple, so trajectories of one plan share their periods)."""
    if _yearly(end):
        return tuple(FinancialYear(y) for y in range(start.start_year + 1, end.start_year + 1))
    first: Period
    if isinstance(end, Month):
        first = Month(start.end.year, start.end.month).next()
    elif isinstance(end, Quarter):
        last_month = Month(start.end.year, start.end.month)
        if last_month.month % 3 != 0:
            raise PeriodError(
                f"the baseline period {str(start)!r} does not end at the end of a quarter; "
                "give the periods to report"
            )
        first = Quarter(last_month.financial_year, (last_month.month - 4) % 12 // 3 + 1).next()
    else:  # pragma: no cover - every period kind is handled above
        raise PeriodError(f"cannot step to {str(end)!r}")
    out: list[Period] = []
    current = first
    while current <= end:
        out.append(current)
        current = current.next()
    return tuple(out)


@functools.lru_cache(maxsize=8192)
def _step(start: Period, p: Period) -> float:
    """Steps from the baseline period to ``p``, in ``p``'s own length of period (cached: the
    trajectories of a plan share their periods, and a month's or quarter's end is not free)."""
    if _yearly(p):
        return float(start.years_until(p))
    months = (p.end.year - start.end.year) * 12 + p.end.month - start.end.month
    if months % p.months:
        raise PeriodError(
            f"period {str(p)!r} is not a whole number of {p.kind}s after the baseline "
            f"period {str(start)!r}"
        )
    return float(months // p.months)


def timeline(
    start: PeriodLike,
    periods: Sequence[PeriodLike] | PeriodLike | None,
    end: PeriodLike | None,
    indexing: str,
) -> tuple[Period, tuple[Period, ...], Period, FloatArray, float]:
    """Resolve periods and return (start, periods, end, steps k per period, steps n to end).

    >>> s, ps, e, k, n = timeline("2012", None, "2014/15", "elapsed")
    >>> [str(p) for p in ps], k.tolist(), n
    (['2013/14', '2014/15'], [1.0, 2.0], 2.0)
    >>> s, ps, e, k, n = timeline("2024/25", None, "Jun 2025", "elapsed")
    >>> [str(p) for p in ps], k.tolist()
    (['Apr 2025', 'May 2025', 'Jun 2025'], [1.0, 2.0, 3.0])
    """
    check_choice(indexing, "indexing", ("elapsed", "plan-year"), TrajectoryError)
    start_p = period(start)
    end_p = period(end) if end is not None else None
    if periods is None:
        if end_p is None:
            raise PeriodError("give end (e.g. end='2018/19') or the periods to report")
        if end_p <= start_p or end_p.end <= start_p.end:
            raise PeriodError(f"end {str(end_p)!r} must be after start {str(start_p)!r}")
        chosen = _default_periods(start_p, end_p)
    else:
        if isinstance(periods, str | Period):
            periods = [periods]
        try:
            listed = list(periods)
        except TypeError:
            raise PeriodError(
                f"periods must be a list of period labels such as ['2014/15'], got {periods!r:.80}"
            ) from None
        chosen = tuple(period(p) for p in listed)
        if not chosen:
            raise PeriodError("periods must not be empty")
        kinds = {type(p) for p in chosen}
        if len(kinds) > 1 and not kinds <= {FinancialYear, CalendarYear}:
            raise PeriodError(
                f"periods must be all years, all quarters or all months, got "
                f"{[str(p) for p in chosen]}"
            )
        if end_p is None:
            end_p = chosen[-1]
    if not chosen:
        raise PeriodError(f"no period between start {str(start_p)!r} and end {str(end_p)!r}")
    yearly = _yearly(chosen[0])
    if yearly != _yearly(end_p):
        raise PeriodError(
            f"end {str(end_p)!r} must be of the same kind as the periods ({chosen[0].kind})"
        )
    if not yearly and type(end_p) is not type(chosen[0]):
        raise PeriodError(f"end {str(end_p)!r} must be a {chosen[0].kind} like the periods")
    steps = [_step(start_p, p) for p in chosen]
    if any(b <= a for a, b in itertools.pairwise(steps)):
        raise PeriodError(
            f"periods must be in order, one per {'year' if yearly else chosen[0].kind}, got "
            f"{[str(p) for p in chosen]}"
        )
    if steps[0] < 1:
        raise PeriodError(
            f"period {str(chosen[0])!r} is not after the baseline period {str(start_p)!r}"
        )
    n_elapsed = _step(start_p, end_p)
    if n_elapsed < steps[-1]:
        raise PeriodError(f"period {str(chosen[-1])!r} is after end {str(end_p)!r}")
    if indexing == "elapsed":
        k = np.array(steps, dtype=np.float64)
        n = float(n_elapsed)
    else:
        k = np.array(steps, dtype=np.float64) - steps[0] + 1.0
        n = float(n_elapsed - steps[0] + 1.0)
    return start_p, chosen, end_p, k, n


def cumulative_share(profile: Profile, x: npt.ArrayLike) -> FloatArray:
    """Cumulative share ``s(x)`` of the change reached after a share ``x`` of the time.

    ``"linear"``: ``x``; ``"front-loaded"``: ``1 - (1 - x)^2``; ``"back-loaded"``: ``x^2``.
    (``"geometric"`` is not a share of the absolute change; see :func:`outcomes.to_target`.)

    >>> cumulative_share("front-loaded", [0.5, 1.0]).tolist()
    [0.75, 1.0]
    """
    xs = as_float_array(x, "x (the share of time elapsed)", error=TrajectoryError)
    if not isinstance(profile, str):
        profile = f"<{type(profile).__name__}>"  # shares are not a named profile: refused below
    if profile == "linear":
        return xs
    if profile in ("front-loaded", "back-loaded"):
        with np.errstate(over="ignore"):
            share = 1.0 - (1.0 - xs) ** 2 if profile == "front-loaded" else xs**2
        check_finite_result(share, "the cumulative shares", TrajectoryError, "x is too large")
        return np.asarray(share)
    raise TrajectoryError(
        f"profile must be one of {', '.join(PROFILES)} or a sequence of cumulative shares, "
        f"got {profile!r}"
    )


def explicit_shares(shares: Sequence[float], count: int) -> FloatArray:
    """Validated cumulative shares, one per period, non-decreasing, ending at 1."""
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


def check_profile(profile: object) -> None:
    """A profile is a named profile or a sequence of shares (checked against periods later)."""
    if isinstance(profile, str):
        if profile not in PROFILES:
            raise TrajectoryError(
                f"profile must be one of {', '.join(PROFILES)} or a sequence of cumulative "
                f"shares, got {profile!r}"
            )
    elif not isinstance(profile, Sequence | np.ndarray):
        raise TrajectoryError(f"profile must be a name or a sequence of shares, got {profile!r}")


def path(
    b: FloatArray, target: FloatArray, k: FloatArray, n: float, profile: Profile
) -> FloatArray:
    """Values along the path from b to target; exact at k == n."""
    check_profile(profile)
    x = k / n
    bb, tt = b[..., np.newaxis], target[..., np.newaxis]
    if isinstance(profile, str) and profile == "geometric":
        if (b <= 0).any() or (target <= 0).any():
            raise TrajectoryError(
                "profile 'geometric' needs a baseline and target above zero; use 'linear'"
            )
        with np.errstate(over="ignore", invalid="ignore"):
            values = bb * (tt / bb) ** x
            overflow = ~np.isfinite(values)
            if overflow.any():
                # a ratio too large for a float (a tiny baseline): the same path in logarithms,
                # computed only for the rows that need it (the common case pays one check)
                logs = np.exp(np.log(bb) * (1.0 - x) + np.log(tt) * x)
                values = np.where(overflow, logs, values)
    else:
        if isinstance(profile, str):
            s = cumulative_share(profile, x)
        else:
            s = explicit_shares(profile, k.shape[0])
        with np.errstate(over="ignore", invalid="ignore"):
            values = bb + (tt - bb) * s
    values = np.array(
        np.broadcast_to(values, (*np.broadcast_shapes(b.shape, target.shape), k.size))
    )
    at_end = k == n
    if at_end.any():
        values[..., at_end] = tt  # the end value is the target exactly, with no rounding error
    return values


def not_worse(b: FloatArray, target: FloatArray, polarity: Polarity | None, what: str) -> None:
    """Raise when a target is worse than the baseline under the polarity."""
    if polarity is None:
        return
    worse = polarity.sign * (target - b) < 0
    if np.any(worse):
        shape = np.broadcast_shapes(b.shape, target.shape)
        where = np.argwhere(np.broadcast_to(worse, shape))
        index = tuple(int(i) for i in where[0]) if where.size else ()
        bb = float(np.broadcast_to(b, shape)[index])
        tt = float(np.broadcast_to(target, shape)[index])
        raise TrajectoryError(
            f"{what} {tt!r} is worse than the baseline {bb!r} for a {polarity.value}-is-better "
            f"measure" + (f" (at index {index})" if index else "")
        )


def make(
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
    unit_id: str | None,
    measure: str | None,
) -> Trajectory:
    """Package a rule's result: finite, within the unit's bounds, shapes broadcast."""
    shape = np.broadcast_shapes(b.shape, target.shape)
    values = np.broadcast_to(values, (*shape, len(periods)))
    check_finite_result(np.asarray(values), "the targets", TrajectoryError)
    if unit_id is not None:
        check_values(values, unit_id, "the targets", error=TrajectoryError)
        warn_fractions(b, unit_id, "baselines", measure)
    return Trajectory.model_construct(
        baseline=np.broadcast_to(b, shape),
        start=start,
        periods=periods,
        values=values,
        target=np.broadcast_to(target, shape),
        end=end,
        rule=Rule(name=rule, parameters=parameters),
        polarity=polarity,
        unit=unit_id,
        measure=measure,
        indexing=indexing,
        ndigits=None,
        organisations=None,
        organisation_names=None,
    )


def record(value: FloatArray) -> float | FloatArray:
    """A parameter as recorded in ``Trajectory.rule``: a float, or the array."""
    return float(value) if value.ndim == 0 else value


def profile_record(profile: Profile) -> str | list[float]:
    """A profile as recorded in ``Trajectory.rule``."""
    return profile if isinstance(profile, str) else [float(s) for s in profile]


def valid_profile(value: str | list[float]) -> str | list[float]:
    """A plan file's profile: a named profile, or a list of cumulative shares (checked against
    the periods when the rule runs)."""
    if isinstance(value, str) and value not in PROFILES:
        raise ValueError(f"must be one of {', '.join(PROFILES)} or a list of cumulative shares")
    return value
