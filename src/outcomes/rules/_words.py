"""Rules in words: the phrases each rule's ``describe`` builds its sentence from.

A sentence is built from a trajectory's recorded rule name and parameters, so it says what was
computed, not what was meant: "a 3.2% fall a year, compounded, from the 2013 baseline to
2018/19". Each registered rule declares its own sentence (:attr:`RuleSpec.describe`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from outcomes.periods import Month, Quarter
from outcomes.trajectory import Trajectory
from outcomes.units import format_value as format_value

_NUMBERS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five"}
_BANDS = {2: "half", 3: "tertile", 4: "quartile", 5: "quintile", 10: "decile"}


def per(trajectory: Trajectory) -> str:
    p = trajectory.periods[0] if trajectory.periods else trajectory.end
    if isinstance(p, Month):
        return "a month"
    if isinstance(p, Quarter):
        return "a quarter"
    return "a year"


def scalar_or_range(value: Any) -> tuple[float, float]:
    array = np.asarray(value, dtype=np.float64).reshape(-1)
    return float(array.min()), float(array.max())


def percent(value: float) -> str:
    return f"{abs(value) * 100:.4g}%"


def change(rate: Any, per: str, absolute: Callable[[float], str] | None = None) -> str:
    """'a 3.2% fall a year', 'a rise of 4.0 per 100 patients a year' (``absolute`` formats a
    change in the measure's unit), or a range when the organisations differ."""
    size = absolute if absolute is not None else percent
    low, high = scalar_or_range(rate)
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


def profile(profile: Any) -> str:
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


def value_or_range(value: Any, t: Trajectory) -> str:
    low, high = scalar_or_range(value)
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


def bounds_words(bounds: Any, t: Trajectory) -> str:
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


def indexing(t: Trajectory) -> str:
    if t.indexing == "plan-year":
        return "; steps are counted by plan year (the first target is one step from the baseline)"
    return ""


def number(n: int) -> str:
    """'one' to 'five', then digits."""
    return _NUMBERS.get(int(n), str(int(n)))
