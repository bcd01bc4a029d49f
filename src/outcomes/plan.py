"""The documented path to plan files: ``outcomes.plan.load_plan`` / ``run_plan``.

Plan files and the plan-level work live in :mod:`outcomes.workflow`; this module keeps the
names that were documented here.

>>> from outcomes.plan import load_plan, run_plan
>>> run_plan(load_plan("examples/illustrative-hwb.toml"))["reablement"].periods[0]
FinancialYear(2014)
"""

from outcomes.workflow import (
    Baseline,
    MeasurePlan,
    Organisation,
    Plan,
    PremiumPlan,
    describe_measure,
    load_plan,
    parse_plan,
    run_plan,
)

__all__ = [
    "Baseline",
    "MeasurePlan",
    "Organisation",
    "Plan",
    "PremiumPlan",
    "describe_measure",
    "load_plan",
    "parse_plan",
    "run_plan",
]
