"""Typed, frozen models of the frameworks and of trajectories.

Framework models are validated when a data file is loaded (see :mod:`outcomes.frameworks`);
inside the library they are trusted. Every model exports a JSON Schema with
``model_json_schema()``, so downstream tools can validate their own files.

>>> from outcomes.models import Polarity
>>> Polarity.parse("RAG - Low is good")
<Polarity.LOWER_IS_BETTER: 'lower'>
>>> Polarity.LOWER_IS_BETTER.sign
-1
"""

from __future__ import annotations

import enum
import json
import re
from collections.abc import Iterator
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from outcomes._arrays import round_half_up
from outcomes._fields import ArrayField, PolarityField, same_fields
from outcomes.errors import FrameworkError, PeriodError, UnknownCodeError
from outcomes.periods import FinancialYear, Period, period
from outcomes.polarity import Polarity
from outcomes.units import UNITS

__all__ = [
    "Ambition",
    "AmbitionMeasure",
    "AmbitionsFramework",
    "BCFFramework",
    "BCFMetric",
    "BCFPaymentRule",
    "Change",
    "ConstitutionStandard",
    "Domain",
    "Gateway",
    "Indicator",
    "NHSOutcomesFramework",
    "Parameter",
    "Polarity",
    "QualityPremiumMeasure",
    "QualityPremiumScheme",
    "Rule",
    "SupplementaryMeasure",
    "Trajectory",
]

Status = Literal["confirmed", "partly", "unconfirmed"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", validate_default=True)


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
        raise ValueError(f"unknown unit id {value!r}; known: {', '.join(sorted(UNITS))}")
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


class _Catalogue(_Frozen):
    """Fields every framework file shares."""

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


def _walk_sources(where: str, value: object) -> Iterator[tuple[str, tuple[str, ...]]]:
    if isinstance(value, BaseModel):
        srcs = getattr(value, "sources", None)
        if isinstance(srcs, tuple):
            yield where, srcs
        for name, sub in value:
            if name != "sources":
                yield from _walk_sources(f"{where}.{name}", sub)
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

    def indicator(self, code: str) -> Indicator:
        """The indicator with this code (``'2.3.i'``, ``'2.3i'`` and ``'2.3 i'`` all work)."""
        key = _code_key(code)
        for ind in self.indicators:
            if _code_key(ind.code) == key:
                return ind
        raise UnknownCodeError("NHSOF indicator", code, [i.code for i in self.indicators])

    def domain(self, number: int) -> Domain:
        """Domain 1-5."""
        for dom in self.domains:
            if dom.number == number:
                return dom
        raise UnknownCodeError("NHSOF domain", number, [str(d.number) for d in self.domains])

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

    def ambition(self, number: int) -> Ambition:
        """Ambition 1-7."""
        for amb in self.ambitions:
            if amb.number == number:
                return amb
        raise UnknownCodeError("ambition", number, [str(a.number) for a in self.ambitions])

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
    payment: BCFPaymentRule
    fund: dict[str, Parameter] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _consistent(self) -> BCFFramework:
        _unique(self.metrics, "id", "metric id")
        if self.payment.metric not in {m.id for m in self.metrics}:
            raise ValueError(f"payment.metric {self.payment.metric!r} is not a listed metric")
        return self

    def metric(self, metric_id: str) -> BCFMetric:
        """The metric with this id."""
        for m in self.metrics:
            if m.id == metric_id:
                return m
        raise UnknownCodeError("BCF metric", metric_id, [m.id for m in self.metrics])


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

    def measure(self, measure_id: str) -> QualityPremiumMeasure:
        """The measure with this id."""
        for m in self.measures:
            if m.id == measure_id:
                return m
        raise UnknownCodeError("quality premium measure", measure_id, [m.id for m in self.measures])

    def standard(self, standard_id: str) -> ConstitutionStandard:
        """The NHS Constitution standard with this id."""
        for s in self.constitution_standards:
            if s.id == standard_id:
                return s
        raise UnknownCodeError(
            "NHS Constitution standard", standard_id, [s.id for s in self.constitution_standards]
        )


# --------------------------------------------------------------------------------------------
# Trajectories
# --------------------------------------------------------------------------------------------


def _jsonable(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, Period):
        return str(value)
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


class Rule(BaseModel):
    """The rule that produced a trajectory and its parameters (the provenance of every target)."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    name: str
    parameters: Annotated[
        dict[str, Any],
        PlainSerializer(_jsonable, when_used="json"),
        WithJsonSchema({"type": "object"}),
    ] = Field(default_factory=dict)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Rule):
            return NotImplemented
        return self.name == other.name and json.dumps(
            _jsonable(self.parameters), sort_keys=True
        ) == json.dumps(_jsonable(other.parameters), sort_keys=True)

    def __hash__(self) -> int:
        return hash(self.name)

    def describe(self) -> str:
        """One line: the rule and its scalar parameters, e.g. ``percentage_change(rate=-0.032)``."""
        shown = []
        for key, value in self.parameters.items():
            if isinstance(value, np.ndarray) and value.size > 1:
                shown.append(f"{key}=<{value.size} values>")
            elif isinstance(value, list | tuple) and len(value) > 6:
                shown.append(f"{key}=<{len(value)} values>")
            else:
                v = _jsonable(value)
                shown.append(f"{key}={v:g}" if isinstance(v, float) else f"{key}={v}")
        return f"{self.name}({', '.join(shown)})"


class Change(BaseModel):
    """Absolute and relative change from baseline, per period."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)
    absolute: ArrayField
    relative: ArrayField


class Trajectory(BaseModel):
    """Yearly targets from a baseline, for one organisation or many (leading axes).

    ``values`` has shape ``baseline.shape + (len(periods),)``. ``target`` is the value the rule
    aims for at ``end``; ``rule`` records how the targets were made.

    >>> from outcomes import percentage_change
    >>> t = percentage_change(2000.0, -0.032, start="2013/14", end="2018/19")
    >>> [str(p) for p in t.periods]
    ['2014/15', '2015/16', '2016/17', '2017/18', '2018/19']
    >>> t.rounded(1)["2018/19"]
    1699.8
    >>> Trajectory.model_validate_json(t.model_dump_json()) == t
    True
    """

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True, extra="forbid")

    baseline: ArrayField
    start: Period
    periods: tuple[Period, ...]
    values: ArrayField
    target: ArrayField
    end: Period
    rule: Rule
    polarity: PolarityField | None = None
    unit: str | None = None
    measure: str | None = None
    indexing: Literal["elapsed", "plan-year"] = "elapsed"

    @model_validator(mode="after")
    def _shapes(self) -> Trajectory:
        expected = (*self.baseline.shape, len(self.periods))
        if self.values.shape != expected:
            raise ValueError(
                f"values have shape {self.values.shape}, expected baseline shape + periods "
                f"= {expected}"
            )
        return self

    # -- access ----------------------------------------------------------------------------------
    def index(self, which: str | Period) -> int:
        """Position of a period in :attr:`periods`."""
        p = period(which)
        try:
            return self.periods.index(p)
        except ValueError:
            raise PeriodError(
                f"period {str(p)!r} is not in this trajectory; it has "
                f"{', '.join(str(q) for q in self.periods)}"
            ) from None

    def __getitem__(self, which: str | Period) -> Any:
        value = self.values[..., self.index(which)]
        return float(value) if value.ndim == 0 else value

    def __len__(self) -> int:
        return len(self.periods)

    @property
    def shape(self) -> tuple[int, ...]:
        """Shape of the organisation axes (``baseline.shape``)."""
        return tuple(self.baseline.shape)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Trajectory):
            return NotImplemented
        return same_fields(self, other)

    def __hash__(self) -> int:
        return hash((self.start, self.periods, self.rule.name))

    # -- derived ----------------------------------------------------------------------------------
    def rounded(self, ndigits: int = 0) -> Trajectory:
        """A copy with values rounded half-up (away from zero) to ``ndigits`` places, as the
        published NHS tables are; not banker's rounding.

        >>> from outcomes import hold
        >>> hold(2.5, start="2013/14", end="2014/15").rounded(0).values.tolist()
        [3.0]
        """
        return self.model_copy(update={"values": np.asarray(round_half_up(self.values, ndigits))})

    def change(self) -> Change:
        """Absolute and relative change from the baseline, per period.

        The relative change from a zero baseline is undefined and given as NaN.

        >>> from outcomes import percentage_change
        >>> c = percentage_change(100.0, -0.1, start="2013/14", end="2015/16").change()
        >>> [round(x, 3) for x in c.relative.tolist()]
        [-0.1, -0.19]
        """
        base = self.baseline[..., np.newaxis]
        absolute = self.values - base
        with np.errstate(divide="ignore", invalid="ignore"):
            relative = np.where(base != 0, absolute / np.where(base != 0, base, 1.0), np.nan)
        return Change(absolute=absolute, relative=relative)

    def to_records(self) -> list[dict[str, Any]]:
        """Tidy rows: one per organisation index and period (organisation index as a tuple)."""
        rows = []
        for idx in np.ndindex(*self.shape):
            for i, p in enumerate(self.periods):
                rows.append(
                    {
                        "organisation": idx if idx else None,
                        "period": str(p),
                        "baseline": float(self.baseline[idx]),
                        "target": float(self.values[(*idx, i)]),
                    }
                )
        return rows

    def to_frame(self) -> Any:
        """A pandas DataFrame, organisations as rows and periods as columns (extra ``pandas``)."""
        from outcomes.io import require_pandas

        pd = require_pandas()
        values = self.values.reshape(-1, len(self.periods))
        frame = pd.DataFrame(values, columns=[str(p) for p in self.periods])
        frame.insert(0, "baseline", self.baseline.reshape(-1))
        frame.insert(0, "baseline period", str(self.start))
        return frame

    def __str__(self) -> str:
        from outcomes.io import format_table

        header = ["", f"baseline ({self.start})", *(str(p) for p in self.periods)]
        rows = []
        flat_base = self.baseline.reshape(-1)
        flat = self.values.reshape(-1, len(self.periods))
        for i in range(min(flat.shape[0], 20)):
            rows.append(
                [str(i) if self.shape else "", f"{flat_base[i]:g}"] + [f"{v:.6g}" for v in flat[i]]
            )
        note = f"\n... {flat.shape[0] - 20} more rows" if flat.shape[0] > 20 else ""
        return (
            f"{self.measure or 'trajectory'}: {self.rule.describe()}\n"
            + format_table(header, rows)
            + note
        )

    def __repr__(self) -> str:
        return (
            f"Trajectory(rule={self.rule.describe()!s}, shape={self.shape}, "
            f"periods={[str(p) for p in self.periods]})"
        )


def framework_error(path: str, errors: list[dict[str, Any]], raw: Any) -> FrameworkError:
    """Format every pydantic error of a framework file with its location."""
    problems = []
    for err in errors:
        loc: list[str] = []
        node = raw
        parts = list(err["loc"])
        if parts and isinstance(raw, dict) and parts[0] == raw.get("kind"):
            parts = parts[1:]  # the discriminator tag is not a key of the file
        for part in parts:
            if isinstance(part, int):
                label = None
                if (
                    isinstance(node, list)
                    and 0 <= part < len(node)
                    and isinstance(node[part], dict)
                ):
                    item = node[part]
                    label = item.get("code") or item.get("id") or item.get("number")
                loc.append(f"[{part}]" + (f"({label})" if label is not None else ""))
                node = node[part] if isinstance(node, list) and part < len(node) else None
            else:
                loc.append(f".{part}" if loc else str(part))
                node = node.get(part) if isinstance(node, dict) else None
        where = "".join(loc) or "(file)"
        got = err.get("input")
        shown = "" if isinstance(got, dict | list) else f" (got {got!r})"
        problems.append(f"{path}: {where}: {err['msg']}{shown}")
    return FrameworkError(
        f"{len(problems)} problem(s) in {path}:\n  " + "\n  ".join(problems), tuple(problems)
    )
