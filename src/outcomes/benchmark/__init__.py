"""Benchmarking like Fingertips: compared with England, against a goal, funnel plots, recent trends.

Three questions an assurance team asks of every area, each answered by the published method:

* **Is it significantly different from the benchmark?** :func:`compare` reproduces the
  Fingertips comparers (overlapping confidence intervals at one or two levels, double overlap,
  SPC limits for proportions and for directly standardised rates) and returns
  :class:`Significance` values.
* **Did it reach its goal?** :func:`compare_to_goal` reproduces the Fingertips target comparers
  (single value, range, "use CIs for limit", percentile range, previous-year England) and returns
  :class:`Comparison` values.
* **Is it an outlier, and is it improving?** :func:`funnel_significance`, :func:`funnel_limits`
  and :func:`funnel_table` follow PHE's funnel-plot method (the Technical Guide and
  PHEindicatormethods' ``calculate_funnel_limits`` / ``assign_funnel_significance``);
  :func:`recent_trend` reproduces the Fingertips recent-trend marker (:class:`Trend`).

Every function broadcasts over areas like :mod:`outcomes.stats` (no Python loop over areas) and
marks missing data explicitly (``NOT_COMPARED``, ``NOT_APPLICABLE``, ``CANNOT_BE_CALCULATED``);
bad arguments raise :class:`~outcomes.errors.ScoringError` naming the field and the value.

Sources: Fingertips (``PublicHealthEngland/fingertips-open``, ``PholioVisualisationWS/Analysis``,
commit 6780897, MIT); PHE, *Technical Guide: Funnel Plots* (2017) and PHEindicatormethods
(``calculate_funnel_limits``, v2.1.0). Re-implemented from the published methods; no code copied.
"""

from outcomes.benchmark.funnels import (
    FunnelSignificance,
    funnel_limits,
    funnel_significance,
    funnel_table,
)
from outcomes.benchmark.goals import Comparison, compare_to_goal, percentile_range_goal
from outcomes.benchmark.significance import Significance, compare
from outcomes.benchmark.trends import (
    TREND_CHI_SQUARED_CUTOFF,
    TREND_REASONS,
    Trend,
    TrendResult,
    recent_trend,
)

__all__ = [
    "TREND_CHI_SQUARED_CUTOFF",
    "TREND_REASONS",
    "Comparison",
    "FunnelSignificance",
    "Significance",
    "Trend",
    "TrendResult",
    "compare",
    "compare_to_goal",
    "funnel_limits",
    "funnel_significance",
    "funnel_table",
    "percentile_range_goal",
    "recent_trend",
]
