"""Results in plain English: a trajectory's rule, a confidence verdict, a position among peers.

The report says what the numbers mean in words an assurance team reads aloud: "a 3.2% fall a
year, compounded, from the 2013 baseline to 2018/19", "missed, beyond reasonable doubt",
"worst quartile of 14 peers". Each sentence is built from the rule's recorded name and
parameters (:attr:`Trajectory.rule`), so it says what was computed, not what was meant.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from outcomes._arrays import round_half_up
from outcomes.periods import Month, Quarter
from outcomes.polarity import Polarity
from outcomes.trajectory import Trajectory
from outcomes.units import unit

__all__ = [
    "RAG_WORDS",
    "VERDICT_WORDS",
    "band_name",
    "describe_rule",
    "direction",
    "format_value",
    "peer_position",
    "rag_words",
    "verdict_words",
]

#: What each RAG rating means, in words.
RAG_WORDS: dict[str, str] = {
    "GREEN": "met the target",
    "AMBER": "missed, within tolerance",
    "RED": "missed the target",
    "GREY": "actual not yet available",
}

#: What each confidence verdict means, in words.
VERDICT_WORDS: dict[str, str] = {
    "MET_WITH_CONFIDENCE": "met, beyond reasonable doubt (the whole interval is on the good side)",
    "NOT_MET_WITH_CONFIDENCE": "missed, beyond reasonable doubt (the whole interval is on the "
    "bad side)",
    "NOT_DISTINGUISHABLE": "too close to call (the interval includes the target)",
    "NOT_AVAILABLE": "no actual yet",
    "NO_INTERVAL": "no confidence interval given",
}

_NUMBERS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five"}
_BANDS = {2: "half", 3: "tertile", 4: "quartile", 5: "quintile", 10: "decile"}
_ORDINALS = {1: "best", 2: "2nd", 3: "3rd"}


def format_value(value: float, unit_id: str | None = None, ndigits: int | None = None) -> str:
    """A value as a reader sees it: thousands separators, the measure's precision, its unit.

    >>> format_value(667.4321, "per_100000", 1)
    '667.4 per 100,000 population'
    >>> format_value(84.0, "percent"), format_value(1234.5, "gbp"), format_value(0.125, "count", 2)
    ('84.0%', '£1,234.50', '0.13')
    >>> format_value(79.0, "eq5d_x100", 0)
    '79 (EQ-5D index score x 100)'

    """
    spec = unit(unit_id) if unit_id is not None else None
    digits = ndigits if ndigits is not None else (spec.ndigits if spec is not None else 1)
    number = f"{float(round_half_up(value, digits)):,.{digits}f}"  # half-up, as published
    if spec is None or spec.kind in ("count", "none"):
        return number
    if spec.label == "%":
        return f"{number}%"
    if spec.kind == "money" and spec.label.startswith("£"):
        return f"£{number}{spec.label[1:]}"
    if spec.kind in ("score", "proportion", "ratio"):
        return f"{number} ({spec.label})"
    return f"{number} {spec.label}"


def _per(trajectory: Trajectory) -> str:
    p = trajectory.periods[0] if trajectory.periods else trajectory.end
    if isinstance(p, Month):
        return "a month"
    if isinstance(p, Quarter):
        return "a quarter"
    return "a year"


def _scalar_or_range(value: Any) -> tuple[float, float]:
    array = np.asarray(value, dtype=np.float64).reshape(-1)
    return float(array.min()), float(array.max())


def _percent(value: float) -> str:
    return f"{abs(value) * 100:.4g}%"


def _change(rate: Any, per: str, absolute: Callable[[float], str] | None = None) -> str:
    """'a 3.2% fall a year', 'a rise of 4.0 per 100 patients a year' (``absolute`` formats a
    change in the measure's unit), or a range when the organisations differ."""
    size = absolute if absolute is not None else _percent
    low, high = _scalar_or_range(rate)
    if low == high:
        if low == 0:
            return f"no change {per}"
        word = "fall" if low < 0 else "rise"
        if absolute is not None:
            return f"a {word} of {size(low)} {per}"
        return f"a {size(low)} {word} {per}"
    if high <= 0:
        return f"a fall of {size(high)} to {size(low)} {per} (by organisation)"
    if low >= 0:
        return f"a rise of {size(low)} to {size(high)} {per} (by organisation)"
    return f"a change of -{size(low)} to +{size(high)} {per} (by organisation)"


def _profile(profile: Any) -> str:
    if profile in (None, "linear"):
        return "in equal steps"
    if profile == "geometric":
        return "in equal percentage steps"
    if profile == "front-loaded":
        return "with most of the change early (front-loaded)"
    if profile == "back-loaded":
        return "with most of the change late (back-loaded)"
    if isinstance(profile, Sequence) and not isinstance(profile, str):
        shares = ", ".join(f"{float(s):.0%}" for s in profile)
        return f"along a set profile ({shares} of the change by each period)"
    return f"along the {profile} profile"


def _value_or_range(value: Any, t: Trajectory) -> str:
    low, high = _scalar_or_range(value)
    if low == high:
        return format_value(low, t.unit, t.ndigits)
    return (
        f"each organisation's own value ({format_value(low, t.unit, t.ndigits)} to "
        f"{format_value(high, t.unit, t.ndigits)})"
    )


def band_name(quantiles: int) -> str:
    """The name of one band of ``quantiles`` equal shares: quartile, quintile, decile.

    >>> band_name(4), band_name(5), band_name(7)
    ('quartile', 'quintile', '1/7 band')
    """
    return _BANDS.get(int(quantiles), f"1/{int(quantiles)} band")


def _bounds_words(bounds: Any, t: Trajectory) -> str:
    array = np.asarray(bounds, dtype=np.float64)
    if array.ndim != 1 or array.size < 3:
        return ""
    k = array.size - 1
    names = (
        ["Q1", "median", "Q3"] if k == 4 else [f"{100 * i / k:g}th centile" for i in range(1, k)]
    )
    inner = ", ".join(
        f"{name} {float(v):,.10g}" for name, v in zip(names, array[1:-1], strict=True)
    )
    return f" (peers' {inner})"


def _indexing(t: Trajectory) -> str:
    if t.indexing == "plan-year":
        return "; steps are counted by plan year (the first target is one step from the baseline)"
    return ""


def describe_rule(trajectory: Trajectory) -> str:
    """The rule that made a trajectory, in plain English, from its recorded name and parameters.

    Parameters
    ----------
    trajectory : Trajectory
        Any trajectory; an unknown rule is given by its name and parameters.

    Returns
    -------
    str
        One sentence without a full stop, e.g. for the report's "the rule in words".

    Examples
    --------
    >>> from outcomes import hold, percentage_change, quantile_step, reach_national, to_target
    >>> describe_rule(percentage_change(2150.4, -0.032, start="2013", end="2018/19"))
    'a 3.2% fall a year, compounded, from the 2013 baseline to 2018/19'
    >>> describe_rule(to_target(702.5, 667.4, start="2013/14", end="2015/16", unit="per_100000"))
    'reach 667.4 per 100,000 population by 2015/16 from the 2013/14 baseline, in equal steps'
    >>> describe_rule(reach_national(78.4, 82.1, polarity="higher", start="2013/14", end="2018/19",
    ...                              unit="percent"))  # doctest: +NORMALIZE_WHITESPACE
    'where the 2013/14 baseline is worse than the national value of 82.1%, reach it by 2018/19,
    in equal steps; otherwise hold the baseline'
    >>> print(describe_rule(quantile_step(2410.0, [1650, 1800, 1930, 2050, 2180, 2330, 2510, 2640],
    ...                                   polarity="lower", start="2012/13", end="2018/19",
    ...                                   profile="front-loaded")))  # doctest: +NORMALIZE_WHITESPACE
    move one quartile better among peers by 2018/19, to the near edge of the better quartile,
    with most of the change early (front-loaded); hold the baseline if already in the best
    quartile (peers' Q1 1,897.5, median 2,115, Q3 2,375)
    >>> describe_rule(hold(9850.0, start="2013/14", end="2015/16"))
    'hold the 2013/14 baseline in every year to 2015/16 (no change planned)'
    """
    t = trajectory
    name = t.rule.name
    p = t.rule.parameters
    per = _per(t)
    start, end = str(t.start), str(t.end)
    tail = _indexing(t)
    if name == "percentage_change":
        if p.get("compound", True):
            return (
                f"{_change(p['rate'], per)}, compounded, from the {start} baseline to {end}{tail}"
            )
        return (
            f"{_change(p['rate'], per)} of the {start} baseline (simple, not compounded) to "
            f"{end}{tail}"
        )
    if name == "hold":
        return f"hold the {start} baseline in every {per.split()[-1]} to {end} (no change planned)"
    if name == "two_phase":
        brk = p.get("break_period", "")
        linear = p.get("kind") == "linear"

        def absolute(v: float) -> str:
            return format_value(abs(v), t.unit, t.ndigits)

        def change(value: Any) -> str:
            return _change(value, per, absolute if linear else None)

        if p.get("step") is not None:
            low, _ = _scalar_or_range(p["step"])
            size = absolute(low) if linear else _percent(low)
            word = "fall" if low < 0 else "rise"
            first = f"a {word} of {size} in all by {brk}" if low != 0 else f"no change to {brk}"
        else:
            first = f"{change(p['first_rate'])} to {brk}"
        how = "in absolute steps" if linear else "compounded"
        return f"from the {start} baseline, {first}, then {change(p['rate'])} to {end}, {how}{tail}"
    if name == "to_target":
        return (
            f"reach {_value_or_range(p['target'], t)} by {end} from the {start} baseline, "
            f"{_profile(p.get('profile'))}{tail}"
        )
    if name == "reach_national":
        return (
            f"where the {start} baseline is worse than the national value of "
            f"{_value_or_range(p['national'], t)}, reach it by {end}, "
            f"{_profile(p.get('profile'))}; otherwise hold the baseline{tail}"
        )
    if name in ("quantile_step", "national_or_quantile"):
        band = band_name(p.get("quantiles", 4))
        steps = int(p.get("steps", 1))
        how_many = f"{_NUMBERS.get(steps, str(steps))} {band}{'s' if steps > 1 else ''}"
        aim = (
            f"to the middle of the {band} aimed for"
            if p.get("aim") == "middle"
            else f"to the near edge of the better {band}"
        )
        move = (
            f"move {how_many} better among peers by {end}, {aim}, {_profile(p.get('profile'))}; "
            f"hold the baseline if already in the best {band}"
        )
        bounds = _bounds_words(p.get("bounds"), t)
        if name == "quantile_step":
            return f"{move}{bounds}{tail}"
        return (
            f"where the {start} baseline is worse than the national value of "
            f"{_value_or_range(p['national'], t)}, reach it by {end}; otherwise {move}"
            f"{bounds}{tail}"
        )
    if name == "composite":
        parts = p.get("parts", [])
        return f"the sum of {len(parts)} parts' targets: " + "; ".join(str(x) for x in parts)
    return f"the rule {t.rule.describe()}"


def peer_position(
    value: float,
    peers: npt.ArrayLike | None,
    bounds: npt.ArrayLike | None,
    polarity: Polarity | None,
) -> str:
    """Where a value sits among peers, in words: its band (from the bounds) and its rank.

    The band is counted from the best (the polarity says which end is best); the rank is
    1 for the best value, ties share the better rank.

    >>> peer_position(2410.0, [1650, 1800, 1930, 2050, 2180, 2330, 2510, 2640],
    ...               [1650, 1897.5, 2115, 2392.5, 2640], Polarity.LOWER_IS_BETTER)
    'worst quartile; 7th best of 8 peers'
    >>> peer_position(float("nan"), None, [1, 2, 3, 4, 5], Polarity.LOWER_IS_BETTER)
    'no value'
    """
    if not np.isfinite(value):
        return "no value"
    parts = []
    if bounds is not None:
        edges = np.asarray(bounds, dtype=np.float64)
        if edges.ndim == 1 and edges.size >= 3:
            from outcomes.stats.quantiles import quantile_categories

            k = edges.size - 1
            category = int(quantile_categories(value, edges))  # 1 = lowest values
            higher = polarity is Polarity.HIGHER_IS_BETTER
            if polarity in (Polarity.HIGHER_IS_BETTER, Polarity.LOWER_IS_BETTER):
                from_best = k + 1 - category if higher else category
                word = "worst" if from_best == k else _ORDINALS.get(from_best, f"{from_best}th")
                parts.append(f"{word} {band_name(k)}")
            else:
                parts.append(f"{band_name(k)} {category} of {k} from the lowest")
    if peers is not None and polarity in (Polarity.HIGHER_IS_BETTER, Polarity.LOWER_IS_BETTER):
        values = np.asarray(peers, dtype=np.float64).reshape(-1)
        values = values[~np.isnan(values)]
        if values.size:
            sign = polarity.sign
            rank = int((sign * (values - value) > 0).sum()) + 1
            best = "the best" if rank == 1 else f"{_ordinal(rank)} best"
            parts.append(f"{best} of {values.size} peers")
    return "; ".join(parts) if parts else "no peers to compare with"


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def rag_words(rag: str) -> str:
    """The meaning of a RAG rating, in words."""
    return RAG_WORDS.get(rag, rag)


def verdict_words(verdict: str) -> str:
    """The meaning of a confidence verdict, in words."""
    return VERDICT_WORDS.get(verdict, verdict)


def direction(polarity: Polarity | None) -> str:
    """'lower is better', 'higher is better' or that no direction is stated."""
    if polarity is Polarity.LOWER_IS_BETTER:
        return "lower is better"
    if polarity is Polarity.HIGHER_IS_BETTER:
        return "higher is better"
    return "no better direction stated"
