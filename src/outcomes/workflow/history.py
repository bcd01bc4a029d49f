"""A record you can trust: a history (areas x periods of one indicator) is *selected* from a
Fingertips export or read from a long CSV, never pooled, and it carries where it came from.

A plan's measure with a history gets its realism (:class:`~outcomes.realism.Realism`: the
plan's change a year against what peers achieved, and the odds of meeting each target), and a
``peer_achieved`` rule takes its history from it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from outcomes._arrays import FloatArray, as_number
from outcomes._files import csv_file_rows, csv_rows, read_text
from outcomes.errors import InputError, OutcomesError
from outcomes.io.fingertips import REQUIRED, FingertipsData, read_fingertips
from outcomes.periods import Period, period
from outcomes.realism import Realism, trajectory_realism
from outcomes.stats.changes import Kind
from outcomes.trajectory import Trajectory
from outcomes.units import is_missing
from outcomes.workflow.peers import open_fields

__all__ = ["HISTORY_COLUMNS", "HistorySet", "select_history"]

#: The columns of a long history CSV (``columns = {...}`` maps them to a file's own names).
HISTORY_COLUMNS = ("area", "period", "value", "lower", "upper", "name")

_FLAGS = {
    "indicator": "--history-indicator",
    "area_type": "--history-area-type",
    "sex": "--history-sex",
    "age": "--history-age",
}


@dataclass(frozen=True, eq=False)
class HistorySet:
    """A history: ``values`` (areas x consecutive periods, ``NaN`` = missing), optional
    confidence limits of the same shape, and where it came from.

    ``missing`` counts the cells without a value (a period no area reported is a column of
    missing values: periods stay equally spaced). ``limits`` says why confidence limits are not
    used when they are not. Compared by identity (it holds arrays).
    """

    values: FloatArray
    areas: tuple[str, ...]
    periods: tuple[str, ...]
    lower: FloatArray | None = None
    upper: FloatArray | None = None
    source: str = "given values"
    indicator: int | None = None
    area_type: str | None = None
    sex: str | None = None
    age: str | None = None
    area_names: tuple[str, ...] = ()
    kind: Kind = "relative"
    confidence: float = 0.95
    area_word: str | None = None
    limits: str = ""
    selected_areas: bool = False

    def __post_init__(self) -> None:
        shape = (len(self.areas), len(self.periods))
        if self.values.shape != shape:
            raise InputError(
                f"history values have shape {self.values.shape}, areas x periods is {shape}"
            )
        for name in ("lower", "upper"):
            arr = getattr(self, name)
            if arr is not None and arr.shape != shape:
                raise InputError(f"history {name} has shape {arr.shape}, values have {shape}")
        if (self.lower is None) != (self.upper is None):
            raise InputError("give both lower and upper confidence limits, or neither")
        if self.kind not in ("relative", "absolute"):
            raise InputError(f"kind must be 'relative' or 'absolute', got {self.kind!r}")

    @property
    def n(self) -> int:
        """How many areas are in the history."""
        return len(self.areas)

    @property
    def missing(self) -> int:
        """How many area-period cells have no value."""
        return int(np.isnan(self.values).sum())

    @property
    def span(self) -> str:
        """The first and last periods, e.g. ``'2009–2014'``."""
        return (
            self.periods[0] if len(self.periods) == 1 else f"{self.periods[0]}–{self.periods[-1]}"
        )

    def describe(self) -> str:
        """One line for outputs and provenance.

        >>> HistorySet.from_arrays([[1.0, 2.0], [3.0, float("nan")]], areas=["A", "B"],
        ...                        periods=["2013", "2014"]).describe()
        '2 areas x 2 periods (2013–2014) from given values; 1 cell missing; no confidence limits'
        """
        parts = [
            f"indicator {self.indicator}" if self.indicator is not None else None,
            self.area_type,
            self.sex,
            self.age,
        ]
        text = ", ".join(p for p in parts if p)
        cells = self.missing
        where = (
            f"{self.n} areas x {len(self.periods)} periods ({self.span}) from {self.source}; "
            f"{cells} cell{'s' if cells != 1 else ''} missing"
        )
        if self.selected_areas:
            where += "; areas as listed in the selection"
        if self.lower is not None:
            where += f"; {self.confidence * 100:g}% confidence limits used"
        else:
            where += "; " + (self.limits or "no confidence limits")
        if self.kind == "absolute":
            where += "; absolute changes"
        return f"{text}: {where}" if text else where

    @classmethod
    def from_arrays(
        cls,
        values: npt.ArrayLike,
        *,
        areas: Sequence[str],
        periods: Sequence[str],
        lower: npt.ArrayLike | None = None,
        upper: npt.ArrayLike | None = None,
        source: str = "given values",
        kind: Kind = "relative",
        confidence: float = 0.95,
        area_word: str | None = None,
        area_names: Sequence[str] = (),
    ) -> HistorySet:
        """A history from arrays (e.g. :func:`outcomes.frames.history_from_frame`'s).

        >>> h = HistorySet.from_arrays([[10.0, 9.0, 8.5]], areas=["00C"],
        ...                            periods=["2012", "2013", "2014"])
        >>> h.n, h.span
        (1, '2012–2014')
        """

        def array(value: npt.ArrayLike, name: str) -> FloatArray:
            try:
                out = np.asarray(value, dtype=np.float64)
            except (TypeError, ValueError):
                raise InputError(f"history {name} must be numbers, got {value!r}") from None
            if out.ndim != 2:
                raise InputError(f"history {name} must be areas x periods, got shape {out.shape}")
            return out

        return cls(
            values=array(values, "values"),
            areas=tuple(str(a) for a in areas),
            periods=tuple(str(p) for p in periods),
            lower=None if lower is None else array(lower, "lower"),
            upper=None if upper is None else array(upper, "upper"),
            source=source,
            kind=kind,
            confidence=confidence,
            area_word=area_word,
            area_names=tuple(str(n) for n in area_names),
        )


# --------------------------------------------------------------------------------------------
# reading
# --------------------------------------------------------------------------------------------


@dataclass
class _Long:
    """Rows of a history before they are put on the areas x periods grid."""

    area: list[str]
    label: list[str]
    value: list[float]
    lower: list[float] | None
    upper: list[float] | None
    line: list[int]
    names: dict[str, str]


def _is_fingertips(path: str | Path) -> bool:
    """Whether the file's header is a Fingertips export's (its first record read as a stream:
    an export is read again by :func:`read_fingertips`, so its text is not held here)."""
    first = next(csv_file_rows(path, str(path), what="history file"), None)
    if first is None:
        raise InputError(f"{path}: line 1: the history file is empty; it needs a header row")
    return all(c in [h.strip() for h in first[1]] for c in REQUIRED)


def _number(text: str, column: str, line: int, source: str, problems: list[str]) -> float:
    if is_missing(text):
        return math.nan
    try:
        value = float(text.strip().replace(",", ""))
    except ValueError:
        value = math.nan
        problems.append(f"{source}: line {line}, column {column!r}: not a number: {text!r}")
    else:
        if not math.isfinite(value):
            problems.append(f"{source}: line {line}, column {column!r}: not finite: {text!r}")
            value = math.nan
    return value


def _read_long(path: str | Path, columns: Mapping[str, str] | None) -> _Long:
    source = str(path)
    wanted = {c: c for c in HISTORY_COLUMNS}
    if columns is not None and (
        not isinstance(columns, Mapping)
        or not all(isinstance(k, str) and isinstance(v, str) for k, v in columns.items())
    ):
        raise InputError(
            f"columns must map history columns to the file's names, such as "
            f"{{'area': 'Level', 'value': 'DSR'}}, got {columns!r:.60}"
        )
    if columns:
        unknown = [k for k in columns if k not in HISTORY_COLUMNS]
        if unknown:
            raise InputError(
                f"columns: unknown key(s) {', '.join(repr(k) for k in unknown)}; the keys are "
                f"{', '.join(HISTORY_COLUMNS)}"
            )
        wanted.update(columns)
    text, _ = read_text(path, what="history file")
    rows = csv_rows(text, source)
    try:
        _, header = next(rows)
    except StopIteration:
        raise InputError(
            f"{source}: line 1: the history file is empty; it needs a header row"
        ) from None
    lowered = [h.strip().lower() for h in header]
    index: dict[str, int] = {}
    for key, name in wanted.items():
        if name.strip().lower() in lowered:
            index[key] = lowered.index(name.strip().lower())
    needed = [k for k in ("area", "period", "value") if k not in index]
    if needed:
        raise InputError(
            f"{source}: line 1: not a history: missing column(s) "
            + ", ".join(
                f"{wanted[k]!r}" + (f" (for {k})" if wanted[k] != k else "") for k in needed
            )
            + f"; the header has {', '.join(repr(h) for h in header)}. A history is a Fingertips "
            "export or a long CSV with columns area, period, value[, lower, upper, name] (map "
            "other names with columns = {area = '...', ...})"
        )
    if ("lower" in index) != ("upper" in index):
        have, lack = ("lower", "upper") if "lower" in index else ("upper", "lower")
        raise InputError(f"{source}: line 1: column {wanted[have]!r} needs {wanted[lack]!r} too")
    limits = "lower" in index
    out = _Long([], [], [], [] if limits else None, [] if limits else None, [], {})
    problems: list[str] = []
    for line, cells in rows:
        cells = cells + [""] * (len(header) - len(cells))
        code, label = cells[index["area"]].strip(), cells[index["period"]].strip()
        if not code or not label:
            problems.append(f"{source}: line {line}: the area and the period must not be empty")
            continue
        out.area.append(code)
        out.label.append(label)
        out.line.append(line)
        out.value.append(_number(cells[index["value"]], wanted["value"], line, source, problems))
        if out.lower is not None and out.upper is not None:
            out.lower.append(
                _number(cells[index["lower"]], wanted["lower"], line, source, problems)
            )
            out.upper.append(
                _number(cells[index["upper"]], wanted["upper"], line, source, problems)
            )
        if "name" in index:
            out.names.setdefault(code, cells[index["name"]].strip())
    if problems:
        shown = problems[:20] + (
            [f"... and {len(problems) - 20} more"] if len(problems) > 20 else []
        )
        raise InputError("\n".join(shown), tuple(problems))
    if not out.area:
        raise InputError(f"{source}: line 2: the history file has no rows after its header")
    return out


def _from_fingertips(
    data: FingertipsData, given: dict[str, Any]
) -> tuple[_Long, dict[str, Any], float]:
    chosen = data.select(
        indicator_id=given["indicator"],
        area_type=given["area_type"],
        sex=given["sex"],
        age=given["age"],
    )
    still_open = open_fields(chosen, given, _FLAGS)
    if still_open:
        raise InputError(f"{data.path}: the history is not one series: " + "; ".join(still_open))
    if len(chosen) == 0:
        raise InputError(
            f"{data.path}: no rows for "
            + (", ".join(f"{k}={v!r}" for k, v in given.items() if v is not None) or "the file")
        )
    cols = chosen.columns
    confidence = 0.95
    lower = upper = None
    for lo, hi, level in (("lower_95", "upper_95", 0.95), ("lower_998", "upper_998", 0.998)):
        if (~np.isnan(cols[lo])).any() or (~np.isnan(cols[hi])).any():
            lower, upper, confidence = cols[lo].tolist(), cols[hi].tolist(), level
            break
    codes = [str(c) for c in cols["area_code"].tolist()]
    long = _Long(
        area=codes,
        label=[str(p) for p in cols["time_period"].tolist()],
        value=[float(v) for v in cols["value"].tolist()],
        lower=lower,
        upper=upper,
        line=[int(v) for v in chosen.line.tolist()],
        names={},
    )
    for code, name in zip(codes, cols["area_name"].tolist(), strict=True):
        long.names.setdefault(code, str(name))
    ids = chosen.distinct("indicator_id")
    facts = {
        "indicator": int(float(ids[0])) if ids else given["indicator"],
        "area_type": given["area_type"] or chosen.distinct("area_type")[0],
        "sex": given["sex"] or chosen.distinct("sex")[0],
        "age": given["age"] or chosen.distinct("age")[0],
    }
    return long, facts, confidence


def _grid(
    long: _Long, source: str
) -> tuple[list[str], list[Period], FloatArray, Any, Any, npt.NDArray[np.int64]]:
    """Areas (sorted), consecutive periods, the values and limits on that grid, and the file's
    line of each cell (0 where none)."""
    # the line each label first appears on (a few labels: each found by one scan in C)
    first_line = {lab: long.line[long.label.index(lab)] for lab in dict.fromkeys(long.label)}
    labels = sorted(first_line)
    parsed: dict[str, Period] = {}
    bad = []
    for label in labels:
        try:
            parsed[label] = period(label)
        except OutcomesError:
            bad.append(f"line {first_line[label]}: {label!r}")
    if bad:
        raise InputError(
            f"{source}: history periods must be years, quarters or months (e.g. 2014, "
            f"2014/15, 2014/15 Q1, Apr 2014); got {', '.join(bad[:8])}"
        )
    by_kind: dict[str, str] = {}
    for label in sorted(parsed, key=lambda lab: first_line[lab]):
        by_kind.setdefault(type(parsed[label]).__name__, label)
    if len(by_kind) > 1:
        raise InputError(
            f"{source}: history periods must be of one kind, got "
            + ", ".join(
                f"{kind} ({label!r}, line {first_line[label]})" for kind, label in by_kind.items()
            )
        )
    first, last = min(parsed.values()), max(parsed.values())
    periods = [first]
    while periods[-1] != last and len(periods) < 10_000:
        periods.append(periods[-1].shift(1))
    column = {p: j for j, p in enumerate(periods)}
    areas = sorted(set(long.area))
    row = {a: i for i, a in enumerate(areas)}
    column_of = {lab: column[parsed[lab]] for lab in labels}  # by label: no Period hashed per row
    ii = np.array([row[a] for a in long.area], dtype=np.intp)
    jj = np.array([column_of[lab] for lab in long.label], dtype=np.intp)
    repeats = []
    if ii.size and np.bincount(ii * len(periods) + jj).max() > 1:  # a cell repeats: find each
        seen: dict[tuple[int, int], int] = {}
        for i, j, line in zip(ii.tolist(), jj.tolist(), long.line, strict=True):
            if (i, j) in seen:
                repeats.append(f"{areas[i]} {periods[j]} (lines {seen[(i, j)]} and {line})")
            else:
                seen[(i, j)] = line
    if repeats:
        raise InputError(
            f"{source}: each area and period must appear once; {len(repeats)} repeat, e.g. "
            f"{repeats[0]} (select one series: an open sex, age or category pools several)",
            tuple(repeats[:20]),
        )

    def grid(cells: list[float]) -> FloatArray:
        out = np.full((len(areas), len(periods)), np.nan)
        out[ii, jj] = cells
        return out

    values = grid(long.value)
    lower = grid(long.lower) if long.lower is not None else None
    upper = grid(long.upper) if long.upper is not None else None
    lines = np.zeros((len(areas), len(periods)), dtype=np.int64)
    lines[ii, jj] = long.line
    return areas, periods, values, lower, upper, lines


def _limits(
    values: FloatArray,
    lower: FloatArray | None,
    upper: FloatArray | None,
    source: str,
    lines: npt.NDArray[np.int64],
) -> tuple[FloatArray | None, FloatArray | None, str]:
    """Limits kept only when every value has both; limits that do not surround it raise."""
    if lower is None or upper is None:
        return None, None, "no confidence limits"
    present = ~np.isnan(values)
    gap = present & (np.isnan(lower) | np.isnan(upper))
    if gap.all() or not present.any():
        return None, None, "no confidence limits"
    if gap.any():
        return (
            None,
            None,
            (
                f"confidence limits missing for {int(gap.sum())} of {int(present.sum())} values: "
                "not used (sampling noise is not removed)"
            ),
        )
    slack = 1e-9 * np.maximum(np.abs(values), 1.0)
    bad = present & ((lower > values + slack) | (upper < values - slack))
    if bad.any():
        i, j = (int(k) for k in np.argwhere(bad)[0])
        raise InputError(
            f"{source}: confidence limits must surround the value; {int(bad.sum())} do not, "
            f"e.g. line {int(lines[i, j])}: lower {float(lower[i, j])!r}, value "
            f"{float(values[i, j])!r}, upper {float(upper[i, j])!r}"
        )
    return np.where(present, lower, np.nan), np.where(present, upper, np.nan), ""


def select_history(
    data: FingertipsData | str | Path,
    *,
    indicator: int | None = None,
    area_type: str | None = None,
    sex: str | None = None,
    age: str | None = None,
    areas: Sequence[str] | None = None,
    columns: Mapping[str, str] | None = None,
    kind: Kind = "relative",
    confidence: float | None = None,
    area_word: str | None = None,
) -> HistorySet:
    """Select one history (areas x periods of one series) from a Fingertips export or a long CSV.

    **Fingertips export** (recognised by its header): the rows of one indicator, area type, sex
    and age, all periods in time order; category rows (deprivation deciles and the like) are
    never areas. If the rows hold more than one value of a field the selection leaves open,
    this raises :class:`InputError` listing them, so nothing is pooled. The 95% limits are used
    when present (else the 99.8% ones).

    **Long CSV**: columns ``area, period, value`` and optionally ``lower, upper`` (confidence
    limits, at ``confidence``, default 0.95) and ``name``; ``columns`` maps these keys to a
    file's own column names (case-insensitive).

    Either way, periods (years ``2014``, financial years ``2014/15``, quarters or months, all of
    one kind) are put in order, with a missing period inserted as a column of missing values;
    a value may be empty or a missing marker (``NA``, ``..``, ``*``); every area and period
    appears once. Limits are used only when every value has both (otherwise the provenance
    says how many lacked them); limits that do not surround their value raise.

    Parameters
    ----------
    data : FingertipsData, str or Path
        The file (or an export already read).
    indicator, area_type, sex, age : optional
        The Fingertips selection (not for a long CSV).
    areas : sequence of str, optional
        Keep only these area codes (the peers), in this order; an unknown code raises.
    columns : mapping, optional
        Long CSV: ``{"area": "Level", "period": "Reporting period", "value": "DSR", ...}``.
    kind : {"relative", "absolute"}
        How changes are measured (proportions or the measure's unit).
    confidence : float, optional
        Confidence level of a long CSV's limits (default 0.95).
    area_word : str, optional
        What the areas are called in sentences ("CCG"; default: the plan's footprint).

    Returns
    -------
    HistorySet

    Raises
    ------
    InputError
        An open selection (listing the values found), no rows, missing or unknown columns,
        bad numbers or periods (with their lines), repeated area-periods, unknown areas.

    Examples
    --------
    >>> h = select_history("tests/data/fingertips_93356_campylobacter_utla_2015_2017.csv",
    ...                    area_type="County & UA", age="All ages")
    >>> h.n, h.periods, h.missing
    (152, ('2015', '2016', '2017'), 6)
    >>> select_history("tests/data/fingertips_93356_campylobacter_utla_2015_2017.csv",
    ...                area_type="County & UA")
    Traceback (most recent call last):
    ...
    outcomes.errors.InputError: ...: the history is not one series: age is open and the file has 2 values (All ages; 0-9 yrs); choose one with age=... (--history-age)
    """
    given: dict[str, Any] = {"indicator": indicator, "area_type": area_type, "sex": sex, "age": age}
    facts: dict[str, Any] = {}
    level = 0.95
    if confidence is not None:
        level = as_number(confidence, "confidence", error=InputError, above=0.0, maximum=1.0)
    if areas is not None and (
        isinstance(areas, str)
        or not isinstance(areas, Sequence)
        or not all(isinstance(a, str) for a in areas)
    ):
        raise InputError(f"areas must be a list of area codes, got {areas!r}")
    if area_word is not None and not isinstance(area_word, str):
        raise InputError(f"area_word must be text such as 'CCG', got {area_word!r}")
    if isinstance(data, FingertipsData) or _is_fingertips(data):
        if columns:
            raise InputError(
                "columns: a Fingertips export has its own columns; columns = {...} is for a "
                "long CSV"
            )
        fingertips = data if isinstance(data, FingertipsData) else read_fingertips(data)
        source = fingertips.path
        long, facts, found_level = _from_fingertips(fingertips, given)
        level = found_level if confidence is None else level
    else:
        source = str(data)
        used = [f"{k}={v!r}" for k, v in given.items() if v is not None]
        if used:
            raise InputError(
                f"{source}: {', '.join(used)} select from a Fingertips export; this file is a "
                "long CSV (area, period, value)"
            )
        long = _read_long(data, columns)
    if not 0.0 < level < 1.0:
        raise InputError(f"confidence must be a fraction in (0, 1), got {confidence!r}")
    codes, periods, values, lower, upper, lines = _grid(long, source)
    if areas is not None:
        listed = [str(a) for a in areas]
        unknown = [a for a in listed if a not in codes]
        if unknown:
            raise InputError(
                f"{source}: areas not in the history: {', '.join(unknown[:10])}"
                + (" ..." if len(unknown) > 10 else "")
            )
        if not listed:
            raise InputError("areas must list at least one area code")
        rows = [codes.index(a) for a in dict.fromkeys(listed)]
        codes = [codes[i] for i in rows]
        values, lines = values[rows], lines[rows]
        lower = lower[rows] if lower is not None else None
        upper = upper[rows] if upper is not None else None
    if np.isnan(values).all():
        read = lines[lines > 0]
        where = f"lines {read.min()}-{read.max()}: " if read.size else ""
        raise InputError(f"{source}: {where}every selected value is missing")
    lower, upper, limits = _limits(values, lower, upper, source, lines)
    return HistorySet(
        values=values,
        areas=tuple(codes),
        periods=tuple(str(p) for p in periods),
        lower=lower,
        upper=upper,
        source=source,
        indicator=facts.get("indicator"),
        area_type=facts.get("area_type"),
        sex=facts.get("sex"),
        age=facts.get("age"),
        area_names=tuple(long.names.get(c, "") for c in codes),
        kind=kind,
        confidence=level,
        area_word=area_word,
        limits=limits,
        selected_areas=areas is not None,
    )


# --------------------------------------------------------------------------------------------
# histories of a plan's measures, and their realism
# --------------------------------------------------------------------------------------------

HistoryArg = Mapping[str, Any] | HistorySet | None

_AREA_WORDS = {"ccg": "CCG", "hwb": "HWB", "icb": "ICB", "trust": "trust"}


def as_history_set(value: object, name: str = "history") -> HistorySet:
    """A :class:`HistorySet`, or anything with ``values``, ``areas`` and ``periods`` (such as
    :func:`outcomes.frames.history_from_frame`'s result) made into one."""
    if isinstance(value, HistorySet):
        return value
    if all(hasattr(value, a) for a in ("values", "areas", "periods")):
        return HistorySet.from_arrays(
            value.values,  # type: ignore[attr-defined]
            areas=value.areas,  # type: ignore[attr-defined]
            periods=value.periods,  # type: ignore[attr-defined]
            lower=getattr(value, "lower", None),
            upper=getattr(value, "upper", None),
        )
    raise InputError(
        f"{name} must be a HistorySet (select_history) or a history with values, areas and "
        f"periods, got {type(value).__name__}"
    )


def _needs_history(m: Any) -> bool:
    from outcomes.rules import get

    return "history" in get(m.rule.name).inputs and getattr(m.rule, "history", None) is None


def _merged(key: str, m: Any, plan: Any) -> dict[str, Any]:
    own, default = m.history, plan.history
    out = {}
    for name in (
        "file",
        "indicator",
        "area_type",
        "sex",
        "age",
        "areas",
        "columns",
        "kind",
        "confidence",
        "area_word",
    ):
        value = getattr(own, name, None) if own is not None else None
        out[name] = value if value is not None else getattr(default, name, None)
    if out["file"] is None:
        raise InputError(
            f"measures.{key}.history: the selection names no file; give file = '...' in "
            "[history] or the measure's history, or --history FILE"
        )
    return out


def resolve_histories(plan: Any, history: HistoryArg) -> dict[str, HistorySet]:
    """The history of every measure of ``plan`` that has one: given (a mapping by measure key,
    or one :class:`HistorySet` for every measure that asks for a history), else selected as
    the plan says (a measure's ``history`` over the plan's ``[history]``)."""
    measures = plan.measures
    out: dict[str, HistorySet] = {}
    if isinstance(history, Mapping):
        unknown = [k for k in history if k not in measures]
        if unknown:
            raise InputError(
                f"history for measures the plan does not have: {', '.join(map(str, unknown))} "
                f"(the plan has {', '.join(measures)})"
            )
        out = {k: as_history_set(v, f"history[{k!r}]") for k, v in history.items()}
    elif history is not None:
        given = as_history_set(history)
        wanted = [k for k, m in measures.items() if m.history is not None or _needs_history(m)]
        if not wanted:
            if len(measures) != 1:
                raise InputError(
                    f"history: the plan has {len(measures)} measures and none asks for a history "
                    "(history = {...} on a measure, or a peer_achieved rule); name the measure: "
                    "history={'KEY': ...} or --history-measure KEY"
                )
            wanted = list(measures)
        return dict.fromkeys(wanted, given)
    cache: dict[str, HistorySet] = {}
    exports: dict[str, FingertipsData | Path] = {}  # a file's export, read once for every selection
    for key, m in measures.items():
        if key in out or not (
            m.history is not None or (_needs_history(m) and plan.history is not None)
        ):
            continue
        chosen = _merged(key, m, plan)
        file = chosen.pop("file")
        cache_key = repr((file, sorted(chosen.items())))
        if cache_key not in cache:
            try:
                if file not in exports:
                    path = plan.path(file)
                    exports[file] = read_fingertips(path) if _is_fingertips(path) else path
                cache[cache_key] = select_history(
                    exports[file], kind=chosen.pop("kind") or "relative", **chosen
                )
            except OutcomesError as error:
                raise type(error)(f"measures.{key}.history: {error}") from None
        out[key] = cache[cache_key]
    return out


def area_word(plan: Any, history: HistorySet) -> str:
    """What the history's areas are called: the selection's ``area_word``, else the plan's
    footprint (CCG, HWB, ICB, trust), else the history's area type, else 'area'."""
    if history.area_word:
        return history.area_word
    footprint = plan.organisation.footprint if plan.organisation is not None else plan.footprint
    return _AREA_WORDS.get(footprint) or history.area_type or "area"


def measure_realism(key: str, plan: Any, trajectory: Trajectory, history: HistorySet) -> Realism:
    """The :class:`~outcomes.realism.Realism` of one measure's (published) trajectory."""
    try:
        return trajectory_realism(
            trajectory,
            history.values,
            areas=history.areas,
            periods=history.periods,
            lower=history.lower,
            upper=history.upper,
            kind=history.kind,
            confidence=history.confidence,
            area_word=area_word(plan, history),
            source=history.describe(),
        )
    except OutcomesError as error:
        raise type(error)(f"measures.{key}.history: {error}") from None
