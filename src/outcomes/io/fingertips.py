"""Fingertips exports in: the CSV that Fingertips' "export data" writes, read into columns.

The reader parses straight into one array per column (numbers as floats, NaN where a cell is
empty, text as arrays of strings) and builds a typed :class:`FingertipsRecord` for a row only
when one is asked for. Every row that cannot be read is listed in ``problems`` with its line; no
row vanishes silently.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict

from outcomes._arrays import FloatArray
from outcomes._files import csv_file_rows
from outcomes._format import problem_report
from outcomes.errors import InputError

__all__ = ["FINGERTIPS_COLUMNS", "FingertipsData", "FingertipsRecord", "read_fingertips"]

#: The columns of a Fingertips export, as Fingertips names them, and their field names here.
FINGERTIPS_COLUMNS: dict[str, str] = {
    "Indicator ID": "indicator_id",
    "Indicator Name": "indicator_name",
    "Parent Code": "parent_code",
    "Parent Name": "parent_name",
    "Area Code": "area_code",
    "Area Name": "area_name",
    "Area Type": "area_type",
    "Sex": "sex",
    "Age": "age",
    "Category Type": "category_type",
    "Category": "category",
    "Time period": "time_period",
    "Value": "value",
    "Lower CI 95.0 limit": "lower_95",
    "Upper CI 95.0 limit": "upper_95",
    "Lower CI 99.8 limit": "lower_998",
    "Upper CI 99.8 limit": "upper_998",
    "Count": "count",
    "Denominator": "denominator",
    "Value note": "value_note",
    "Recent Trend": "recent_trend",
    "Compared to England value or percentiles": "compared_to_england",
    "Compared to Region value or percentiles": "compared_to_region",
    "Time period Sortable": "time_period_sortable",
    "New data": "new_data",
    "Compared to goal": "compared_to_goal",
}
_LABELS = {name: label for label, name in FINGERTIPS_COLUMNS.items()}
REQUIRED = ("Indicator ID", "Area Code", "Area Type", "Time period", "Value")
NUMERIC = ("value", "lower_95", "upper_95", "lower_998", "upper_998", "count", "denominator")
#: The fields that pick out one peer set: a selection must leave none of them open.
SELECTION_FIELDS = ("indicator_id", "time_period", "area_type", "sex", "age")

#: Rows converted to columns at a time (bounds the memory of the rows being read).
_CHUNK = 65_536


class FingertipsRecord(BaseModel):
    """One row of a Fingertips export, typed (built on demand from the columns)."""

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


def _floats(
    cells: Sequence[str], column: str, lines: npt.NDArray[np.int64], source: str
) -> tuple[FloatArray, list[int], list[str]]:
    """A text column as floats (NaN where empty); bad cells are reported, not guessed."""
    text = np.asarray(cells, dtype=object)
    stripped = np.char.strip(text.astype(str)) if text.size else text.astype(str)
    empty = stripped == ""
    filled = np.where(empty, "nan", stripped)
    try:
        values = filled.astype(np.float64)
        bad_rows: list[int] = np.flatnonzero(~np.isfinite(values) & ~empty).tolist()
    except ValueError:
        values = np.full(len(cells), np.nan)
        bad_rows = []
        for i, cell in enumerate(filled.tolist()):
            try:
                values[i] = float(cell)
            except ValueError:
                bad_rows.append(i)
                continue
            if not math.isfinite(values[i]) and not empty[i]:
                bad_rows.append(i)
    problems = [
        f"{source}: line {lines[i]}, column {column!r}: not a number: {cells[i]!r}"
        for i in bad_rows
    ]
    return values, bad_rows, problems


@dataclass(frozen=True)
class FingertipsData:
    """The columns of a Fingertips export, and the rows that could not be read.

    ``columns`` maps the field names of :data:`FINGERTIPS_COLUMNS` to arrays: floats (NaN where
    empty) for the numbers, strings for the rest; ``line`` is each row's line in the file.
    """

    path: str
    columns: dict[str, Any]
    line: npt.NDArray[np.int64]
    problems: tuple[str, ...] = ()
    header: tuple[str, ...] = field(default_factory=tuple)

    def __len__(self) -> int:
        return int(self.line.size)

    def __getitem__(self, name: str) -> Any:
        return self.columns[name]

    @cached_property
    def records(self) -> tuple[FingertipsRecord, ...]:
        """Typed rows (built on first access)."""
        cols = self.columns

        def number(name: str, i: int) -> float | None:
            v = float(cols[name][i])
            return None if math.isnan(v) else v

        return tuple(
            FingertipsRecord(
                row=int(self.line[i]),
                indicator_id=int(cols["indicator_id"][i]),
                indicator_name=str(cols["indicator_name"][i]),
                area_code=str(cols["area_code"][i]),
                area_name=str(cols["area_name"][i]),
                area_type=str(cols["area_type"][i]),
                sex=str(cols["sex"][i]),
                age=str(cols["age"][i]),
                category_type=str(cols["category_type"][i]),
                category=str(cols["category"][i]),
                time_period=str(cols["time_period"][i]),
                value_note=str(cols["value_note"][i]),
                **{n: number(n, i) for n in NUMERIC},
            )
            for i in range(len(self))
        )

    def mask(
        self,
        *,
        indicator_id: int | None = None,
        period: str | None = None,
        area_type: str | None = None,
        sex: str | None = None,
        age: str | None = None,
        categories: bool = False,
    ) -> npt.NDArray[np.bool_]:
        """Rows matching every filter given (category rows left out unless asked for)."""
        keep = np.ones(len(self), dtype=bool)
        cols = self.columns
        if indicator_id is not None:
            whole = isinstance(indicator_id, int | np.integer) and not isinstance(
                indicator_id, bool
            )
            if not whole or not 0 <= indicator_id < 2**53:
                raise InputError(
                    f"indicator must be a Fingertips indicator id (a whole number), got "
                    f"{indicator_id!r:.40}"
                )
            keep &= cols["indicator_id"] == int(indicator_id)
        for name, wanted in (
            ("time_period", period),
            ("area_type", area_type),
            ("sex", sex),
            ("age", age),
        ):
            if wanted is not None:
                keep &= cols[name] == str(wanted)
        if not categories:
            keep &= cols["category_type"] == ""
        return keep

    def select(
        self,
        *,
        indicator_id: int | None = None,
        period: str | None = None,
        area_type: str | None = None,
        sex: str | None = None,
        age: str | None = None,
        categories: bool = False,
    ) -> FingertipsData:
        """The rows matching every filter given, as a smaller :class:`FingertipsData`.

        >>> data = read_fingertips("tests/data/fingertips_93356_campylobacter_utla_2015_2017.csv")
        >>> len(data.select(period="2017", area_type="County & UA", age="All ages"))
        152
        """
        keep = self.mask(
            indicator_id=indicator_id,
            period=period,
            area_type=area_type,
            sex=sex,
            age=age,
            categories=categories,
        )
        return self.take(keep)

    def take(self, rows: npt.NDArray[np.bool_] | npt.NDArray[np.intp]) -> FingertipsData:
        """A :class:`FingertipsData` of the given rows (a mask or indices)."""
        return FingertipsData(
            path=self.path,
            columns={k: v[rows] for k, v in self.columns.items()},
            line=self.line[rows],
            problems=self.problems,
            header=self.header,
        )

    def distinct(self, name: str) -> tuple[str, ...]:
        """The distinct values of a column, as text, in order of first appearance."""
        return tuple(dict.fromkeys(str(v) for v in self.columns[name].tolist()))

    def to_frame(self) -> Any:
        """Every column as a pandas DataFrame, with Fingertips' own column names (extra
        ``pandas``); see :func:`outcomes.frames.fingertips_frame`."""
        from outcomes.frames import fingertips_frame

        return fingertips_frame(self)


def read_fingertips(path: str | Path, *, strict: bool = False) -> FingertipsData:
    """Read the CSV that Fingertips' "export data" produces, into columns.

    Handles CRLF line ends, quoted newlines inside cells, UTF-8 with or without a BOM and
    Windows-1252. A row that cannot be parsed is listed in ``problems`` with its line, column and
    value (``strict=True`` raises :class:`InputError` listing all of them instead); no row
    vanishes silently. Empty numeric cells (suppressed values, empty intervals) are NaN.

    >>> data = read_fingertips("tests/data/fingertips_93356_campylobacter_utla_2015_2017.csv")
    >>> len(data), data.problems
    (852, ())
    >>> data.records[0].area_name
    'England'
    """
    source = str(path)
    rows = csv_file_rows(path, source, what="Fingertips export")
    try:
        _, header = next(rows)
    except StopIteration:
        raise InputError(
            f"{source}: line 1: the file is empty; it needs Fingertips' header row"
        ) from None
    header = [h.strip() for h in header]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise InputError(
            f"{source}: line 1: not a Fingertips export: missing column(s) {', '.join(missing)}"
        )
    index = {FINGERTIPS_COLUMNS[h]: i for i, h in enumerate(header) if h in FINGERTIPS_COLUMNS}
    width = len(header)
    problems: list[str] = []
    parts: dict[str, list[Any]] = {name: [] for name in FINGERTIPS_COLUMNS.values()}
    line_parts: list[npt.NDArray[np.int64]] = []
    bad_parts: list[npt.NDArray[np.bool_]] = []
    interned: dict[str, dict[str, str]] = {name: {} for name in FINGERTIPS_COLUMNS.values()}
    lines: list[int] = []
    raw: list[list[str]] = []

    def flush() -> None:
        # a chunk of rows into columns: numbers as floats, text interned (a column of a few
        # distinct values holds pointers to them, not a string per cell)
        line_array = np.asarray(lines, dtype=np.int64)
        by_column = list(zip(*raw, strict=True)) if raw else [() for _ in range(width)]
        bad = np.zeros(len(raw), dtype=bool)
        for name in FINGERTIPS_COLUMNS.values():
            if name not in index:  # a column the file leaves out: missing numbers, empty text
                numeric = name in NUMERIC
                parts[name].append(
                    np.full(len(raw), np.nan if numeric else "", dtype=float if numeric else object)
                )
                continue
            cells = by_column[index[name]]
            if name in NUMERIC or name == "indicator_id":
                values, bad_rows, found = _floats(cells, _LABELS[name], line_array, source)
                if name == "indicator_id":
                    whole = np.isfinite(values) & (values == np.round(values))
                    whole[bad_rows] = True  # already reported as not a number
                    for i in np.flatnonzero(~whole).tolist():
                        bad_rows.append(i)
                        found.append(
                            f"{source}: line {line_array[i]}, column 'Indicator ID': not a "
                            f"whole number: {cells[i]!r}"
                        )
                bad[bad_rows] = True
                problems.extend(found)
                parts[name].append(values)
            else:
                keep = interned[name].setdefault
                column = np.empty(len(cells), dtype=object)
                column[:] = [keep(t, t) for t in (c.strip() for c in cells)]
                parts[name].append(column)
        line_parts.append(line_array)
        bad_parts.append(bad)
        lines.clear()
        raw.clear()

    for line, cells in rows:
        if len(cells) > width and any(c.strip() for c in cells[width:]):
            problems.append(f"{source}: line {line}: {len(cells)} cells for {width} columns")
            continue
        lines.append(line)
        raw.append(cells if len(cells) == width else (cells + [""] * width)[:width])
        if len(raw) == _CHUNK:
            flush()
    if raw or not line_parts:
        flush()
    columns: dict[str, Any] = {name: np.concatenate(chunks) for name, chunks in parts.items()}
    line_array = np.concatenate(line_parts)
    bad = np.concatenate(bad_parts)
    data = FingertipsData(
        path=source,
        columns=columns,
        line=line_array,
        problems=tuple(problems),
        header=tuple(header),
    )
    if bad.any():
        data = data.take(~bad)
    if strict and problems:
        raise InputError(problem_report(source, problems), tuple(problems))
    return data
