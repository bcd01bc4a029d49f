"""Outputs a user can send: tables as CSV, JSON, Markdown, plain text or an Excel workbook.

Everything is written through a temporary file and renamed into place, so a crash leaves no half
file; an input is never overwritten. Numbers are rounded only here, at the edge, half-up to each
column's published precision; a workbook keeps them as numbers with an Excel number format. No
non-finite number is ever written (NaN, a missing value, is an empty cell or ``null``). Text that
a spreadsheet would run as a formula is escaped in every cell, headers included.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args, overload

import numpy as np
import numpy.typing as npt

from outcomes._arrays import check_choice, check_ndigits, round_half_up
from outcomes._files import write_atomic
from outcomes._format import format_table, shorten
from outcomes.errors import OutputError

__all__ = [
    "FORMATS",
    "Column",
    "Columns",
    "Repeated",
    "Table",
    "as_table",
    "excel_safe",
    "format_for",
    "render",
    "to_markdown",
    "write_atomic",
    "write_csv",
    "write_json",
    "write_table",
    "write_tables",
    "write_xlsx",
]

Format = Literal["table", "csv", "json", "md", "xlsx"]
FORMATS: dict[str, Format] = {
    ".csv": "csv",
    ".json": "json",
    ".md": "md",
    ".xlsx": "xlsx",
    ".txt": "table",
}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
Cell = str | float | int | bool | None


@dataclass(frozen=True)
class Column:
    """A column of a :class:`Table`: its header and, for numbers, the published precision."""

    name: str
    ndigits: int | None = None
    text: bool = False


@dataclass(frozen=True)
class Table:
    """A table to write: a name (the sheet name, or a title), columns and rows of cells."""

    name: str
    columns: tuple[Column, ...]
    rows: Sequence[Sequence[Cell]]
    note: str = ""
    freeze: int = 1
    meta: dict[str, str] = field(default_factory=dict)

    @property
    def header(self) -> list[str]:
        return [c.name for c in self.columns]


@dataclass(frozen=True)
class Repeated:
    """A column of few distinct values: ``labels[index[i]]`` is row ``i``'s cell. Each label is
    checked (and escaped) once, however many rows repeat it.

    >>> import numpy as np
    >>> Repeated(("00C", "00D"), np.array([0, 0, 1, 1])).values()
    ['00C', '00C', '00D', '00D']
    """

    labels: Sequence[Cell]
    index: npt.NDArray[np.intp]

    def __len__(self) -> int:
        return len(self.index)

    def values(self) -> list[Cell]:
        """Every row's cell, as a list."""
        table = np.empty(len(self.labels), dtype=object)
        table[:] = list(self.labels)
        return list(table[self.index].tolist())


ColumnValues = npt.NDArray[Any] | Sequence[Cell] | Repeated


class Columns(Sequence[tuple[Cell, ...]]):
    """A table's rows held as columns (numpy arrays, lists or :class:`Repeated` labels): the
    writers check, round and format them a column at a time instead of a cell at a time.

    >>> import numpy as np
    >>> data = Columns(["a", "b"], np.array([1.25, float("nan")]))
    >>> len(data), data[0]
    (2, ('a', 1.25))
    """

    def __init__(self, *columns: ColumnValues) -> None:
        lengths = {len(c) for c in columns}
        if len(lengths) > 1:
            raise OutputError(f"the columns of a table must have one length, got {sorted(lengths)}")
        self.columns: tuple[ColumnValues, ...] = columns
        self._length = lengths.pop() if lengths else 0

    def __len__(self) -> int:
        return self._length

    @overload
    def __getitem__(self, i: int) -> tuple[Cell, ...]: ...
    @overload
    def __getitem__(self, i: slice) -> list[tuple[Cell, ...]]: ...
    def __getitem__(self, i: int | slice) -> tuple[Cell, ...] | list[tuple[Cell, ...]]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(self._length))]
        if not -self._length <= i < self._length:
            raise IndexError(i)
        return tuple(_item(c, i) for c in self.columns)


def _item(column: ColumnValues, i: int) -> Cell:
    if isinstance(column, Repeated):
        return column.labels[int(column.index[i])]
    value = column[i]
    return value.item() if isinstance(value, np.generic) else value


def as_table(rows: Table | Sequence[Mapping[str, Any]], name: str = "data") -> Table:
    """A :class:`Table` from a table or from rows given as dicts (their keys are the header).

    >>> as_table([{"measure": "pyll", "target": 1705.0}]).header
    ['measure', 'target']
    """
    if isinstance(rows, Table):
        return rows
    if isinstance(rows, str | bytes | Mapping) or not isinstance(rows, Iterable):
        raise OutputError(f"expected a Table or a list of dicts, got {type(rows).__name__}")
    rows = list(rows)
    if not rows:
        return Table(name, (), [])
    for i, row in enumerate(rows, start=1):
        if not isinstance(row, Mapping):
            raise OutputError(f"row {i} must be a dict of column to value, got {row!r:.60}")
    header = list(rows[0])
    for i, row in enumerate(rows, start=1):
        if list(row) != header:
            raise OutputError(f"row {i} has columns {list(row)}, the first row {header}")
    return Table(name, tuple(Column(h) for h in header), [tuple(r.values()) for r in rows])


def excel_safe(value: Any) -> Any:
    """Escape a text cell that a spreadsheet would run as a formula (CSV injection); numbers pass.

    >>> excel_safe("=HYPERLINK(1)"), excel_safe("-3.2%"), excel_safe(-3.2), excel_safe("2014/15")
    ("'=HYPERLINK(1)", "'-3.2%", -3.2, '2014/15')
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _number(value: float, column: Column, where: str) -> float | None:
    if math.isnan(value):
        return None
    if math.isinf(value):
        raise OutputError(f"{where}: column {column.name!r} holds {value!r}; it cannot be written")
    if column.ndigits is None:
        return value
    return float(round_half_up(value, column.ndigits, error=OutputError))


def _checked(table: object) -> Table:
    """The table, its columns checked: Columns with text names and a valid precision."""
    if not isinstance(table, Table):
        raise OutputError(f"expected a Table, got {type(table).__name__}")
    if not isinstance(table.name, str):
        raise OutputError(f"a table's name must be text, got {table.name!r:.60}")
    for j, column in enumerate(table.columns):
        if not isinstance(column, Column) or not isinstance(column.name, str):
            raise OutputError(
                f"{table.name}: column {j} must be a Column with a text name, got {column!r:.60}"
            )
        if column.ndigits is not None:
            check_ndigits(column.ndigits, OutputError, f"column {column.name!r}: ndigits")
    freeze = table.freeze
    if isinstance(freeze, bool) or not isinstance(freeze, int) or not 0 <= freeze <= 1_000:
        raise OutputError(f"{table.name}: freeze must be a number of header rows, got {freeze!r}")
    if isinstance(table.rows, str | bytes) or not isinstance(table.rows, Sequence):
        raise OutputError(f"{table.name}: rows must be a list of rows, got {table.rows!r:.60}")
    return table


def _cell(value: object, column: Column, where: str) -> Cell:
    """One cell as written: text, a bool, a whole number, a finite float (rounded) or None."""
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or isinstance(value, str | bool):
        return value
    if isinstance(value, int):
        if abs(value) > 1e308:
            raise OutputError(
                f"{where}: column {column.name!r} holds a number of {len(str(abs(value)))} digits; "
                "it cannot be written"
            )
        return value
    if isinstance(value, float):
        return _number(value, column, where)
    raise OutputError(
        f"{where}: column {column.name!r} holds a {type(value).__name__} ({value!r:.40}); only "
        "text, numbers, True/False and None can be written"
    )


def _column_cells(values: ColumnValues, column: Column, name: str) -> list[Cell]:
    """One column's cells as written (see :func:`_cell`), checked and rounded as a whole."""
    if isinstance(values, Repeated):
        checked = [_cell(v, column, f"{name}, a value") for v in values.labels]
        return Repeated(checked, values.index).values()
    array = values if isinstance(values, np.ndarray) else None
    if array is not None and array.ndim == 1 and array.dtype.kind == "f":
        array = array.astype(np.float64, copy=False)
        infinite = np.isinf(array)
        if infinite.any():
            r = int(np.flatnonzero(infinite)[0])
            raise OutputError(
                f"{name}, row {r + 1}: column {column.name!r} holds {float(array[r])!r}; it "
                "cannot be written"
            )
        if column.ndigits is not None:
            array = np.asarray(round_half_up(array, column.ndigits, error=OutputError))
        out: list[Cell] = array.tolist()
        for r in np.flatnonzero(np.isnan(array)).tolist():
            out[r] = None
        return out
    if array is not None and array.ndim == 1 and array.dtype.kind in "biu":
        if array.dtype.kind == "u" and array.dtype.itemsize == 8:
            return [_cell(v, column, f"{name}, row {r}") for r, v in enumerate(array.tolist(), 1)]
        return list(array.tolist())
    if array is not None and array.ndim == 1 and array.dtype.kind == "U":
        return list(array.tolist())
    return [_cell(v, column, f"{name}, row {r}") for r, v in enumerate(values, start=1)]


def _column_texts(values: ColumnValues, column: Column, name: str) -> list[str]:
    """One column as CSV text: formulas escaped, numbers formatted to their precision."""
    if isinstance(values, Repeated):
        texts = [_csv_text(v, column) for v in _column_cells(list(values.labels), column, name)]
        return Repeated(texts, values.index).values()  # type: ignore[return-value]
    if (
        isinstance(values, np.ndarray)
        and values.ndim == 1
        and values.dtype.kind == "f"
        and column.ndigits is not None
    ):
        cells = _column_cells(values, column, name)
        fmt = f"{{:.{column.ndigits}f}}".format
        return ["" if v is None else fmt(v) for v in cells]
    return [_csv_text(v, column) for v in _column_cells(values, column, name)]


def _csv_text(value: Cell, column: Column) -> str:
    return excel_safe(value) if isinstance(value, str) else _text(value, column)


def _check_row(table: Table, r: int, row: object) -> None:
    """Row ``r`` of a table of rows: a sequence of one cell per column."""
    if isinstance(row, str | bytes) or not isinstance(row, Sequence):
        raise OutputError(f"{table.name}: row {r} must be a sequence of cells, got {row!r:.60}")
    if len(row) != len(table.columns):
        raise OutputError(
            f"{table.name}: row {r} has {len(row)} cells for {len(table.columns)} columns"
        )


def _as_columns(table: Table) -> tuple[ColumnValues, ...]:
    """A checked table's cells as columns (rows checked for their length first)."""
    if isinstance(table.rows, Columns):
        if len(table.rows.columns) != len(table.columns):
            raise OutputError(
                f"{table.name}: {len(table.rows.columns)} columns of data for "
                f"{len(table.columns)} columns"
            )
        return table.rows.columns
    for r, row in enumerate(table.rows, start=1):
        _check_row(table, r, row)
    if not table.rows:
        return tuple([] for _ in table.columns)
    return tuple(list(c) for c in zip(*table.rows, strict=True))


def _cells(table: Table) -> list[list[Cell]]:
    """Rows with numbers rounded at the edge and non-finite numbers refused."""
    table = _checked(table)
    if isinstance(table.rows, Columns):
        columns = [
            _column_cells(v, c, table.name)
            for v, c in zip(_as_columns(table), table.columns, strict=True)
        ]
        return [list(row) for row in zip(*columns, strict=True)]
    out = []
    for r, row in enumerate(table.rows, start=1):
        _check_row(table, r, row)
        where = f"{table.name}, row {r}"
        out.append([_cell(v, c, where) for v, c in zip(row, table.columns, strict=True)])
    return out


def _text(value: Cell, column: Column) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if column.ndigits is not None:
            return f"{value:.{column.ndigits}f}"
        text = f"{value:.10g}"
        # ten digits round the largest floats up past the largest float: write those in full
        return text if math.isfinite(float(text)) else repr(value)
    return str(value)


def write_csv(
    table: Table, path: str | Path | None = None, *, bom: bool = True, **options: Any
) -> str:
    """A table as CSV that is safe to open in Excel (formulas escaped, CRLF lines); UTF-8 with a
    byte-order mark by default, so Excel shows £ and accents (``bom=False`` for tools).

    Given ``path``, the CSV is streamed to the file (through a temporary file, never over an
    input) and ``""`` is returned; without it, the CSV text is returned.

    >>> t = Table("x", (Column("measure"), Column("value", 1)), [("=1+1", 2.25), ("b", float("nan"))])
    >>> print(write_csv(t).replace("\\r", ""), end="")
    measure,value
    '=1+1,2.3
    b,
    """
    table = _checked(as_table(table))
    columns = [
        _column_texts(v, c, table.name)
        for v, c in zip(_as_columns(table), table.columns, strict=True)
    ]
    header = [excel_safe(h) for h in table.header]

    def write(handle: Any) -> None:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(header)
        if columns:
            writer.writerows(zip(*columns, strict=True))
        else:  # a table with no columns: one empty line per row
            writer.writerows([] for _ in range(len(table.rows)))

    if path is None:
        buffer = io.StringIO()
        write(buffer)
        return buffer.getvalue()
    write_atomic(path, _text_stream(write, "utf-8-sig" if bom else "utf-8"), **options)
    return ""


def _text_stream(write: Callable[[Any], None], encoding: str) -> Callable[[Any], None]:
    """A writer of binary files (for :func:`write_atomic`) from a writer of text."""

    def to_binary(handle: Any) -> None:
        text = io.TextIOWrapper(handle, encoding=encoding, newline="", write_through=False)
        try:
            write(text)
            text.flush()
        finally:
            text.detach()

    return to_binary


def write_json(
    table: Table | Sequence[Table] | Sequence[Mapping[str, Any]],
    path: str | Path | None = None,
    **options: Any,
) -> str:
    """A table as a JSON array of objects (several tables: an object of arrays by name); a
    missing value is ``null``; no ``NaN`` or ``Infinity`` (which are not JSON)."""
    if isinstance(table, Table):
        single, tables = True, [table]
    elif all(isinstance(t, Table) for t in table):
        single, tables = False, [t for t in table if isinstance(t, Table)]
    else:
        single, tables = True, [as_table(table)]  # type: ignore[arg-type]
    if not tables:
        raise OutputError("no table to write")
    names = [_checked(t).name for t in tables]
    for t in tables:
        if len(set(t.header)) != len(t.header):
            raise OutputError(f"{t.name}: two columns share a name; JSON would keep only one")
    if len(set(names)) != len(names):
        raise OutputError(f"two tables share a name in {names}; JSON would keep only one")
    data: Any = {
        t.name: [dict(zip(t.header, row, strict=True)) for row in _cells(t)] for t in tables
    }
    if single:
        data = data[tables[0].name]
    text = json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    if path is not None:
        write_atomic(path, text, **options)
    return text


def _md_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", "<br>")


def to_markdown(table: Table | Sequence[Mapping[str, Any]]) -> str:
    """A table in Markdown (pipes, backslashes and newlines in cells escaped).

    >>> print(to_markdown(Table("t", (Column("a"), Column("b", 0)), [("x|y", 2.5)])))
    | a | b |
    |---|---:|
    | x\\|y | 3 |
    """
    table = as_table(table)
    rows = _cells(table)
    if not table.columns:
        return ""  # a table with no columns has nothing to show
    align = ["---:" if c.ndigits is not None else "---" for c in table.columns]
    lines = [
        "| " + " | ".join(_md_cell(h) for h in table.header) + " |",
        "|" + "|".join(align) + "|",
    ]
    for row in rows:
        lines.append(
            "| "
            + " | ".join(_md_cell(_text(v, c)) for v, c in zip(row, table.columns, strict=True))
            + " |"
        )
    return "\n".join(lines)


def render(table: Table, *, width: int = 60) -> str:
    """A table as plain text for a terminal (long cells shortened with an ellipsis)."""
    rows = [
        [shorten(_text(v, c), width) for v, c in zip(row, table.columns, strict=True)]
        for row in _cells(table)
    ]
    return format_table(table.header, rows)


_SHEET_BAD = re.compile(r"[\[\]:*?/\\\x00-\x1f\x7f]")
#: Characters an xlsx file cannot hold at all (XML 1.0 forbids them), whatever the cell type.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
#: The longest text an Excel cell holds, and its largest number.
_EXCEL_TEXT_LIMIT = 32_767
_EXCEL_LARGEST = 9.99999999999999e307


def _sheet_name(name: str, used: set[str]) -> str:
    """A valid, unique Excel sheet name: at most 31 characters, none of []:*?/\\ or control
    characters, not starting or ending with an apostrophe, not Excel's reserved 'History'."""
    base = _SHEET_BAD.sub("_", name).strip("'").strip() or "sheet"
    if base.lower() == "history":  # reserved by Excel
        base += "_"
    base = base[:31]
    candidate, n = base, 2
    while candidate.lower() in used:
        suffix = f" ({n})"
        candidate = base[: 31 - len(suffix)] + suffix
        n += 1
    used.add(candidate.lower())
    return candidate


def _xlsx_text(text: str, where: str) -> str:
    """Text an xlsx cell can hold: control characters XML forbids shown as U+FFFD; text longer
    than Excel's limit refused."""
    if len(text) > _EXCEL_TEXT_LIMIT:
        raise OutputError(
            f"{where}: a cell of {len(text):,} characters; Excel holds at most "
            f"{_EXCEL_TEXT_LIMIT:,}"
        )
    return _XML_ILLEGAL.sub("\ufffd", text)


def _number_format(ndigits: int | None) -> str:
    if ndigits is None:
        return "General"
    return "#,##0" if ndigits == 0 else "#,##0." + "0" * ndigits


def write_xlsx(tables: Sequence[Table], path: str | Path, **options: Any) -> Path:
    """Tables as an Excel workbook, one sheet each (extra ``excel``): numbers as numbers rounded
    to each column's precision with a matching number format, text as text (formula-like text
    is stored as a string, never a formula), bold frozen header, autofilter, column widths."""
    try:
        from openpyxl import Workbook
        from openpyxl.styles import Font
        from openpyxl.utils import get_column_letter
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError("writing .xlsx needs openpyxl: pip install 'outcomes[excel]'") from None
    if isinstance(tables, Table) or not tables:
        raise OutputError("give a non-empty list of tables to write to a workbook")
    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    for table in tables:
        rows = _cells(table)
        sheet = book.create_sheet(_sheet_name(table.name, used))
        widths = [len(h) for h in table.header]
        for j, name in enumerate(table.header, start=1):
            cell = sheet.cell(row=1, column=j)
            cell.value = _xlsx_text(name, f"{table.name}, header")
            cell.data_type = "s"  # never a formula, whatever it starts with
            cell.font = Font(bold=True)
        for i, row in enumerate(rows, start=2):
            for j, (value, column) in enumerate(zip(row, table.columns, strict=True), start=1):
                cell = sheet.cell(row=i, column=j)
                if isinstance(value, str):
                    cell.value = _xlsx_text(value, f"{table.name}, row {i - 1}")
                    cell.data_type = "s"  # never a formula, whatever it starts with
                else:
                    if isinstance(value, float | int) and not isinstance(value, bool):
                        if abs(value) > _EXCEL_LARGEST:
                            raise OutputError(
                                f"{table.name}, row {i - 1}: column {column.name!r} holds "
                                f"{value!r}, beyond the largest number Excel holds (about 1e308)"
                            )
                        cell.number_format = _number_format(column.ndigits)
                    cell.value = value
                widths[j - 1] = max(widths[j - 1], len(_text(value, column)))
        for j, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(j)].width = min(max(width + 2, 8), 60)
        if table.freeze and rows:
            sheet.freeze_panes = sheet.cell(row=table.freeze + 1, column=1)
        if rows and table.columns:
            sheet.auto_filter.ref = (
                f"A1:{get_column_letter(len(table.columns))}{len(table.rows) + 1}"
            )
    buffer = io.BytesIO()
    book.save(buffer)
    return write_atomic(path, buffer.getvalue(), **options)


def format_for(path: str | Path | None, given: str | None = None) -> Format:
    """The output format: ``given`` (``--format``), else the ``-o`` suffix (case-insensitive),
    else a text table. A ``--format`` that contradicts the suffix is an error.

    >>> format_for("out.XLSX"), format_for(None), format_for("-", "json")
    ('xlsx', 'table', 'json')
    """
    suffix_format = None
    if path is not None and str(path) != "-":
        suffix = Path(path).suffix.lower()
        if suffix not in FORMATS:
            if given is None:
                raise OutputError(
                    f"{path}: cannot tell the format from the suffix {suffix or '(none)'!r}; "
                    f"use one of {', '.join(FORMATS)} or --format"
                )
        else:
            suffix_format = FORMATS[suffix]
    if given is not None:
        check_choice(given, "--format", get_args(Format), OutputError)
        if suffix_format is not None and suffix_format != given:
            raise OutputError(f"--format {given} contradicts the file name {str(path)!r}")
        return given  # type: ignore[return-value]
    return suffix_format or "table"


def write_tables(
    tables: Sequence[Table], path: str | Path, fmt: Format, *, bom: bool = True, **options: Any
) -> Path:
    """Write tables to ``path`` in ``fmt``: one workbook (a sheet each), one JSON object, or
    CSV / Markdown / text of the tables one after another (CSV: one table, the long table of
    every row (``meta["role"] = "data"``) or else the first; the rest belong in a workbook)."""
    if fmt == "xlsx":
        return write_xlsx(tables, path, **options)
    if fmt == "csv":
        if isinstance(tables, Table) or not tables:
            raise OutputError("give a non-empty list of tables to write")
        write_csv(_primary(tables), path, bom=bom, **options)
        return Path(path)
    return write_atomic(path, render_tables(tables, fmt), **options)


def render_tables(tables: Sequence[Table], fmt: Format) -> str:
    """Tables as text in ``fmt`` (for standard output or a text file)."""
    check_choice(fmt, "format", get_args(Format), OutputError)
    if isinstance(tables, Table) or not tables:
        raise OutputError("give a non-empty list of tables to write")
    if fmt == "xlsx":
        raise OutputError("a workbook cannot be written to standard output; give -o FILE.xlsx")
    if fmt == "json":
        return write_json(tables[0] if len(tables) == 1 else tables)
    if fmt == "csv":
        return write_csv(_primary(tables))
    render_one: Callable[[Table], str] = to_markdown if fmt == "md" else render
    parts = []
    for t in tables:
        title = (
            f"## {t.name}\n\n"
            if fmt == "md" and len(tables) > 1
            else (f"{t.name}\n" if len(tables) > 1 else "")
        )
        parts.append(title + render_one(t) + (f"\n{t.note}" if t.note else ""))
    return "\n\n".join(parts) + "\n"


def _primary(tables: Sequence[Table]) -> Table:
    """The table a CSV holds when there are several: the one marked ``meta["role"] = "data"``
    (the long table of every row), else the first."""
    for table in tables:
        if isinstance(table, Table) and table.meta.get("role") == "data":
            return table
    return tables[0]


def write_table(table: Table, path: str | Path, fmt: Format, **options: Any) -> Path:
    """Write one table (see :func:`write_tables`)."""
    return write_tables([table], path, fmt, **options)
