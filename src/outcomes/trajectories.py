"""Trajectory rules: from a baseline and a rule, the targets a plan publishes.

Every rule is a pure, vectorised function: the baseline (and most parameters) may be scalars or
numpy arrays that broadcast, and the scalar answer equals the vectorised one. Each returns a
:class:`~outcomes.Trajectory` whose ``rule`` records the rule and its parameters. The rules are
declared in the registry, :mod:`outcomes.rules`; this module is their documented home.

**Time indexing.** The 2014 plans counted steps two ways, so every rule takes ``indexing``:

* ``"elapsed"`` (default): ``k`` = the number of periods from the baseline to the target
  period; years are counted by start year, so from a calendar-2012 baseline 2014/15 is ``k = 2``.
* ``"plan-year"``: the first reported period is ``k = 1`` whatever the baseline date.

``n`` is the step of ``end`` under the same convention; ``x = k / n`` is the share of time elapsed.

>>> from outcomes import trajectories
>>> trajectories.percentage_change(2006.1, -0.032, start="2013", end="2018/19").rounded(1).values[-1]
np.float64(1705.0)
"""

from outcomes.rules import (
    PROFILES,
    check_compatible,
    composite,
    cumulative_share,
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
from outcomes.rules._engine import Indexing, Profile

__all__ = [
    "PROFILES",
    "Indexing",
    "Profile",
    "check_compatible",
    "composite",
    "cumulative_share",
    "hold",
    "national_or_quantile",
    "peer_achieved",
    "percentage_change",
    "phase",
    "quantile_step",
    "reach_national",
    "reach_objective",
    "to_target",
    "two_phase",
]
