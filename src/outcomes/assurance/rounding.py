"""The ways a printed table rounds its numbers, as vectorised functions of an array and a scale
(``10 ** ndigits``, per row), and the interval of unrounded values that print as a given cell.

Plans were typed by hand: most round half up (as Excel's ROUND does), some half to even (as
Python and numpy do), a few half down, and some simply cut the digits off (truncate).
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from outcomes._arrays import FloatArray

__all__ = ["ROUNDINGS", "Rounding", "preimage", "rounded"]

Rounding = Literal["half_up", "half_even", "half_down", "truncate"]
#: In order of preference when two roundings explain a row equally well.
ROUNDINGS: tuple[Rounding, ...] = ("half_up", "half_even", "half_down", "truncate")


def rounded(mode: str, values: FloatArray, scale: FloatArray) -> FloatArray:
    """``values`` rounded to ``1 / scale`` by ``mode``; a few units in the last place count as the
    half (or the whole) they were typed as, so 2.675 rounds half up to 2.68.

    >>> rounded("half_even", np.array([2.5, 3.5, 2.675]), np.array([1.0, 1.0, 100.0])).tolist()
    [2.0, 4.0, 2.68]
    >>> rounded("truncate", np.array([7.99, 2.9999999999999996]), np.array(1.0)).tolist()
    [7.0, 3.0]
    """
    t = values * scale
    a = np.abs(t)
    whole = np.floor(a)
    frac = a - whole
    eps = 8 * np.spacing(np.maximum(a, 1.0))
    if mode == "half_up":
        up = frac >= 0.5 - eps
    elif mode == "half_down":
        up = frac > 0.5 + eps
    elif mode == "half_even":
        half = np.abs(frac - 0.5) <= eps
        up = (frac > 0.5 + eps) | (half & (np.fmod(whole, 2.0) == 1.0))
    elif mode == "truncate":
        up = frac >= 1.0 - eps
    else:
        raise ValueError(f"unknown rounding {mode!r}")
    with np.errstate(invalid="ignore"):
        return np.asarray(np.copysign(whole + up, t) / scale, dtype=np.float64)


def preimage(mode: str, printed: FloatArray, scale: FloatArray) -> tuple[FloatArray, FloatArray]:
    """The closed interval of unrounded values that ``mode`` prints as ``printed`` (its ends may
    or may not print so: the fit checks the value it picks).

    >>> [x.tolist() for x in preimage("truncate", np.array([5.9]), np.array(10.0))]
    [[5.9], [6.0]]
    """
    unit = 1.0 / scale
    if mode == "truncate":
        return printed, printed + unit
    return printed - unit / 2, printed + unit / 2
