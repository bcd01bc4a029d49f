"""Units of the domain, on a pint registry built lazily on first use.

Rates are *events per population*: a rate per 100 patients converts to a rate per 100,000
(multiply by 1,000), but a rate is never a percentage, so mixing them raises
:class:`~outcomes.errors.UnitError` naming both units. EQ-5D index scores, years of life lost and
money each have a dimension of their own, so none of them mixes silently with a rate.

The catalogue refers to units by the ids in :data:`UNITS` (plain data, no pint needed); pint is
imported only when a quantity is built.

>>> from outcomes import units
>>> float(units.convert(6.0, "per_100", "per_100000"))
6000.0
>>> units.quantity(12.5, "per_100000") + units.quantity(3.0, "percent")
Traceback (most recent call last):
...
outcomes.errors.UnitError: cannot add 'per_100000' ([event] / [population]) and 'percent' (dimensionless)
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

from outcomes.errors import UnitError, close_matches

__all__ = ["UNITS", "convert", "describe", "quantity", "registry", "unit_expression"]

#: Unit id -> (pint expression, human label). Catalogue files use these ids.
UNITS: dict[str, tuple[str, str]] = {
    "per_100000": ("per_100000", "per 100,000 population"),
    "per_1000": ("per_1000", "per 1,000"),
    "per_100": ("per_100", "per 100 patients"),
    "percent": ("percent", "%"),
    "percentage_points": ("percent", "percentage points"),
    "proportion": ("dimensionless", "proportion (0-1)"),
    "ratio": ("dimensionless", "ratio"),
    "eq5d": ("eq5d", "EQ-5D index score (0-1)"),
    "eq5d_x100": ("eq5d_x100", "EQ-5D index score x 100"),
    "yll_per_100000": ("yll_per_100000", "years of life lost per 100,000 population"),
    "years": ("year", "years"),
    "score": ("survey_score", "survey score (0-100)"),
    "health_gain": ("health_gain", "mean health gain (PROMs)"),
    "count": ("event", "count"),
    "gbp": ("GBP", "GBP"),
    "gbp_per_head": ("GBP_per_head", "GBP per head of population"),
    "none": ("dimensionless", "no unit (indicator in development)"),
}

_DEFINITIONS = (
    "event = [event]",
    "person = [population] = head = patient",
    "per_100000 = 1e-5 * event / person",
    "per_1000 = 1e-3 * event / person",
    "per_100 = 1e-2 * event / person",
    "eq5d = [health_status]",
    "eq5d_x100 = 1e-2 * eq5d",
    "year_of_life_lost = [life_lost] = yll",
    "yll_per_100000 = 1e-5 * yll / person",
    "survey_score = [survey_score]",
    "health_gain = [health_gain]",
    "GBP = [currency] = pound_sterling",
    "GBP_per_head = GBP / person",
)


@functools.lru_cache(maxsize=1)
def registry() -> Any:
    """The shared pint registry with the domain's units (built on first call).

    >>> registry().Quantity(1, "per_100").to("per_1000").magnitude
    10.0
    """
    import pint

    quantity_base: Any = pint.UnitRegistry.Quantity
    registry_base: Any = pint.UnitRegistry

    class Quantity(quantity_base):  # type: ignore[misc]
        """A pint quantity whose addition errors are :class:`UnitError`."""

        def _checked(self, other: Any, op: str, func: Any) -> Any:
            try:
                return func(other)
            except pint.DimensionalityError as error:
                raise UnitError(f"cannot {op} {_name(self)} and {_name(other)}") from error

        def __add__(self, other: Any) -> Any:
            return self._checked(other, "add", super().__add__)

        def __radd__(self, other: Any) -> Any:
            return self._checked(other, "add", super().__radd__)

        def __sub__(self, other: Any) -> Any:
            return self._checked(other, "subtract", super().__sub__)

        def __rsub__(self, other: Any) -> Any:
            return self._checked(other, "subtract", super().__rsub__)

    class Registry(registry_base):  # type: ignore[misc]
        pass

    Registry.Quantity = Quantity
    reg = Registry()
    for definition in _DEFINITIONS:
        reg.define(definition)
    return reg


def _name(value: Any) -> str:
    units = getattr(value, "units", None)
    if units is None:
        return f"a plain number {value!r}"
    dims = getattr(value, "dimensionality", "")
    label = str(units)
    return f"{label!r} ({dims if str(dims) != 'dimensionless' else 'dimensionless'})"


def unit_expression(unit_id: str) -> str:
    """The pint expression behind a catalogue unit id.

    >>> unit_expression("per_100000")
    'per_100000'
    """
    try:
        return UNITS[unit_id][0]
    except KeyError:
        hint = close_matches(unit_id, UNITS)
        raise UnitError(
            f"unknown unit {unit_id!r}" + (f"; did you mean {hint[0]!r}?" if hint else "")
        ) from None


def describe(unit_id: str) -> str:
    """Human label of a unit id, e.g. ``'per 100,000 population'``.

    >>> describe("eq5d")
    'EQ-5D index score (0-1)'
    """
    unit_expression(unit_id)
    return UNITS[unit_id][1]


def quantity(value: Any, unit_id: str) -> Any:
    """A pint quantity of ``value`` (scalar or array) in a catalogue unit.

    >>> quantity(2027.4, "yll_per_100000").magnitude
    2027.4
    """
    return registry().Quantity(value, unit_expression(unit_id))


def convert(value: Any, from_unit: str, to_unit: str) -> Any:
    """Convert a magnitude (scalar or array) between two catalogue units.

    Raises :class:`UnitError` naming both units when they measure different things.

    >>> convert(75.0, "eq5d_x100", "eq5d")
    0.75
    >>> convert(5.0, "per_100000", "percent")
    Traceback (most recent call last):
    ...
    outcomes.errors.UnitError: cannot convert 'per_100000' (per 100,000 population) to 'percent' (%): they measure different things
    """
    import pint

    source, target = unit_expression(from_unit), unit_expression(to_unit)
    reg = registry()
    try:
        factor = reg.Quantity(1.0, source).to(target).magnitude
    except pint.DimensionalityError:
        raise UnitError(
            f"cannot convert {from_unit!r} ({describe(from_unit)}) to {to_unit!r} "
            f"({describe(to_unit)}): they measure different things"
        ) from None
    # Exact decimal factors (1000, 0.01) avoid binary fuzz such as 4999.999999999999.
    factor = float(np.format_float_positional(factor, precision=12, trim="-"))
    result = np.asarray(value, dtype=float) * factor
    return result if result.ndim else float(result)
