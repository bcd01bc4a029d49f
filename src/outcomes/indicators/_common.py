"""Shared parts of the indicator methods: notes, result models, argument checks."""

from __future__ import annotations

import enum
import functools
import math
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeVar

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict, PlainSerializer, PlainValidator, WithJsonSchema

from outcomes._arrays import FloatArray, _shown, as_float_array
from outcomes._fields import ArrayField, TextArray
from outcomes.errors import ScoringError
from outcomes.stats import Interval, confidence_level

PHE_LIFE_TABLE_AGES: tuple[int, ...] = (0, 1, *range(5, 95, 5))

Confidence = float | Sequence[float]


class Note(enum.StrEnum):
    """Why a value (or its limits) was not computed; ``""`` where it was."""

    NONE = ""
    MISSING_VALUE = "missing value"
    MISSING_POPULATION = "missing population in an age band"
    ZERO_POPULATION = "zero population in an age band"
    ZERO_DENOMINATOR = "zero denominator"
    TOTAL_COUNT_BELOW_10 = "total count < 10"
    ZERO_EXPECTED = "zero expected count"
    NO_VALUES = "no values"
    FEWER_THAN_2_VALUES = "fewer than 2 values: no interval"
    NEGATIVE_DEATHS = "negative deaths in an age band"
    POPULATION_NOT_POSITIVE = "zero or negative population in an age band"
    MISSING_AGE_BAND = "missing age band"
    DEATHS_ABOVE_POPULATION = "more deaths than population in an age band"
    TOTAL_POPULATION_5000_OR_LESS = "total population <= 5,000"
    NO_DEATHS_IN_LAST_BAND = "no deaths in the last (open) age band"
    WIDE_INTERVAL = "95% interval wider than 20 years"
    ZERO_POPULATION_QUANTILE = "zero or missing population in a quantile"
    CANNOT_TRANSFORM = "value or limits outside the domain of the log/logit transform"
    NOT_CALCULABLE = "cannot be calculated from these values"


_NOTES: tuple[Note, ...] = tuple(Note)
_CODE = {note: np.uint8(i) for i, note in enumerate(_NOTES)}


def _note_text(code: npt.NDArray[np.uint8]) -> npt.NDArray[np.str_]:
    """Note codes -> text, as narrow a text dtype as the notes used allow (1 char if none)."""
    if not code.size or code.max() == 0:
        return np.zeros(code.shape, dtype="<U1")  # all "" (zeroed memory is the empty string)
    used = np.flatnonzero(np.bincount(code.ravel(), minlength=len(_NOTES)))
    width = max(len(_NOTES[i].value) for i in used)
    table = np.array([n.value for n in _NOTES], dtype=f"<U{width}")
    return table[code]


def _sweep(code: npt.NDArray[np.uint8], *arrays: FloatArray) -> None:
    """Give every NaN that has no note yet the generic note (never a bare NaN)."""
    for array in arrays:
        bad = ~np.isfinite(array)
        if bad.any():
            code[bad & (code == 0)] = _CODE[Note.NOT_CALCULABLE]


# --------------------------------------------------------------------------------------------
# Result models
# --------------------------------------------------------------------------------------------


def _to_intervals(value: Any) -> dict[float, Interval[FloatArray]]:
    if not isinstance(value, Mapping):
        raise ValueError(f"intervals must map confidence levels to intervals, got {value!r}")
    out: dict[float, Interval[FloatArray]] = {}
    for level, interval in value.items():
        if isinstance(interval, Mapping):
            lower, upper = interval["lower"], interval["upper"]
        else:
            lower, upper = interval
        out[float(level)] = Interval(
            np.asarray(lower, dtype=np.float64), np.asarray(upper, dtype=np.float64)
        )
    return out


def _intervals_to_json(value: dict[float, Interval[FloatArray]]) -> dict[str, dict[str, Any]]:
    return {
        str(level): {
            "lower": np.asarray(iv.lower).tolist(),
            "upper": np.asarray(iv.upper).tolist(),
        }
        for level, iv in value.items()
    }


if TYPE_CHECKING:
    IntervalMap = dict[float, Interval[FloatArray]]
else:
    IntervalMap = Annotated[
        dict,
        PlainValidator(_to_intervals),
        PlainSerializer(_intervals_to_json, when_used="json"),
        WithJsonSchema(
            {
                "type": "object",
                "description": "confidence level -> {lower, upper} (numbers or nested arrays)",
            }
        ),
    ]


def _same(x: Any, y: Any) -> bool:
    """Equality that compares arrays by value (NaN == NaN), inside dicts and tuples too."""
    if isinstance(x, np.ndarray) or isinstance(y, np.ndarray):
        if x is None or y is None:
            return False
        x, y = np.asarray(x), np.asarray(y)
        return bool(np.array_equal(x, y, equal_nan=x.dtype.kind == "f" and y.dtype.kind == "f"))
    if isinstance(x, Mapping) and isinstance(y, Mapping):
        return x.keys() == y.keys() and all(_same(x[k], y[k]) for k in x)
    if isinstance(x, tuple) and isinstance(y, tuple):
        return len(x) == len(y) and all(_same(a, b) for a, b in zip(x, y, strict=True))
    return bool(x == y)


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    def _frame(
        self,
        organisations: Sequence[str] | None,
        organisation_names: Sequence[str] | None,
        measure: str | None,
        measure_name: str | None,
        period: str | None,
        unit: str | None,
    ) -> Any:
        from outcomes.frames import indicator_frame

        return indicator_frame(
            self,  # type: ignore[arg-type]
            organisations=organisations,
            organisation_names=organisation_names,
            measure=measure,
            measure_name=measure_name,
            period=period,
            unit=unit,
        )

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, BaseModel)
        return all(_same(getattr(self, f), getattr(other, f)) for f in type(self).model_fields)

    def __hash__(self) -> int:
        return hash(type(self).__name__)


class StandardPopulation(_Model):
    """A standard population: one weight per age band, with its source and status."""

    name: str
    title: str
    labels: tuple[str, ...]
    start_ages: tuple[int, ...]
    weights: ArrayField
    source: str
    status: str

    def __array__(self, dtype: Any = None, copy: Any = None) -> FloatArray:
        return np.asarray(self.weights, dtype=dtype)

    def __len__(self) -> int:
        return len(self.labels)


class IndicatorResult(_Model):
    """Value and confidence limits of an indicator, with a note where it was not computed."""

    value: ArrayField
    lower: ArrayField
    upper: ArrayField
    note: TextArray
    confidence: tuple[float, ...]
    intervals: IntervalMap
    per: float
    method: str

    @property
    def computed(self) -> npt.NDArray[np.bool_]:
        """True where the value was computed (the note is empty)."""
        return np.asarray(self.note == "")

    def to_frame(
        self,
        *,
        organisations: Sequence[str] | None = None,
        organisation_names: Sequence[str] | None = None,
        measure: str | None = None,
        measure_name: str | None = None,
        period: str | None = None,
        unit: str | None = None,
    ) -> Any:
        """One row per group (and start age) as a tidy DataFrame (extra ``pandas``); the
        keywords label the groups; see :func:`outcomes.frames.indicator_frame`."""
        return self._frame(organisations, organisation_names, measure, measure_name, period, unit)


class RateResult(IndicatorResult):
    """A rate or proportion with the totals used (``total_count`` / ``total_population``)."""

    total_count: ArrayField
    total_population: ArrayField


DSRResult = RateResult


class ISRResult(IndicatorResult):
    """An indirectly standardised rate or ratio with ``observed``, ``expected`` and, for a rate,
    the crude ``reference_rate`` (per ``per``)."""

    observed: ArrayField
    expected: ArrayField
    reference_rate: ArrayField | None = None


class MeanResult(IndicatorResult):
    """A mean with the sum, count and sample standard deviation of the values used."""

    total: ArrayField
    count: ArrayField
    stdev: ArrayField


class LifeExpectancyResult(IndicatorResult):
    """Life expectancy at every start age (last axis) with the population and deaths used
    (those of the start age and every older band)."""

    start_ages: tuple[float, ...]
    population_used: ArrayField
    deaths_used: ArrayField


class SIIResult(_Model):
    """Slope (and relative) index of inequality with simulated limits."""

    sii: ArrayField
    sii_lower: ArrayField
    sii_upper: ArrayField
    rii: ArrayField | None = None
    rii_lower: ArrayField | None = None
    rii_upper: ArrayField | None = None
    intercept: ArrayField
    note: TextArray
    confidence: tuple[float, ...]
    intervals: IntervalMap
    rii_intervals: IntervalMap | None = None
    per: float
    value_type: Literal["rate", "proportion", "other"]
    transform: bool
    reps: int
    seed: int | None
    method: str

    @property
    def value(self) -> FloatArray:
        """The SII (alias)."""
        return self.sii

    @property
    def lower(self) -> FloatArray:
        """Lower limit of the SII (alias)."""
        return self.sii_lower

    @property
    def upper(self) -> FloatArray:
        """Upper limit of the SII (alias)."""
        return self.sii_upper

    def to_frame(
        self,
        *,
        organisations: Sequence[str] | None = None,
        organisation_names: Sequence[str] | None = None,
        measure: str | None = None,
        measure_name: str | None = None,
        period: str | None = None,
        unit: str | None = None,
    ) -> Any:
        """One row per group as a tidy DataFrame (extra ``pandas``); the keywords label the
        groups; see :func:`outcomes.frames.indicator_frame`."""
        return self._frame(organisations, organisation_names, measure, measure_name, period, unit)


# --------------------------------------------------------------------------------------------
# Argument helpers
# --------------------------------------------------------------------------------------------


_F = TypeVar("_F", bound=Callable[..., Any])


def _quiet(function: _F) -> _F:
    """Silence numpy's floating-point warnings: every non-finite result gets a note instead."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with np.errstate(all="ignore"):
            return function(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


#: Rows per block of the row-wise sums: small enough that a block's temporaries stay in cache.
_BLOCK = 4096


def _levels(confidence: Any) -> tuple[float, ...]:
    """One confidence level or several, each a fraction in (0, 1)."""
    if isinstance(confidence, str):
        raise ScoringError(f"confidence must be a fraction such as 0.95, got {confidence!r}")
    several = isinstance(confidence, Sequence) or np.ndim(confidence) > 0
    items = list(np.ravel(confidence)) if several else [confidence]
    if not items:
        raise ScoringError("confidence must hold at least one level, got an empty sequence")
    levels = tuple(confidence_level(c) for c in items)  # each a fraction in (0, 1)
    if len(set(levels)) != len(levels):
        repeated = next(c for c in levels if levels.count(c) > 1)
        raise ScoringError(f"confidence levels must differ, got {repeated!r} twice")
    return levels


def _per(per: Any, *, positive: bool = True) -> float:
    try:
        value = float(per)
    except (TypeError, ValueError, OverflowError):
        raise ScoringError(f"per must be a number such as 100000, got {_shown(per)}") from None
    if not math.isfinite(value) or value == 0 or (positive and value < 0):
        kind = "a positive number" if positive else "a non-zero number"
        raise ScoringError(f"per must be {kind} such as 100000, got {per!r}")
    return value


def _inspect(
    value: Any,
    name: str,
    *,
    nonnegative: bool = False,
    missing_as_zero: bool = False,
) -> tuple[FloatArray, float]:
    """Float array and its smallest element (NaN if any is missing); infinities refused (by
    :func:`~outcomes._arrays.as_float_array`).

    One reduction decides the common case (all present and >= 0); only arrays that fail it
    are inspected element by element.
    """
    array = as_float_array(value, name, error=ScoringError, finite=False)
    if not array.size:
        return array, 0.0
    smallest = float(array.min())
    if smallest >= 0:
        return array, smallest
    if missing_as_zero and math.isnan(smallest):
        array = np.where(np.isnan(array), 0.0, array)
        smallest = float(array.min())
    if nonnegative:
        _nonnegative(array, name)
    return array, smallest


def _array(
    value: Any, name: str, *, nonnegative: bool = False, missing_as_zero: bool = False
) -> FloatArray:
    """Float array; NaN allowed (missing; 0 with ``missing_as_zero``), infinities refused."""
    return _inspect(value, name, nonnegative=nonnegative, missing_as_zero=missing_as_zero)[0]


def _dot_rows(array: FloatArray, vector: FloatArray) -> FloatArray:
    """``array @ vector`` over the last axis in blocks of rows (several times faster than one
    product on a million short rows, and than ``sum(axis=-1)``)."""
    bands = array.shape[-1]
    rows = array.reshape(-1, bands)
    out = np.empty(rows.shape[0])
    for start in range(0, rows.shape[0], _BLOCK):
        out[start : start + _BLOCK] = rows[start : start + _BLOCK] @ vector
    return out.reshape(array.shape[:-1])


def _nonnegative(array: FloatArray, name: str) -> None:
    negative = array < 0
    if negative.any():
        where = tuple(int(i) for i in np.argwhere(negative)[0])
        raise ScoringError(f"{name} must be >= 0, got {float(array[where])!r} at index {where}")


def _bands_array(
    value: Any, name: str, *, nonnegative: bool = False, missing_as_zero: bool = False
) -> FloatArray:
    array = _array(value, name, nonnegative=nonnegative, missing_as_zero=missing_as_zero)
    _require_bands(array, name, value)
    return array


def _require_bands(array: FloatArray, name: str, value: Any = None) -> None:
    if array.ndim == 0:
        shown = array.item() if value is None else value
        raise ScoringError(
            f"{name} must have age bands on its last axis, got a single number {shown!r}"
        )
    if array.shape[-1] == 0:
        raise ScoringError(f"{name} must have at least one age band, got shape {array.shape}")


def _check_bands(a: FloatArray, a_name: str, b: FloatArray, b_name: str) -> tuple[int, ...]:
    """The broadcast shape of two band arrays; errors name both fields and both shapes."""
    if a.shape[-1] != b.shape[-1]:
        raise ScoringError(
            f"{a_name} has {a.shape[-1]} age bands (shape {a.shape}) but {b_name} has "
            f"{b.shape[-1]} (shape {b.shape}); the age bands must match"
        )
    try:
        return np.broadcast_shapes(a.shape, b.shape)
    except ValueError:
        raise ScoringError(
            f"{a_name} (shape {a.shape}) and {b_name} (shape {b.shape}) do not broadcast "
            "against each other"
        ) from None


def _interval_map(levels: tuple[float, ...], limits: list[tuple[FloatArray, FloatArray]]) -> Any:
    return {c: Interval(lo, hi) for c, (lo, hi) in zip(levels, limits, strict=True)}
