"""Array helpers shared by the numeric modules (validation, half-up rounding)."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from outcomes.errors import OutcomesError

FloatArray = npt.NDArray[np.float64]


def as_float_array(
    value: Any,
    name: str,
    *,
    error: type[OutcomesError],
    finite: bool = True,
    nonnegative: bool = False,
) -> FloatArray:
    """``value`` as a float array; raise ``error`` naming ``name`` and the bad value."""
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise error(f"{name} must be numbers, got {value!r}") from None
    if finite:
        bad = ~np.isfinite(array)
        if bad.any():
            first = array[bad].flat[0] if array.ndim else array
            where = f" at index {tuple(int(i) for i in np.argwhere(bad)[0])}" if array.ndim else ""
            raise error(f"{name} must be finite, got {float(first)!r}{where}")
    if nonnegative and (array < 0).any():
        first = array[array < 0].flat[0] if array.ndim else array
        raise error(f"{name} must be >= 0, got {float(first)!r}")
    return array


def round_half_up(values: Any, ndigits: int = 0) -> Any:
    """Round half away from zero to ``ndigits`` places, as Excel's ROUND and the NHS tables do.

    Python's ``round`` and numpy's ``around`` round half to even (2.5 -> 2); published tables
    round half up (2.5 -> 3). A tolerance of a few units in the last place treats a binary
    representation just below a half (2.675 is stored as 2.67499999...) as the half it was typed as.

    >>> round_half_up(2.5), round_half_up(2.675, 2), round_half_up(-1.5)
    (3.0, 2.68, -2.0)
    """
    array = np.asarray(values, dtype=np.float64)
    scale = 10.0**ndigits
    scaled = np.abs(array) * scale
    floor = np.floor(scaled)
    fraction = scaled - floor
    up = fraction >= 0.5 - 8 * np.spacing(np.maximum(scaled, 1.0))
    result = np.copysign((floor + up) / scale, array)
    return float(result) if result.ndim == 0 else result
