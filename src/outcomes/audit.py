"""Audit a published trajectory row: which rule explains the printed cells, and which cells no
rule explains.

Each candidate rule has one free parameter (a yearly rate, or the end value of a path). Every
printed cell, with its precision, confines that parameter to an interval: the values that would
print the same after rounding half-up. The parameter value consistent with the most cells is
chosen, and within that region the plainest one an analyst would have typed (fewest decimal
places: -3.2%, not -3.1987%). Cells it does not reproduce are flagged, with what the rule would
have printed there and every alternative explanation that fits exactly.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict

from outcomes._arrays import round_half_up
from outcomes.periods import Period, period
from outcomes.polarity import Polarity
from outcomes.trajectories import cumulative_share

__all__ = ["AuditReport", "Explanation", "RuleFit", "audit"]

MISSING = {"", "awaiting indicator", "awaiting data", "n/a", "na", "-", "tbc", "none"}
INF = math.inf


class RuleFit(BaseModel):
    """One candidate rule fitted to the printed row."""

    model_config = ConfigDict(frozen=True)
    rule: str
    indexing: str
    parameter: str
    value: float
    interval: tuple[float, float]
    predicted: tuple[float, ...]
    residuals: tuple[float, ...]
    flagged: tuple[str, ...]

    def describe(self) -> str:
        if self.parameter == "rate":
            return f"{self.rule} {self.value:+.{_places(self.value * 100)}%}/yr ({self.indexing})"
        if self.parameter == "none":
            return f"{self.rule} ({self.indexing})"
        return f"{self.rule} to {self.value:g} ({self.indexing})"


class Explanation(BaseModel):
    """An alternative explanation that reproduces one flagged cell exactly."""

    model_config = ConfigDict(frozen=True)
    period: str
    printed: float
    explanation: str


class AuditReport(BaseModel):
    """The result of :func:`audit` (JSON-serialisable)."""

    model_config = ConfigDict(frozen=True)
    measure: str | None
    audited: bool
    reason: str | None
    baseline: float | None
    start: str
    periods: tuple[str, ...]
    printed: tuple[float | None, ...]
    ndigits: int | None
    fits: tuple[RuleFit, ...]
    best: RuleFit | None
    flagged: tuple[str, ...]
    explanations: tuple[Explanation, ...]
    worse_than_baseline: tuple[str, ...]
    non_monotone: tuple[str, ...]

    @property
    def ok(self) -> bool:
        """Audited, with no flagged cell, no target worse than baseline and a monotone path."""
        return self.audited and not (self.flagged or self.worse_than_baseline or self.non_monotone)

    def __str__(self) -> str:
        name = self.measure or "row"
        if not self.audited:
            return f"{name}: not audited: {self.reason}"
        assert self.best is not None
        lines = [
            f"{name}: best rule {self.best.describe()}, parameter interval "
            f"[{self.best.interval[0]:.6g}, {self.best.interval[1]:.6g}]"
        ]
        if not self.flagged:
            lines.append("  every cell reproduced")
        for p in self.flagged:
            i = self.periods.index(p)
            lines.append(
                f"  {p}: printed {_show(self.printed[i], self.ndigits)}; "
                f"{self.best.describe()} from the baseline gives "
                f"{_show(self.best.predicted[i], self.ndigits)}"
            )
        for e in self.explanations:
            lines.append(f"    {e.period} would fit if {e.explanation}")
        if self.worse_than_baseline:
            lines.append("  worse than the baseline: " + ", ".join(self.worse_than_baseline))
        if self.non_monotone:
            lines.append("  path changes direction at: " + ", ".join(self.non_monotone))
        return "\n".join(lines)


def _show(value: float | None, ndigits: int | None) -> str:
    if value is None:
        return "missing"
    return f"{value:.{ndigits or 0}f}" if ndigits is not None else f"{value:g}"


def _places(x: float) -> int:
    text = f"{x:.10f}".rstrip("0")
    return max(len(text.split(".")[1]) if "." in text else 0, 1)


def _decimals(fit: RuleFit) -> int:
    """Decimal places of a fitted parameter as an analyst types it (rates in percent)."""
    if fit.parameter == "none":
        return 0
    value = fit.value * 100 if fit.parameter == "rate" else fit.value
    text = f"{value:.9f}".rstrip("0").rstrip(".")
    return len(text.split(".")[1]) if "." in text else 0


def _digits(text: str) -> int:
    exponent = Decimal(text.strip().replace(",", "")).as_tuple().exponent
    return max(0, -int(exponent)) if isinstance(exponent, int) else 0


def _plainest(lo: float, hi: float) -> float:
    """The value in [lo, hi] with the fewest decimal places, nearest the middle."""
    if lo > hi:
        return (lo + hi) / 2
    for places in range(0, 13):
        scale = 10.0**places
        first, last = math.ceil(lo * scale - 1e-9), math.floor(hi * scale + 1e-9)
        if first <= last:
            mid = (lo + hi) / 2 * scale
            return (
                min(range(first, last + 1), key=lambda v: abs(v - mid)) / scale
                if (last - first < 1000)
                else round(mid) / scale
            )
    return (lo + hi) / 2


def _stab(intervals: list[tuple[float, float]]) -> tuple[float, float, int]:
    """The region covered by the most intervals (closed), and how many cover it."""
    events = sorted([(lo, 0) for lo, _ in intervals] + [(hi, 1) for _, hi in intervals])
    best, count, region = -1, 0, (0.0, 0.0)
    for i, (x, kind) in enumerate(events):
        count += 1 if kind == 0 else -1
        if kind == 0 and count > best:
            best = count
            nxt = next((y for y, k in events[i + 1 :] if k == 1), x)
            region = (x, nxt)
    return region[0], region[1], best


# A rule: (name, parameter name, forward(param, k, n, b) -> value, inverse(value, k, n, b) -> param)
Forward = Callable[[float, float, float, float], float]


def _rules() -> list[tuple[str, str, Forward]]:
    def share(profile: str) -> Callable[[float], float]:
        return lambda x: float(cumulative_share(profile, x))

    def path(profile: str) -> Forward:
        s = share(profile)
        return lambda t, k, n, b: b + (t - b) * s(k / n)

    return [
        ("hold", "none", lambda _p, _k, _n, b: b),
        ("percentage_change compound", "rate", lambda r, k, _n, b: b * (1 + r) ** k),
        ("percentage_change simple", "rate", lambda r, k, _n, b: b * (1 + r * k)),
        ("linear", "end value", path("linear")),
        (
            "geometric",
            "end value",
            lambda t, k, n, b: b * (t / b) ** (k / n) if t > 0 < b else math.nan,
        ),
        ("front-loaded", "end value", path("front-loaded")),
        ("back-loaded", "end value", path("back-loaded")),
    ]


def _invert(
    forward: Forward, lo: float, hi: float, k: float, n: float, b: float, guess: tuple[float, float]
) -> tuple[float, float]:
    """Parameter interval mapping into [lo, hi] at step k (forward is monotone in the parameter)."""
    a, z = guess

    def solve(target: float) -> float:
        left, right = a, z
        f_left = forward(left, k, n, b) - target
        for _ in range(200):
            mid = (left + right) / 2
            f_mid = forward(mid, k, n, b) - target
            if (f_mid > 0) == (f_left > 0):
                left, f_left = mid, f_mid
            else:
                right = mid
        return (left + right) / 2

    x1, x2 = solve(lo), solve(hi)
    return (min(x1, x2), max(x1, x2))


def audit(
    values: Sequence[Any],
    *,
    baseline: float,
    start: str | Period,
    periods: Sequence[str | Period],
    ndigits: int | None = None,
    polarity: Any = None,
    measure: str | None = None,
) -> AuditReport:
    """Audit one published row (values per period as printed) against every candidate rule.

    Candidates: hold; compound and simple percentage change (fitted rate); linear, geometric,
    front- and back-loaded paths to a fitted end value; each under both time indexings
    (elapsed years and plan-year). ``ndigits`` is the printed precision; given text cells, it is
    read from them. Cells such as "Awaiting indicator" make the row *not audited*, with the
    reason. Alternative explanations tried for a flagged cell: a different baseline, a different
    number of steps, simple instead of compound (and the reverse).

    >>> report = audit([1531, 1492, 1455, 1419, 1349], baseline=1610, start="2012",
    ...                periods=["2014/15", "2015/16", "2016/17", "2017/18", "2018/19"])
    >>> report.best.describe(), report.flagged
    ('percentage_change compound -2.5%/yr (elapsed)', ('2018/19',))
    >>> print(report)  # doctest: +ELLIPSIS
    row: best rule percentage_change compound -2.5%/yr (elapsed), parameter interval [...]
      2018/19: printed 1349; percentage_change compound -2.5%/yr (elapsed) from the baseline gives 1383
    ...
        2018/19 would fit if 7 steps were counted from the baseline instead of 6
    """
    labels = tuple(str(period(p)) for p in periods)
    start_p = period(start)
    if len(values) != len(labels):
        return _not_audited(
            measure,
            f"{len(values)} values for {len(labels)} periods",
            baseline,
            str(start_p),
            labels,
            (),
            ndigits,
        )
    printed: list[float | None] = []
    missing = []
    digits = 0
    for label, cell in zip(labels, values, strict=True):
        if (
            cell is None
            or (isinstance(cell, float) and math.isnan(cell))
            or (isinstance(cell, str) and cell.strip().lower() in MISSING)
        ):
            printed.append(None)
            missing.append(label)
            continue
        if isinstance(cell, str):
            try:
                digits = max(digits, _digits(cell))
                printed.append(float(cell.replace(",", "")))
            except (ArithmeticError, ValueError):
                printed.append(None)
                missing.append(f"{label} ({cell!r} is not a number)")
        else:
            printed.append(float(cell))
            digits = max(digits, _digits(repr(float(cell))) if float(cell) % 1 else 0)
    nd = ndigits if ndigits is not None else digits
    if missing:
        return _not_audited(
            measure,
            "cells with no number: " + ", ".join(missing),
            baseline,
            str(start_p),
            labels,
            tuple(printed),
            nd,
        )
    if len(printed) < 2:
        return _not_audited(
            measure,
            "a single period: nothing to fit",
            baseline,
            str(start_p),
            labels,
            tuple(printed),
            nd,
        )
    b = float(baseline)
    if not math.isfinite(b) or b <= 0:
        return _not_audited(
            measure,
            f"baseline must be a number above zero, got {baseline!r}",
            baseline,
            str(start_p),
            labels,
            tuple(printed),
            nd,
        )
    cells = np.array(printed, dtype=float)
    half = 0.5 * 10.0**-nd
    steps = {
        "elapsed": [start_p.years_until(period(p)) for p in labels],
        "plan-year": [period(labels[0]).years_until(period(p)) + 1 for p in labels],
    }
    fits = []
    for indexing, ks in steps.items():
        if min(ks) < 1:
            continue
        n = float(ks[-1])
        for name, parameter, forward in _rules():
            fits.append(_fit(name, parameter, forward, indexing, ks, n, b, cells, half, nd, labels))
    order = {name: i for i, (name, _, _) in enumerate(_rules())}
    # fewest flagged cells, then the plainest parameter (as typed), the plainest rule, elapsed years
    fits.sort(key=lambda f: (len(f.flagged), _decimals(f), order[f.rule], f.indexing != "elapsed"))
    best = fits[0]
    explanations = _explain(best, steps[best.indexing], b, cells, half, nd, labels)
    pol = Polarity.parse(polarity) if polarity is not None else None
    worse: tuple[str, ...] = ()
    if pol is not None and pol is not Polarity.NO_JUDGEMENT:
        worse = tuple(p for p, v in zip(labels, cells, strict=True) if pol.sign * (v - b) < 0)
    path = np.concatenate([[b], cells])
    direction = np.sign(np.diff(path))
    overall = np.sign(cells[-1] - b)
    non_monotone = tuple(
        p for p, d in zip(labels, direction, strict=True) if d != 0 and d != overall
    )
    return AuditReport(
        measure=measure,
        audited=True,
        reason=None,
        baseline=b,
        start=str(start_p),
        periods=labels,
        printed=tuple(float(c) for c in cells),
        ndigits=nd,
        fits=tuple(fits),
        best=best,
        flagged=best.flagged,
        explanations=tuple(explanations),
        worse_than_baseline=worse,
        non_monotone=non_monotone,
    )


def _not_audited(
    measure: str | None,
    reason: str,
    baseline: Any,
    start: str,
    labels: tuple[str, ...],
    printed: tuple[float | None, ...],
    nd: int | None,
) -> AuditReport:
    try:
        base = float(baseline)
    except (TypeError, ValueError):
        base = None
    return AuditReport(
        measure=measure,
        audited=False,
        reason=reason,
        baseline=base,
        start=start,
        periods=labels,
        printed=printed,
        ndigits=nd,
        fits=(),
        best=None,
        flagged=(),
        explanations=(),
        worse_than_baseline=(),
        non_monotone=(),
    )


def _prints(value: float, printed: float, nd: int) -> bool:
    return math.isfinite(value) and abs(float(round_half_up(value, nd)) - printed) < 1e-9


def _fit(
    name: str,
    parameter: str,
    forward: Forward,
    indexing: str,
    ks: list[int],
    n: float,
    b: float,
    cells: np.ndarray,
    half: float,
    nd: int,
    labels: tuple[str, ...],
) -> RuleFit:
    if parameter == "none":
        value, interval = 0.0, (0.0, 0.0)
    else:
        guess = (-0.999, 10.0) if parameter == "rate" else (1e-9, max(cells.max(), b) * 20 + 1)
        intervals = [
            _invert(forward, c - half, c + half, float(k), n, b, guess)
            for c, k in zip(cells, ks, strict=True)
        ]
        lo, hi, _ = _stab(intervals)
        interval = (lo, hi)
        # The plainest value must still print every cell whose interval holds the region; at a
        # region's open edge (x.5 rounds up) it may not, and the middle of the region does.
        value = _plainest(lo, hi)
        held = [a <= lo and hi <= z for a, z in intervals]
        if not all(
            _prints(forward(value, k, n, b), c, nd)
            for c, k, h in zip(cells, ks, held, strict=True)
            if h
        ):
            value = (lo + hi) / 2
    predicted = [forward(value, float(k), n, b) for k in ks]
    shown = [float(round_half_up(p, nd)) if math.isfinite(p) else math.nan for p in predicted]
    flagged = tuple(
        lab for lab, p, c in zip(labels, predicted, cells, strict=True) if not _prints(p, c, nd)
    )
    return RuleFit(
        rule=name,
        indexing=indexing,
        parameter=parameter,
        value=value,
        interval=interval,
        predicted=tuple(shown),
        residuals=tuple(c - s for c, s in zip(cells, shown, strict=True)),
        flagged=flagged,
    )


def _explain(
    best: RuleFit,
    ks: list[int],
    b: float,
    cells: np.ndarray,
    half: float,
    nd: int,
    labels: tuple[str, ...],
) -> list[Explanation]:
    forms = {name: fwd for name, _, fwd in _rules()}
    forward = forms[best.rule]
    n = float(ks[-1])
    out: list[Explanation] = []
    for label in best.flagged:
        i = labels.index(label)
        c, k = float(cells[i]), float(ks[i])
        # a different baseline that the rule would need
        if best.parameter != "none":
            unit = forward(best.value, k, n, 1.0) if best.rule.startswith("percentage") else None
            if unit and unit > 0:
                lo, hi = (c - half) / unit, (c + half) / unit
                plain = _plainest(lo, hi - 1e-12)
                out.append(
                    Explanation(
                        period=label,
                        printed=c,
                        explanation=(
                            f"the baseline were {plain:g} (any value in [{lo:.6g}, {hi:.6g}))"
                        ),
                    )
                )
        # a different number of steps
        for other in range(0, int(n) + 4):
            if other != int(k) and _prints(forward(best.value, float(other), n, b), c, nd):
                out.append(
                    Explanation(
                        period=label,
                        printed=c,
                        explanation=(
                            f"{other} steps were counted from the baseline instead of {int(k)}"
                        ),
                    )
                )
        # simple instead of compound, and the reverse
        swap = {
            "percentage_change compound": "percentage_change simple",
            "percentage_change simple": "percentage_change compound",
        }.get(best.rule)
        if swap and _prints(forms[swap](best.value, k, n, b), c, nd):
            out.append(
                Explanation(
                    period=label,
                    printed=c,
                    explanation=(
                        f"the rate were applied {'simply' if 'simple' in swap else 'compounded'} "
                        f"in this year"
                    ),
                )
            )
    return out
