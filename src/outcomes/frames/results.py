"""Results and inputs as data frames: tidy long frames of trajectories, scores, a plan's targets
and scores, peer sets and Fingertips exports; actuals, baselines, Fingertips exports and history
from frames."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

import numpy as np

from outcomes._arrays import FloatArray
from outcomes._optional import require_pandas
from outcomes.errors import InputError, ScoringError, TrajectoryError
from outcomes.frames._tidy import concat, identity, tidy
from outcomes.io.inputs import ActualsTable, BaselinesTable

if TYPE_CHECKING:
    from outcomes.io.fingertips import FingertipsData
    from outcomes.scoring import Score
    from outcomes.trajectory import Trajectory

__all__ = [
    "History",
    "PeerValues",
    "actuals_from_frame",
    "baselines_from_frame",
    "fingertips_frame",
    "fingertips_from_frame",
    "history_from_frame",
    "peers_frame",
    "require_pandas",
    "score_frame",
    "scores_frame",
    "targets_frame",
    "tidy",
    "trajectory_frame",
]


class PeerValues(Protocol):
    """What :func:`peers_frame` reads from a peer set (:class:`outcomes.workflow.PeerSet`)."""

    @property
    def values(self) -> FloatArray: ...
    @property
    def areas(self) -> tuple[str, ...]: ...
    @property
    def indicator(self) -> int | None: ...
    @property
    def period(self) -> str | None: ...
    @property
    def area_type(self) -> str | None: ...
    @property
    def sex(self) -> str | None: ...
    @property
    def age(self) -> str | None: ...
    @property
    def source(self) -> str: ...


def trajectory_frame(trajectory: Trajectory, *, measure: str | None = None) -> Any:
    """A trajectory as a tidy frame, one row per organisation and period: organisation,
    organisation_name, measure, measure_name, period, unit, baseline_period, baseline, target.

    ``measure`` is the measure's code (a plan's measure key); by default the trajectory's own
    ``measure``, which is also the ``measure_name``.

    Parameters
    ----------
    trajectory : Trajectory
    measure : str, optional
        The measure's code (default: the trajectory's ``measure``).

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    >>> from outcomes import hold
    >>> frame = hold([5.0, 6.0], start="2013/14", end="2015/16", measure="nel").to_frame()
    >>> frame.shape, frame["period"].cat.categories.tolist()
    ((4, 9), ['2014/15', '2015/16'])
    """
    from outcomes.trajectory import Trajectory

    if not isinstance(trajectory, Trajectory):
        raise TrajectoryError(f"expected a Trajectory, got {type(trajectory).__name__}")
    t = trajectory
    labels = t.organisation_labels()
    names = list(t.organisation_names or [""] * len(labels))
    n = len(t.periods)
    rows = len(labels) * n
    return tidy(
        {
            "organisation": np.repeat(labels, n),
            "organisation_name": np.repeat(names, n),
            **identity(
                rows,
                measure=measure or t.measure,
                measure_name=t.measure,
                period=np.tile([str(p) for p in t.periods], len(labels)).tolist(),
                unit=t.unit,
            ),
            "baseline_period": [str(t.start)] * rows,
            "baseline": np.repeat(t.baseline.reshape(-1), n).astype(float),
            "target": t.values.reshape(-1).astype(float),
        },
        periods=[str(p) for p in t.periods],
    )


def score_frame(score: Score, *, measure: str | None = None) -> Any:
    """A score as a tidy frame, one row per organisation and period: organisation,
    organisation_name, measure, measure_name, period, unit, baseline, target, actual, lower,
    upper, met, gap, progress, rag, verdict (and benchmark, significance where scored against
    a benchmark). A missing actual is NaN beside its GREY / NOT_AVAILABLE marker, and ``met``
    is then missing (``<NA>``) rather than False.

    Parameters
    ----------
    score : Score
    measure : str, optional
        The measure's code (default: the score's ``measure``).

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    >>> from outcomes import hold, score
    >>> s = score(hold(10.0, start="2013/14", end="2015/16", polarity="lower"), [9.0, None])
    >>> frame = s.to_frame()
    >>> frame["rag"].tolist(), frame["met"].tolist(), str(frame["rag"].dtype)
    (['GREEN', 'GREY'], [True, <NA>], 'category')
    """
    from outcomes.scoring import Score

    if not isinstance(score, Score):
        raise ScoringError(f"expected a Score, got {type(score).__name__}")
    pd = require_pandas()
    s = score
    labels = s.organisation_labels()
    names = list(s.organisation_names or [""] * len(labels))
    n = len(s.periods)
    cells = len(labels) * n

    def flat(name: str) -> Any:
        value = getattr(s, name)
        return None if value is None else np.asarray(value).reshape(-1)

    def numbers(name: str) -> Any:
        value = flat(name)
        return np.full(cells, np.nan) if value is None else value.astype(float)

    available = flat("available").astype(bool)
    met = pd.array(np.where(available, flat("met"), False), dtype="boolean")
    met[~available] = pd.NA
    baseline = np.broadcast_to(
        np.asarray(s.baseline, dtype=float).reshape(-1, 1)
        if np.size(s.baseline) == len(labels)
        else np.asarray(s.baseline, dtype=float),
        (len(labels), n),
    ).reshape(-1)
    columns: dict[str, Any] = {
        "organisation": np.repeat(labels, n),
        "organisation_name": np.repeat(names, n),
        **identity(
            cells,
            measure=measure or s.measure,
            measure_name=s.measure,
            period=np.tile([str(p) for p in s.periods], len(labels)).tolist(),
            unit=s.unit,
        ),
        "baseline": baseline,
        "target": numbers("target"),
        "actual": numbers("actual"),
        "lower": numbers("lower"),
        "upper": numbers("upper"),
        "met": met,
        "gap": numbers("gap"),
        "progress": numbers("progress"),
        "rag": flat("rag").astype(str),
        "verdict": flat("verdict").astype(str),
    }
    if s.significance is not None:
        columns["benchmark"] = np.broadcast_to(
            np.asarray(s.benchmark, dtype=float) if s.benchmark is not None else np.nan,
            s.target.shape,
        ).reshape(-1)
        columns["significance"] = flat("significance").astype(str)
    frame = tidy(columns, periods=[str(p) for p in s.periods])
    return _vocabularies(frame)


def _vocabularies(frame: Any) -> Any:
    """RAG, verdict and significance as categoricals of every member, in the enums' order, so
    that counts and pivots show AMBER (say) even where no cell is AMBER."""
    from outcomes.benchmark import Significance
    from outcomes.scoring import RAG, Verdict

    for column, kind in (("rag", RAG), ("verdict", Verdict), ("significance", Significance)):
        if column in frame.columns:
            members = [m.value for m in kind]
            extra = [c for c in frame[column].cat.categories if c not in members]
            frame[column] = frame[column].cat.set_categories([*members, *extra])
    return frame


def targets_frame(targets: Mapping[str, Trajectory]) -> Any:
    """Every measure's targets in one tidy frame (a plan's targets, or any mapping of measure
    code to trajectory): the rows of :func:`trajectory_frame`, with the mapping's key as the
    ``measure`` code and the trajectory's name as ``measure_name``.

    Parameters
    ----------
    targets : mapping of str to Trajectory
        Measure code -> trajectory (e.g. :class:`~outcomes.workflow.PlanTargets`).

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    >>> from outcomes import hold
    >>> frame = targets_frame({"nel": hold(9850.0, start="2013/14", end="2015/16",
    ...                                    measure="Non-elective admissions")})
    >>> frame[["measure", "measure_name"]].iloc[0].tolist()
    ['nel', 'Non-elective admissions']
    """
    return concat([trajectory_frame(t, measure=key) for key, t in targets.items()])


def scores_frame(scores: Mapping[str, Score]) -> Any:
    """Every measure's scores in one tidy frame (a plan's scores, or any mapping of measure
    code to score): the rows of :func:`score_frame` with the key as the ``measure`` code.

    Parameters
    ----------
    scores : mapping of str to Score
        Measure code -> score (e.g. :class:`~outcomes.workflow.PlanScores`).

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    >>> from outcomes import hold, score
    >>> s = score(hold(10.0, start="2013/14", end="2014/15", polarity="lower"), [9.0])
    >>> scores_frame({"nel": s})["measure"].tolist()
    ['nel']
    """
    return concat([score_frame(s, measure=key) for key, s in scores.items()])


def peers_frame(peers: PeerValues) -> Any:
    """A peer set as a tidy frame, one row per peer area: organisation (the area code where
    known), organisation_name (''), measure (the indicator id), measure_name, period, unit
    (''), area_type, sex, age, value, and source.

    Parameters
    ----------
    peers : PeerSet
        A peer set (:func:`outcomes.select_peers`).

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    >>> from outcomes import select_peers
    >>> peers = select_peers("tests/data/fingertips_93356_campylobacter_utla_2015_2017.csv",
    ...                      period="2017", area_type="County & UA", age="All ages")
    >>> frame = peers.to_frame()
    >>> len(frame), frame["measure"].iloc[0], frame["period"].iloc[0]
    (150, '93356', '2017')
    """
    values = np.asarray(peers.values, dtype=np.float64).reshape(-1)
    n = values.size
    codes = list(peers.areas) if len(peers.areas) == n else [str(i) for i in range(n)]
    names = list(getattr(peers, "names", ()) or [""] * n)
    measure = None if peers.indicator is None else str(peers.indicator)
    return tidy(
        {
            "organisation": codes,
            "organisation_name": names if len(names) == n else [""] * n,
            **identity(n, measure=measure, period=peers.period),
            "area_type": [peers.area_type or ""] * n,
            "sex": [peers.sex or ""] * n,
            "age": [peers.age or ""] * n,
            "value": values,
            "source": [peers.source] * n,
        }
    )


def fingertips_frame(data: FingertipsData) -> Any:
    """Every column of a Fingertips export, with Fingertips' own column names, one row per row of
    the file: numbers as floats (NaN where empty), the indicator id as a nullable integer, text
    columns a user filters on (area type, sex, age, period, category) as categoricals, and
    ``line`` (the row's line in the file).

    Fingertips' names are kept, as users know them: ``Area Code`` and ``Area Name`` are the
    organisation's code and name, ``Indicator ID`` and ``Indicator Name`` the measure's,
    ``Time period`` the period label.

    >>> from outcomes.io import read_fingertips
    >>> frame = read_fingertips("tests/data/fingertips_93356_campylobacter_utla_2015_2017.csv").to_frame()
    >>> frame.shape, str(frame["Area Type"].dtype)
    ((852, 27), 'category')
    """
    from outcomes.io.fingertips import FINGERTIPS_COLUMNS, NUMERIC, FingertipsData

    if not isinstance(data, FingertipsData):
        raise InputError(f"expected FingertipsData (read_fingertips), got {type(data).__name__}")
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
    frame = pd.DataFrame(columns)
    frame.attrs["source"] = data.path  # pandas carries it through filters and renames
    return frame


def fingertips_from_frame(frame: Any, *, source: str | None = None) -> FingertipsData:
    """A Fingertips export held as a DataFrame (with Fingertips' column names, e.g. from
    ``read_fingertips(...).to_frame()`` then filtered) back as :class:`FingertipsData`, so
    that :func:`outcomes.select_peers` can select from it. Rows keep their ``line`` where the
    frame has one; the source is the file the frame was read from (kept in ``frame.attrs``)
    unless given, so a peer set still says where it came from.

    Parameters
    ----------
    frame : pandas.DataFrame
        At least ``Indicator ID``, ``Area Code``, ``Area Type``, ``Time period`` and ``Value``;
        absent optional columns are empty (text) or missing (numbers).
    source : str, optional
        The name the provenance gives (default: the file's path, else ``"<DataFrame>"``).

    Returns
    -------
    FingertipsData

    Raises
    ------
    InputError
        Not a DataFrame, a required column missing, an indicator id that is not a whole number,
        a number column holding text.

    >>> from outcomes.io import read_fingertips
    >>> frame = read_fingertips("tests/data/fingertips_93356_campylobacter_utla_2015_2017.csv").to_frame()
    >>> data = fingertips_from_frame(frame[frame["Time period"] == "2017"])
    >>> len(data), data.distinct("time_period")
    (182, ('2017',))
    """
    from outcomes.io.fingertips import FINGERTIPS_COLUMNS, NUMERIC, REQUIRED, FingertipsData

    pd = require_pandas()
    if not isinstance(frame, pd.DataFrame):
        raise InputError(f"a Fingertips frame must be a DataFrame, got {type(frame).__name__}")
    if source is None:
        found = frame.attrs.get("source")
        source = f"{found} (as a DataFrame)" if isinstance(found, str) else "<DataFrame>"
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise InputError(
            f"{source}: not a Fingertips export: missing column(s) {', '.join(missing)}; the "
            f"frame has {', '.join(str(c) for c in frame.columns)}"
        )
    columns: dict[str, Any] = {}
    for label, name in FINGERTIPS_COLUMNS.items():
        if label not in frame.columns:
            columns[name] = (
                np.full(len(frame), np.nan)
                if name in NUMERIC
                else np.full(len(frame), "", dtype=object)
            )
        elif name in NUMERIC or name == "indicator_id":
            columns[name] = _numbers(frame[label], label)
        else:
            text = frame[label].astype(object).where(frame[label].notna(), "")
            columns[name] = np.asarray([str(v).strip() for v in text], dtype=object)
    ids = columns["indicator_id"]
    if np.isnan(ids).any() or (ids != np.round(ids)).any():
        raise InputError(f"{source}: column 'Indicator ID' must hold whole numbers")
    if "line" in frame.columns:
        line = np.asarray(frame["line"], dtype=np.int64)
    else:
        line = np.arange(2, len(frame) + 2, dtype=np.int64)
    return FingertipsData(
        path=source, columns=columns, line=line, header=tuple(str(c) for c in frame.columns)
    )


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
    """A column as floats: a column of numbers as it is (NaN where missing); text parsed, with
    missing markers as NaN and anything else an error."""
    pd = require_pandas()
    dtype = column.dtype
    if dtype.kind in "iu" or (dtype.kind == "f" and getattr(dtype, "itemsize", 0) == 8):
        # already numbers (narrower floats go through their text, the decimals a user sees)
        return np.asarray(column.to_numpy(dtype=np.float64, na_value=np.nan), dtype=np.float64)
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
    areas, periods, grids = _pivot(
        df, area, period, {"value": value, "lower": lower, "upper": upper}
    )
    return History(
        areas=areas,
        periods=periods,
        values=grids["value"],
        lower=grids.get("lower"),
        upper=grids.get("upper"),
    )


def _pivot(
    df: Any, area: str, period: str, columns: dict[str, str | None]
) -> tuple[tuple[str, ...], tuple[str, ...], dict[str, FloatArray]]:
    """The areas, the periods and an areas x periods grid of each column given (``value`` is
    required, the others may be None; ``lower`` and ``upper`` go together): the frame checked
    and its rows placed once, however many columns are laid out."""
    if not isinstance(df, require_pandas().DataFrame):
        raise InputError(f"df must be a pandas DataFrame, got {type(df).__name__}")
    wanted = {"area": area, "period": period, **columns}
    for key, column in wanted.items():
        if not isinstance(column, str) and (
            column is not None or key in ("area", "period", "value")
        ):
            raise InputError(f"{key} must be a column name (text), got {column!r:.60}")
    absent = [f"{k}={c!r}" for k, c in wanted.items() if c is not None and c not in df.columns]
    if absent:
        raise InputError(
            f"data frame has no column {', '.join(absent)}; it has {list(df.columns)}",
            tuple(absent),
        )
    if (columns.get("lower") is None) != (columns.get("upper") is None):
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
    grids = {}
    for key, name in columns.items():
        if name is not None:
            grids[key] = np.full((len(areas), len(periods)), np.nan)
            grids[key][ii, jj] = _numbers(df[name], name)
    return tuple(areas), tuple(periods), grids
