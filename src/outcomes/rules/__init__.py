"""The rule registry: every trajectory rule, declared once as a :class:`RuleSpec`.

A rule is a vectorised function (baseline and parameters in, :class:`~outcomes.Trajectory`
out) declared beside its function with its parameter model, the closed-form inverses the audit
fits, the invariants it promises and examples for property tests. Plan files, the strategies of
:mod:`outcomes.testing`, the audit, the CLI's help and the docs' rule table are all generated
from this registry, so adding a rule is adding one function and its ``RuleSpec`` to a family
module (``change``, ``paths``, ``peers``, ``record``), plus its tests.

>>> from outcomes import rules
>>> rules.names()
('percentage_change', 'hold', 'two_phase', 'to_target', 'reach_national', 'quantile_step', 'national_or_quantile', 'peer_achieved')
>>> spec = rules.get("percentage_change")
>>> spec.parameters(rate=-0.032).rate
-0.032
>>> rules.get("percentage_chnage")
Traceback (most recent call last):
...
outcomes.errors.UnknownCodeError: unknown rule 'percentage_chnage'; did you mean 'percentage_change'?
"""

from __future__ import annotations

import functools
from types import MappingProxyType
from typing import Annotated, Any, Union

from pydantic import Field

from outcomes.errors import UnknownCodeError
from outcomes.rules import change, paths, peers, record
from outcomes.rules._engine import PROFILES, cumulative_share
from outcomes.rules._spec import (
    ALL_INVARIANTS,
    COMMON_ARGUMENTS,
    INVARIANTS,
    AuditForm,
    Invariant,
    RuleParameters,
    RuleSpec,
)
from outcomes.rules.change import hold, percentage_change, two_phase
from outcomes.rules.combine import check_compatible, composite, phase
from outcomes.rules.paths import reach_national, to_target
from outcomes.rules.peers import national_or_quantile, quantile_step
from outcomes.rules.record import peer_achieved

__all__ = [
    "ALL_INVARIANTS",
    "COMMON_ARGUMENTS",
    "INVARIANTS",
    "PROFILES",
    "REGISTRY",
    "AuditForm",
    "Invariant",
    "RuleParameters",
    "RuleSpec",
    "check_compatible",
    "composite",
    "cumulative_share",
    "get",
    "hold",
    "names",
    "national_or_quantile",
    "peer_achieved",
    "percentage_change",
    "phase",
    "plan_rule_type",
    "quantile_step",
    "reach_national",
    "specs",
    "to_target",
    "two_phase",
]

#: Every registered rule by name, in the order the families declare them.
REGISTRY: MappingProxyType[str, RuleSpec] = MappingProxyType(
    {spec.name: spec for family in (change, paths, peers, record) for spec in family.RULES}
)


def names() -> tuple[str, ...]:
    """The names of the registered rules."""
    return tuple(REGISTRY)


def specs() -> tuple[RuleSpec, ...]:
    """Every registered :class:`RuleSpec`."""
    return tuple(REGISTRY.values())


def get(name: str) -> RuleSpec:
    """The :class:`RuleSpec` of a rule; an unknown name lists the close matches."""
    try:
        return REGISTRY[name]
    except (KeyError, TypeError):
        raise UnknownCodeError("rule", name, REGISTRY) from None


@functools.cache
def plan_rule_type() -> Any:
    """The type of ``rule = {...}`` in a plan file: the registry's parameter models, told apart by
    their ``name``."""
    models = tuple(spec.plan_model for spec in REGISTRY.values())
    return Annotated[Union[models], Field(discriminator="name")]  # noqa: UP007
