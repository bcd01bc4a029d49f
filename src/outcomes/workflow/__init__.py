"""The plan machinery: plan files, peers, baselines and actuals, and the plan-level work the CLI
does, as library calls a notebook can make.

>>> import outcomes
>>> targets = outcomes.run_plan("examples/illustrative-ccg.toml")
>>> scores = outcomes.score_plan("examples/illustrative-ccg.toml", "examples/illustrative-ccg-actuals.csv")
>>> outcomes.premium("examples/illustrative-ccg.toml", scores).paid
True
"""

from outcomes.workflow.history import HistorySet, select_history
from outcomes.workflow.peers import PeerSet, select_peers
from outcomes.workflow.planfile import (
    Baseline,
    HistorySelection,
    MeasurePlan,
    Organisation,
    PeerSelection,
    Plan,
    PremiumPlan,
    describe_measure,
    load_plan,
    parse_plan,
)
from outcomes.workflow.profile import AreaProfile, area_profile
from outcomes.workflow.run import PlanScores, PlanTargets, premium, run_plan, score_plan

__all__ = [
    "AreaProfile",
    "Baseline",
    "HistorySelection",
    "HistorySet",
    "MeasurePlan",
    "Organisation",
    "PeerSelection",
    "PeerSet",
    "Plan",
    "PlanScores",
    "PlanTargets",
    "PremiumPlan",
    "area_profile",
    "describe_measure",
    "load_plan",
    "parse_plan",
    "premium",
    "run_plan",
    "score_plan",
    "select_history",
    "select_peers",
]
