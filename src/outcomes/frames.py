"""Data frames (extra ``pandas``): results out as long, tidy frames with proper dtypes, and
tables in from frames.

The core of the library is numpy; pandas is imported only inside these functions. Frames are
long and tidy: one row per organisation, measure and period, with the organisation's code and
name, the measure, the period label (an ordered categorical, in time order) and the unit; text
columns are categoricals, numbers floats, flags nullable booleans; no object columns.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from outcomes._optional import require_pandas
from outcomes.errors import InputError, ScoringError, TrajectoryError
from outcomes.io.inputs import ActualsTable, BaselinesTable

if TYPE_CHECKING:
    from outcomes.io.fingertips import FingertipsData
    from outcomes.scoring import Score
    from outcomes.trajectory import Trajectory

__all__ = [
    "actuals_from_frame",
    "baselines_from_frame",
    "fingertips_frame",
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
    from outcomes.trajectory import Trajectory

    if not isinstance(trajectory, Trajectory):
        raise TrajectoryError(f"expected a Trajectory, got {type(trajectory).__name__}")
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
