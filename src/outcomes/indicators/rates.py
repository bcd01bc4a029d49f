"""Standardised and crude rates, ratios and proportions: DSR (Dobson), ISR/SMR, Wilson, exact Poisson / Byar."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

from outcomes._arrays import FloatArray
from outcomes.errors import ScoringError
from outcomes.indicators._common import (
    _BLOCK,
    _CODE,
    Confidence,
    ISRResult,
    Note,
    RateResult,
    StandardPopulation,
    _array,
    _bands_array,
    _check_bands,
    _dot_rows,
    _inspect,
    _interval_map,
    _levels,
    _note_text,
    _per,
    _quiet,
    _require_bands,
    _sweep,
)
from outcomes.indicators.standards import (
    _weights,
)
from outcomes.stats import rate_ci, wilson, z_value
from outcomes.stats.intervals import _byar, _count_limits

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
    x, _ = _inspect(count, "count", nonnegative=True, missing_as_zero=True)
    n, smallest = _inspect(population, "population", nonnegative=True)
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


def _finish(
    code: npt.NDArray[np.uint8],
    value: FloatArray,
    limits: list[tuple[FloatArray, FloatArray]],
) -> tuple[FloatArray, list[tuple[FloatArray, FloatArray]]]:
    """Give every uncomputed value a note (:func:`_sweep`), then blank the value and limits
    of every area with a note."""
    _sweep(code, value, *(a for pair in limits for a in pair))
    if code.any():
        bad = code != 0
        value = np.where(bad, np.nan, value)
        limits = [(np.where(bad, np.nan, lo), np.where(bad, np.nan, hi)) for lo, hi in limits]
    return np.asarray(value, dtype=np.float64), [
        (np.asarray(lo, dtype=np.float64), np.asarray(hi, dtype=np.float64)) for lo, hi in limits
    ]


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
        lo, hi = _byar(safe_total, z_value(c))  # the totals are valid counts already
        with np.errstate(invalid="ignore"):
            limits.append((value + factor * (lo - safe_total), value + factor * (hi - safe_total)))
    value, limits = _finish(code, value, limits)
    return RateResult(
        value=value,
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
    scale = _per(per)
    ref = ref_rate * scale
    return _isr_result(observed, expected, ref, code, levels, scale, ref)


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
    n, _ = _inspect(population, "population", nonnegative=True, missing_as_zero=True)
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
    ref_rate = ref_x.sum(axis=-1) / ref_n.sum(axis=-1)
    if total is None:
        if count is None:
            raise ScoringError("count is required unless observed_total is given")
        x, _ = _inspect(count, "count", nonnegative=True, missing_as_zero=True)
        _require_bands(x, "count", count)
        _check_bands(x, "count", n, "population")
        observed = _dot_rows(x, np.ones(x.shape[-1]))
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
    limits = []
    for c in levels:
        lo, hi = _count_limits(safe_obs, c, z_value(c))
        limits.append((lo * scale, hi * scale))
    value, limits = _finish(code, value, limits)
    method = "Byar (exact below 10 observed events)"
    return ISRResult(
        value=value,
        lower=limits[0][0],
        upper=limits[0][1],
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


def _count_result(
    x: FloatArray,
    n: FloatArray,
    code: npt.NDArray[np.uint8],
    scale: float,
    levels: tuple[float, ...],
    limits_at: Callable[[FloatArray, FloatArray, float], tuple[object, object]],
    method: str,
) -> RateResult:
    """A rate or proportion ``x / n * scale`` with ``limits_at(x, n, level)`` at every level;
    values with a note (missing, zero denominator) are computed on placeholders and then
    blanked, so one vectorised pass serves every area."""
    xs = np.where(code == 0, x, 0.0)
    ns = np.where(code == 0, n, 1.0)
    limits = []
    for c in levels:
        lo, hi = limits_at(xs, ns, c)
        limits.append((np.asarray(lo, dtype=np.float64), np.asarray(hi, dtype=np.float64)))
    value, limits = _finish(code, xs * scale / ns, limits)
    return RateResult(
        value=value,
        lower=limits[0][0],
        upper=limits[0][1],
        note=_note_text(code),
        confidence=levels,
        intervals=_interval_map(levels, limits),
        per=scale,
        method=method,
        total_count=np.array(x, dtype=np.float64),
        total_population=np.array(n, dtype=np.float64),
    )


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
    # exact below 10 events, Byar from 10: the scoring default
    return _count_result(
        x,
        n,
        code,
        scale,
        levels,
        lambda xs, ns, c: rate_ci(xs, ns, per=scale, method="auto", confidence=c),
        "exact Poisson below 10 events, Byar from 10",
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

    def limits(xs: FloatArray, ns: FloatArray, c: float) -> tuple[object, object]:
        lo, hi = wilson(xs, ns, c)
        return np.asarray(lo) * scale, np.asarray(hi) * scale

    return _count_result(x, n, code, scale, levels, limits, "Wilson")
