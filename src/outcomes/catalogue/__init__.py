"""The framework catalogue: one data file per framework edition, validated on load.

Adding an edition is adding a file to ``catalogue/data/`` (or loading your own with
:func:`load_file`); no code changes. Every fact in a file carries a ``status`` (confirmed /
partly / unconfirmed) and the source keys it rests on, so users see which parameters are not
confirmed. The schema of each kind of edition is in :mod:`outcomes.catalogue.models`.

:func:`load` returns the edition; pass the expected model as ``kind`` to get that precise type
(and a clear error if the id names another kind of edition).

>>> from outcomes import catalogue
>>> catalogue.available()[:5]
('ambitions-2014-19', 'bcf-2014-15-initial', 'bcf-2015-16', 'bcf-2023-25', 'bcf-2025-26')
>>> qp = catalogue.load("quality-premium-2014-15", catalogue.QualityPremiumScheme)
>>> qp.measure("emergency-admissions").weight
0.25
>>> catalogue.load("nhsof-2014-16")
Traceback (most recent call last):
...
outcomes.errors.UnknownCodeError: unknown framework 'nhsof-2014-16'; did you mean 'nhsof-2014-15'?
"""

from __future__ import annotations

import functools
import json as _json
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, TypeVar, overload

from pydantic import Field, TypeAdapter, ValidationError

from outcomes._files import TOO_DEEP, deep_line, load_toml, read_text
from outcomes._format import problem_report
from outcomes.catalogue.current import (
    BCFEdition,
    Fact,
    Objective,
    OversightFramework,
    OversightMetric,
    PlanningGuidance,
    QOFFramework,
    Standard,
)
from outcomes.catalogue.models import (
    Ambition,
    AmbitionMeasure,
    AmbitionsFramework,
    BCFFramework,
    BCFMetric,
    BCFPaymentRule,
    CCGOISMapping,
    CodeChange,
    ConstitutionStandard,
    Domain,
    EditionDate,
    Entry,
    Gateway,
    Indicator,
    IndicatorGroup,
    NHSOutcomesFramework,
    Parameter,
    QualityPremiumMeasure,
    QualityPremiumScheme,
    Status,
    SupplementaryMeasure,
    Wording,
    framework_error,
)
from outcomes.errors import FrameworkError, UnknownCodeError

__all__ = [
    "Ambition",
    "AmbitionMeasure",
    "AmbitionsFramework",
    "BCFEdition",
    "BCFFramework",
    "BCFMetric",
    "BCFPaymentRule",
    "CCGOISMapping",
    "CodeChange",
    "ConstitutionStandard",
    "Domain",
    "EditionDate",
    "Entry",
    "Fact",
    "Framework",
    "Gateway",
    "Indicator",
    "IndicatorGroup",
    "NHSOutcomesFramework",
    "Objective",
    "OversightFramework",
    "OversightMetric",
    "Parameter",
    "PlanningGuidance",
    "QOFFramework",
    "QualityPremiumMeasure",
    "QualityPremiumScheme",
    "Standard",
    "Status",
    "SupplementaryMeasure",
    "Wording",
    "available",
    "find_objective",
    "load",
    "load_file",
    "parse",
]

#: Any edition of the catalogue.
Framework = (
    NHSOutcomesFramework
    | AmbitionsFramework
    | BCFFramework
    | QualityPremiumScheme
    | PlanningGuidance
    | OversightFramework
    | QOFFramework
)
#: What the loader validates against, told apart by ``kind`` (BCF editions may span two years).
_EDITIONS = (
    NHSOutcomesFramework
    | AmbitionsFramework
    | BCFEdition
    | QualityPremiumScheme
    | PlanningGuidance
    | OversightFramework
    | QOFFramework
)

_SUFFIX = ".toml"
_DATA = "outcomes.catalogue.data"
F = TypeVar("F", bound=Framework)
KINDS = ("nhsof", "ambitions", "bcf", "quality-premium", "planning", "oversight", "qof")


def available() -> tuple[str, ...]:
    """Ids of the framework editions shipped with the library, sorted."""
    return tuple(
        sorted(
            entry.name[: -len(_SUFFIX)]
            for entry in resources.files(_DATA).iterdir()
            if entry.name.endswith(_SUFFIX)
        )
    )


@overload
def load(framework_id: str) -> Framework: ...
@overload
def load(framework_id: str, kind: type[F]) -> F: ...
def load(framework_id: str, kind: type[F] | None = None) -> Framework:
    """Load a shipped framework edition by id (validated once, then cached).

    With ``kind`` (a model class such as :class:`NHSOutcomesFramework`), the edition must be of
    that kind, and type checkers know the precise type of the result.
    """
    if not isinstance(framework_id, str):
        raise UnknownCodeError("framework", framework_id, available())
    framework = _load(framework_id)
    if kind is not None and not isinstance(framework, kind):
        raise FrameworkError(
            f"{framework_id!r} is a {framework.kind!r} edition, not a {kind.__name__}"
        )
    return framework


@functools.cache
def _load(framework_id: str) -> Framework:
    known = available()
    if framework_id not in known:
        raise UnknownCodeError("framework", framework_id, known)
    entry = resources.files(_DATA).joinpath(framework_id + _SUFFIX)
    framework = parse(entry.read_text(encoding="utf-8"), source=f"{framework_id}{_SUFFIX}")
    if framework.id != framework_id:
        raise FrameworkError(
            f"{framework_id}{_SUFFIX}: id must match the file name, got {framework.id!r}"
        )
    return framework


def load_file(path: str | Path) -> Framework:
    """Load and validate a user's own framework file (TOML or JSON).

    Every problem is reported at once, each with its file and key path.
    """
    text, _ = read_text(path, what="framework file", error=FrameworkError)
    return parse(text, source=str(path), json=Path(path).suffix.lower() == ".json")


def parse(text: str, *, source: str = "<string>", json: bool = False) -> Framework:
    """Validate framework data given as TOML (default) or JSON text; every problem is reported
    with its line (syntax) or key path (content)."""
    if not isinstance(text, str):
        raise FrameworkError(f"{source}: framework data must be text, got {type(text).__name__}")
    if not json:
        raw: Any = load_toml(text, source, FrameworkError)
    else:
        try:
            raw = _json.loads(text)
        except ValueError as error:  # the message names the line and column
            raise FrameworkError(f"{source}: not valid JSON: {error}") from None
        except RecursionError:
            raise FrameworkError(f"{source}: line {deep_line(text)}: {TOO_DEEP}") from None
    if not isinstance(raw, dict) or "kind" not in raw:
        raise FrameworkError(
            f"{source}: kind: missing; must be one of {', '.join(repr(k) for k in KINDS)}",
            (f"{source}: kind: missing",),
        )
    try:
        framework: Framework = _adapter().validate_python(raw)
    except ValidationError as error:
        raise framework_error(source, [dict(e) for e in error.errors()], raw) from None
    except RecursionError:
        raise FrameworkError(f"{source}: line {deep_line(text)}: {TOO_DEEP}") from None
    _check_references(framework, source)
    return framework


@functools.cache
def _adapter() -> TypeAdapter[Framework]:
    adapter: TypeAdapter[Framework] = TypeAdapter(Annotated[_EDITIONS, Field(discriminator="kind")])
    return adapter


def _check_references(framework: Framework, source: str) -> None:
    """Indicator codes cited by ambitions and QP measures must exist in the NHSOF edition; a BCF
    edition's ``superseded_by`` must name a BCF edition."""
    problems: list[str] = []
    if isinstance(framework, AmbitionsFramework):
        nhsof = _referenced(framework.outcomes_framework, source, "outcomes_framework")
        for amb in framework.ambitions:
            for code in amb.measure.indicators:
                try:
                    nhsof.indicator(code)
                except UnknownCodeError as error:
                    problems.append(
                        f"{source}: ambitions[{amb.number}].measure.indicators: {error}"
                    )
    elif isinstance(framework, QualityPremiumScheme):
        for measure in framework.measures:
            if measure.indicator is not None:
                nhsof = _referenced("nhsof-2014-15", source, "indicator")
                try:
                    nhsof.indicator(measure.indicator)
                except UnknownCodeError as error:
                    problems.append(f"{source}: measures[{measure.id}].indicator: {error}")
    elif isinstance(framework, BCFFramework) and framework.superseded_by is not None:
        try:
            load(framework.superseded_by, BCFFramework)
        except (UnknownCodeError, FrameworkError) as error:
            problems.append(f"{source}: superseded_by: {error}")
    if problems:
        raise FrameworkError(problem_report(source, problems), tuple(problems))


def _referenced(framework_id: str, source: str, field: str) -> NHSOutcomesFramework:
    try:
        return load(framework_id, NHSOutcomesFramework)
    except (UnknownCodeError, FrameworkError) as error:
        raise FrameworkError(f"{source}: {field}: {error}") from None


def find_objective(reference: str) -> Objective:
    """The objective named ``'<planning edition>/<objective code>'``, as a plan file names it.

    >>> find_objective("planning-2025-26/ae-4-hour").target.value
    78.0
    >>> find_objective("planning-2025-26/ae-4-hours")
    Traceback (most recent call last):
    ...
    outcomes.errors.UnknownCodeError: unknown planning objective 'ae-4-hours'; did you mean 'ae-4-hour'?
    """
    edition, slash, code = str(reference).partition("/")
    if not slash or not edition or not code:
        raise UnknownCodeError(
            "objective reference (expected '<planning edition>/<code>', e.g. "
            "'planning-2025-26/ae-4-hour')",
            reference,
            (),
        )
    guidance = load(edition.strip())
    if not isinstance(guidance, PlanningGuidance):
        raise UnknownCodeError(
            f"planning edition ({edition!r} is a {guidance.kind!r} edition)",
            edition,
            [f for f in available() if f.startswith("planning-")],
        )
    return guidance.objective(code.strip())
