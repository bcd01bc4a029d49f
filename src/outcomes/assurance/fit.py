"""Fitting the registry's audit forms to many printed rows at once, by their closed-form inverses.

For one form, indexing and rounding, every printed cell confines the form's parameter to an
interval (the values that print the same); the parameter region covered by the most cells is
found by comparing interval ends, and within it the plainest value an analyst would have typed
(fewest significant digits: -3.2%, not -3.1987%; 42.5, not 42.475). Everything is vectorised over
the rows of a batch (rows that share their periods); nothing is searched by bisection.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from outcomes._arrays import FloatArray
from outcomes.assurance.rounding import ROUNDINGS, preimage, rounded
from outcomes.rules import AuditForm, specs

__all__ = ["Candidate", "fit_rows", "forms", "plainest", "plainness", "significant_digits"]

BoolArray = npt.NDArray[np.bool_]
_MAX_PLACES = 10


def forms() -> list[tuple[str, AuditForm]]:
    """Every (rule, form) the registry declares for the audit, the plainest first."""
    found = [(spec.name, form) for spec in specs() for form in spec.audit]

    def complexity(pair: tuple[str, AuditForm]) -> int:
        form = pair[1]
        return 0 if form.parameter is None else (2 if form.then is not None else 1)

    return sorted(found, key=complexity)


def plainness(values: FloatArray, percent: bool) -> npt.NDArray[np.int64]:
    """How plain each value is as an analyst types it (rates in percent): its significant
    digits, then its decimal places (lower is plainer): ``100 * digits + places``.

    >>> plainness(np.array([42.5, 42.475, 79.0]), False).tolist(), plainness(np.array([0.013]), True).tolist()
    ([301, 503, 200], [201])
    """
    digits, places = _digits(values, percent)
    return digits * 100 + places


def significant_digits(values: FloatArray, percent: bool) -> npt.NDArray[np.int64]:
    """Significant digits of each value as an analyst types it (rates in percent).

    >>> significant_digits(np.array([42.5, 42.475, 1700.0, -0.032]), False).tolist()
    [3, 5, 2, 2]
    """
    return _digits(values, percent)[0]


def _digits(
    values: FloatArray, percent: bool
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """(significant digits, decimal places) of each value as typed."""
    v = np.abs(np.asarray(values, dtype=np.float64) * (100.0 if percent else 1.0))
    v = np.where(np.isfinite(v), v, 0.0)
    digits = np.zeros(v.shape, dtype=np.int64)
    integer = np.zeros(v.shape)
    places_of = np.full(v.shape, _MAX_PLACES, dtype=np.int64)
    done = np.zeros(v.shape, dtype=bool)
    for places in range(_MAX_PLACES + 1):
        scaled = v * 10.0**places
        whole = np.round(scaled)
        exact = ~done & (np.abs(scaled - whole) <= 1e-7 * np.maximum(scaled, 1.0))
        integer[exact] = whole[exact]
        places_of[exact] = places
        done |= exact
    integer[~done] = np.round(v[~done] * 10.0**_MAX_PLACES)
    # digits of the integer, less its trailing zeros
    with np.errstate(divide="ignore"):
        length = np.where(integer > 0, np.floor(np.log10(np.maximum(integer, 1.0))) + 1, 0)
    trailing = np.zeros(v.shape, dtype=np.int64)
    rest = integer.copy()
    for _ in range(20):
        zero = (rest > 0) & (np.fmod(rest, 10.0) == 0)
        if not zero.any():
            break
        trailing += zero
        rest = np.where(zero, rest / 10.0, rest)
    digits = (length - trailing).astype(np.int64)
    return np.maximum(digits, 0), places_of


def plainest(lo: FloatArray, hi: FloatArray, percent: bool) -> FloatArray:
    """The value in each [lo, hi] with the fewest decimal places (rates in percent), nearest the
    middle; the middle where the interval is empty.

    >>> plainest(np.array([-0.0321, 4.47]), np.array([-0.0318, 4.52]), False).tolist()
    [-0.032, 4.5]
    """
    unit = 100.0 if percent else 1.0
    with np.errstate(invalid="ignore", over="ignore"):
        mid = (lo + hi) / 2
    # a half-open interval is anchored at its finite end; an unbounded one at zero
    mid = np.where(np.isfinite(lo) & ~np.isfinite(hi), lo, mid)
    mid = np.where(~np.isfinite(lo) & np.isfinite(hi), hi, mid)
    mid = np.where(np.isneginf(lo) & np.isposinf(hi), 0.0, mid)
    out = np.where(np.isfinite(mid), mid, np.nan)
    done = ~(lo <= hi)
    for places in range(_MAX_PLACES + 1):
        s = unit * 10.0**places
        with np.errstate(invalid="ignore", over="ignore"):
            first = np.ceil(lo * s - 1e-7)
            last = np.floor(hi * s + 1e-7)
            ok = ~done & (first <= last)
            candidate = np.clip(np.round(mid * s), first, last) / s
        out = np.where(ok, candidate, out)
        done |= ok
        if done.all():
            break
    return np.asarray(out, dtype=np.float64)


@dataclass
class Candidate:
    """One (rule, form, indexing, rounding) fitted to every row of a batch."""

    rule: str
    form: AuditForm
    indexing: str
    rounding: str
    value: FloatArray
    lo: FloatArray
    hi: FloatArray
    predicted: FloatArray
    flagged: BoolArray
    score: FloatArray
    first_value: FloatArray | None = None
    break_index: npt.NDArray[np.int64] | None = None


def _intervals(
    form: AuditForm,
    cells: FloatArray,
    b: FloatArray,
    scale: FloatArray,
    k: FloatArray,
    n: FloatArray,
    mode: str,
) -> tuple[FloatArray, FloatArray]:
    """Per cell, the parameter interval that prints the cell (empty: lo > hi)."""
    assert form.inverse is not None
    lo_v, hi_v = preimage(mode, cells, scale)
    with np.errstate(all="ignore"):
        p_lo = form.inverse(lo_v, k, n, b)
        p_hi = form.inverse(hi_v, k, n, b)
    p_lo = np.where(np.isnan(p_lo) & np.isfinite(p_hi), form.domain[0], p_lo)
    empty = ~np.isfinite(p_hi) | np.isnan(p_lo)
    p_lo = np.maximum(np.where(empty, np.inf, p_lo), form.domain[0])
    p_hi = np.minimum(np.where(empty, -np.inf, p_hi), form.domain[1])
    return p_lo, p_hi


def _stab(lo: FloatArray, hi: FloatArray) -> tuple[FloatArray, FloatArray, npt.NDArray[np.int64]]:
    """Per row, the region covered by the most intervals (rows x cells), and how many cover it."""
    # the best region starts at some interval's start; coverage of each start, for every row
    start = lo[:, np.newaxis, :]  # candidate points
    covers = (lo[:, :, np.newaxis] <= start) & (start <= hi[:, :, np.newaxis])  # (R, i, j)
    coverage = covers.sum(axis=1)  # (R, j)
    coverage = np.where(lo <= hi, coverage, 0)
    best = coverage.argmax(axis=1)
    rows = np.arange(lo.shape[0])
    chosen = covers[rows, :, best]  # (R, i): intervals covering the chosen point
    region_lo = np.where(chosen, lo, -np.inf).max(axis=1)
    region_hi = np.where(chosen, hi, np.inf).min(axis=1)
    count = coverage[rows, best].astype(np.int64)
    return region_lo, region_hi, count


def _single(
    form: AuditForm,
    cells: FloatArray,
    b: FloatArray,
    scale: FloatArray,
    k: FloatArray,
    n: FloatArray,
    mode: str,
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, BoolArray]:
    """Fit one form: (value, lo, hi, predicted printed cells, flagged cells) per row."""
    bb, ss = b[:, np.newaxis], scale[:, np.newaxis]
    if form.parameter is None:
        value = np.zeros(b.shape)
        lo = hi = value
        with np.errstate(all="ignore"):
            raw = form.forward(value[:, np.newaxis], k, n, bb)
    else:
        p_lo, p_hi = _intervals(form, cells, bb, ss, k, n, mode)
        lo, hi, count = _stab(p_lo, p_hi)
        value = plainest(lo, hi, form.percent)
        with np.errstate(all="ignore"):
            raw = form.forward(value[:, np.newaxis], k, n, bb)
        printed = rounded(mode, raw, ss)
        flagged = ~np.isclose(printed, cells, rtol=0, atol=0.01 / ss)
        # at an open edge of the region the plainest value may lose a cell the region holds:
        # the middle of the region keeps it
        worse = flagged.sum(axis=1) > cells.shape[1] - count
        if worse.any():
            middle = np.where(np.isfinite(lo + hi), (lo + hi) / 2, value)
            value = np.where(worse, middle, value)
            with np.errstate(all="ignore"):
                raw = form.forward(value[:, np.newaxis], k, n, bb)
    printed = rounded(mode, raw, ss)
    flagged = ~(np.isfinite(raw) & np.isclose(printed, cells, rtol=0, atol=0.01 / ss))
    return value, lo, hi, printed, flagged


def _score(
    flagged: BoolArray,
    complexity: int,
    plain: npt.NDArray[np.int64],
    mode: str,
    order: int,
    indexing: str,
) -> FloatArray:
    """Lower is better: fewest flagged cells, then fewest parameters, then the plainest
    parameters (fewest significant digits, then fewest decimal places), then the rounding's
    order, then the form's order (the plainer form first), elapsed before plan-year."""
    return np.asarray(
        flagged.sum(axis=1) * 1e9
        + complexity * 1e8
        + np.minimum(plain, 9999) * 1e3
        + ROUNDINGS.index(mode) * 1e2
        + order * 2
        + (indexing != "elapsed"),
        dtype=np.float64,
    )


def _keep_better(
    better: BoolArray,
    old: tuple[npt.NDArray[np.generic], ...],
    new: tuple[npt.NDArray[np.generic], ...],
) -> tuple[npt.NDArray[np.generic], ...]:
    """Row by row, ``new`` where ``better`` else ``old`` (1-D and 2-D arrays alike)."""
    return tuple(
        np.where(better[:, np.newaxis] if n.ndim == 2 else better, n, o)
        for o, n in zip(old, new, strict=True)
    )


def _two_phase(
    form: AuditForm,
    cells: FloatArray,
    b: FloatArray,
    scale: FloatArray,
    k: FloatArray,
    n: float,
    mode: str,
) -> tuple[npt.NDArray[np.generic], ...] | None:
    """Fit a two-phase form at every break (the second phase needs two cells or more); per row
    the break that flags fewest cells, then the plainest parameters. Returns (value, lo, hi,
    predicted, first value, flagged, break index, plainness), or None when the row is too short.
    """
    assert form.then is not None
    m = cells.shape[1]
    best: tuple[npt.NDArray[np.generic], ...] | None = None
    best_key = np.full(b.shape, np.inf)
    for j in range(0, m - 2):
        kb = float(k[j])
        v1, _, _, p1, f1 = _single(
            form, cells[:, : j + 1], b, scale, k[: j + 1], np.asarray(kb), mode
        )
        with np.errstate(all="ignore"):
            at_break = form.forward(v1, np.asarray(kb), np.asarray(kb), b)
        ok = np.isfinite(at_break) & (at_break > 0)
        at_break = np.where(ok, at_break, b)
        v2, lo2, hi2, p2, f2 = _single(
            form.then,
            cells[:, j + 1 :],
            at_break,
            scale,
            k[j + 1 :] - kb,
            np.asarray(n - kb),
            mode,
        )
        flagged = np.concatenate([f1, f2 | ~ok[:, np.newaxis]], axis=1)
        digits = plainness(v1, form.percent) + plainness(v2, form.then.percent)
        key = flagged.sum(axis=1) * 1e5 + np.minimum(digits, 9999)
        fitted = (
            v2,
            lo2,
            hi2,
            np.concatenate([p1, p2], axis=1),
            v1,
            flagged,
            np.full(b.shape, j, dtype=np.int64),
            digits,
        )
        best = fitted if best is None else _keep_better(key < best_key, best, fitted)
        best_key = np.minimum(key, best_key)
    return best


def fit_rows(
    cells: FloatArray,
    baseline: FloatArray,
    scale: FloatArray,
    steps: dict[str, tuple[FloatArray, float]],
    modes: tuple[str, ...] = ROUNDINGS,
) -> list[Candidate]:
    """Every registered audit form, under each indexing in ``steps`` (indexing -> (k, n)) and
    each rounding in ``modes``, fitted to every row of ``cells`` (rows x periods)."""
    out: list[Candidate] = []
    for order, (rule, form) in enumerate(forms()):
        for indexing, (k, n) in steps.items():
            for mode in modes:
                if form.then is not None:
                    fitted = _two_phase(form, cells, baseline, scale, k, n, mode)
                    if fitted is None:
                        continue
                    value, lo, hi, predicted, first, flagged, breaks, digits = (
                        np.asarray(x) for x in fitted
                    )
                    score = _score(
                        flagged.astype(bool),
                        2,
                        digits.astype(np.int64),
                        mode,
                        order,
                        indexing,
                    )
                    out.append(
                        Candidate(
                            rule,
                            form,
                            indexing,
                            mode,
                            value,
                            lo,
                            hi,
                            predicted,
                            flagged,
                            score,
                            first,
                            breaks,
                        )
                    )
                    continue
                value, lo, hi, predicted, flagged = _single(
                    form, cells, baseline, scale, k, np.asarray(n), mode
                )
                complexity = 0 if form.parameter is None else 1
                digits = (
                    np.zeros(value.shape, dtype=np.int64)
                    if form.parameter is None
                    else plainness(value, form.percent)
                )
                score = _score(
                    flagged,
                    complexity,
                    digits,
                    mode,
                    order,
                    indexing,
                )
                out.append(
                    Candidate(rule, form, indexing, mode, value, lo, hi, predicted, flagged, score)
                )
    return out
