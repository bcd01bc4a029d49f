"""The audit: a printed trajectory row -> the rule, rounding and parameters that reproduce it,
and a flag for every cell that does not follow, with its kind."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from outcomes._files import csv_rows, read_text
from outcomes.assurance.explain import arithmetic, explanations, typo
from outcomes.assurance.fit import Candidate, fit_rows
from outcomes.assurance.models import AuditReport, AuditReports, Explanation, Flag, RuleFit
from outcomes.assurance.rounding import ROUNDINGS, rounded
from outcomes.assurance.rows import PrintedRow, UnreadableRowError, read_row, table_period
from outcomes.errors import InputError, OutcomesError
from outcomes.periods import CalendarYear, FinancialYear
from outcomes.polarity import Polarity
from outcomes.rules import AuditForm, get
from outcomes.rules._engine import parse_polarity

__all__ = ["audit", "audit_table"]

#: How many fits a report keeps: the best, and the best of other rules and forms.
_ALTERNATIVES = 3
_KEYS = (
    "values",
    "baseline",
    "start",
    "periods",
    "ndigits",
    "polarity",
    "measure",
    "rounding",
    "profile",
)


def _not_audited(
    row: PrintedRow | None, reason: str, measure: str | None = None, **given: Any
) -> AuditReport:
    if row is None:
        return AuditReport.model_construct(
            measure=measure,
            audited=False,
            reason=reason,
            baseline=None,
            start=None,
            periods=tuple(str(p) for p in given.get("periods", ()) or ()),
            printed=(),
            ndigits=None,
            fits=(),
            best=None,
            flags=(),
            explanations=(),
        )
    return _report(row, reason=reason)


def _report(
    row: PrintedRow,
    *,
    reason: str | None = None,
    fits: tuple[RuleFit, ...] = (),
    best: RuleFit | None = None,
    flags: tuple[Flag, ...] = (),
    explanations: tuple[Explanation, ...] = (),
) -> AuditReport:
    """The report of one read row: audited unless there is a ``reason`` it was not."""
    return AuditReport.model_construct(
        measure=row.measure,
        audited=reason is None,
        reason=reason,
        baseline=row.baseline,
        start=str(row.start) if row.start is not None else None,
        periods=row.labels,
        printed=row.cells,
        ndigits=row.ndigits,
        fits=fits,
        best=best,
        flags=flags,
        explanations=explanations,
    )


def _modes(rounding: str) -> tuple[str, ...]:
    if rounding == "any":
        return ROUNDINGS
    if rounding not in ROUNDINGS:
        raise UnreadableRowError(
            f"rounding must be 'any' or one of {', '.join(ROUNDINGS)}, got {rounding!r}"
        )
    return (rounding,)


def _screen(row: PrintedRow, profile: object) -> str | None:
    """Why a yearly row cannot be fitted (None when it can)."""
    if all(c is None for c in row.cells):
        return "no numbers: every cell is a missing marker"
    if row.missing:
        return "cells with no number: " + ", ".join(row.missing)
    if not all(isinstance(p, FinancialYear | CalendarYear) for p in row.periods):
        kind = row.periods[0].kind
        return (
            f"{kind} cells are a split of an annual target, not a trajectory to fit; give "
            "profile= (the share of the year in each period) to check the split"
        )
    if len(row.cells) < 2:
        return "a single period: nothing to fit"
    if row.baseline is None:
        return "no baseline printed"
    if not row.baseline > 0:
        return f"the baseline must be above zero, got {row.baseline!r}"
    if row.start is None:
        return "no baseline period (give start=)"
    if row.start >= row.periods[0]:
        return f"the baseline period {row.start} is not before {row.labels[0]}"
    return None


def _steps(row: PrintedRow) -> dict[str, tuple[np.ndarray, float]]:
    assert row.start is not None
    elapsed = np.array([row.start.years_until(p) for p in row.periods], dtype=np.float64)
    plan = np.array([row.periods[0].years_until(p) + 1 for p in row.periods], dtype=np.float64)
    out: dict[str, tuple[np.ndarray, float]] = {}
    if elapsed.min() >= 1:
        out["elapsed"] = (elapsed, float(elapsed[-1]))
    out["plan-year"] = (plan, float(plan[-1]))
    return out


def _fit_model(c: Candidate, i: int, row: PrintedRow) -> RuleFit:
    predicted = c.predicted[i]
    cells = np.array(row.cells, dtype=np.float64)
    form = c.form
    break_period = first_parameter = None
    first_value = None
    parameter = form.parameter or "none"
    percent = form.percent
    if c.break_index is not None and form.then is not None and c.first_value is not None:
        break_period = row.labels[int(c.break_index[i])]
        first_parameter = form.parameter
        first_value = float(c.first_value[i])
        parameter = form.then.parameter or "rate"
        percent = form.then.percent
    return RuleFit.model_construct(
        rule=c.rule,
        form=form.label if c.rule != "hold" else "hold",
        indexing=c.indexing,
        rounding=c.rounding,
        parameter=parameter,
        value=float(c.value[i]),
        interval=(float(c.lo[i]), float(c.hi[i])),
        predicted=tuple(predicted.tolist()),
        residuals=tuple((cells - predicted).tolist()),
        flagged=tuple(
            label for label, f in zip(row.labels, c.flagged[i].tolist(), strict=True) if f
        ),
        percent=percent,
        break_period=break_period,
        first_parameter=first_parameter,
        first_value=first_value,
    )


def _swap(rule: str, form: AuditForm) -> AuditForm | None:
    if rule != "percentage_change":
        return None
    other = {"compound": "simple", "simple": "compound"}.get(form.label)
    return next((f for f in get(rule).audit if f.label == other), None)


def _flags(
    row: PrintedRow, best: Candidate, i: int, k: np.ndarray, n: float, polarity: Polarity | None
) -> tuple[tuple[Flag, ...], tuple[Explanation, ...]]:
    """One flag per cell: inconsistent or typo first, then worse than baseline, then non-monotone."""
    assert row.baseline is not None
    cells = [float(c) for c in row.cells if c is not None]
    scale = 10.0**row.ndigits
    flags: list[Flag] = []
    notes: list[Explanation] = []
    flagged_cells = set()
    single = best.form.then is None
    for j, (label, is_flagged) in enumerate(zip(row.labels, best.flagged[i], strict=True)):
        if not is_flagged:
            continue
        flagged_cells.add(j)
        expected = float(best.predicted[i, j])
        expected_value = expected if math.isfinite(expected) else None
        found: list[Explanation] = []
        if single and best.form.parameter is not None:
            previous = cells[j - 1] if j > 0 else row.baseline
            found = explanations(
                best.form,
                _swap(best.rule, best.form),
                float(best.value[i]),
                label,
                cells[j],
                previous,
                float(k[j]),
                n,
                row.baseline,
                best.rounding,
                scale,
            )
        if not found and expected_value is not None and typo(cells[j], expected_value, row.ndigits):
            flags.append(
                Flag(
                    period=label,
                    printed=cells[j],
                    expected=expected_value,
                    kind="typo",
                    suggested=expected_value,
                )
            )
        else:
            flags.append(
                Flag(period=label, printed=cells[j], expected=expected_value, kind="inconsistent")
            )
            notes.extend(found)
    predicted = best.predicted[i]
    if polarity is not None:
        for j, label in enumerate(row.labels):
            if j not in flagged_cells and polarity.sign * (cells[j] - row.baseline) < 0:
                flags.append(
                    Flag(
                        period=label,
                        printed=cells[j],
                        expected=float(predicted[j]),
                        kind="worse_than_baseline",
                    )
                )
                flagged_cells.add(j)
    path = [row.baseline, *cells]
    overall = np.sign(cells[-1] - row.baseline)
    for j, label in enumerate(row.labels):
        step = np.sign(path[j + 1] - path[j])
        if j not in flagged_cells and step != 0 and step != overall:
            flags.append(
                Flag(
                    period=label,
                    printed=cells[j],
                    expected=float(predicted[j]),
                    kind="non_monotone",
                )
            )
    order = {label: j for j, label in enumerate(row.labels)}
    return tuple(sorted(flags, key=lambda f: order[f.period])), tuple(notes)


def _prefer_typo(candidates: list[Candidate], scores: np.ndarray, i: int, row: PrintedRow) -> int:
    """The best candidate for row ``i``; a two-phase fit does not beat a one-parameter fit whose
    only misses are likely typos (a step is not the explanation of a mistyped digit)."""
    order = np.argsort(scores[:, i], kind="stable")
    best = int(order[0])
    if candidates[best].form.then is None:
        return best
    cells = [c for c in row.cells if c is not None]
    for j in order[1:].tolist():
        j = int(j)
        c = candidates[j]
        if c.form.then is not None:
            continue
        misses = np.flatnonzero(c.flagged[i])
        if (
            misses.size
            and misses.size <= max(1, len(cells) // 4)
            and all(
                typo(float(cells[m]), float(c.predicted[i, m]), row.ndigits)
                for m in misses.tolist()
            )
        ):
            return j
        break
    return best


def _audit_batch(
    rows: list[PrintedRow], polarities: list[Polarity | None], modes: tuple[str, ...]
) -> list[AuditReport]:
    """Fit rows that share their baseline period and periods, vectorised over the rows."""
    steps = _steps(rows[0])
    cells = np.array([[float(c) for c in r.cells if c is not None] for r in rows], dtype=np.float64)
    baseline = np.array([r.baseline for r in rows], dtype=np.float64)
    scale = np.array([10.0**r.ndigits for r in rows], dtype=np.float64)
    candidates = fit_rows(cells, baseline, scale, steps, modes)
    scores = np.stack([c.score for c in candidates])
    reports = []
    for i, row in enumerate(rows):
        best_index = _prefer_typo(candidates, scores, i, row)
        best = candidates[best_index]
        k, n = steps[best.indexing]
        # the best fit and the next best of other rules and forms, as the alternatives
        per_form: dict[tuple[str, str], int] = {(best.rule, best.form.label): best_index}
        for j in np.argsort(scores[:, i], kind="stable")[:60].tolist():
            c = candidates[j]
            per_form.setdefault((c.rule, c.form.label), j)
            if len(per_form) >= _ALTERNATIVES:
                break
        best_fit = _fit_model(best, i, row)
        fits = (best_fit, *(_fit_model(candidates[j], i, row) for j in list(per_form.values())[1:]))
        flags, notes = _flags(row, best, i, k, n, polarities[i])
        reports.append(_report(row, fits=fits, best=best_fit, flags=flags, explanations=notes))
    return reports


def _profile_check(row: PrintedRow, profile: object, modes: tuple[str, ...]) -> AuditReport:
    """Quarters (or months) against the annual figure phased by a seasonal profile."""
    from outcomes.rules import phase

    try:
        shares = np.asarray(profile, dtype=np.float64).reshape(-1)
    except (TypeError, ValueError):
        return _not_audited(
            row, f"profile must be a sequence of shares summing to 1, got {profile!r}"
        )
    if (
        shares.size != len(row.cells)
        or not np.isfinite(shares).all()
        or (shares < 0).any()
        or abs(shares.sum() - 1) > 1e-9
    ):
        return _not_audited(
            row,
            f"profile must give one share per period ({len(row.cells)}), not negative, summing "
            f"to 1; got {shares.tolist()}",
        )
    if row.missing:
        return _not_audited(row, "cells with no number: " + ", ".join(row.missing))
    cells = np.array(row.cells, dtype=np.float64)
    scale = 10.0**row.ndigits
    annual = row.baseline if row.baseline is not None else float(cells.sum())
    options: list[tuple[str, str, np.ndarray]] = [
        (mode, "profile", rounded(mode, annual * shares, np.asarray(scale))) for mode in modes
    ]
    options.append(
        ("half_up", "profile, largest remainder", phase(annual, list(shares), ndigits=row.ndigits))
    )
    flagged_counts = [
        int((~np.isclose(p, cells, rtol=0, atol=0.01 / scale)).sum()) for _, _, p in options
    ]
    mode, form, predicted = options[int(np.argmin(flagged_counts))]
    misses = ~np.isclose(predicted, cells, rtol=0, atol=0.01 / scale)
    flags = []
    for j in np.flatnonzero(misses).tolist():
        kind = "typo" if typo(cells[j], float(predicted[j]), row.ndigits) else "inconsistent"
        flags.append(
            Flag(
                period=row.labels[j],
                printed=float(cells[j]),
                expected=float(predicted[j]),
                kind=kind,
                suggested=float(predicted[j]) if kind == "typo" else None,
            )
        )
    fit = RuleFit.model_construct(
        rule="phase",
        form=form,
        indexing="profile",
        rounding=mode,
        parameter="annual",
        value=float(annual),
        interval=(float(annual), float(annual)),
        predicted=tuple(float(x) for x in predicted),
        residuals=tuple(float(a - b) for a, b in zip(cells, predicted, strict=True)),
        flagged=tuple(f.period for f in flags),
        percent=False,
        break_period=None,
        first_parameter=None,
        first_value=None,
    )
    notes: tuple[Explanation, ...] = ()
    if (
        row.baseline is not None
        and abs(cells.sum() - row.baseline) > len(cells) * 0.5 / scale + 1e-9
    ):
        notes = (
            Explanation(
                period=row.labels[-1],
                printed=float(cells[-1]),
                explanation=f"the parts summed to the annual figure (they sum to {cells.sum():g}, "
                f"the annual figure is {row.baseline:g})",
            ),
        )
    return _report(row, fits=(fit,), best=fit, flags=tuple(flags), explanations=notes)


def _prepare(
    number: int | str, given: Mapping[str, Any]
) -> tuple[PrintedRow | None, AuditReport | None, Polarity | None, tuple[str, ...], object]:
    """Read one row's arguments: (row, report if it cannot be fitted, polarity, roundings, profile)."""
    unknown = [key for key in given if key not in _KEYS]
    where = f"{number}: " if number != "" else ""
    measure = given.get("measure")
    if measure is not None and not isinstance(measure, str):
        measure = None
        unknown = [*unknown, "measure (not text)"]
    if unknown:
        return (
            None,
            _not_audited(None, f"{where}unknown argument(s) {', '.join(unknown)}", measure),
            None,
            (),
            None,
        )
    try:
        row = read_row(
            given.get("values", ()),
            baseline=given.get("baseline"),
            start=given.get("start"),
            periods=given.get("periods", ()),
            ndigits=given.get("ndigits"),
            measure=measure,
        )
        polarity = parse_polarity(given.get("polarity"), required=False)
        modes = _modes(str(given.get("rounding", "any")))
    except OutcomesError as error:
        return None, _not_audited(None, f"{where}{error}", measure, periods=()), None, (), None
    profile = given.get("profile")
    if profile is not None:
        return row, _profile_check(row, profile, modes), polarity, modes, profile
    reason = _screen(row, profile)
    if reason is not None:
        return row, _not_audited(row, f"{where}{reason}"), polarity, modes, None
    return row, None, polarity, modes, None


def audit(
    values: Sequence[object],
    *,
    baseline: object,
    start: object,
    periods: Sequence[object],
    ndigits: int | None = None,
    polarity: Polarity | str | None = None,
    measure: str | None = None,
    rounding: str = "any",
    profile: Sequence[float] | None = None,
) -> AuditReport:
    """Audit one published row: which registered rule, time indexing and rounding reproduce the
    printed cells, and which cells do not follow.

    Every rule form the registry declares for the audit is fitted by its closed-form inverse —
    a constant rate (compound or simple), hold, a path to an end value (linear, geometric, front-
    or back-loaded), two phases split at a break — under both time indexings (elapsed years and
    plan-year) and every rounding (half up, half even, half down, truncate; or only
    ``rounding``). The best fit reproduces the most cells, with the fewest parameters, the plainest
    parameters (fewest significant digits: -3.2%, 42.5), then the rounding in that order.

    Each cell the best fit does not reproduce gets one :class:`Flag`: ``inconsistent`` (with the
    alternative explanations that fit it: another number of steps, simple instead of compound,
    computed from the previous printed value), or ``typo`` where no rule explanation exists and
    one transposed or mistyped digit gives the fitted value (``suggested``); then, for the other
    cells, ``worse_than_baseline`` (with ``polarity``) and ``non_monotone``.

    Quarterly or monthly cells are not a trajectory: without ``profile`` the row is not audited
    (with the reason); with ``profile`` (the share of the year in each period, summing to 1, as
    :func:`outcomes.phase` takes it) the cells are checked to be the annual figure (``baseline``,
    or their sum) phased by it, at the printed precision. A row with missing cells is not
    audited; ``baseline`` may be None for a row of missing cells or a profile check, ``start``
    None for a row of missing cells (or given in brackets with the baseline, "74.2 (12/13)").

    Examples
    --------
    >>> report = audit([1531, 1492, 1455, 1419, 1349], baseline=1610, start="2012",
    ...                periods=["14/15", "15/16", "16/17", "17/18", "18/19"])
    >>> report.best.describe(), report.flagged
    ('percentage_change compound -2.5%/yr (elapsed, half_up)', ('2018/19',))
    >>> print(report)  # doctest: +ELLIPSIS
    row: percentage_change compound -2.5%/yr (elapsed, half_up)
      2018/19: printed 1349; the rule gives 1383
        2018/19 would fit if 7 steps were counted from the baseline instead of 6
    >>> audit([1531, 1492, 1455, 1472], baseline=1610, start="2012",
    ...       periods=["14/15", "15/16", "16/17", "17/18"]).flags[0].kind
    'inconsistent'
    """
    given = {
        "values": values,
        "baseline": baseline,
        "start": start,
        "periods": periods,
        "ndigits": ndigits,
        "polarity": polarity,
        "measure": measure,
        "rounding": rounding,
        "profile": profile,
    }
    return audit_table([given])[0]


def audit_table(
    rows: Iterable[Mapping[str, Any]] | str | Path, *, check_arithmetic: bool = False
) -> AuditReports:
    """Audit many published rows in one vectorised pass: one :class:`AuditReport` per row, in
    order (a list with ``to_frame()``: one row per printed cell).

    ``rows`` is an iterable of dicts with :func:`audit`'s arguments, or the path of a CSV in the
    CLI's layout: a header ``code, baseline, start, <period>, <period>, ...`` and one row per
    published trajectory. A row that cannot be read gets a report with ``audited=False`` and a
    reason that names its row (its line in a CSV, the header being line 1); the others carry on.
    With ``check_arithmetic``, rows that are other rows' sums, differences or ratios, or a figure
    held then stepped (finance rows in the same plans), are reported as not trajectories.

    >>> reports = audit_table("examples/published-rows.csv")
    >>> [r.audited for r in reports], reports[0].flagged
    ([True, True, True, False], ('2018/19',))
    >>> reports[-1].reason
    'line 5: no numbers: every cell is a missing marker'
    """
    if isinstance(rows, str | Path):
        numbered = _csv(Path(rows))
        prefix = "line"
    else:
        if isinstance(rows, Mapping | bytes) or not isinstance(rows, Iterable):
            raise InputError(
                "rows must be a CSV file's path or a list of rows (mappings with values, "
                f"baseline, start and periods), got {type(rows).__name__}"
            )
        numbered = [
            (i, dict(r) if isinstance(r, Mapping) else {"values": r})
            for i, r in enumerate(rows, start=1)
        ]
        prefix = "row"
    reports: list[AuditReport | None] = [None] * len(numbered)
    batches: dict[tuple[str, tuple[str, ...], tuple[str, ...]], list[int]] = {}
    prepared: dict[int, tuple[PrintedRow, Polarity | None]] = {}
    for position, (number, given) in enumerate(numbered):
        label = f"{prefix} {number}" if len(numbered) > 1 or prefix == "line" else ""
        if isinstance(given, AuditReport):
            reports[position] = given
            continue
        row, report, polarity, modes, _ = _prepare(label, given)
        if report is not None:
            reports[position] = report
            continue
        assert row is not None
        prepared[position] = (row, polarity)
        batches.setdefault((str(row.start), row.labels, modes), []).append(position)
    if check_arithmetic:
        _arithmetic(numbered, prepared, reports, prefix)
    for (_, _, modes), positions in batches.items():
        positions = [p for p in positions if reports[p] is None]
        if not positions:
            continue
        batch = _audit_batch(
            [prepared[p][0] for p in positions], [prepared[p][1] for p in positions], modes
        )
        for p, report in zip(positions, batch, strict=True):
            reports[p] = report
    return AuditReports(r for r in reports if r is not None)


def _arithmetic(
    numbered: list[tuple[int, Any]],
    prepared: dict[int, tuple[PrintedRow, Polarity | None]],
    reports: list[AuditReport | None],
    prefix: str,
) -> None:
    by_periods: dict[tuple[str, ...], list[int]] = {}
    for position, (row, _) in prepared.items():
        by_periods.setdefault(row.labels, []).append(position)
    for positions in by_periods.values():
        if len(positions) < 2:
            continue
        if len(positions) > 1000:
            raise InputError(
                f"{len(positions)} rows share their periods: too many to check their arithmetic "
                "(give one plan's table at a time)"
            )
        rows = [prepared[p][0] for p in positions]
        cells = np.array(
            [[np.nan if c is None else c for c in r.cells] for r in rows], dtype=np.float64
        )
        scale = np.array([10.0**r.ndigits for r in rows])
        names = [
            r.measure or f"{prefix} {numbered[p][0]}" for r, p in zip(rows, positions, strict=True)
        ]
        for index, reason in arithmetic(cells, names, scale).items():
            position = positions[index]
            reports[position] = _not_audited(rows[index], reason)


def _csv(path: Path) -> list[tuple[int, Any]]:
    text, _ = read_text(path, what="table of published rows")
    records = csv_rows(text, str(path))
    try:
        first, header = next(records)
    except StopIteration:
        raise InputError(
            f"{path}: line 1: empty; it needs a header 'code, baseline, start, <periods...>'"
        ) from None
    if len(header) < 4:
        raise InputError(
            f"{path}: line {first}: needs a header 'code, baseline, start, <periods...>', got "
            f"{header!r}"
        )
    labels = []
    for label in header[3:]:
        try:
            labels.append(str(table_period(label)))
        except OutcomesError as error:
            raise InputError(f"{path}: line {first}: period column {label!r}: {error}") from None
    out: list[tuple[int, Any]] = []
    for line, cells in records:
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
            out.append(
                (
                    line,
                    _not_audited(
                        None,
                        f"line {line}: {len(cells)} cells for a header of {len(header)} columns",
                        cells[0].strip() or None,
                    ),
                )
            )
            continue
        cells = cells + [""] * (len(header) - len(cells))
        code, base, start, *values = cells[: len(header)]
        out.append(
            (
                line,
                {
                    "values": values,
                    "baseline": base,
                    "start": start.strip() or None,
                    "periods": labels,
                    "measure": code.strip() or f"line {line}",
                },
            )
        )
    return out
