"""Rules that reach a national objective of the planning guidance: the objective's target by its
deadline, on monthly, quarterly or yearly periods, with its provenance recorded.

An objective (:class:`~outcomes.catalogue.Objective`, e.g. ``planning-2025-26/ae-4-hour``) knows
its metric, unit, target, deadline, comparison (at least / at most) and level (national, or each
organisation's own, such as "every trust +5 points on its own baseline"). The rule takes all of
them from the catalogue, so a plan names the objective and nothing else; the trajectory records
the objective's id, target, deadline, comparison and the status and sources of every fact it
rests on, because most of today's objectives were read in summaries (partly confirmed).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
from pydantic import Field, field_validator

from outcomes._arrays import FloatArray, as_float_array
from outcomes.catalogue import available, find_objective, load
from outcomes.catalogue.current import Objective, PlanningGuidance
from outcomes.errors import OutcomesError, TrajectoryError, UnitError
from outcomes.periods import CalendarYear, FinancialYear, Month, Period, Quarter, period
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
    path,
    profile_record,
    timeline,
    valid_profile,
)
from outcomes.rules._spec import RuleParameters, RuleSpec
from outcomes.trajectory import Trajectory
from outcomes.units import unit as unit_of

__all__ = [
    "RULES",
    "SEASONAL_TOLERANCE",
    "objective_provenance",
    "objective_words",
    "reach_objective",
    "seasonal_factors",
]

#: How far the mean of seasonal factors may be from 1 before they are refused (they are then
#: divided by their mean, so they average exactly 1).
SEASONAL_TOLERANCE = 0.001

_STATUS = {"confirmed": "confirmed", "partly": "partly confirmed", "unconfirmed": "unconfirmed"}
_MONTH_NAMES = ("Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan", "Feb", "Mar")


# --------------------------------------------------------------------------------------------
# the objective and its provenance
# --------------------------------------------------------------------------------------------


def _edition_of(objective: Objective) -> str | None:
    """The id of the shipped planning edition that holds this objective (None for one made
    by hand)."""
    for framework_id in available():
        if not framework_id.startswith("planning-"):
            continue
        edition = load(framework_id)
        if isinstance(edition, PlanningGuidance) and objective in edition.objectives:
            return framework_id
    return None


def _resolve(objective: object) -> tuple[Objective, str]:
    """(objective, its id) from an Objective or its ``'edition/code'`` text."""
    if isinstance(objective, Objective):
        framework_id = _edition_of(objective)
        return objective, f"{framework_id}/{objective.code}" if framework_id else objective.code
    if isinstance(objective, str):
        try:
            found = find_objective(objective)
        except OutcomesError as error:
            raise TrajectoryError(f"objective: {error}") from None
        # find_objective loaded the edition the text names: no search of the others
        return found, f"{objective.partition('/')[0].strip()}/{found.code}"
    raise TrajectoryError(
        "objective must be an Objective or its '<planning edition>/<code>' text (e.g. "
        f"'planning-2025-26/ae-4-hour'), got {type(objective).__name__} {objective!r}"
    )


def _polarity(obj: Objective, ref: str, given: object) -> Polarity:
    """The direction of improvement from the objective's comparison; a given one must agree."""
    if obj.polarity is Polarity.NO_JUDGEMENT:
        raise TrajectoryError(
            f"objective {ref!r} has no direction of improvement (polarity 'none'), so there is "
            "no trajectory to plan"
        )
    implied = (
        Polarity.HIGHER_IS_BETTER if obj.comparison == "at_least" else Polarity.LOWER_IS_BETTER
    )
    if given is None:
        return implied
    try:
        stated = Polarity.parse(given)
    except OutcomesError as error:
        raise TrajectoryError(str(error)) from None
    if stated is not implied:
        raise TrajectoryError(
            f"polarity {stated.value!r} contradicts objective {ref!r}, whose comparison "
            f"{obj.comparison!r} means {implied.value!r} is better"
        )
    return implied


def _unit(obj: Objective, ref: str, given: str | None) -> str:
    if given is None:
        return obj.unit
    unit_of(given)
    if given != obj.unit:
        raise UnitError(
            f"unit {given!r} differs from the unit {obj.unit!r} of objective {ref!r}; give the "
            f"baseline in {obj.unit!r}"
        )
    return given


def _unconfirmed(obj: Objective) -> list[str]:
    """Every fact of the objective that is not confirmed, as 'what: status'."""
    out = []
    if obj.status != "confirmed":
        out.append(f"objective {_STATUS[obj.status]}")
    if obj.target is not None and obj.target.status != "confirmed":
        out.append(f"target {obj.target.value:g} {_STATUS[obj.target.status]}")
    rule = obj.minimum_improvement
    if rule is not None:
        if rule.status != "confirmed":
            out.append(f"organisation rule {_STATUS[rule.status]}")
        if rule.change.status != "confirmed":
            out.append(f"improvement of {rule.change.value:g} {_STATUS[rule.change.status]}")
        if rule.baseline is not None and rule.baseline.status != "confirmed":
            out.append(f"baseline month {rule.baseline.period} {_STATUS[rule.baseline.status]}")
    if obj.baseline is not None and obj.baseline.status != "confirmed":
        out.append(f"baseline period {obj.baseline.period} {_STATUS[obj.baseline.status]}")
    return out


def _sources(obj: Objective) -> list[str]:
    keys = list(obj.sources)
    if obj.target is not None:
        keys += obj.target.sources
    if obj.minimum_improvement is not None:
        keys += obj.minimum_improvement.sources
    return list(dict.fromkeys(keys))


def _recorded(obj: Objective, ref: str) -> dict[str, Any]:
    """What the trajectory records about the objective: id, target, deadline, comparison,
    level, the organisation rule, the status of each fact and the sources (keys of the
    edition's ``sources``). Facts the objective does not have are left out."""
    rule = obj.minimum_improvement
    recorded: dict[str, Any] = {
        "objective": ref,
        "reference": obj.ref,
        "target": obj.target.value if obj.target is not None else None,
        "target_kind": obj.target_kind,
        "comparison": obj.comparison,
        "deadline": str(obj.deadline),
        "level": obj.level,
        # the reference line of charts and reports: the national level the objective names
        "national": obj.target.value
        if obj.target is not None and obj.target_kind == "level"
        else None,
        "minimum_improvement": rule.change.value if rule is not None else None,
        "improvement_kind": rule.kind if rule is not None else None,
        "improvement_baseline": str(rule.baseline.period)
        if rule is not None and rule.baseline is not None
        else None,
        "status": obj.target.status if obj.target is not None else obj.status,
        "unconfirmed": _unconfirmed(obj),
        "sources": _sources(obj),
    }
    return {key: value for key, value in recorded.items() if value is not None}


# --------------------------------------------------------------------------------------------
# seasonal factors
# --------------------------------------------------------------------------------------------


def seasonal_factors(factors: Sequence[float] | npt.ArrayLike) -> FloatArray:
    """Validated seasonal factors: 12 monthly (April first) or 4 quarterly (Q1 = April-June),
    each above zero, averaging 1.

    Factors whose mean is within :data:`SEASONAL_TOLERANCE` of 1 (rounding in a spreadsheet)
    are divided by their mean so that they average exactly 1; others are refused.

    Parameters
    ----------
    factors : sequence of float
        In financial-year order: April to March, or Q1 to Q4.

    Returns
    -------
    numpy.ndarray
        The factors, averaging exactly 1.

    Raises
    ------
    TrajectoryError
        Not 4 or 12 factors, a factor that is not finite or not above zero, or a mean that is
        not 1.

    Examples
    --------
    >>> seasonal_factors([1.02, 0.99, 0.98, 1.01]).round(4).tolist()
    [1.02, 0.99, 0.98, 1.01]
    >>> seasonal_factors([1.2, 1.0, 1.0, 1.0])
    Traceback (most recent call last):
    ...
    outcomes.errors.TrajectoryError: seasonal factors must average 1 (they scale the path), got a mean of 1.05
    """
    f = as_float_array(factors, "seasonal", error=TrajectoryError)
    if f.ndim != 1 or f.size not in (4, 12):
        raise TrajectoryError(
            "seasonal must be 12 monthly factors (April to March) or 4 quarterly factors "
            f"(Q1 to Q4), got {np.asarray(factors).tolist()!r}"
        )
    if (f <= 0).any():
        raise TrajectoryError(f"seasonal factors must be above zero, got {f.tolist()!r}")
    mean = float(f.mean())
    if abs(mean - 1.0) > SEASONAL_TOLERANCE:
        raise TrajectoryError(
            f"seasonal factors must average 1 (they scale the path), got a mean of {mean:.6g}"
        )
    if abs(mean - 1.0) <= 1e-9:  # 1 but for the float sum: keep the factors as given
        return np.asarray(f, dtype=np.float64)
    return np.asarray(f / mean, dtype=np.float64)


def _month_index(m: Month) -> int:
    """0 for April ... 11 for March (financial-year order)."""
    return (m.month - 4) % 12


def _factor(p: Period, factors: FloatArray | None) -> float:
    """The seasonal factor of a period: its month's or quarter's; the mean of the months of a
    quarter; 1 for a year (the factors average 1)."""
    if factors is None or isinstance(p, FinancialYear | CalendarYear):
        return 1.0
    if isinstance(p, Month):
        i = _month_index(p)
        return float(factors[i] if factors.size == 12 else factors[i // 3])
    if isinstance(p, Quarter):
        q = p.number - 1
        return float(factors[q] if factors.size == 4 else factors[3 * q : 3 * q + 3].mean())
    return 1.0  # pragma: no cover - every period kind is handled above


# --------------------------------------------------------------------------------------------
# the deadline in the periods' kind
# --------------------------------------------------------------------------------------------


def _last_month(p: Period) -> Month:
    return Month(p.end.year, p.end.month)


def _as_kind(p: Period, like: Period) -> Period:
    """``p`` as a period of ``like``'s kind that ends when ``p`` ends (or the one containing
    ``p``'s last month)."""
    if type(p) is type(like):
        return p
    m = _last_month(p)
    if isinstance(like, Month):
        return m
    if isinstance(like, Quarter):
        return Quarter(m.financial_year, _month_index(m) // 3 + 1)
    if isinstance(like, CalendarYear):
        return CalendarYear(m.year)
    return m.financial_year


# --------------------------------------------------------------------------------------------
# the rule
# --------------------------------------------------------------------------------------------


def reach_objective(
    baseline: npt.ArrayLike,
    objective: Objective | str,
    *,
    start: PeriodLike,
    end: PeriodLike | None = None,
    periods: Sequence[PeriodLike] | None = None,
    profile: Profile = "linear",
    seasonal: Sequence[float] | None = None,
    polarity: Polarity | str | None = None,
    unit: str | None = None,
    measure: str | None = None,
    indexing: Indexing = "elapsed",
) -> Trajectory:
    """Reach a planning objective's target by its deadline, from the baseline (monthly,
    quarterly or yearly).

    The end value ``T`` of each organisation is the objective's own rule
    (:meth:`Objective.organisation_target`): the national target for a national objective
    (78% for ``ae-4-hour``), or the organisation's baseline improved by the objective's minimum
    (``rtt-18-weeks``: ``b + 5`` points), capped by the unit's bounds (at most 100%). A baseline
    already at or beyond ``T`` is held: ``T* = b`` where ``s (b - T) >= 0`` (``s`` = +1 when
    higher is better, from the comparison ``at_least``; -1 for ``at_most``), else ``T* = T``.

    Without ``seasonal`` the path is that of :func:`outcomes.to_target`:
    ``v_k = b + (T* - b) S(k / n)`` along the phasing ``profile`` (``S(x) = x`` for linear),
    reaching ``T*`` exactly at ``end``.

    With seasonal factors ``f`` (12 monthly, April first, or 4 quarterly; mean 1) the path runs
    through the deseasonalised level and the pattern is laid back over it::

        L_0 = b / f(start)          L_n = T* / f(end)
        L_k = L_0 + (L_n - L_0) S(k / n)
        v_k = L_k f(period_k)

    so ``v_n = T*`` (the end value is still the target) and a baseline month is compared with
    the same month's pattern. ``f`` of a yearly period is 1, of a quarter with monthly factors
    the mean of its months. Values are capped by the unit's bounds (a seasonal peak above 100%
    is 100%). A seasonal path is not monotone and may dip below the baseline in a low season:
    that is the pattern, not a worse plan (the end value is never worse than the baseline).

    Parameters
    ----------
    baseline : array_like
        Each organisation's baseline, in the objective's unit.
    objective : Objective or str
        The objective, or its id ``'<planning edition>/<code>'`` (``'planning-2025-26/ae-4-hour'``).
    start : str or Period
        The baseline period (e.g. ``'Mar 2025'``).
    end : str or Period, optional
        The period the target is reached in; default: the objective's deadline (in the kind
        of ``periods`` when they are given, e.g. ``2025/26 Q4`` for ``Mar 2026``).
    periods : sequence, optional
        The periods to report (all months, all quarters or all years); default: every period of
        ``end``'s kind after the baseline up to ``end``.
    profile : str or sequence of float
        ``linear``, ``geometric``, ``front-loaded``, ``back-loaded`` or cumulative shares.
    seasonal : sequence of float, optional
        12 monthly factors (April to March) or 4 quarterly factors (Q1 to Q4), averaging 1
        (:func:`seasonal_factors`); needs monthly or quarterly periods.
    polarity : {"higher", "lower"}, optional
        Default: from the comparison; a polarity that contradicts it raises.
    unit : str, optional
        Default: the objective's unit; another unit raises :class:`UnitError`.
    measure : str, optional
        Default: the objective's name.
    indexing : {"elapsed", "plan-year"}
        How steps are counted (see :mod:`outcomes.rules._engine`).

    Returns
    -------
    Trajectory
        With ``rule.name == "reach_objective"``; its parameters record the objective's id,
        target, deadline, comparison, level, organisation rule, the ``national`` reference
        value, the status of each fact (``status``, ``unconfirmed``) and its ``sources``.

    Raises
    ------
    TrajectoryError
        An unknown objective, one without a target or direction, a contradicting polarity, bad
        seasonal factors or profile, a baseline outside the unit's bounds.
    UnitError
        A unit other than the objective's.
    PeriodError
        Periods that do not fit the baseline and the end.

    References
    ----------
    NHS England (2025) 2025/26 priorities and operational planning guidance (objectives as read
    in summaries: see ``outcomes list objectives`` for each status and source).

    Examples
    --------
    >>> t = reach_objective(70.4, "planning-2025-26/ae-4-hour", start="Mar 2025")
    >>> [str(p) for p in t.periods][:3], len(t.periods), t["Mar 2026"]
    (['Apr 2025', 'May 2025', 'Jun 2025'], 12, 78.0)
    >>> t.rounded(1).values[:3].tolist()
    [71.0, 71.7, 72.3]
    >>> t.rule.parameters["status"], t.rule.parameters["deadline"]
    ('partly', 'Mar 2026')
    >>> rtt = reach_objective([52.0, 97.0], "planning-2025-26/rtt-18-weeks", start="Mar 2025",
    ...                       end="2025/26 Q4")
    >>> rtt.target.tolist(), [str(p) for p in rtt.periods]
    ([57.0, 100.0], ['2025/26 Q1', '2025/26 Q2', '2025/26 Q3', '2025/26 Q4'])
    >>> reach_objective(22.0, "planning-2025-26/ambulance-cat2-mean", start="2024/25").values
    array([22.])
    """
    obj, ref = _resolve(objective)
    pol = _polarity(obj, ref, polarity)
    unit_id = _unit(obj, ref, unit)
    b = baseline_array(baseline, unit_id)
    check_profile(profile)
    factors = seasonal_factors(seasonal) if seasonal is not None else None

    goal = np.asarray(obj.organisation_target(b), dtype=np.float64)
    target = np.asarray(np.where(pol.sign * (b - goal) >= 0, b, goal), dtype=np.float64)

    if end is None:
        end = obj.deadline
        if periods is not None:
            chosen_periods = [periods] if isinstance(periods, str | Period) else list(periods)
            if chosen_periods:
                end = _as_kind(obj.deadline, period(chosen_periods[0]))
    start_p, chosen, end_p, k, n = timeline(start, periods, end, indexing)

    if factors is not None:
        kind = chosen[0]
        wanted: type[Month | Quarter] = Month if factors.size == 12 else Quarter
        if not isinstance(kind, wanted):
            raise TrajectoryError(
                f"seasonal has {factors.size} factors, for {wanted.kind}ly periods; the periods "
                f"are {kind.kind}s ({', '.join(str(p) for p in chosen[:3])} ...)"
            )
        f_start, f_end = _factor(start_p, factors), _factor(end_p, factors)
        f_k = np.array([_factor(p, factors) for p in chosen], dtype=np.float64)
        # an overflow (a huge baseline over a tiny factor) is refused as non-finite by make()
        with np.errstate(over="ignore", invalid="ignore"):
            level = path(b / f_start, target / f_end, k, n, profile)
            values = level * f_k
            values[..., k == n] = target[..., np.newaxis]  # exactly the target at the end
            u = unit_of(unit_id)
            values = np.clip(
                values,
                u.lower if u.lower is not None else -np.inf,
                u.upper if u.upper is not None else np.inf,
            )
    else:
        with np.errstate(over="ignore", invalid="ignore"):  # inf is refused by make()
            values = path(b, target, k, n, profile)

    parameters = _recorded(obj, ref)
    parameters["profile"] = profile_record(profile)
    if factors is not None:
        parameters["seasonal"] = [float(x) for x in factors]
    return make(
        b,
        start_p,
        chosen,
        end_p,
        values,
        target,
        "reach_objective",
        parameters,
        pol,
        indexing,
        unit_id,
        measure if measure is not None else obj.name,
    )


def objective_provenance(trajectory: Trajectory, *, cite: bool = True) -> str | None:
    """Where a trajectory's objective came from, in one line: id, target, deadline, level,
    the status of every fact that is not confirmed and the sources (with the edition's
    citation of each unless ``cite`` is False); None for a trajectory of another rule.

    Examples
    --------
    >>> t = reach_objective(70.4, "planning-2025-26/ae-4-hour", start="Mar 2025")
    >>> print(objective_provenance(t))  # doctest: +ELLIPSIS
    planning-2025-26/ae-4-hour (PG25-6, NHS priorities and operational planning guidance 2025/26): at least 78.0% by Mar 2026, national; not confirmed: objective partly confirmed, target 78 partly confirmed; sources: N32 NHS England - 2025/26 ...
    """
    p = trajectory.rule.parameters
    if trajectory.rule.name != "reach_objective" or "objective" not in p:
        return None
    edition = _edition(str(p["objective"]))
    title = edition.title if edition is not None else None
    where = ", ".join(str(x) for x in (p.get("reference"), title) if x)
    head = f"{p['objective']}" + (f" ({where})" if where else "")
    not_confirmed = list(p.get("unconfirmed") or [])
    status = f"not confirmed: {', '.join(not_confirmed)}" if not_confirmed else "confirmed"
    keys = [str(k) for k in p.get("sources", [])]
    citations = dict(edition.sources) if edition is not None and cite else {}
    sources = ("; " if citations else ", ").join(
        f"{k} {citations[k]}" if k in citations else k for k in keys
    )
    return f"{head}: {objective_words(trajectory)}; {status}" + (
        f"; sources: {sources}" if sources else ""
    )


def _edition(ref: str) -> PlanningGuidance | None:
    """The shipped edition an objective id names (None for an objective made by hand)."""
    edition_id = ref.partition("/")[0]
    if edition_id not in available():
        return None
    edition = load(edition_id)
    return edition if isinstance(edition, PlanningGuidance) else None


def objective_words(trajectory: Trajectory) -> str:
    """The objective of a ``reach_objective`` trajectory in words: what, by when, at what level.

    >>> t = reach_objective([52.0, 61.0], "planning-2025-26/rtt-18-weeks", start="Mar 2025")
    >>> print(objective_words(t))  # doctest: +NORMALIZE_WHITESPACE
    at least 65.0% nationally and each organisation 5.0 percentage points better than its own
    baseline (the guidance's baseline: Dec 2024) by Mar 2026
    """
    p = trajectory.rule.parameters
    comparison = str(p.get("comparison", "")).replace("_", " ")
    improvement = p.get("minimum_improvement")
    parts = []
    target = p.get("target")
    if target is not None:
        kind = p.get("target_kind", "level")
        value = _target_words(float(target), kind, trajectory.unit)
        if kind == "level":
            parts.append(f"{comparison} {value}" + (" nationally" if improvement else ""))
        else:
            parts.append(value)
    if improvement is not None:
        parts.append(f"each organisation {_improvement(p, trajectory)} than its own baseline")
        if p.get("improvement_baseline"):
            parts[-1] += f" (the guidance's baseline: {p['improvement_baseline']})"
    words = " and ".join(parts) if parts else "no target"
    if p.get("deadline"):
        words += f" by {p['deadline']}"
    if improvement is None:
        words += f", {p.get('level', 'national')}"
    return words


def _target_words(target: float, kind: str, unit_id: str | None) -> str:
    """'78.0%' (a level), 'a change of -5' or 'a change of -2% of the baseline'."""
    if kind == "level":
        return w.format_value(target, unit_id, None)
    if kind == "absolute_change":
        return f"a change of {target:+,g}"
    return f"a change of {100 * target:+.4g}% of the baseline"


def _improvement(p: dict[str, Any], t: Trajectory) -> str:
    """'5.0 percentage points better', '1% better'."""
    change = float(p["minimum_improvement"])
    if p.get("improvement_kind") == "absolute":
        size = w.format_value(change, "percentage_points" if t.unit == "percent" else t.unit, None)
    else:
        size = f"{100 * change:.4g}%"
    return f"{size} better"


# --------------------------------------------------------------------------------------------
# declaration
# --------------------------------------------------------------------------------------------


class ReachObjectiveParameters(RuleParameters):
    objective: str = Field(
        description="the objective, '<planning edition>/<code>', e.g. 'planning-2025-26/ae-4-hour'"
    )
    profile: str | list[float] = Field(
        default="linear", description="linear, geometric, front-loaded, back-loaded or shares"
    )
    seasonal: list[float] | None = Field(
        default=None,
        description="12 monthly (April first) or 4 quarterly factors, averaging 1",
    )
    indexing: Indexing = "elapsed"

    _profile = field_validator("profile")(valid_profile)

    @field_validator("objective")
    @classmethod
    def _known(cls, value: str) -> str:
        try:
            obj = find_objective(value)
        except OutcomesError as error:
            raise ValueError(str(error)) from None
        if obj.polarity is Polarity.NO_JUDGEMENT:
            raise ValueError(f"objective {value!r} has no direction of improvement")
        if obj.target is None and obj.minimum_improvement is None:
            raise ValueError(f"objective {value!r} has no target: {obj.target_missing_reason}")
        return value

    @field_validator("seasonal")
    @classmethod
    def _seasonal(cls, value: list[float] | None) -> list[float] | None:
        if value is not None:
            seasonal_factors(value)
        return value


def _plannable() -> tuple[str, ...]:
    """Shipped objectives whose unit has no upper bound (any baseline of 1 to 1e5 fits)."""
    out = []
    for framework_id in available():
        if not framework_id.startswith("planning-"):
            continue
        edition = load(framework_id)
        assert isinstance(edition, PlanningGuidance)
        for o in edition.objectives:
            if (
                o.polarity is not Polarity.NO_JUDGEMENT
                and o.target is not None
                and unit_of(o.unit).upper is None
            ):
                out.append(f"{framework_id}/{o.code}")
    return tuple(out)


def _objective_example(st: Any, start: Period, end: Period) -> Any:
    def parameters(ref: str) -> Any:
        target = find_objective(ref).target
        # equal percentage steps need a target above zero (no waits over 65 weeks is 0)
        zero = (
            target is not None and target.value <= 0 and find_objective(ref).target_kind == "level"
        )
        profiles = tuple(p for p in PROFILES if not (zero and p == "geometric"))
        return st.fixed_dictionaries(
            {"objective": st.just(ref), "profile": st.sampled_from(profiles)}
        )

    return st.sampled_from(_plannable()).flatmap(parameters)


def _steps(t: Trajectory) -> str:
    """'monthly', 'quarterly' or 'yearly', from the trajectory's kind of period."""
    return {"a month": "monthly", "a quarter": "quarterly"}.get(w.per(t), "yearly")


def _path_words(t: Trajectory) -> str:
    profile = t.rule.parameters.get("profile")
    if profile in (None, "linear"):
        return f"in equal {_steps(t)} steps"
    if profile == "geometric":
        return f"in equal {_steps(t)} percentage steps"
    return w.profile(profile)


def _seasonal_words(factors: Any) -> str:
    if not factors:
        return ""
    f = [float(x) for x in factors]
    names = _MONTH_NAMES if len(f) == 12 else ("Q1", "Q2", "Q3", "Q4")
    low, high = int(np.argmin(f)), int(np.argmax(f))
    return (
        f", with a seasonal pattern laid over the path ({len(f)} factors averaging 1, from "
        f"{f[low]:.4g} in {names[low]} to {f[high]:.4g} in {names[high]})"
    )


def _describe_reach_objective(t: Trajectory) -> str:
    p = t.rule.parameters
    edition = _edition(str(p.get("objective", "")))
    year = f"{edition.year} " if edition is not None else ""
    comparison = str(p.get("comparison", "")).replace("_", " ")
    tail = ""
    if p.get("minimum_improvement") is not None:
        u = unit_of(t.unit) if t.unit else None
        bound = None if u is None else (u.upper if comparison == "at least" else u.lower)
        cap = "" if bound is None else f" (capped at {w.format_value(float(bound), t.unit, 0)})"
        what = (
            f"reach the {year}planning objective for each organisation: "
            f"{_improvement(p, t)} than its own baseline{cap}"
        )
        if p.get("national") is not None:
            national = w.format_value(float(p["national"]), t.unit, None)
            tail += f"; the national objective is {national} ({comparison})"
        guidance = p.get("improvement_baseline")
        if guidance and guidance != str(t.start):
            tail += f"; the guidance's own baseline month is {guidance}"
    else:
        target = p.get("target")
        value = (
            "its target"
            if target is None
            else _target_words(float(target), p.get("target_kind", "level"), t.unit)
        )
        what = f"reach the {year}planning objective of {value} ({comparison})"
    deadline = str(p.get("deadline", t.end))
    by = f"by {t.end}"
    due = period(deadline)
    # Mar 2026 and 2025/26 Q4 are the same deadline; a year (a mean over 2025/26) is not Mar 2026
    if due != t.end and not (due.end == t.end.end and due.months < 12 and t.end.months < 12):
        by += f" (the objective's deadline is {deadline})"
    held = np.asarray(t.target == t.baseline).reshape(-1)
    if held.size == 1 and held[0]:
        hold = "; the baseline already meets it, so it is held"
    elif held.any():
        hold = f"; {int(held.sum())} of {held.size} baselines already meet it and are held"
    else:
        hold = ""
    status = str(p.get("status", ""))
    confirmed = f"; the target is {_STATUS[status]}" if status in ("partly", "unconfirmed") else ""
    return (
        f"{what} {by} from the {t.start} baseline, {_path_words(t)}"
        f"{_seasonal_words(p.get('seasonal'))}{hold}{tail}{confirmed}{w.indexing(t)}"
    )


RULES = (
    RuleSpec(
        name="reach_objective",
        function=reach_objective,
        parameters=ReachObjectiveParameters,
        summary="reach a planning objective's target by its deadline (months, quarters or "
        "years), else hold",
        # monotone and not_worse hold without seasonal factors only (a seasonal pattern moves
        # around the path by design), so the rule promises what holds for every trajectory
        invariants=frozenset({"reaches_target"}),
        example=_objective_example,
        describe=_describe_reach_objective,
    ),
)
