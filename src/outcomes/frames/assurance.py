"""Audit reports as a tidy frame: one row per printed cell of every audited row, with the best
fit's value, the flag and the likely intended value."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from outcomes.frames._tidy import concat, identity, tidy

if TYPE_CHECKING:
    from outcomes.assurance import AuditReport

__all__ = ["audit_frame"]


def _report_frame(report: AuditReport, row: int) -> Any:
    periods = list(report.periods) or [""]
    n = len(periods)
    printed = list(report.printed) + [None] * (n - len(report.printed))
    best = report.best
    fitted = list(best.predicted) if best is not None else []
    fitted += [float("nan")] * (n - len(fitted))
    kinds: dict[str, list[str]] = {}
    expected: dict[str, float] = {}
    suggested: dict[str, float] = {}
    for flag in report.flags:
        kinds.setdefault(flag.period, []).append(flag.kind)
        if flag.expected is not None:
            expected.setdefault(flag.period, flag.expected)
        if flag.suggested is not None:
            suggested[flag.period] = flag.suggested
    explained: dict[str, list[str]] = {}
    for e in report.explanations:
        explained.setdefault(e.period, []).append(e.explanation)
    nan = float("nan")
    return tidy(
        {
            "row": [float(row)] * n,
            **identity(n, measure=report.measure, period=periods),
            "baseline_period": [report.start or ""] * n,
            "baseline": [nan if report.baseline is None else report.baseline] * n,
            "printed": [nan if v is None else float(v) for v in printed],
            "fitted": [float(v) for v in fitted],
            "flag": [", ".join(kinds.get(p, [])) for p in periods],
            "expected": [expected.get(p, nan) for p in periods],
            "suggested": [suggested.get(p, nan) for p in periods],
            "explanation": ["; ".join(explained.get(p, [])) for p in periods],
            "rule": [best.describe() if best is not None else ""] * n,
            "audited": [report.audited] * n,
            "reason": [report.reason or ""] * n,
        },
        periods=[p for p in periods if p],
    )


def audit_frame(reports: AuditReport | Iterable[AuditReport]) -> Any:
    """Audit reports as one tidy frame, one row per printed cell: row (the report's position,
    from 1), measure, measure_name, period, unit (''), baseline_period, baseline, printed,
    fitted (the best fit's value there, under its rounding), flag (``inconsistent``,
    ``typo``, ``worse_than_baseline``, ``non_monotone``; '' where the cell follows), expected,
    suggested (a typo's likely intended value), explanation, rule (the best fit in words),
    audited and reason (why a row was not audited).

    Parameters
    ----------
    reports : AuditReport or iterable of AuditReport

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    >>> from outcomes import audit_table
    >>> frame = audit_table("examples/published-rows.csv").to_frame()
    >>> flagged = frame[frame["flag"] != ""]
    >>> flagged[["row", "period", "printed", "fitted", "flag"]].values.tolist()[0]
    [1.0, '2018/19', 1349.0, 1383.0, 'inconsistent']
    """
    from outcomes.assurance import AuditReport

    items = [reports] if isinstance(reports, AuditReport) else list(reports)
    return concat([_report_frame(r, i) for i, r in enumerate(items, start=1)])
