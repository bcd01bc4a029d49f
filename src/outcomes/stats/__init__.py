"""Published statistical methods: confidence intervals and quantiles, one function per method.

:mod:`outcomes.stats.intervals` (Wilson, exact Poisson, Byar, crude rates, Dobson) and
:mod:`outcomes.stats.quantiles` (Fingertips value bounds, the OHID rank method). Indicator
construction (DSRs, ISRs, life expectancy, SII) and benchmarking (comparisons, funnels, trends)
build on these in :mod:`outcomes.indicators` and :mod:`outcomes.benchmark`.

>>> from outcomes import stats
>>> round(stats.wilson(81, 263).lower, 4)
0.2553
"""

from outcomes.stats.intervals import (
    Interval,
    byar,
    confidence_level,
    dsr_ci,
    poisson_exact,
    rate_ci,
    wilson,
    z_value,
)
from outcomes.stats.quantiles import (
    QUANTILE_METHODS,
    QuantileWarning,
    assign_quantiles,
    quantile_bounds,
    quantile_categories,
)

__all__ = [
    "QUANTILE_METHODS",
    "Interval",
    "QuantileWarning",
    "assign_quantiles",
    "byar",
    "confidence_level",
    "dsr_ci",
    "poisson_exact",
    "quantile_bounds",
    "quantile_categories",
    "rate_ci",
    "wilson",
    "z_value",
]
