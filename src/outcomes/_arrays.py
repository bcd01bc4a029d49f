"""Array helpers shared by the numeric modules: validation that names the field, broadcasting
that names the shapes, half-up rounding, and the 0-d-array-to-float rule.

Every public numeric function accepts scalars or arrays; inputs pass through
:func:`as_float_array` (typed errors for text, huge integers, non-finite values), several inputs
through :func:`broadcast` (a mismatch names both fields and both shapes), and results leave
through :func:`scalar_or_array` (a 0-d result is a Python float) after
:func:`check_finite_result` (finite input never gives a silent ``inf``).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable
from typing import Any, overload

import numpy as np
import numpy.typing as npt

from outcomes.errors import OutcomesError, close_matches

__all__ = [
    "FloatArray",
    "as_float_array",
    "as_number",
    "broadcast",
    "check_choice",
    "check_finite_result",
    "check_ndigits",
    "round_half_up",
    "scalar_or_array",
]

FloatArray = npt.NDArray[np.float64]


def _shown(value: object) -> str:
    """``repr`` of a value for a message: at most 80 characters, a huge whole number as its
    number of digits."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 10**20:
        return f"a number of about {int(abs(value).bit_length() * math.log10(2)) + 1} digits"
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def as_float_array(
    value: object,
    name: str,
    *,
    error: type[OutcomesError],
    finite: bool = True,
    nonnegative: bool = False,
) -> FloatArray:
    """``value`` as a float array; raise ``error`` naming ``name`` and the bad value.

    Text, ``None`` in place of a number, complex numbers and integers too large for a float all
    raise ``error``; so do NaN and infinities unless ``finite=False`` (then NaN means missing,
    and only infinities raise), and negative values when ``nonnegative``.

    >>> as_float_array([1, 2.5], "baseline", error=OutcomesError).tolist()
    [1.0, 2.5]
    >>> as_float_array("3", "baseline", error=OutcomesError)
    Traceback (most recent call last):
    ...
    outcomes.errors.OutcomesError: baseline must be numbers, got '3'
    >>> as_float_array(10**400, "baseline", error=OutcomesError)
    Traceback (most recent call last):
    ...
    outcomes.errors.OutcomesError: baseline must be numbers within the range of a float, got a number of 401 digits
    """
    if isinstance(value, bool | np.bool_):
        raise error(f"{name} must be numbers, got {value!r}")
    if isinstance(value, str | bytes):  # numpy would parse "3" as 3.0
        raise error(f"{name} must be numbers, got {_shown(value)}")
    try:
        array = np.asarray(value, dtype=np.float64)
    except OverflowError:
        digits = len(str(value)) if isinstance(value, numbers.Integral) else None
        got = f"a number of {digits} digits" if digits else "a number too large for a float"
        raise error(f"{name} must be numbers within the range of a float, got {got}") from None
    except (TypeError, ValueError):
        raise error(f"{name} must be numbers, got {_shown(value)}") from None
    bad = np.isinf(array) if not finite else ~np.isfinite(array)
    if bad.any():
        first = array[bad].flat[0] if array.ndim else array
        where = f" at index {tuple(int(i) for i in np.argwhere(bad)[0])}" if array.ndim else ""
        what = "finite" if finite else "finite or missing (NaN)"
        raise error(f"{name} must be {what}, got {float(first)!r}{where}")
    if nonnegative:
        negative = array < 0
        if negative.any():
            first = array[negative].flat[0] if array.ndim else array
            raise error(f"{name} must be >= 0, got {float(first)!r}")
    return array


def as_number(
    value: object,
    name: str,
    *,
    error: type[OutcomesError],
    minimum: float | None = None,
    maximum: float | None = None,
    above: float | None = None,
) -> float:
    """One finite real number (not a bool, not text, not an array) within the given bounds.

    ``minimum``/``maximum`` are inclusive, ``above`` exclusive; ``error`` names ``name`` and the
    value.

    >>> as_number(0.5, "tolerance", error=OutcomesError, minimum=0)
    0.5
    >>> as_number(-1, "per", error=OutcomesError, above=0)
    Traceback (most recent call last):
    ...
    outcomes.errors.OutcomesError: per must be > 0, got -1
    """
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real):
        raise error(f"{name} must be a number, got {_shown(value)}")
    try:
        number = float(value)
    except OverflowError:
        raise error(
            f"{name} must be a number within the range of a float, got a number of "
            f"{len(str(value))} digits"
        ) from None
    if not np.isfinite(number):
        raise error(f"{name} must be a finite number, got {number!r}")
    low = minimum is not None and number < minimum
    high = maximum is not None and number > maximum
    if (low or high) and minimum is not None and maximum is not None:
        raise error(f"{name} must be in [{minimum:g}, {maximum:g}], got {value!r}")
    if low:
        raise error(f"{name} must be >= {minimum:g}, got {value!r}")
    if high:
        raise error(f"{name} must be <= {maximum:g}, got {value!r}")
    if above is not None and number <= above:
        raise error(f"{name} must be > {above:g}, got {value!r}")
    return number


def broadcast(error: type[OutcomesError], **arrays: FloatArray) -> tuple[FloatArray, ...]:
    """Broadcast named arrays together; a mismatch raises ``error`` naming every field's shape.

    >>> a, b = broadcast(OutcomesError, count=np.zeros(3), denominator=np.ones(()))
    >>> b.shape
    (3,)
    >>> broadcast(OutcomesError, count=np.zeros(3), denominator=np.ones(2))
    Traceback (most recent call last):
    ...
    outcomes.errors.OutcomesError: shapes do not match: count has shape (3,), denominator has shape (2,)
    """
    try:
        shape = np.broadcast_shapes(*(np.shape(a) for a in arrays.values()))
    except ValueError:
        shown = ", ".join(f"{k} has shape {np.shape(v)}" for k, v in arrays.items())
        raise error(f"shapes do not match: {shown}") from None
    return tuple(np.broadcast_to(a, shape) for a in arrays.values())


def check_finite_result(
    result: FloatArray, what: str, error: type[OutcomesError], hint: str = ""
) -> None:
    """Raise when finite inputs gave a non-finite result (an overflow), instead of returning it.

    >>> check_finite_result(np.array([1.0, np.inf]), "the targets", OutcomesError)
    Traceback (most recent call last):
    ...
    outcomes.errors.OutcomesError: the targets overflow (not finite) at index (1,); the inputs are too large
    """
    bad = ~np.isfinite(result)
    if bad.any():
        where = f" at index {tuple(int(i) for i in np.argwhere(bad)[0])}" if result.ndim else ""
        raise error(f"{what} overflow (not finite){where}; {hint or 'the inputs are too large'}")


def check_choice(
    value: object, name: str, choices: Iterable[str], error: type[OutcomesError]
) -> str:
    """``value`` when it is one of the ``choices`` (text, exactly); otherwise raise ``error``
    listing them (and the nearest, for a typo). Never falls back to a default silently.

    >>> check_choice("exact", "method", ("byar", "exact"), OutcomesError)
    'exact'
    >>> check_choice("bogus", "method", ("byar", "exact"), OutcomesError)
    Traceback (most recent call last):
    ...
    outcomes.errors.OutcomesError: method must be one of 'byar', 'exact', got 'bogus'
    """
    options = tuple(choices)
    if isinstance(value, str) and value in options:
        return value
    hint = close_matches(value, options, n=1) if isinstance(value, str) else []
    raise error(
        f"{name} must be one of {', '.join(repr(o) for o in options)}, got {_shown(value)}"
        + (f"; did you mean {hint[0]!r}?" if hint else "")
    )


def check_ndigits(ndigits: object, error: type[OutcomesError], name: str = "ndigits") -> int:
    """A number of decimal places: a whole number from 0 to 12 (a float has ~15 digits).

    >>> check_ndigits(400, OutcomesError)
    Traceback (most recent call last):
    ...
    outcomes.errors.OutcomesError: ndigits must be a whole number from 0 to 12, got 400
    """
    if isinstance(ndigits, bool) or not isinstance(ndigits, int | np.integer):
        raise error(f"{name} must be a whole number from 0 to 12, got {_shown(ndigits)}")
    if not 0 <= int(ndigits) <= 12:
        raise error(f"{name} must be a whole number from 0 to 12, got {ndigits!r}")
    return int(ndigits)


@overload
def scalar_or_array(array: float) -> float: ...
@overload
def scalar_or_array(array: FloatArray) -> float | FloatArray: ...
def scalar_or_array(array: float | FloatArray) -> float | FloatArray:
    """A 0-d result as a Python float, anything else as the array (the one rule for outputs).

    >>> scalar_or_array(np.asarray(2.5)), scalar_or_array(np.asarray([2.5]))
    (2.5, array([2.5]))
    """
    if np.ndim(array) == 0:
        return float(array)
    return np.asarray(array)


def round_half_up(
    values: npt.ArrayLike, ndigits: int = 0, *, error: type[OutcomesError] = OutcomesError
) -> Any:
    """Round half away from zero to ``ndigits`` places, as Excel's ROUND and the NHS tables do.

    Python's ``round`` and numpy's ``around`` round half to even (2.5 -> 2); published tables
    round half up (2.5 -> 3). A tolerance of a few units in the last place treats a binary
    representation just below a half (2.675 is stored as 2.67499999...) as the half it was typed
    as. NaN stays NaN (missing stays missing); text, infinities and numbers too large for a float
    raise ``error``. A scalar gives a float, an array an array.

    >>> round_half_up(2.5), round_half_up(2.675, 2), round_half_up(-1.5)
    (3.0, 2.68, -2.0)
    >>> round_half_up(float("inf"))
    Traceback (most recent call last):
    ...
    outcomes.errors.OutcomesError: values to round must be finite or missing (NaN), got inf
    """
    places = check_ndigits(ndigits, error)
    array = as_float_array(values, "values to round", error=error, finite=False)
    scale = 10.0**places
    with np.errstate(over="ignore", invalid="ignore"):
        scaled = np.abs(array) * scale
        floor = np.floor(scaled)
        fraction = scaled - floor
        up = fraction >= 0.5 - 8 * np.spacing(np.minimum(np.maximum(scaled, 1.0), 1e300))
        result = np.copysign((floor + up) / scale, array)
    # values too large to have decimals (|x| * scale overflows) are already whole at this precision
    result = np.where(np.isfinite(scaled), result, array)
    return float(result) if result.ndim == 0 else result
