"""Periods: financial years, calendar years, quarters and months.

The 2014 plans mixed calendar-year baselines (PYLL for 2012) with financial-year targets
(2014/15 ... 2018/19). Steps between periods of different kinds are counted **by start year**:
calendar 2012 to financial 2014/15 is two yearly steps, because 2014/15 starts in 2014. This is
how the plans counted elapsed years from a calendar-year baseline (see ``docs/periods.md``).

>>> from outcomes.periods import FinancialYear, CalendarYear, Quarter, period
>>> str(FinancialYear(2014))
'2014/15'
>>> period("2014/15 Q3")
Quarter(FinancialYear(2014), 3)
>>> CalendarYear(2012).years_until(FinancialYear(2014))
2
>>> sorted([period("2015/16"), period("2012"), period("2014/15 Q1")])
[CalendarYear(2012), Quarter(FinancialYear(2014), 1), FinancialYear(2015)]
"""

from __future__ import annotations

import datetime as _dt
import functools
import re
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

from outcomes.errors import PeriodError

__all__ = [
    "CalendarYear",
    "FinancialYear",
    "Month",
    "Period",
    "Quarter",
    "financial_years",
    "period",
]

_MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_P = TypeVar("_P", bound="Period")


class Period:
    """Base class: an interval of time with a printed label, ordered by its start date.

    Subclasses are frozen dataclasses: immutable, hashable, and equal only to the same kind of
    period (calendar 2014 is not financial 2014/15). Periods of different kinds order by their
    start (then end) dates.
    """

    __slots__ = ()
    kind: ClassVar[str] = "period"

    # -- the interface every period provides -------------------------------------------------
    @property
    def start(self) -> _dt.date:
        """First day of the period."""
        raise NotImplementedError  # pragma: no cover - abstract

    @property
    def end(self) -> _dt.date:
        """Last day of the period."""
        raise NotImplementedError  # pragma: no cover - abstract

    def shift(self: _P, steps: int) -> _P:
        """The period ``steps`` periods of the same kind later (earlier if negative)."""
        raise NotImplementedError  # pragma: no cover - abstract

    # -- shared behaviour ----------------------------------------------------------------------
    @property
    def start_year(self) -> int:
        """Calendar year in which the period starts (the basis of yearly stepping)."""
        return self.start.year

    @property
    def months(self) -> int:
        """Length of the period in whole months (12 for a year, 3 for a quarter, 1 for a month)."""
        end = self.end
        return (end.year - self.start.year) * 12 + end.month - self.start.month + 1

    def years_until(self, other: Period) -> int:
        """Number of yearly steps from this period to ``other``, counted by start year.

        >>> CalendarYear(2013).years_until(FinancialYear(2018))
        5
        """
        return _other(other, "years_until").start_year - self.start_year

    def months_until(self, other: Period) -> int:
        """Number of monthly steps from the start of this period to the start of ``other``.

        >>> Month(2025, 3).months_until(Month(2026, 3)), FinancialYear(2024).months_until(Month(2025, 4))
        (12, 12)
        """
        a, b = self.start, _other(other, "months_until").start
        return (b.year - a.year) * 12 + b.month - a.month

    def next(self: _P) -> _P:
        """The following period of the same kind."""
        return self.shift(1)

    def _key(self) -> tuple[_dt.date, _dt.date]:
        return (self.start, self.end)

    def __lt__(self, other: Period) -> bool:
        return self._key() < _as_period(other)._key()

    def __le__(self, other: Period) -> bool:
        return self == other or self < other

    def __gt__(self, other: Period) -> bool:
        return _as_period(other) < self

    def __ge__(self, other: Period) -> bool:
        return self == other or self > other

    # -- pydantic integration: validated from text, serialised as text -------------------------
    @classmethod
    def parse(cls, text: str) -> Period:
        """Parse any period label (see :func:`period`)."""
        return period(text)

    @classmethod
    def _validate(cls, value: object) -> Period:
        if isinstance(value, cls):
            return value
        if isinstance(value, str):
            parsed = cls.parse(value)
            if not isinstance(parsed, cls):
                raise PeriodError(f"expected a {cls.kind}, got {value!r}")
            return parsed
        raise PeriodError(f"a period must be given as text such as '2014/15', got {value!r}")

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        validate = core_schema.no_info_plain_validator_function(cls._validate)
        return core_schema.json_or_python_schema(
            json_schema=core_schema.chain_schema([core_schema.str_schema(), validate]),
            python_schema=validate,
            serialization=core_schema.plain_serializer_function_ser_schema(str),
        )

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: Any, handler: Any) -> dict[str, Any]:
        return {"type": "string", "description": f"a {cls.kind} label, e.g. {cls._example()!r}"}

    @classmethod
    def _example(cls) -> str:
        return "2014/15"


def _as_period(other: object) -> Period:
    if isinstance(other, Period):
        return other
    raise TypeError(f"cannot compare a period with {other!r}")


def _other(value: object, what: str) -> Period:
    if not isinstance(value, Period):
        raise PeriodError(f"{what} needs a period such as FinancialYear(2014), got {value!r}")
    return value


def _steps(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise PeriodError(f"steps must be a whole number, got {value!r}")
    return value


def _year(value: object, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise PeriodError(f"{field} must be an integer year, got {value!r}")
    if not 1900 <= value <= 2200:
        shown = repr(value) if abs(value) < 10**12 else f"a number of {len(str(abs(value)))} digits"
        raise PeriodError(f"{field} must be between 1900 and 2200, got {shown}")
    return value


@dataclass(frozen=True, slots=True, repr=False)
class FinancialYear(Period):
    """An English NHS financial year, 1 April to 31 March, printed ``2014/15``.

    >>> FinancialYear.parse("FY2014/15") == FinancialYear.parse("2014-2015") == FinancialYear(2014)
    True
    >>> FinancialYear.parse("2014/16")
    Traceback (most recent call last):
    ...
    outcomes.errors.PeriodError: financial year '2014/16' must span consecutive years, e.g. '2014/15'
    """

    year: int
    kind: ClassVar[str] = "financial year"
    _PATTERN: ClassVar[re.Pattern[str]] = re.compile(
        r"^\s*(?:FY\s*)?(\d{4})\s*[/-]\s*(\d{2}|\d{4})\s*$", re.IGNORECASE
    )

    def __post_init__(self) -> None:
        _year(self.year, "financial year start")

    @classmethod
    def parse(cls, text: str) -> FinancialYear:
        if isinstance(text, FinancialYear):
            return text
        match = cls._PATTERN.match(str(text))
        if not match:
            raise PeriodError(f"financial year must look like '2014/15', got {text!r}")
        first, second = int(match[1]), match[2]
        expected = f"{(first + 1) % 100:02d}" if len(second) == 2 else str(first + 1)
        if second != expected:
            raise PeriodError(
                f"financial year {text!r} must span consecutive years, e.g. '{first}/{expected}'"
            )
        return cls(first)

    @property
    def start(self) -> _dt.date:
        return _dt.date(self.year, 4, 1)

    @property
    def end(self) -> _dt.date:
        return _dt.date(self.year + 1, 3, 31)

    def shift(self, steps: int) -> FinancialYear:
        return FinancialYear(self.year + _steps(steps))

    def quarters(self) -> tuple[Quarter, Quarter, Quarter, Quarter]:
        """The four quarters, Q1 (April-June) to Q4 (January-March)."""
        return (Quarter(self, 1), Quarter(self, 2), Quarter(self, 3), Quarter(self, 4))

    def __str__(self) -> str:
        return f"{self.year}/{(self.year + 1) % 100:02d}"

    def __repr__(self) -> str:
        return f"FinancialYear({self.year})"


@dataclass(frozen=True, slots=True, repr=False)
class CalendarYear(Period):
    """A calendar year, printed ``2012`` (PYLL and survey years are calendar years).

    >>> CalendarYear.parse("2012").next()
    CalendarYear(2013)
    """

    year: int
    kind: ClassVar[str] = "calendar year"

    def __post_init__(self) -> None:
        _year(self.year, "calendar year")

    @classmethod
    def parse(cls, text: str) -> CalendarYear:
        if isinstance(text, CalendarYear):
            return text
        match = re.match(r"^\s*(?:CY\s*)?(\d{4})\s*$", str(text), re.IGNORECASE)
        if not match:
            raise PeriodError(f"calendar year must look like '2012', got {text!r}")
        return cls(int(match[1]))

    @classmethod
    def _example(cls) -> str:
        return "2012"

    @property
    def start(self) -> _dt.date:
        return _dt.date(self.year, 1, 1)

    @property
    def end(self) -> _dt.date:
        return _dt.date(self.year, 12, 31)

    def shift(self, steps: int) -> CalendarYear:
        return CalendarYear(self.year + _steps(steps))

    def __str__(self) -> str:
        return str(self.year)

    def __repr__(self) -> str:
        return f"CalendarYear({self.year})"


@dataclass(frozen=True, slots=True, repr=False)
class Quarter(Period):
    """A quarter of a financial year: Q1 is April-June, Q4 is January-March.

    >>> q = Quarter(FinancialYear(2014), 4)
    >>> str(q), q.start.isoformat(), str(q.next())
    ('2014/15 Q4', '2015-01-01', '2015/16 Q1')
    """

    financial_year: FinancialYear
    number: int
    kind: ClassVar[str] = "quarter"

    def __post_init__(self) -> None:
        fy: object = self.financial_year
        if not isinstance(fy, FinancialYear):  # Quarter(2014, 3) is accepted for convenience
            object.__setattr__(self, "financial_year", FinancialYear(fy))  # type: ignore[arg-type]
        number = self.number
        if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= 4:
            raise PeriodError(f"quarter number must be 1, 2, 3 or 4, got {number!r}")

    @classmethod
    def parse(cls, text: str) -> Quarter:
        if isinstance(text, Quarter):
            return text
        s = str(text).strip()
        match = re.match(r"^(.+?)\s*Q([1-4])$", s, re.IGNORECASE)
        if match:
            fy_text, number = match[1], match[2]
        else:
            match = re.match(r"^Q([1-4])\s+(.+)$", s, re.IGNORECASE)
            if not match:
                raise PeriodError(f"quarter must look like '2014/15 Q3', got {text!r}")
            fy_text, number = match[2], match[1]
        return cls(FinancialYear.parse(fy_text), int(number))

    @classmethod
    def _example(cls) -> str:
        return "2014/15 Q3"

    @property
    def start(self) -> _dt.date:
        month = 4 + 3 * (self.number - 1)
        year = self.financial_year.year + (month > 12)
        return _dt.date(year, (month - 1) % 12 + 1, 1)

    @property
    def end(self) -> _dt.date:
        return self.shift(1).start - _dt.timedelta(days=1)

    def shift(self, steps: int) -> Quarter:
        index = self.financial_year.year * 4 + (self.number - 1) + _steps(steps)
        return Quarter(FinancialYear(index // 4), index % 4 + 1)

    def __str__(self) -> str:
        return f"{self.financial_year} Q{self.number}"

    def __repr__(self) -> str:
        return f"Quarter({self.financial_year!r}, {self.number})"


@dataclass(frozen=True, slots=True, repr=False)
class Month(Period):
    """A calendar month, printed ``Apr 2014``; parses ``2014-04`` and ``April 2019`` too.

    It is not printed ``2009-10`` because that label is the 2009/10 financial year in NHS
    tables; :func:`period` reads ``YYYY-NN`` as a financial year when ``NN`` is the next year.

    >>> Month.parse("April 2019"), str(Month(2014, 4)), str(Month(2014, 4).financial_year)
    (Month(2019, 4), 'Apr 2014', '2014/15')
    """

    year: int
    month: int
    kind: ClassVar[str] = "month"

    def __post_init__(self) -> None:
        month = self.month
        if isinstance(month, bool) or not isinstance(month, int) or not 1 <= month <= 12:
            raise PeriodError(f"month must be 1-12, got {month!r}")
        _year(self.year, "year")

    @classmethod
    def parse(cls, text: str) -> Month:
        if isinstance(text, Month):
            return text
        s = str(text).strip()
        match = re.match(r"^(\d{4})-(\d{2})$", s)
        if match:
            return cls(int(match[1]), int(match[2]))
        match = re.match(r"^([A-Za-z]+)\s+(\d{4})$", s)
        if match:
            name = match[1].lower()
            for i, month in enumerate(_MONTHS, start=1):
                if month.startswith(name) and len(name) >= 3:
                    return cls(int(match[2]), i)
        raise PeriodError(f"month must look like '2014-04' or 'April 2014', got {text!r}")

    @classmethod
    def _example(cls) -> str:
        return "Apr 2014"

    @property
    def financial_year(self) -> FinancialYear:
        """The financial year the month falls in."""
        return FinancialYear(self.year if self.month >= 4 else self.year - 1)

    @property
    def start(self) -> _dt.date:
        return _dt.date(self.year, self.month, 1)

    @property
    def end(self) -> _dt.date:
        return self.shift(1).start - _dt.timedelta(days=1)

    def shift(self, steps: int) -> Month:
        index = self.year * 12 + self.month - 1 + _steps(steps)
        return Month(index // 12, index % 12 + 1)

    def __str__(self) -> str:
        return f"{_MONTHS[self.month - 1][:3].title()} {self.year}"

    def __repr__(self) -> str:
        return f"Month({self.year}, {self.month})"


_PARSERS: tuple[type[Period], ...] = (FinancialYear, Quarter, CalendarYear, Month)


def period(value: str | Period) -> Period:
    """Parse a financial year, calendar year, quarter or month label.

    Accepts ``2014/15`` (also ``2014-15``, ``2014/2015``, ``FY2014/15``), ``2012``,
    ``2014/15 Q3`` and ``2014-04`` / ``Apr 2014``. ``YYYY-NN`` is a financial year when ``NN``
    is the next year (``2009-10`` is 2009/10, as in NHS tables), otherwise a month.
    A period passes through unchanged.

    >>> period("2014-15"), period("2012"), period("2014/15 Q1"), period("2014-04")
    (FinancialYear(2014), CalendarYear(2012), Quarter(FinancialYear(2014), 1), Month(2014, 4))
    >>> period("14/15")
    Traceback (most recent call last):
    ...
    outcomes.errors.PeriodError: period must look like '2014/15', '2012', '2014/15 Q3' or 'Apr 2014', got '14/15'
    """
    if isinstance(value, Period):
        return value
    if not isinstance(value, str):
        raise PeriodError(
            f"period must be text such as '2014/15' or '2012' (not a number, which is ambiguous), "
            f"got {value!r}"
        )
    return _parse_label(value.strip())


@functools.lru_cache(maxsize=4096)
def _parse_label(text: str) -> Period:
    """A label's period (cached: labels repeat, and the same label gives the same object, so
    comparing the periods of many trajectories is cheap)."""
    value = text
    if re.match(r"^\d{4}-\d{2}$", text) and int(text[5:]) != (int(text[:4]) + 1) % 100:
        return Month.parse(text)  # '2014-04' is a month, '2014-15' a financial year
    consecutive_error: PeriodError | None = None
    for parser in _PARSERS:
        try:
            return parser.parse(text)
        except PeriodError as error:
            if "consecutive" in str(error) and parser is FinancialYear:
                consecutive_error = error
    if consecutive_error is not None:
        raise consecutive_error
    raise PeriodError(
        f"period must look like '2014/15', '2012', '2014/15 Q3' or 'Apr 2014', got {value!r}"
    )


def financial_years(first: str | Period, last: str | Period) -> tuple[FinancialYear, ...]:
    """Every financial year from ``first`` to ``last`` inclusive, by start year.

    >>> [str(y) for y in financial_years("2014/15", "2018/19")]
    ['2014/15', '2015/16', '2016/17', '2017/18', '2018/19']
    """
    a, b = period(first), period(last)
    if b.start_year < a.start_year:
        raise PeriodError(f"last period {str(b)!r} is before first period {str(a)!r}")
    return tuple(FinancialYear(y) for y in range(a.start_year, b.start_year + 1))
