"""Is this ambition realistic? What peers actually achieved, and calibrated odds of meeting a target.

History is an array of areas x equally spaced periods (``NaN`` = missing), optionally with the
published confidence limits of each value (same shape). Four questions, one function each:

* :func:`changes` - every area's change over ``horizon`` periods, at every start.
* :func:`achievability` - how often peers did at least as well as a planned change (``share``),
  where the plan sits among their changes (``percentile``), and, given confidence limits, the
  same share once sampling noise is removed (``share_adjusted``, empirical-Bayes shrinkage).
* :func:`probability` - for each area, the probability of meeting a target ``horizon`` periods
  after the last period, from a model with shocks common to all areas in a year, regression to
  the mean and shrinkage of each area's own trend toward its peers' (:func:`forecast` gives the
  whole predictive distribution).
* :func:`backtest` - Brier score of :func:`probability` on every rolling origin against the
  naive base rate, and a reliability table, so that a user can see that the odds are honest.

:func:`trajectory_realism` joins them to a planned trajectory (:class:`Realism`: the plan's
change a year, how often peers achieved it, each organisation's odds of meeting each target, in
one sentence). :func:`peer_achieved` turns the record into a trajectory: the yearly change that the best
quarter (or any share) of peers actually achieved. The model's equations, and the backtests that
chose it, are in ``docs/realism.md``.
"""

from outcomes.realism.backtesting import Backtest, backtest
from outcomes.realism.model import Forecast, Probability, RealismModel, forecast, probability
from outcomes.realism.plans import Realism, trajectory_realism
from outcomes.realism.shares import Achievability, achievability
from outcomes.rules.record import peer_achieved
from outcomes.stats.changes import Changes, RealismNote, changes, peer_rate

__all__ = [
    "Achievability",
    "Backtest",
    "Changes",
    "Forecast",
    "Probability",
    "Realism",
    "RealismModel",
    "RealismNote",
    "achievability",
    "backtest",
    "changes",
    "forecast",
    "peer_achieved",
    "peer_rate",
    "probability",
    "trajectory_realism",
]
