"""Catalogue models of today's frameworks (2022/23-2025/26): planning guidance objectives, the NHS
Oversight Framework, QOF, and the current Better Care Fund rounds.

Every fact carries a ``status`` (``confirmed`` / ``partly`` / ``unconfirmed``, the reference's
C / P / U) and the source keys it rests on; ``ref`` names the row of the project's reference
table it encodes (e.g. ``PG25-6``). A value the sources did not give is **absent**: the field is
``None`` and its ``*_missing_reason`` says why. Nothing is invented to fill a gap.

``unconfirmed()`` (from the catalogue's base model) lists every fact whose status is not
``confirmed``; :meth:`missing` lists every absent value with its reason.

>>> from outcomes import frameworks
>>> pg = frameworks.load("planning-2025-26")
>>> ae = pg.objective("ae-4-hour")
>>> ae.target.value, ae.target.status, str(ae.deadline), ae.comparison
(78.0, 'partly', 'Mar 2026', 'at_least')
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Annotated, Any, ClassVar, Literal, overload

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict, Field, PlainValidator, WithJsonSchema, model_validator

from outcomes._arrays import FloatArray, as_float_array
from outcomes._fields import PolarityField
from outcomes.catalogue.models import (
    BCFFramework,
    BCFMetric,
    Entry,
    Parameter,
    Status,
    _Catalogue,
    _check_unit,
    _unique,
)
from outcomes.errors import TrajectoryError, UnknownCodeError
from outcomes.periods import FinancialYear, Period
from outcomes.polarity import Polarity
from outcomes.units import unit

__all__ = [
    "BCFEdition",
    "BCFRoundMetric",
    "Fact",
    "MinimumImprovement",
    "Objective",
    "Override",
    "OversightFramework",
    "OversightMetric",
    "PeriodFact",
    "PlanningGuidance",
    "QOFFramework",
    "ScoringRule",
    "Segment",
    "SegmentationMethod",
    "Standard",
]

Comparison = Literal["at_least", "at_most"]

UnitId = Annotated[str, PlainValidator(_check_unit), WithJsonSchema({"type": "string"})]


def _check_absent(model: BaseModel) -> None:
    """``x`` and ``x_missing_reason``: exactly one is given (a value, or why it is absent)."""
    fields = type(model).model_fields
    for name in fields:
        if not name.endswith("_missing_reason"):
            continue
        field = name[: -len("_missing_reason")]
        if field not in fields:
            continue
        value, reason = getattr(model, field), getattr(model, name)
        empty = value is None or value == ()
        if empty and not reason:
            raise ValueError(f"{field} is absent: give {name} (why the sources lack it)")
        if not empty and reason:
            raise ValueError(f"{field} is given, so {name} must be absent")


class _Frozen(BaseModel):
    model_config = ConfigDict(
        frozen=True, extra="forbid", validate_default=True, allow_inf_nan=False
    )

    @model_validator(mode="after")
    def _absent_values_have_reasons(self) -> _Frozen:
        _check_absent(self)
        return self


def _walk_missing(where: str, value: object) -> Iterator[str]:
    if isinstance(value, BaseModel):
        prefix = f"{where}." if where else ""
        for name in type(value).model_fields:
            sub = getattr(value, name)
            if name.endswith("_missing_reason") and sub:
                yield f"{prefix}{name[: -len('_missing_reason')]}: {sub}"
            else:
                yield from _walk_missing(f"{prefix}{name}", sub)
    elif isinstance(value, tuple):
        for i, sub in enumerate(value):
            label = getattr(sub, "code", None) or getattr(sub, "id", None)
            label = label or getattr(sub, "number", i)
            yield from _walk_missing(f"{where}[{label}]", sub)


def _missing(model: BaseModel) -> tuple[str, ...]:
    return tuple(_walk_missing("", model))


class _Edition(_Catalogue):
    """A current edition: adds :meth:`missing` to the catalogue behaviour."""

    @model_validator(mode="after")
    def _absent_values_have_reasons(self) -> _Edition:
        _check_absent(self)
        return self

    def missing(self) -> tuple[str, ...]:
        """Every absent value, as ``location: reason``."""
        return _missing(self)


# --------------------------------------------------------------------------------------------
# Shared fact models
# --------------------------------------------------------------------------------------------


class Fact(_Frozen):
    """A stated fact of an edition, with an optional number, its status and sources."""

    id: str = Field(min_length=1)
    ref: str | None = None
    statement: str
    value: Parameter | None = None
    status: Status
    sources: tuple[str, ...] = ()
    note: str | None = None


class PeriodFact(_Frozen):
    """A period named by a source (e.g. the baseline month of a per-organisation rule)."""

    period: Period
    status: Status
    sources: tuple[str, ...] = ()
    note: str | None = None


def _find(items: tuple[Any, ...], key: str, what: str, attrs: tuple[str, ...]) -> Any:
    wanted = str(key).strip().lower()
    for item in items:
        for attr in attrs:
            value = getattr(item, attr, None)
            if value is not None and str(value).lower() == wanted:
                return item
    known = [str(v) for i in items for a in attrs if (v := getattr(i, a, None)) is not None]
    raise UnknownCodeError(what, key, known)


# --------------------------------------------------------------------------------------------
# Planning guidance
# --------------------------------------------------------------------------------------------


class MinimumImprovement(_Frozen):
    """A per-organisation rule: each organisation improves on its own baseline by ``change``.

    ``kind="absolute"``: ``change`` is in the objective's unit (percentage points for a
    percentage); ``kind="relative"``: ``change`` is a share of the baseline. The direction of the
    improvement is the objective's polarity.
    """

    ref: str | None = None
    description: str
    change: Parameter
    kind: Literal["absolute", "relative"] = "absolute"
    baseline: PeriodFact | None = None
    baseline_missing_reason: str | None = None
    status: Status
    sources: tuple[str, ...] = ()
    note: str | None = None

    @model_validator(mode="after")
    def _positive(self) -> MinimumImprovement:
        if not self.change.value > 0:
            raise ValueError(
                f"change must be > 0 (the polarity gives the direction), got {self.change.value!r}"
            )
        return self


class Standard(_Frozen):
    """A constitutional or operational standard that interim objectives step towards."""

    code: str = Field(min_length=1)
    ref: str | None = None
    name: str
    unit: UnitId
    polarity: PolarityField
    comparison: Comparison
    value: Parameter | None = None
    value_missing_reason: str | None = None
    deadline: Period | None = None
    status: Status
    sources: tuple[str, ...] = ()
    note: str | None = None


def _comparison_matches(polarity: Polarity, comparison: str, what: str) -> None:
    if polarity is Polarity.NO_JUDGEMENT:
        return
    expected = "at_least" if polarity is Polarity.HIGHER_IS_BETTER else "at_most"
    if comparison != expected:
        raise ValueError(
            f"{what}: comparison {comparison!r} contradicts polarity {polarity.value!r} "
            f"(expected {expected!r})"
        )


def _bounds(unit_id: str) -> tuple[float, float]:
    """The unit's range (0-100 for a percentage), open ends as infinities."""
    u = unit(unit_id)
    return (
        -np.inf if u.lower is None else float(u.lower),
        np.inf if u.upper is None else float(u.upper),
    )


class Objective(_Frozen):
    """A national objective of the planning guidance: metric, target, deadline, comparison, level.

    ``target_kind`` says what the target is: ``level`` (the metric reaches the value),
    ``absolute_change`` (a change in the metric's unit from a baseline, e.g. +700,000
    appointments) or ``relative_change`` (a change as a share of the baseline, e.g. -0.01 for
    "cost base down at least 1%"). ``comparison`` is ``at_least`` when higher is better and
    ``at_most`` when lower is better. ``level`` is where the headline target applies;
    ``minimum_improvement`` holds a per-organisation rule such as "every trust at least
    +5 percentage points on its own baseline".
    """

    code: str = Field(min_length=1)
    ref: str | None = None
    name: str
    metric: str
    unit: UnitId
    polarity: PolarityField
    target_kind: Literal["level", "absolute_change", "relative_change"] = "level"
    target: Parameter | None = None
    target_missing_reason: str | None = None
    comparison: Comparison
    deadline: Period
    level: Literal["national", "organisation"] = "national"
    minimum_improvement: MinimumImprovement | None = None
    baseline: PeriodFact | None = None
    standard: str | None = None
    oversight_metric: str | None = None
    status: Status
    sources: tuple[str, ...] = ()
    note: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Objective:
        _comparison_matches(self.polarity, self.comparison, f"objective {self.code!r}")
        if self.minimum_improvement is not None and self.polarity is Polarity.NO_JUDGEMENT:
            raise ValueError(f"objective {self.code!r}: an improvement rule needs a polarity")
        if self.target is not None and self.target_kind == "level":
            low, high = _bounds(self.unit)
            if not low <= self.target.value <= high:
                raise ValueError(
                    f"objective {self.code!r}: target {self.target.value!r} is outside "
                    f"[{low:g}, {high:g}] for unit {self.unit!r}"
                )
        return self

    @property
    def per_organisation(self) -> bool:
        """True when the objective sets each organisation a target of its own."""
        return self.level == "organisation" or self.minimum_improvement is not None

    @overload
    def organisation_target(self, baseline: float) -> float: ...
    @overload
    def organisation_target(self, baseline: npt.ArrayLike) -> float | FloatArray: ...
    def organisation_target(self, baseline: npt.ArrayLike) -> float | FloatArray:
        """The target of an organisation with this baseline, by the objective's own rule.

        With a per-organisation rule and ``s`` = +1 (higher is better) or -1::

            absolute:  target = baseline + s * change
            relative:  target = baseline * (1 + s * change)

        clipped to the unit's range (0-100 for a percentage). Without one: a ``level`` target
        is the national value for everyone; an ``absolute_change`` target is
        ``baseline + value`` and a ``relative_change`` one ``baseline * (1 + value)``.
        How a per-organisation rule combines with the national value is not stated by the
        sources read (see the objective's note); this returns the organisation's own rule.

        Parameters
        ----------
        baseline : array_like
            The organisation's baseline value(s), in the objective's unit.

        Returns
        -------
        float or numpy.ndarray
            The target(s), same shape as ``baseline``.

        Raises
        ------
        TrajectoryError
            When the baseline is not finite or the objective has no target value.

        Examples
        --------
        >>> from outcomes import frameworks
        >>> rtt = frameworks.load("planning-2025-26").objective("rtt-18-weeks")
        >>> rtt.organisation_target([52.0, 97.0]).tolist()
        [57.0, 100.0]
        """
        base = as_float_array(baseline, "baseline", error=TrajectoryError)
        rule = self.minimum_improvement
        if rule is not None:
            sign = self.polarity.sign
            change = rule.change.value
            out = base + sign * change if rule.kind == "absolute" else base * (1.0 + sign * change)
        elif self.target is None:
            raise TrajectoryError(
                f"objective {self.code!r} has no target value: {self.target_missing_reason}"
            )
        elif self.target_kind == "level":
            out = np.broadcast_to(np.float64(self.target.value), base.shape).copy()
        elif self.target_kind == "absolute_change":
            out = base + self.target.value
        else:
            out = base * (1.0 + self.target.value)
        low, high = _bounds(self.unit)
        out = np.clip(out, low, high)
        return float(out) if out.ndim == 0 else np.asarray(out, dtype=np.float64)


class PlanningGuidance(_Edition):
    """One year's NHS priorities and operational planning guidance: national objectives.

    >>> from outcomes import frameworks
    >>> pg = frameworks.load("planning-2025-26")
    >>> [o.code for o in pg.objectives][:3]
    ['ae-4-hour', 'rtt-18-weeks', 'rtt-first-appointment']
    >>> pg.objective("ambulance-cat2-mean").comparison
    'at_most'
    """

    kind: Literal["planning"]
    year: FinancialYear
    objectives: tuple[Objective, ...]
    standards: tuple[Standard, ...] = ()
    facts: tuple[Fact, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> PlanningGuidance:
        _unique(self.objectives, "code", "objective code")
        _unique(self.standards, "code", "standard code")
        _unique(self.facts, "id", "fact id")
        codes = {s.code for s in self.standards}
        for o in self.objectives:
            if o.standard is not None and o.standard not in codes:
                raise ValueError(f"objective {o.code!r}: standard {o.standard!r} is not listed")
        return self

    entry_kind: ClassVar[str] = "objectives"

    def entries(self) -> tuple[Entry, ...]:
        return tuple(
            Entry(
                code=o.code,
                name=o.name,
                unit=o.unit,
                polarity=o.polarity,
                status=o.target.status if o.target is not None else "unconfirmed",
                detail=(
                    (
                        f"{o.comparison.replace('_', ' ')} {o.target.value:g} by {o.deadline}"
                        if o.target_kind == "level"
                        else f"change of {o.target.value:+g} "
                        f"({o.target_kind.replace('_', ' ')}) by {o.deadline}"
                    )
                    if o.target is not None
                    else f"target absent: {o.target_missing_reason}"
                )
                + (f" ({o.level})" if o.level != "national" else ""),
                fact=o,
            )
            for o in self.objectives
        )

    def objective(self, code: str) -> Objective:
        """The objective with this code (e.g. ``'ae-4-hour'``); close matches on a miss."""
        found: Objective = _find(self.objectives, code, "planning objective", ("code",))
        return found

    def standard(self, code: str) -> Standard:
        """The standard with this code."""
        found: Standard = _find(self.standards, code, "standard", ("code",))
        return found


# --------------------------------------------------------------------------------------------
# NHS Oversight Framework
# --------------------------------------------------------------------------------------------

_OF_ID = re.compile(r"^OF\d{4}$")


class Segment(_Frozen):
    """A segment of the oversight framework (1 = least support needed)."""

    number: int = Field(ge=1, le=5)
    name: str | None = None
    name_missing_reason: str | None = None
    support: str | None = None
    ref: str | None = None
    status: Status
    sources: tuple[str, ...] = ()
    note: str | None = None


class ScoringRule(_Frozen):
    """How one metric is scored 1.00 (best) to 4.00 (worst)."""

    method: Literal["rank", "discrete", "continuous"]
    polarity: PolarityField
    description: str
    ref: str | None = None
    status: Status
    sources: tuple[str, ...] = ()
    note: str | None = None


class OversightMetric(_Frozen):
    """An oversight metric: its OF id where known, unit, and scoring rule (as data)."""

    code: str = Field(min_length=1)
    of_id: str | None = None
    of_id_missing_reason: str | None = None
    name: str
    domain: str | None = None
    unit: UnitId | None = None
    unit_missing_reason: str | None = None
    granularity: str | None = None
    basis: str | None = None
    scored: bool | None = None
    scored_missing_reason: str | None = None
    scoring: ScoringRule | None = None
    scoring_missing_reason: str | None = None
    ref: str | None = None
    status: Status
    sources: tuple[str, ...] = ()
    note: str | None = None

    @model_validator(mode="after")
    def _well_formed(self) -> OversightMetric:
        if self.of_id is not None and not _OF_ID.match(self.of_id):
            raise ValueError(f"of_id must look like 'OF0023', got {self.of_id!r}")
        if self.scoring is not None and self.scored is False:
            raise ValueError(f"metric {self.code!r} is not scored, so it has no scoring rule")
        return self

    @property
    def polarity(self) -> Polarity | None:
        """The direction that is better, from the scoring rule (None where no rule was read)."""
        return self.scoring.polarity if self.scoring is not None else None


class SegmentationMethod(_Frozen):
    """How average metric scores become segments: quartiles, thresholds, or a judgement."""

    method: Literal["quartile", "thresholds", "judgement"]
    description: str
    scope: str
    thresholds: tuple[float, float, float] | None = None
    ref: str | None = None
    status: Status
    sources: tuple[str, ...] = ()
    note: str | None = None

    @model_validator(mode="after")
    def _thresholds(self) -> SegmentationMethod:
        t = self.thresholds
        if t is not None:
            if self.method != "thresholds":
                raise ValueError("thresholds are given only with method 'thresholds'")
            if not (1.0 <= t[0] < t[1] < t[2] <= 4.0):
                raise ValueError(f"thresholds must increase within [1, 4], got {t!r}")
        return self


class Override(_Frozen):
    """An adjustment applied after the computed segment (financial override, segment 5)."""

    id: str = Field(min_length=1)
    description: str
    segment: int | None = Field(default=None, ge=1, le=5)
    segment_missing_reason: str | None = None
    ref: str | None = None
    status: Status
    sources: tuple[str, ...] = ()
    note: str | None = None


class OversightFramework(_Edition):
    """One edition of the NHS Oversight Framework: segments, metrics and the segmentation method.

    >>> from outcomes import frameworks
    >>> nof = frameworks.load("oversight-2025-26")
    >>> rule = nof.metric("OF0023").scoring
    >>> rule.method, rule.polarity.value, rule.status
    ('rank', 'higher', 'confirmed')
    >>> nof.segmentation.method
    'quartile'
    """

    kind: Literal["oversight"]
    year: FinancialYear
    segments: tuple[Segment, ...]
    domains: tuple[Fact, ...] = ()
    metrics: tuple[OversightMetric, ...] = ()
    metrics_missing_reason: str | None = None
    aggregation: Fact | None = None
    segmentation: SegmentationMethod
    overrides: tuple[Override, ...] = ()
    league_table: Fact | None = None
    facts: tuple[Fact, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> OversightFramework:
        _unique(self.segments, "number", "segment number")
        _unique(self.metrics, "code", "metric code")
        _unique(tuple(m for m in self.metrics if m.of_id), "of_id", "OF id")
        _unique(self.domains, "id", "domain id")
        _unique(self.overrides, "id", "override id")
        _unique(self.facts, "id", "fact id")
        numbers = {s.number for s in self.segments}
        for o in self.overrides:
            if o.segment is not None and o.segment not in numbers:
                raise ValueError(f"override {o.id!r} names segment {o.segment}, not listed")
        for m in self.metrics:
            if (
                m.domain is not None
                and self.domains
                and m.domain not in {d.id for d in self.domains}
            ):
                raise ValueError(f"metric {m.code!r} is in domain {m.domain!r}, not listed")
        return self

    entry_kind: ClassVar[str] = "metrics"

    def entries(self) -> tuple[Entry, ...]:
        return tuple(
            Entry(
                code=m.of_id or m.code,
                name=m.name,
                unit=m.unit,
                polarity=m.polarity,
                status=m.status,
                detail=(
                    "scored"
                    if m.scored
                    else "not scored"
                    if m.scored is False
                    else "scoring unknown"
                )
                + (f", {m.scoring.method}" if m.scoring is not None else ""),
                fact=m,
            )
            for m in self.metrics
        )

    def metric(self, code: str) -> OversightMetric:
        """The metric with this code or OF id (``'OF0023'``)."""
        found: OversightMetric = _find(self.metrics, code, "oversight metric", ("code", "of_id"))
        return found

    def segment(self, number: int) -> Segment:
        """Segment 1-5."""
        for s in self.segments:
            if s.number == number:
                return s
        raise UnknownCodeError("segment", number, [str(s.number) for s in self.segments])


# --------------------------------------------------------------------------------------------
# QOF
# --------------------------------------------------------------------------------------------


class QOFFramework(_Edition):
    """One year of the Quality and Outcomes Framework: point value, points, payment facts.

    >>> from outcomes import frameworks
    >>> qof = frameworks.load("qof-2024-25")
    >>> qof.point_value.value, qof.point_value.status
    (220.62, 'partly')
    >>> frameworks.load("qof-2025-26").point_value is None
    True
    """

    kind: Literal["qof"]
    year: FinancialYear
    point_value: Parameter | None = None
    point_value_missing_reason: str | None = None
    total_points: Parameter | None = None
    total_points_missing_reason: str | None = None
    prevalence_weighted_points: Parameter | None = None
    prevalence_weighted_points_missing_reason: str | None = None
    national_average_list_size: Parameter | None = None
    national_average_list_size_missing_reason: str | None = None
    payment_formula: Fact
    achievement_scale: Fact
    indicators: Fact
    facts: tuple[Fact, ...] = ()

    entry_kind: ClassVar[str] = "facts"

    def entries(self) -> tuple[Entry, ...]:
        named = [
            (
                "point-value",
                "value of a QOF point (GBP)",
                self.point_value,
                self.point_value_missing_reason,
            ),
            (
                "total-points",
                "total points available",
                self.total_points,
                self.total_points_missing_reason,
            ),
            (
                "average-list-size",
                "national average practice list size",
                self.national_average_list_size,
                self.national_average_list_size_missing_reason,
            ),
        ]
        out = [
            Entry(
                code=code,
                name=name,
                status=p.status if p is not None else "unconfirmed",
                detail=f"{p.value:,g}" if p is not None else f"absent: {why}",
                fact=p,
            )
            for code, name, p, why in named
        ]
        out += [
            Entry(code=f.id, name=f.statement, status=f.status, fact=f)
            for f in (self.payment_formula, self.achievement_scale, self.indicators, *self.facts)
        ]
        return tuple(out)

    @model_validator(mode="after")
    def _consistent(self) -> QOFFramework:
        _unique(self.facts, "id", "fact id")
        if self.point_value is not None and not self.point_value.value > 0:
            raise ValueError(f"point_value must be > 0, got {self.point_value.value!r}")
        return self


# --------------------------------------------------------------------------------------------
# Better Care Fund, current rounds
# --------------------------------------------------------------------------------------------


class BCFRoundMetric(BCFMetric):
    """A BCF metric of a current round (its unit may also be ``days``, e.g. discharge delay)."""

    unit: UnitId
    ref: str | None = None


class BCFEdition(BCFFramework):
    """A Better Care Fund round (the ``bcf`` kind), with its objectives and stated facts.

    Extends :class:`outcomes.models.BCFFramework`: a round may span two years (``last_year``)
    and has no pay-for-performance element since 2016/17 (``payment`` absent).

    >>> from outcomes import frameworks
    >>> bcf = frameworks.load("bcf-2025-26")
    >>> [m.id for m in bcf.metrics]
    ['emergency-admissions-65', 'discharge-delay', 'care-home-admissions']
    >>> bcf.payment is None
    True
    """

    metrics: tuple[BCFRoundMetric, ...]
    last_year: FinancialYear | None = None
    objectives: tuple[Fact, ...] = ()
    facts: tuple[Fact, ...] = ()

    @model_validator(mode="after")
    def _round(self) -> BCFEdition:
        _unique(self.objectives, "id", "objective id")
        _unique(self.facts, "id", "fact id")
        if self.last_year is not None and self.last_year.year < self.year.year:
            raise ValueError(f"last_year {self.last_year} is before year {self.year}")
        return self

    def missing(self) -> tuple[str, ...]:
        """Every absent value, as ``location: reason``."""
        return _missing(self)

    @property
    def years(self) -> tuple[FinancialYear, ...]:
        """The financial years of the round."""
        last = self.last_year or self.year
        return tuple(FinancialYear(y) for y in range(self.year.year, last.year + 1))

    def fact(self, fact_id: str) -> Fact:
        """The stated fact with this id."""
        found: Fact = _find(self.facts, fact_id, "BCF fact", ("id", "ref"))
        return found
