"""Issue 12's list, one example each: typed errors naming the field and the value, no silent
non-finite result, input wrong for its measure refused, missing never an error, readers that
name the line. The fuzz suite (tests/test_fuzz.py) searches for the rest."""

from __future__ import annotations

import math
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import outcomes
from outcomes import catalogue, incentives, rollup, stats, units
from outcomes.errors import (
    FrameworkError,
    IncentiveError,
    InputError,
    OutputError,
    ScoringError,
    TrajectoryError,
    UnitError,
    UnitWarning,
)
from outcomes.io import ActualsTable, Column, Table, read_actuals, read_baselines, write_xlsx

ROOT = Path(__file__).parent.parent
SPAN = {"start": "2013/14", "end": "2015/16"}


# -- typed errors, never raw Python or numpy ones -------------------------------------------


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: outcomes.wilson(10**400, 10), ScoringError, "count .* 401 digits"),
        (lambda: outcomes.percentage_change(10**400, -0.1, **SPAN), TrajectoryError, "baseline"),
        (lambda: outcomes.wilson(5, 10, z="x"), ScoringError, "z must be a positive number"),
        (lambda: outcomes.byar(5, z=math.nan), ScoringError, "z must be"),
        (lambda: outcomes.hold(1.0, **SPAN).rounded(400), Exception, "ndigits .* 0 to 12, got 400"),
        (lambda: outcomes.phase(100.0, [0.5, 0.5], ndigits=400), TrajectoryError, "ndigits"),
        (lambda: outcomes.wilson(5, 10, 99.8), ScoringError, "give 0.998"),
        (lambda: outcomes.rate_ci(5, 100, confidence=95), ScoringError, "give 0.95"),
    ],
)
def test_typed_errors(call: Any, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message) as caught:
        call()
    assert isinstance(caught.value, outcomes.OutcomesError)


@pytest.mark.parametrize(
    ("call", "fields"),
    [
        (lambda: outcomes.wilson([1, 2, 3], [10, 20]), ("count", "denominator")),
        (lambda: outcomes.rate_ci([1, 2, 3], [10, 20]), ("count", "denominator")),
        (lambda: outcomes.dsr_ci([1.0, 2.0], [1, 2, 3], [1.0, 1.0]), ("dsr", "count")),
        (
            lambda: outcomes.percentage_change([1.0, 2.0], [-0.1, 0.1, 0.2], **SPAN),
            ("baseline", "rate"),
        ),
        (lambda: outcomes.to_target([1.0, 2.0], [1.0, 2.0, 3.0], **SPAN), ("baseline", "target")),
        (
            lambda: outcomes.composite(
                [outcomes.hold([1.0, 2.0], **SPAN), outcomes.hold([1.0, 2.0, 3.0], **SPAN)]
            ),
            ("part 0", "part 1"),
        ),
        (
            lambda: outcomes.score(
                outcomes.hold([1.0, 2.0], **SPAN, polarity="lower"), [[1.0, 2.0]] * 3
            ),
            ("actuals", "targets"),
        ),
        (
            lambda: outcomes.bcf_performance_payment(
                baseline_admissions=[5000, 5200],
                planned_reduction=[0.03, 0.03, 0.03],
                actual_admissions=[4900, 5000],
                cost_per_admission=1490.0,
            ),
            ("baseline_admissions", "planned_reduction"),
        ),
        (
            lambda: outcomes.bcf_performance_payment(
                baseline_admissions=[5000, 5200],
                planned_reduction=0.03,
                actual_admissions=[4900, 5000, 5100],
                cost_per_admission=1490.0,
            ),
            ("baseline_admissions", "actual_admissions"),
        ),
    ],
)
def test_mismatched_shapes_name_both_fields_and_shapes(call: Any, fields: tuple[str, str]) -> None:
    with pytest.raises(outcomes.OutcomesError) as caught:
        call()
    message = str(caught.value)
    assert all(f in message for f in fields), message
    assert message.count("(") >= 2, message  # both shapes


def test_unknown_strings_anywhere() -> None:
    with pytest.raises(ScoringError, match="method must be one of 'byar', 'exact', got 'bogus'"):
        outcomes.dsr_ci(500.0, 100, 2500.0, method="bogus")  # type: ignore[arg-type]
    with pytest.raises(TrajectoryError, match="kind must be one of 'rate', 'count', got 'bogus'"):
        rollup.apportion(90.0, [3, 1], [80.0, 160.0], **SPAN, kind="bogus")  # type: ignore[arg-type]
    with pytest.raises(TrajectoryError, match="nan_policy"):
        stats.quantile_bounds([1, 2, 3, 4, 5], nan_policy="bogus")  # type: ignore[arg-type]
    with pytest.raises(ScoringError, match="did you mean 'exact'"):
        outcomes.rate_ci(5, 100, method="exakt")  # type: ignore[arg-type]
    with pytest.raises(ScoringError, match="method"):
        outcomes.rate_ci(5, 100, method=np.array(["byar", "exact"]))  # type: ignore[arg-type]
    with pytest.raises(UnitError, match="known units: count, days"):
        outcomes.hold(1.0, **SPAN, unit="furlongs")


# -- no non-finite result from finite input --------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        lambda: outcomes.percentage_change(1e308, 0.5, **SPAN),
        lambda: outcomes.rate_ci(5, 1e-310),
        lambda: incentives.quality_premium(
            "quality-premium-2014-15", population=1e308, achieved={}
        ),
        lambda: incentives.qof_payment(1e308, edition="qof-2024-25", list_size_adjustment=1e308),
        lambda: outcomes.composite([outcomes.hold(1e308, **SPAN), outcomes.hold(1e308, **SPAN)]),
        lambda: units.convert(1e307, "per_100", "per_100000"),
    ],
)
def test_overflow_is_an_error(call: Any) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no numpy RuntimeWarning on the way either
        with pytest.raises(outcomes.OutcomesError, match=r"overflow|too large|not finite"):
            call()


def test_finite_input_gives_finite_output() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        lo, hi = outcomes.wilson(1e308, 1e308)
        assert (lo, hi) == (pytest.approx(1.0), 1.0)
        assert outcomes.wilson(0, 1e-310) == (0.0, 1.0)
        assert np.isfinite(outcomes.poisson_exact(5e-324)).all()
        assert math.isfinite(
            rollup.roll_up(outcomes.hold([1.0, 2.0], **SPAN), [1e308, 1e308]).values[0]
        )


def test_nan_where_a_number_is_required_is_an_error() -> None:
    with pytest.raises(ScoringError, match="per must be finite, got nan"):
        outcomes.rate_ci(20, 50_000, per=math.nan)
    qp = (ROOT / "src/outcomes/catalogue/data/quality-premium-2014-15.toml").read_text()
    broken = qp.replace("[value_per_head]\nvalue = 5.0", "[value_per_head]\nvalue = nan")
    assert broken != qp
    with pytest.raises(
        FrameworkError, match=r"value_per_head.value: Input should be a finite number"
    ):
        catalogue.parse(broken, source="qp.toml")


# -- input wrong for the measure, by the one unit table ---------------------------------------


def test_wrong_for_the_measure() -> None:
    percent = outcomes.hold(50.0, **SPAN, unit="percent", polarity="higher")
    rate = outcomes.hold(50.0, **SPAN, unit="per_100000", polarity="lower")
    with pytest.raises(ScoringError, match="between 0 and 100"):
        outcomes.score(percent, [101.0, 50.0])
    with pytest.raises(ScoringError, match="must be >= 0"):
        outcomes.score(rate, [-1.0, 50.0])
    with pytest.raises(TrajectoryError, match="between 0 and 100"):
        outcomes.hold(120.0, **SPAN, unit="percent")
    outcomes.hold(120.0, **SPAN, unit="index_percent")  # an index may exceed 100
    with pytest.raises(ScoringError, match="count must be <= denominator"):
        outcomes.score(percent, [50.0, 50.0], count=[60, 50], denominator=[50, 100])
    outcomes.score(rate, [50.0, 50.0], count=[60, 50], denominator=[50, 100])  # repeat events
    with pytest.raises(ScoringError, match="per must be one number > 0"):
        outcomes.rate_ci(5, 100, per=0)
    with pytest.raises(ScoringError, match="outside its own confidence interval"):
        outcomes.score(rate, [50.0, 50.0], lower=[40.0, 51.0], upper=[60.0, 60.0])
    with pytest.raises(IncentiveError, match="must be >= 0"):
        incentives.quality_premium("quality-premium-2014-15", population=-1, achieved={})


def test_fractions_for_a_percentage_warn_naming_the_measure() -> None:
    percent = outcomes.hold(50.0, **SPAN, unit="percent", polarity="higher", measure="reablement")
    with pytest.warns(UnitWarning, match="actuals of reablement"):
        outcomes.score(percent, [0.5, 0.52])
    with pytest.warns(UnitWarning, match="baselines of reablement"):
        outcomes.hold(0.5, **SPAN, unit="percent", measure="reablement")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        outcomes.score(percent, [0.5, 52.0])  # not every value a fraction: no warning


# -- missing is not bad -----------------------------------------------------------------------


def test_missing_values_get_markers_not_errors() -> None:
    t = outcomes.hold([50.0, 60.0], **SPAN, unit="percent", polarity="higher")
    s = outcomes.score(t, [[math.nan, "Awaiting data"], [None, ".."]])
    assert (s.rag == "GREY").all() and (s.verdict == "NOT_AVAILABLE").all()
    assert all(r["actual"] is None for r in s.to_records())
    with pytest.warns(stats.QuantileWarning, match="1 missing"):
        q = stats.assign_quantiles([1.0, math.nan, 3.0, 4.0], 2, polarity="higher")
    assert math.isnan(q[1])
    from outcomes import oversight

    m = oversight.metric_scores([1.0, math.nan, 3.0], polarity="higher")
    assert m.status.tolist() == ["SCORED", "NOT_SCORED", "SCORED"]
    assert incentives.money(math.nan) == "missing"


# -- readers: every problem with its line -----------------------------------------------------


def test_actuals_files(tmp_path: Path) -> None:
    path = tmp_path / "actuals.csv"
    path.write_text(
        "measure,period,value,lower,upper\npyll,2014/15\npyll,2015/16,,,\npyll,2016/17,5,6,7\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match=r"line 4: the actual 5\.0 lies outside its own"):
        read_actuals(path)
    path.write_text("measure,period,value\npyll,2014/15\npyll,2015/16,\n", encoding="utf-8")
    table = read_actuals(path)  # short rows and empty cells are missing values
    assert np.isnan(table.value).all() and table.line.tolist() == [2, 3]
    rows = ActualsTable.from_rows([{"measure": "pyll", "period": "2014/15", "value": None}])
    assert np.isnan(rows.value).all()
    path.write_text("measure,period,value\npyll,2014/15,1\npyll,2014/15,2\n", encoding="utf-8")
    with pytest.raises(InputError, match="lines 2 and 3 both give the actual for pyll, 2014/15"):
        read_actuals(path)


def test_encodings(tmp_path: Path) -> None:
    text = "organisation,name,measure,period,value\n99A,Café £,pyll,2013,12.5\n"
    for encoding in ("utf-8", "utf-8-sig", "cp1252"):
        path = tmp_path / f"{encoding}.csv"
        path.write_bytes(text.encode(encoding))
        assert read_baselines(path).names() == {"99A": "Café £"}
    path = tmp_path / "utf16.csv"
    path.write_bytes(text.encode("utf-16"))
    with pytest.raises(InputError, match=r"line 1: not a text baselines file"):
        read_baselines(path)
    path.write_bytes(text.encode("utf-8").replace(b"\xc3\xa9", b"\x81\x81"))  # no encoding reads it
    with pytest.raises(InputError, match=r"UTF-8: byte 0x81 at line 2; Windows-1252: byte 0x81"):
        read_baselines(path)


def test_over_long_fields_and_deep_nesting(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text('measure,period,value\npyll,2014/15,1\n"' + "x" * 200_000 + '",2015/16,2\n')
    with pytest.raises(InputError, match="line 3: not valid CSV: a cell longer than 100,000"):
        read_actuals(path)
    deep = "x = " + "[" * 5000 + "]" * 5000
    with pytest.raises(InputError, match="line 1: nested too deeply"):
        outcomes.parse_plan(deep)
    with pytest.raises(FrameworkError, match="line 1: nested too deeply"):
        catalogue.parse("[" * 5000 + "]" * 5000, json=True)


# -- writers ----------------------------------------------------------------------------------


def test_sheet_names_are_made_valid(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    names = ["a/b:c*?[]", "History", "x" * 40, "", "'quoted'", "tab\there", "a/b:c*?[]"]
    tables = [Table(n, (Column("=1+1"),), [("=SUM(A1)",)]) for n in names]
    write_xlsx(tables, tmp_path / "out.xlsx")
    book = load_workbook(tmp_path / "out.xlsx")
    assert len(set(book.sheetnames)) == len(names)
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\\t") for n in book.sheetnames)
    assert "History" not in book.sheetnames
    for sheet in book.worksheets:
        assert sheet["A1"].data_type == "s" and sheet["A2"].data_type == "s"
    with pytest.raises(OutputError, match="Excel holds at most 32,767"):
        write_xlsx([Table("t", (Column("a"),), [("x" * 40_000,)])], tmp_path / "long.xlsx")
    write_xlsx([Table("t", (Column("a"),), [("bell\x07",)])], tmp_path / "control.xlsx")
    assert load_workbook(tmp_path / "control.xlsx")["t"]["A2"].value == "bell\ufffd"


def test_counts_above_their_denominator_for_a_share(tmp_path: Path) -> None:
    plan = (ROOT / "examples/illustrative-ccg.toml").read_text(encoding="utf-8")
    with pytest.raises(InputError, match=r"measures\.reablement\.baseline\.count: .*count 600\.0"):
        outcomes.parse_plan(
            plan.replace("count = 392, denominator = 500", "count = 600, denominator = 500")
        )
    for name in ("illustrative-icb.toml",):
        (tmp_path / name).write_text((ROOT / "examples" / name).read_text(), encoding="utf-8")
    baselines = (ROOT / "examples/illustrative-icb-baselines.csv").read_text(encoding="utf-8")
    assert ",392,500" in baselines
    (tmp_path / "illustrative-icb-baselines.csv").write_text(
        baselines.replace(",392,500", ",600,500")
    )
    with pytest.raises(InputError, match=r"line 4, measure 'reablement': count 600\.0 is above"):
        outcomes.run_plan(tmp_path / "illustrative-icb.toml")
    # a rate of repeat events may exceed its population
    outcomes.score(
        outcomes.hold(50.0, **SPAN, unit="per_100", polarity="lower"),
        [50.0, 50.0],
        count=[60, 50],
        denominator=[50, 100],
    )
