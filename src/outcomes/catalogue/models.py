"""The schema of the framework catalogue: typed, frozen models of each kind of edition.

A framework edition is a data file (``catalogue/data/<id>.toml``) validated against one of these
models when it is loaded; inside the library the models are trusted. Every fact carries a
``status`` (confirmed / partly / unconfirmed) and the source keys it rests on; every model exports
a JSON Schema with ``model_json_schema()``. Lookups by code or id use dictionaries built once,
when the edition is loaded.

>>> from outcomes import frameworks
>>> frameworks.load("nhsof-2014-15").indicator("2.3i").polarity
<Polarity.LOWER_IS_BETTER: 'lower'>
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    PrivateAttr,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from outcomes._fields import PolarityField
from outcomes._format import key_path, problem_report
from outcomes.errors import FrameworkError, UnknownCodeError
from outcomes.periods import FinancialYear
from outcomes.polarity import Polarity
from outcomes.units import UNITS

__all__ = [
    "Ambition",
    "AmbitionMeasure",
    "AmbitionsFramework",
    "BCFFramework",
    "BCFMetric",
    "BCFPaymentRule",
    "ConstitutionStandard",
    "Domain",
    "Entry",
    "Gateway",
    "Indicator",
    "NHSOutcomesFramework",
    "Parameter",
    "QualityPremiumMeasure",
    "QualityPremiumScheme",
    "Status",
    "SupplementaryMeasure",
    "framework_error",
]

Status = Literal["confirmed", "partly", "unconfirmed"]


class _Frozen(BaseModel):
    model_config = ConfigDict(
        frozen=True, extra="forbid", validate_default=True, allow_inf_nan=False
    )


class Parameter(_Frozen):
    """A number from a public source, with its provenance.

    ``status`` is ``confirmed`` (the cited source states it for the year in question),
    ``partly`` (an adjacent edition states it) or ``unconfirmed`` (background knowledge only).
    """

    value: float
    unit: str | None = None
    status: Status
    sources: tuple[str, ...] = ()
    note: str | None = None

    @property
    def confirmed(self) -> bool:
        return self.status == "confirmed"


def _check_unit(value: str) -> str:
    if value not in UNITS:
        raise ValueError(f"unknown unit {value!r}; known units: {', '.join(sorted(UNITS))}")
    return value


def _code_key(code: str) -> str:
    """Normalise an indicator code for lookup: '2.3.i', '2.3i' and '2.3 i' are the same."""
    return re.sub(r"[\s.]", "", str(code).lower())


class Domain(_Frozen):
    """An NHS Outcomes Framework domain (1-5)."""

    number: int = Field(ge=1, le=5)
    title: str
    status: Status = "confirmed"
    sources: tuple[str, ...] = ()


class Indicator(_Frozen):
    """An NHSOF indicator, overarching or in an improvement area."""

    code: str = Field(min_length=1)
    name: str
    domain: int = Field(ge=1, le=5)
    level: Literal["overarching", "improvement"]
    unit: Annotated[str, PlainValidator(_check_unit), WithJsonSchema({"type": "string"})]
    polarity: PolarityField
    data_source: str | None = None
    cross_references: tuple[str, ...] = ()
    cross_references_status: Status = "confirmed"
    portal_id: str | None = None
    placeholder: bool = False
    status: Status
    sources: tuple[str, ...] = ()
    note: str | None = None


class Entry(BaseModel):
    """One listable item of an edition (an indicator, ambition, metric, measure, objective...),
    in the same shape for every kind, for listings and lookups across frameworks."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)
    code: str
    name: str
    unit: str | None = None
    polarity: Polarity | None = None
    status: str = "confirmed"
    detail: str = ""
    fact: BaseModel | None = None


class _Catalogue(_Frozen):
    """Fields every framework file shares."""

    #: what the edition's entries are called in listings ("indicators", "metrics", ...)
    entry_kind: ClassVar[str] = "entries"

    id: str
    title: str
    publisher: str | None = None
    published: str | None = None
    description: str | None = None
    sources: dict[str, str] = Field(default_factory=dict)

    def _cited(self) -> Iterator[tuple[str, tuple[str, ...]]]:
        """(location, source keys) of every fact in the file."""
        for name, value in self:
            yield from _walk_sources(name, value)

    @model_validator(mode="after")
    def _sources_are_listed(self) -> _Catalogue:
        missing = [
            f"{where}: source {key!r}"
            for where, keys in self._cited()
            for key in keys
            if key not in self.sources
        ]
        if missing:
            raise ValueError("cites sources missing from [sources]: " + "; ".join(missing))
        return self

    def unconfirmed(self) -> tuple[str, ...]:
        """Locations of every fact whose status is not 'confirmed'."""
        out: list[str] = []
        for name, value in self:
            out.extend(_walk_status(name, value))
        return tuple(out)

    def entries(self) -> tuple[Entry, ...]:
        """The edition's listable items (indicators, ambitions, metrics, measures...)."""
        return ()

    def entry(self, code: str | int) -> Entry:
        """One entry by its code, whatever the kind of edition ('2.3i', '3', 'pyll'...)."""
        key = _code_key(str(code))
        for e in self.entries():
            if _code_key(e.code) == key:
                return e
        raise UnknownCodeError(
            f"{self.entry_kind[:-1] if self.entry_kind.endswith('s') else self.entry_kind} in "
            f"{self.id}",
            code,
            [e.code for e in self.entries()],
        )


def _walk_sources(where: str, value: object) -> Iterator[tuple[str, tuple[str, ...]]]:
    if isinstance(value, BaseModel):
        srcs = getattr(value, "sources", None)
        if isinstance(srcs, tuple):
            yield where, srcs
        for name, sub in value:
            if name != "sources":
                yield from _walk_sources(f"{where}.{name}", sub)
    elif isinstance(value, dict):
        for key, sub in value.items():
            yield from _walk_sources(f"{where}.{key}", sub)
    elif isinstance(value, tuple):
        for i, sub in enumerate(value):
            label = (
                getattr(sub, "code", None) or getattr(sub, "id", None) or getattr(sub, "number", i)
            )
            yield from _walk_sources(f"{where}[{label}]", sub)


def _walk_status(where: str, value: object) -> Iterator[str]:
    if isinstance(value, BaseModel):
        if getattr(value, "status", "confirmed") != "confirmed":
            yield f"{where} ({value.status})"  # type: ignore[attr-defined]
        for name, sub in value:
            yield from _walk_status(f"{where}.{name}", sub)
    elif isinstance(value, dict):
        for key, sub in value.items():
            yield from _walk_status(f"{where}.{key}", sub)
    elif isinstance(value, tuple):
        for i, sub in enumerate(value):
            label = (
                getattr(sub, "code", None) or getattr(sub, "id", None) or getattr(sub, "number", i)
            )
            yield from _walk_status(f"{where}[{label}]", sub)


def _unique(items: tuple[Any, ...], attr: str, what: str, key: Any = str) -> None:
    seen: dict[Any, Any] = {}
    for item in items:
        k = key(getattr(item, attr))
        if k in seen:
            raise ValueError(f"duplicate {what} {getattr(item, attr)!r}")
        seen[k] = item


class NHSOutcomesFramework(_Catalogue):
    """One edition of the NHS Outcomes Framework: domains and indicators.

    >>> from outcomes import frameworks
    >>> nhsof = frameworks.load("nhsof-2014-15")
    >>> nhsof.indicator("2.3i").name
    'Unplanned hospitalisation for chronic ambulatory care sensitive conditions'
    """

    kind: Literal["nhsof"]
    edition: Annotated[FinancialYear, Field(description="the financial year of the edition")]
    domains: tuple[Domain, ...]
    indicators: tuple[Indicator, ...]

    @model_validator(mode="after")
    def _consistent(self) -> NHSOutcomesFramework:
        _unique(self.domains, "number", "domain number")
        _unique(self.indicators, "code", "indicator code", key=_code_key)
        numbers = {d.number for d in self.domains}
        for ind in self.indicators:
            if ind.domain not in numbers:
                raise ValueError(f"indicator {ind.code!r} is in domain {ind.domain}, not listed")
        return self

    _by_code: dict[str, Indicator] = PrivateAttr(default_factory=dict)
    _by_number: dict[int, Domain] = PrivateAttr(default_factory=dict)

    def model_post_init(self, context: Any, /) -> None:
        self._by_code = {_code_key(i.code): i for i in self.indicators}
        self._by_number = {d.number: d for d in self.domains}

    def indicator(self, code: str) -> Indicator:
        """The indicator with this code (``'2.3.i'``, ``'2.3i'`` and ``'2.3 i'`` all work)."""
        found = self._by_code.get(_code_key(code))
        if found is None:
            raise UnknownCodeError("NHSOF indicator", code, [i.code for i in self.indicators])
        return found

    def domain(self, number: int) -> Domain:
        """Domain 1-5."""
        found = self._by_number.get(number) if isinstance(number, int) else None
        if found is None:
            raise UnknownCodeError("NHSOF domain", number, [str(d.number) for d in self.domains])
        return found

    entry_kind: ClassVar[str] = "indicators"

    def entries(self) -> tuple[Entry, ...]:
        return tuple(
            Entry(
                code=i.code,
                name=i.name,
                unit=i.unit,
                polarity=i.polarity,
                status=i.status,
                detail=f"domain {i.domain}, {i.level}" + (", placeholder" if i.placeholder else ""),
                fact=i,
            )
            for i in self.indicators
        )

    def indicators_in(self, domain: int) -> tuple[Indicator, ...]:
        """The indicators of one domain, in catalogue order."""
        self.domain(domain)
        return tuple(i for i in self.indicators if i.domain == domain)


class AmbitionMeasure(_Frozen):
    """The measure by which an ambition is tracked: one indicator, or a composite of several."""

    name: str
    indicators: tuple[str, ...] = ()
    composite: bool = False
    unit: Annotated[str, PlainValidator(_check_unit), WithJsonSchema({"type": "string"})]
    polarity: PolarityField
    data_source: str | None = None
    level: Literal["ccg", "council", "national-only", "none"] = "ccg"
    status: Status
    sources: tuple[str, ...] = ()
    note: str | None = None

    @model_validator(mode="after")
    def _composite_has_parts(self) -> AmbitionMeasure:
        if self.composite and len(self.indicators) < 2:
            raise ValueError("a composite measure needs two or more indicators")
        return self


class SupplementaryMeasure(_Frozen):
    """A supplementary ('support') measure attached to the ambitions."""

    id: str
    name: str
    unit: Annotated[str, PlainValidator(_check_unit), WithJsonSchema({"type": "string"})]
    polarity: PolarityField
    target: Parameter | None = None
    status: Status
    sources: tuple[str, ...] = ()
    note: str | None = None


class Ambition(_Frozen):
    """One of the seven outcome ambitions of *Everyone Counts* 2014/15-2018/19."""

    number: int = Field(ge=1, le=7)
    title: str
    wording: str | None = None
    domains: tuple[int, ...]
    measure: AmbitionMeasure
    status: Status
    sources: tuple[str, ...] = ()
    note: str | None = None

    @property
    def polarity(self) -> Polarity:
        """The measure's polarity (never taken from the ambition's wording)."""
        return self.measure.polarity


class AmbitionsFramework(_Catalogue):
    """The seven outcome ambitions, mapped to NHSOF domains and measures.

    >>> from outcomes import frameworks
    >>> amb = frameworks.load("ambitions-2014-19")
    >>> amb.ambition(3).measure.indicators
    ('2.3.i', '2.3.ii', '3a', '3.2')
    """

    kind: Literal["ambitions"]
    outcomes_framework: str
    first_year: FinancialYear
    last_year: FinancialYear
    ambitions: tuple[Ambition, ...]
    supplementary: tuple[SupplementaryMeasure, ...] = ()
    expectations: dict[str, Parameter] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _consistent(self) -> AmbitionsFramework:
        _unique(self.ambitions, "number", "ambition number")
        _unique(self.supplementary, "id", "supplementary measure id")
        return self

    _by_number: dict[int, Ambition] = PrivateAttr(default_factory=dict)

    def model_post_init(self, context: Any, /) -> None:
        self._by_number = {a.number: a for a in self.ambitions}

    def ambition(self, number: int) -> Ambition:
        """Ambition 1-7."""
        found = self._by_number.get(number) if isinstance(number, int) else None
        if found is None:
            raise UnknownCodeError("ambition", number, [str(a.number) for a in self.ambitions])
        return found

    entry_kind: ClassVar[str] = "ambitions"

    def entries(self) -> tuple[Entry, ...]:
        return tuple(
            Entry(
                code=str(a.number),
                name=a.title,
                unit=a.measure.unit,
                polarity=a.polarity,
                status=a.status,
                detail=" + ".join(a.measure.indicators) or "no CCG-level measure",
                fact=a,
            )
            for a in self.ambitions
        )

    @property
    def periods(self) -> tuple[FinancialYear, ...]:
        """The plan years, first to last."""
        return tuple(FinancialYear(y) for y in range(self.first_year.year, self.last_year.year + 1))


class BCFMetric(_Frozen):
    """A Better Care Fund metric (national, or the local slot)."""

    id: str
    number: int | None = None
    name: str
    definition: str
    unit: Annotated[str, PlainValidator(_check_unit), WithJsonSchema({"type": "string"})]
    denominator: str | None = None
    polarity: PolarityField
    data_source: str | None = None
    cross_references: tuple[str, ...] = ()
    local: bool = False
    pay_for_performance: bool = False
    status: Status
    sources: tuple[str, ...] = ()
    note: str | None = None


class BCFPaymentRule(_Frozen):
    """Parameters of the BCF pay-for-performance rule (after the July 2014 revision)."""

    description: str
    metric: str
    minimum_reduction: Parameter
    cost_per_admission: Parameter
    national_pot: Parameter | None = None
    payment_frequency: Literal["quarterly", "annual"] = "quarterly"
    frequency_status: Status = "unconfirmed"
    unearned: str
    status: Status
    sources: tuple[str, ...] = ()


class BCFFramework(_Catalogue):
    """Better Care Fund metrics and its pay-for-performance rule.

    >>> from outcomes import frameworks
    >>> bcf = frameworks.load("bcf-2015-16")
    >>> bcf.metric("non-elective-admissions").polarity
    <Polarity.LOWER_IS_BETTER: 'lower'>
    """

    kind: Literal["bcf"]
    year: FinancialYear
    metrics: tuple[BCFMetric, ...]
    payment: BCFPaymentRule | None = None
    fund: dict[str, Parameter] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _consistent(self) -> BCFFramework:
        _unique(self.metrics, "id", "metric id")
        if self.payment is not None and self.payment.metric not in {m.id for m in self.metrics}:
            raise ValueError(f"payment.metric {self.payment.metric!r} is not a listed metric")
        return self

    _by_id: dict[str, BCFMetric] = PrivateAttr(default_factory=dict)

    def model_post_init(self, context: Any, /) -> None:
        self._by_id = {m.id: m for m in self.metrics}

    entry_kind: ClassVar[str] = "metrics"

    def entries(self) -> tuple[Entry, ...]:
        return tuple(
            Entry(
                code=m.id,
                name=m.name,
                unit=None if m.local else m.unit,
                polarity=None if m.local else m.polarity,
                status=m.status,
                detail="local metric (unit and polarity set by the plan)"
                if m.local
                else m.definition,
                fact=m,
            )
            for m in self.metrics
        )

    def metric(self, metric_id: str) -> BCFMetric:
        """The metric with this id."""
        found = self._by_id.get(metric_id)
        if found is None:
            raise UnknownCodeError("BCF metric", metric_id, [m.id for m in self.metrics])
        return found


class QualityPremiumMeasure(_Frozen):
    """One measure of a quality premium scheme, with its share of the premium."""

    id: str
    name: str
    weight: float = Field(gt=0, le=1)
    weight_status: Status
    rule: str
    threshold: Parameter | None = None
    parts: dict[str, float] = Field(default_factory=dict)
    ambition: int | None = None
    indicator: str | None = None
    status: Status
    sources: tuple[str, ...] = ()
    note: str | None = None

    @field_validator("parts")
    @classmethod
    def _parts_sum(cls, parts: dict[str, float]) -> dict[str, float]:
        if parts and abs(sum(parts.values()) - 1.0) > 1e-9:
            raise ValueError(f"parts must sum to 1, got {sum(parts.values())!r}")
        return parts


class ConstitutionStandard(_Frozen):
    """An NHS Constitution right or pledge whose miss reduces the premium."""

    id: str
    name: str
    threshold: Parameter | None = None
    status: Status
    sources: tuple[str, ...] = ()


class Gateway(_Frozen):
    """A condition that must hold for any premium to be paid."""

    id: str
    description: str
    status: Status
    sources: tuple[str, ...] = ()


class QualityPremiumScheme(_Catalogue):
    """A Quality Premium scheme: measures with weights, reductions, gateways, value per head.

    >>> from outcomes import frameworks
    >>> qp = frameworks.load("quality-premium-2014-15")
    >>> [(m.id, m.weight) for m in qp.measures][:2]
    [('pyll', 0.15), ('iapt', 0.15)]
    """

    kind: Literal["quality-premium"]
    performance_year: FinancialYear
    paid_in: FinancialYear
    value_per_head: Parameter
    measures: tuple[QualityPremiumMeasure, ...]
    constitution_standards: tuple[ConstitutionStandard, ...] = ()
    constitution_reduction: Parameter
    gateways: tuple[Gateway, ...] = ()
    national_pot: Parameter | None = None
    national_paid: Parameter | None = None

    @model_validator(mode="after")
    def _consistent(self) -> QualityPremiumScheme:
        _unique(self.measures, "id", "measure id")
        _unique(self.constitution_standards, "id", "constitution standard id")
        _unique(self.gateways, "id", "gateway id")
        total = sum(m.weight for m in self.measures)
        if abs(total - 1.0) > 1e-9:
            weights = ", ".join(f"{m.id}={m.weight:g}" for m in self.measures)
            raise ValueError(f"measure weights must sum to 100%, got {total:.6%} ({weights})")
        return self

    _measures: dict[str, QualityPremiumMeasure] = PrivateAttr(default_factory=dict)
    _standards: dict[str, ConstitutionStandard] = PrivateAttr(default_factory=dict)

    def model_post_init(self, context: Any, /) -> None:
        self._measures = {m.id: m for m in self.measures}
        self._standards = {s.id: s for s in self.constitution_standards}

    entry_kind: ClassVar[str] = "measures"

    def entries(self) -> tuple[Entry, ...]:
        return tuple(
            Entry(
                code=m.id,
                name=m.name,
                status=m.weight_status if m.status == "confirmed" else m.status,
                detail=f"weight {m.weight:.0%}; {m.rule}",
                fact=m,
            )
            for m in self.measures
        )

    def measure(self, measure_id: str) -> QualityPremiumMeasure:
        """The measure with this id."""
        found = self._measures.get(measure_id)
        if found is None:
            raise UnknownCodeError(
                "quality premium measure", measure_id, [m.id for m in self.measures]
            )
        return found

    def standard(self, standard_id: str) -> ConstitutionStandard:
        """The NHS Constitution standard with this id."""
        found = self._standards.get(standard_id)
        if found is None:
            raise UnknownCodeError(
                "NHS Constitution standard",
                standard_id,
                [s.id for s in self.constitution_standards],
            )
        return found


def framework_error(path: str, errors: list[dict[str, Any]], raw: Any) -> FrameworkError:
    """Format every pydantic error of a framework file with its location."""
    problems = []
    for err in errors:
        parts = list(err["loc"])
        if parts and isinstance(raw, dict) and parts[0] == raw.get("kind"):
            parts = parts[1:]  # the discriminator tag is not a key of the file
        where = key_path(parts, raw)
        got = err.get("input")
        shown = "" if isinstance(got, dict | list) else f" (got {got!r})"
        problems.append(f"{path}: {where}: {err['msg']}{shown}")
    return FrameworkError(problem_report(path, problems), tuple(problems))
