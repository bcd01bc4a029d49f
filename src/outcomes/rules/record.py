"""Rules that set the change from the record: the yearly change that a share of peers actually
achieved (an ambition grounded in what comparable areas did, not a round number)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Annotated, Any

import numpy as np
import numpy.typing as npt
from pydantic import AfterValidator, AllowInfNan, Field

from outcomes.errors import ScoringError, TrajectoryError
from outcomes.periods import Period
from outcomes.polarity import Polarity
from outcomes.rules import _words as w
from outcomes.rules._engine import Indexing, PeriodLike, parse_polarity
from outcomes.rules._spec import RuleParameters, RuleSpec
from outcomes.rules.change import percentage_change
from outcomes.stats.changes import peer_rate
from outcomes.trajectory import Rule, Trajectory

__all__ = ["RULES", "peer_achieved"]


def peer_achieved(
    baseline: npt.ArrayLike,
    history: npt.ArrayLike,
    *,
    percentile: float = 0.75,
    polarity: Polarity | str,
    start: PeriodLike,
    end: PeriodLike | None = None,
    periods: Sequence[PeriodLike] | None = None,
    lower: npt.ArrayLike | None = None,
    upper: npt.ArrayLike | None = None,
    confidence: float = 0.95,
    compound: bool = True,
    indexing: Indexing = "elapsed",
    unit: str | None = None,
    measure: str | None = None,
) -> Trajectory:
    """Data-driven trajectory: the yearly change that the best quarter (or any share) of peers
    actually achieved, applied from ``baseline``.

    ``rate = peer_rate(history, percentile=percentile, polarity=polarity, lower=lower,
    upper=upper)``, then :func:`outcomes.trajectories.percentage_change`: ``v_k = b (1 +
    rate)^k`` (compound) or ``b (1 + rate k)`` (simple). An ambition grounded in the record
    rather than a round number; give the peers' confidence limits to ground it in their true
    changes rather than their noise.

    Parameters
    ----------
    baseline : array_like
        Baseline value(s), as for ``percentage_change``.
    history : array_like
        Peers' history, areas x equally spaced yearly periods (``NaN`` = missing).
    percentile : float
        How far along the distribution of improvement (0.75: the best quarter's boundary).
    polarity : {"higher", "lower"}
        Which direction is better.
    start, end, periods, compound, indexing, unit, measure
        As for ``percentage_change``.
    lower, upper, confidence
        Optional confidence limits of ``history``, as for :func:`peer_rate`.

    Returns
    -------
    Trajectory
        The targets, with the rule ``peer_achieved`` and the learned ``rate`` in its
        parameters.

    Raises
    ------
    ScoringError
        Bad history, limits, percentile or polarity.
    TrajectoryError
        If the peers' change at that percentile would make the targets worse than the
        baseline (``percentage_change`` refuses it), or other trajectory arguments are bad.

    References
    ----------
    NHS England (2014) Everyone Counts: Planning for Patients 2014/15 to 2018/19 ("ambitious
    but realistic" outcome ambitions). Hyndman & Fan (1996), see :func:`peer_rate`.

    Examples
    --------
    >>> history = [[100.0, 90.0, 85.5], [100.0, 100.0, 102.0], [100.0, 95.0, 95.0]]
    >>> t = peer_achieved(1000.0, history, polarity="lower", start="2013/14", end="2015/16")
    >>> t.values.round(1).tolist()
    [950.0, 902.5]
    """
    pol = parse_polarity(polarity, required=True)
    try:
        rate = peer_rate(
            history,
            percentile=percentile,
            polarity=pol,
            lower=lower,
            upper=upper,
            confidence=confidence,
        )
    except ScoringError as error:
        raise TrajectoryError(str(error)) from None
    # where the peers' change at that percentile is a deterioration, the plan holds the baseline:
    # no rule plans to get worse (the rule records both rates)
    applied = max(rate, 0.0) if pol is Polarity.HIGHER_IS_BETTER else min(rate, 0.0)
    t = percentage_change(
        baseline,
        applied,
        start=start,
        end=end,
        periods=periods,
        compound=compound,
        indexing=indexing,
        polarity=pol,
        unit=unit,
        measure=measure,
    )
    parameters = {
        "percentile": float(percentile),
        "rate": applied,
        "peer_rate": rate,
        "compound": bool(compound),
        "noise_removed": lower is not None,
        "peers": int(np.shape(history)[0]) if np.ndim(history) else 0,
    }
    return t.model_copy(update={"rule": Rule(name="peer_achieved", parameters=parameters)})


# --------------------------------------------------------------------------------------------
# declaration
# --------------------------------------------------------------------------------------------


def _missing_or_finite(value: float | None) -> float | None:
    """A history cell: a number, or missing (``nan`` in a plan file, as TOML has no null)."""
    if value is None or math.isnan(value):
        return None
    if math.isinf(value):
        raise ValueError(f"must be a finite number or nan (missing), got {value!r}")
    return value


#: A cell of a history: a finite number, or missing (``nan``, ``None``).
HistoryCell = Annotated[float | None, AllowInfNan(True), AfterValidator(_missing_or_finite)]


class PeerAchievedParameters(RuleParameters):
    history: list[list[HistoryCell]] | None = Field(
        default=None,
        description="peers' history, areas x years (or selected from data with history = {...})",
    )
    percentile: float = Field(
        default=0.75,
        ge=0,
        le=1,
        description="how far along peers' improvement (0.75: the best quarter)",
    )
    lower: list[list[HistoryCell]] | None = None
    upper: list[list[HistoryCell]] | None = None
    confidence: float = Field(default=0.95, gt=0, lt=1)
    compound: bool = True
    indexing: Indexing = "elapsed"


def _history_example(st: Any, start: Period, end: Period) -> Any:
    rows = st.lists(
        st.lists(st.floats(min_value=95.0, max_value=105.0), min_size=4, max_size=4),
        min_size=4,
        max_size=12,
    )
    return st.fixed_dictionaries(
        {
            "history": rows,
            "percentile": st.sampled_from([0.5, 0.75, 0.9]),
            "compound": st.booleans(),
        }
    )


def _describe_peer_achieved(t: Trajectory) -> str:
    p = t.rule.parameters
    share = float(p.get("percentile", 0.75))
    who = "the best quarter of" if share == 0.75 else f"the {share:.0%} point of"
    noise = ", sampling noise removed" if p.get("noise_removed") else ""
    peers = int(p.get("peers", 0))
    source = f"{who} {peers} peers' yearly changes{noise}"
    compound = "compounded" if p.get("compound", True) else "simple, not compounded"
    peer_rate, applied = float(p.get("peer_rate", 0.0)), float(p.get("rate", 0.0))
    if applied == 0.0 and peer_rate != 0.0:
        return (
            f"hold the {t.start} baseline to {t.end}: {source} was {w.change(peer_rate, 'a year')}, "
            f"a deterioration, and no rule plans to get worse"
        )
    return (
        f"{w.change(applied, w.per(t))}, what {source} achieved, {compound}, from the "
        f"{t.start} baseline to {t.end}{w.indexing(t)}"
    )


RULES = (
    RuleSpec(
        name="peer_achieved",
        function=peer_achieved,
        parameters=PeerAchievedParameters,
        summary="the yearly change that the best quarter (or any share) of peers actually achieved",
        invariants=frozenset({"reaches_target", "monotone", "scale_equivariant"}),
        example=_history_example,
        measured={"history": "absolute", "lower": "absolute", "upper": "absolute"},
        inputs=("history",),
        needs_polarity=True,
        describe=_describe_peer_achieved,
    ),
)
