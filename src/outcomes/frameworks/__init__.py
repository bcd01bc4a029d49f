"""The framework catalogue: one data file per framework edition, validated on load.

Adding an edition is adding a file here (or loading your own with :func:`load_file`); no code
changes. Every fact in a file carries a ``status`` (confirmed / partly / unconfirmed) and the
source keys it rests on, so users see which parameters are not confirmed.

>>> from outcomes import frameworks
>>> frameworks.available()
('ambitions-2014-19', 'bcf-2015-16', 'nhsof-2014-15', 'quality-premium-2014-15', 'quality-premium-2015-16')
>>> qp = frameworks.load("quality-premium-2014-15")
>>> qp.measure("emergency-admissions").weight
0.25
>>> frameworks.load("nhsof-2014-16")
Traceback (most recent call last):
...
outcomes.errors.UnknownCodeError: unknown framework 'nhsof-2014-16'; did you mean 'nhsof-2014-15'?
"""

from __future__ import annotations

import functools
import tomllib
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Union

from outcomes.errors import FrameworkError, UnknownCodeError

if TYPE_CHECKING:
    from outcomes.models import (
        AmbitionsFramework,
        BCFFramework,
        NHSOutcomesFramework,
        QualityPremiumScheme,
    )

    Framework = Union[  # noqa: UP007 - a runtime alias used in annotations
        NHSOutcomesFramework, AmbitionsFramework, BCFFramework, QualityPremiumScheme
    ]

__all__ = ["available", "load", "load_file", "parse"]

_SUFFIX = ".toml"


def available() -> tuple[str, ...]:
    """Ids of the framework editions shipped with the library, sorted."""
    folder = resources.files(__name__)
    return tuple(
        sorted(
            entry.name[: -len(_SUFFIX)]
            for entry in folder.iterdir()
            if entry.name.endswith(_SUFFIX)
        )
    )


@functools.cache
def load(framework_id: str) -> Framework:
    """Load a shipped framework edition by id (validated once, then cached)."""
    known = available()
    if framework_id not in known:
        raise UnknownCodeError("framework", framework_id, known)
    entry = resources.files(__name__).joinpath(framework_id + _SUFFIX)
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
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise FrameworkError(f"{path}: cannot read framework file: {error.strerror}") from None
    return parse(text, source=str(path), json=path.suffix.lower() == ".json")


def parse(text: str, *, source: str = "<string>", json: bool = False) -> Framework:
    """Validate framework data given as TOML (default) or JSON text."""
    from pydantic import ValidationError

    from outcomes.models import framework_error

    try:
        if json:
            import json as _json

            raw: Any = _json.loads(text)
        else:
            raw = tomllib.loads(text)
    except ValueError as error:  # TOMLDecodeError and JSONDecodeError are ValueErrors
        raise FrameworkError(f"{source}: not valid {'JSON' if json else 'TOML'}: {error}") from None
    if not isinstance(raw, dict) or "kind" not in raw:
        raise FrameworkError(
            f"{source}: kind: missing; must be one of 'nhsof', 'ambitions', 'bcf', "
            f"'quality-premium'",
            (f"{source}: kind: missing",),
        )
    try:
        framework: Framework = _adapter().validate_python(raw)
    except ValidationError as error:
        raise framework_error(source, [dict(e) for e in error.errors()], raw) from None
    _check_references(framework, source)
    return framework


@functools.lru_cache(maxsize=1)
def _adapter() -> Any:
    from typing import Annotated

    from pydantic import Field, TypeAdapter

    from outcomes.models import (
        AmbitionsFramework,
        BCFFramework,
        NHSOutcomesFramework,
        QualityPremiumScheme,
    )

    union = Union[  # noqa: UP007
        NHSOutcomesFramework, AmbitionsFramework, BCFFramework, QualityPremiumScheme
    ]
    return TypeAdapter(Annotated[union, Field(discriminator="kind")])


def _check_references(framework: Any, source: str) -> None:
    """Indicator codes cited by ambitions and QP measures must exist in the NHSOF edition."""
    from outcomes.models import AmbitionsFramework, QualityPremiumScheme

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
    if problems:
        raise FrameworkError(
            f"{len(problems)} problem(s) in {source}:\n  " + "\n  ".join(problems),
            tuple(problems),
        )


def _referenced(framework_id: str, source: str, field: str) -> NHSOutcomesFramework:
    from outcomes.models import NHSOutcomesFramework

    try:
        framework = load(framework_id)
    except UnknownCodeError as error:
        raise FrameworkError(f"{source}: {field}: {error}") from None
    if not isinstance(framework, NHSOutcomesFramework):
        raise FrameworkError(f"{source}: {field}: {framework_id!r} is not an NHSOF edition")
    return framework
