"""Life expectancy: Chiang II abridged life table with Silcocks limits (PHE)."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from outcomes._arrays import FloatArray
from outcomes.errors import ScoringError
from outcomes.indicators._common import (
    _CODE,
    PHE_LIFE_TABLE_AGES,
    Confidence,
    LifeExpectancyResult,
    Note,
    _array,
    _bands_array,
    _check_bands,
    _interval_map,
    _levels,
    _note_text,
    _quiet,
    _sweep,
)
from outcomes.stats import z_value

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
