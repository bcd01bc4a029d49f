"""Printed rows as the plans print them: period labels such as "12/13", "14/15", "15.16" or
"2014-15"; numbers with thousands separators ("2,407"); a baseline with its period in brackets
("74.2 (12/13)"); missing markers ("Awaiting indicator")."""

from __future__ import annotations

import functools
import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from outcomes.errors import OutcomesError, PeriodError
from outcomes.periods import FinancialYear, Period, period
from outcomes.units import is_missing

__all__ = ["PrintedRow", "UnreadableRowError", "cell_number", "table_period"]

_SHORT_FY = re.compile(r"^\s*(?:FY\s*)?(\d{2})\s*[/.\-]\s*(\d{2})\s*$", re.IGNORECASE)
_BRACKET = re.compile(r"^\s*(.*?)\s*\(([^()]*)\)\s*(.*?)\s*$")


class UnreadableRowError(OutcomesError, ValueError):
    """A printed row cannot be read (the reason becomes the report's)."""


def table_period(label: object) -> Period:
    """See :func:`_table_period` (cached: a table repeats its labels on every row)."""
    if isinstance(label, str):
        return _cached_period(label)
    return _table_period(label)


@functools.lru_cache(maxsize=4096)
def _cached_period(label: str) -> Period:
    return _table_period(label)


def _table_period(label: object) -> Period:
    """A period as printed in a plan's table: any :func:`outcomes.period` label, or a
    financial year in two-digit form ("12/13", "15.16", "14-15").

    >>> [str(table_period(x)) for x in ["12/13", "15.16", "2014-15", "2012", "14/15 "]]
    ['2012/13', '2015/16', '2014/15', '2012', '2014/15']
    """
    if isinstance(label, Period):
        return label
    text = str(label).strip()
    match = _SHORT_FY.match(text)
    if match:
        first, second = int(match[1]), int(match[2])
        if second == (first + 1) % 100:
            return FinancialYear(2000 + first if first < 90 else 1900 + first)
    try:
        return period(text)
    except PeriodError:
        raise PeriodError(
            f"period must look like '2014/15', '14/15', '2012' or '2014/15 Q1', got {label!r}"
        ) from None


def cell_number(cell: object) -> tuple[float | None, int]:
    """A printed cell as (number or None when missing, decimal places as printed).

    >>> cell_number("2,407"), cell_number("6.0"), cell_number("Awaiting indicator"), cell_number(5.9)
    ((2407.0, 0), (6.0, 1), (None, 0), (5.9, 1))
    """
    if cell is None:
        return None, 0
    if isinstance(cell, bool):
        raise UnreadableRowError(f"{cell!r} is not a number")
    if isinstance(cell, int | float):
        try:
            value = float(cell)
        except OverflowError:
            raise UnreadableRowError(f"{cell!r:.40} is too large a number") from None
        if math.isnan(value):
            return None, 0
        if math.isinf(value):
            raise UnreadableRowError(f"{cell!r} is not a finite number")
        text = repr(value)
    else:
        text = str(cell).strip()
        if is_missing(text):
            return None, 0
        text = text.replace(",", "").replace("£", "").strip()
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise UnreadableRowError(f"{cell!r} is not a number") from None
    if not number.is_finite():
        raise UnreadableRowError(f"{cell!r} is not a finite number")
    exponent = number.as_tuple().exponent
    places = max(0, -int(exponent)) if isinstance(exponent, int) else 0
    if isinstance(cell, int | float) and float(cell).is_integer():
        places = 0  # a number given as a number, not as printed text: no trailing zeros
    value = float(number)
    if not math.isfinite(value) or abs(value) > 1e300:
        raise UnreadableRowError(f"{cell!r:.40} is too large a number")
    return value, min(places, 12)


def baseline_cell(cell: object) -> tuple[float | None, Period | None, int]:
    """A printed baseline: its number, a period printed with it in brackets, its places.

    >>> value, p, places = baseline_cell("74.2 (12/13)")
    >>> value, str(p), places
    (74.2, '2012/13', 1)
    """
    if isinstance(cell, str):
        match = _BRACKET.match(cell)
        if match and (match[1] or match[3]):
            number_text = match[1] or match[3]
            try:
                p = table_period(match[2])
            except PeriodError:
                p = None
            value, places = cell_number(number_text)
            return value, p, places
    value, places = cell_number(cell)
    return value, None, places


@dataclass(frozen=True)
class PrintedRow:
    """One printed row, read: its periods, baseline, cells (None where missing) and precision."""

    measure: str | None
    labels: tuple[str, ...]
    periods: tuple[Period, ...]
    start: Period | None
    baseline: float | None
    cells: tuple[float | None, ...]
    ndigits: int

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(p for p, c in zip(self.labels, self.cells, strict=True) if c is None)


def read_row(
    values: Sequence[object],
    *,
    baseline: object,
    start: object,
    periods: Sequence[object],
    ndigits: int | None,
    measure: str | None,
) -> PrintedRow:
    """Read a printed row; :class:`UnreadableRowError` (or another OutcomesError) says why it cannot be."""
    if isinstance(values, str | bytes) or not isinstance(values, Sequence):
        raise UnreadableRowError(f"values must be a sequence of cells, got {values!r:.60}")
    if isinstance(periods, str | bytes) or not isinstance(periods, Sequence):
        raise UnreadableRowError(
            f"periods must be a sequence of period labels, got {periods!r:.60}"
        )
    if start is not None and not isinstance(start, str | Period):
        raise UnreadableRowError(f"start must be a period such as '2013/14', got {start!r:.60}")
    parsed_periods = tuple(table_period(p) for p in periods)
    labels = tuple(str(p) for p in parsed_periods)
    if len(set(labels)) != len(labels):
        dup = next(label for i, label in enumerate(labels) if label in labels[:i])
        raise UnreadableRowError(f"period {dup} appears twice")
    if any(b <= a for a, b in itertools.pairwise(parsed_periods)):
        raise UnreadableRowError(f"periods must be in time order, got {', '.join(labels)}")
    if len(values) != len(labels):
        raise UnreadableRowError(f"{len(values)} values for {len(labels)} periods")
    cells: list[float | None] = []
    places = 0
    for label, cell in zip(labels, values, strict=True):
        try:
            value, digits = cell_number(cell)
        except UnreadableRowError as error:
            raise UnreadableRowError(f"{label}: {error}") from None
        cells.append(value)
        places = max(places, digits)
    base_value: float | None = None
    base_period: Period | None = None
    if baseline is not None:
        try:
            base_value, base_period, _ = baseline_cell(baseline)
        except UnreadableRowError as error:
            raise UnreadableRowError(f"baseline: {error}") from None
    start_p = table_period(start) if start not in (None, "") else base_period
    if ndigits is not None:
        if isinstance(ndigits, bool) or not isinstance(ndigits, int) or not 0 <= ndigits <= 12:
            raise UnreadableRowError(
                f"ndigits must be a whole number from 0 to 12, got {ndigits!r}"
            )
        places = ndigits
    return PrintedRow(measure, labels, parsed_periods, start_p, base_value, tuple(cells), places)
