"""The command line's rules for files (issue 12): never overwrite an input, write through a
temporary file, the format from the ``-o`` suffix, standard output, a closed pipe, audit exit
codes, no non-finite numbers, formula-safe cells, Markdown escapes, CSV byte-order mark."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from outcomes import cli
from outcomes.cli import main

ROOT = Path(__file__).parent.parent
EXAMPLES = ROOT / "examples"

# a plan whose measure keys look like formulas and hold Markdown's pipe
NASTY_PLAN = """
[organisation]
code = "=HYPERLINK(1)"
name = "@Illustrative | CCG"
population = 250000

[measures."=1+1"]
name = "+cmd|' /C calc'!A0"
polarity = "lower"
unit = "per_100000"
baseline = { value = 2150.4, period = "2013" }
rule = { name = "percentage_change", rate = -0.032 }

[measures."a|b"]
name = "two\\nlines"
polarity = "higher"
unit = "percent"
baseline = { value = 78.4, period = "2013/14" }
rule = { name = "hold" }
"""


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A scratch folder holding copies of the examples, as the working directory."""
    for item in EXAMPLES.iterdir():
        shutil.copy(item, tmp_path / item.name)
    (tmp_path / "nasty.toml").write_text(NASTY_PLAN, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# -- never overwrite an input ------------------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ["plan", "illustrative-ccg.toml", "-o", "illustrative-ccg.toml"],
        ["plan", "illustrative-ccg.toml", "-o", "illustrative-ccg.toml", "--format", "csv"],
        [
            "plan",
            "illustrative-ccg.toml",
            "-o",
            "./sub/../illustrative-ccg.toml",
            "--format",
            "csv",
        ],
        ["plan", "illustrative-ccg.toml", "--chart", "illustrative-ccg.toml"],
        ["plan", "illustrative-icb.toml", "-o", "illustrative-icb-baselines.csv"],
        [
            "score",
            "illustrative-ccg.toml",
            "illustrative-ccg-actuals.csv",
            "-o",
            "illustrative-ccg-actuals.csv",
        ],
        ["audit", "published-rows.csv", "-o", "published-rows.csv"],
    ],
)
def test_an_input_is_never_overwritten(
    folder: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    (folder / "sub").mkdir()
    before = {p.name: digest(p) for p in folder.iterdir() if p.is_file()}
    code, _, err = run(capsys, *argv)
    assert code in (1, 2)
    assert (
        "refusing to overwrite an input" in err
        or "cannot tell the format" in err
        or ("chart" in err)
    )
    after = {p.name: digest(p) for p in folder.iterdir() if p.is_file()}
    assert after == before


def test_overwriting_an_input_says_so(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(
        capsys, "plan", "illustrative-ccg.toml", "-o", "illustrative-ccg.toml", "--format", "csv"
    )
    assert code == 1
    assert "illustrative-ccg.toml: refusing to overwrite an input file" in err


def test_demo_refuses_existing_files_without_force(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = folder / "demo"
    out.mkdir()
    (out / "actuals.csv").write_text("mine\n", encoding="utf-8")
    code, printed, err = run(capsys, "demo", "--out", str(out))
    assert code == 1
    assert "pass --force" in err and "actuals.csv" in err
    assert printed == ""  # refused before any work
    assert (out / "actuals.csv").read_text(encoding="utf-8") == "mine\n"
    code, _, _ = run(capsys, "demo", "--out", str(out), "--force")
    assert code == 0
    assert (out / "actuals.csv").read_text(encoding="utf-8").startswith("measure,")
    assert (out / "ambitions.png").read_bytes().startswith(b"\x89PNG")
    code, _, err = run(capsys, "demo", "--out", str(out))  # both files exist now
    assert code == 1 and "ambitions.png" in err


def test_make_demo_passes_force() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    demo = makefile.split("\ndemo:", 1)[1].split("\n\n", 1)[0]
    assert "--force" in demo


# -- write through a temporary file ------------------------------------------------------------


def test_a_failed_write_leaves_no_file(
    folder: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from outcomes import _files

    def crash(source: str, target: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(_files.os, "replace", crash)
    code, _, err = run(capsys, "plan", "illustrative-ccg.toml", "-o", "targets.csv")
    assert code == 1 and "No space left" in err
    assert not (folder / "targets.csv").exists()
    assert not [p for p in folder.iterdir() if p.name.endswith(".tmp")]


def test_a_previous_output_is_replaced_whole(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (folder / "targets.csv").write_text("x" * 100_000, encoding="utf-8")
    assert run(capsys, "plan", "illustrative-ccg.toml", "-o", "targets.csv")[0] == 0
    text = (folder / "targets.csv").read_text(encoding="utf-8-sig")
    assert text.startswith("organisation,") and "x" * 10 not in text


# -- the format follows the suffix --------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "check"),
    [
        ("targets.csv", lambda b: b.startswith(b"\xef\xbb\xbforganisation,")),
        ("targets.CSV", lambda b: b.startswith(b"\xef\xbb\xbforganisation,")),
        ("targets.json", lambda b: isinstance(json.loads(b), dict)),
        ("targets.md", lambda b: b.startswith(b"## targets")),
        ("targets.xlsx", lambda b: b.startswith(b"PK")),
        ("targets.XLSX", lambda b: b.startswith(b"PK")),
        ("targets.txt", lambda b: b.startswith(b"targets\n")),
    ],
)
def test_format_by_suffix(
    folder: Path, capsys: pytest.CaptureFixture[str], name: str, check: object
) -> None:
    code, out, _ = run(capsys, "plan", "illustrative-ccg.toml", "-o", name)
    assert code == 0 and f"wrote {name}" in out
    assert check((folder / name).read_bytes())  # type: ignore[operator]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["-o", "targets.csv", "--format", "json"], "--format json contradicts the file name"),
        (["-o", "targets.XLSX", "--format", "csv"], "contradicts"),
        (["-o", "targets.bogus"], "cannot tell the format from the suffix '.bogus'"),
        (["--format", "xlsx"], "a workbook cannot be written to standard output"),
        (["-o", "-", "--format", "xlsx"], "a workbook cannot be written to standard output"),
        (["--chart", "chart.toml"], "a chart is written as .png, .svg or .pdf"),
        (["--format", "yaml"], "invalid choice"),
    ],
)
def test_contradictions_are_usage_errors(
    folder: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, out, err = run(capsys, "plan", "illustrative-ccg.toml", *argv)
    assert code == 2
    assert message in err
    assert out == ""  # nothing ran
    assert not list(folder.glob("targets.*"))


def test_dash_writes_to_standard_output(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "plan", "illustrative-ccg.toml", "-o", "-", "--format", "json")
    assert code == 0
    assert set(json.loads(out)) >= {"targets", "pyll", "provenance"}
    code, out, _ = run(capsys, "plan", "illustrative-ccg.toml", "-o", "-", "--format", "csv")
    assert code == 0 and out.startswith("organisation,")  # no BOM on a terminal
    assert not (folder / "-").exists()


def test_a_closed_pipe_ends_quietly(folder: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    for argv in (
        ["plan", "illustrative-icb.toml", "--format", "csv"],
        ["list", "indicators"],
        ["audit", "published-rows.csv"],
    ):
        process = subprocess.Popen(
            [sys.executable, "-m", "outcomes", *argv],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        assert process.stdout is not None and process.stderr is not None
        process.stdout.close()  # the reader has gone before the first line is written
        err = process.stderr.read().decode()
        code = process.wait(timeout=120)
        assert "Traceback" not in err and "BrokenPipe" not in err and "Exception ignored" not in err
        assert code in (0, 1), err  # the audit's own status (1: a flagged cell), never 120


def test_head_reads_the_first_lines(folder: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    process = subprocess.Popen(
        [sys.executable, "-m", "outcomes", "plan", "illustrative-icb.toml", "--format", "csv"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()
    assert first.startswith(b"organisation,")
    assert process.wait(timeout=120) == 0
    assert b"Traceback" not in process.stderr.read()


# -- audit: every bad row by its line, exit status ---------------------------------------------


def test_audit_reports_every_bad_row_by_line_and_carries_on(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (folder / "rows.csv").write_text(
        "code,baseline,start,2014/15,2015/16\n"
        "good,100,2013/14,90,80\n"
        'quoted,"10\n0",2013/14,90,80\n'
        "bad-baseline,abc,2013/14,90,80\n"
        "short,100\n"
        "also-good,50,2013/14,45,40\n"
        "too-many,100,2013/14,90,80,70\n",
        encoding="utf-8",
    )
    code, out, err = run(capsys, "audit", "rows.csv")
    assert code == 1
    assert "good: percentage_change" in out and "also-good: percentage_change" in out
    assert "line 3" in out  # the quoted cell starts on line 3 (the header is line 1)
    assert "line 5: baseline: 'abc' is not a number" in out
    assert "line 6" in out and "line 8" in out
    assert "2 row(s) audited, 4 not audited" in err


def test_audit_exit_status(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (folder / "clean.csv").write_text(
        "code,baseline,start,2014/15,2015/16\nhold,100,2013/14,100,100\n", encoding="utf-8"
    )
    assert run(capsys, "audit", "clean.csv")[0] == 0
    assert run(capsys, "audit", "published-rows.csv")[0] == 1  # a flagged cell, a row not read
    assert run(capsys, "audit")[0] == 2  # usage: no table
    assert run(capsys, "audit", "clean.csv", "--bogus")[0] == 2
    assert run(capsys, "audit", "missing.csv")[0] == 1


# -- what is written ---------------------------------------------------------------------------


def test_non_finite_numbers_are_never_written(tmp_path: Path) -> None:
    from outcomes.errors import OutputError
    from outcomes.io import Column, Table, write_csv, write_json, write_xlsx

    table = Table("t", (Column("value", 1),), [(float("inf"),)])
    for write in (write_csv, write_json):
        with pytest.raises(OutputError, match="inf"):
            write(table)
    with pytest.raises(OutputError, match="inf"):
        write_xlsx([table], tmp_path / "never.xlsx")
    assert not list(tmp_path.iterdir())
    missing = Table("t", (Column("value", 1),), [(float("nan"),)])  # missing: null, empty
    assert json.loads(write_json(missing)) == [{"value": None}]
    assert list(csv.reader(io.StringIO(write_csv(missing)))) == [["value"], [""]]


def test_formulas_are_text_in_every_cell_of_a_workbook(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from openpyxl import load_workbook

    assert run(capsys, "plan", "nasty.toml", "-o", "targets.xlsx")[0] == 0
    book = load_workbook(folder / "targets.xlsx")
    assert "provenance" in book.sheetnames
    seen = set()
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"
                if isinstance(cell.value, str) and cell.value[:1] in "=+-@":
                    assert cell.data_type == "s"
                    seen.add(cell.value)
    assert {"=1+1", "=HYPERLINK(1)", "+cmd|' /C calc'!A0"} <= seen
    # a formula-like measure key names a sheet too: as text
    assert "=1+1" in book.sheetnames


def test_formulas_are_escaped_in_csv(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "plan", "nasty.toml", "-o", "targets.csv")[0] == 0
    rows = list(csv.reader(io.StringIO((folder / "targets.csv").read_text(encoding="utf-8-sig"))))
    cells = {c for row in rows for c in row}
    assert "'=1+1" in cells and "'=HYPERLINK(1)" in cells and "=1+1" not in cells


def test_markdown_escapes_pipes_and_newlines(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "plan", "nasty.toml", "-o", "targets.md")[0] == 0
    text = (folder / "targets.md").read_text(encoding="utf-8")
    assert "a\\|b" in text and "two<br>lines" in text
    for block in text.split("\n\n"):
        lines = [line for line in block.splitlines() if line.startswith("|")]
        if lines:
            widths = {line.replace("\\|", "").count("|") for line in lines}
            assert len(widths) == 1, block


def test_csv_has_a_byte_order_mark_unless_asked(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "plan", "illustrative-ccg.toml", "-o", "with.csv")[0] == 0
    assert run(capsys, "plan", "illustrative-ccg.toml", "-o", "without.csv", "--no-bom")[0] == 0
    assert (folder / "with.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert not (folder / "without.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert (folder / "with.csv").read_bytes()[3:] == (folder / "without.csv").read_bytes()


def test_the_cli_module_exports_main() -> None:
    assert cli.__all__ == ["main"]
