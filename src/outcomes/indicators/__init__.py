"""Indicator construction: PHE's standardised rates and ratios, means, life expectancy and SII.

One function per published method, each implemented as its source publishes it and vectorised:
age bands (or quantiles) sit on the LAST axis and any leading axes are areas, periods, sexes...,
so a whole country is one call. Every result is a frozen model with array fields ``value``,
``lower``, ``upper``, the totals used and a ``note`` text array that says why a value was not
computed (``""`` where it was). ``confidence`` may be one level or a tuple such as
``(0.95, 0.998)``; ``intervals`` maps each level to its :class:`~outcomes.stats.Interval` and
``lower``/``upper`` are those of the first level.

* :func:`standard_population` - ESP 2013 / ESP 1976 weights, catalogue data with their source.
* :func:`dsr` - directly standardised rate, Dobson limits via Byar (PHE).
* :func:`isr`, :func:`isratio` - indirectly standardised rate and ratio (SMR), exact / Byar.
* :func:`mean_ci` - mean with Student's t limits.
* :func:`life_expectancy` - Chiang II abridged life table with Silcocks limits (PHE).
* :func:`sii` - slope and relative index of inequality, limits by simulation (PHE).
* :func:`proportion`, :func:`crude_rate` - Wilson; exact Poisson / Byar.

scipy is imported inside the functions that need it (``import outcomes`` stays light).
"""

from outcomes.indicators._common import (
    PHE_LIFE_TABLE_AGES,
    DSRResult,
    IndicatorResult,
    ISRResult,
    LifeExpectancyResult,
    MeanResult,
    Note,
    RateResult,
    SIIResult,
    StandardPopulation,
)
from outcomes.indicators.inequality import sii
from outcomes.indicators.life import life_expectancy
from outcomes.indicators.means import mean_ci
from outcomes.indicators.rates import crude_rate, dsr, isr, isratio, proportion
from outcomes.indicators.standards import standard_population

__all__ = [
    "PHE_LIFE_TABLE_AGES",
    "DSRResult",
    "ISRResult",
    "IndicatorResult",
    "LifeExpectancyResult",
    "MeanResult",
    "Note",
    "RateResult",
    "SIIResult",
    "StandardPopulation",
    "crude_rate",
    "dsr",
    "isr",
    "isratio",
    "life_expectancy",
    "mean_ci",
    "proportion",
    "sii",
    "standard_population",
]
