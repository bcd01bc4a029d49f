"""Data frames (extra ``pandas``): results out as long, tidy frames with proper dtypes, tables in
from frames, and the data-frame form of every indicator and benchmarking method.

The core of the library is numpy; pandas is imported only inside these functions. Result frames
are long and tidy: one row per organisation, measure and period, beginning with the identity
columns that apply - ``organisation`` and ``organisation_name`` (where there are
organisations), ``measure`` (the code) and ``measure_name``, ``period`` (an ordered categorical,
in time order) and ``unit`` (the unit table's id) - then the result's own columns. Text columns
are categoricals, numbers float64, flags nullable booleans; no object columns. A result's
``to_frame()`` calls the function here (results that hold only arrays take the organisation
codes, measure and period as keywords).

* :mod:`outcomes.frames.results` - ``trajectory_frame``, ``score_frame``, ``targets_frame``,
  ``scores_frame``, ``peers_frame``, ``fingertips_frame``; in: ``actuals_from_frame``,
  ``baselines_from_frame``, ``fingertips_from_frame``, ``history_from_frame``;
* :mod:`outcomes.frames.incentives` - ``premium_frame``, ``bcf_payment_frame``,
  ``qof_payment_frame``;
* :mod:`outcomes.frames.assurance` - ``audit_frame``;
* :mod:`outcomes.frames.benchmark` - ``trend_frame``; on frames: ``compare``,
  ``compare_to_goal``, ``funnel_significance``, ``funnel_table``, ``recent_trend``;
* :mod:`outcomes.frames.indicator_results` - ``indicator_frame``;
* :mod:`outcomes.frames.realism` - ``achievability_frame``, ``probability_frame``,
  ``forecast_frame``, ``backtest_frame``;
* :mod:`outcomes.frames.oversight` - ``metric_scores_frame``, ``segmentation_frame``;
* :mod:`outcomes.frames.indicators` - ``dsr``, ``isr``, ``isratio``, ``mean_ci``,
  ``life_expectancy``, ``sii``, ``proportion``, ``crude_rate`` on long frames, with
  PHEindicatormethods' column names (one row per group; one vectorised call, no loop);
* ``tidy`` and ``concat``: the frame contract, for frames of your own.
"""

from outcomes._optional import require_pandas
from outcomes.frames._tidy import concat, tidy
from outcomes.frames.assurance import audit_frame
from outcomes.frames.benchmark import (
    compare,
    compare_to_goal,
    funnel_significance,
    funnel_table,
    recent_trend,
    trend_frame,
)
from outcomes.frames.incentives import bcf_payment_frame, premium_frame, qof_payment_frame
from outcomes.frames.indicator_results import indicator_frame
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
from outcomes.frames.oversight import metric_scores_frame, segmentation_frame
from outcomes.frames.realism import (
    achievability_frame,
    backtest_frame,
    forecast_frame,
    probability_frame,
    realism_frame,
)
from outcomes.frames.results import (
    History,
    actuals_from_frame,
    baselines_from_frame,
    fingertips_frame,
    fingertips_from_frame,
    history_from_frame,
    peers_frame,
    score_frame,
    scores_frame,
    targets_frame,
    trajectory_frame,
)

__all__ = [
    "History",
    "achievability_frame",
    "actuals_from_frame",
    "audit_frame",
    "backtest_frame",
    "baselines_from_frame",
    "bcf_payment_frame",
    "compare",
    "compare_to_goal",
    "concat",
    "crude_rate",
    "dsr",
    "fingertips_frame",
    "fingertips_from_frame",
    "forecast_frame",
    "funnel_significance",
    "funnel_table",
    "history_from_frame",
    "indicator_frame",
    "isr",
    "isratio",
    "life_expectancy",
    "mean_ci",
    "metric_scores_frame",
    "peers_frame",
    "premium_frame",
    "probability_frame",
    "proportion",
    "qof_payment_frame",
    "realism_frame",
    "recent_trend",
    "require_pandas",
    "score_frame",
    "scores_frame",
    "segmentation_frame",
    "sii",
    "targets_frame",
    "tidy",
    "trajectory_frame",
    "trend_frame",
]
