"""Rules of change at a constant pace: a yearly percentage, holding the baseline, and two phases
(a service change first, then a steady change).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from pydantic import Field, field_validator, model_validator

from outcomes._arrays import FloatArray, as_float_array, broadcast, check_choice
from outcomes.errors import PeriodError, TrajectoryError
from outcomes.periods import Period, period
from outcomes.polarity import Polarity
from outcomes.rules import _words as w
from outcomes.rules._engine import (
    Indexing,
    PeriodLike,
    baseline_array,
    make,
    not_worse,
    parse_polarity,
    record,
    timeline,
)
from outcomes.rules._spec import ALL_INVARIANTS, AuditForm, RuleParameters, RuleSpec
from outcomes.trajectory import Trajectory

__all__ = ["RULES", "hold", "percentage_change", "two_phase"]


def _rate_array(rate: npt.ArrayLike, name: str = "rate") -> FloatArray:
    r = as_float_array(rate, name, error=TrajectoryError)
    if (r <= -1).any():
        raise TrajectoryError(
            f"{name} must be > -1 (a fall of less than 100%), got {float(np.min(r))!r}"
        )
    return r


def percentage_change(
    baseline: npt.ArrayLike,
    rate: npt.ArrayLike,
    *,
    start: PeriodLike,
    periods: Sequence[PeriodLike] | None = None,
    end: PeriodLike | None = None,
    compound: bool = True,
    indexing: Indexing = "elapsed",
    polarity: Polarity | str | None = None,
    unit: str | None = None,
    measure: str | None = None,
) -> Trajectory:
    """Constant percentage change per period (rule R1 of the 2014 plans: "3.2% decline per year").

    Compound: ``v_k = b (1 + r)^k``; simple (``compound=False``): ``v_k = b (1 + r k)``, where
    ``k`` is the number of steps from ``start`` (see ``indexing``). ``rate=-0.032`` is a 3.2%
    fall a period; ``rate`` must be above -1. With ``polarity``, a rate that would make targets
    worse than the baseline raises.

    Parameters
    ----------
    baseline : array_like
        Baseline value(s), one per organisation (any shape); not negative.
    rate : array_like
        Change per period as a fraction, broadcast with ``baseline``.
    start : str or Period
        The baseline period (``"2013"``, ``"2013/14"``, ``"Mar 2025"``).
    periods, end
        The periods to report, or the last one (the periods in between are filled in).
    compound : bool
        Compound (default) or simple change.
    indexing : {"elapsed", "plan-year"}
        How steps are counted from the baseline (see :mod:`outcomes.trajectories`).
    polarity, unit, measure
        Direction of improvement, unit id and measure name recorded on the result.

    Returns
    -------
    Trajectory

    Raises
    ------
    TrajectoryError
        A rate of -100% or less, targets worse than the baseline under ``polarity``, targets
        outside the unit's bounds or too large for a float.
    PeriodError
        Periods out of order or not after the baseline.

    References
    ----------
    The QP 2014/15 PYLL expectation of a 3.2% fall a year (Sutton CCG, March 2014); compounded
    over five years that is a 15.0% fall (0.968^5 = 0.850).

    Examples
    --------
    >>> t = percentage_change(1000.0, -0.032, start="2013/14", end="2018/19")
    >>> t.rounded(1).values.tolist()
    [968.0, 937.0, 907.0, 878.0, 849.9]
    >>> percentage_change([1000.0, 2000.0], -0.1, start="2012", periods=["2014/15"]).values
    array([[ 810.],
           [1620.]])
    """
    b = baseline_array(baseline, unit)
    r = _rate_array(rate)
    broadcast(TrajectoryError, baseline=b, rate=r)
    if not isinstance(compound, bool | np.bool_):
        raise TrajectoryError(f"compound must be True or False, got {compound!r}")
    pol = parse_polarity(polarity, required=False)
    start_p, chosen, end_p, k, n = timeline(start, periods, end, indexing)
    rr = r[..., np.newaxis]
    with np.errstate(over="ignore", invalid="ignore"):
        if compound:
            values = b[..., np.newaxis] * (1.0 + rr) ** k
            target = b * (1.0 + r) ** n
        else:
            factor = 1.0 + rr * k
            if (factor < 0).any() or (1.0 + r * n < 0).any():
                raise TrajectoryError(
                    f"simple rate {float(np.min(r))!r} over {int(n)} periods falls below zero"
                )
            values = b[..., np.newaxis] * factor
            target = b * (1.0 + r * n)
    not_worse(b, target, pol, "target")
    return make(
        b,
        start_p,
        chosen,
        end_p,
        values,
        target,
        "percentage_change",
        {"rate": record(r), "compound": bool(compound)},
        pol,
        indexing,
        unit,
        measure,
    )


def hold(
    baseline: npt.ArrayLike,
    *,
    start: PeriodLike,
    periods: Sequence[PeriodLike] | None = None,
    end: PeriodLike | None = None,
    polarity: Polarity | str | None = None,
    unit: str | None = None,
    measure: str | None = None,
) -> Trajectory:
    """Maintain the baseline in every period (rule R8, the BCF "maintain the rate").

    ``v_k = b``. Note that "maintain the rate" is not "keep the count while the population
    grows"; the second makes the rate fall.

    Examples
    --------
    >>> hold(310.0, start="2014/15", end="2016/17").values.tolist()
    [310.0, 310.0]
    """
    b = baseline_array(baseline, unit)
    pol = parse_polarity(polarity, required=False)
    start_p, chosen, end_p, k, _ = timeline(start, periods, end, "elapsed")
    values = np.repeat(b[..., np.newaxis], k.shape[0], axis=-1)
    return make(b, start_p, chosen, end_p, values, b, "hold", {}, pol, "elapsed", unit, measure)


def two_phase(
    baseline: npt.ArrayLike,
    *,
    start: PeriodLike,
    end: PeriodLike,
    break_period: PeriodLike,
    rate: npt.ArrayLike,
    first_rate: npt.ArrayLike | None = None,
    step: npt.ArrayLike | None = None,
    kind: Literal["compound", "linear"] = "compound",
    periods: Sequence[PeriodLike] | None = None,
    indexing: Indexing = "elapsed",
    polarity: Polarity | str | None = None,
    unit: str | None = None,
    measure: str | None = None,
) -> Trajectory:
    """A service change first, then a steady change: two phases split at ``break_period``.

    Up to the break (``k <= k_b``) either a yearly ``first_rate`` or a ``step`` reached by the
    break; after it a steady ``rate`` a period. With ``kind="compound"`` rates are percentages
    and a step is a relative change::

        v_k = b (1 + first_rate)^k              or  b (1 + step)^(k / k_b)     for k <= k_b
        v_k = v_b (1 + rate)^(k - k_b)                                          for k >  k_b

    with ``kind="linear"`` they are absolute changes in the measure's unit::

        v_k = b + first_rate k                  or  b + step k / k_b           for k <= k_b
        v_k = v_b + rate (k - k_b)                                              for k >  k_b

    A break at the first period with ``step`` is a one-off step, then the steady change. With
    ``polarity``, any target worse than the baseline raises.

    Parameters
    ----------
    baseline : array_like
        Baseline value(s).
    break_period : str or Period
        The last period of the first phase (e.g. ``"2015/16"``); before ``end``.
    rate : array_like
        The steady change per period after the break.
    first_rate, step : array_like, optional
        Exactly one: the change per period up to the break, or the total change reached by it.
    kind : {"compound", "linear"}
        Percentages (``-0.05`` is 5% a period) or absolute changes.

    Raises
    ------
    TrajectoryError
        Neither or both of ``first_rate`` and ``step``; compound rates of -100% or less; targets
        worse than the baseline under ``polarity``.
    PeriodError
        A break not among the periods, or at the end.

    References
    ----------
    Rows of the 2014 five-year plans that front-load a service change, then decline steadily
    (``plans-2014`` note, rules R9/R1 combined).

    Examples
    --------
    >>> t = two_phase(1000.0, start="2013/14", end="2018/19", break_period="2014/15",
    ...               step=-0.10, rate=-0.02)
    >>> t.rounded(1).values.tolist()
    [900.0, 882.0, 864.4, 847.1, 830.1]
    >>> two_phase(80.0, start="2013/14", end="2017/18", break_period="2015/16", first_rate=4.0,
    ...           rate=1.0, kind="linear").values.tolist()
    [84.0, 88.0, 89.0, 90.0]
    """
    check_choice(kind, "kind", ("compound", "linear"), TrajectoryError)
    if (first_rate is None) == (step is None):
        raise TrajectoryError("give exactly one of first_rate (a change a period) or step")
    b = baseline_array(baseline, unit)
    pol = parse_polarity(polarity, required=False)
    start_p, chosen, end_p, k, n = timeline(start, periods, end, indexing)
    brk = period(break_period)
    if brk not in chosen:
        raise PeriodError(
            f"break_period {str(brk)!r} is not one of the periods "
            f"({', '.join(str(p) for p in chosen)})"
        )
    kb = float(k[chosen.index(brk)])
    if kb >= n:
        raise PeriodError(f"break_period {str(brk)!r} must be before end {str(end_p)!r}")
    compound = kind == "compound"
    later = _rate_array(rate) if compound else as_float_array(rate, "rate", error=TrajectoryError)
    first_name = "first_rate" if first_rate is not None else "step"
    raw_first = first_rate if first_rate is not None else step
    first = (
        _rate_array(raw_first, first_name)  # type: ignore[arg-type]
        if compound
        else as_float_array(raw_first, first_name, error=TrajectoryError)
    )
    broadcast(TrajectoryError, baseline=b, rate=later, **{first_name: first})
    bb = b[..., np.newaxis]
    f, r = first[..., np.newaxis], later[..., np.newaxis]
    before = np.minimum(k, kb)
    after = np.maximum(k - kb, 0.0)
    with np.errstate(over="ignore", invalid="ignore"):
        if compound:
            at = (1.0 + f) ** before if first_rate is not None else (1.0 + f) ** (before / kb)
            values = bb * at * (1.0 + r) ** after
            at_end = (1.0 + first) ** kb if first_rate is not None else 1.0 + first
            target = b * at_end * (1.0 + later) ** (n - kb)
        else:
            at = f * before if first_rate is not None else f * before / kb
            values = bb + at + r * after
            at_end = first * kb if first_rate is not None else first
            target = b + at_end + later * (n - kb)
    if (values < 0).any() or (np.asarray(target) < 0).any():
        raise TrajectoryError("two_phase targets fall below zero; check the rates and the step")
    if pol is not None:
        not_worse(bb, values, pol, "a target")
        not_worse(b, np.asarray(target, dtype=np.float64), pol, "target")
    parameters: dict[str, Any] = {
        "break_period": str(brk),
        "rate": record(later),
        first_name: record(first),
        "kind": kind,
    }
    return make(
        b,
        start_p,
        chosen,
        end_p,
        values,
        np.asarray(target, dtype=np.float64),
        "two_phase",
        parameters,
        pol,
        indexing,
        unit,
        measure,
    )


# --------------------------------------------------------------------------------------------
# declarations: parameters a plan file may set, the audit's closed forms, examples for tests
# --------------------------------------------------------------------------------------------


def _above_minus_one(value: float) -> float:
    if not value > -1:
        raise ValueError(f"must be > -1 (a fall of less than 100%), got {value!r}")
    return value


class PercentageChangeParameters(RuleParameters):
    rate: float = Field(
        allow_inf_nan=False, description="change a period as a fraction: -0.032 is a 3.2% fall"
    )
    compound: bool = Field(default=True, description="compound (true) or simple (false) change")
    indexing: Indexing = "elapsed"

    _rate = field_validator("rate")(_above_minus_one)


class HoldParameters(RuleParameters):
    pass


class TwoPhaseParameters(RuleParameters):
    break_period: str = Field(description="the last period of the first phase, e.g. '2015/16'")
    rate: float = Field(description="the steady change a period after the break")
    first_rate: float | None = Field(
        default=None, description="the change a period up to the break"
    )
    step: float | None = Field(
        default=None, description="or: the total change reached by the break"
    )
    kind: Literal["compound", "linear"] = "compound"
    indexing: Indexing = "elapsed"

    @field_validator("break_period")
    @classmethod
    def _is_period(cls, value: str) -> str:
        period(value)
        return value

    @model_validator(mode="after")
    def _one_first_phase(self) -> TwoPhaseParameters:
        if (self.first_rate is None) == (self.step is None):
            raise ValueError("give exactly one of first_rate or step")
        if self.kind == "compound":
            for name in ("rate", "first_rate", "step"):
                value = getattr(self, name)
                if value is not None and not value > -1:
                    raise ValueError(f"{name} must be > -1 for kind 'compound', got {value!r}")
        return self


def _compound(r: FloatArray, k: FloatArray, n: FloatArray, b: FloatArray) -> FloatArray:
    with np.errstate(over="ignore", invalid="ignore"):
        return np.asarray(b * (1.0 + r) ** k)


def _compound_rate(v: FloatArray, k: FloatArray, n: FloatArray, b: FloatArray) -> FloatArray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.asarray((v / b) ** (1.0 / k) - 1.0)


def _simple(r: FloatArray, k: FloatArray, n: FloatArray, b: FloatArray) -> FloatArray:
    return np.asarray(b * (1.0 + r * k))


def _simple_rate(v: FloatArray, k: FloatArray, n: FloatArray, b: FloatArray) -> FloatArray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.asarray((v / b - 1.0) / k)


def _held(p: FloatArray, k: FloatArray, n: FloatArray, b: FloatArray) -> FloatArray:
    return np.asarray(np.broadcast_to(b, np.broadcast_shapes(np.shape(b), np.shape(k))))


def _step_compound(s: FloatArray, k: FloatArray, n: FloatArray, b: FloatArray) -> FloatArray:
    with np.errstate(over="ignore", invalid="ignore"):
        return np.asarray(b * (1.0 + s) ** (k / n))


def _step_compound_inverse(
    v: FloatArray, k: FloatArray, n: FloatArray, b: FloatArray
) -> FloatArray:
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return np.asarray((v / b) ** (n / k) - 1.0)


def _linear_rate(r: FloatArray, k: FloatArray, n: FloatArray, b: FloatArray) -> FloatArray:
    return np.asarray(b + r * k)


def _linear_rate_inverse(v: FloatArray, k: FloatArray, n: FloatArray, b: FloatArray) -> FloatArray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.asarray((v - b) / k)


def _linear_step(s: FloatArray, k: FloatArray, n: FloatArray, b: FloatArray) -> FloatArray:
    return np.asarray(b + s * k / n)


def _linear_step_inverse(v: FloatArray, k: FloatArray, n: FloatArray, b: FloatArray) -> FloatArray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.asarray((v - b) * n / k)


_STEADY_COMPOUND = AuditForm(
    "compound", "rate", {}, _compound, _compound_rate, (-1.0, np.inf), percent=True
)
_STEADY_LINEAR = AuditForm("linear", "rate", {}, _linear_rate, _linear_rate_inverse)
_TWO_PHASE_FORMS = (
    AuditForm(
        "compound, first rate",
        "first_rate",
        {"kind": "compound"},
        _compound,
        _compound_rate,
        (-1.0, np.inf),
        percent=True,
        then=_STEADY_COMPOUND,
    ),
    AuditForm(
        "compound, step",
        "step",
        {"kind": "compound"},
        _step_compound,
        _step_compound_inverse,
        (-1.0, np.inf),
        percent=True,
        then=_STEADY_COMPOUND,
    ),
    AuditForm(
        "linear, first rate",
        "first_rate",
        {"kind": "linear"},
        _linear_rate,
        _linear_rate_inverse,
        then=_STEADY_LINEAR,
    ),
    AuditForm(
        "linear, step",
        "step",
        {"kind": "linear"},
        _linear_step,
        _linear_step_inverse,
        then=_STEADY_LINEAR,
    ),
)


def _rates(st: Any, start: Period, end: Period) -> Any:
    return st.fixed_dictionaries(
        {"rate": st.floats(min_value=-0.14, max_value=0.3), "compound": st.booleans()}
    )


def _nothing_to_set(st: Any, start: Period, end: Period) -> Any:
    return st.just({})


def _two_phase_example(st: Any, start: Period, end: Period) -> Any:
    _, chosen, _, _, _ = timeline(start, None, end, "elapsed")
    if len(chosen) < 2:
        return st.nothing()
    first = st.one_of(
        st.fixed_dictionaries({"first_rate": st.floats(min_value=-0.14, max_value=0.3)}),
        st.fixed_dictionaries({"step": st.floats(min_value=-0.5, max_value=0.5)}),
    )
    common = st.fixed_dictionaries(
        {
            "break_period": st.sampled_from([str(p) for p in chosen[:-1]]),
            "rate": st.floats(min_value=-0.14, max_value=0.3),
            "kind": st.just("compound"),
        }
    )
    return st.tuples(common, first).map(lambda pair: {**pair[0], **pair[1]})


def _describe_percentage_change(t: Trajectory) -> str:
    p, per = t.rule.parameters, w.per(t)
    if p.get("compound", True):
        return (
            f"{w.change(p['rate'], per)}, compounded, from the {t.start} baseline to {t.end}"
            f"{w.indexing(t)}"
        )
    return (
        f"{w.change(p['rate'], per)} of the {t.start} baseline (simple, not compounded) to "
        f"{t.end}{w.indexing(t)}"
    )


def _describe_hold(t: Trajectory) -> str:
    return f"hold the {t.start} baseline in every {w.per(t).split()[-1]} to {t.end} (no change planned)"


def _describe_two_phase(t: Trajectory) -> str:
    p, per = t.rule.parameters, w.per(t)
    brk = p.get("break_period", "")
    linear = p.get("kind") == "linear"

    def absolute(v: float) -> str:
        return w.format_value(abs(v), t.unit, t.ndigits)

    def change(value: Any) -> str:
        return w.change(value, per, absolute if linear else None)

    if p.get("step") is not None:
        low, _ = w.scalar_or_range(p["step"])
        size = absolute(low) if linear else w.percent(low)
        word = "fall" if low < 0 else "rise"
        first = f"a {word} of {size} in all by {brk}" if low != 0 else f"no change to {brk}"
    else:
        first = f"{change(p['first_rate'])} to {brk}"
    how = "in absolute steps" if linear else "compounded"
    return (
        f"from the {t.start} baseline, {first}, then {change(p['rate'])} to {t.end}, {how}"
        f"{w.indexing(t)}"
    )


RULES = (
    RuleSpec(
        name="percentage_change",
        function=percentage_change,
        parameters=PercentageChangeParameters,
        summary='constant percentage change a period ("3.2% decline per year"), compound or simple',
        invariants=ALL_INVARIANTS,
        audit=(
            AuditForm(
                "compound",
                "rate",
                {"compound": True},
                _compound,
                _compound_rate,
                (-1.0, np.inf),
                percent=True,
            ),
            AuditForm(
                "simple",
                "rate",
                {"compound": False},
                _simple,
                _simple_rate,
                (-1.0, np.inf),
                percent=True,
            ),
        ),
        example=_rates,
        describe=_describe_percentage_change,
    ),
    RuleSpec(
        name="hold",
        function=hold,
        parameters=HoldParameters,
        summary='hold the baseline in every period ("maintain the rate")',
        invariants=ALL_INVARIANTS,
        audit=(AuditForm("hold", None, {}, _held),),
        example=_nothing_to_set,
        describe=_describe_hold,
    ),
    RuleSpec(
        name="two_phase",
        function=two_phase,
        parameters=TwoPhaseParameters,
        summary="a first phase (a step or its own rate) up to a break period, then a steady rate",
        invariants=frozenset({"reaches_target", "scale_equivariant"}),
        audit=_TWO_PHASE_FORMS,
        example=_two_phase_example,
        describe=_describe_two_phase,
    ),
)
