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
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict

from outcomes._arrays import round_half_up
from outcomes._files import csv_rows, read_text
from outcomes.errors import InputError, OutcomesError
from outcomes.periods import Period, period
from outcomes.polarity import Polarity
from outcomes.rules import AuditForm, specs
from outcomes.units import is_missing

__all__ = ["AuditReport", "Explanation", "RuleFit", "audit", "audit_table"]


class RuleFit(BaseModel):
    """One candidate rule fitted to the printed row."""

    model_config = ConfigDict(frozen=True)
    rule: str
    form: str
    indexing: str
    parameter: str
    value: float
    interval: tuple[float, float]
    predicted: tuple[float, ...]
    residuals: tuple[float, ...]
    flagged: tuple[str, ...]

    def describe(self) -> str:
        name = self.rule if self.form == self.rule else f"{self.rule} {self.form}"
        if self.parameter == "rate":
            return f"{name} {self.value:+.{_places(self.value * 100)}%}/yr ({self.indexing})"
        if self.parameter == "none":
            return f"{name} ({self.indexing})"
        return f"{name} to {self.value:g} ({self.indexing})"


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


def _forms() -> list[tuple[str, AuditForm]]:
    """Every (rule name, form) the registry declares for the audit, the plainest first."""
    forms = [(spec.name, form) for spec in specs() for form in spec.audit]
    return sorted(forms, key=lambda pair: pair[1].parameter is not None)


def _parameter_interval(
    form: AuditForm, lo: float, hi: float, k: float, n: float, b: float
) -> tuple[float, float]:
    """The parameters that print a value in [lo, hi] at step k, by the closed-form inverse.

    Every registered form is increasing in its parameter, so the interval's ends are the
    inverses of the value's ends; a value below what the form can reach (e.g. a negative value
    for a compound change) maps to the bottom of the parameter's domain.
    """
    assert form.inverse is not None
    with np.errstate(all="ignore"):
        ends = form.inverse(np.array([lo, hi]), np.array(k), np.array(n), np.array(b))
    low, high = float(ends[0]), float(ends[1])
    if not math.isfinite(high):
        return (math.inf, -math.inf)  # nothing prints there
    if not math.isfinite(low):
        low = form.domain[0]
    return (max(low, form.domain[0]), min(high, form.domain[1]))


def _forward(form: AuditForm, p: float, k: float, n: float, b: float) -> float:
    return float(form.forward(np.array(p), np.array(k), np.array(n), np.array(b)))


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
            or (isinstance(cell, str) and is_missing(cell))
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
    forms = _forms()
    for indexing, ks in steps.items():
        if min(ks) < 1:
            continue
        n = float(ks[-1])
        for name, form in forms:
            fits.append(_fit(name, form, indexing, ks, n, b, cells, half, nd, labels))
    order = {(name, form.label): i for i, (name, form) in enumerate(forms)}
    # fewest flagged cells, then the plainest parameter (as typed), the plainest rule, elapsed years
    fits.sort(
        key=lambda f: (
            len(f.flagged),
            _decimals(f),
            order[(f.rule, f.form)],
            f.indexing != "elapsed",
        )
    )
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
    form: AuditForm,
    indexing: str,
    ks: list[int],
    n: float,
    b: float,
    cells: np.ndarray,
    half: float,
    nd: int,
    labels: tuple[str, ...],
) -> RuleFit:
    parameter = form.parameter or "none"

    def forward(p: float, k: float, n: float, b: float) -> float:
        return _forward(form, p, k, n, b)

    if form.parameter is None:
        value, interval = 0.0, (0.0, 0.0)
    else:
        intervals = [
            _parameter_interval(form, c - half, c + half, float(k), n, b)
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
        form=form.label,
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
    forms = {(name, form.label): form for name, form in _forms()}
    form = forms[(best.rule, best.form)]

    def forward(p: float, k: float, n: float, b: float) -> float:
        return _forward(form, p, k, n, b)

    n = float(ks[-1])
    out: list[Explanation] = []
    for label in best.flagged:
        i = labels.index(label)
        c, k = float(cells[i]), float(ks[i])
        # a different baseline that the rule would need
        if best.parameter != "none":
            unit = forward(best.value, k, n, 1.0) if best.rule == "percentage_change" else None
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
        swap = {"compound": "simple", "simple": "compound"}.get(best.form)
        other_form = (
            forms.get((best.rule, swap)) if swap and best.rule == "percentage_change" else None
        )
        if other_form is not None and _prints(_forward(other_form, best.value, k, n, b), c, nd):
            out.append(
                Explanation(
                    period=label,
                    printed=c,
                    explanation=(
                        f"the rate were applied {'simply' if swap == 'simple' else 'compounded'} "
                        f"in this year"
                    ),
                )
            )
    return out


def audit_table(rows: Iterable[Mapping[str, Any]] | str | Path) -> list[AuditReport]:
    """Audit many published rows: one :class:`AuditReport` per row, in order.

    ``rows`` is an iterable of dicts with :func:`audit`'s arguments (``values``, ``baseline``,
    ``start``, ``periods`` and optionally ``ndigits``, ``polarity``, ``measure``), or the path
    of a CSV in the CLI's layout: a header ``code, baseline, start, <period>, <period>, ...``
    and one row per published trajectory. A row that cannot be read gets a report with
    ``audited=False`` and a reason naming its line (the header is line 1); the others carry on.

    >>> reports = audit_table("examples/published-rows.csv")
    >>> [r.audited for r in reports], reports[0].flagged
    ([True, True, True, False], ('2018/19',))
    >>> reports[-1].reason
    "line 5: no baseline printed ('Awaiting indicator'); cells with no number: 2014/15, 2015/16, 2016/17, 2017/18, 2018/19"
    """
    if isinstance(rows, str | Path):
        return _audit_csv(Path(rows))
    reports = []
    for number, row in enumerate(rows, start=1):
        try:
            reports.append(audit(**row))
        except (OutcomesError, TypeError) as error:
            reports.append(
                _not_audited(
                    str(row.get("measure") or f"row {number}"),
                    f"row {number}: {error}",
                    None,
                    str(row.get("start", "")),
                    (),
                    (),
                    None,
                )
            )
    return reports


def _audit_csv(path: Path) -> list[AuditReport]:
    text, _ = read_text(path, what="table of published rows")
    records = csv_rows(text, str(path))
    try:
        _, header = next(records)
    except StopIteration:
        raise InputError(
            f"{path}: empty; it needs a header 'code, baseline, start, <periods...>'"
        ) from None
    if len(header) < 4:
        raise InputError(
            f"{path}: needs a header 'code, baseline, start, <periods...>', got {header!r}"
        )
    period_labels: list[str] = []
    for label in header[3:]:
        try:
            period_labels.append(str(period(label.strip())))
        except OutcomesError as error:
            raise InputError(f"{path}: line 1: period column {label!r}: {error}") from None
    reports = []
    for line, cells in records:
        cells = cells + [""] * (len(header) - len(cells))
        code, base, start, *values = cells[: len(header)]
        name = code.strip() or f"line {line}"
        try:
            if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
                raise InputError(f"{len(cells)} cells for a header of {len(header)} columns")
            if is_missing(base):
                missing = [p for p, v in zip(period_labels, values, strict=False) if is_missing(v)]
                reports.append(
                    _not_audited(
                        name,
                        f"line {line}: no baseline printed ({base.strip()!r})"
                        + (f"; cells with no number: {', '.join(missing)}" if missing else ""),
                        None,
                        start.strip(),
                        tuple(period_labels),
                        (),
                        None,
                    )
                )
                continue
            baseline = float(base.replace(",", ""))
            reports.append(
                audit(
                    values,
                    baseline=baseline,
                    start=start.strip(),
                    periods=period_labels,
                    measure=name,
                )
            )
        except (OutcomesError, ValueError) as error:
            reason = (
                f"line {line}: {error}"
                if isinstance(error, OutcomesError)
                else f"line {line}: baseline {base!r} is not a number"
            )
            reports.append(
                _not_audited(name, reason, None, start.strip(), tuple(period_labels), (), None)
            )
    return reports
