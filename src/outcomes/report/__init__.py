"""The HTML report (extra ``report``): one self-contained file an assurance team can email.

:func:`render_report` turns a plan's scores (or only its targets) into one HTML page: for each
measure the trajectory chart (inline SVG with real text), a table of targets and actuals with
RAG ratings and confidence verdicts in words, the rule in words (:func:`describe_rule`), where
the plan has a history its realism (the plan's change a year against what peers achieved and the
odds of meeting each target: a sentence, a table and two charts), the position among peers where
a peer set is known, and the provenance of every number. The page
needs no network and no JavaScript, and prints on A4. It is rendered by a jinja2 template with
autoescaping on, so every value from a plan or a data file is escaped; an illustrative plan says
so at the top and on every measure.

>>> from outcomes import score_plan
>>> html = render_report(score_plan("examples/illustrative-ccg.toml",
...                                 "examples/illustrative-ccg-actuals.csv"))
>>> html.startswith("<!DOCTYPE html>"), "ILLUSTRATIVE" in html, "<script" in html
(True, True, False)
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from outcomes._files import output_path, write_atomic
from outcomes._optional import require
from outcomes._version import __version__
from outcomes.errors import InputError, OutcomesError, OutputError
from outcomes.polarity import Polarity
from outcomes.realism import Realism
from outcomes.realism.plans import NOTE_WORDS
from outcomes.report.words import (
    describe_rule,
    direction,
    format_value,
    peer_position,
    rag_words,
    verdict_words,
)
from outcomes.rules.objectives import objective_provenance
from outcomes.scoring import Score
from outcomes.trajectory import Trajectory
from outcomes.units import format_given, unit
from outcomes.workflow.history import HistorySet
from outcomes.workflow.peers import PeerSet
from outcomes.workflow.run import PlanScores, PlanTargets

__all__ = ["describe_rule", "render_report", "write_report"]

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_RAG_SYMBOLS = {"GREEN": "●", "AMBER": "◆", "RED": "✖", "GREY": "□"}


# --------------------------------------------------------------------------------------------
# what the template shows (plain data: the template only loops and prints)
# --------------------------------------------------------------------------------------------


@dataclass
class _Cell:
    period: str
    target: str
    actual: str = ""
    interval: str = ""
    rag: str = ""
    rag_symbol: str = ""
    rag_words: str = ""
    verdict: str = ""
    significance: str = ""


@dataclass
class _Group:
    organisation: str
    baseline: str
    cells: list[_Cell]


@dataclass
class _Position:
    organisation: str
    what: str
    value: str
    position: str


@dataclass
class _Odds:
    organisation: str
    period: str
    target: str
    probability: str
    median: str
    range: str


@dataclass
class _Measure:
    key: str
    anchor: str
    name: str
    unit: str
    direction: str
    rule_words: str
    rule_recorded: str
    precision: str
    scoring: str
    national: str
    national_label: str
    objective: str
    charts: list[tuple[str, Any]]
    start: str
    periods: list[str]
    groups: list[_Group]
    has_interval: bool
    interval_label: str
    has_significance: bool
    peers: str
    positions: list[_Position]
    counts: dict[str, int] = field(default_factory=dict)
    history: str = ""
    realism: list[tuple[str, str]] = field(default_factory=list)
    odds: list[_Odds] = field(default_factory=list)
    realism_charts: list[tuple[str, Any]] = field(default_factory=list)


def _anchor(key: str, taken: set[str]) -> str:
    base = "m-" + (re.sub(r"[^A-Za-z0-9_-]+", "-", key).strip("-") or "measure")
    anchor, n = base, 1
    while anchor in taken:
        n += 1
        anchor = f"{base}-{n}"
    taken.add(anchor)
    return anchor


def _inline_svg(svg: str, prefix: str, label: str) -> Any:
    """matplotlib's SVG made fit to sit in HTML: no XML prolog, metadata or global style, ids
    made unique to this chart, labelled for screen readers (the CSS scales it to the page)."""
    markupsafe = require("markupsafe", "the HTML report")
    start = svg.index("<svg")
    body = svg[start:]
    body = re.sub(r"<metadata>.*?</metadata>\s*", "", body, flags=re.DOTALL)
    body = re.sub(r"<style[^>]*>.*?</style>\s*", "", body, flags=re.DOTALL)
    ids = set(re.findall(r'\bid="([^"]+)"', body))
    for old in sorted(ids, key=len, reverse=True):
        new = f"{prefix}-{old}"
        body = body.replace(f'id="{old}"', f'id="{new}"')
        body = body.replace(f"url(#{old})", f"url(#{new})")
        body = body.replace(f'href="#{old}"', f'href="#{new}"')
    aria = markupsafe.escape(label)
    body = body.replace("<svg", f'<svg role="img" aria-label="{aria}" class="chart"', 1)
    return markupsafe.Markup(body)


def _chart(fig: Any, prefix: str, label: str) -> Any:
    """A figure as inline SVG (:func:`_inline_svg`); the figure is cleared whatever happens, so
    a report of many charts does not keep them all in memory."""
    from outcomes.plot import figure_svg

    try:
        svg = figure_svg(fig)
    finally:
        fig.clear()
    return _inline_svg(svg, prefix, label)


#: Organisations per chart: a plan of more is drawn in several charts, none left out.
CHART_ORGANISATIONS = 24


def _charts(
    trajectory: Trajectory, score: Score | None, national: float | None, anchor: str, name: str
) -> list[tuple[str, Any]]:
    """(caption note, inline SVG) per chart: one panel per organisation, at most
    :data:`CHART_ORGANISATIONS` panels a chart."""
    from outcomes.plot import plot_trajectory

    count = max(1, trajectory.values.reshape(-1, len(trajectory.periods)).shape[0])
    what = "targets and actuals" if score is not None else "targets"
    out: list[tuple[str, Any]] = []
    for first in range(0, count, CHART_ORGANISATIONS):
        rows = list(range(first, min(count, first + CHART_ORGANISATIONS)))
        chosen = None if len(rows) == count else rows
        fig = plot_trajectory(trajectory, score=score, national=national, org=chosen, title="")
        note = "" if chosen is None else f"organisations {rows[0] + 1} to {rows[-1] + 1} of {count}"
        label = f"Chart of the {what}: {name}" + (f", {note}" if note else "")
        out.append((note, _chart(fig, f"{anchor}-{len(out) + 1}", label)))
    return out


def _realism_charts(
    r: Realism, history: HistorySet, anchor: str, name: str, labels: list[str]
) -> list[tuple[str, Any]]:
    """(caption, inline SVG): the record of changes with the plan marked, then a fan per
    organisation with history (at most :data:`CHART_ORGANISATIONS`; a note says when more)."""
    from outcomes.plot import plot_changes, plot_fan

    out: list[tuple[str, Any]] = []
    label = unit(r.unit).label if r.unit else None
    limits: dict[str, Any] = {
        "lower": history.lower,
        "upper": history.upper,
        "confidence": history.confidence,
    }
    planned = r.planned_change[np.isfinite(r.planned_change)]
    if planned.size:
        same = bool(np.all(planned == planned[0]))
        ax = plot_changes(
            history.values,
            float(planned[0]) if same else float(np.median(planned)),
            polarity=r.polarity,
            horizon=r.steps_per_year,
            kind=r.kind,
            unit_label=f"{r.area_word}-years",
            measure=f"{name}: {history.n} {r.area_word}s, {r.span}",
            unit=None if r.kind == "relative" else label,
            period_label={1: "year", 4: "quarter", 12: "month"}.get(r.steps_per_year, "period"),
            **limits,
        )
        which = "the plan's change a year" if same else "the median of the plans' changes a year"
        noise = (
            "; blue steps: the same changes once sampling noise is removed"
            if history.lower is not None
            else ""
        )
        caption = (
            f"What {r.area_word}s achieved: every {r.area_word}'s change over a year in "
            f"{r.span} ({r.achievability.n:,} changes); green: at least as good as {which} "
            f"(red line), grey: worse{noise}."
        )
        what = f"Chart of {r.area_word}s' changes over a year: {name}"
        out.append((caption, _chart(ax.figure, f"{anchor}-r1", what)))
    names = [
        n or c for c, n in zip(history.areas, history.area_names or history.areas, strict=True)
    ]
    drawn = 0
    for i, code in enumerate(r.organisations):
        ok = r.note[i] == "OK"
        if not ok.any() or code not in history.areas:
            continue
        if drawn == CHART_ORGANISATIONS:
            more = (
                f"Fans are drawn for the first {CHART_ORGANISATIONS} organisations with a "
                "history; the table above gives every probability."
            )
            out.append((more, None))
            break
        targets = {round(float(r.horizons[j])): float(r.targets[i, j]) for j in np.flatnonzero(ok)}
        # label the future by the plan's periods where a target falls, else continue the history's
        future = {
            round(float(h)): p
            for h, p in zip(r.horizons, r.target_periods, strict=True)
            if float(h) == round(float(h))
        }
        extended = _continue(history.periods, max(targets))
        ax = plot_fan(
            history.values,
            targets,
            area=history.areas.index(code),
            areas=names,
            polarity=r.polarity,
            periods=list(history.periods),
            kind=r.kind,
            measure=label or name,
            future=[future.get(h, extended[h - 1]) for h in range(1, max(targets) + 1)],
            **limits,
        )
        drawn += 1
        counted = (
            f" (years after {r.history_periods[-1]} are counted by start year)"
            if r.steps_per_year == 1
            else ""
        )
        caption = (
            f"{labels[i]}: its published values, the forecast's median and the ranges holding "
            "50%, 80% and 90% of probable outcomes, and each target with the probability of "
            f"meeting it{counted}."
        )
        what = f"Fan chart of the probable path: {labels[i]}, {name}"
        out.append((caption, _chart(ax.figure, f"{anchor}-r{len(out) + 1}", what)))
    return out


def _continue(periods: tuple[str, ...], count: int) -> list[str]:
    """The ``count`` period labels after the last of ``periods``."""
    from outcomes.periods import period

    last = period(periods[-1])
    return [str(last.shift(k)) for k in range(1, count + 1)]


def _odds(r: Realism, labels: list[str], ndigits: int) -> list[_Odds]:
    """One row per organisation and target period: the odds, or why there are none."""
    out = []
    for i, label in enumerate(labels):
        for j, p in enumerate(r.target_periods):
            note = str(r.note[i, j])
            if note == "OK":
                probability = f"{float(r.probability[i, j]):.0%}"
                median = _number(float(r.median[i, j]), ndigits)
                span = (
                    f"{_number(float(r.lower[i, j]), ndigits)} to "
                    f"{_number(float(r.upper[i, j]), ndigits)}"
                )
            else:
                probability, median, span = NOTE_WORDS.get(note, note), "", ""
            target = _number(float(r.targets[i, j]), ndigits)
            out.append(_Odds(label, p, target, probability, median, span))
    return out


def _national_words(
    given: float | None, trajectory: Trajectory, ndigits: int
) -> tuple[str, float | None]:
    """The national value in words, and the value to draw (None when it varies)."""
    if given is not None:
        return format_value(given, trajectory.unit, ndigits), given
    recorded = trajectory.rule.parameters.get("national")
    if recorded is None:
        return "", None
    low, high = (float(f(np.asarray(recorded, dtype=float))) for f in (np.min, np.max))
    if low == high:
        return format_value(low, trajectory.unit, ndigits), None  # the chart takes the rule's
    return (
        f"varies by organisation ({format_value(low, trajectory.unit, ndigits)} to "
        f"{format_value(high, trajectory.unit, ndigits)})",
        None,
    )


def _number(value: float, ndigits: int | None) -> str:
    """A target as published: the measure's precision, rounded half-up."""
    return "" if not np.isfinite(value) else format_value(value, None, ndigits)


def _limit(value: float, ndigits: int | None) -> str:
    """A confidence limit shown to the targets' precision (rounded half-up), as Fingertips shows
    limits beside values; as given where the measure states no precision."""
    return format_given(value) if ndigits is None else format_value(value, None, ndigits)


def _groups(trajectory: Trajectory, score: Score | None, labels: list[str]) -> list[_Group]:
    """One group per organisation: its baseline, then a cell per period."""
    nd = trajectory.ndigits
    n = len(trajectory.periods)
    targets = trajectory.values.reshape(-1, n)
    baseline = trajectory.baseline.reshape(-1)
    groups = []
    for i, label in enumerate(labels):
        group = _Group(label, format_given(float(baseline[i]), nd), [])
        groups.append(group)
        if score is None:
            for j, p in enumerate(trajectory.periods):
                group.cells.append(_Cell(str(p), _number(float(targets[i, j]), nd)))
            continue
        m = len(score.periods)
        actual = np.asarray(score.actual, dtype=np.float64).reshape(-1, m)[i]
        target = np.asarray(score.target, dtype=np.float64).reshape(-1, m)[i]
        rag = np.asarray(score.rag).reshape(-1, m)[i]
        verdict = np.asarray(score.verdict).reshape(-1, m)[i]
        lower = None if score.lower is None else np.asarray(score.lower).reshape(-1, m)[i]
        upper = None if score.upper is None else np.asarray(score.upper).reshape(-1, m)[i]
        sig = None if score.significance is None else np.asarray(score.significance).reshape(-1, m)
        amber = (
            "missed, within tolerance or on track"
            if score.amber_progress is not None
            else rag_words("AMBER")
        )
        for j, p in enumerate(score.periods):
            interval = ""
            if lower is not None and upper is not None and np.isfinite(lower[j]):
                interval = f"{_limit(float(lower[j]), nd)} to {_limit(float(upper[j]), nd)}"
            r = str(rag[j])
            group.cells.append(
                _Cell(
                    str(p),
                    _number(float(target[j]), nd),
                    actual=format_given(float(actual[j]), nd)
                    if np.isfinite(actual[j])
                    else "not yet available",
                    interval=interval,
                    rag=r,
                    rag_symbol=_RAG_SYMBOLS.get(r, ""),
                    rag_words=amber if r == "AMBER" else rag_words(r),
                    verdict=verdict_words(str(verdict[j])),
                    significance="" if sig is None else str(sig[i, j]),
                )
            )
    return groups


def _peer_values(
    key: str, targets: PlanTargets, peers: Mapping[str, PeerSet] | PeerSet | None
) -> tuple[str, Any]:
    """(description, values) of the peer set a measure is compared with, if any."""
    given: PeerSet | None = None
    if isinstance(peers, PeerSet):
        given = peers
    elif isinstance(peers, Mapping):
        value = peers.get(key)
        if value is not None and not isinstance(value, PeerSet):
            raise InputError(f"peers[{key!r}] must be a PeerSet, got {type(value).__name__}")
        given = value
    elif peers is not None:
        raise InputError(
            f"peers must be a PeerSet or a mapping of them, got {type(peers).__name__}"
        )
    if given is None:
        given = targets.peers.get(key)
    if given is not None:
        # a set from plain values has no indicator or period to name: no leading ": "
        return given.describe().removeprefix(": "), given.values
    inline = getattr(targets.plan.measures[key].rule, "peers", None)
    if inline:
        return f"{len(inline)} peer values given in the plan file", np.asarray(inline, dtype=float)
    return "", None


def _positions(
    trajectory: Trajectory,
    score: Score | None,
    labels: list[str],
    values: Any,
) -> list[_Position]:
    bounds = trajectory.rule.parameters.get("bounds")
    if values is None and bounds is None:
        return []
    if bounds is None or np.ndim(bounds) != 1:
        from outcomes.stats.quantiles import quantile_bounds

        try:
            bounds = quantile_bounds(values, 4) if values is not None else None
        except OutcomesError:  # too few peers for quartiles, or missing values: rank only
            bounds = None
    pol = trajectory.polarity
    n = len(trajectory.periods)
    out = []
    for i, label in enumerate(labels):
        base = float(trajectory.baseline.reshape(-1)[i])
        out.append(
            _Position(
                label,
                f"baseline ({trajectory.start})",
                format_given(base, trajectory.ndigits),
                peer_position(base, values, bounds, pol),
            )
        )
        final = float(trajectory.values.reshape(-1, n)[i, -1])
        out.append(
            _Position(
                label,
                f"target ({trajectory.periods[-1]})",
                _number(final, trajectory.ndigits),
                peer_position(final, values, bounds, pol),
            )
        )
        if score is not None:
            m = len(score.periods)
            actual = np.asarray(score.actual, dtype=np.float64).reshape(-1, m)[i]
            have = np.flatnonzero(np.isfinite(actual))
            if have.size:
                j = int(have[-1])
                out.append(
                    _Position(
                        label,
                        f"latest actual ({score.periods[j]})",
                        format_given(float(actual[j]), trajectory.ndigits),
                        peer_position(float(actual[j]), values, bounds, pol),
                    )
                )
    return out


def _scoring_words(score: Score | None, unit_id: str | None) -> str:
    if score is None:
        return ""
    if score.tolerance > 0:
        amount = (
            f"{score.tolerance:.4g} of the target"
            if score.tolerance_kind == "relative"
            # a tolerance on a percentage is in percentage points, not a per cent of the target
            else format_value(
                score.tolerance, "percentage_points" if unit_id == "percent" else unit_id, None
            )
        )
        words = f"AMBER when missed by no more than {amount}"
    else:
        words = "no tolerance: AMBER only by progress" if score.amber_progress else "no tolerance"
    if score.amber_progress is not None:
        words += f"; AMBER when at least {score.amber_progress:.0%} of the planned change was made"
    if score.interval_method:
        conf = f"{score.confidence:.0%}" if score.confidence else ""
        method = _METHODS.get(score.interval_method, score.interval_method)
        words += f"; {conf} confidence intervals {method}"
    return words


_METHODS = {
    "given": "as given with the actuals",
    "wilson": "by the Wilson score method, from each count and denominator",
    "rate (auto)": "for a rate, from each count and denominator (exact Poisson below 10 events, "
    "Byar from 10)",
    "rate (byar)": "for a rate by Byar's method, from each count and denominator",
    "rate (exact)": "for a rate by the exact Poisson method, from each count and denominator",
}


def _measure(
    key: str,
    targets: PlanTargets,
    score: Score | None,
    peers: Mapping[str, PeerSet] | PeerSet | None,
    taken: set[str],
) -> _Measure:
    trajectory = targets.published(key)
    m = targets.plan.measures[key]
    name = trajectory.measure or key
    anchor = _anchor(key, taken)
    labels = [
        f"{n} ({c})" if n else c
        for c, n in zip(targets.organisations, targets.organisation_names, strict=True)
    ]
    groups = _groups(trajectory, score, labels)
    described, values = _peer_values(key, targets, peers)
    national, drawn = _national_words(m.national, trajectory, m.ndigits)
    r = targets.realism.get(key)
    history = targets.histories.get(key)
    realism: dict[str, Any] = {}
    if r is not None and history is not None:
        realism = {
            "history": history.describe(),
            "realism": list(zip(labels, r.sentences(), strict=True)),
            "odds": _odds(r, labels, m.ndigits),
            "realism_charts": _realism_charts(r, history, anchor, name, labels),
        }
    # a planning objective's national target is the objective, not England's value
    objective = objective_provenance(trajectory, cite=False) or ""
    national_label = (
        "national objective" if objective and m.national is None else "England (national)"
    )
    has_interval = score is not None and score.lower is not None
    return _Measure(
        key=key,
        anchor=anchor,
        name=name,
        unit=unit(trajectory.unit).label if trajectory.unit else "not stated",
        direction=direction(trajectory.polarity),
        rule_words=describe_rule(trajectory),
        rule_recorded=trajectory.rule.describe(),
        precision=f"targets published to {m.ndigits} decimal place{'s' if m.ndigits != 1 else ''}"
        " (rounded half-up) and scored as published"
        + ("; confidence limits shown to the same precision" if has_interval else ""),
        scoring=_scoring_words(score, trajectory.unit),
        national=national,
        national_label=national_label,
        objective=objective,
        charts=_charts(trajectory, score, drawn, anchor, name),
        start=str(trajectory.start),
        periods=[str(p) for p in (score.periods if score is not None else trajectory.periods)],
        groups=groups,
        has_interval=has_interval,
        interval_label=f"{score.confidence:.0%} interval"
        if score is not None and score.confidence
        else "interval",
        has_significance=score is not None and score.significance is not None,
        peers=described,
        positions=_positions(trajectory, score, labels, values),
        counts=score.summary()["rag"] if score is not None else {},
        **realism,
    )


def _context(
    result: PlanScores | PlanTargets,
    peers: Mapping[str, PeerSet] | PeerSet | None,
    title: str | None,
) -> dict[str, Any]:
    if isinstance(result, PlanScores):
        targets, scores = result.targets, dict(result.scores)
        provenance = result.provenance()
    elif isinstance(result, PlanTargets):
        targets, scores = result, {}
        provenance = result.provenance()
    else:
        raise InputError(
            f"a report needs PlanScores (score_plan) or PlanTargets (run_plan), got "
            f"{type(result).__name__}"
        )
    plan = targets.plan
    taken: set[str] = set()
    measures = [_measure(key, targets, scores.get(key), peers, taken) for key in targets]
    organisations = [
        {
            "code": c,
            "name": n,
            "population": "" if not np.isfinite(p) else f"{p:,.0f}",
        }
        for c, n, p in zip(
            targets.organisations, targets.organisation_names, targets.populations, strict=True
        )
    ]
    names = [o["name"] or o["code"] for o in organisations]
    default = "Outcome trajectories: " + (
        ", ".join(names) if len(names) <= 3 else f"{names[0]} and {len(names) - 1} more"
    )
    return {
        "title": title or default,
        "illustrative": plan.illustrative_plan,
        "note": plan.note or "",
        "scored": bool(scores),
        "organisations": organisations,
        "measures": measures,
        "provenance": [
            *sorted(provenance.items()),
            ("made with", f"outcomes {__version__}"),
            ("made on", _dt.date.today().isoformat()),
        ],
        "rag_order": ["GREEN", "AMBER", "RED", "GREY"],
        "rag_symbols": _RAG_SYMBOLS,
        "rag_meanings": {r: rag_words(r) for r in _RAG_SYMBOLS},
        "polarities": Polarity,
    }


def _environment() -> Any:
    jinja2 = require("jinja2", "the HTML report")
    return jinja2.Environment(
        loader=jinja2.PackageLoader("outcomes.report", "templates"),
        autoescape=True,  # every value from a plan or a data file is escaped
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_report(
    scores: PlanScores | PlanTargets,
    *,
    peers: Mapping[str, PeerSet] | PeerSet | None = None,
    title: str | None = None,
) -> str:
    """The HTML report of a plan's scores (or of its targets alone), as one self-contained page.

    For each measure: the trajectory chart (inline SVG, one panel per organisation), the rule
    in words, a table of the baseline, targets and actuals with RAG ratings and confidence
    verdicts in words (and the significance against a benchmark where it was scored), the
    position among peers where a peer set is known, and the provenance of the plan, the
    baselines, the actuals and every peer set. No network, no JavaScript; prints on A4.

    Parameters
    ----------
    scores : PlanScores or PlanTargets
        From :func:`~outcomes.workflow.score_plan` or :func:`~outcomes.workflow.run_plan`.
    peers : PeerSet or mapping of measure -> PeerSet, optional
        Peer sets to place each organisation among (a benchmark position), beyond the ones the
        plan's quantile rules used (which are shown anyway).
    title : str, optional
        Default: "Outcome trajectories: " and the organisations' names.

    Returns
    -------
    str
        The HTML text.

    Raises
    ------
    InputError
        Anything but PlanScores or PlanTargets; peers that are not PeerSets.

    Examples
    --------
    >>> from outcomes import run_plan
    >>> html = render_report(run_plan("examples/illustrative-hwb.toml"), title="BCF <draft>")
    >>> "<title>BCF &lt;draft&gt;</title>" in html
    True
    >>> "a 7.5% fall a year, compounded, from the 2013/14 baseline to 2015/16" in html
    True
    """
    if title is not None and not isinstance(title, str):
        raise InputError(f"title must be text, got {title!r:.60}")
    context = _context(scores, peers, title)
    html = str(_environment().get_template("report.html.j2").render(**context))
    # control characters (from a name in a file, say) are not allowed in HTML: U+FFFD instead
    return _CONTROL.sub("\ufffd", html)


def write_report(
    scores: PlanScores | PlanTargets,
    path: str | Path,
    *,
    peers: Mapping[str, PeerSet] | PeerSet | None = None,
    title: str | None = None,
    force: bool = True,
    inputs: Iterable[str | Path] = (),
) -> Path:
    """Write :func:`render_report` to ``path`` (``.html``) through a temporary file.

    Never writes over one of ``inputs``; over another existing file only with ``force``.

    >>> import tempfile, pathlib
    >>> from outcomes import run_plan
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "report.html"
    >>> write_report(run_plan("examples/illustrative-hwb.toml"), out).name
    'report.html'
    """
    out = output_path(path)
    if out.suffix.lower() not in (".html", ".htm"):
        raise OutputError(f"{out}: the report is HTML; name it .html, got {out.suffix!r}")
    return write_atomic(
        out, render_report(scores, peers=peers, title=title), inputs=inputs, force=force
    )
