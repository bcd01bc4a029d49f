from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, TypeAdapter

from outcomes import PeriodError
from outcomes.periods import CalendarYear, FinancialYear, Month, Period, Quarter, period

years = st.integers(min_value=1950, max_value=2150)


@pytest.mark.parametrize("text", ["2014/15", "2014-15", "2014/2015", "FY2014/15", " fy 2014-2015 "])
def test_financial_year_accepts_common_spellings(text: str) -> None:
    assert FinancialYear.parse(text) == FinancialYear(2014)


@pytest.mark.parametrize("text", ["2014/16", "14/15", "2014", "2014/15/16", "", "twenty"])
def test_financial_year_rejects_bad_labels_naming_the_value(text: str) -> None:
    with pytest.raises(PeriodError) as info:
        FinancialYear.parse(text)
    assert repr(text) in str(info.value)


def test_period_errors_are_value_errors() -> None:
    with pytest.raises(ValueError, match="14/15"):
        period("14/15")


def test_kinds_and_labels() -> None:
    assert str(FinancialYear(2014)) == "2014/15"
    assert str(FinancialYear(1999)) == "1999/00"
    assert str(CalendarYear(2012)) == "2012"
    assert str(Quarter(FinancialYear(2014), 1)) == "2014/15 Q1"
    assert Quarter(FinancialYear(2014), 1).start.month == 4
    assert Quarter(FinancialYear(2014), 4).end.isoformat() == "2015-03-31"
    assert period("Q3 2014/15") == Quarter(2014, 3)
    assert period("2014-04") == Month(2014, 4)
    assert period("January 2015").financial_year == FinancialYear(2014)


def test_stepping_between_kinds_counts_start_years() -> None:
    # the 2014 plans counted from a calendar-2012 baseline to 2014/15 as two yearly steps
    assert CalendarYear(2012).years_until(FinancialYear(2014)) == 2
    assert FinancialYear(2012).years_until(FinancialYear(2018)) == 6
    assert FinancialYear(2014).years_until(CalendarYear(2012)) == -2


def test_numbers_are_refused_as_ambiguous() -> None:
    with pytest.raises(PeriodError, match="ambiguous"):
        period(2014)  # type: ignore[arg-type]


def test_bad_components() -> None:
    with pytest.raises(PeriodError, match="quarter number"):
        Quarter(FinancialYear(2014), 5)
    with pytest.raises(PeriodError, match="month"):
        Month(2014, 13)
    with pytest.raises(PeriodError, match="integer year"):
        FinancialYear("2014")  # type: ignore[arg-type]


def test_immutable() -> None:
    with pytest.raises(AttributeError):
        FinancialYear(2014).year = 2015  # type: ignore[misc]


@given(years)
def test_financial_year_round_trip(year: int) -> None:
    fy = FinancialYear(year)
    assert FinancialYear.parse(str(fy)) == fy
    assert period(str(fy)) == fy
    assert hash(period(str(fy))) == hash(fy)


@given(years, st.integers(min_value=1, max_value=4))
def test_quarter_round_trip_and_stepping(year: int, number: int) -> None:
    q = Quarter(FinancialYear(year), number)
    assert period(str(q)) == q
    assert q.shift(4) == Quarter(FinancialYear(year + 1), number)
    assert q.next() > q
    assert q.next().start == q.end.fromordinal(q.end.toordinal() + 1)


@given(years, st.integers(min_value=1, max_value=12))
def test_month_round_trip(year: int, month: int) -> None:
    m = Month(year, month)
    assert period(str(m)) == m
    assert m.shift(12) == Month(year + 1, month)


@given(
    st.lists(
        st.one_of(
            years.map(FinancialYear),
            years.map(CalendarYear),
            st.tuples(years, st.integers(1, 4)).map(lambda a: Quarter(*a)),
        ),
        min_size=2,
        max_size=8,
    )
)
def test_ordering_is_by_start_date(items: list[Period]) -> None:
    ordered = sorted(items)
    starts = [p.start for p in ordered]
    assert starts == sorted(starts)


def test_pydantic_field_and_json() -> None:
    class Row(BaseModel):
        baseline: Period
        target: FinancialYear

    row = Row(baseline="2012", target="2018/19")  # type: ignore[arg-type]
    assert row.baseline == CalendarYear(2012)
    dumped = row.model_dump_json()
    assert json.loads(dumped) == {"baseline": "2012", "target": "2018/19"}
    assert Row.model_validate_json(dumped) == row
    assert TypeAdapter(Period).json_schema()["type"] == "string"
    with pytest.raises(ValueError, match="financial year"):
        Row(baseline="2012", target="2012")  # type: ignore[arg-type]
