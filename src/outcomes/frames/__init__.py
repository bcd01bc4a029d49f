"""Data frames (extra ``pandas``): results out as long, tidy frames with proper dtypes, tables in
from frames, and the data-frame form of every indicator method.

The core of the library is numpy; pandas is imported only inside these functions. Frames are
long and tidy: one row per organisation, measure and period, with the organisation's code and
name, the measure, the period label (an ordered categorical, in time order) and the unit; text
columns are categoricals, numbers floats, flags nullable booleans; no object columns.

* :mod:`outcomes.frames.results` - ``trajectory_frame``, ``score_frame``, ``fingertips_frame``,
  ``actuals_from_frame``, ``baselines_from_frame``, ``history_from_frame``;
* :mod:`outcomes.frames.indicators` - ``dsr``, ``isr``, ``isratio``, ``mean_ci``,
  ``life_expectancy``, ``sii``, ``proportion``, ``crude_rate`` on long frames, with
  PHEindicatormethods' column names (one row per group; one vectorised call, no loop).
"""

from outcomes._optional import require_pandas
from outcomes.frames.indicators import (
    crude_rate,
    dsr,
    isr,
    isratio,
    life_expectancy,
    mean_ci,
    proportion,
    sii,
)
from outcomes.frames.results import (
    History,
    actuals_from_frame,
    baselines_from_frame,
    fingertips_frame,
    history_from_frame,
    score_frame,
    tidy,
    trajectory_frame,
)

__all__ = [
    "History",
    "actuals_from_frame",
    "baselines_from_frame",
    "crude_rate",
    "dsr",
    "fingertips_frame",
    "history_from_frame",
    "isr",
    "isratio",
    "life_expectancy",
    "mean_ci",
    "proportion",
    "require_pandas",
    "score_frame",
    "sii",
    "tidy",
    "trajectory_frame",
]
