"""Results and inputs as data frames: tidy long frames of trajectories, scores and Fingertips
exports, and actuals, baselines and history tables from frames."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from outcomes._arrays import FloatArray
from outcomes._optional import require_pandas
from outcomes.errors import InputError
from outcomes.io.inputs import ActualsTable, BaselinesTable

if TYPE_CHECKING:
    from outcomes.io.fingertips import FingertipsData
    from outcomes.scoring import Score
    from outcomes.trajectory import Trajectory

__all__ = [
    "History",
    "actuals_from_frame",
    "baselines_from_frame",
    "fingertips_frame",
    "history_from_frame",
    "require_pandas",
    "score_frame",
    "tidy",
    "trajectory_frame",
]


def tidy(
    columns: dict[str, Any], *, periods: Sequence[str] = (), categories: Sequence[str] = ()
) -> Any:
    """A DataFrame from named columns: ``period`` as an ordered categorical in the given order,
    the named text columns as categoricals.

    >>> frame = tidy({"period": ["2015/16", "2014/15"], "value": [1.0, 2.0]},
    ...              periods=["2014/15", "2015/16"])
    >>> frame.sort_values("period")["value"].tolist()
    [2.0, 1.0]
    """
    pd = require_pandas()
    frame = pd.DataFrame(columns)
    if "period" in frame and periods:
        frame["period"] = pd.Categorical(
            frame["period"], categories=list(dict.fromkeys(periods)), ordered=True
        )
    for name in categories:
        if name in frame:
            frame[name] = frame[name].astype("category")
    return frame


def trajectory_frame(trajectory: Trajectory) -> Any:
    """A trajectory as a tidy frame: organisation, organisation_name, measure, unit, period,
    baseline_period, baseline, target.

    >>> from outcomes import hold
    >>> trajectory_frame(hold([5.0, 6.0], start="2013/14", end="2015/16")).shape
    (4, 8)
    """
    t = trajectory
    labels = t.organisation_labels()
    names = list(t.organisation_names or [""] * len(labels))
    n = len(t.periods)
    repeat = np.repeat
    return tidy(
        {
            "organisation": repeat(labels, n),
            "organisation_name": repeat(names, n),
            "measure": [t.measure or ""] * (len(labels) * n),
            "unit": [t.unit or ""] * (len(labels) * n),
            "period": np.tile([str(p) for p in t.periods], len(labels)),
            "baseline_period": [str(t.start)] * (len(labels) * n),
            "baseline": repeat(t.baseline.reshape(-1), n).astype(float),
            "target": t.values.reshape(-1).astype(float),
        },
        periods=[str(p) for p in t.periods],
        categories=("organisation", "organisation_name", "measure", "unit", "baseline_period"),
    )


def score_frame(score: Score) -> Any:
    """A score as a tidy frame: organisation, organisation_name, measure, unit, period, target,
    actual, lower, upper, met, gap, progress, rag, verdict (and significance where scored
    against a benchmark). A missing actual is NaN beside its GREY / NOT_AVAILABLE marker.
    """
    pd = require_pandas()
    s = score
    labels = s.organisation_labels()
    names = list(s.organisation_names or [""] * len(labels))
    n = len(s.periods)
    cells = len(labels) * n

    def flat(name: str) -> Any:
        value = getattr(s, name)
        return None if value is None else np.asarray(value).reshape(-1)

    available = flat("available").astype(bool)
    columns: dict[str, Any] = {
        "organisation": np.repeat(labels, n),
        "organisation_name": np.repeat(names, n),
        "measure": [s.measure or ""] * cells,
        "unit": [s.unit or ""] * cells,
        "period": np.tile([str(p) for p in s.periods], len(labels)),
        "target": flat("target").astype(float),
        "actual": flat("actual").astype(float),
        "lower": flat("lower").astype(float) if s.lower is not None else np.full(cells, np.nan),
        "upper": flat("upper").astype(float) if s.upper is not None else np.full(cells, np.nan),
        "met": pd.array(np.where(available, flat("met"), False), dtype="boolean"),
        "gap": flat("gap").astype(float),
        "progress": flat("progress").astype(float),
        "rag": flat("rag").astype(str),
        "verdict": flat("verdict").astype(str),
    }
    columns["met"][~available] = pd.NA
    if s.significance is not None:
        columns["significance"] = flat("significance").astype(str)
    return tidy(
        columns,
        periods=[str(p) for p in s.periods],
        categories=(
            "organisation",
            "organisation_name",
            "measure",
            "unit",
            "rag",
            "verdict",
            "significance",
        ),
    )


def fingertips_frame(data: FingertipsData) -> Any:
    """Every column of a Fingertips export, with Fingertips' own column names, one row per row of
    the file: numbers as floats (NaN where empty), the indicator id as a nullable integer, text
    columns a user filters on (area type, sex, age, period, category) as categoricals.

    >>> from outcomes.io import read_fingertips
    >>> frame = read_fingertips("tests/data/fingertips_93356_campylobacter_utla_2015_2017.csv").to_frame()
    >>> frame.shape, str(frame["Area Type"].dtype)
    ((852, 27), 'category')
    """
    from outcomes.io.fingertips import FINGERTIPS_COLUMNS, NUMERIC

    pd = require_pandas()
    columns: dict[str, Any] = {}
    for label, name in FINGERTIPS_COLUMNS.items():
        values = data.columns[name]
        if name == "indicator_id":
            columns[label] = pd.array(np.asarray(values).round().astype("int64"), dtype="Int64")
        elif name in NUMERIC:
            columns[label] = np.asarray(values, dtype=float)
        else:
            columns[label] = pd.Categorical(np.asarray(values, dtype=str))
    columns["line"] = np.asarray(data.line)
    return pd.DataFrame(columns)


def _rows(frame: Any, what: str) -> list[dict[str, object]]:
    pd = require_pandas()
    if not isinstance(frame, pd.DataFrame):
        raise InputError(f"{what} must be a pandas DataFrame, got {type(frame).__name__}")
    clean = frame.astype(object).where(frame.notna(), None)
    return [
        dict(zip(clean.columns.astype(str), row, strict=True))
        for row in clean.itertuples(index=False)
    ]


def actuals_from_frame(frame: Any) -> ActualsTable:
    """Actuals from a long DataFrame with the columns of an actuals file (``measure``,
    ``period``, ``value`` and optionally ``organisation``, ``lower``, ``upper``, ``count``,
    ``denominator``); rows are numbered as in a file with a header (the first row is line 2).

    >>> import pandas as pd
    >>> actuals_from_frame(pd.DataFrame({"measure": ["pyll"], "period": ["2014"], "value": [1890.5]})).value.tolist()
    [1890.5]
    """
    return ActualsTable.from_rows(_rows(frame, "actuals"), source="<DataFrame>")


def baselines_from_frame(frame: Any) -> BaselinesTable:
    """Baselines from a long DataFrame with the columns of a baselines file (``organisation``,
    ``measure``, ``value``, ``period`` and optionally ``name``, ``population``, ``count``,
    ``denominator``)."""
    return BaselinesTable.from_rows(_rows(frame, "baselines"), source="<DataFrame>")


# --------------------------------------------------------------------------------------------
# history (outcomes.realism) from a long frame
# --------------------------------------------------------------------------------------------


class History(NamedTuple):
    """Arrays from a long data frame: ``values`` (and limits) are areas x periods."""

    areas: tuple[str, ...]
    periods: tuple[str, ...]
    values: FloatArray
    lower: FloatArray | None
    upper: FloatArray | None


_MISSING_WORDS = {"", "na", "n/a", "nan", "-", "*", "x", "..", ":", "awaiting data", "none"}
_YEAR = re.compile(r"^(\d{4})$")
_FINANCIAL = re.compile(r"^(\d{4})[/-](\d{2})$")


def _period_key(label: str) -> tuple[str, int] | None:
    """(format, start year) for yearly labels '2014' and '2014/15' (or '2014-15')."""
    if m := _YEAR.match(label):
        return "calendar", int(m.group(1))
    if m := _FINANCIAL.match(label):
        first = int(m.group(1))
        if (first + 1) % 100 == int(m.group(2)):
            return "financial", first
    return None


def _fill_years(labels: list[str]) -> list[str]:
    """Insert the missing years of a yearly series, so that periods are equally spaced."""
    keys = [_period_key(p) for p in labels]
    if not labels or any(k is None for k in keys) or len({k[0] for k in keys if k}) != 1:
        return labels
    kind = keys[0][0]  # type: ignore[index]
    years = [k[1] for k in keys if k]
    sep = "/" if kind == "calendar" or "/" in labels[0] else "-"
    out = []
    for year in range(min(years), max(years) + 1):
        out.append(str(year) if kind == "calendar" else f"{year}{sep}{(year + 1) % 100:02d}")
    return out


def _numbers(column: Any, name: str) -> FloatArray:
    pd = require_pandas()
    text = column.astype("string").str.strip().str.replace(",", "", regex=False)
    missing = column.isna() | text.str.lower().isin(_MISSING_WORDS).fillna(True)
    numbers = pd.to_numeric(text.where(~missing), errors="coerce")
    bad = numbers.isna() & ~missing
    if bad.any():
        first = column[bad].iloc[0]
        raise InputError(
            f"column {name!r} must hold numbers or a missing marker, got {first!r} "
            f"({int(bad.sum())} such cells)",
            tuple(f"{name}: {v!r}" for v in column[bad].iloc[:20]),
        )
    return np.asarray(numbers.to_numpy(dtype=np.float64, na_value=np.nan), dtype=np.float64)


def history_from_frame(
    df: Any,
    *,
    area: str,
    period: str,
    value: str,
    lower: str | None = None,
    upper: str | None = None,
) -> History:
    """Areas x periods arrays from a long data frame (one row per area and period).

    Rows are pivoted to areas (sorted) x periods (sorted; yearly labels such as ``2014`` or
    ``2014/15`` have missing years inserted so that periods are equally spaced). A cell with no
    row, an empty cell or a missing marker (``NA``, ``-``, ``*``, ``..``, ``Awaiting data``) is
    ``NaN``; any other text raises.

    Parameters
    ----------
    df : pandas.DataFrame
        The long table (extra ``pandas``).
    area, period, value : str
        Column names of the area code, the period label and the value.
    lower, upper : str, optional
        Column names of the confidence limits.

    Returns
    -------
    History
        ``(areas, periods, values, lower, upper)``, a named tuple.

    Raises
    ------
    InputError
        A column is missing, a value is not a number, or an (area, period) pair repeats.

    References
    ----------
    Wickham H. (2014) Tidy data. J Stat Softw 59(10) (long to wide).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"ccg": ["00C", "00C", "00D"], "year": ["2012", "2014", "2012"],
    ...                    "dsr": [2000.0, 1900.0, "Awaiting data"]})
    >>> h = history_from_frame(df, area="ccg", period="year", value="dsr")
    >>> h.areas, h.periods
    (('00C', '00D'), ('2012', '2013', '2014'))
    >>> h.values
    array([[2000.,   nan, 1900.],
           [  nan,   nan,   nan]])
    """
    require_pandas()
    wanted = {"area": area, "period": period, "value": value, "lower": lower, "upper": upper}
    absent = [f"{k}={c!r}" for k, c in wanted.items() if c is not None and c not in df.columns]
    if absent:
        raise InputError(
            f"data frame has no column {', '.join(absent)}; it has {list(df.columns)}",
            tuple(absent),
        )
    if (lower is None) != (upper is None):
        raise InputError("give both lower and upper columns, or neither")
    keys = df[area].astype("string").str.strip()
    labels = df[period].astype("string").str.strip()
    if keys.isna().any() or labels.isna().any():
        raise InputError(f"columns {area!r} and {period!r} must not be empty")
    dup = keys.to_frame("a").assign(p=labels).duplicated(keep=False)
    if dup.any():
        pairs = sorted({(a, p) for a, p in zip(keys[dup], labels[dup], strict=True)})
        raise InputError(
            f"each (area, period) must appear once; {len(pairs)} repeat, e.g. {pairs[0]}",
            tuple(f"{a} {p}" for a, p in pairs[:20]),
        )
    areas = sorted(keys.unique().tolist())
    periods = _fill_years(sorted(labels.unique().tolist()))
    pd = require_pandas()
    ii = np.asarray(pd.Categorical(keys, categories=areas).codes, dtype=np.intp)
    jj = np.asarray(pd.Categorical(labels, categories=periods).codes, dtype=np.intp)

    def grid(name: str) -> FloatArray:
        out = np.full((len(areas), len(periods)), np.nan)
        out[ii, jj] = _numbers(df[name], name)
        return out

    return History(
        areas=tuple(areas),
        periods=tuple(periods),
        values=grid(value),
        lower=grid(lower) if lower is not None else None,
        upper=grid(upper) if upper is not None else None,
    )
