"""Units of the domain: ONE table of what each unit means, and a pint registry built lazily.

Each unit id maps to a :class:`Unit`: its *kind* (a rate per N people, a proportion, a
percentage, a count, an index, money, a survey score ...), its bounds, its display label and its
usual published precision. Validation, scoring (which confidence interval fits), roll-up (how
members combine), tables and charts all read this one table, so a unit means the same thing
everywhere. The words that mean "no value here" in published tables are here too
(:data:`MISSING_MARKERS`), used by every reader and by the audit.

Rates are *events per population*: a rate per 100 patients converts to a rate per 100,000
(multiply by 1,000), but a rate is never a percentage, so mixing them raises
:class:`~outcomes.errors.UnitError` naming both units. EQ-5D index scores, years of life lost and
money each have a dimension of their own, so none of them mixes silently with a rate. pint is
imported only when a quantity is built.

>>> from outcomes import units
>>> units.unit("per_100000").label, units.unit("per_100000").kind
('per 100,000 population', 'rate')
>>> float(units.convert(6.0, "per_100", "per_100000"))
6000.0
>>> units.quantity(12.5, "per_100000") + units.quantity(3.0, "percent")
Traceback (most recent call last):
...
outcomes.errors.UnitError: cannot add 'per_100000' ([event] / [population]) and 'percent' (dimensionless)
"""

from __future__ import annotations

import functools
import warnings
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from outcomes._arrays import as_float_array, check_finite_result
from outcomes.errors import OutcomesError, UnitError, UnitWarning, close_matches

__all__ = [
    "MISSING_MARKERS",
    "UNITS",
    "Unit",
    "UnitKind",
    "check_counts",
    "check_values",
    "convert",
    "describe",
    "format_given",
    "format_value",
    "is_missing",
    "quantity",
    "registry",
    "unit",
    "unit_expression",
    "warn_fractions",
]

UnitKind = Literal[
    "rate",
    "proportion",
    "percent",
    "difference",
    "ratio",
    "index",
    "score",
    "count",
    "duration",
    "money",
    "none",
]


@dataclass(frozen=True, slots=True)
class Unit:
    """What a unit id means.

    ``kind`` decides how values behave: a ``rate`` is events per ``per`` people (its interval
    from a count and a denominator is Poisson when ``interval="poisson"``); a ``percent`` or
    ``proportion`` is a share of a population, bounded by ``lower``/``upper``, with a Wilson
    interval; an ``index`` (e.g. % of pre-pandemic activity) may exceed 100; a ``score`` is a
    mean of survey responses, combined by respondents, never by population. ``combine`` says
    how members roll up to a footprint; ``ndigits`` is the usual published precision.
    """

    id: str
    expression: str
    kind: UnitKind
    label: str
    per: float | None = None
    lower: float | None = None
    upper: float | None = None
    ndigits: int = 1
    combine: Literal["population", "sum", "respondents"] | None = "population"
    interval: Literal["poisson", "wilson"] | None = None

    @property
    def axis_label(self) -> str:
        """The label for a chart axis or a table header, e.g. ``'per 100,000 population'``."""
        return self.label


def _table(*units: Unit) -> dict[str, Unit]:
    return {u.id: u for u in units}


#: Every unit the catalogue, plan files and results may name, by id.
UNITS: dict[str, Unit] = _table(
    Unit(
        "per_100000",
        "per_100000",
        "rate",
        "per 100,000 population",
        per=100_000,
        lower=0,
        interval="poisson",
    ),
    Unit(
        "per_1000",
        "per_1000",
        "rate",
        "per 1,000 population",
        per=1_000,
        lower=0,
        interval="poisson",
    ),
    Unit("per_100", "per_100", "rate", "per 100 patients", per=100, lower=0, interval="poisson"),
    Unit("percent", "percent", "percent", "%", per=100, lower=0, upper=100, interval="wilson"),
    Unit("percentage_points", "percent", "difference", "percentage points", per=100),
    Unit(
        "proportion",
        "dimensionless",
        "proportion",
        "proportion (0-1)",
        per=1,
        lower=0,
        upper=1,
        ndigits=3,
        interval="wilson",
    ),
    Unit("ratio", "dimensionless", "ratio", "ratio", per=1, lower=0, ndigits=2),
    Unit("index_percent", "percent", "index", "% of the reference level", per=100, lower=0),
    Unit(
        "eq5d",
        "eq5d",
        "score",
        "EQ-5D index score (0-1)",
        lower=-0.594,
        upper=1,
        ndigits=3,
        combine="respondents",
    ),
    Unit(
        "eq5d_x100",
        "eq5d_x100",
        "score",
        "EQ-5D index score x 100",
        lower=-59.4,
        upper=100,
        combine="respondents",
    ),
    Unit(
        "yll_per_100000",
        "yll_per_100000",
        "rate",
        "years of life lost per 100,000 population",
        per=100_000,
        lower=0,
    ),
    Unit("years", "year", "duration", "years", lower=0, combine=None),
    Unit("minutes", "minute", "duration", "minutes", lower=0, combine=None),
    Unit("days", "day", "duration", "days", lower=0, combine=None),
    Unit(
        "score",
        "survey_score",
        "score",
        "survey score (0-100)",
        lower=0,
        upper=100,
        combine="respondents",
    ),
    Unit(
        "health_gain",
        "health_gain",
        "score",
        "mean health gain (PROMs)",
        ndigits=3,
        combine="respondents",
    ),
    Unit("count", "event", "count", "count", lower=0, ndigits=0, combine="sum"),
    Unit("gbp", "GBP", "money", "£", lower=0, ndigits=2, combine="sum"),
    Unit("gbp_per_head", "GBP_per_head", "money", "£ per head of population", lower=0, ndigits=2),
    Unit("none", "dimensionless", "none", "no unit (indicator in development)", combine=None),
)

#: Cell texts that mean "no value" in published tables and files (compared lower-case, stripped);
#: anything starting with "awaiting" ("Awaiting data", "Awaiting indicator") is missing too.
MISSING_MARKERS: frozenset[str] = frozenset(
    {"", ":", "..", ".", "-", "\u2013", "*", "x", "n/a", "na", "nan", "null", "none", "tbc"}
)


def is_missing(text: object) -> bool:
    """True when a cell's text is a missing-value marker, not a number.

    A cell that is not text is missing when it is ``None`` or NaN (a number is not missing).

    >>> [is_missing(t) for t in ["..", " Awaiting indicator", "x", "12.5", "0"]]
    [True, True, True, False, False]
    >>> is_missing(None), is_missing(float("nan")), is_missing(0.0)
    (True, True, False)
    """
    if not isinstance(text, str):
        if text is None:
            return True
        return isinstance(text, float | np.floating) and bool(np.isnan(text))
    word = text.strip().lower()
    return word in MISSING_MARKERS or word.startswith("awaiting")


def unit(unit_id: str) -> Unit:
    """The :class:`Unit` of an id; an unknown id raises :class:`UnitError` listing the known ones.

    >>> unit("percent").upper
    100
    >>> unit("furlongs")
    Traceback (most recent call last):
    ...
    outcomes.errors.UnitError: unknown unit 'furlongs'; known units: count, days, eq5d, ...
    """
    try:
        return UNITS[unit_id]
    except (KeyError, TypeError):
        hint = close_matches(str(unit_id), UNITS)
        raise UnitError(
            f"unknown unit {unit_id!r}"
            + (f"; did you mean {hint[0]!r}?" if hint else "")
            + f"; known units: {', '.join(sorted(UNITS))}"
        ) from None


def check_values(
    values: npt.ArrayLike,
    unit_id: str | None,
    field: str,
    *,
    error: type[OutcomesError] = UnitError,
) -> None:
    """Raise ``error`` naming ``field`` when a value lies outside its unit's bounds.

    Missing values (NaN) pass: missing is not bad. A percentage of a population above 100 or
    below 0, a negative rate, count or amount of money are refused; an index may exceed 100.
    Values that are not numbers, and infinities, raise ``error`` too; an unknown unit raises
    :class:`UnitError` listing the known ones.

    >>> check_values([12.0, float("nan")], "percent", "actual")
    >>> check_values([101.0], "percent", "actual")
    Traceback (most recent call last):
    ...
    outcomes.errors.UnitError: actual must be between 0 and 100 for unit 'percent' (%), got 101.0
    """
    if unit_id is None:
        return
    u = unit(unit_id)
    array = as_float_array(values, field, error=error, finite=False)
    if u.lower is None and u.upper is None:
        return
    low = array < u.lower if u.lower is not None else np.zeros(array.shape, dtype=bool)
    high = array > u.upper if u.upper is not None else np.zeros(array.shape, dtype=bool)
    bad = low | high
    if bad.any():
        first = float(array[bad].flat[0]) if array.ndim else float(array)
        if u.upper is None:
            rule = f"must be >= {u.lower:g}"
        elif u.lower is None:
            rule = f"must be <= {u.upper:g}"
        else:
            rule = f"must be between {u.lower:g} and {u.upper:g}"
        raise error(f"{field} {rule} for unit {unit_id!r} ({u.label}), got {first!r}")


def check_counts(
    count: npt.ArrayLike,
    denominator: npt.ArrayLike,
    unit_id: str | None,
    field: str,
    *,
    error: type[OutcomesError] = UnitError,
) -> None:
    """Raise ``error`` when a count is above its denominator for a share of a population (a
    proportion or a percentage); a rate of repeat events may exceed its population, so rates
    pass. Missing values (NaN) pass.

    >>> check_counts([392, 40], [500, 50], "percent", "baseline")
    >>> check_counts(600, 500, "percent", "baseline")
    Traceback (most recent call last):
    ...
    outcomes.errors.UnitError: baseline: count 600.0 is above its denominator 500.0, but unit 'percent' (%) is a share of a population
    >>> check_counts(600, 500, "per_100000", "baseline")
    """
    if unit_id is None or unit(unit_id).kind not in ("percent", "proportion"):
        return
    x = as_float_array(count, f"{field} count", error=error, finite=False)
    n = as_float_array(denominator, f"{field} denominator", error=error, finite=False)
    try:
        above = np.asarray(x > n)
    except ValueError:
        raise error(
            f"shapes do not match: {field} count has shape {x.shape}, denominator {n.shape}"
        ) from None
    if above.any():
        i = tuple(int(v) for v in np.argwhere(above)[0]) if above.ndim else ()
        xx, nn = np.broadcast_to(x, above.shape)[i], np.broadcast_to(n, above.shape)[i]
        raise error(
            f"{field}: count {float(xx)!r} is above its denominator {float(nn)!r}, but unit "
            f"{unit_id!r} ({unit(unit_id).label}) is a share of a population"
        )


def warn_fractions(
    values: npt.ArrayLike, unit_id: str | None, what: str, measure: str | None = None
) -> None:
    """A :class:`~outcomes.errors.UnitWarning` naming the measure when every value of a
    percentage lies in [0, 1] (and one is above 0): fractions given for a percentage? Only a
    warning, since 0.5% can be real. Missing values (NaN) are left out.

    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warn_fractions([0.42, 0.5], "percent", "actuals", "reablement")
    >>> print(caught[0].message)
    every one of the actuals of reablement is between 0 and 1 but its unit is % (0-100): were fractions given? (0.5% can be real)
    """
    if unit_id is None or unit(unit_id).kind != "percent":
        return
    array = as_float_array(values, what, error=UnitError, finite=False)
    shown = array[~np.isnan(array)]
    if shown.size and (shown <= 1).all() and (shown > 0).any():
        warnings.warn(
            f"every one of the {what} of {measure or 'the measure'} is between 0 and 1 but its "
            "unit is % (0-100): were fractions given? (0.5% can be real)",
            UnitWarning,
            stacklevel=3,
        )


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


def format_value(value: float, unit_id: str | None = None, ndigits: int | None = None) -> str:
    """A value as a reader sees it: thousands separators, the measure's precision, its unit.

    Rounded half-up to ``ndigits`` places (the unit's own precision by default), as NHS tables
    publish; used by the report and the rule in words.

    >>> format_value(667.4321, "per_100000", 1)
    '667.4 per 100,000 population'
    >>> format_value(84.0, "percent"), format_value(1234.5, "gbp"), format_value(0.125, "count", 2)
    ('84.0%', '£1,234.50', '0.13')
    >>> format_value(79.0, "eq5d_x100", 0)
    '79 (EQ-5D index score x 100)'

    """
    from outcomes._arrays import round_half_up

    spec = unit(unit_id) if unit_id is not None else None
    digits = ndigits if ndigits is not None else (spec.ndigits if spec is not None else 1)
    number = f"{float(round_half_up(value, digits)):,.{digits}f}"  # half-up, as published
    if spec is None or spec.kind in ("count", "none"):
        return number
    if spec.label == "%":
        return f"{number}%"
    if spec.kind == "money" and spec.label.startswith("£"):
        return f"£{number}{spec.label[1:]}"
    if spec.kind in ("score", "proportion", "ratio"):
        return f"{number} ({spec.label})"
    return f"{number} {spec.label}"


def format_given(value: float, ndigits: int | None = None) -> str:
    """A value as given in the data (an actual, a baseline): never rounded, with thousands
    separators, and padded to ``ndigits`` places when that loses nothing, so it reads beside
    targets published to that precision (77 is ``"77.0"``; 77.04 stays ``"77.04"``).

    >>> format_given(77.0, 1), format_given(77.04, 1), format_given(2051.9), format_given(0.1 + 0.2, 1)
    ('77.0', '77.04', '2,051.9', '0.3')
    """
    if ndigits is not None and ndigits >= 0 and float(f"{value:.{ndigits}f}") == value:
        return f"{value:,.{ndigits}f}"
    return f"{value:,.10g}"


def unit_expression(unit_id: str) -> str:
    """The pint expression behind a catalogue unit id.

    >>> unit_expression("per_100000")
    'per_100000'
    """
    return unit(unit_id).expression


def describe(unit_id: str) -> str:
    """Human label of a unit id, e.g. ``'per 100,000 population'``.

    >>> describe("eq5d")
    'EQ-5D index score (0-1)'
    """
    return unit(unit_id).label


def quantity(value: Any, unit_id: str) -> Any:
    """A pint quantity of ``value`` (scalar or array) in a catalogue unit.

    >>> quantity(2027.4, "yll_per_100000").magnitude
    2027.4
    """
    expression = unit_expression(unit_id)
    magnitude = as_float_array(value, "value", error=UnitError, finite=False)
    return registry().Quantity(magnitude if magnitude.ndim else float(magnitude), expression)


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
    array = as_float_array(value, "value", error=UnitError, finite=False)
    with np.errstate(over="ignore"):
        result = array * factor
    check_finite_result(
        np.where(np.isnan(array), 0.0, result), f"the value in {to_unit!r}", UnitError
    )
    return result if result.ndim else float(result)
