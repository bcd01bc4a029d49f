"""Indicator construction: PHE's standardised rates and ratios, means, life expectancy and SII.

One function per published method, each implemented as its source publishes it and vectorised:
age bands (or quantiles) sit on the LAST axis and any leading axes are areas, periods, sexes...,
so a whole country is one call. Every result is a frozen model with array fields ``value``,
``lower``, ``upper``, the totals used and a ``note`` text array that says why a value was not
computed (``""`` where it was). ``confidence`` may be one level or a tuple such as
``(0.95, 0.998)``; ``intervals`` maps each level to its :class:`~outcomes.stats.Interval` and
``lower``/``upper`` are those of the first level.

* :func:`standard_population` - ESP 2013 / ESP 1976 weights, catalogue data with their source.
* :func:`dsr` - directly standardised rate, Dobson limits via Byar (PHE).
* :func:`isr`, :func:`isratio` - indirectly standardised rate and ratio (SMR), exact / Byar.
* :func:`mean_ci` - mean with Student's t limits.
* :func:`life_expectancy` - Chiang II abridged life table with Silcocks limits (PHE).
* :func:`sii` - slope and relative index of inequality, limits by simulation (PHE).
* :func:`proportion`, :func:`crude_rate` - Wilson; exact Poisson / Byar.

scipy is imported inside the functions that need it (``import outcomes`` stays light).
"""

from __future__ import annotations

import enum
import functools
import math
import tomllib
from collections.abc import Callable, Mapping, Sequence
from importlib import resources
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeVar

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict, PlainSerializer, PlainValidator, WithJsonSchema

from outcomes._arrays import FloatArray, as_float_array
from outcomes._fields import ArrayField, TextArray
from outcomes.errors import ScoringError, close_matches
from outcomes.stats import Interval, byar, poisson_exact, wilson, z_value

__all__ = [
    "PHE_LIFE_TABLE_AGES",
    "DSRResult",
    "ISRResult",
    "IndicatorResult",
    "LifeExpectancyResult",
    "MeanResult",
    "Note",
    "RateResult",
    "SIIResult",
    "StandardPopulation",
    "crude_rate",
    "dsr",
    "isr",
    "isratio",
    "life_expectancy",
    "mean_ci",
    "proportion",
    "sii",
    "standard_population",
]

#: PHE's 20 life-table bands: 0, 1-4, 5-9, ..., 85-89, 90+ (start ages).
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


def _to_intervals(value: Any) -> dict[float, Interval]:
    if not isinstance(value, Mapping):
        raise ValueError(f"intervals must map confidence levels to intervals, got {value!r}")
    out: dict[float, Interval] = {}
    for level, interval in value.items():
        if isinstance(interval, Mapping):
            lower, upper = interval["lower"], interval["upper"]
        else:
            lower, upper = interval
        out[float(level)] = Interval(
            np.asarray(lower, dtype=np.float64), np.asarray(upper, dtype=np.float64)
        )
    return out


def _intervals_to_json(value: dict[float, Interval]) -> dict[str, dict[str, Any]]:
    return {
        str(level): {
            "lower": np.asarray(iv.lower).tolist(),
            "upper": np.asarray(iv.upper).tolist(),
        }
        for level, iv in value.items()
    }


if TYPE_CHECKING:
    IntervalMap = dict[float, Interval]
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
    for c in items:
        z_value(c)  # validates: a fraction in (0, 1)
    return tuple(float(c) for c in items)


def _per(per: Any, *, positive: bool = True) -> float:
    try:
        value = float(per)
    except (TypeError, ValueError):
        raise ScoringError(f"per must be a number such as 100000, got {per!r}") from None
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
    check_inf: bool = True,
) -> tuple[FloatArray, float]:
    """Float array and its smallest element (NaN if any is missing); infinities refused.

    One or two reductions decide the common case (all finite and >= 0); only arrays that fail
    them are inspected element by element. With ``check_inf=False`` the caller refuses +inf
    later from the row sums it computes anyway (:func:`_row_sums`).
    """
    array = as_float_array(value, name, error=ScoringError, finite=False)
    if not array.size:
        return array, 0.0
    smallest = float(array.min())
    if smallest >= 0 and (not check_inf or array.max() < np.inf):
        return array, smallest
    if np.isinf(array).any():
        raise ScoringError(f"{name} must be finite, got an infinite value")
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


def _row_sums(array: FloatArray, name: str) -> FloatArray:
    """Sums over the last axis; refuses the infinities that :func:`_inspect` left to it."""
    total = _dot_rows(array, np.ones(array.shape[-1]))
    if not np.isfinite(total).all() and np.isinf(array).any():
        raise ScoringError(f"{name} must be finite, got an infinite value")
    return total


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


# --------------------------------------------------------------------------------------------
# Standard populations
# --------------------------------------------------------------------------------------------


@functools.cache
def _catalogue() -> dict[str, Any]:
    text = resources.files("outcomes").joinpath("data/standard_populations.toml").read_bytes()
    return tomllib.loads(text.decode("utf-8"))


@functools.cache
def _standard(name: str, bands: int) -> StandardPopulation:
    catalogue = _catalogue()
    key = name.lower().replace(" ", "").replace("_", "")
    if key not in catalogue:
        matches = close_matches(name, catalogue)
        hint = f"; did you mean {', '.join(repr(m) for m in matches)}?" if matches else ""
        raise ScoringError(
            f"standard must be one of {', '.join(sorted(catalogue))} or an array of weights, "
            f"got {name!r}{hint}"
        )
    entry = catalogue[key]
    layouts = entry["bands"]
    if str(bands) not in layouts:
        raise ScoringError(
            f"standard {key!r} comes with {', '.join(sorted(layouts, key=int))} age bands, "
            f"got bands={bands!r}"
        )
    layout = layouts[str(bands)]
    weights = np.asarray(layout["weights"], dtype=np.float64)
    weights.setflags(write=False)
    return StandardPopulation(
        name=key,
        title=entry["title"],
        labels=tuple(layout["labels"]),
        start_ages=tuple(layout["start_ages"]),
        weights=weights,
        source=entry["source"],
        status=f"{layout['status']}; {entry['status']}",
    )


def standard_population(name: str = "esp2013", bands: int = 19) -> StandardPopulation:
    """Standard population weights per age band, with their source (catalogue data).

    ``"esp2013"``: the European Standard Population 2013 (Eurostat 2013), as published with
    21 bands (0, 1-4, 5-9, ..., 90-94, 95+), or derived by adding adjacent published bands:
    20 (PHE's life-table bands, 90+), 19 (0-4, 5-9, ..., 85-89, 90+: the layout PHE and ONS
    use) and 18 (..., 80-84, 85+). ``"esp1976"``: the 1976 European standard population for
    historical series, published with 19 bands (0, 1-4, 5-9, ..., 85+), or 18 (0-4, ..., 85+).
    Each layout sums to 100,000. The data file is ``outcomes/data/standard_populations.toml``.

    Parameters
    ----------
    name : str
        ``"esp2013"`` (default) or ``"esp1976"``.
    bands : int
        Number of age bands of the layout (see above); default 19.

    Returns
    -------
    StandardPopulation
        ``weights`` (array), ``labels``, ``start_ages``, ``source`` and ``status``;
        ``numpy.asarray`` gives the weights.

    Raises
    ------
    ScoringError
        Unknown standard (with close matches) or a number of bands it does not come in.

    References
    ----------
    Eurostat (2013) Revision of the European Standard Population: report of Eurostat's task
    force. Luxembourg: Publications Office of the European Union. doi:10.2785/11470.
    Waterhouse J. et al. (eds) (1976) Cancer Incidence in Five Continents vol. III, IARC.

    Examples
    --------
    >>> esp = standard_population()
    >>> esp.labels[-1], float(esp.weights[-1]), float(esp.weights.sum())
    ('90+', 1000.0, 100000.0)
    >>> float(standard_population("esp2013", bands=18).weights[-1])
    2500.0
    """
    if not isinstance(name, str):
        raise ScoringError(f"standard must be a name such as 'esp2013', got {name!r}")
    if isinstance(bands, bool) or not isinstance(bands, int | np.integer):
        raise ScoringError(f"bands must be a whole number such as 19, got {bands!r}")
    return _standard(name, int(bands))


def _weights(standard: Any, bands: int) -> FloatArray:
    if isinstance(standard, str):
        return standard_population(standard, bands).weights
    if isinstance(standard, StandardPopulation):
        weights = standard.weights
    else:
        weights = as_float_array(standard, "standard", error=ScoringError, nonnegative=True)
    if weights.ndim == 0 or weights.shape[-1] != bands:
        raise ScoringError(
            f"standard has {weights.shape[-1] if weights.ndim else 1} weights (shape "
            f"{weights.shape}) but the data have {bands} age bands; they must match"
        )
    if (weights.sum(axis=-1) <= 0).any():
        raise ScoringError("standard weights must not all be zero")
    return weights


# --------------------------------------------------------------------------------------------
# Directly standardised rates
# --------------------------------------------------------------------------------------------


@_quiet
def dsr(
    count: npt.ArrayLike,
    population: npt.ArrayLike,
    *,
    standard: str | StandardPopulation | npt.ArrayLike = "esp2013",
    per: float = 100_000,
    confidence: Confidence = 0.95,
) -> RateResult:
    """Directly standardised rate with Dobson limits via Byar (PHE's method).

    With ``x_i`` events, ``n_i`` population and ``w_i`` standard weight in age band ``i``
    (the last axis)::

        DSR      = per * sum(w_i x_i / n_i) / sum(w_i)
        var(DSR) = sum(w_i^2 x_i / n_i^2) / sum(w_i)^2          (per 1)
        limits   = DSR + per * sqrt(var(DSR) / O) * (O_limit - O),   O = sum(x_i)

    where ``O_limit`` are Byar's limits of the total count ``O``. Missing counts in a band
    count as 0 (PHE). Where the total count is below 10, the value and limits are not computed
    (note ``"total count < 10"``, PHE's convention); a missing or zero population in a band
    leaves the area's value uncomputed with its note. PHE's variant for non-independent events
    is in :func:`outcomes.frames.dsr` (``independent_events=False``).

    Parameters
    ----------
    count, population : array_like
        Events and population per age band, bands on the last axis (leading axes: areas...).
    standard : str, StandardPopulation or array_like
        ``"esp2013"`` (default) or ``"esp1976"`` in the layout with as many bands as the data
        (see :func:`standard_population`), or the weights themselves.
    per : float
        Rate multiplier (default 100,000).
    confidence : float or sequence of float
        Level(s), e.g. ``0.95`` or ``(0.95, 0.998)``.

    Returns
    -------
    RateResult
        ``value``, ``lower``, ``upper``, ``note``, ``intervals``, ``total_count``,
        ``total_population`` (shape: the leading axes).

    Raises
    ------
    ScoringError
        Mismatched age bands or shapes (both fields and shapes named), an unknown standard,
        negative counts or populations, infinite values, a bad ``per`` or ``confidence``.

    References
    ----------
    Dobson A.J., Kuulasmaa K., Eberle E., Scherer J. (1991) Confidence intervals for weighted
    sums of Poisson parameters. Stat Med 10:457-462. Breslow N.E., Day N.E. (1987) Statistical
    Methods in Cancer Research vol. II, IARC. PHE Fingertips Public Health Technical Guidance,
    "Directly standardised rates"; PHEindicatormethods ``calculate_dsr``.

    Examples
    --------
    >>> counts = [[3, 5, 12, 20, 31, 45, 60, 80, 110, 140, 180, 220, 260, 300, 340, 380,
    ...            400, 350, 200]]
    >>> pops = [[5000, 5200, 5100, 5000, 5500, 6000, 6400, 6800, 7000, 7000, 6900, 6500,
    ...          6000, 5200, 4500, 3600, 2500, 1400, 700]]
    >>> r = dsr(counts, pops)
    >>> round(float(r.value[0]), 2), round(float(r.lower[0]), 2), round(float(r.upper[0]), 2)
    (3355.97, 3238.98, 3476.08)
    >>> dsr([1, 2, 0, 3], [500, 600, 700, 800], standard=[1, 1, 1, 1]).note.item()
    'total count < 10'
    """
    return _dsr(count, population, None, standard, per, confidence, "Dobson")


def _dsr(
    count: Any,
    population: Any,
    variance_counts: Any,
    standard: Any,
    per: Any,
    confidence: Any,
    method: str,
) -> RateResult:
    """Validate, then :func:`_dsr_core` (``variance_counts``: PHE's non-independent events)."""
    levels = _levels(confidence)
    scale = _per(per)
    x, _ = _inspect(count, "count", nonnegative=True, missing_as_zero=True, check_inf=False)
    n, smallest = _inspect(population, "population", nonnegative=True, check_inf=False)
    _require_bands(x, "count", count)
    _require_bands(n, "population", population)
    _check_bands(x, "count", n, "population")
    if variance_counts is not None:
        variance_counts = _bands_array(
            variance_counts, "variance_counts", nonnegative=True, missing_as_zero=True
        )
        _check_bands(variance_counts, "variance_counts", x, "count")
    weights = _weights(standard, x.shape[-1])
    return _dsr_core(x, n, smallest > 0, weights, variance_counts, scale, levels, method)


def _dsr_sums(
    x: FloatArray, n: FloatArray, w: FloatArray, variance_counts: FloatArray | None
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Per area: sum(w x / n), sum(w^2 v / n^2) (v = x, or the non-independent variance
    counts), sum(x) and sum(n). Blocks of rows keep the temporaries in cache: one pass over
    the data, several times faster than whole-array expressions on a million areas."""
    same = x.shape == n.shape and (variance_counts is None or variance_counts.shape == x.shape)
    with np.errstate(divide="ignore", invalid="ignore"):
        if w.ndim != 1 or not same:  # broadcasting or per-area weights: whole arrays
            rate = x / n
            spread = (rate / n if variance_counts is None else variance_counts / (n * n)) * (w * w)
            return (
                (rate * w).sum(axis=-1),
                spread.sum(axis=-1),
                np.broadcast_to(x.sum(axis=-1), rate.shape[:-1]),
                np.broadcast_to(n.sum(axis=-1), rate.shape[:-1]),
            )
        bands = x.shape[-1]
        rows_x, rows_n = x.reshape(-1, bands), n.reshape(-1, bands)
        rows_v = None if variance_counts is None else variance_counts.reshape(-1, bands)
        count = rows_x.shape[0]
        out = np.empty((4, count))
        w2, ones = w * w, np.ones(bands)
        buffer = np.empty((min(_BLOCK, count), bands))
        for start in range(0, count, _BLOCK):
            stop = min(start + _BLOCK, count)
            xs, ns, r = rows_x[start:stop], rows_n[start:stop], buffer[: stop - start]
            np.divide(xs, ns, out=r)
            out[0, start:stop] = r @ w
            if rows_v is None:
                np.divide(r, ns, out=r)
            else:
                np.divide(rows_v[start:stop], ns * ns, out=r)
            out[1, start:stop] = r @ w2
            out[2, start:stop] = xs @ ones
            out[3, start:stop] = ns @ ones
    shape = x.shape[:-1]
    return (
        out[0].reshape(shape),
        out[1].reshape(shape),
        out[2].reshape(shape),
        out[3].reshape(shape),
    )


def _dsr_core(
    events: FloatArray,
    population: FloatArray,
    population_ok: bool,
    weights: FloatArray,
    variance_counts: FloatArray | None,
    per: float,
    levels: tuple[float, ...],
    method: str,
) -> RateResult:
    """DSR and Dobson limits; ``variance_counts`` (sum of f^2 x per band) for non-independent
    events, else the events themselves (Poisson)."""
    n = population
    w_sum = weights.sum(axis=-1)
    weighted, spread, total, total_pop = _dsr_sums(events, n, weights, variance_counts)
    if not (np.isfinite(total).all() and np.isfinite(total_pop).all()):
        for array, name in ((events, "count"), (n, "population")):
            if np.isinf(array).any():
                raise ScoringError(f"{name} must be finite, got an infinite value")
    with np.errstate(divide="ignore", invalid="ignore"):
        value = weighted / w_sum * per
        variance = spread / (w_sum * w_sum)
    shape = np.broadcast_shapes(value.shape, total.shape)
    value, total = np.broadcast_to(value, shape), np.broadcast_to(total, shape)
    code = np.zeros(shape, dtype=np.uint8)
    small = total < 10
    code[small] = _CODE[Note.TOTAL_COUNT_BELOW_10]
    if not population_ok:  # NaN or a zero somewhere: find the areas
        zero = np.broadcast_to((n == 0).any(axis=-1), shape)
        code[zero] = _CODE[Note.ZERO_POPULATION]
        missing = np.broadcast_to(np.isnan(n).any(axis=-1), shape)
        code[missing] = _CODE[Note.MISSING_POPULATION]
    safe_total = np.where(np.isfinite(total) & ~small, total, 10.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.sqrt(variance / safe_total) * per
    limits = []
    for c in levels:
        lo, hi = byar(safe_total, c)
        with np.errstate(invalid="ignore"):
            limits.append((value + factor * (lo - safe_total), value + factor * (hi - safe_total)))
    _sweep(code, value, *(a for pair in limits for a in pair))
    if code.any():
        bad = code != 0
        value = np.where(bad, np.nan, value)
        limits = [(np.where(bad, np.nan, lo), np.where(bad, np.nan, hi)) for lo, hi in limits]
    return RateResult(
        value=np.asarray(value, dtype=np.float64),
        lower=limits[0][0],
        upper=limits[0][1],
        note=_note_text(code),
        confidence=levels,
        intervals=_interval_map(levels, limits),
        per=per,
        method=method,
        total_count=np.array(total, dtype=np.float64),
        total_population=np.asarray(np.broadcast_to(total_pop, shape), dtype=np.float64),
    )


# --------------------------------------------------------------------------------------------
# Indirectly standardised rates and ratios
# --------------------------------------------------------------------------------------------


@_quiet
def isr(
    count: npt.ArrayLike | None,
    population: npt.ArrayLike,
    reference_count: npt.ArrayLike,
    reference_population: npt.ArrayLike,
    *,
    per: float = 100_000,
    confidence: Confidence = 0.95,
    observed_total: npt.ArrayLike | None = None,
) -> ISRResult:
    """Indirectly standardised rate: observed / expected x the crude reference rate (PHE).

    With local events ``x_i`` and population ``n_i``, and reference events ``X_i`` and
    population ``N_i`` per age band (last axis)::

        O = sum(x_i)   (or observed_total),    E = sum(n_i X_i / N_i)
        reference rate R = per * sum(X_i) / sum(N_i),      ISR = O / E * R
        limits = O_limit / E * R

    with exact Poisson limits of ``O`` below 10 observed events and Byar's from 10 (PHE).
    Missing counts and populations in a band count as 0 (PHE); an area whose expected count
    is zero gets the note ``"zero expected count"``.

    Parameters
    ----------
    count : array_like or None
        Local events per band (``None`` when ``observed_total`` is given).
    population : array_like
        Local population per band.
    reference_count, reference_population : array_like
        Reference events and population per band (broadcast against the local arrays).
    per : float
        Rate multiplier (default 100,000).
    confidence : float or sequence of float
        Level(s), e.g. ``0.95`` or ``(0.95, 0.998)``.
    observed_total : array_like, optional
        Observed events per area when they are known only in total (replaces ``sum(count)``).

    Returns
    -------
    ISRResult
        ``value``, ``lower``, ``upper``, ``note``, ``observed``, ``expected``,
        ``reference_rate``.

    Raises
    ------
    ScoringError
        Mismatched bands or shapes, negative counts or populations, a reference population
        that is not positive, bad ``per``/``confidence``.

    References
    ----------
    Breslow N.E., Day N.E. (1987) Statistical Methods in Cancer Research vol. II, IARC;
    PHE Fingertips Public Health Technical Guidance, "Indirectly standardised ratios and
    rates"; PHEindicatormethods ``calculate_ISRate``.

    Examples
    --------
    >>> r = isr([10, 20, 30], [1000, 1000, 1000], [100, 200, 300], [20000, 20000, 20000])
    >>> float(r.expected), round(float(r.value), 1), round(float(r.reference_rate), 1)
    (30.0, 2000.0, 1000.0)
    """
    levels = _levels(confidence)
    core = _isr_core(count, population, reference_count, reference_population, observed_total)
    observed, expected, ref_rate, code = core
    ref = ref_rate * _per(per)
    return _isr_result(observed, expected, ref, code, levels, _per(per), ref)


@_quiet
def isratio(
    count: npt.ArrayLike | None,
    population: npt.ArrayLike,
    reference_count: npt.ArrayLike,
    reference_population: npt.ArrayLike,
    *,
    reference_value: float = 1,
    confidence: Confidence = 0.95,
    observed_total: npt.ArrayLike | None = None,
) -> ISRResult:
    """Indirectly standardised ratio (observed / expected), e.g. an SMR with
    ``reference_value=100`` (PHE).

    ``ratio = O / E * reference_value`` and ``limits = O_limit / E * reference_value`` with
    ``O``, ``E`` and the limits of ``O`` as in :func:`isr` (exact below 10 observed events,
    Byar from 10).

    Parameters
    ----------
    count, population, reference_count, reference_population : array_like
        As in :func:`isr`.
    reference_value : float
        1 for a ratio (default), 100 for an SMR x 100.
    confidence : float or sequence of float
        Level(s).
    observed_total : array_like, optional
        Observed events per area, replacing ``sum(count)``.

    Returns
    -------
    ISRResult
        ``value``, ``lower``, ``upper``, ``note``, ``observed``, ``expected``.

    Raises
    ------
    ScoringError
        As :func:`isr`.

    References
    ----------
    Breslow N.E., Day N.E. (1987) op. cit.; PHE Technical Guidance; PHEindicatormethods
    ``calculate_ISRatio``.

    Examples
    --------
    >>> r = isratio(None, [1000, 1000], [10, 30], [10000, 10000], reference_value=100,
    ...             observed_total=8)
    >>> float(r.value), round(float(r.lower), 2), round(float(r.upper), 2)
    (200.0, 86.35, 394.08)
    """
    levels = _levels(confidence)
    factor = _per(reference_value)
    observed, expected, _, code = _isr_core(
        count, population, reference_count, reference_population, observed_total
    )
    return _isr_result(observed, expected, np.float64(factor), code, levels, factor, None)


def _isr_core(
    count: Any, population: Any, reference_count: Any, reference_population: Any, total: Any
) -> tuple[FloatArray, FloatArray, FloatArray, npt.NDArray[np.uint8]]:
    n, _ = _inspect(
        population, "population", nonnegative=True, missing_as_zero=True, check_inf=False
    )
    _require_bands(n, "population", population)
    ref_x = _bands_array(reference_count, "reference_count", nonnegative=True, missing_as_zero=True)
    ref_n = _bands_array(reference_population, "reference_population")
    if not (ref_n > 0).all():
        raise ScoringError(
            "reference_population must be > 0 in every age band, got "
            f"{float(ref_n[~(ref_n > 0)].flat[0])!r}"
        )
    _check_bands(n, "population", ref_x, "reference_count")
    _check_bands(ref_x, "reference_count", ref_n, "reference_population")
    rate = ref_x / ref_n
    expected = _dot_rows(n, rate) if rate.ndim == 1 else (n * rate).sum(axis=-1)
    if not np.isfinite(expected).all() and np.isinf(n).any():
        raise ScoringError("population must be finite, got an infinite value")
    ref_rate = ref_x.sum(axis=-1) / ref_n.sum(axis=-1)
    if total is None:
        if count is None:
            raise ScoringError("count is required unless observed_total is given")
        x, _ = _inspect(count, "count", nonnegative=True, missing_as_zero=True, check_inf=False)
        _require_bands(x, "count", count)
        _check_bands(x, "count", n, "population")
        observed = _row_sums(x, "count")
    else:
        observed = _array(total, "observed_total", nonnegative=True)
        if count is not None:
            _check_bands(_bands_array(count, "count"), "count", n, "population")
    try:
        shape = np.broadcast_shapes(observed.shape, expected.shape, ref_rate.shape)
    except ValueError:
        raise ScoringError(
            f"observed totals (shape {observed.shape}) do not match the areas of population "
            f"(shape {n.shape})"
        ) from None
    observed = np.broadcast_to(observed, shape)
    expected = np.broadcast_to(expected, shape)
    code = np.zeros(shape, dtype=np.uint8)
    code[~(expected > 0)] = _CODE[Note.ZERO_EXPECTED]
    code[np.isnan(observed)] = _CODE[Note.MISSING_VALUE]
    return observed, expected, np.broadcast_to(ref_rate, shape), code


def _isr_result(
    observed: FloatArray,
    expected: FloatArray,
    factor: Any,
    code: npt.NDArray[np.uint8],
    levels: tuple[float, ...],
    per: float,
    reference_rate: Any,
) -> ISRResult:
    safe_obs = np.where(np.isnan(observed), 0.0, observed)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = factor / expected
        value = observed * scale
    exact = safe_obs < 10
    limits = []
    for c in levels:
        lo, hi = byar(safe_obs, c)
        lo, hi = np.array(lo, dtype=np.float64), np.array(hi, dtype=np.float64)
        if exact.any():
            elo, ehi = poisson_exact(safe_obs[exact], c)
            lo[exact], hi[exact] = elo, ehi
        limits.append((lo * scale, hi * scale))
    _sweep(code, value, *(a for pair in limits for a in pair))
    if code.any():
        bad = code != 0
        value = np.where(bad, np.nan, value)
        limits = [(np.where(bad, np.nan, lo), np.where(bad, np.nan, hi)) for lo, hi in limits]
    method = "Byar (exact below 10 observed events)"
    return ISRResult(
        value=np.asarray(value, dtype=np.float64),
        lower=np.asarray(limits[0][0]),
        upper=np.asarray(limits[0][1]),
        note=_note_text(code),
        confidence=levels,
        intervals=_interval_map(levels, limits),
        per=per,
        method=method,
        observed=np.array(observed, dtype=np.float64),
        expected=np.array(expected, dtype=np.float64),
        reference_rate=None if reference_rate is None else np.array(reference_rate),
    )


# --------------------------------------------------------------------------------------------
# Crude rates and proportions
# --------------------------------------------------------------------------------------------


def _count_denominator(
    count: Any, denominator: Any
) -> tuple[FloatArray, FloatArray, npt.NDArray[np.uint8]]:
    x = _array(count, "count", nonnegative=True)
    n = _array(denominator, "denominator", nonnegative=True)
    try:
        shape = np.broadcast_shapes(x.shape, n.shape)
    except ValueError:
        raise ScoringError(
            f"count (shape {x.shape}) and denominator (shape {n.shape}) do not broadcast"
        ) from None
    x, n = np.broadcast_to(x, shape), np.broadcast_to(n, shape)
    code = np.zeros(shape, dtype=np.uint8)
    code[n == 0] = _CODE[Note.ZERO_DENOMINATOR]
    code[np.isnan(x) | np.isnan(n)] = _CODE[Note.MISSING_VALUE]
    return x, n, code


def _finish(
    code: npt.NDArray[np.uint8],
    value: FloatArray,
    limits: list[tuple[FloatArray, FloatArray]],
) -> tuple[FloatArray, list[tuple[FloatArray, FloatArray]]]:
    _sweep(code, value, *(a for pair in limits for a in pair))
    if code.any():
        bad = code != 0
        value = np.where(bad, np.nan, value)
        limits = [(np.where(bad, np.nan, lo), np.where(bad, np.nan, hi)) for lo, hi in limits]
    return np.asarray(value, dtype=np.float64), [
        (np.asarray(lo, dtype=np.float64), np.asarray(hi, dtype=np.float64)) for lo, hi in limits
    ]


@_quiet
def crude_rate(
    count: npt.ArrayLike,
    denominator: npt.ArrayLike,
    *,
    per: float = 100_000,
    confidence: Confidence = 0.95,
) -> RateResult:
    """Crude rate ``count / denominator * per`` with exact Poisson limits below 10 events and
    Byar's from 10 (PHE).

    ``lower = O_lower / n * per``, ``upper = O_upper / n * per`` where ``O_lower``, ``O_upper``
    are the exact (chi-square) limits of the count when it is below 10, else Byar's.
    A missing count or denominator gives the note ``"missing value"``; a zero denominator
    ``"zero denominator"``.

    Parameters
    ----------
    count, denominator : array_like
        Events and population (broadcast).
    per : float
        Multiplier (default 100,000).
    confidence : float or sequence of float
        Level(s).

    Returns
    -------
    RateResult
        ``value``, ``lower``, ``upper``, ``note``, ``total_count``, ``total_population``.

    Raises
    ------
    ScoringError
        Negative or infinite inputs, shapes that do not broadcast, bad ``per``/``confidence``.

    References
    ----------
    Ulm K. (1990) Am J Epidemiol 131:373-375; Breslow N.E., Day N.E. (1987) op. cit.;
    PHE Technical Guidance, "Confidence intervals"; PHEindicatormethods ``phe_rate``.

    Examples
    --------
    >>> r = crude_rate([5, 20], [50_000, 50_000])
    >>> r.value.tolist(), round(float(r.lower[0]), 3), round(float(r.lower[1]), 2)
    ([10.0, 40.0], 3.247, 24.42)
    """
    levels = _levels(confidence)
    scale = _per(per)
    x, n, code = _count_denominator(count, denominator)
    xs = np.where(code == 0, x, 0.0)
    ns = np.where(code == 0, n, 1.0)
    value = xs * scale / ns
    exact = xs < 10
    limits = []
    for c in levels:
        lo, hi = byar(xs, c)
        lo, hi = np.array(lo, dtype=np.float64), np.array(hi, dtype=np.float64)
        if exact.any():
            elo, ehi = poisson_exact(xs[exact], c)
            lo[exact], hi[exact] = elo, ehi
        limits.append((lo / ns * scale, hi / ns * scale))
    value, limits = _finish(code, value, limits)
    return RateResult(
        value=value,
        lower=limits[0][0],
        upper=limits[0][1],
        note=_note_text(code),
        confidence=levels,
        intervals=_interval_map(levels, limits),
        per=scale,
        method="exact Poisson below 10 events, Byar from 10",
        total_count=np.array(x, dtype=np.float64),
        total_population=np.array(n, dtype=np.float64),
    )


@_quiet
def proportion(
    count: npt.ArrayLike,
    denominator: npt.ArrayLike,
    *,
    per: float = 100,
    confidence: Confidence = 0.95,
) -> RateResult:
    """Proportion ``count / denominator * per`` with Wilson score limits (PHE).

    ``(2x + z^2 -/+ z sqrt(z^2 + 4x(1 - p))) / (2(n + z^2)) * per`` with ``p = x / n``.
    Missing values give the note ``"missing value"``; a zero denominator ``"zero
    denominator"``.

    Parameters
    ----------
    count, denominator : array_like
        Numerator and denominator (broadcast); ``count <= denominator``.
    per : float
        100 for a percentage (default), 1 for a fraction.
    confidence : float or sequence of float
        Level(s).

    Returns
    -------
    RateResult
        ``value``, ``lower``, ``upper``, ``note``, ``total_count``, ``total_population``.

    Raises
    ------
    ScoringError
        Negative or infinite inputs, ``count > denominator``, bad ``per``/``confidence``.

    References
    ----------
    Wilson E.B. (1927) JASA 22:209-212; Newcombe R.G. (1998) Stat Med 17:857-872;
    PHE Technical Guidance, "Confidence intervals"; PHEindicatormethods ``phe_proportion``.

    Examples
    --------
    >>> r = proportion(81, 263)
    >>> round(float(r.value), 2), round(float(r.lower), 2), round(float(r.upper), 2)
    (30.8, 25.53, 36.62)
    """
    levels = _levels(confidence)
    scale = _per(per)
    x, n, code = _count_denominator(count, denominator)
    if (x > n).any():
        where = tuple(int(i) for i in np.argwhere(x > n)[0])
        raise ScoringError(
            f"count must be <= denominator for a proportion, got {float(x[where])!r} > "
            f"{float(n[where])!r} at index {where}"
        )
    xs = np.where(code == 0, x, 0.0)
    ns = np.where(code == 0, n, 1.0)
    value = xs * scale / ns
    limits = []
    for c in levels:
        lo, hi = wilson(xs, ns, c)
        limits.append((np.asarray(lo) * scale, np.asarray(hi) * scale))
    value, limits = _finish(code, value, limits)
    return RateResult(
        value=value,
        lower=limits[0][0],
        upper=limits[0][1],
        note=_note_text(code),
        confidence=levels,
        intervals=_interval_map(levels, limits),
        per=scale,
        method="Wilson",
        total_count=np.array(x, dtype=np.float64),
        total_population=np.array(n, dtype=np.float64),
    )


# --------------------------------------------------------------------------------------------
# Means
# --------------------------------------------------------------------------------------------


@_quiet
def mean_ci(values: npt.ArrayLike, *, confidence: Confidence = 0.95, axis: int = -1) -> MeanResult:
    """Mean with Student's t limits from the sample standard deviation (PHE).

    ``mean -/+ t(1 - a/2, N - 1) * s / sqrt(N)`` with ``s`` the sample standard deviation
    (``N - 1`` divisor) of the ``N`` non-missing values along ``axis``. Missing values (NaN)
    are left out; with one value the limits are not computed (note ``"fewer than 2 values:
    no interval"``), with none the value neither (``"no values"``).

    Parameters
    ----------
    values : array_like
        The observations; several groups along the other axes.
    confidence : float or sequence of float
        Level(s).
    axis : int
        Axis holding the observations (default: the last).

    Returns
    -------
    MeanResult
        ``value``, ``lower``, ``upper``, ``note``, ``total`` (sum), ``count``, ``stdev``.

    Raises
    ------
    ScoringError
        Infinite values, a bad axis or confidence.

    References
    ----------
    Student (1908) The probable error of a mean. Biometrika 6:1-25; PHE Technical Guidance,
    "Confidence intervals"; PHEindicatormethods ``phe_mean``.

    Examples
    --------
    >>> r = mean_ci([1.0, 2.0, 3.0, 4.0])
    >>> float(r.value), round(float(r.lower), 4), round(float(r.upper), 4)
    (2.5, 0.4457, 4.5543)
    """
    from scipy.special import stdtrit

    levels = _levels(confidence)
    x = _array(values, "values")
    if x.ndim == 0:
        x = x.reshape(1)
    try:
        x = np.moveaxis(x, axis, -1)
    except (np.exceptions.AxisError, TypeError):
        raise ScoringError(f"axis {axis!r} is out of range for values of shape {x.shape}") from None
    present = ~np.isnan(x)
    count = present.sum(axis=-1).astype(np.float64)
    total = np.where(present, x, 0.0).sum(axis=-1)
    code = np.zeros(count.shape, dtype=np.uint8)
    code[count < 2] = _CODE[Note.FEWER_THAN_2_VALUES]
    code[count == 0] = _CODE[Note.NO_VALUES]
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = total / count
        deviation = np.where(present, x - mean[..., np.newaxis], 0.0)
        stdev = np.sqrt((deviation * deviation).sum(axis=-1) / (count - 1))
        half = stdev / np.sqrt(count)
    df = np.where(count >= 2, count - 1, 1.0)
    limits = []
    for c in levels:
        t = stdtrit(df, 1.0 - (1.0 - c) / 2.0)
        limits.append((mean - t * half, mean + t * half))
    value = np.where(count > 0, mean, np.nan)
    stdev = np.where(count >= 2, stdev, np.nan)
    _sweep(code, value, *(a for pair in limits for a in pair))
    bad = code != 0
    limits = [(np.where(bad, np.nan, lo), np.where(bad, np.nan, hi)) for lo, hi in limits]
    value = np.where(code == _CODE[Note.FEWER_THAN_2_VALUES], value, np.where(bad, np.nan, value))
    return MeanResult(
        value=value,
        lower=limits[0][0],
        upper=limits[0][1],
        note=_note_text(code),
        confidence=levels,
        intervals=_interval_map(levels, limits),
        per=1.0,
        method="Student's t-distribution",
        total=total,
        count=count,
        stdev=stdev,
    )


# --------------------------------------------------------------------------------------------
# Life expectancy
# --------------------------------------------------------------------------------------------


def _from_here(array: FloatArray) -> FloatArray:
    """Sum of each band and every later band (reverse cumulative sum along the last axis)."""
    return np.cumsum(array[..., ::-1], axis=-1)[..., ::-1]


def _life_table(
    deaths: FloatArray, population: FloatArray, ages: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Chiang II life expectancy and Silcocks' standard error at every start age.

    Worked band-major: the arrays are transposed to (bands, areas) so that every band is one
    contiguous row and the running products and sums along the bands are row operations over
    all areas at once; intermediate results are written in place (few large temporaries).
    """
    shape = deaths.shape
    k = shape[-1]
    d = np.ascontiguousarray(deaths.reshape(-1, k).T)
    p = np.ascontiguousarray(population.reshape(-1, k).T)
    width = np.diff(ages)[:, np.newaxis]
    a = np.where(ages == 0, 0.1, 0.5)[:-1, np.newaxis]
    m = d / p
    # q = n M / (1 + (1 - a) n M), or 1 where D > P / (n a)
    q = width * m[:-1]
    den = q * (1 - a)
    den += 1
    q /= den
    beyond = d[:-1] * (width * a) > p[:-1]
    if beyond.any():
        q[beyond] = 1.0
    lx = np.empty_like(d)
    lx[0] = 1e5
    np.subtract(1.0, q, out=den)
    np.cumprod(den, axis=0, out=lx[1:])
    lx[1:] *= 1e5
    dx = lx[:-1] - lx[1:]
    big_l = np.empty_like(d)  # L = n (l_next + a d), last: l / M
    np.multiply(a, dx, out=big_l[:-1])
    big_l[:-1] += lx[1:]
    big_l[:-1] *= width
    with np.errstate(divide="ignore", invalid="ignore"):
        np.divide(lx[-1], m[-1], out=big_l[-1])
        ex = np.cumsum(big_l[::-1], axis=0)[::-1]
        ex /= lx
        exhausted = lx[-1] == 0  # l falls to 0 before the last band only if some q = 1
        if exhausted.any():
            ex[lx == 0] = 0.0
        var_q = np.subtract(1.0, q, out=q)  # q^2 (1 - q) / D, 0 where no one dies
        var_q *= 1.0 - var_q
        var_q *= 1.0 - den
        var_q /= d[:-1]
        none_die = dx == 0
        if none_die.any():
            var_q[none_die] = 0.0
        weighted = big_l  # reuse: l^2 ((1 - a) n + e_next)^2 var(q); last: l^2 / (D M^2)
        np.add(ex[1:], (1 - a) * width, out=weighted[:-1])
        weighted[:-1] *= lx[:-1]
        np.square(weighted[:-1], out=weighted[:-1])
        weighted[:-1] *= var_q
        weighted[-1] = lx[-1] ** 2 / (d[-1] * m[-1] ** 2)
        se = np.cumsum(weighted[::-1], axis=0)[::-1]
        np.sqrt(se, out=se)
        se /= lx
    return ex.T.reshape(shape), se.T.reshape(shape)


def _start_ages(start_ages: Any, bands: int) -> FloatArray:
    ages = np.asarray(
        PHE_LIFE_TABLE_AGES if start_ages is None else _array(start_ages, "start_ages"),
        dtype=np.float64,
    )
    if ages.ndim != 1 or ages.size < 2 or np.isnan(ages).any():
        raise ScoringError(f"start_ages must be a list of 2 or more ages, got {start_ages!r}")
    if ages[0] != 0 or not (np.diff(ages) > 0).all():
        raise ScoringError(
            f"start_ages must start at 0 and increase (0, 1, 5, ..., 90), got {ages.tolist()}"
        )
    if ages.size != bands:
        raise ScoringError(
            f"deaths and population have {bands} age bands but start_ages has {ages.size} "
            f"({ages.tolist()}); PHE's life table uses the 20 bands 0, 1, 5, ..., 90"
        )
    return ages


@_quiet
def life_expectancy(
    deaths: npt.ArrayLike,
    population: npt.ArrayLike,
    *,
    start_ages: npt.ArrayLike | None = None,
    confidence: Confidence = 0.95,
) -> LifeExpectancyResult:
    """Life expectancy at every start age: Chiang II abridged life table with Silcocks et al.
    limits (PHE's method and validity rules).

    With deaths ``D_i``, population ``P_i`` in band ``i`` of width ``n_i`` (the last band is
    open), ``a_i = 0.1`` for age 0 and 0.5 otherwise::

        M_i = D_i / P_i,   q_i = n_i M_i / (1 + (1 - a_i) n_i M_i)   (1 if D_i > P_i/(n_i a_i);
                                                                      1 in the last band)
        l_0 = 100,000,     l_{i+1} = l_i (1 - q_i),    d_i = l_i - l_{i+1}
        L_i = n_i (l_{i+1} + a_i d_i),   L_last = l_last / M_last,    T_i = sum_{j>=i} L_j
        e_i = T_i / l_i
        var(e_i) = sum_{j>=i} l_j^2 ((1 - a_j) n_j + e_{j+1})^2 q_j^2 (1 - q_j) / D_j
                   + l_last^2 / (D_last M_last^2),   all over l_i^2

    (Silcocks' term for the last band replaces Chiang's zero variance), limits
    ``e_i -/+ z sqrt(var(e_i))``. PHE's validity rules are applied per area, in PHE's order,
    and give the whole area's row its note: negative deaths; a zero or negative population;
    a missing band (NaN); more deaths than population; a total population of 5,000 or less;
    and no deaths in the last band (life expectancy undefined). A single life expectancy whose
    95% interval is wider than 20 years is suppressed (the limits are kept, as PHE does) with
    the note ``"95% interval wider than 20 years"``. One bad area among thousands gets its
    note; the others their values.

    Parameters
    ----------
    deaths, population : array_like
        Deaths and population per age band, bands on the last axis.
    start_ages : array_like, optional
        Start age of each band; default PHE's 20 bands 0, 1, 5, 10, ..., 90
        (:data:`PHE_LIFE_TABLE_AGES`).
    confidence : float or sequence of float
        Level(s).

    Returns
    -------
    LifeExpectancyResult
        ``value``, ``lower``, ``upper``, ``note``, ``population_used`` and ``deaths_used``
        (the totals of that start age and every older band), all of shape ``(..., bands)``.

    Raises
    ------
    ScoringError
        Mismatched bands or shapes, ``start_ages`` not starting at 0 or not increasing,
        infinite values, bad ``confidence``.

    References
    ----------
    Chiang C.L. (1968) Introduction to Stochastic Processes in Biostatistics, Wiley, 189-214;
    Silcocks P.B.S., Jenner D.A., Reza R. (2001) Life expectancy as a summary of mortality in
    a population. J Epidemiol Community Health 55:38-43; Eayres D.P., Williams E.S. (2004)
    J Epidemiol Community Health 58:243-249; PHE Life Expectancy Calculator and
    PHEindicatormethods ``phe_life_expectancy``.

    Examples
    --------
    >>> pops = [7060, 35059, 46974, 48489, 43219, 38561, 46009, 57208, 61435, 55601, 50209,
    ...         56416, 46411, 39820, 37978, 37039, 33288, 23306, 11936, 11936]
    >>> deaths = [17, 9, 4, 8, 20, 15, 24, 33, 50, 71, 100, 163, 263, 304, 536, 872, 1390,
    ...           1605, 1936, 1937]
    >>> r = life_expectancy(deaths, pops)
    >>> round(float(r.value[0]), 4), round(float(r.lower[0]), 4), round(float(r.upper[0]), 4)
    (80.1696, 79.8827, 80.4565)
    """
    levels = _levels(confidence)
    d = _bands_array(deaths, "deaths")
    p = _bands_array(population, "population")
    shape = _check_bands(d, "deaths", p, "population")
    ages = _start_ages(start_ages, shape[-1])
    d, p = np.broadcast_to(d, shape), np.broadcast_to(p, shape)
    area_shape = shape[:-1]

    # PHE's validity rules, in PHE's order (the first that applies names the area's note).
    # The band-by-band rules are checked per area only when a quick look finds a problem.
    total_pop = p.sum(axis=-1)
    rules = []
    if not (d.min() >= 0 and p.min() > 0 and not (d > p).any()):
        rules = [
            (Note.NEGATIVE_DEATHS, (d < 0).any(axis=-1)),
            (Note.POPULATION_NOT_POSITIVE, (p <= 0).any(axis=-1)),
            (Note.MISSING_AGE_BAND, (np.isnan(d) | np.isnan(p)).any(axis=-1)),
            (Note.DEATHS_ABOVE_POPULATION, (d > p).any(axis=-1)),
        ]
        total_pop = np.nansum(p, axis=-1)
    rules += [
        (Note.TOTAL_POPULATION_5000_OR_LESS, total_pop <= 5000),
        (Note.NO_DEATHS_IN_LAST_BAND, d[..., -1] == 0),
    ]
    area_code = np.zeros(area_shape, dtype=np.uint8)
    for note, failed in reversed(rules):
        area_code[failed] = _CODE[note]
    invalid = area_code != 0
    raw_d, raw_p = d, p
    if invalid.any():  # compute on a harmless stand-in; the notes say why those are not shown
        d = np.where(invalid[..., np.newaxis], 1.0, d)
        p = np.where(invalid[..., np.newaxis], 10.0, p)

    ex, se = _life_table(d, p, ages)

    code = np.broadcast_to(area_code[..., np.newaxis], shape).copy()
    wide = z_value(0.95) * se > 10
    code[wide & (code == 0)] = _CODE[Note.WIDE_INTERVAL]
    limits = []
    for c in levels:
        z = z_value(c)
        limits.append((ex - z * se, ex + z * se))
    _sweep(code, ex, *(x for pair in limits for x in pair))
    value = np.where(code != 0, np.nan, ex) if code.any() else ex
    uncomputed = code == _CODE[Note.NOT_CALCULABLE]
    hidden = invalid[..., np.newaxis] | uncomputed
    if hidden.any():
        limits = [(np.where(hidden, np.nan, lo), np.where(hidden, np.nan, hi)) for lo, hi in limits]
    if uncomputed.any():  # e.g. survivors exhausted before the last band: keep e = 0
        value = np.where(uncomputed & np.isfinite(ex), ex, value)
    return LifeExpectancyResult(
        value=value,
        lower=limits[0][0],
        upper=limits[0][1],
        note=_note_text(code),
        confidence=levels,
        intervals=_interval_map(levels, limits),
        per=1.0,
        method="Chiang, using Silcocks et al for confidence limits",
        start_ages=tuple(float(x) for x in ages),
        population_used=_from_here(raw_p),
        deaths_used=_from_here(raw_d),
    )


# --------------------------------------------------------------------------------------------
# Slope index of inequality
# --------------------------------------------------------------------------------------------

_VALUE_TYPES: dict[object, Literal["rate", "proportion", "other"]] = {
    "rate": "rate",
    "proportion": "proportion",
    "other": "other",
    0: "other",
    1: "rate",
    2: "proportion",
}

#: Elements of one simulated (reps x areas) block; bounds the memory the simulation uses.
_SII_BLOCK = 1 << 22


def _link(kind: str, transform: bool) -> tuple[Any, Any]:
    """The regression scale: identity, log (rates) or logit (proportions), and its inverse."""
    if not transform:
        return (lambda v: v), (lambda v: v)
    if kind == "rate":
        return np.log, np.exp
    return (lambda v: np.log(v / (1 - v))), (lambda v: 1 / (1 + np.exp(-v)))


@_quiet
def sii(
    value: npt.ArrayLike,
    population: npt.ArrayLike,
    *,
    lower: npt.ArrayLike | None = None,
    upper: npt.ArrayLike | None = None,
    se: npt.ArrayLike | None = None,
    value_type: Literal["rate", "proportion", "other"] | int = "other",
    per: float = 1,
    transform: bool = False,
    rii: bool = False,
    confidence: Confidence = 0.95,
    reps: int = 100_000,
    seed: int | None = None,
) -> SIIResult:
    """Slope index of inequality (and relative index) by weighted regression on the cumulative
    population midpoints, limits by simulation (PHE's ``phe_sii``).

    Quantiles sit on the last axis, ordered from most to least disadvantaged (1 = most
    deprived). With ``a_i`` the population share of quantile ``i`` and
    ``b_i = sum_{j<i} a_j + a_i / 2`` its relative rank, the line ``y = b0 + b1 x`` is fitted
    to ``y_i = f(value_i)`` by least squares with weights ``a_i`` (PHE: regress
    ``y sqrt(a)`` on ``sqrt(a)`` and ``b sqrt(a)``), where ``f`` is the identity, or with
    ``transform=True`` log (rates) or logit (proportions). Back on the value scale
    (``g = f^-1``)::

        Y0 = g(b0),  Y1 = g(b0 + b1),  SII = (Y1 - Y0) * per,  RII = Y1 / Y0,
        intercept = Y0

    and with a negative ``per`` (to reverse polarity) the RII is inverted, as PHE does.
    Limits: ``reps`` simulated data sets ``y_i + se_i Z_i`` (``Z`` standard normal) are refitted
    and the (1 - c)/2 and (1 + c)/2 quantiles of the simulated SIIs (RIIs) taken. ``se`` is on
    the regression scale; without it, ``se = (f(upper) - f(lower)) / (2 z_0.975)`` from the
    95% limits, as PHE does. The same random draws serve every area (common random numbers),
    so an area's limits depend only on its own data and ``seed``: one area alone gives the
    same answer as inside a national call. The simulation is vectorised over repetitions and
    areas in blocks of bounded memory.

    An area with a missing value, limit or standard error, or a zero or missing population,
    gets a note and NaN.

    Parameters
    ----------
    value, population : array_like
        Indicator value and population per quantile (last axis: 5 to 100 quantiles).
    lower, upper : array_like, optional
        95% limits of each value (to derive ``se``).
    se : array_like, optional
        Standard error of each value on the regression scale (used when given).
    value_type : {"rate", "proportion", "other"} or 0, 1, 2
        Indicator type (PHE's 1, 2, 0); proportions must lie in [0, 1].
    per : float
        Multiplier of the SII (e.g. 100 for percentage points; negative reverses polarity).
    transform : bool
        Log (rates) or logit (proportions) transform before the regression.
    rii : bool
        Also return the RII and its limits.
    confidence : float or sequence of float
        Level(s) of the SII (and RII) limits.
    reps : int
        Simulated data sets (at least 1000; default 100,000).
    seed : int, optional
        Seed of the simulation (reproducible limits).

    Returns
    -------
    SIIResult
        ``sii``, ``sii_lower``, ``sii_upper``, ``rii``..., ``intercept``, ``note``,
        ``intervals`` (and ``rii_intervals``); shape: the leading axes.

    Raises
    ------
    ScoringError
        Fewer than 5 or more than 100 quantiles, mismatched shapes, negative populations or
        standard errors, upper below lower, proportions outside [0, 1], ``transform`` with
        ``value_type="other"``, neither ``se`` nor both limits, ``reps`` below 1000.

    References
    ----------
    Low A., Low A. (2004) Measuring the gap: quantifying and comparing local health
    inequalities. J Public Health 26:388-395; PHE Technical Guidance, "Slope index of
    inequality"; PHEindicatormethods ``phe_sii``.

    Examples
    --------
    >>> pops = [7291, 7997, 6105, 7666, 5790, 6934, 5918, 5974, 7147, 7534]
    >>> le = [75.93, 78.34, 83.84, 83.64, 80.47, 81.12, 81.69, 84.19, 80.60, 86.29]
    >>> se = [1.64, 1.58, 1.51, 1.78, 1.70, 1.56, 1.37, 1.40, 2.43, 1.57]
    >>> r = sii(le, pops, se=se, rii=True, seed=1)
    >>> round(float(r.sii), 3), round(float(r.rii), 4)
    (6.939, 1.0889)
    >>> bool(r.sii_lower < r.sii < r.sii_upper), r.note.item()
    (True, '')
    """
    kind = _VALUE_TYPES.get(value_type if not isinstance(value_type, bool) else None)
    if kind is None:
        raise ScoringError(
            f"value_type must be 'rate', 'proportion' or 'other' (or PHE's 1, 2, 0), "
            f"got {value_type!r}"
        )
    if transform and kind == "other":
        raise ScoringError(
            "transform=True needs value_type 'rate' (log) or 'proportion' (logit), got 'other'"
        )
    if isinstance(reps, bool) or not isinstance(reps, int | np.integer) or reps < 1000:
        raise ScoringError(f"reps must be a whole number >= 1000 (PHE), got {reps!r}")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int | np.integer)):
        raise ScoringError(f"seed must be a whole number or None, got {seed!r}")
    levels = _levels(confidence)
    scale = _per(per, positive=False)

    v = _bands_array(value, "value")
    pop = _bands_array(population, "population", nonnegative=True)
    shape = _check_bands(v, "value", pop, "population")
    q = shape[-1]
    if not 5 <= q <= 100:
        raise ScoringError(f"sii needs 5 to 100 quantiles on the last axis (PHE), got {q}")
    if kind == "proportion" and ((v < 0) | (v > 1)).any():
        raise ScoringError("value must be a proportion between 0 and 1 for value_type='proportion'")
    forward, inverse = _link(kind, transform)

    if se is not None:
        s = _bands_array(se, "se", nonnegative=True)
        _check_bands(s, "se", v, "value")
        s = np.broadcast_to(s, shape)
        missing = np.isnan(s)
    elif lower is not None and upper is not None:
        lo, hi = _bands_array(lower, "lower"), _bands_array(upper, "upper")
        _check_bands(lo, "lower", v, "value")
        _check_bands(hi, "upper", v, "value")
        if (hi < lo).any():
            raise ScoringError("upper must be >= lower in every quantile")
        if kind == "proportion" and ((lo < 0) | (hi > 1)).any():
            raise ScoringError("lower and upper must lie between 0 and 1 for proportions")
        with np.errstate(divide="ignore", invalid="ignore"):
            s = (forward(hi) - forward(lo)) / (2 * z_value(0.95))
        s = np.broadcast_to(s, shape)
        missing = np.broadcast_to(np.isnan(lo) | np.isnan(hi), shape)
    else:
        raise ScoringError("sii needs se, or both lower and upper (95% limits of each value)")

    v = np.broadcast_to(v, shape)
    pop = np.broadcast_to(pop, shape)
    with np.errstate(divide="ignore", invalid="ignore"):
        y = forward(v)
    missing = missing | np.isnan(v)
    area_code = np.zeros(shape[:-1], dtype=np.uint8)
    if transform:
        outside = ~(np.isfinite(y) & np.isfinite(s)) & ~missing
        area_code[outside.any(axis=-1)] = _CODE[Note.CANNOT_TRANSFORM]
    area_code[missing.any(axis=-1)] = _CODE[Note.MISSING_VALUE]
    area_code[~(pop > 0).all(axis=-1)] = _CODE[Note.ZERO_POPULATION_QUANTILE]
    bad = area_code != 0
    if bad.any():
        y = np.where(bad[..., np.newaxis], 0.0, y)
        s = np.where(bad[..., np.newaxis], 0.0, s)
        pop = np.where(bad[..., np.newaxis], 1.0, pop)

    share = pop / pop.sum(axis=-1, keepdims=True)
    rank = np.cumsum(share, axis=-1) - share / 2
    x_bar = (share * rank).sum(axis=-1)
    centred = rank - x_bar[..., np.newaxis]
    slope_weights = share * centred / (share * centred * centred).sum(axis=-1, keepdims=True)
    b1 = (slope_weights * y).sum(axis=-1)
    y_bar = (share * y).sum(axis=-1)
    b0 = y_bar - b1 * x_bar
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        y0, y1 = inverse(b0), inverse(b0 + b1)
        sii_value = (y1 - y0) * scale
        rii_value = y1 / y0 if scale > 0 else y0 / y1

    probs = [p for c in levels for p in ((1 - c) / 2, (1 + c) / 2)]
    sii_q, rii_q = _simulate_sii(
        share, slope_weights, x_bar, y_bar, b1, s, inverse, scale, probs, reps, seed, rii
    )
    code = area_code.copy()
    _sweep(code, sii_value, *sii_q)
    if rii:
        _sweep(code, rii_value, *rii_q)
    hide = code != 0

    def out(array: Any) -> FloatArray:
        return np.where(hide, np.nan, np.asarray(array, dtype=np.float64))

    sii_limits = [(out(sii_q[2 * i]), out(sii_q[2 * i + 1])) for i in range(len(levels))]
    rii_limits = (
        [(out(rii_q[2 * i]), out(rii_q[2 * i + 1])) for i in range(len(levels))] if rii else []
    )
    return SIIResult(
        sii=out(sii_value),
        sii_lower=sii_limits[0][0],
        sii_upper=sii_limits[0][1],
        rii=out(rii_value) if rii else None,
        rii_lower=rii_limits[0][0] if rii else None,
        rii_upper=rii_limits[0][1] if rii else None,
        intercept=out(y0),
        note=_note_text(code),
        confidence=levels,
        intervals=_interval_map(levels, sii_limits),
        rii_intervals=_interval_map(levels, rii_limits) if rii else None,
        per=scale,
        value_type=kind,
        transform=bool(transform),
        reps=int(reps),
        seed=None if seed is None else int(seed),
        method=f"weighted regression; limits by simulation ({int(reps)} reps)",
    )


def _simulate_sii(
    share: FloatArray,
    slope_weights: FloatArray,
    x_bar: FloatArray,
    y_bar: FloatArray,
    b1: FloatArray,
    se: FloatArray,
    inverse: Any,
    scale: float,
    probs: list[float],
    reps: int,
    seed: int | None,
    want_rii: bool,
) -> tuple[list[FloatArray], list[FloatArray]]:
    """Quantiles of simulated SIIs (and RIIs) per area; blocks of areas bound the memory."""
    area_shape = share.shape[:-1]
    q = share.shape[-1]
    z = np.random.default_rng(seed).standard_normal((reps, q))
    flat = int(np.prod(area_shape, dtype=np.int64))
    a_se = (share * se).reshape(flat, q)
    c_se = (slope_weights * se).reshape(flat, q)
    xb, yb, slope = x_bar.reshape(flat), y_bar.reshape(flat), b1.reshape(flat)
    sii_out = np.empty((len(probs), flat))
    rii_out = np.empty((len(probs), flat)) if want_rii else sii_out
    block = max(1, _SII_BLOCK // reps)
    zt = np.ascontiguousarray(z.T)
    for start in range(0, flat, block):
        part = slice(start, min(start + block, flat))
        # (areas, reps): each area's simulations contiguous, for the quantiles along the rows
        sim_b1 = slope[part, np.newaxis] + c_se[part] @ zt
        sim_b0 = (yb[part] - slope[part] * xb[part])[:, np.newaxis]
        sim_b0 = sim_b0 + (a_se[part] - c_se[part] * xb[part, np.newaxis]) @ zt
        with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
            y0, y1 = inverse(sim_b0), inverse(sim_b0 + sim_b1)
            sii_out[:, part] = np.quantile((y1 - y0) * scale, probs, axis=-1)
            if want_rii:
                ratio = y1 / y0 if scale > 0 else y0 / y1
                rii_out[:, part] = np.quantile(ratio, probs, axis=-1)
    sii_list = [sii_out[i].reshape(area_shape) for i in range(len(probs))]
    rii_list = [rii_out[i].reshape(area_shape) for i in range(len(probs))] if want_rii else []
    return sii_list, rii_list
