"""Auditing published rows: rules recovered, the odd cell flagged, alternatives reported."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from outcomes.assurance import AuditReport, audit, audit_table
from outcomes.trajectories import percentage_change, to_target

YEARS = ["2014/15", "2015/16", "2016/17", "2017/18", "2018/19"]


def test_west_essex_eq5d_row_is_linear_by_plan_year() -> None:
    report = audit(
        ["75", "76", "77", "78", "79"],
        baseline=74.2,
        start="2012/13",
        periods=YEARS,
        polarity="higher",
    )
    assert report.ok and report.ndigits == 0
    assert report.best is not None and (report.best.rule, report.best.form) == (
        "to_target",
        "linear",
    )
    assert report.best.indexing == "plan-year" and report.best.value == 79.0


def test_final_cell_two_steps_on_is_flagged_with_its_explanations() -> None:
    # like the West Essex PYLL row: the last cell is computed one extra step on
    report = audit([1531, 1492, 1455, 1419, 1349], baseline=1610, start="2012", periods=YEARS)
    assert report.flagged == ("2018/19",)
    assert report.best is not None and report.best.value == -0.025
    lo, hi = report.best.interval
    assert lo <= -0.025 <= hi
    text = [e.explanation for e in report.explanations]
    assert "7 steps were counted from the baseline instead of 6" in text
    assert "2018/19: printed 1349" in str(report) and "gives 1383" in str(report)
    assert AuditReport.model_validate_json(report.model_dump_json()) == report
    json.loads(report.model_dump_json())


def test_simple_instead_of_compound_in_one_year() -> None:
    b, r = 2000.0, -0.05
    cells = [round(b * (1 + r) ** k) for k in range(1, 6)]
    cells[2] = round(b * (1 + r * 3))  # one year applied simply
    report = audit(cells, baseline=b, start="2013/14", periods=YEARS)
    assert report.flagged == ("2016/17",)
    assert any("applied simply" in e.explanation for e in report.explanations)


def test_missing_and_bad_rows_are_reported_not_dropped() -> None:
    r = audit(["Awaiting indicator"] * 5, baseline=74.2, start="2012/13", periods=YEARS)
    assert not r.audited and "missing marker" in (r.reason or "")
    r = audit(["Awaiting indicator", 75, 76, 77, 78], baseline=74.2, start="2012/13", periods=YEARS)
    assert not r.audited and "2014/15" in (r.reason or "")
    assert "not audited" in str(r)
    r = audit(["12.1", "eleven", "10.3", "9.9", "9.0"], baseline=13, start="2012", periods=YEARS)
    assert not r.audited and "'eleven' is not a number" in (r.reason or "")
    r = audit([10.0], baseline=11.0, start="2013/14", periods=["2014/15"])
    assert not r.audited and "single period" in (r.reason or "")


def test_worse_than_baseline_and_non_monotone() -> None:
    r = audit(
        [101, 99, 100, 98, 97], baseline=100, start="2013/14", periods=YEARS, polarity="lower"
    )
    # one flag per cell: 2014/15 is worse than the baseline (and turns back: the first kind wins)
    assert r.worse_than_baseline == ("2014/15",)
    assert r.non_monotone == ("2016/17",)
    assert [f.kind for f in r.flags if f.period == "2014/15"] == ["worse_than_baseline"]


rates = st.sampled_from([-0.1, -0.05, -0.032, -0.025, -0.02, -0.015, -0.01, 0.01, 0.02, 0.035])


@given(st.floats(500.0, 5000.0), rates, st.booleans(), st.integers(0, 1))
def test_generated_rows_audit_back_to_their_rule(
    baseline: float, rate: float, compound: bool, ndigits: int
) -> None:
    baseline = round(baseline, 1)
    t = percentage_change(baseline, rate, start="2013", periods=YEARS, compound=compound)
    cells = t.rounded(ndigits).values.tolist()
    report = audit(cells, baseline=baseline, start="2013", periods=YEARS, ndigits=ndigits)
    assert report.flagged == ()
    assert report.best is not None
    lo, hi = report.best.interval
    if report.best.rule.startswith("percentage_change"):
        assert lo - 1e-9 <= report.best.value <= hi + 1e-9
    # the generating rule itself reproduces every cell
    gen = next(
        f
        for f in report.fits
        if (f.rule, f.form) == ("percentage_change", "compound" if compound else "simple")
        and f.indexing == "elapsed"
    )
    assert gen.flagged == ()
    assert gen.interval[0] - 1e-9 <= rate <= gen.interval[1] + 1e-9


@given(st.floats(500.0, 5000.0), rates, st.integers(0, 4), st.integers(2, 9))
def test_perturbing_one_cell_flags_exactly_that_cell(
    baseline: float, rate: float, cell: int, bump: int
) -> None:
    baseline = round(baseline)
    t = to_target(baseline, baseline * (1 + 5 * rate), start="2013/14", end="2018/19")
    cells = t.rounded(0).values.tolist()
    assume(abs(cells[-1] - baseline) >= 10)
    cells[cell] += bump * (1 if cell % 2 else -1) * max(1, round(abs(cells[-1] - baseline) / 3))
    report = audit(cells, baseline=baseline, start="2013/14", periods=YEARS, ndigits=0)
    # the linear form alone, fitted by its closed-form inverse, flags exactly the changed cell
    from outcomes.assurance.fit import fit_rows

    (linear,) = [
        c
        for c in fit_rows(
            np.array([cells], dtype=float),
            np.array([float(baseline)]),
            np.array([1.0]),
            {"elapsed": (np.arange(1.0, 6.0), 5.0)},
            ("half_up",),
        )
        if c.form.label == "linear"
    ]
    if cell < 4:
        assert np.flatnonzero(linear.flagged[0]).tolist() == [cell]
    assert len(report.flagged) <= 1


# ---------------------------------------------------------------- the kinds of row in the 2014 plans
# Rows built from the descriptions in the project's note on the 2014 plans (plans-2014, sections 2
# and 4): every kind is explained with its rule and rounding, flagged with the right kind, or
# refused with the reason.


def test_two_phase_row_finds_the_break() -> None:
    # a service change first (a 30% fall by 2015/16), then 2% a year (R9 with R1, WE composite)
    b = 2407.0
    cells = [
        round(b * 0.7 ** (k / 2)) if k <= 2 else round(b * 0.7 * 0.98 ** (k - 2))
        for k in range(1, 6)
    ]
    report = audit(
        cells,
        baseline="2,407",
        start="12/13",
        periods=["13/14", "14/15", "15/16", "16/17", "17/18"],
    )
    assert report.ok and report.best is not None
    assert report.best.rule == "two_phase" and report.best.break_period == "2014/15"
    assert report.best.value == pytest.approx(-0.02)
    assert report.best.parameters["step"] == pytest.approx(-0.3)


def test_truncation_is_explained_by_the_plain_rule() -> None:
    # a linear path 6.0 -> 4.8 (a simple 4% a year) printed by cutting digits off
    report = audit(
        ["5.7", "5.5", "5.2", "5.0", "4.8"], baseline="6.0", start="2013/14", periods=YEARS
    )
    assert report.ok and report.best is not None
    assert (report.best.rule, report.best.form, report.best.rounding, report.best.value) == (
        "percentage_change",
        "simple",
        "truncate",
        -0.04,
    )
    linear = audit(
        ["5.7", "5.5", "5.2", "5.0", "4.8"],
        baseline="6.0",
        start="2013/14",
        periods=YEARS,
        rounding="truncate",
    ).fits
    assert any((f.form, f.value, f.flagged) == ("linear", 4.8, ()) for f in linear)


HALVES = ["7.7", "6.5", "5.4", "4.2", "3.1"]  # 6.55 and 4.25 shown at the lower value


def test_half_way_cells_shown_at_the_lower_value() -> None:
    # WE's linear row shows two half-way cells at the lower value (plans-2014 section 1.4)
    report = audit(HALVES, baseline="10.0", start="2012", periods=YEARS)
    assert report.ok and report.best is not None
    assert (report.best.form, report.best.indexing, report.best.rounding) == (
        "linear",
        "elapsed",
        "half_down",
    )
    assert report.best.value == 3.1


def test_a_transposed_digit_is_a_typo_with_the_intended_value() -> None:
    b = 1600.0
    cells = [round(b * (1 - 0.025) ** k) for k in range(1, 6)]
    assert cells[3] == 1446
    cells[3] = 1464  # transposed
    report = audit(cells, baseline=b, start="2013/14", periods=YEARS)
    (flag,) = report.flags
    assert (flag.period, flag.kind, flag.suggested, flag.expected) == (
        "2017/18",
        "typo",
        1446.0,
        1446.0,
    )
    assert "likely a typo for 1446" in str(report)


def test_the_issues_typo_examples() -> None:
    from outcomes.assurance.explain import typo

    assert typo(1427, 1472, 0) and typo(707, 770, 0) and typo(5.3, 5.8, 1)
    assert not typo(1349, 1383, 0) and not typo(1472, 1472, 0) and not typo(99, 100, 0)


def test_another_explanation_beats_a_typo() -> None:
    # the last cell is two steps on (WE PYLL): an explanation by the rule, so 'inconsistent'
    report = audit([1531, 1492, 1455, 1419, 1349], baseline=1610, start="2012", periods=YEARS)
    assert [f.kind for f in report.flags] == ["inconsistent"]
    assert report.explanations


def test_quarterly_rows_are_refused_without_a_profile_and_checked_with_one() -> None:
    quarters = ["2014/15 Q1", "2014/15 Q2", "2014/15 Q3", "2014/15 Q4"]
    refused = audit(
        [560.1, 530.4, 610.2, 621.3], baseline=2322.0, start="2013/14", periods=quarters
    )
    assert not refused.audited and "profile" in (refused.reason or "")
    shares = [0.24, 0.23, 0.26, 0.27]
    printed = [round(2322.0 * w, 1) for w in shares]
    report = audit(printed, baseline=2322.0, start=None, periods=quarters, profile=shares)
    assert report.ok and report.best is not None and report.best.rule == "phase"
    # without a baseline the annual figure is the quarters' sum
    assert audit(printed, baseline=None, start=None, periods=quarters, profile=shares).ok
    wrong = printed.copy()
    wrong[2] = printed[2] + 40.0
    bad = audit(wrong, baseline=2322.0, start=None, periods=quarters, profile=shares)
    assert bad.flagged == ("2014/15 Q3",) and bad.explanations  # and the parts no longer sum up


def test_printed_labels_and_numbers_as_the_plans_print_them() -> None:
    report = audit(
        ["1,531", "1,492", "1,455", "1,419", "1,383"],
        baseline="1,610 (2012)",
        start=None,
        periods=["14/15", "15.16", "2016-17", "2017/18", "18/19"],
    )
    assert report.ok and report.periods == tuple(YEARS) and report.start == "2012"


def test_finance_rows_are_not_trajectories_when_the_table_is_given() -> None:
    periods = ["2014/15", "2015/16", "2016/17", "2017/18"]
    rows = [
        {
            "measure": "acute",
            "values": [100, 104, 108, 112],
            "baseline": 96,
            "start": "2013/14",
            "periods": periods,
        },
        {
            "measure": "community",
            "values": [50, 53, 57, 60],
            "baseline": 48,
            "start": "2013/14",
            "periods": periods,
        },
        {
            "measure": "total",
            "values": [150, 157, 165, 172],
            "baseline": 144,
            "start": "2013/14",
            "periods": periods,
        },
        {
            "measure": "reserve",
            "values": [10, 10, 15, 15],
            "baseline": 10,
            "start": "2013/14",
            "periods": periods,
        },
    ]
    checked = audit_table(rows, check_arithmetic=True)
    assert checked[2].reason == "not a trajectory: the row is the sum of rows acute and community"
    assert "holds 10 and then steps to 15" in (checked[3].reason or "")
    assert checked[0].audited and checked[1].audited
    assert all(r.audited for r in audit_table(rows))  # otherwise left alone


def test_audit_table_keeps_going_past_bad_rows(tmp_path) -> None:
    path = tmp_path / "rows.csv"
    path.write_text(
        "code,baseline,start,14/15,15/16,16/17\n"
        "good,100,2013/14,97,94,91\n"
        "short,100\n"
        "words,100,2013/14,ninety,94,91\n"
        "again,200,2013/14,194,188,182\n",
        encoding="cp1252",
    )
    reports = audit_table(path)
    assert [r.audited for r in reports] == [True, False, False, True]
    assert reports[1].reason.startswith("line 3: ")
    assert reports[2].reason.startswith("line 4: 2014/15: 'ninety' is not a number")


def test_rounding_argument_and_ranking() -> None:
    from outcomes.assurance.fit import plainest, plainness

    assert plainness(np.array([42.5]), False)[0] < plainness(np.array([42.475]), False)[0]
    assert plainest(np.array([42.47]), np.array([42.52]), False)[0] == 42.5
    report = audit(HALVES, baseline="10.0", start="2012", periods=YEARS, rounding="half_up")
    assert report.best is not None and report.best.rounding == "half_up"
    # under half-up only an odd end value (3.075) prints the row linearly: 3.1 needs half-down
    assert next(f for f in report.fits if f.form == "linear").value != 3.1
    bad = audit([12, 11], baseline=13, start="2012", periods=YEARS[:2], rounding="banker")
    assert not bad.audited and "rounding must be" in (bad.reason or "")
