"""Plan files: the organisations, and per measure its baseline, rule, periods and rounding.

A plan file is TOML, validated by pydantic; every problem is reported with its key path
(``measures.pyll.rule.rate: must be > -1, got -1.5``), all at once, and nothing runs until the
whole file is valid. A rule's parameters are validated against the rule registry
(:mod:`outcomes.rules`), so every parameter a rule function takes, a plan file can set.

A plan is for one organisation (an ``[organisation]`` table and a ``baseline`` per measure) or
for many (``baselines = "baselines.csv"``: one row per organisation and measure).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    model_validator,
)

from outcomes._fields import PolarityField
from outcomes._files import TOO_DEEP, deep_line, load_toml, read_text
from outcomes._format import key_path, problem_report
from outcomes.catalogue import (
    AmbitionsFramework,
    BCFFramework,
    NHSOutcomesFramework,
    QualityPremiumScheme,
    find_objective,
    load,
)
from outcomes.errors import InputError, OutcomesError
from outcomes.periods import Period
from outcomes.polarity import Polarity
from outcomes.rules import get, plan_rule_type
from outcomes.units import UNITS, check_counts, check_values, unit

__all__ = [
    "Baseline",
    "HistorySelection",
    "MeasurePlan",
    "Organisation",
    "PeerSelection",
    "Plan",
    "PremiumPlan",
    "describe_measure",
    "load_plan",
    "parse_plan",
]


#: The BCF edition a plan's ``bcf_metric`` ids are read in unless it names another.
DEFAULT_BCF_EDITION = "bcf-2015-16"


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)


class Baseline(_Strict):
    """Where one organisation starts on a measure."""

    value: float = Field(ge=0, allow_inf_nan=False)
    period: Period
    count: float | None = Field(default=None, ge=0, allow_inf_nan=False)
    denominator: float | None = Field(default=None, gt=0, allow_inf_nan=False)


class PeerSelection(_Strict):
    """Which peer set a quantile rule compares with: one indicator, period, area type, sex and
    age of a Fingertips export (the plan's ``[peers] file``, or ``--peers FILE``)."""

    file: str | None = None
    indicator: int | None = None
    period: str | None = None
    area_type: str | None = None
    sex: str | None = None
    age: str | None = None


class HistorySelection(_Strict):
    """Where a measure's record comes from (its realism, and a ``peer_achieved`` rule's
    history): a Fingertips export selected by indicator, area type, sex and age (all periods),
    or a long CSV of ``area, period, value[, lower, upper, name]`` (the plan's ``[history]``,
    a measure's ``history = {...}``, or ``--history FILE``)."""

    file: str | None = None
    indicator: int | None = None
    area_type: str | None = None
    sex: str | None = None
    age: str | None = None
    areas: list[str] | None = Field(
        default=None, min_length=1, description="keep only these area codes (the peers)"
    )
    columns: dict[Literal["area", "period", "value", "lower", "upper", "name"], str] | None = Field(
        default=None, description="a long CSV's own column names"
    )
    kind: Literal["relative", "absolute"] | None = None
    confidence: float | None = Field(default=None, gt=0, lt=1)
    area_word: str | None = Field(
        default=None, min_length=1, description="what the areas are called ('CCG')"
    )


class MeasurePlan(_Strict):
    """One measure of a plan: what it is, where it starts and the rule that sets its targets."""

    name: str | None = None
    ambition: int | None = Field(default=None, ge=1, le=7)
    indicator: str | None = None
    bcf_metric: str | None = None
    bcf_edition: str | None = Field(
        default=None,
        description="the BCF edition bcf_metric is from (default: the plan's, else bcf-2015-16)",
    )
    quality_premium: str | None = None
    unit: str | None = None
    polarity: PolarityField | None = None
    baseline: Baseline | None = None
    rule: plan_rule_type()  # type: ignore[valid-type]
    end: Period | None = None
    periods: list[Period] | None = None
    ndigits: int = Field(default=1, ge=0, le=6)
    national: float | None = Field(default=None, ge=0, allow_inf_nan=False)
    tolerance: float = Field(default=0.0, ge=0, allow_inf_nan=False)
    tolerance_kind: Literal["absolute", "relative"] = "absolute"
    amber_progress: float | None = Field(default=None, ge=0, le=1)
    peers: PeerSelection | None = None
    history: HistorySelection | None = None

    @property
    def objective(self) -> str | None:
        """The planning objective the measure's rule names (``'planning-2025-26/ae-4-hour'``)."""
        value = getattr(self.rule, "objective", None)
        return value if isinstance(value, str) else None

    @model_validator(mode="after")
    def _knows_its_direction(self) -> MeasurePlan:
        if (
            self.polarity is None
            and self.ambition is None
            and self.indicator is None
            and self.bcf_metric is None
            and self.objective is None
        ):
            raise ValueError(
                "give polarity, or an ambition / indicator / bcf_metric to take it from (or a "
                "rule that names an objective)"
            )
        if self.unit is not None and self.unit not in UNITS:
            raise ValueError(
                f"unit: unknown unit {self.unit!r}; known units: {', '.join(sorted(UNITS))}"
            )
        return self


class Organisation(_Strict):
    """The organisation of a single-organisation plan."""

    code: str = Field(min_length=1)
    name: str
    population: float = Field(ge=0, allow_inf_nan=False)
    footprint: Literal["ccg", "hwb", "icb", "trust", "other"] = "ccg"
    illustrative: bool = False


class PremiumPlan(_Strict):
    """What the quality premium needs beyond the scores: the scheme and its gateways."""

    scheme: str = "quality-premium-2014-15"
    achieved: dict[str, bool | float] = Field(default_factory=dict)
    constitution_missed: list[str] = Field(default_factory=list)
    quality_failure: bool = False
    financial_deficit: bool = False


class Plan(_Strict):
    """A whole plan file."""

    organisation: Organisation | None = None
    baselines: str | None = Field(
        default=None, description="a CSV of baselines, one row per organisation and measure"
    )
    footprint: Literal["ccg", "hwb", "icb", "trust", "other"] = "ccg"
    illustrative: bool = False
    first: Period | None = None
    end: Period = Field(default_factory=lambda: Period.parse("2018/19"))
    measures: dict[str, MeasurePlan]
    bcf_edition: str = Field(
        default=DEFAULT_BCF_EDITION,
        description="the BCF edition the plan's bcf_metric ids are from, e.g. bcf-2014-15-initial",
    )
    quality_premium: PremiumPlan | None = None
    peers: PeerSelection | None = None
    history: HistorySelection | None = None
    note: str | None = None

    _folder: Path | None = PrivateAttr(default=None)
    _source: str | None = PrivateAttr(default=None)

    @model_validator(mode="before")
    @classmethod
    def _measures_take_the_plans_bcf_edition(cls, data: object) -> object:
        # a BCF measure without its own bcf_edition is read in the plan's edition
        if not isinstance(data, dict) or not isinstance(data.get("measures"), dict):
            return data
        edition = data.get("bcf_edition")
        if not isinstance(edition, str):
            return data
        measures = {
            key: {**m, "bcf_edition": edition}
            if isinstance(m, dict) and "bcf_metric" in m and "bcf_edition" not in m
            else m
            for key, m in data["measures"].items()
        }
        return {**data, "measures": measures}

    @model_validator(mode="after")
    def _organisations(self) -> Plan:
        if self.organisation is None and self.baselines is None:
            # the baselines may come when the plan is run (a DataFrame, or --baselines FILE)
            inline = [k for k, m in self.measures.items() if m.baseline is not None]
            if inline:
                raise ValueError(
                    f"measure(s) {', '.join(inline)} give a baseline but the plan has no "
                    "[organisation] table: give one (one organisation), or baselines = "
                    "'FILE.csv' (many organisations)"
                )
        if self.organisation is not None and self.baselines is None:
            missing = [k for k, m in self.measures.items() if m.baseline is None]
            if missing:
                raise ValueError(
                    f"measure(s) {', '.join(missing)} have no baseline; give one, or a "
                    "baselines table"
                )
        if not self.measures:
            raise ValueError("a plan needs at least one measure under [measures]")
        return self

    @property
    def folder(self) -> Path | None:
        """The folder the plan file is in (relative paths in the plan are read from there)."""
        return self._folder

    @property
    def source(self) -> str | None:
        """The plan file it was read from (``None`` for a plan given as text)."""
        return self._source

    def path(self, relative: str) -> Path:
        """A path named in the plan, relative to the plan file's folder."""
        p = Path(relative)
        return p if p.is_absolute() or self._folder is None else self._folder / p

    @property
    def illustrative_plan(self) -> bool:
        """Whether the plan says its numbers are made up."""
        return self.illustrative or (
            self.organisation is not None and self.organisation.illustrative
        )


def parse_plan(text: str, *, source: str = "<plan>", folder: str | Path | None = None) -> Plan:
    """Validate a plan given as TOML text; raise :class:`InputError` listing every problem.

    >>> plan = parse_plan('''
    ... [organisation]
    ... code = "99Z"
    ... name = "Illustrative CCG"
    ... population = 250000
    ... [measures.pyll]
    ... ambition = 1
    ... baseline = { value = 2150.4, period = "2013" }
    ... rule = { name = "percentage_change", rate = -0.032 }
    ... ''')
    >>> plan.measures["pyll"].rule.rate
    -0.032
    """
    if not isinstance(text, str):
        raise InputError(f"{source}: a plan must be given as TOML text, got {type(text).__name__}")
    raw = load_toml(text, source, InputError)
    try:
        plan = Plan.model_validate(raw)
    except ValidationError as error:
        problems = []
        for err in error.errors():
            msg = str(err["msg"]).removeprefix("Value error, ")
            got = err.get("input")
            shown = "" if isinstance(got, dict | list) or "got" in msg else f", got {got!r}"
            where = key_path(tuple(err["loc"]), raw, skip_tags=_rule_tags())
            problems.append(f"{where}: {msg}{shown}")
        raise InputError(problem_report(source, problems), tuple(dict.fromkeys(problems))) from None
    except RecursionError:
        raise InputError(f"{source}: line {deep_line(text)}: {TOO_DEEP}") from None
    _check_catalogue(plan, source)
    if folder is not None:
        plan._folder = Path(folder)
    if source != "<plan>":
        plan._source = source
    return plan


def _rule_tags() -> tuple[str, ...]:
    from outcomes.rules import names

    return names()


def load_plan(path: str | Path) -> Plan:
    """Read and validate a plan file (UTF-8 or Windows-1252 text)."""
    text, _ = read_text(path, what="plan file")
    return parse_plan(text, source=str(path), folder=Path(path).parent)


def _check_catalogue(plan: Plan, source: str) -> None:
    problems = []
    amb = load("ambitions-2014-19", AmbitionsFramework)
    nhsof = load("nhsof-2014-15", NHSOutcomesFramework)
    try:
        load(plan.bcf_edition, BCFFramework)
        plan_edition_ok = True
    except OutcomesError as error:
        problems.append(f"bcf_edition: {error}")
        plan_edition_ok = False
    for key, m in plan.measures.items():
        if m.indicator is not None:
            try:
                nhsof.indicator(m.indicator)
            except OutcomesError as error:
                problems.append(f"measures.{key}.indicator: {error}")
        edition = m.bcf_edition or DEFAULT_BCF_EDITION
        if m.bcf_metric is not None and (plan_edition_ok or edition != plan.bcf_edition):
            try:
                bcf = load(edition, BCFFramework)
            except OutcomesError as error:
                problems.append(f"measures.{key}.bcf_edition: {error}")
            else:
                try:
                    bcf.metric(m.bcf_metric)
                except OutcomesError as error:
                    problems.append(f"measures.{key}.bcf_metric: {error} (in {edition})")
        if m.ambition is not None and amb.ambition(m.ambition).measure.level == "none":
            problems.append(
                f"measures.{key}.ambition: ambition {m.ambition} has no measure to plan"
            )
        if any(p.startswith(f"measures.{key}.") for p in problems) or (
            m.bcf_metric is not None and edition == plan.bcf_edition and not plan_edition_ok
        ):
            continue
        spec = get(m.rule.name)
        _, polarity, unit_id = describe_measure(m)
        if spec.needs_polarity and (polarity is None or polarity is Polarity.NO_JUDGEMENT):
            problems.append(
                f"measures.{key}.rule: {spec.name} needs a polarity ('higher' or 'lower')"
            )
        if m.baseline is not None and unit_id is not None:
            try:
                check_values(m.baseline.value, unit_id, "baseline")
            except OutcomesError as error:
                problems.append(f"measures.{key}.baseline.value: {error}")
            if m.baseline.count is not None and m.baseline.denominator is not None:
                try:
                    check_counts(m.baseline.count, m.baseline.denominator, unit_id, "baseline")
                except OutcomesError as error:
                    problems.append(f"measures.{key}.baseline.count: {error}")
    if plan.quality_premium is not None:
        try:
            qp = load(plan.quality_premium.scheme, QualityPremiumScheme)
            for m in plan.measures.values():
                if m.quality_premium is not None:
                    qp.measure(m.quality_premium)
        except OutcomesError as error:
            problems.append(f"quality_premium: {error}")
    if problems:
        raise InputError(problem_report(source, problems), tuple(problems))


def describe_measure(m: MeasurePlan) -> tuple[str, Polarity | None, str | None]:
    """(name, polarity, unit) of a measure, from the plan or the catalogue."""
    name, polarity, unit_id = m.name, m.polarity, m.unit
    if m.ambition is not None:
        a = load("ambitions-2014-19", AmbitionsFramework).ambition(m.ambition)
        name = name or f"Ambition {a.number}: {a.measure.name}"
        polarity = polarity or a.polarity
        unit_id = unit_id or a.measure.unit
    elif m.indicator is not None:
        ind = load("nhsof-2014-15", NHSOutcomesFramework).indicator(m.indicator)
        name = name or f"{ind.code} {ind.name}"
        polarity = polarity or ind.polarity
        unit_id = unit_id or ind.unit
    elif m.bcf_metric is not None:
        met = load(m.bcf_edition or DEFAULT_BCF_EDITION, BCFFramework).metric(m.bcf_metric)
        name, polarity, unit_id = name or met.name, polarity or met.polarity, unit_id or met.unit
    elif m.objective is not None:
        # the rule's objective names the measure: its metric's name, unit and direction
        obj = find_objective(m.objective)
        name, polarity, unit_id = name or obj.name, polarity or obj.polarity, unit_id or obj.unit
    if unit_id is not None:
        unit(unit_id)
    return name or "measure", polarity, unit_id
