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

from outcomes._version import __version__

_EXPORTS: dict[str, str] = {
    # errors
    "OutcomesError": "outcomes.errors",
    "OutcomesWarning": "outcomes.errors",
    "PeriodError": "outcomes.errors",
    "UnitError": "outcomes.errors",
    "UnitWarning": "outcomes.errors",
    "FrameworkError": "outcomes.errors",
    "UnknownCodeError": "outcomes.errors",
    "TrajectoryError": "outcomes.errors",
    "ScoringError": "outcomes.errors",
    "IncentiveError": "outcomes.errors",
    "InputError": "outcomes.errors",
    "OutputError": "outcomes.errors",
    # periods
    "period": "outcomes.periods",
    "Period": "outcomes.periods",
    "FinancialYear": "outcomes.periods",
    "CalendarYear": "outcomes.periods",
    "Quarter": "outcomes.periods",
    "Month": "outcomes.periods",
    # polarity
    "Polarity": "outcomes.polarity",
    # trajectory
    "Trajectory": "outcomes.trajectory",
    "Rule": "outcomes.trajectory",
    # rules
    "percentage_change": "outcomes.rules",
    "to_target": "outcomes.rules",
    "quantile_step": "outcomes.rules",
    "reach_national": "outcomes.rules",
    "national_or_quantile": "outcomes.rules",
    "hold": "outcomes.rules",
    "two_phase": "outcomes.rules",
    "peer_achieved": "outcomes.rules",
    "phase": "outcomes.rules",
    "composite": "outcomes.rules",
    "reach_objective": "outcomes.rules",
    "RuleSpec": "outcomes.rules",
    "describe_rule": "outcomes.rules",
    # stats
    "QuantileWarning": "outcomes.stats",
    "quantile_bounds": "outcomes.stats",
    "assign_quantiles": "outcomes.stats",
    "wilson": "outcomes.stats",
    "poisson_exact": "outcomes.stats",
    "byar": "outcomes.stats",
    "rate_ci": "outcomes.stats",
    "dsr_ci": "outcomes.stats",
    "Interval": "outcomes.stats",
    # scoring
    "score": "outcomes.scoring",
    "Score": "outcomes.scoring",
    # benchmark
    "compare": "outcomes.benchmark",
    "compare_to_goal": "outcomes.benchmark",
    "Significance": "outcomes.benchmark",
    "Comparison": "outcomes.benchmark",
    "funnel_significance": "outcomes.benchmark",
    "funnel_limits": "outcomes.benchmark",
    "funnel_table": "outcomes.benchmark",
    "recent_trend": "outcomes.benchmark",
    "Trend": "outcomes.benchmark",
    # incentives
    "quality_premium": "outcomes.incentives",
    "bcf_performance_payment": "outcomes.incentives",
    "qof_payment": "outcomes.incentives",
    # assurance
    "audit": "outcomes.assurance",
    "audit_table": "outcomes.assurance",
    # rollup
    "roll_up": "outcomes.rollup",
    "apportion": "outcomes.rollup",
    # workflow
    "run_plan": "outcomes.workflow",
    "score_plan": "outcomes.workflow",
    "premium": "outcomes.workflow",
    "select_peers": "outcomes.workflow",
    "select_history": "outcomes.workflow",
    "HistorySet": "outcomes.workflow",
    "HistorySelection": "outcomes.workflow",
    "load_plan": "outcomes.workflow",
    "parse_plan": "outcomes.workflow",
    "Plan": "outcomes.workflow",
    "PlanTargets": "outcomes.workflow",
    "PlanScores": "outcomes.workflow",
    "PeerSet": "outcomes.workflow",
    "area_profile": "outcomes.workflow",
    "AreaProfile": "outcomes.workflow",
    # realism
    "achievability": "outcomes.realism",
    "probability": "outcomes.realism",
    "backtest": "outcomes.realism",
    "trajectory_realism": "outcomes.realism",
    "Realism": "outcomes.realism",
    # io
    "read_fingertips": "outcomes.io",
    "read_actuals": "outcomes.io",
    "read_baselines": "outcomes.io",
    # indicators
    "standard_population": "outcomes.indicators",
    "dsr": "outcomes.indicators",
    "isr": "outcomes.indicators",
    "isratio": "outcomes.indicators",
    "mean_ci": "outcomes.indicators",
    "life_expectancy": "outcomes.indicators",
    "sii": "outcomes.indicators",
    "proportion": "outcomes.indicators",
    "crude_rate": "outcomes.indicators",
}
_SUBMODULES = {
    "errors",
    "periods",
    "units",
    "polarity",
    "catalogue",
    "frameworks",
    "models",
    "trajectory",
    "rules",
    "trajectories",
    "stats",
    "scoring",
    "benchmark",
    "incentives",
    "assurance",
    "rollup",
    "oversight",
    "workflow",
    "plan",
    "io",
    "frames",
    "indicators",
    "realism",
    "testing",
    "plot",
    "cli",
}

__all__ = sorted(_EXPORTS)

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from outcomes.assurance import (
        audit,
        audit_table,
    )
    from outcomes.benchmark import (
        Comparison,
        Significance,
        Trend,
        compare,
        compare_to_goal,
        funnel_limits,
        funnel_significance,
        funnel_table,
        recent_trend,
    )
    from outcomes.errors import (
        FrameworkError,
        IncentiveError,
        InputError,
        OutcomesError,
        OutcomesWarning,
        OutputError,
        PeriodError,
        ScoringError,
        TrajectoryError,
        UnitError,
        UnitWarning,
        UnknownCodeError,
    )
    from outcomes.incentives import (
        bcf_performance_payment,
        qof_payment,
        quality_premium,
    )
    from outcomes.indicators import (
        crude_rate,
        dsr,
        isr,
        isratio,
        life_expectancy,
        mean_ci,
        proportion,
        sii,
        standard_population,
    )
    from outcomes.io import (
        read_actuals,
        read_baselines,
        read_fingertips,
    )
    from outcomes.periods import (
        CalendarYear,
        FinancialYear,
        Month,
        Period,
        Quarter,
        period,
    )
    from outcomes.polarity import (
        Polarity,
    )
    from outcomes.realism import (
        Realism,
        achievability,
        backtest,
        probability,
        trajectory_realism,
    )
    from outcomes.rollup import (
        apportion,
        roll_up,
    )
    from outcomes.rules import (
        RuleSpec,
        composite,
        describe_rule,
        hold,
        national_or_quantile,
        peer_achieved,
        percentage_change,
        phase,
        quantile_step,
        reach_national,
        reach_objective,
        to_target,
        two_phase,
    )
    from outcomes.scoring import (
        Score,
        score,
    )
    from outcomes.stats import (
        Interval,
        QuantileWarning,
        assign_quantiles,
        byar,
        dsr_ci,
        poisson_exact,
        quantile_bounds,
        rate_ci,
        wilson,
    )
    from outcomes.trajectory import (
        Rule,
        Trajectory,
    )
    from outcomes.workflow import (
        AreaProfile,
        HistorySelection,
        HistorySet,
        PeerSet,
        Plan,
        PlanScores,
        PlanTargets,
        area_profile,
        load_plan,
        parse_plan,
        premium,
        run_plan,
        score_plan,
        select_history,
        select_peers,
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
