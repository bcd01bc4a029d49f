"""Reading and writing: Fingertips CSV in; Excel-safe CSV, JSON, Markdown and xlsx out."""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict

from outcomes.errors import InputError

__all__ = [
    "FingertipsData",
    "FingertipsRecord",
    "excel_safe",
    "format_table",
    "read_actuals",
    "read_fingertips",
    "require_pandas",
    "to_markdown",
    "trajectory_rows",
    "write_csv",
    "write_json",
    "write_xlsx",
]


def require_pandas() -> Any:
    """Import pandas, or raise an ImportError that names the extra to install."""
    try:
        import pandas
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError("this needs pandas: pip install 'outcomes[pandas]'") from None
    return pandas


def format_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A plain-text table with right-aligned columns (first column left-aligned).

    >>> print(format_table(["x", "value"], [["a", "1.5"], ["bb", "10"]]))
    x   value
    a     1.5
    bb     10
    """
    widths = [len(h) for h in header]
    for row in rows:
        widths = [max(w, len(c)) for w, c in zip(widths, row, strict=True)]
    lines = []
    for row in [list(header), *[list(r) for r in rows]]:
        cells = [
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# Fingertips CSV in
# --------------------------------------------------------------------------------------------


FINGERTIPS_REQUIRED = ("Indicator ID", "Area Code", "Area Type", "Time period", "Value")
_NUMERIC = {
    "Value": "value",
    "Lower CI 95.0 limit": "lower_95",
    "Upper CI 95.0 limit": "upper_95",
    "Lower CI 99.8 limit": "lower_998",
    "Upper CI 99.8 limit": "upper_998",
    "Count": "count",
    "Denominator": "denominator",
}


class FingertipsRecord(BaseModel):
    """One row of a Fingertips export, typed."""

    model_config = ConfigDict(frozen=True)
    row: int
    indicator_id: int
    indicator_name: str
    area_code: str
    area_name: str
    area_type: str
    sex: str
    age: str
    category_type: str
    category: str
    time_period: str
    value: float | None
    lower_95: float | None
    upper_95: float | None
    lower_998: float | None
    upper_998: float | None
    count: float | None
    denominator: float | None
    value_note: str


class FingertipsData(BaseModel):
    """Typed records of a Fingertips export, and the rows that could not be read."""

    model_config = ConfigDict(frozen=True)
    path: str
    records: tuple[FingertipsRecord, ...]
    problems: tuple[str, ...]

    def select(
        self,
        *,
        indicator_id: int | None = None,
        period: str | None = None,
        area_type: str | None = None,
        sex: str | None = None,
        age: str | None = None,
        categories: bool = False,
    ) -> list[FingertipsRecord]:
        """Records matching every filter given (category rows left out unless asked for)."""
        out = []
        for r in self.records:
            if indicator_id is not None and r.indicator_id != indicator_id:
                continue
            if period is not None and r.time_period != str(period):
                continue
            if area_type is not None and r.area_type != area_type:
                continue
            if sex is not None and r.sex != sex:
                continue
            if age is not None and r.age != age:
                continue
            if not categories and r.category_type:
                continue
            out.append(r)
        return out

    def to_frame(self) -> Any:
        """The records as a pandas DataFrame, one row per record (extra ``pandas``)."""
        return require_pandas().DataFrame([r.model_dump() for r in self.records])

    def peers(
        self,
        *,
        indicator_id: int | None = None,
        period: str,
        area_type: str,
        sex: str | None = None,
        age: str | None = None,
    ) -> Any:
        """The peer values (one per area) for ``quantile_step``; areas with no value are left
        out and counted in the error if none remain."""
        rows = self.select(
            indicator_id=indicator_id, period=period, area_type=area_type, sex=sex, age=age
        )
        values = np.array([r.value for r in rows if r.value is not None], dtype=float)
        if values.size == 0:
            raise InputError(
                f"no values for period {period!r}, area type {area_type!r} in {self.path}"
            )
        return values


def read_fingertips(path: str | Path, *, strict: bool = False) -> FingertipsData:
    """Read the CSV that Fingertips' "export data" produces.

    Handles CRLF line ends and quoted newlines inside cells. A row that cannot be parsed is
    listed in ``problems`` with its row number, column and value (``strict=True`` raises
    :class:`InputError` listing all of them instead); no row vanishes silently. Empty numeric
    cells (suppressed values, empty CIs) are ``None``; ``peers()`` leaves such areas out (here
    two of 152: areas reported combined with a neighbour, see their ``value_note``).

    >>> data = read_fingertips("tests/data/fingertips_93356_campylobacter_utla_2015_2017.csv")
    >>> len(data.records), data.problems
    (852, ())
    >>> data.peers(period="2017", area_type="County & UA", age="All ages").size
    150
    """
    path = Path(path)
    try:
        handle = open(path, newline="", encoding="utf-8-sig")  # noqa: SIM115
    except OSError as error:
        raise InputError(f"{path}: cannot read: {error.strerror}") from None
    problems: list[str] = []
    records: list[FingertipsRecord] = []
    with handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        missing = [c for c in FINGERTIPS_REQUIRED if c not in header]
        if missing:
            raise InputError(
                f"{path}: not a Fingertips export: missing column(s) {', '.join(missing)}"
            )
        for number, row in enumerate(reader, start=2):
            numbers: dict[str, float | None] = {}
            bad = False
            for column, field in _NUMERIC.items():
                text = (row.get(column) or "").strip()
                if not text:
                    numbers[field] = None
                    continue
                try:
                    value = float(text.replace(",", ""))
                    if not math.isfinite(value):
                        raise ValueError
                    numbers[field] = value
                except ValueError:
                    problems.append(
                        f"{path}: row {number}, column {column!r}: not a number: {text!r}"
                    )
                    bad = True
            try:
                indicator = int((row.get("Indicator ID") or "").strip())
            except ValueError:
                problems.append(
                    f"{path}: row {number}, column 'Indicator ID': not a whole "
                    f"number: {row.get('Indicator ID')!r}"
                )
                bad = True
            if bad:
                continue
            records.append(
                FingertipsRecord(
                    row=number,
                    indicator_id=indicator,
                    indicator_name=(row.get("Indicator Name") or "").strip(),
                    area_code=(row.get("Area Code") or "").strip(),
                    area_name=(row.get("Area Name") or "").strip(),
                    area_type=(row.get("Area Type") or "").strip(),
                    sex=(row.get("Sex") or "").strip(),
                    age=(row.get("Age") or "").strip(),
                    category_type=(row.get("Category Type") or "").strip(),
                    category=(row.get("Category") or "").strip(),
                    time_period=(row.get("Time period") or "").strip(),
                    value_note=(row.get("Value note") or "").strip(),
                    **numbers,
                )
            )
    if strict and problems:
        raise InputError(
            f"{len(problems)} problem(s) in {path}:\n  " + "\n  ".join(problems), tuple(problems)
        )
    return FingertipsData(path=str(path), records=tuple(records), problems=tuple(problems))


# --------------------------------------------------------------------------------------------
# Outputs: tidy rows -> CSV (Excel-safe), JSON, Markdown, xlsx
# --------------------------------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def excel_safe(value: Any) -> Any:
    """Escape a text cell that Excel would run as a formula (CSV injection); numbers pass.

    >>> excel_safe("=HYPERLINK(1)"), excel_safe("-3.2%"), excel_safe(-3.2), excel_safe("2014/15")
    ("'=HYPERLINK(1)", "'-3.2%", -3.2, '2014/15')
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def trajectory_rows(
    trajectories: dict[str, Any], ndigits: dict[str, int] | None = None, organisation: str = ""
) -> list[dict[str, Any]]:
    """Tidy rows (one per measure, organisation and period) for writing."""
    from outcomes._arrays import round_half_up

    rows = []
    for key, t in trajectories.items():
        nd = (ndigits or {}).get(key)
        flat = t.values.reshape(-1, len(t.periods))
        base = t.baseline.reshape(-1)
        for i in range(flat.shape[0]):
            for j, p in enumerate(t.periods):
                value = float(flat[i, j])
                rows.append(
                    {
                        "organisation": organisation
                        if flat.shape[0] == 1
                        else f"{organisation}{i}",
                        "measure": key,
                        "name": t.measure or key,
                        "unit": t.unit or "",
                        "polarity": t.polarity.value if t.polarity else "",
                        "baseline period": str(t.start),
                        "baseline": float(base[i]),
                        "period": str(p),
                        "target": float(round_half_up(value, nd)) if nd is not None else value,
                        "rule": t.rule.describe(),
                    }
                )
    return rows


def write_csv(rows: list[dict[str, Any]], path: str | Path | None = None) -> str:
    """Write rows as CSV that is safe to open in Excel; return the text."""
    import io as _io

    buffer = _io.StringIO()
    if rows:
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\r\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: excel_safe(v) for k, v in row.items()})
    text = buffer.getvalue()
    if path is not None:
        Path(path).write_text(text, encoding="utf-8-sig", newline="")
    return text


def write_json(rows: list[dict[str, Any]], path: str | Path | None = None) -> str:
    """Write rows as a JSON array; return the text."""
    text = json.dumps(rows, indent=2, default=str)
    if path is not None:
        Path(path).write_text(text + "\n", encoding="utf-8")
    return text


def to_markdown(rows: list[dict[str, Any]]) -> str:
    """Rows as a Markdown table (pipes in cells escaped)."""
    if not rows:
        return ""
    keys = list(rows[0])
    lines = ["| " + " | ".join(keys) + " |", "|" + "---|" * len(keys)]
    for row in rows:
        lines.append("| " + " | ".join(str(row[k]).replace("|", "\\|") for k in keys) + " |")
    return "\n".join(lines)


def write_xlsx(
    trajectories: dict[str, Any], path: str | Path, ndigits: dict[str, int] | None = None
) -> None:
    """An Excel workbook: a tidy sheet, one sheet per measure (numbers as numbers, formatted to
    the published precision, periods as text) and a provenance sheet (extra ``excel``)."""
    try:
        from openpyxl import Workbook
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError("writing .xlsx needs openpyxl: pip install 'outcomes[excel]'") from None
    book = Workbook()
    tidy = book.active
    tidy.title = "targets"
    rows = trajectory_rows(trajectories, ndigits)
    if rows:
        tidy.append(list(rows[0]))
        for row in rows:
            tidy.append([excel_safe(v) for v in row.values()])
    for key, t in trajectories.items():
        sheet = book.create_sheet(key[:31])
        nd = (ndigits or {}).get(key)
        sheet.append(["organisation", f"baseline ({t.start})", *(str(p) for p in t.periods)])
        fmt = "0" if nd == 0 else ("0." + "0" * nd if nd else "General")
        flat = t.values.reshape(-1, len(t.periods))
        for i, line in enumerate(flat):
            sheet.append([i, float(t.baseline.reshape(-1)[i]), *(float(v) for v in line)])
            for cell in sheet[sheet.max_row][1:]:
                cell.number_format = fmt
    prov = book.create_sheet("provenance")
    prov.append(["measure", "rule", "parameters", "unit", "polarity", "indexing"])
    for key, t in trajectories.items():
        prov.append(
            [
                key,
                t.rule.name,
                excel_safe(json.dumps(t.rule.model_dump(mode="json")["parameters"])),
                t.unit or "",
                t.polarity.value if t.polarity else "",
                t.indexing,
            ]
        )
    book.save(str(path))


def read_actuals(path: str | Path) -> dict[str, dict[str, dict[str, Any]]]:
    """Read an actuals CSV: columns ``measure, period, value`` and optionally ``lower, upper,
    count, denominator``. Returns measure -> period -> fields; 'Awaiting data' stays as text so
    that scoring marks it missing. Every bad row is reported at once."""
    path = Path(path)
    try:
        handle = open(path, newline="", encoding="utf-8-sig")  # noqa: SIM115
    except OSError as error:
        raise InputError(f"{path}: cannot read: {error.strerror}") from None
    out: dict[str, dict[str, dict[str, Any]]] = {}
    problems = []
    with handle:
        reader = csv.DictReader(handle)
        for column in ("measure", "period", "value"):
            if column not in (reader.fieldnames or []):
                raise InputError(f"{path}: missing column {column!r}")
        for number, row in enumerate(reader, start=2):
            fields: dict[str, Any] = {"value": (row.get("value") or "").strip()}
            for extra in ("lower", "upper", "count", "denominator"):
                text = (row.get(extra) or "").strip()
                if text:
                    try:
                        fields[extra] = float(text)
                    except ValueError:
                        problems.append(
                            f"{path}: row {number}, column {extra!r}: not a number: {text!r}"
                        )
            out.setdefault(row["measure"].strip(), {})[row["period"].strip()] = fields
    if problems:
        raise InputError(
            f"{len(problems)} problem(s) in {path}:\n  " + "\n  ".join(problems), tuple(problems)
        )
    return out
