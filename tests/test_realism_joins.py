"""Realism joined to plans: histories in plan files, peer_achieved from data, the realism of each
trajectory in score_plan, the tables, the xlsx, the HTML report and the CLI.

Real data (tests/data, see README.md): PYLL for all 211 CCGs 2009-2014 with 95% limits (also
shipped as examples/pyll-ccg-2009-2014.csv in a history's long format), ASCOF 2B(1) for ten
Greater Manchester councils (higher is better), and a Fingertips export (Campylobacter, UTLAs).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from outcomes.cli import main
from outcomes.errors import InputError, OutcomesError, ScoringError
from outcomes.frames import history_from_frame
from outcomes.realism import Realism, achievability, peer_rate, probability, trajectory_realism
from outcomes.report import render_report
from outcomes.trajectories import percentage_change
from outcomes.workflow import (
    HistorySet,
    parse_plan,
    run_plan,
    score_plan,
    select_history,
)

ROOT = Path(__file__).parent.parent
DATA = Path(__file__).parent / "data"
EXAMPLES = ROOT / "examples"
PYLL = DATA / "pyll_ccg_2009_2014_person_limits.csv"
PYLL_COLUMNS = {
    "area": "Level",
    "period": "Reporting period",
    "value": "DSR",
    "lower": "CI lower",
    "upper": "CI upper",
    "name": "Level description",
}
CAMPY = DATA / "fingertips_93356_campylobacter_utla_2015_2017.csv"
ASCOF = DATA / "ascof_2b1_home_91_days_after_reablement_greater_manchester_2010_2018.csv"

#: Darlington CCG's published 2013 PYLL, the baseline of a 3.2%-a-year plan to 2018/19.
DARLINGTON_PLAN = """
first = "2014/15"
end = "2018/19"

[organisation]
code = "00C"
name = "NHS Darlington CCG"
population = 105000

[measures.pyll]
ambition = 1
baseline = {{ value = 2229.2, period = "2013" }}
rule = {{ name = "percentage_change", rate = -0.032 }}
{history}
"""


def darlington(history: str = "history = {}", extra: str = "") -> str:
    return DARLINGTON_PLAN.format(history=history) + extra


HISTORY_TABLE = f"""
[history]
file = "{PYLL.as_posix()}"
columns = {{ area = "Level", period = "Reporting period", value = "DSR", lower = "CI lower", upper = "CI upper", name = "Level description" }}
"""


@pytest.fixture(scope="module")
def pyll() -> HistorySet:
    return select_history(PYLL, columns=PYLL_COLUMNS)


@pytest.fixture(scope="module")
def darlington_targets():  # type: ignore[no-untyped-def]
    return run_plan(parse_plan(darlington(extra=HISTORY_TABLE)))


# --------------------------------------------------------------------------------------------
# select_history
# --------------------------------------------------------------------------------------------


def test_long_csv_with_its_own_column_names_equals_the_frame_pivot(pyll: HistorySet) -> None:
    frame = history_from_frame(
        pd.read_csv(PYLL, dtype=str),
        area="Level",
        period="Reporting period",
        value="DSR",
        lower="CI lower",
        upper="CI upper",
    )
    assert pyll.areas == frame.areas and pyll.periods == frame.periods
    np.testing.assert_array_equal(pyll.values, frame.values)
    np.testing.assert_array_equal(pyll.lower, frame.lower)  # type: ignore[arg-type]
    np.testing.assert_array_equal(pyll.upper, frame.upper)  # type: ignore[arg-type]
    assert pyll.area_names[pyll.areas.index("00C")] == "NHS Darlington CCG"
    assert pyll.describe().startswith("211 areas x 6 periods (2009–2014) from ")
    assert pyll.describe().endswith("0 cells missing; 95% confidence limits used")


def test_the_shipped_history_is_the_test_data_in_long_format(pyll: HistorySet) -> None:
    shipped = select_history(EXAMPLES / "pyll-ccg-2009-2014.csv")
    assert shipped.areas == pyll.areas and shipped.periods == pyll.periods
    np.testing.assert_array_equal(shipped.values, pyll.values)
    np.testing.assert_array_equal(shipped.lower, pyll.lower)  # type: ignore[arg-type]
    assert shipped.area_names == pyll.area_names


def test_fingertips_history_is_one_series_never_pooled() -> None:
    with pytest.raises(InputError) as info:
        select_history(CAMPY)
    text = str(info.value)
    assert "the history is not one series" in text
    assert "area_type is open and the file has 3 values" in text
    assert "age is open and the file has 2 values (All ages; 0-9 yrs)" in text
    assert "--history-age" in text and "--history-area-type" in text
    h = select_history(CAMPY, area_type="County & UA", age="All ages")
    assert (h.indicator, h.area_type, h.sex, h.age) == (93356, "County & UA", "Persons", "All ages")
    assert h.periods == ("2015", "2016", "2017") and h.n == 152 and h.lower is not None
    assert h.describe().startswith("indicator 93356, County & UA, Persons, All ages: 152 areas")
    with pytest.raises(InputError, match="no rows for area_type='CCG'"):
        select_history(CAMPY, area_type="CCG", age="All ages")


def test_fingertips_suppressed_values_are_missing_cells_and_limits_kept() -> None:
    h = select_history(CAMPY, area_type="County & UA", age="All ages")
    assert h.missing == int(np.isnan(h.values).sum()) > 0
    assert np.isnan(h.lower[np.isnan(h.values)]).all()  # type: ignore[index]


def write(tmp_path: Path, text: str, name: str = "history.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_long_csv_errors_name_columns_lines_and_values(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        select_history(write(tmp_path, "code,year,rate\nA,2013,1\n"))
    text = str(info.value)
    assert (
        "missing column(s) 'area', 'period', 'value'" in text and "'code', 'year', 'rate'" in text
    )
    with pytest.raises(InputError, match=r"'DSR' \(for value\)"):
        select_history(write(tmp_path, "area,period,value\nA,2013,1\n"), columns={"value": "DSR"})
    with pytest.raises(InputError, match="unknown key\\(s\\) 'rate'"):
        select_history(write(tmp_path, "area,period,value\nA,2013,1\n"), columns={"rate": "x"})
    with pytest.raises(InputError, match="line 3, column 'value': not a number: 'lots'"):
        select_history(write(tmp_path, "area,period,value\nA,2013,1\nA,2014,lots\n"))
    with pytest.raises(InputError, match="A 2013 \\(lines 2 and 3\\)"):
        select_history(write(tmp_path, "area,period,value\nA,2013,1\nA,2013,2\n"))
    with pytest.raises(InputError, match="'2012 - 14'"):
        select_history(write(tmp_path, "area,period,value\nA,2012 - 14,1\n"))
    with pytest.raises(InputError, match="of one kind"):
        select_history(write(tmp_path, "area,period,value\nA,2013,1\nA,2014/15,2\n"))
    with pytest.raises(InputError, match="column 'lower' needs 'upper'"):
        select_history(write(tmp_path, "area,period,value,lower\nA,2013,1,0.5\n"))
    with pytest.raises(InputError, match="must surround the value"):
        select_history(write(tmp_path, "area,period,value,lower,upper\nA,2013,1,2,3\n"))
    with pytest.raises(InputError, match="select from a Fingertips export"):
        select_history(write(tmp_path, "area,period,value\nA,2013,1\n"), sex="Persons")
    with pytest.raises(InputError, match="areas not in the history: Z"):
        select_history(write(tmp_path, "area,period,value\nA,2013,1\n"), areas=["A", "Z"])
    with pytest.raises(InputError, match="every selected value is missing"):
        select_history(write(tmp_path, "area,period,value\nA,2013,..\n"))
    with pytest.raises(InputError, match="empty"):
        select_history(write(tmp_path, ""))


def test_long_csv_gaps_markers_partial_limits_and_areas(tmp_path: Path) -> None:
    text = (
        "Area,Period,Value,Lower,Upper\n"
        'B,2011,"1,200",1100,1300\n'
        "A,2011,10,9,11\n"
        "A,2014,x,,\n"
        "A,2013,12,,\n"
        "B,2013,1250,1150,1350\n"
    )
    h = select_history(write(tmp_path, text))
    assert h.areas == ("A", "B") and h.periods == ("2011", "2012", "2013", "2014")
    np.testing.assert_array_equal(
        h.values, [[10.0, np.nan, 12.0, np.nan], [1200.0, np.nan, 1250.0, np.nan]]
    )
    assert h.lower is None and "limits missing for 1 of 4 values: not used" in h.describe()
    only = select_history(write(tmp_path, text), areas=["B"])
    assert only.areas == ("B",) and "areas as listed" in only.describe()


# --------------------------------------------------------------------------------------------
# plan files
# --------------------------------------------------------------------------------------------


def test_plan_file_history_tables_parse_and_bad_keys_are_named() -> None:
    plan = parse_plan(darlington(extra=HISTORY_TABLE))
    assert plan.history is not None and plan.history.columns == PYLL_COLUMNS
    assert plan.measures["pyll"].history is not None
    with pytest.raises(InputError) as info:
        parse_plan(darlington('history = { file = "x.csv", columns = { rate = "DSR" } }'))
    assert any(p.startswith("measures.pyll.history.columns") for p in info.value.problems)
    with pytest.raises(InputError) as info:
        parse_plan(darlington('history = { fil = "x.csv" }'))
    assert any("measures.pyll.history.fil" in p for p in info.value.problems)
    with pytest.raises(InputError) as info:
        parse_plan(darlington('history = { file = "x.csv", confidence = 95 }'))
    assert any("measures.pyll.history.confidence" in p for p in info.value.problems)


def test_a_history_needs_a_file_and_a_fingertips_selection_is_checked(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"measures.pyll.history: the selection names no file"):
        run_plan(parse_plan(darlington()))
    plan = darlington(f'history = {{ file = "{CAMPY.as_posix()}", area_type = "County & UA" }}')
    with pytest.raises(InputError) as info:
        run_plan(parse_plan(plan))
    assert str(info.value).startswith("measures.pyll.history: ")
    assert "age is open and the file has 2 values (All ages; 0-9 yrs)" in str(info.value)


def test_relative_paths_are_read_from_the_plans_folder(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "pyll.csv").write_bytes((EXAMPLES / "pyll-ccg-2009-2014.csv").read_bytes())
    plan = tmp_path / "plan.toml"
    plan.write_text(darlington('history = { file = "data/pyll.csv" }'))
    targets = run_plan(plan)
    assert targets.histories["pyll"].source == str(tmp_path / "data" / "pyll.csv")
    assert "history for pyll" in targets.provenance()


def test_peer_achieved_takes_its_history_from_the_plan_file(pyll: HistorySet) -> None:
    text = darlington(history="").replace(
        'rule = { name = "percentage_change", rate = -0.032 }',
        'rule = { name = "peer_achieved" }',
    )
    targets = run_plan(parse_plan(text + HISTORY_TABLE))
    t = targets["pyll"]
    rate = peer_rate(pyll.values, polarity="lower", lower=pyll.lower, upper=pyll.upper)
    assert t.rule.name == "peer_achieved" and t.rule.parameters["noise_removed"] is True
    assert t.rule.parameters["rate"] == pytest.approx(rate, abs=1e-12)
    assert t.rule.parameters["peers"] == 211
    assert t.values[0, -1] == pytest.approx(2229.2 * (1 + rate) ** 5)
    # the measure asked for history through its rule, so it has its realism too
    assert "pyll" in targets.realism
    with pytest.raises(InputError, match=r"measures.pyll.rule.history: peer_achieved needs"):
        run_plan(parse_plan(text))
    # a history given in the rule is used as given (None = missing), with no realism
    inline = text.replace(
        '{ name = "peer_achieved" }',
        '{ name = "peer_achieved", history = [[100.0, 90.0, 85.5], [100.0, 100.0, 102.0], '
        "[100.0, 95.0, 95.0], [100.0, nan, 90.0]] }",
    )
    given_inline = run_plan(parse_plan(inline))
    assert given_inline["pyll"].rule.parameters["peers"] == 4
    assert given_inline.realism == {}


# --------------------------------------------------------------------------------------------
# the realism of a trajectory, and its sentence
# --------------------------------------------------------------------------------------------


def test_pyll_sentence_matches_direct_calls(darlington_targets, pyll: HistorySet) -> None:  # type: ignore[no-untyped-def]
    r = darlington_targets.realism["pyll"]
    assert isinstance(r, Realism)
    final = darlington_targets.published("pyll").values[0, -1]
    assert final == 1894.6
    planned = (final / 2229.2) ** (1 / 5) - 1
    assert r.planned_change[0] == pytest.approx(planned, rel=1e-12)
    assert round(planned, 4) == -0.032
    a = achievability(planned, pyll.values, polarity="lower", lower=pyll.lower, upper=pyll.upper)
    assert float(r.achievability.share[0]) == float(a.share)
    assert float(r.achievability.share_adjusted[0]) == pytest.approx(
        float(a.share_adjusted), rel=1e-12
    )  # type: ignore[index]
    assert a.n == 1055 and round(float(a.share), 3) == 0.403 and float(a.share_adjusted) < 0.005
    row = pyll.areas.index("00C")
    targets = np.full(pyll.n, np.nan)
    targets[row] = final
    p = probability(
        pyll.values, targets, polarity="lower", horizon=4, lower=pyll.lower, upper=pyll.upper
    )
    assert r.probability[0, -1] == pytest.approx(float(p.probability[row]), rel=1e-9)
    assert r.median[0, -1] == pytest.approx(float(p.median[row]), rel=1e-9)
    shown = f"{float(p.probability[row]):.0%}"
    assert r.sentence() == (
        "planned −3.2%/yr: achieved by 40% of CCG-years in 2009–2014 (<1% once sampling noise "
        f"is removed); probability of meeting 2018/19: {shown}"
    )
    assert r.sentence("00C", "2016/17").endswith(
        f"probability of meeting 2016/17: {r.probability[0, 2]:.0%}"
    )
    # 2014/15 starts in the history's last year: no forecast for it, and the note says why
    assert r.note[0].tolist() == ["NOT_AFTER_HISTORY", "OK", "OK", "OK", "OK"]
    assert "not computed (the target is not after the history)" in r.sentence(0, "2014/15")
    assert r.horizons.tolist() == [0.0, 1.0, 2.0, 3.0, 4.0]


def test_an_organisation_not_in_the_history_has_no_probability(pyll: HistorySet) -> None:
    targets = run_plan(EXAMPLES / "illustrative-ccg-history.toml")
    r = targets.realism["pyll"]
    assert set(targets.realism) == {"pyll", "pyll-record"}
    assert (r.note == "NO_HISTORY").all() and np.isnan(r.probability).all()
    assert r.sentence() == (
        "planned −3.2%/yr: achieved by 40% of CCG-years in 2009–2014 (<1% once sampling noise "
        "is removed); probability of meeting 2018/19: no history for this organisation"
    )
    record = targets.realism["pyll-record"]
    # peer_achieved at the 75th percentile of noise-free changes: a quarter of them as good
    assert float(record.achievability.share_adjusted[0]) == pytest.approx(0.25, abs=0.01)  # type: ignore[index]
    assert targets["pyll-record"].rule.parameters["rate"] == pytest.approx(
        peer_rate(pyll.values, polarity="lower", lower=pyll.lower, upper=pyll.upper)
    )


def test_second_indicator_higher_is_better_from_a_long_csv() -> None:
    h = select_history(
        ASCOF, columns={"area": "area_code", "name": "area_name"}, area_word="council"
    )
    assert h.periods[0] == "2010/11" and h.periods[-1] == "2017/18" and h.n == 10
    row = h.areas.index("E08000009")  # Trafford
    base = float(h.values[row, 3])  # 2013/14
    text = f"""
first = "2014/15"
end = "2019/20"
footprint = "hwb"
[organisation]
code = "E08000009"
name = "Trafford"
population = 235000
footprint = "hwb"
[measures.reablement]
name = "Older people at home 91 days after reablement"
unit = "percent"
polarity = "higher"
baseline = {{ value = {base}, period = "2013/14" }}
rule = {{ name = "to_target", target = 90.0 }}
history = {{}}
"""
    r = run_plan(parse_plan(text), history={"reablement": h}).realism["reablement"]
    planned = (90.0 / base) ** (1 / 6) - 1
    assert r.planned_change[0] == pytest.approx(planned, rel=1e-9)
    a = achievability(planned, h.values, polarity="higher")
    assert float(r.achievability.share[0]) == float(a.share)
    assert r.achievability.share_adjusted is None
    targets = np.full(h.n, np.nan)
    targets[row] = 90.0
    p = probability(h.values, targets, polarity="higher", horizon=2)
    assert r.probability[0, -1] == pytest.approx(float(p.probability[row]), rel=1e-9)
    assert r.note[0].tolist() == ["NOT_AFTER_HISTORY"] * 4 + ["OK", "OK"]
    assert "of council-years in 2010/11–2017/18; probability of meeting 2019/20:" in r.sentence()
    assert "(" not in r.sentence()  # no limits, no noise-adjusted share


def test_absolute_changes_and_the_area_word_from_the_footprint() -> None:
    h = select_history(ASCOF, columns={"area": "area_code"}, kind="absolute")
    text = """
[organisation]
code = "E08000009"
name = "Trafford"
population = 235000
footprint = "hwb"
[measures.reablement]
unit = "percent"
polarity = "higher"
baseline = { value = 80.0, period = "2015/16" }
rule = { name = "to_target", target = 83.0 }
end = "2018/19"
"""
    r = run_plan(parse_plan(text), history=h).realism["reablement"]
    assert r.kind == "absolute" and r.planned_change[0] == pytest.approx(1.0)
    a = achievability(1.0, h.values, polarity="higher", kind="absolute")
    assert float(r.achievability.share[0]) == float(a.share)
    assert r.sentence().startswith("planned +1 percentage points/yr: achieved by ")
    assert "of HWB-years in 2010/11–2017/18" in r.sentence()


def test_targets_that_are_not_whole_history_periods_after_its_end() -> None:
    history = np.array([[100.0, 98, 97, 95], [80, 81, 79, 78], [120, 118, 117, 119]])
    plan = percentage_change(
        [95.0],
        -0.02,
        start="2014/15",
        periods=["2015/16 Q1", "2015/16 Q2", "2015/16 Q3", "2015/16 Q4"],
        polarity="lower",
    ).with_organisations(["A"])
    r = trajectory_realism(
        plan, history, areas=["A", "B", "C"], periods=["2011/12", "2012/13", "2013/14", "2014/15"]
    )
    assert r.years == 1.0
    assert r.note[0].tolist() == ["NOT_WHOLE_STEPS"] * 3 + ["OK"]
    assert np.isnan(r.probability[0, :3]).all() and 0 < r.probability[0, 3] < 1


def test_trajectory_realism_errors() -> None:
    plan = percentage_change([95.0], -0.02, start="2014/15", end="2016/17", polarity="lower")
    history = [[100.0, 98, 97, 95], [80, 81, 79, 78], [120, 118, 117, 119]]
    periods = ["2011/12", "2012/13", "2013/14", "2014/15"]
    with pytest.raises(ScoringError, match="areas has 2 codes, history has 3 rows"):
        trajectory_realism(plan, history, areas=["A", "B"], periods=periods)
    with pytest.raises(ScoringError, match="must not repeat"):
        trajectory_realism(plan, history, areas=["A", "A", "B"], periods=periods)
    with pytest.raises(ScoringError, match="consecutive"):
        trajectory_realism(plan, history, areas=["A", "B", "C"], periods=[*periods[:3], "2015/16"])
    with pytest.raises(ScoringError, match="polarity"):
        trajectory_realism(
            percentage_change([95.0], -0.02, start="2014/15", end="2016/17"),
            history,
            areas=["A", "B", "C"],
            periods=periods,
        )
    r = trajectory_realism(plan, history, areas=["A", "B", "C"], periods=periods)
    with pytest.raises(ScoringError, match="not in this plan"):
        r.sentence("Z")
    with pytest.raises(ScoringError, match="not a target period"):
        r.sentence(0, "2020/21")


def test_realism_round_trips_through_json(darlington_targets) -> None:  # type: ignore[no-untyped-def]
    r = darlington_targets.realism["pyll"]
    assert Realism.model_validate_json(r.model_dump_json()) == r


# --------------------------------------------------------------------------------------------
# given histories, tables, xlsx, report, CLI
# --------------------------------------------------------------------------------------------


def test_given_histories_apply_to_the_measures_that_ask(pyll: HistorySet) -> None:
    plan = parse_plan(darlington(history=""))
    assert run_plan(plan).realism == {}
    assert set(run_plan(plan, history=pyll).realism) == {"pyll"}  # the only measure
    two = parse_plan(
        darlington(history="")
        + '[measures.other]\nambition = 1\nbaseline = { value = 2229.2, period = "2013" }\n'
        + 'rule = { name = "hold" }\n'
    )
    with pytest.raises(InputError, match="none asks for a history"):
        run_plan(two, history=pyll)
    assert set(run_plan(two, history={"other": pyll}).realism) == {"other"}
    with pytest.raises(InputError, match="does not have: nope"):
        run_plan(two, history={"nope": pyll})
    with pytest.raises(InputError, match="must be a HistorySet"):
        run_plan(two, history={"pyll": [[1.0]]})
    frame = history_from_frame(
        pd.read_csv(PYLL, dtype=str), area="Level", period="Reporting period", value="DSR"
    )
    from_frame = run_plan(plan, history=frame).realism["pyll"]
    assert from_frame.achievability.share_adjusted is None
    assert from_frame.sentence().startswith("planned −3.2%/yr: achieved by 40% of CCG-years")


def test_score_plan_tables_and_xlsx_have_the_realism_sheet(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    scores = score_plan(
        EXAMPLES / "illustrative-ccg-history.toml", EXAMPLES / "illustrative-ccg-actuals.csv"
    )
    assert scores.realism is scores.targets.realism
    names = [t.name for t in scores.tables()]
    assert names == ["summary", "scores", "Realism", "provenance"]
    assert "realism of pyll: planned −3.2%/yr" in str(scores)
    out = tmp_path / "scores.xlsx"
    assert (
        main(
            [
                "score",
                str(EXAMPLES / "illustrative-ccg-history.toml"),
                str(EXAMPLES / "illustrative-ccg-actuals.csv"),
                "-o",
                str(out),
            ]
        )
        == 0
    )
    book = openpyxl.load_workbook(out)
    assert "Realism" in book.sheetnames
    sheet = book["Realism"]
    header = [c.value for c in sheet[1]]
    rows = [
        dict(zip(header, [c.value for c in r], strict=True)) for r in sheet.iter_rows(min_row=2)
    ]
    assert len(rows) == 2 * 5  # two measures with history x five target periods
    first = rows[0]
    assert (first["organisation"], first["measure"], first["target period"]) == (
        "99Z",
        "pyll",
        "2014/15",
    )
    assert first["planned change"] == -3.2 and first["change in"] == "% a year"
    pyll = select_history(EXAMPLES / "pyll-ccg-2009-2014.csv")
    planned = (1827.7 / 2150.4) ** (1 / 5) - 1  # the published 2018/19 target of 99Z
    a = achievability(planned, pyll.values, polarity="lower", lower=pyll.lower, upper=pyll.upper)
    assert first["achieved by (%)"] == round(float(a.share) * 100, 1)
    assert first["changes in history"] == 1055
    assert first["probability of meeting (%)"] is None
    assert first["note"] == "no history for this organisation"
    assert first["in words"].startswith("planned −3.2%/yr")  # text, never a formula
    assert sheet.cell(row=2, column=header.index("in words") + 1).data_type == "s"
    provenance = [c.value for c in book["provenance"]["A"]]
    assert "(history for pyll)" in provenance


def test_targets_tables_csv_json_and_markdown(darlington_targets, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from outcomes.io import render_tables, write_csv

    tables = darlington_targets.tables()
    assert [t.name for t in tables][-2:] == ["Realism", "provenance"]
    realism = tables[-2]
    csv_text = write_csv(realism)
    assert "probability of meeting (%)" in csv_text and "'planned −3.2%/yr" not in csv_text
    assert "planned −3.2%/yr: achieved by 40%" in csv_text
    assert "## Realism" in render_tables(tables, "md")
    assert '"Realism": [' in render_tables(tables, "json")


def test_report_shows_the_sentence_the_odds_and_both_charts(darlington_targets) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("matplotlib")
    html = render_report(darlington_targets)
    r = darlington_targets.realism["pyll"]
    sentence = r.sentence().replace("<", "&lt;")
    assert sentence in html and "Is this ambition realistic?" in html
    assert 'aria-label="Chart of CCGs&#39; changes over a year' in html
    assert 'aria-label="Fan chart of the probable path: NHS Darlington CCG (00C)' in html
    assert html.count("<svg") == 3  # the trajectory, the changes, the fan
    assert f"{r.probability[0, -1]:.0%}" in html
    assert "not computed (the target is not after the history)" in html
    assert "history for pyll" in html and "<script" not in html


def test_report_of_an_organisation_without_history_has_no_fan() -> None:
    pytest.importorskip("matplotlib")
    targets = run_plan(EXAMPLES / "illustrative-ccg-history.toml")
    html = render_report(targets)
    assert "probability of meeting 2018/19: no history for this organisation" in html
    assert "Fan chart" not in html and html.count("Chart of CCGs&#39; changes") == 2


def test_cli_history_flags(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = tmp_path / "darlington.toml"
    plan.write_text(darlington(history=""))
    history = str(EXAMPLES / "pyll-ccg-2009-2014.csv")
    assert main(["plan", str(plan), "--history", history]) == 0
    out = capsys.readouterr().out
    assert "realism of pyll: planned −3.2%/yr: achieved by 40% of CCG-years in 2009–2014" in out
    assert main(["plan", str(plan), "--history", history, "--history-areas", "00C,00D,00F"]) == 0
    three = capsys.readouterr().out
    assert "of CCG-years in 2009–2014 (" in three and "probability of meeting 2018/19: " in three
    assert main(["plan", str(plan), "--history", str(CAMPY)]) == 1
    err = capsys.readouterr().err
    assert "the history is not one series" in err and "--history-area-type" in err
    assert main(["plan", str(plan), "--history-age", "All ages"]) == 1
    assert "give --history FILE" in capsys.readouterr().err
    assert main(["plan", str(plan), "--history", history, "--history-measure", "nope"]) == 1
    assert "does not have: nope" in capsys.readouterr().err
    report = tmp_path / "report.html"
    actuals = tmp_path / "actuals.csv"
    actuals.write_text("measure,period,value\npyll,2014/15,2150.0\n")
    args = ["report", str(plan), str(actuals), "--history", history, "-o", str(report)]
    assert main(args) == 0
    assert "Is this ambition realistic?" in report.read_text(encoding="utf-8")
    assert (
        main(["score", str(plan), str(actuals), "--history", history, "--history-measure", "pyll"])
        == 0
    )
    assert "realism of pyll" in capsys.readouterr().out


# --------------------------------------------------------------------------------------------
# properties (modest example counts: the model is fitted once per example)
# --------------------------------------------------------------------------------------------


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    rate=st.floats(0.0, 0.08),
    polarity=st.sampled_from(["lower", "higher"]),
    missing=st.booleans(),
)
def test_realism_agrees_with_direct_calls_and_never_hides_a_nan(
    seed: int, rate: float, polarity: str, missing: bool
) -> None:
    rng = np.random.default_rng(seed)
    history = 100 * np.exp(np.cumsum(rng.normal(0.0, 0.05, (12, 5)), axis=1))
    if missing:
        history[rng.integers(0, 12), rng.integers(0, 5)] = np.nan
    codes = [f"A{i}" for i in range(12)]
    orgs = ["A3", "Z9"]
    base = [float(np.nan_to_num(history[3, -1], nan=100.0)), 90.0]
    signed = -rate if polarity == "lower" else rate
    plan = percentage_change(
        base, signed, start="2014", end="2017/18", polarity=polarity
    ).with_organisations(orgs)
    r = trajectory_realism(plan, history, areas=codes, periods=[str(y) for y in range(2010, 2015)])
    a = achievability(r.planned_change, history, polarity=polarity)
    np.testing.assert_array_equal(r.achievability.share, a.share)
    assert ((r.achievability.share >= 0) & (r.achievability.share <= 1)).all()
    targets = np.full(12, np.nan)
    targets[3] = r.targets[0, -1]
    p = probability(history, targets, polarity=polarity, horizon=3)
    assert r.probability[0, -1] == pytest.approx(float(p.probability[3]), rel=1e-9, abs=1e-12)
    missing_p = np.isnan(r.probability)
    assert ((r.note != "OK") == missing_p).all()
    assert (r.note[1] == "NO_HISTORY").all()
    for i in range(2):
        sentence = r.sentence(i)
        assert "nan" not in sentence and sentence.startswith("planned ")
        assert math.isfinite(float(r.planned_change[i]))


def test_outcomes_errors_only(tmp_path: Path) -> None:
    """Hostile files give typed errors, never bare exceptions."""
    for text in (
        "\x00\x01",
        "area,period,value\n,,\n",
        'a\n"unterminated\n',
        "area,period,value\nA,2013,1e999\n",
    ):
        with pytest.raises(OutcomesError):
            select_history(write(tmp_path, text))


def test_fan_labels_the_future_with_the_plans_periods() -> None:
    pytest.importorskip("matplotlib")
    from outcomes.plot import plot_fan

    rng = np.random.default_rng(0)
    y = np.exp(rng.normal(5, 0.1, (30, 5)))
    periods = ["2010", "2011", "2012", "2013", "2014"]
    ax = plot_fan(y, {2: 140.0}, area=0, polarity="lower", periods=periods, future=["2015/16"])
    assert [t.get_text() for t in ax.get_xticklabels()][-2:] == ["2015/16", "2016"]


def test_a_fingertips_history_in_a_plan_file_and_on_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    h = select_history(CAMPY, area_type="County & UA", age="All ages")
    row = h.areas.index("E06000001")  # Hartlepool, 2017: 127.1 per 100,000
    text = """
end = "2019"
footprint = "hwb"

[organisation]
code = "E06000001"
name = "Hartlepool"
population = 93000
footprint = "hwb"

[measures.campylobacter]
name = "Campylobacter cases per 100,000"
unit = "per_100000"
polarity = "lower"
baseline = { value = 127.1, period = "2017" }
rule = { name = "percentage_change", rate = -0.05 }
periods = ["2018", "2019"]
"""
    selection = (
        f'history = {{ file = "{CAMPY.as_posix()}", area_type = "County & UA", age = "All ages" }}'
    )
    targets = run_plan(parse_plan(text + selection))
    r = targets.realism["campylobacter"]
    assert targets.provenance()["history for campylobacter"].startswith(
        "indicator 93356, County & UA, Persons, All ages: 152 areas x 3 periods (2015–2017)"
    )
    a = achievability(r.planned_change, h.values, polarity="lower", lower=h.lower, upper=h.upper)
    assert float(r.achievability.share[0]) == float(a.share[0])
    wanted = np.full(h.n, np.nan)
    wanted[row] = r.targets[0, 1]
    p = probability(h.values, wanted, polarity="lower", horizon=2, lower=h.lower, upper=h.upper)
    assert r.probability[0, 1] == pytest.approx(float(p.probability[row]), rel=1e-9)
    assert "of HWB-years in 2015–2017 (" in r.sentence()
    plan = tmp_path / "plan.toml"
    plan.write_text(text)  # no history in the file: the flags give it
    flags = [
        "--history",
        str(CAMPY),
        "--history-area-type",
        "County & UA",
        "--history-age",
        "All ages",
    ]
    assert main(["plan", str(plan), *flags]) == 0
    assert f"realism of campylobacter: {r.sentence()}" in capsys.readouterr().out


# --------------------------------------------------------------------------------------------
# regressions found by tests/test_fuzz.py (issue 12): typed errors, every file problem with
# its line
# --------------------------------------------------------------------------------------------


def _history_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "history.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_history_file_problems_name_their_lines(tmp_path: Path) -> None:
    head = "area,period,value,lower,upper\n"
    cases = {
        "\x01\n": r"line 1: not a history: missing column",
        "area,period,value,lower\nA,2013,1,0\n": r"line 1: column 'lower' needs 'upper'",
        head: r"line 2: the history file has no rows",
        head + "A,2013,1,0,2\nA,x,2,1,3\n": r"line 3: 'x'",
        head + "A,2013,1,0,2\nA,2014/15,2,1,3\n": r"CalendarYear \('2013', line 2\)",
        head + "A,2013,5,0,2\nA,2014,2,1,3\n": r"line 2: lower 0.0, value 5.0",
        head + "A,2013,..,,\nA,2014,..,,\n": r"lines 2-3: every selected value is missing",
    }
    for text, message in cases.items():
        with pytest.raises(InputError, match=message):
            select_history(_history_file(tmp_path, text))


def test_history_arguments_are_checked() -> None:
    shipped = EXAMPLES / "pyll-ccg-2009-2014.csv"
    with pytest.raises(InputError, match="confidence must be a number"):
        select_history(shipped, confidence="x")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="areas must be a list"):
        select_history(shipped, areas="00C")
    with pytest.raises(InputError, match="area_word must be text"):
        select_history(shipped, area_word=3)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="columns must map"):
        select_history(shipped, columns=True)  # type: ignore[arg-type]
    for indicator in ("x", 10**400, -1):
        with pytest.raises(InputError, match="indicator must be a Fingertips indicator id"):
            select_history(CAMPY, indicator=indicator, area_type="County & UA", age="All ages")  # type: ignore[arg-type]
