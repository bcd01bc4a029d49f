"""The rule registry: every trajectory rule, declared once as a :class:`RuleSpec`.

A rule is a vectorised function (baseline and parameters in, :class:`~outcomes.Trajectory`
out) declared beside its function with its parameter model, the closed-form inverses the audit
fits, the invariants it promises and examples for property tests. Plan files, the strategies of
:mod:`outcomes.testing`, the audit, the CLI's help and the docs' rule table are all generated
from this registry, so adding a rule is adding one function and its ``RuleSpec`` to a family
module (``change``, ``paths``, ``peers``, ``record``, ``objectives``), plus its tests.

>>> from outcomes import rules
>>> rules.names()
('percentage_change', 'hold', 'two_phase', 'to_target', 'reach_national', 'quantile_step', 'national_or_quantile', 'peer_achieved', 'reach_objective')
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
from outcomes.rules import change, objectives, paths, peers, record
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
from outcomes.rules.objectives import reach_objective
from outcomes.rules.paths import reach_national, to_target
from outcomes.rules.peers import national_or_quantile, quantile_step
from outcomes.rules.record import peer_achieved
from outcomes.trajectory import Trajectory

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
    "describe_rule",
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
    "reach_objective",
    "specs",
    "to_target",
    "two_phase",
]

#: Every registered rule by name, in the order the families declare them.
REGISTRY: MappingProxyType[str, RuleSpec] = MappingProxyType(
    {
        spec.name: spec
        for family in (change, paths, peers, record, objectives)
        for spec in family.RULES
    }
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


def describe_rule(trajectory: Trajectory) -> str:
    """The rule that made a trajectory, in plain English, from its recorded name and parameters.

    Parameters
    ----------
    trajectory : Trajectory
        Any trajectory; an unknown rule is given by its name and parameters.

    Returns
    -------
    str
        One sentence without a full stop, e.g. for the report's "the rule in words". Each
        registered rule declares its own sentence (:attr:`RuleSpec.describe`).

    Examples
    --------
    >>> from outcomes import hold, percentage_change, quantile_step, reach_national, to_target
    >>> describe_rule(percentage_change(2150.4, -0.032, start="2013", end="2018/19"))
    'a 3.2% fall a year, compounded, from the 2013 baseline to 2018/19'
    >>> describe_rule(to_target(702.5, 667.4, start="2013/14", end="2015/16", unit="per_100000"))
    'reach 667.4 per 100,000 population by 2015/16 from the 2013/14 baseline, in equal steps'
    >>> describe_rule(reach_national(78.4, 82.1, polarity="higher", start="2013/14", end="2018/19",
    ...                              unit="percent"))  # doctest: +NORMALIZE_WHITESPACE
    'where the 2013/14 baseline is worse than the national value of 82.1%, reach it by 2018/19,
    in equal steps; otherwise hold the baseline'
    >>> print(describe_rule(quantile_step(2410.0, [1650, 1800, 1930, 2050, 2180, 2330, 2510, 2640],
    ...                                   polarity="lower", start="2012/13", end="2018/19",
    ...                                   profile="front-loaded")))  # doctest: +NORMALIZE_WHITESPACE
    move one quartile better among peers by 2018/19, to the near edge of the better quartile,
    with most of the change early (front-loaded); hold the baseline if already in the best
    quartile (peers' Q1 1,897.5, median 2,115, Q3 2,375)
    >>> describe_rule(hold(9850.0, start="2013/14", end="2015/16"))
    'hold the 2013/14 baseline in every year to 2015/16 (no change planned)'
    """
    rule = trajectory.rule
    spec = REGISTRY.get(rule.name)
    if spec is not None and spec.describe is not None:
        return spec.describe(trajectory)
    if rule.name == "composite":
        parts = rule.parameters.get("parts", [])
        return f"the sum of {len(parts)} parts' targets: " + "; ".join(str(x) for x in parts)
    return f"the rule {rule.describe()}"
