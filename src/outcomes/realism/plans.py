"""Realism of a planned trajectory: the plan's yearly change against what peers actually achieved,
and each organisation's probability of meeting each of its targets.

This joins :func:`~outcomes.realism.achievability` and :func:`~outcomes.realism.forecast` to a
:class:`~outcomes.trajectory.Trajectory`; the workflow calls it for every measure of a plan that
has a history, and the tables, the report and the CLI print its sentence::

    planned −3.2%/yr: achieved by 40% of CCG-years in 2009–2014 (<1% once sampling noise is
    removed); probability of meeting 2018/19: 37%
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict

from outcomes._arrays import FloatArray, as_float_array
from outcomes._fields import ArrayField, PolarityField, TextArray, same_fields
from outcomes.errors import ScoringError
from outcomes.periods import CalendarYear, FinancialYear, Period, period
from outcomes.polarity import Polarity
from outcomes.realism.model import RealismModel, forecast
from outcomes.realism.shares import Achievability, achievability
from outcomes.stats.changes import Kind, RealismNote, _kind
from outcomes.trajectory import Trajectory
from outcomes.units import format_value, unit

__all__ = ["NOTE_WORDS", "Realism", "trajectory_realism"]

#: What each note beside a missing probability (or plan) means, in words.
NOTE_WORDS: dict[str, str] = {
    RealismNote.NO_HISTORY.value: "no history for this organisation",
    RealismNote.NO_TARGET.value: "no target",
    RealismNote.NOT_AFTER_HISTORY.value: "not computed (the target is not after the history)",
    RealismNote.NOT_WHOLE_STEPS.value: "not computed (the target is not a whole number of the "
    "history's periods after its end)",
    RealismNote.NO_PLAN.value: "not computed (no relative change from a baseline or target of 0)",
    RealismNote.NO_CHANGES.value: "not computed (no change in the history)",
}


def _yearly(p: Period) -> bool:
    return isinstance(p, FinancialYear | CalendarYear)


def _months_between_ends(a: Period, b: Period) -> int:
    return (b.end.year - a.end.year) * 12 + b.end.month - a.end.month


def _years(start: Period, end: Period) -> float:
    """Years from ``start`` to ``end``: by start year between years (calendar 2013 to 2018/19 is
    5, as the rules count elapsed years), else by the months between their ends."""
    if _yearly(start) and _yearly(end):
        return float(start.years_until(end))
    return _months_between_ends(start, end) / 12.0


def _steps(last: Period, target: Period) -> float:
    """History periods (of ``last``'s length) from the history's last period to ``target``."""
    if _yearly(last) and _yearly(target):
        return float(last.years_until(target))
    return _months_between_ends(last, target) / last.months


def _percent(share: float) -> str:
    """A share as a whole percentage; never rounds a small non-zero share to 0% or 100%."""
    if not np.isfinite(share):
        return "not computed"
    if 0.0 < share < 0.005:
        return "<1%"
    if 0.995 < share < 1.0:
        return ">99%"
    return f"{share:.0%}"


def _signed(text: str, value: float) -> str:
    if text.strip("0.") == "":
        return text
    return ("−" if value < 0 else "+") + text


class Realism(BaseModel):
    """How realistic one measure's planned trajectory is, for every organisation of the plan.

    ``planned_change`` is each organisation's change a year from its baseline to its final
    target (relative: ``-0.032`` is a 3.2% fall a year, compounded). ``achievability`` says
    how often the history's areas achieved it over a year (``share``, and ``share_adjusted``
    when the history has confidence limits). ``probability`` (organisations x target periods)
    is the chance of meeting each target, from the organisation's own row of the history
    (:func:`~outcomes.realism.forecast`); ``median``, ``lower`` and ``upper`` are the forecast's
    median and 80% range. ``NaN`` only beside a ``note``: ``NO_HISTORY`` (the organisation is
    not in the history), ``NOT_AFTER_HISTORY``, ``NOT_WHOLE_STEPS`` or ``NO_TARGET``.
    """

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    measure: str | None
    unit: str | None
    polarity: PolarityField
    kind: Kind
    organisations: tuple[str, ...]
    organisation_names: tuple[str, ...]
    area_word: str
    source: str
    history_areas: int
    history_periods: tuple[str, ...]
    steps_per_year: int
    baseline_period: str
    target_periods: tuple[str, ...]
    years: float
    planned_change: ArrayField
    achievability: Achievability
    horizons: ArrayField
    targets: ArrayField
    probability: ArrayField
    median: ArrayField
    lower: ArrayField
    upper: ArrayField
    note: TextArray
    model: RealismModel | None = None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Realism):
            return NotImplemented
        return same_fields(self, other)

    def __hash__(self) -> int:
        return hash((self.measure, self.organisations, self.target_periods))

    @property
    def span(self) -> str:
        """The history's first and last periods, e.g. ``'2009–2014'``."""
        first, last = self.history_periods[0], self.history_periods[-1]
        return first if first == last else f"{first}–{last}"

    def _row(self, organisation: int | str) -> int:
        if isinstance(organisation, str):
            if organisation not in self.organisations:
                raise ScoringError(
                    f"organisation {organisation!r} is not in this plan; it has "
                    f"{', '.join(self.organisations)}"
                )
            return self.organisations.index(organisation)
        row = int(organisation)
        if not 0 <= row < len(self.organisations):
            raise ScoringError(
                f"organisation index {row} is outside 0..{len(self.organisations) - 1}"
            )
        return row

    def planned_words(self, organisation: int | str = 0) -> str:
        """The plan's change a year, e.g. ``'−3.2%/yr'``."""
        value = float(self.planned_change[self._row(organisation)])
        if not np.isfinite(value):
            return "not computed"
        if self.kind == "relative":
            return _signed(f"{abs(value) * 100:.1f}", value) + "%/yr"
        label = unit(self.unit).label if self.unit else ""
        if label == "%":
            return _signed(f"{abs(value):.2g}", value) + " percentage points/yr"
        return _signed(format_value(abs(value), self.unit, 2), value) + "/yr"

    def sentence(self, organisation: int | str = 0, period: str | None = None) -> str:
        """The realism of one organisation's plan in one sentence (the final target by default).

        >>> import numpy as np
        >>> from outcomes import percentage_change
        >>> rng = np.random.default_rng(1)
        >>> history = 2000 * np.exp(np.cumsum(rng.normal(-0.01, 0.03, (40, 6)), axis=1))
        >>> plan = percentage_change([float(history[0, -1])], -0.032, start="2014", end="2018/19",
        ...                          polarity="lower").with_organisations(["A00"])
        >>> codes = [f"A{i:02d}" for i in range(40)]
        >>> r = trajectory_realism(plan, history, areas=codes,
        ...                        periods=[str(y) for y in range(2009, 2015)], area_word="CCG")
        >>> r.sentence("A00")
        'planned −3.2%/yr: achieved by 24% of CCG-years in 2009–2014; probability of meeting 2018/19: 15%'
        """
        row = self._row(organisation)
        j = len(self.target_periods) - 1 if period is None else self._column(period)
        text = f"planned {self.planned_words(row)}: "
        share = float(np.atleast_1d(self.achievability.share)[row])
        if np.isfinite(share):
            text += f"achieved by {_percent(share)} of {self.area_word}-years in {self.span}"
            if self.achievability.share_adjusted is not None:
                adjusted = float(np.atleast_1d(self.achievability.share_adjusted)[row])
                text += f" ({_percent(adjusted)} once sampling noise is removed)"
        else:
            note = str(np.atleast_1d(self.achievability.note)[row])
            text += f"achieved by peers: {NOTE_WORDS.get(note, note)}"
        p = float(self.probability[row, j])
        note = str(self.note[row, j])
        shown = _percent(p) if np.isfinite(p) else NOTE_WORDS.get(note, note)
        return f"{text}; probability of meeting {self.target_periods[j]}: {shown}"

    def _column(self, which: str) -> int:
        label = str(period(which))
        if label not in self.target_periods:
            raise ScoringError(
                f"period {which!r} is not a target period; they are {', '.join(self.target_periods)}"
            )
        return self.target_periods.index(label)

    def sentences(self) -> tuple[str, ...]:
        """One sentence per organisation (its final target)."""
        return tuple(self.sentence(i) for i in range(len(self.organisations)))

    def to_frame(self, *, measure_name: str | None = None) -> Any:
        """One row per organisation and target period, tidy (extra ``pandas``); see
        :func:`outcomes.frames.realism_frame`."""
        from outcomes.frames import realism_frame

        return realism_frame(self, measure_name=measure_name)

    def records(self) -> list[dict[str, Any]]:
        """Tidy rows, one per organisation and target period (what the tables write)."""
        out = []
        a = self.achievability
        share = np.atleast_1d(a.share)
        adjusted = None if a.share_adjusted is None else np.atleast_1d(a.share_adjusted)
        percentile = np.atleast_1d(a.percentile)
        for i, code in enumerate(self.organisations):
            sentence = self.sentence(i)
            for j, p in enumerate(self.target_periods):
                out.append(
                    {
                        "organisation": code,
                        "organisation_name": self.organisation_names[i],
                        "planned_change": float(self.planned_change[i]),
                        "years": self.years,
                        "share": float(share[i]),
                        "share_adjusted": None if adjusted is None else float(adjusted[i]),
                        "percentile": float(percentile[i]),
                        "changes": a.n,
                        "period": p,
                        "horizon": float(self.horizons[j]),
                        "target": float(self.targets[i, j]),
                        "probability": float(self.probability[i, j]),
                        "median": float(self.median[i, j]),
                        "lower": float(self.lower[i, j]),
                        "upper": float(self.upper[i, j]),
                        "note": str(self.note[i, j]),
                        "sentence": sentence,
                    }
                )
        return out

    def __str__(self) -> str:
        many = len(self.organisations) > 1
        return "\n".join(
            (f"{code}: " if many else "") + s
            for code, s in zip(self.organisations, self.sentences(), strict=True)
        )


def _history_periods(periods: Sequence[str | Period], count: int) -> tuple[Period, ...]:
    labels = [period(p) for p in periods]
    if len(labels) != count:
        raise ScoringError(f"periods has {len(labels)} labels, history has {count} periods")
    if not labels:
        raise ScoringError("history has no periods")
    for a, b in itertools.pairwise(labels):
        if type(a) is not type(b) or a.shift(1) != b:
            raise ScoringError(
                f"history periods must be consecutive periods of one kind, got {str(a)!r} "
                f"then {str(b)!r} (insert the missing periods as missing values)"
            )
    months = labels[0].months
    if months > 12 or 12 % months:
        raise ScoringError(f"history periods must be years, quarters or months, got {labels[0]}")
    return tuple(labels)


def _planned_change(trajectory: Trajectory, years: float, kind: Kind) -> FloatArray:
    base = trajectory.baseline.reshape(-1).astype(np.float64)
    final = trajectory.values.reshape(-1, len(trajectory.periods))[:, -1]
    if kind == "absolute":
        return np.asarray((final - base) / years, dtype=np.float64)
    ok = (base > 0) & (final > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(ok, final / np.where(ok, base, 1.0), np.nan)
        return np.asarray(np.expm1(np.log(ratio) / years), dtype=np.float64)


def trajectory_realism(
    trajectory: Trajectory,
    history: npt.ArrayLike,
    *,
    areas: Sequence[str],
    periods: Sequence[str | Period],
    lower: npt.ArrayLike | None = None,
    upper: npt.ArrayLike | None = None,
    kind: Kind = "relative",
    confidence: float = 0.95,
    area_word: str = "area",
    source: str = "given values",
) -> Realism:
    """How realistic a planned trajectory is: its change a year against what the history's areas
    achieved, and each organisation's probability of meeting each target.

    For each organisation ``i`` with baseline ``b_i`` (period ``s``) and final target ``v_i``
    (period ``e``), ``Y`` years apart (by start year between years, as the rules count elapsed
    years; else months / 12)::

        planned change a year  p_i = (v_i / b_i)^(1 / Y) - 1      (kind="relative")
                               p_i = (v_i - b_i) / Y              (kind="absolute")

    ``achievability(p, history, horizon=periods in a year)``: the share of the history's
    one-year changes at least as good as ``p_i``. For each target period ``t`` that is a whole
    number ``h`` of history periods after the history's last, the organisation's probability
    of meeting its target is :func:`~outcomes.realism.forecast`'s, from its own row of the
    history (found by its code in ``areas``), so it equals
    ``probability(history, targets, horizon=h)`` for that row. An organisation whose code is
    not in ``areas`` has no probability (note ``NO_HISTORY``): its own record is unknown, and
    nothing is borrowed from its baseline.

    Parameters
    ----------
    trajectory : Trajectory
        The plan (as published, for probabilities of meeting published targets); its
        organisation codes are looked up in ``areas``.
    history : array_like
        Areas x equally spaced periods (``NaN`` = missing), as for
        :func:`~outcomes.realism.achievability`.
    areas : sequence of str
        The code of each row of ``history``.
    periods : sequence of str or Period
        The label of each column (consecutive years, quarters or months).
    lower, upper : array_like, optional
        Published confidence limits of ``history`` (same shape).
    kind : {"relative", "absolute"}
        Changes in proportion (default) or in the measure's unit.
    confidence : float
        Confidence level of the limits.
    area_word : str
        What the history's areas are called in the sentence ("CCG" gives "CCG-years").
    source : str
        Where the history came from (for provenance).

    Returns
    -------
    Realism
        ``planned_change``, ``achievability``, ``probability`` and the forecast per
        organisation and target period, and :meth:`Realism.sentence`.

    Raises
    ------
    ScoringError
        A trajectory without a direction (polarity), a history whose shape does not match
        ``areas`` and ``periods``, periods that are not consecutive, repeated area codes, or
        any error of :func:`~outcomes.realism.achievability` and
        :func:`~outcomes.realism.forecast`.

    References
    ----------
    NHS England (2014) Everyone Counts: Planning for Patients 2014/15 to 2018/19 ("ambitious
    but realistic"). See :func:`~outcomes.realism.achievability` and
    :func:`~outcomes.realism.forecast` for the methods.

    Examples
    --------
    >>> import numpy as np
    >>> from outcomes import percentage_change
    >>> history = [[100.0, 97, 95, 94], [200, 196, 199, 190], [150, 150, 147, 146]]
    >>> plan = percentage_change([94.0, 120.0], -0.025, start="2014/15", end="2016/17",
    ...                          polarity="lower").with_organisations(["A", "Z"])
    >>> r = trajectory_realism(plan, history, areas=["A", "B", "C"],
    ...                        periods=["2011/12", "2012/13", "2013/14", "2014/15"])
    >>> round(float(r.planned_change[0]), 4), round(float(r.achievability.share[0]), 4)
    (-0.025, 0.2222)
    >>> r.note.tolist()
    [['OK', 'OK'], ['NO_HISTORY', 'NO_HISTORY']]
    """
    pol = trajectory.polarity
    if pol not in (Polarity.HIGHER_IS_BETTER, Polarity.LOWER_IS_BETTER):
        raise ScoringError(
            "realism needs the trajectory's polarity ('higher' or 'lower' is better), got "
            f"{pol.value if pol is not None else None!r}"
        )
    k = _kind(kind)
    values = as_float_array(history, "history", error=ScoringError, finite=False)
    if values.ndim != 2:
        raise ScoringError(f"history must be 2-D (areas x periods), got shape {values.shape}")
    codes = [str(a) for a in areas]
    if len(codes) != values.shape[0]:
        raise ScoringError(f"areas has {len(codes)} codes, history has {values.shape[0]} rows")
    if len(set(codes)) != len(codes):
        repeated = sorted({c for c in codes if codes.count(c) > 1})
        raise ScoringError(f"areas must not repeat, got {', '.join(repeated[:5])} twice")
    labels = _history_periods(periods, values.shape[1])
    steps_per_year = 12 // labels[0].months

    years = _years(trajectory.start, trajectory.periods[-1])
    planned = _planned_change(trajectory, years, k)
    a = achievability(
        planned,
        values,
        polarity=pol,
        horizon=steps_per_year,
        kind=k,
        lower=lower,
        upper=upper,
        confidence=confidence,
    )

    orgs = trajectory.organisation_labels()
    n_org, n_per = len(orgs), len(trajectory.periods)
    targets = trajectory.values.reshape(-1, n_per).astype(np.float64)
    steps = np.array([_steps(labels[-1], p) for p in trajectory.periods])
    whole = np.isclose(steps, np.round(steps))
    row_of = {code: i for i, code in enumerate(codes)}
    rows = np.array([row_of.get(code, -1) for code in orgs])

    note = np.full((n_org, n_per), RealismNote.OK.value, dtype="<U20")
    note[:, ~whole] = RealismNote.NOT_WHOLE_STEPS.value
    note[:, whole & (steps < 1)] = RealismNote.NOT_AFTER_HISTORY.value
    note[np.isnan(targets) & (note == RealismNote.OK.value)] = RealismNote.NO_TARGET.value
    note[rows < 0, :] = RealismNote.NO_HISTORY.value
    prob, median, low, high = (np.full((n_org, n_per), np.nan) for _ in range(4))
    model = None
    columns = [j for j in range(n_per) if whole[j] and steps[j] >= 1]
    if columns and (rows >= 0).any():
        horizons = tuple(sorted({round(float(steps[j])) for j in columns}))
        fc = forecast(
            values, horizons=horizons, kind=k, lower=lower, upper=upper, confidence=confidence
        )
        model = fc.model
        no_row = fc.note != RealismNote.OK.value
        mid, q10, q90 = fc.median(), fc.quantile(0.1), fc.quantile(0.9)
        have = np.flatnonzero(rows >= 0)
        for j in columns:
            h = round(float(steps[j]))
            col = horizons.index(h)
            wanted = np.full(values.shape[0], np.nan)
            wanted[rows[have]] = targets[have, j]
            p = fc.probability(wanted, polarity=pol, horizon=h)
            prob[have, j] = p[rows[have]]
            median[have, j] = mid[rows[have], col]
            low[have, j] = q10[rows[have], col]
            high[have, j] = q90[rows[have], col]
        empty = have[no_row[rows[have]]]
        note[empty, :] = RealismNote.NO_HISTORY.value
        bad = note != RealismNote.OK.value
        for arr in (prob, median, low, high):
            arr[bad] = np.nan
    names = trajectory.organisation_names or ("",) * n_org
    return Realism(
        measure=trajectory.measure,
        unit=trajectory.unit,
        polarity=pol,
        kind=k,
        organisations=tuple(orgs),
        organisation_names=tuple(names),
        area_word=area_word,
        source=source,
        history_areas=values.shape[0],
        history_periods=tuple(str(p) for p in labels),
        steps_per_year=steps_per_year,
        baseline_period=str(trajectory.start),
        target_periods=tuple(str(p) for p in trajectory.periods),
        years=years,
        planned_change=planned,
        achievability=a,
        horizons=steps,
        targets=targets,
        probability=prob,
        median=median,
        lower=low,
        upper=high,
        note=note,
        model=model,
    )
