"""Plan files: an organisation and, per measure, its baseline, rule, periods and rounding.

A plan file is TOML, validated by pydantic; every problem is reported with its key path
(``measures.pyll.rule.rate: must be > -1, got -1.5``), all at once, and nothing runs until the
whole file is valid. See ``examples/`` and ``docs/plan-files.md`` (generated from the schema).
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from outcomes._fields import PolarityField
from outcomes.errors import InputError, OutcomesError
from outcomes.models import Trajectory
from outcomes.periods import FinancialYear, Period

__all__ = ["Plan", "load_plan", "parse_plan", "run_plan"]


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def _rate(value: float) -> float:
    if not value > -1:
        raise ValueError(f"must be > -1 (a fall of less than 100%), got {value!r}")
    return value


Profile = str | list[float]
Indexing = Literal["elapsed", "plan-year"]


class PercentageChangeRule(_Strict):
    name: Literal["percentage_change"]
    rate: float
    compound: bool = True
    indexing: Indexing = "elapsed"

    @field_validator("rate")
    @classmethod
    def _rate_above_minus_one(cls, value: float) -> float:
        return _rate(value)


class ToTargetRule(_Strict):
    name: Literal["to_target"]
    target: float = Field(ge=0)
    profile: Profile = "linear"
    indexing: Indexing = "elapsed"


class QuantileStepRule(_Strict):
    name: Literal["quantile_step"]
    peers: list[float] | None = None
    quantiles: int = Field(default=4, ge=2)
    steps: int = Field(default=1, ge=1)
    aim: Literal["boundary", "middle"] = "boundary"
    profile: Profile = "linear"
    method: str = "fingertips"
    indexing: Indexing = "elapsed"


class ReachNationalRule(_Strict):
    name: Literal["reach_national"]
    national: float = Field(ge=0)
    profile: Profile = "linear"
    indexing: Indexing = "elapsed"


class NationalOrQuantileRule(_Strict):
    name: Literal["national_or_quantile"]
    national: float = Field(ge=0)
    peers: list[float] | None = None
    quantiles: int = Field(default=4, ge=2)
    steps: int = Field(default=1, ge=1)
    profile: Profile = "linear"
    indexing: Indexing = "elapsed"


class HoldRule(_Strict):
    name: Literal["hold"]


PlanRule = Annotated[
    PercentageChangeRule
    | ToTargetRule
    | QuantileStepRule
    | ReachNationalRule
    | NationalOrQuantileRule
    | HoldRule,
    Field(discriminator="name"),
]


class Baseline(_Strict):
    value: float = Field(ge=0)
    period: Period
    count: float | None = Field(default=None, ge=0)
    denominator: float | None = Field(default=None, gt=0)


class MeasurePlan(_Strict):
    """One measure of a plan: what it is, where it starts and the rule that sets its targets."""

    name: str | None = None
    ambition: int | None = Field(default=None, ge=1, le=7)
    indicator: str | None = None
    bcf_metric: str | None = None
    quality_premium: str | None = None
    unit: str | None = None
    polarity: PolarityField | None = None
    baseline: Baseline
    rule: PlanRule
    end: FinancialYear | None = None
    periods: list[Period] | None = None
    ndigits: int = Field(default=1, ge=0, le=6)
    national: float | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _knows_its_direction(self) -> MeasurePlan:
        if (
            self.polarity is None
            and self.ambition is None
            and self.indicator is None
            and (self.bcf_metric is None)
        ):
            raise ValueError(
                "give polarity, or an ambition / indicator / bcf_metric to take it from"
            )
        return self


class Organisation(_Strict):
    code: str
    name: str
    population: float = Field(ge=0)
    footprint: Literal["ccg", "hwb", "icb", "other"] = "ccg"
    illustrative: bool = False


class PremiumPlan(_Strict):
    scheme: str = "quality-premium-2014-15"
    achieved: dict[str, bool | float] = Field(default_factory=dict)
    constitution_missed: list[str] = Field(default_factory=list)
    quality_failure: bool = False
    financial_deficit: bool = False


class Plan(_Strict):
    """A whole plan file."""

    organisation: Organisation
    first: FinancialYear | None = None
    end: FinancialYear = Field(default_factory=lambda: FinancialYear(2018))
    measures: dict[str, MeasurePlan]
    quality_premium: PremiumPlan | None = None
    note: str | None = None


def _location(loc: tuple[Any, ...], raw: Any) -> str:
    parts: list[str] = []
    node = raw
    for item in loc:
        if isinstance(node, dict) and item not in node and parts and parts[-1] == "rule":
            continue  # the rule's discriminator tag is not a key of the file
        parts.append(f"[{item}]" if isinstance(item, int) else str(item))
        node = (
            node.get(item)
            if isinstance(node, dict)
            else (
                node[item]
                if isinstance(node, list) and isinstance(item, int) and item < len(node)
                else None
            )
        )
    return ".".join(parts).replace(".[", "[")


def parse_plan(text: str, *, source: str = "<plan>") -> Plan:
    """Validate a plan given as TOML text; raise :class:`InputError` listing every problem."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InputError(f"{source}: not valid TOML: {error}", (f"{source}: {error}",)) from None
    try:
        plan = Plan.model_validate(raw)
    except ValidationError as error:
        problems = []
        for err in error.errors():
            msg = str(err["msg"]).removeprefix("Value error, ")
            got = err.get("input")
            shown = "" if isinstance(got, dict | list) or "got" in msg else f", got {got!r}"
            problems.append(f"{_location(tuple(err['loc']), raw)}: {msg}{shown}")
        raise InputError(
            f"{len(problems)} problem(s) in {source}:\n  " + "\n  ".join(problems),
            tuple(problems),
        ) from None
    _check_catalogue(plan, source)
    return plan


def load_plan(path: str | Path) -> Plan:
    """Read and validate a plan file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise InputError(f"{path}: cannot read plan file: {error.strerror}") from None
    return parse_plan(text, source=str(path))


def _check_catalogue(plan: Plan, source: str) -> None:
    from outcomes import frameworks

    problems = []
    amb = frameworks.load("ambitions-2014-19")
    nhsof = frameworks.load("nhsof-2014-15")
    bcf = frameworks.load("bcf-2015-16")
    for key, m in plan.measures.items():
        for field, lookup in (("indicator", nhsof.indicator), ("bcf_metric", bcf.metric)):  # type: ignore[union-attr]
            value = getattr(m, field)
            if value is not None:
                try:
                    lookup(value)
                except OutcomesError as error:
                    problems.append(f"measures.{key}.{field}: {error}")
        if m.ambition is not None and amb.ambition(m.ambition).measure.level == "none":  # type: ignore[union-attr]
            problems.append(
                f"measures.{key}.ambition: ambition {m.ambition} has no measure to plan"
            )
    if plan.quality_premium is not None:
        try:
            qp = frameworks.load(plan.quality_premium.scheme)
            for m in plan.measures.values():
                if m.quality_premium is not None:
                    qp.measure(m.quality_premium)  # type: ignore[union-attr]
        except OutcomesError as error:
            problems.append(f"quality_premium: {error}")
    if problems:
        raise InputError(
            f"{len(problems)} problem(s) in {source}:\n  " + "\n  ".join(problems), tuple(problems)
        )


def describe_measure(m: MeasurePlan) -> tuple[str, Any, str | None]:
    """(name, polarity, unit) of a measure, from the plan or the catalogue."""
    from outcomes import frameworks

    name, polarity, unit = m.name, m.polarity, m.unit
    if m.ambition is not None:
        a = frameworks.load("ambitions-2014-19").ambition(m.ambition)  # type: ignore[union-attr]
        name, polarity, unit = (
            name or f"Ambition {a.number}: {a.measure.name}",
            polarity or (a.polarity),
            unit or a.measure.unit,
        )
    elif m.indicator is not None:
        ind = frameworks.load("nhsof-2014-15").indicator(m.indicator)  # type: ignore[union-attr]
        name, polarity, unit = (
            name or f"{ind.code} {ind.name}",
            polarity or ind.polarity,
            (unit or ind.unit),
        )
    elif m.bcf_metric is not None:
        met = frameworks.load("bcf-2015-16").metric(m.bcf_metric)  # type: ignore[union-attr]
        name, polarity, unit = name or met.name, polarity or met.polarity, unit or met.unit
    return name or "measure", polarity, unit


# The positional arguments of each rule after the baseline, in order.
_RULE_ARGUMENTS: dict[str, tuple[str, ...]] = {
    "percentage_change": ("rate",),
    "to_target": ("target",),
    "hold": (),
    "reach_national": ("national",),
    "quantile_step": ("peers",),
    "national_or_quantile": ("peers", "national"),
}


def run_plan(plan: Plan, *, peers: dict[str, Any] | None = None) -> dict[str, Trajectory]:
    """Generate every measure's trajectory. ``peers`` (measure key -> values) fills quantile
    rules whose peers are not in the file (e.g. read from a Fingertips export)."""
    from outcomes import trajectories as tr

    out: dict[str, Trajectory] = {}
    for key, m in plan.measures.items():
        name, polarity, unit = describe_measure(m)
        end = m.end or plan.end
        periods: Any = m.periods
        if periods is None and plan.first is not None:
            periods = [FinancialYear(y) for y in range(plan.first.year, end.year + 1)]
        parameters = m.rule.model_dump(exclude={"name"})
        if "peers" in parameters:
            if parameters["peers"] is None and peers is not None and key in peers:
                parameters["peers"] = peers[key]
            if parameters["peers"] is None:
                raise InputError(
                    f"measures.{key}.rule.peers: a quantile rule needs peer values "
                    "(in the file or from --peers)"
                )
            parameters["peers"] = np.asarray(parameters["peers"], dtype=float)
        arguments = [parameters.pop(a) for a in _RULE_ARGUMENTS[m.rule.name]]
        rule = getattr(tr, m.rule.name)
        out[key] = rule(
            m.baseline.value,
            *arguments,
            start=m.baseline.period,
            end=end,
            periods=periods,
            polarity=polarity,
            unit=unit,
            measure=name,
            **parameters,
        )
    return out
