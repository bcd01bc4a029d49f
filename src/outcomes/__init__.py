"""outcomes: NHS outcome-ambition trajectories as a library.

Frameworks as validated data, vectorised trajectory rules, scoring with statistical confidence,
and incentive payouts. The public API is re-exported here *lazily* (PEP 562): a bare
``import outcomes`` loads neither scipy nor pint and builds no models.

>>> import outcomes
>>> t = outcomes.percentage_change(2006.1, -0.032, start="2013", end="2018/19")
>>> t.rounded(1).values.tolist()
[1941.9, 1879.8, 1819.6, 1761.4, 1705.0]
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS: dict[str, str] = {
    # errors
    "OutcomesError": "outcomes.errors",
    "PeriodError": "outcomes.errors",
    "UnitError": "outcomes.errors",
    "FrameworkError": "outcomes.errors",
    "UnknownCodeError": "outcomes.errors",
    "TrajectoryError": "outcomes.errors",
    "ScoringError": "outcomes.errors",
    "IncentiveError": "outcomes.errors",
    "InputError": "outcomes.errors",
    # periods
    "period": "outcomes.periods",
    "Period": "outcomes.periods",
    "FinancialYear": "outcomes.periods",
    "CalendarYear": "outcomes.periods",
    "Quarter": "outcomes.periods",
    "Month": "outcomes.periods",
    # models
    "Polarity": "outcomes.models",
    "Trajectory": "outcomes.models",
    "Rule": "outcomes.models",
    # trajectories
    "percentage_change": "outcomes.trajectories",
    "to_target": "outcomes.trajectories",
    "quantile_step": "outcomes.trajectories",
    "reach_national": "outcomes.trajectories",
    "national_or_quantile": "outcomes.trajectories",
    "hold": "outcomes.trajectories",
    "phase": "outcomes.trajectories",
    "composite": "outcomes.trajectories",
    # stats
    "quantile_bounds": "outcomes.stats",
    "assign_quantiles": "outcomes.stats",
    "wilson": "outcomes.stats",
    "poisson_exact": "outcomes.stats",
    "byar": "outcomes.stats",
    "rate_ci": "outcomes.stats",
    "dsr_ci": "outcomes.stats",
    # scoring and incentives
    "score": "outcomes.scoring",
    "Score": "outcomes.scoring",
    "compare_to_goal": "outcomes.scoring",
    "quality_premium": "outcomes.incentives",
    "bcf_performance_payment": "outcomes.incentives",
    # assurance
    "audit": "outcomes.audit",
    "roll_up": "outcomes.rollup",
    "apportion": "outcomes.rollup",
}
_SUBMODULES = {
    "errors",
    "periods",
    "units",
    "models",
    "frameworks",
    "stats",
    "trajectories",
    "scoring",
    "incentives",
    "audit",
    "rollup",
    "io",
    "plan",
    "testing",
    "plot",
    "cli",
}

__all__ = sorted(_EXPORTS)

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from outcomes.audit import audit
    from outcomes.errors import (
        FrameworkError,
        IncentiveError,
        InputError,
        OutcomesError,
        PeriodError,
        ScoringError,
        TrajectoryError,
        UnitError,
        UnknownCodeError,
    )
    from outcomes.incentives import bcf_performance_payment, quality_premium
    from outcomes.models import Polarity, Rule, Trajectory
    from outcomes.periods import CalendarYear, FinancialYear, Month, Period, Quarter, period
    from outcomes.rollup import apportion, roll_up
    from outcomes.scoring import Score, compare_to_goal, score
    from outcomes.stats import (
        assign_quantiles,
        byar,
        dsr_ci,
        poisson_exact,
        quantile_bounds,
        rate_ci,
        wilson,
    )
    from outcomes.trajectories import (
        composite,
        hold,
        national_or_quantile,
        percentage_change,
        phase,
        quantile_step,
        reach_national,
        to_target,
    )


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(importlib.import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    if name in _SUBMODULES:
        return importlib.import_module(f"outcomes.{name}")
    raise AttributeError(f"module 'outcomes' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS) | _SUBMODULES)
