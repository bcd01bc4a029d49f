"""What a rule declares about itself: :class:`RuleSpec` (and :class:`AuditForm` for the audit).

A rule is declared once, beside its function, as a ``RuleSpec``. From it the plan-file schema,
the hypothesis strategies of :mod:`outcomes.testing`, the audit's closed-form fits, the CLI help
and the docs' rule table are all generated. The spec checks itself when it is made: every
parameter the function takes (beyond the shared ones) must be a field of its parameter model,
and the reverse, so a plan file can set everything the function can.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, create_model

from outcomes._arrays import FloatArray
from outcomes.errors import TrajectoryError
from outcomes.periods import Period
from outcomes.trajectory import Trajectory

__all__ = [
    "ALL_INVARIANTS",
    "COMMON_ARGUMENTS",
    "INVARIANTS",
    "AuditForm",
    "Invariant",
    "RuleParameters",
    "RuleSpec",
]

#: Arguments every rule takes that the plan sets for the measure, not for the rule.
COMMON_ARGUMENTS = ("baseline", "start", "end", "periods", "polarity", "unit", "measure")

Invariant = Literal["reaches_target", "monotone", "not_worse", "scale_equivariant"]
#: The invariants a rule may promise, each checked by :func:`outcomes.testing.assert_trajectory_invariants`.
INVARIANTS: dict[str, str] = {
    "reaches_target": "the value at the end period equals the target",
    "monotone": "the path moves from the baseline toward the target without overshooting it",
    "not_worse": "no target is worse than the baseline under the measure's polarity",
    "scale_equivariant": "multiplying the baseline and every value-like parameter by c "
    "multiplies every target by c",
}

#: Every invariant: what a plain monotone rule promises.
ALL_INVARIANTS: frozenset[Invariant] = frozenset(
    {"reaches_target", "monotone", "not_worse", "scale_equivariant"}
)

#: forward(parameter, k, n, baseline) -> value, vectorised; inverse(value, k, n, baseline) -> parameter
Forward = Callable[[FloatArray, FloatArray, FloatArray, FloatArray], FloatArray]


class RuleParameters(BaseModel):
    """Base of every rule's parameter model (the keys of ``rule = {...}`` in a plan file)."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)


@dataclass(frozen=True)
class AuditForm:
    """One way of printing a row that the audit can fit: a rule with all parameters fixed but
    one, which it recovers in closed form.

    ``forward(p, k, n, b)`` gives the value after ``k`` of ``n`` steps from baseline ``b`` with
    parameter ``p``; ``inverse(v, k, n, b)`` gives the ``p`` that prints ``v`` there (``forward``
    is monotone in ``p``, so an interval of printed values maps to an interval of parameters).
    ``parameter`` is None for a rule with nothing to fit (hold). ``percent`` says the parameter
    is typed as a percentage (a rate of -0.032 is "3.2%"), which decides how plain it is.

    A two-phase rule's form has ``then``: the form of the second phase, fitted after a break
    from the value the first phase reaches there (the first phase's ``n`` is the break's step).
    """

    label: str
    parameter: str | None
    fixed: Mapping[str, Any]
    forward: Forward
    inverse: Forward | None = None
    domain: tuple[float, float] = (-np.inf, np.inf)
    percent: bool = False
    then: AuditForm | None = None


@dataclass(frozen=True)
class RuleSpec:
    """A trajectory rule, declared once.

    Attributes
    ----------
    name : str
        The rule's name in plan files, trajectories' ``rule.name`` and the CLI.
    function : callable
        The vectorised rule function (baseline, then its own parameters, then the shared
        keyword arguments ``start``, ``end``, ``periods``, ``polarity``, ``unit``, ``measure``).
    parameters : type[RuleParameters]
        The pydantic model of the rule's own parameters, validated when a plan file is read.
    summary : str
        One line for the CLI help and the docs' rule table.
    invariants : frozenset
        What every trajectory of the rule promises (see :data:`INVARIANTS`).
    audit : tuple[AuditForm, ...]
        The forms the audit fits to a printed row, with their closed-form inverses.
    example : callable or None
        ``example(strategies, start, end) -> strategy`` of parameter dicts for a baseline of 1
        and the given periods, for :mod:`outcomes.testing`.
    measured : mapping
        Parameters in the measure's own units: ``"baseline"`` when an example value is a multiple
        of the baseline, ``"absolute"`` when it is a value on the measure's scale. Scaling the
        measure scales these.
    inputs : tuple[str, ...]
        Parameters the workflow may supply from data rather than the plan file (``peers``,
        ``history``).
    needs_polarity : bool
        Whether the rule cannot run without a direction of improvement.
    describe : callable or None
        ``describe(trajectory) -> str``: the rule in plain English, built from the trajectory's
        recorded parameters (one sentence, no full stop), for the report and the CLI. Every
        registered rule has one (a test holds each rule to it).
    """

    name: str
    function: Callable[..., Trajectory]
    parameters: type[RuleParameters]
    summary: str
    invariants: frozenset[Invariant] = frozenset()
    audit: tuple[AuditForm, ...] = ()
    example: Callable[[Any, Period, Period], Any] | None = None
    measured: Mapping[str, Literal["baseline", "absolute"]] = field(default_factory=dict)
    inputs: tuple[str, ...] = ()
    needs_polarity: bool = False
    describe: Callable[[Trajectory], str] | None = None

    def __post_init__(self) -> None:
        own = [p for p in inspect.signature(self.function).parameters if p not in COMMON_ARGUMENTS]
        fields = list(self.parameters.model_fields)
        missing, extra = set(own) - set(fields), set(fields) - set(own)
        if missing or extra:
            raise TypeError(
                f"rule {self.name!r}: the parameter model must have exactly the function's own "
                f"parameters; missing {sorted(missing)}, not in the function {sorted(extra)}"
            )
        unknown = set(self.invariants) - set(INVARIANTS)
        if unknown:
            raise TypeError(f"rule {self.name!r}: unknown invariants {sorted(unknown)}")

    @functools.cached_property
    def plan_model(self) -> type[BaseModel]:
        """The plan-file model: the parameters plus ``name = "<rule>"`` (the discriminator)."""
        title = "".join(part.title() for part in self.name.split("_")) + "Rule"
        model: type[BaseModel] = create_model(
            title,
            __base__=self.parameters,
            __doc__=self.summary,
            name=(Literal[self.name], ...),  # type: ignore[arg-type]
        )
        return model

    def call(self, baseline: Any, parameters: Mapping[str, Any], **common: Any) -> Trajectory:
        """Run the rule with validated parameters and the measure's shared arguments; a missing,
        unknown or doubled parameter raises :class:`TrajectoryError` naming the rule's own."""
        if not isinstance(parameters, Mapping):
            raise TrajectoryError(
                f"rule {self.name!r}: parameters must be a mapping of name to value, got "
                f"{type(parameters).__name__}"
            )
        signature = inspect.signature(self.function)
        twice = sorted(str(k) for k in set(parameters) & set(common))
        try:
            if twice:
                raise TypeError(f"{', '.join(twice)} given twice")
            signature.bind(baseline, **dict(parameters), **common)
        except TypeError as error:
            takes = ", ".join(p for p in signature.parameters if p != "baseline")
            raise TrajectoryError(f"rule {self.name!r}: {error}; it takes {takes}") from None
        return self.function(baseline, **dict(parameters), **common)
