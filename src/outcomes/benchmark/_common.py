"""Shared helpers of the benchmarking methods: validated arrays, broadcasting that names the
fields, text results from codes."""

from __future__ import annotations

import enum
import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from outcomes._arrays import FloatArray, _shown, as_float_array
from outcomes.errors import ScoringError

TextResult = npt.NDArray[np.str_]

# --------------------------------------------------------------------------------------------
# Shared validation
# --------------------------------------------------------------------------------------------


def _array(value: Any, name: str) -> FloatArray:
    """Numbers (NaN = missing) as a float array; infinities and text raise, naming ``name``."""
    return as_float_array(value, name, error=ScoringError, finite=False)


def _broadcast(named: Mapping[str, FloatArray]) -> list[FloatArray]:
    """Broadcast the arrays together; a mismatch names both fields and both shapes."""
    try:
        return [np.asarray(a) for a in np.broadcast_arrays(*named.values())]
    except ValueError:
        seen: list[tuple[str, tuple[int, ...]]] = []
        for name, array in named.items():
            for other, shape in seen:
                try:
                    np.broadcast_shapes(shape, array.shape)
                except ValueError:
                    raise ScoringError(
                        f"{name} has shape {array.shape} and {other} has shape {shape}: "
                        "they do not broadcast together"
                    ) from None
            seen.append((name, array.shape))
        shapes = ", ".join(f"{n} {s}" for n, s in seen)
        raise ScoringError(f"the inputs do not broadcast together: {shapes}") from None


def _positive(value: Any, name: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        raise ScoringError(f"{name} must be a positive number, got {_shown(value)}") from None
    if not (math.isfinite(number) and number > 0):
        raise ScoringError(f"{name} must be a positive number, got {_shown(value)}")
    return number


def _ordered(lower: FloatArray, upper: FloatArray, names: tuple[str, str]) -> None:
    with np.errstate(invalid="ignore"):
        bad = lower > upper
    if bad.any():
        where = tuple(int(i) for i in np.argwhere(bad)[0]) if bad.ndim else ()
        lo, hi = float(lower[where]), float(upper[where])
        at = f" at index {where}" if where else ""
        raise ScoringError(f"{names[0]} must be <= {names[1]}, got {lo!r} > {hi!r}{at}")


def _text(
    kind: type[enum.StrEnum], table: Sequence[str], codes: npt.NDArray[np.int8], scalar: bool
) -> Any:
    """Text of ``table[code]`` per cell; a scalar input gives the enum member."""
    out = np.asarray(table)[codes]
    return kind(out.item()) if scalar else out
