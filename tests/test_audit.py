"""Auditing published rows: rules recovered, the odd cell flagged, alternatives reported."""

from __future__ import annotations

import json

import numpy as np
from hypothesis import assume, given
from hypothesis import strategies as st

from outcomes.audit import AuditReport, audit
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
    assert any(t.startswith("the baseline were") for t in text)
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
    assert r.worse_than_baseline == ("2014/15",)
    assert "2014/15" in r.non_monotone and "2016/17" in r.non_monotone


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
    linear = next(f for f in report.fits if f.form == "linear" and f.indexing == "elapsed")
    if cell < 4:
        assert linear.flagged == (YEARS[cell],)
    assert len(report.flagged) <= 1 or np.isnan(baseline)
