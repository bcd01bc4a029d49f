"""Slope and relative index of inequality, limits by simulation (PHE)."""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from outcomes._arrays import FloatArray
from outcomes.errors import ScoringError
from outcomes.indicators._common import (
    _CODE,
    Confidence,
    Note,
    SIIResult,
    _bands_array,
    _check_bands,
    _interval_map,
    _levels,
    _note_text,
    _per,
    _quiet,
    _sweep,
)
from outcomes.stats import z_value

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
        shape = _check_bands(s, "se", np.broadcast_to(v, shape), "value")
        s = np.broadcast_to(s, shape)
        missing = np.isnan(s)
    elif lower is not None and upper is not None:
        lo, hi = _bands_array(lower, "lower"), _bands_array(upper, "upper")
        shape = _check_bands(lo, "lower", np.broadcast_to(v, shape), "value")
        shape = _check_bands(hi, "upper", np.broadcast_to(v, shape), "value")
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
