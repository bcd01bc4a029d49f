"""The analyst's workflow: plan files, Fingertips in, Excel-safe out, the CLI and the chart."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from outcomes import InputError
from outcomes.cli import main
from outcomes.io import excel_safe, read_fingertips, write_csv
from outcomes.plan import load_plan, parse_plan, run_plan

ROOT = Path(__file__).parent.parent
EXAMPLES = ROOT / "examples"
DATA = Path(__file__).parent / "data"


def test_example_plans_run() -> None:
    for name in ("illustrative-ccg.toml", "illustrative-hwb.toml"):
        trajectories = run_plan(load_plan(EXAMPLES / name))
        assert trajectories
        assert all(str(t.periods[0]) == "2014/15" for t in trajectories.values())


def test_demo_example_is_the_shipped_one() -> None:
    shipped = ROOT / "src" / "outcomes" / "demo" / "illustrative-ccg.toml"
    assert shipped.read_text() == (EXAMPLES / "illustrative-ccg.toml").read_text()


BAD_PLAN = """
[organisation]
code = "X"
name = "Bad"
population = -3

[measures.pyll]
ambition = 1
baseline = { value = 100.0, period = "2014/16" }
rule = { name = "percentage_change", rate = -1.5 }

[measures.other]
indicator = "9.9"
baseline = { value = 1.0, period = "2013/14" }
rule = { name = "hold" }
"""


def test_bad_plan_reports_every_error_once_with_its_key_path() -> None:
    with pytest.raises(InputError) as info:
        parse_plan(BAD_PLAN, source="bad.toml")
    problems = info.value.problems
    assert "measures.pyll.rule.rate: must be > -1 (a fall of less than 100%), got -1.5" in problems
    assert any(p.startswith("organisation.population:") for p in problems)
    assert any(p.startswith("measures.pyll.baseline.period:") and "2014/16" in p for p in problems)
    assert len(problems) == len(set(problems)) == 3


def test_unknown_indicator_in_plan() -> None:
    text = (
        BAD_PLAN.replace("population = -3", "population = 3")
        .replace("rate = -1.5", "rate = -0.1")
        .replace('"2014/16"', '"2013"')
    )
    with pytest.raises(InputError, match=r"measures.other.indicator: unknown NHSOF indicator"):
        parse_plan(text)


def test_read_fingertips_real_export_and_problems(tmp_path: Path) -> None:
    data = read_fingertips(DATA / "fingertips_93356_campylobacter_utla_2015_2017.csv")
    assert data.problems == ()
    assert data.records[0].indicator_name.startswith("Campylobacter incidence rate")
    rows = data.select(period="2016", area_type="County & UA", age="All ages")
    assert len(rows) == 152
    broken = tmp_path / "broken.csv"
    with open(DATA / "fingertips_93356_campylobacter_utla_2015_2017.csv", newline="") as handle:
        table = list(csv.reader(handle))
    table[3][12] = "lots"  # the Value column of one area
    with open(broken, "w", newline="") as handle:
        csv.writer(handle, lineterminator="\r\n").writerows(table)
    result = read_fingertips(broken)
    assert (
        len(result.problems) == 1 and "column 'Value': not a number: 'lots'" in result.problems[0]
    )
    assert len(result.records) == len(data.records) - 1
    with pytest.raises(InputError, match="lots"):
        read_fingertips(broken, strict=True)


def test_csv_is_excel_safe() -> None:
    text = write_csv([{"name": "=cmd|' /C calc'!A0", "value": -3.2, "note": "+1", "tab": "\tx"}])
    row = next(csv.DictReader(io.StringIO(text)))
    assert row["name"].startswith("'=") and row["note"] == "'+1" and row["tab"] == "'\tx"
    assert row["value"] == "-3.2"  # numbers stay numbers
    assert excel_safe("@SUM(1)") == "'@SUM(1)"


def test_cli_plan_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out.csv"
    assert (
        main(["plan", str(EXAMPLES / "illustrative-ccg.toml"), "--format", "csv", "-o", str(out)])
        == 0
    )
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    pyll = [r for r in rows if r["measure"] == "pyll"]
    assert [r["target"] for r in pyll] == ["2081.6", "2015.0", "1950.5", "1888.1", "1827.7"]


def test_cli_formats_and_xlsx(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = str(EXAMPLES / "illustrative-hwb.toml")
    assert main(["plan", plan, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["targets"][0]["organisation"] == "E99999999"
    assert main(["plan", plan, "--format", "md"]) == 0
    assert capsys.readouterr().out.startswith("## targets\n\n| organisation |")
    pytest.importorskip("openpyxl")
    book = tmp_path / "plan.xlsx"
    assert main(["plan", plan, "-o", str(book)]) == 0
    from openpyxl import load_workbook

    wb = load_workbook(book)
    assert {"targets", "provenance", "reablement"} <= set(wb.sheetnames)
    assert isinstance(wb["reablement"]["C2"].value, float)
    assert wb["reablement"]["C2"].number_format == "#,##0.0"
    assert wb["reablement"]["A2"].value == "E99999999"


def test_cli_score_premium_audit_and_errors(capsys: pytest.CaptureFixture[str]) -> None:
    plan, actuals = (
        str(EXAMPLES / "illustrative-ccg.toml"),
        str(EXAMPLES / "illustrative-ccg-actuals.csv"),
    )
    assert main(["score", plan, actuals]) == 0
    assert "GREY" in capsys.readouterr().out
    assert main(["premium", plan, actuals]) == 0
    assert "total: £750,004.69" in capsys.readouterr().out
    assert main(["audit", str(EXAMPLES / "published-rows.csv")]) == 1
    out = capsys.readouterr().out
    assert "2018/19: printed 1349" in out and "not audited" in out
    assert main(["plan", "missing.toml"]) == 1
    assert "cannot read plan file" in capsys.readouterr().err
    assert main(["nonsense"]) == 2
    assert main(["frameworks"]) == 0
    assert "quality-premium-2014-15" in capsys.readouterr().out
    assert main(["show", "nhsof-2014-15", "--indicator", "3a"]) == 0
    assert json.loads(capsys.readouterr().out)["portal_id"] == "P01757"
    assert main(["schema", "Plan"]) == 0
    assert json.loads(capsys.readouterr().out)["title"] == "Plan"


def test_demo_writes_a_chart_that_is_not_blank(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("matplotlib")
    assert main(["demo", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "ILLUSTRATIVE" in out and "ambitions.png" in out and "GREY" in out
    for name in ("plan.toml", "actuals.csv", "targets.xlsx", "scores.xlsx", "report.html"):
        assert (tmp_path / name).stat().st_size > 0, name
    assert "outcomes score" in out  # the same with the commands
    png = tmp_path / "ambitions.png"
    import matplotlib.image as mpimg
    import numpy as np

    pixels = mpimg.imread(png)
    assert pixels.shape[0] > 200 and np.std(pixels[..., :3]) > 0.05


def test_svg_chart(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    from outcomes.plot import plot_plan

    trajectories = run_plan(load_plan(EXAMPLES / "illustrative-hwb.toml"))
    path = plot_plan(trajectories, tmp_path / "bcf.svg")
    assert path.read_text().count("<path") > 10


def test_pandas_frames() -> None:
    pytest.importorskip("pandas")
    from outcomes.scoring import score
    from outcomes.trajectories import percentage_change

    data = read_fingertips(DATA / "fingertips_93356_campylobacter_utla_2015_2017.csv")
    frame = data.to_frame()
    assert len(frame) == 852 and {"Area Code", "Value", "Lower CI 95.0 limit"} <= set(frame.columns)
    t = percentage_change([100.0, 200.0], -0.1, start="2013/14", end="2015/16", polarity="lower")
    tf = t.to_frame()
    assert list(tf.columns) == [
        "organisation",
        "organisation_name",
        "measure",
        "measure_name",
        "period",
        "unit",
        "baseline_period",
        "baseline",
        "target",
    ]
    assert tf[tf["period"] == "2015/16"]["target"].tolist() == pytest.approx([81.0, 162.0])
    sf = score(t, [[85.0, None], [190.0, 150.0]]).to_frame()
    assert len(sf) == 4 and sf["rag"].tolist() == ["GREEN", "GREY", "RED", "GREEN"]


def test_provenance_names_the_plan_file() -> None:
    targets = run_plan(EXAMPLES / "illustrative-ccg.toml")
    assert targets.provenance()["plan"].endswith("illustrative-ccg.toml")
    assert "plan" not in run_plan(parse_plan((EXAMPLES / "illustrative-ccg.toml").read_text()))


def test_written_files_get_the_usual_permissions(tmp_path: Path) -> None:
    import os
    import stat

    from outcomes._files import write_atomic

    out = tmp_path / "targets.csv"
    assert main(["plan", str(EXAMPLES / "illustrative-ccg.toml"), "-o", str(out)]) == 0
    umask = os.umask(0o022)
    os.umask(umask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~umask
    out.chmod(0o640)  # a replaced file keeps its own permissions
    write_atomic(out, "x\n", force=True)
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
    assert out.read_text() == "x\n"


def test_atomic_writes_check_their_arguments(tmp_path: Path) -> None:
    """Regressions found by tests/test_fuzz.py: each was a bare TypeError, or accepted."""
    from outcomes._files import write_atomic
    from outcomes.errors import OutputError

    out = tmp_path / "out.txt"
    with pytest.raises(OutputError, match="must be a file name"):
        write_atomic(3.5, "x")  # type: ignore[arg-type]
    with pytest.raises(OutputError, match="inputs must be a list"):
        write_atomic(out, "x", inputs=3)  # type: ignore[arg-type]
    with pytest.raises(OutputError, match="inputs must be file names"):
        write_atomic(out, "x", inputs=[1.5])  # type: ignore[list-item]
    with pytest.raises(OutputError, match="force must be True or False"):
        write_atomic(out, "x", force="no")  # type: ignore[arg-type]
    out.write_text("input")
    with pytest.raises(OutputError, match="refusing to overwrite an input"):
        write_atomic(out, "x", inputs=str(out))  # one input given as a name
    assert out.read_text() == "input"


def test_printed_scores_show_targets_to_their_published_precision() -> None:
    """A target of 74.0% printed as "74" in the console table (six significant figures); it is
    printed as published, to the measure's precision, as the plan's own table prints it."""
    from outcomes import score_plan

    scores = score_plan(
        EXAMPLES / "illustrative-trust-2025-26.toml",
        EXAMPLES / "illustrative-trust-2025-26-actuals.csv",
    )
    rows = [line.split() for line in str(scores).splitlines()]
    aug = next(r for r in rows if r[:4] == ["ae-4-hour", "X9T", "Aug", "2025"])
    assert aug[4] == "74.0"
    one = str(scores.scores["ae-4-hour"])
    assert any(line.split()[3] == "74.0" for line in one.splitlines()[1:13] if "Aug" in line)
