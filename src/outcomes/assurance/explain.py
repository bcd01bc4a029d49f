"""Why a flagged cell differs: another explanation by the rule (another number of steps, simple
instead of compound, computed from the previous printed cell), a likely typo (one transposed or
mistyped digit), or arithmetic rows that are not trajectories at all."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np

from outcomes.assurance.models import Explanation
from outcomes.assurance.rounding import rounded
from outcomes.rules import AuditForm

__all__ = ["arithmetic", "explanations", "typo"]

_WORDS = {"simple": "simply", "compound": "compounded"}


def _prints(
    form: AuditForm, p: float, k: float, n: float, b: float, c: float, mode: str, scale: float
) -> bool:
    with np.errstate(all="ignore"):
        raw = form.forward(np.asarray(p), np.asarray(k), np.asarray(n), np.asarray(b))
    if not np.isfinite(raw):
        return False
    return bool(
        np.isclose(rounded(mode, np.asarray(raw), np.asarray(scale)), c, rtol=0, atol=0.01 / scale)
    )


def explanations(
    form: AuditForm,
    swap: AuditForm | None,
    value: float,
    label: str,
    printed: float,
    previous: float,
    k: float,
    n: float,
    b: float,
    mode: str,
    scale: float,
) -> list[Explanation]:
    """Other ways the fitted rule reproduces the printed cell."""
    out = []
    others = np.array([s for s in range(0, int(n) + 4) if s != int(k)], dtype=np.float64)
    with np.errstate(all="ignore"):
        raw = form.forward(np.asarray(value), others, np.asarray(n), np.asarray(b))
    hits = np.isfinite(raw) & np.isclose(
        rounded(mode, raw, np.asarray(scale)), printed, rtol=0, atol=0.01 / scale
    )
    if hits.any():
        other = int(others[np.argmax(hits)])
        out.append(
            Explanation(
                period=label,
                printed=printed,
                explanation=f"{other} steps were counted from the baseline instead of {int(k)}",
            )
        )
    if swap is not None and _prints(swap, value, k, n, b, printed, mode, scale):
        out.append(
            Explanation(
                period=label,
                printed=printed,
                explanation=(
                    f"the rate were applied {_WORDS.get(swap.label, swap.label)}, not "
                    f"{_WORDS.get(form.label, form.label)}, in this year"
                ),
            )
        )
    if (
        form.parameter == "rate"
        and k > 1
        and _prints(form, value, 1.0, n, previous, printed, mode, scale)
    ):
        out.append(
            Explanation(
                period=label,
                printed=printed,
                explanation="it were computed from the previous printed (rounded) value",
            )
        )
    return out


def _digit_edits(text: str) -> set[str]:
    """Every string one transposition of adjacent digits or one changed digit away."""
    out = set()
    chars = list(text)
    digits = [i for i, ch in enumerate(chars) if ch.isdigit()]
    for a, b in itertools.pairwise(digits):
        if b == a + 1 and chars[a] != chars[b]:
            swapped = chars.copy()
            swapped[a], swapped[b] = swapped[b], swapped[a]
            out.add("".join(swapped))
    for i in digits:
        for d in "0123456789":
            if d != chars[i]:
                changed = chars.copy()
                changed[i] = d
                out.add("".join(changed))
    return out


def typo(printed: float, expected: float, ndigits: int) -> bool:
    """Whether the printed cell is one transposed or mistyped digit away from the expected one.

    >>> typo(1427, 1472, 0), typo(707, 770, 0), typo(1349, 1383, 0)
    (True, True, False)
    """
    a, b = f"{printed:.{ndigits}f}", f"{expected:.{ndigits}f}"
    if a == b or len(a) != len(b):
        return False
    return b in _digit_edits(a)


def arithmetic(cells: np.ndarray, names: Sequence[str], scale: np.ndarray) -> dict[int, str]:
    """Rows of one table that are other rows' sum, difference or ratio, or a figure held then
    stepped: row index -> why it is not a trajectory. Equality is at the printed precision, with
    one unit in the last digit allowed (derived rows in the plans are out by one in places).
    Sums are found first; a part of a total is not also "the total minus the other part".
    """
    rows, _ = cells.shape
    out: dict[int, str] = {}
    tolerance = 1.0 / scale[:, np.newaxis] + 1e-9
    ok = np.isfinite(cells).all(axis=1)
    pairs = [(i, j) for i, j in itertools.combinations(range(rows), 2) if ok[i] and ok[j]]

    def matching(derived: np.ndarray) -> list[int]:
        if not np.isfinite(derived).all():
            return []
        return np.flatnonzero(ok & (np.abs(cells - derived) <= tolerance).all(axis=1)).tolist()

    parts: set[frozenset[int]] = set()
    for i, j in pairs:
        for r in matching(cells[i] + cells[j]):
            if r not in (i, j) and r not in out:
                out[r] = f"not a trajectory: the row is the sum of rows {names[i]} and {names[j]}"
                parts.add(frozenset((r, i, j)))
    for i, j in pairs:
        for a, b in ((i, j), (j, i)):
            for r in matching(cells[a] - cells[b]):
                if r in (a, b) or r in out or frozenset((a, b, r)) in parts:
                    continue
                out[r] = f"not a trajectory: the row is row {names[a]} minus row {names[b]}"
            with np.errstate(all="ignore"):
                ratio = cells[a] / cells[b]
            for factor, what in ((1.0, "ratio"), (100.0, "percentage")):
                for r in matching(ratio * factor):
                    if r not in (a, b) and r not in out:
                        out[r] = (
                            f"not a trajectory: the row is the {what} of row {names[a]} to row "
                            f"{names[b]}"
                        )
    for r in range(rows):
        if r in out or not ok[r] or cells.shape[1] < 3:
            continue
        steps = np.flatnonzero(np.diff(cells[r]) != 0)
        if steps.size == 1 and steps[0] > 0:
            out[r] = (
                f"not a trajectory: the row holds {cells[r][0]:g} and then steps to "
                f"{cells[r][-1]:g}"
            )
    return out
