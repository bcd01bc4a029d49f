"""Typed tables a plan reads: actuals (what happened) and baselines (where each organisation
starts), from CSV files, data frames or rows.

Both are columnar: one numpy array per column, one element per row, with the file line of each
row kept for messages. Every bad row is reported at once with its line (the header is line 1);
missing markers (``..``, ``Awaiting data``, empty) are missing values (NaN), never errors, and
never dropped. The same organisation, measure and period twice is an error naming both lines.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from outcomes._arrays import FloatArray
from outcomes._files import csv_rows, read_text
from outcomes._format import problem_report
from outcomes.errors import InputError, PeriodError
from outcomes.periods import period
from outcomes.units import is_missing

__all__ = ["ActualsTable", "BaselinesTable", "read_actuals", "read_baselines"]

_ALIASES: dict[str, tuple[str, ...]] = {
    "organisation": (
        "organisation",
        "organisation_code",
        "organisation code",
        "org",
        "org_code",
        "code",
        "area_code",
        "area code",
        "organization",
    ),
    "name": (
        "name",
        "organisation_name",
        "organisation name",
        "org_name",
        "area_name",
        "area name",
    ),
    "population": ("population", "registered_population", "registered patients"),
    "measure": ("measure", "measure_key", "key"),
    "period": ("period", "time period", "time_period"),
    "value": ("value", "actual", "baseline"),
    "lower": ("lower", "lower_95", "lower ci", "lower_ci", "lowercl"),
    "upper": ("upper", "upper_95", "upper ci", "upper_ci", "uppercl"),
    "count": ("count", "numerator"),
    "denominator": ("denominator",),
    "benchmark": ("benchmark", "england", "england value", "england_value", "comparator"),
}
#: Each alias's column (no alias belongs to two columns).
_CANONICAL = {alias: name for name, aliases in _ALIASES.items() for alias in aliases}
_NUMBERS = ("value", "lower", "upper", "count", "denominator", "population")


def _number(text: str) -> float | None:
    """A cell as a number, NaN when it is a missing marker, None when it is not a number."""
    if is_missing(text):
        return math.nan
    cleaned = text.strip().replace(",", "").replace("£", "")
    try:
        value = float(cleaned)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _columns(header: Sequence[str], source: str, required: Sequence[str]) -> dict[str, int]:
    lowered = [h.strip().lower() for h in header]
    found: dict[str, int] = {}
    for name, aliases in _ALIASES.items():
        for alias in aliases:
            if alias in lowered:
                found[name] = lowered.index(alias)
                break
    missing = [c for c in required if c not in found]
    if missing:
        raise InputError(
            f"{source}: line 1: missing column(s) {', '.join(repr(c) for c in missing)}; the header "
            f"has {', '.join(repr(h) for h in header)}"
        )
    return found


def _parse_rows(
    rows: Iterable[tuple[int, Mapping[str, str]]],
    source: str,
    numbers: Sequence[str],
    texts: Sequence[str],
) -> tuple[dict[str, Any], list[str]]:
    """Columns from (line, {column: text}) rows; problems listed with their lines."""
    lines: list[int] = []
    text_cols: dict[str, list[str]] = {c: [] for c in texts}
    num_cols: dict[str, list[float]] = {c: [] for c in numbers}
    problems: list[str] = []
    for line, row in rows:
        bad = False
        parsed: dict[str, float] = {}
        for column in numbers:
            raw = row.get(column)
            if raw is None:
                parsed[column] = math.nan
                continue
            value = _number(raw)
            if value is None:
                problems.append(f"{source}: line {line}, column {column!r}: not a number: {raw!r}")
                bad = True
            else:
                parsed[column] = value
        labels: dict[str, str] = {}
        for column in texts:
            text = (row.get(column) or "").strip()
            if column == "period" and text:
                try:
                    text = str(period(text))
                except PeriodError as error:
                    problems.append(f"{source}: line {line}, column 'period': {error}")
                    bad = True
            labels[column] = text
        if bad:
            continue
        lines.append(line)
        for column in texts:
            text_cols[column].append(labels[column])
        for column in numbers:
            num_cols[column].append(parsed[column])
    columns: dict[str, Any] = {"line": np.asarray(lines, dtype=np.int64)}
    for column in texts:
        columns[column] = np.asarray(text_cols[column], dtype=object)
    for column in numbers:
        columns[column] = np.asarray(num_cols[column], dtype=np.float64)
    return columns, problems


def _csv_records(
    path: str | Path, required: Sequence[str], what: str
) -> tuple[list[tuple[int, dict[str, str]]], str]:
    source = str(path)
    text, _ = read_text(path, what=what)
    rows = csv_rows(text, source)
    try:
        _, header = next(rows)
    except StopIteration:
        raise InputError(f"{source}: line 1: the {what} is empty; it needs a header row") from None
    index = _columns(header, source, required)
    records = []
    for line, cells in rows:
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
            raise InputError(
                f"{source}: line {line}: {len(cells)} cells for a header of {len(header)} columns"
            )
        padded = cells + [""] * (len(header) - len(cells))  # short rows: the rest is empty
        records.append((line, {name: padded[i] for name, i in index.items()}))
    return records, source


def _numbered(rows: Iterable[Mapping[str, object]]) -> list[tuple[int, dict[str, str]]]:
    """Rows given as dicts, numbered as the lines of a file with a header (the first is 2), with
    every cell as text (None and NaN as empty)."""
    if isinstance(rows, str | bytes | Mapping) or not isinstance(rows, Iterable):
        raise InputError(f"rows must be a list of dicts (one per row), got {type(rows).__name__}")
    out = []
    columns: dict[str, str] = {}  # each text key's column, worked out once for all the rows
    for i, row in enumerate(rows):
        if not isinstance(row, Mapping):
            raise InputError(
                f"line {i + 2}: a row must be a dict of column to value, got {type(row).__name__}"
            )
        cells = {}
        for k, v in row.items():
            missing = v is None or (isinstance(v, float) and math.isnan(v))
            canonical = columns.get(k) if isinstance(k, str) else None
            if canonical is None:
                name = str(k).strip().lower()
                canonical = _CANONICAL.get(name, name)
                if isinstance(k, str):
                    columns[k] = canonical
            cells[canonical] = "" if missing else str(v)
        out.append((i + 2, cells))
    return out


def _duplicates(
    keys: Sequence[tuple[str, ...]], lines: npt.NDArray[np.int64], what: str, source: str
) -> list[str]:
    seen: dict[tuple[str, ...], int] = {}
    problems = []
    for key, line in zip(keys, lines.tolist(), strict=True):
        if key in seen:
            shown = ", ".join(k for k in key if k)
            problems.append(
                f"{source}: lines {seen[key]} and {line} both give the {what} for {shown}"
            )
        else:
            seen[key] = line
    return problems


@dataclass(frozen=True)
class ActualsTable:
    """Actual values by organisation, measure and period (one array per column).

    ``organisation`` is ``""`` where the file has no organisation column (a plan for one
    organisation). ``value`` is NaN where the actual is missing; ``lower``/``upper`` (a
    confidence interval) and ``count``/``denominator`` are NaN where not given.
    """

    source: str
    line: npt.NDArray[np.int64]
    organisation: npt.NDArray[np.object_]
    measure: npt.NDArray[np.object_]
    period: npt.NDArray[np.object_]
    value: FloatArray
    lower: FloatArray
    upper: FloatArray
    count: FloatArray
    denominator: FloatArray
    benchmark: FloatArray

    def __len__(self) -> int:
        return int(self.line.size)

    @classmethod
    def from_rows(
        cls, rows: Iterable[Mapping[str, object]], *, source: str = "<rows>"
    ) -> ActualsTable:
        """Actuals from dicts with the columns of the file (``measure``, ``period``, ``value``
        and optionally ``organisation``, ``lower``, ``upper``, ``count``, ``denominator``).

        >>> t = ActualsTable.from_rows([{"measure": "pyll", "period": "2014", "value": 1890.5}])
        >>> t.value.tolist(), t.period.tolist()
        ([1890.5], ['2014'])
        """
        return cls._build(_numbered(rows), source, required=("measure", "period", "value"))

    @classmethod
    def _build(
        cls, records: Sequence[tuple[int, Mapping[str, str]]], source: str, required: Sequence[str]
    ) -> ActualsTable:
        columns, problems = _parse_rows(
            records,
            source,
            ("value", "lower", "upper", "count", "denominator", "benchmark"),
            ("organisation", "measure", "period"),
        )
        for name in required:
            if records and all(name not in r for _, r in records):
                problems.insert(0, f"{source}: missing column {name!r}")
        lo, hi, value = columns["lower"], columns["upper"], columns["value"]
        for i in np.flatnonzero(lo > hi).tolist():
            problems.append(
                f"{source}: line {columns['line'][i]}: lower {float(lo[i])!r} is above upper {float(hi[i])!r}"
            )
        # a NaN anywhere (a missing value or limit) compares False: not checked, not an error;
        # a relative slack of 1e-9 as scoring allows (infinite near the largest floats: harmless)
        with np.errstate(over="ignore"):
            outside = (lo <= hi) & (
                (value < lo - 1e-9 * np.abs(lo)) | (value > hi + 1e-9 * np.abs(hi))
            )
        for i in np.flatnonzero(outside).tolist():
            problems.append(
                f"{source}: line {columns['line'][i]}: the actual {float(value[i])!r} lies outside its "
                f"own confidence interval [{float(lo[i])!r}, {float(hi[i])!r}]"
            )
        x, n = columns["count"], columns["denominator"]
        for i in np.flatnonzero((x < 0) | (n <= 0)).tolist():
            problems.append(
                f"{source}: line {columns['line'][i]}: count must be >= 0 and denominator > 0, "
                f"got {float(x[i])!r} and {float(n[i])!r}"
            )
        keys = list(
            zip(columns["organisation"], columns["measure"], columns["period"], strict=True)
        )
        problems += _duplicates(keys, columns["line"], "actual", source)
        if problems:
            raise InputError(problem_report(source, problems), tuple(problems))
        return cls(source=source, **columns)

    def measures(self) -> tuple[str, ...]:
        """The measures present, in order of first appearance."""
        return tuple(dict.fromkeys(self.measure.tolist()))

    def organisations(self) -> tuple[str, ...]:
        """The organisation codes present ('' for rows without one)."""
        return tuple(dict.fromkeys(self.organisation.tolist()))

    def cells(
        self, measure: str, organisations: Sequence[str], periods: Sequence[str]
    ) -> dict[str, FloatArray]:
        """The measure's columns laid out as organisations x periods (NaN where absent).

        A table without organisation codes fills every organisation's row only when there is
        one organisation.
        """
        shape = (len(organisations), len(periods))
        out = {
            c: np.full(shape, np.nan)
            for c in ("value", "lower", "upper", "count", "denominator", "benchmark")
        }
        rows = np.flatnonzero(self.measure == measure)
        org_index = {code: i for i, code in enumerate(organisations)}
        if len(organisations) == 1:
            org_index.setdefault("", 0)  # a table without codes, for a plan of one organisation
        period_index = {p: j for j, p in enumerate(periods)}
        codes = [str(code) for code in self.organisation[rows].tolist()]
        ii = np.array([org_index.get(code, -1) for code in codes], dtype=np.intp)
        jj = np.array(
            [period_index.get(str(p), -1) for p in self.period[rows].tolist()], dtype=np.intp
        )
        unknown_orgs = [
            f"line {self.line[rows[k]]}: {codes[k] or '(no organisation)'}"
            for k in np.flatnonzero(ii < 0).tolist()
        ]
        outside = [
            f"line {self.line[rows[k]]}: {self.period[rows[k]]}"
            for k in np.flatnonzero((ii >= 0) & (jj < 0)).tolist()
        ]
        if not unknown_orgs and not outside:
            if len(organisations) == 1:  # rows with and without the code: the last one counts
                _, last = np.unique(jj[::-1], return_index=True)
                keep = np.sort(len(jj) - 1 - last)
                rows, ii, jj = rows[keep], ii[keep], jj[keep]
            for c in out:
                out[c][ii, jj] = getattr(self, c)[rows]
        problems = []
        if unknown_orgs:
            problems.append(
                f"measure {measure!r}: organisations the plan does not have ("
                + "; ".join(unknown_orgs[:5])
                + (" ..." if len(unknown_orgs) > 5 else "")
                + ")"
            )
        if outside:
            problems.append(
                f"measure {measure!r}: periods outside the plan's {', '.join(periods)} ("
                + "; ".join(outside[:5])
                + (" ..." if len(outside) > 5 else "")
                + ")"
            )
        if problems:
            raise InputError(problem_report(self.source, problems), tuple(problems))
        return out


def read_actuals(path: str | Path) -> ActualsTable:
    """Read an actuals CSV: columns ``measure, period, value`` and optionally ``organisation``,
    ``lower, upper`` (a confidence interval), ``count, denominator``, and ``benchmark`` (e.g. the
    England value for the period, to say whether each actual differs from it significantly).

    The file may be UTF-8 (with or without a BOM) or Windows-1252, as Excel writes it. Every
    bad row is reported at once with its line; missing markers are missing values.

    >>> t = read_actuals("examples/illustrative-ccg-actuals.csv")
    >>> len(t), t.measures()[:2]
    (10, ('pyll', 'eq5d'))
    """
    records, source = _csv_records(path, ("measure", "period", "value"), "actuals file")
    return ActualsTable._build(records, source, required=())


@dataclass(frozen=True)
class BaselinesTable:
    """Baselines by organisation and measure: where each organisation starts.

    One row per organisation and measure with the organisation's code, name and population,
    the baseline value and its period, and the count and denominator where known.
    """

    source: str
    line: npt.NDArray[np.int64]
    organisation: npt.NDArray[np.object_]
    name: npt.NDArray[np.object_]
    measure: npt.NDArray[np.object_]
    period: npt.NDArray[np.object_]
    value: FloatArray
    population: FloatArray
    count: FloatArray
    denominator: FloatArray

    def __len__(self) -> int:
        return int(self.line.size)

    @classmethod
    def from_rows(
        cls, rows: Iterable[Mapping[str, object]], *, source: str = "<rows>"
    ) -> BaselinesTable:
        """Baselines from dicts with the columns of the file."""
        return cls._build(_numbered(rows), source)

    @classmethod
    def _build(
        cls, records: Sequence[tuple[int, Mapping[str, str]]], source: str
    ) -> BaselinesTable:
        columns, problems = _parse_rows(
            records,
            source,
            ("value", "population", "count", "denominator"),
            ("organisation", "name", "measure", "period"),
        )
        line = columns["line"]
        for i in np.flatnonzero(np.isnan(columns["value"])).tolist():
            problems.append(f"{source}: line {line[i]}: the baseline value is missing")
        for i in np.flatnonzero(columns["value"] < 0).tolist():
            problems.append(
                f"{source}: line {line[i]}: baseline must be >= 0, got {float(columns['value'][i])!r}"
            )
        for i in np.flatnonzero(columns["population"] < 0).tolist():
            problems.append(f"{source}: line {line[i]}: population must be >= 0")
        for i, code in enumerate(columns["organisation"].tolist()):
            if not code:
                problems.append(f"{source}: line {line[i]}: the organisation code is empty")
            if not columns["period"][i]:
                problems.append(f"{source}: line {line[i]}: the baseline period is empty")
        keys = list(zip(columns["organisation"], columns["measure"], strict=True))
        problems += _duplicates(keys, line, "baseline", source)
        if problems:
            raise InputError(problem_report(source, problems), tuple(problems))
        return cls(source=source, **columns)

    def organisations(self) -> tuple[str, ...]:
        """Organisation codes in order of first appearance."""
        return tuple(dict.fromkeys(self.organisation.tolist()))

    def names(self) -> dict[str, str]:
        """Organisation code -> name (the first non-empty name given)."""
        out: dict[str, str] = {}
        for code, name in zip(self.organisation.tolist(), self.name.tolist(), strict=True):
            if name and code not in out:
                out[code] = name
        return out

    def populations(self) -> dict[str, float]:
        """Organisation code -> population (the first one given)."""
        out: dict[str, float] = {}
        for code, pop in zip(self.organisation.tolist(), self.population.tolist(), strict=True):
            if not math.isnan(pop) and code not in out:
                out[code] = pop
        return out

    def for_measure(self, measure: str, organisations: Sequence[str]) -> dict[str, Any]:
        """The measure's baselines in the order of ``organisations``: value, period, count,
        denominator; every organisation must have one, all for the same period."""
        rows = {
            str(self.organisation[r]): r for r in np.flatnonzero(self.measure == measure).tolist()
        }
        missing = [code for code in organisations if code not in rows]
        if missing:
            raise InputError(
                f"{self.source}: no baseline for measure {measure!r} for organisation(s) "
                f"{', '.join(missing[:10])}" + (" ..." if len(missing) > 10 else "")
            )
        order = [rows[code] for code in organisations]
        periods = {str(self.period[r]) for r in order}
        if len(periods) > 1:
            raise InputError(
                f"{self.source}: the baselines of measure {measure!r} are for different periods "
                f"({', '.join(sorted(periods))}); a measure's baselines must share one period"
            )
        return {
            "value": self.value[order],
            "period": periods.pop(),
            "count": self.count[order],
            "denominator": self.denominator[order],
            "lines": self.line[order],
        }


def read_baselines(path: str | Path) -> BaselinesTable:
    """Read a baselines CSV: columns ``organisation, measure, value, period`` and optionally
    ``name``, ``population``, ``count``, ``denominator``; one row per organisation and measure.

    >>> t = read_baselines("examples/illustrative-icb-baselines.csv")
    >>> t.organisations()[:2]
    ('99A', '99B')
    """
    records, source = _csv_records(
        path, ("organisation", "measure", "value", "period"), "baselines file"
    )
    return BaselinesTable._build(records, source)
