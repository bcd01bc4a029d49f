"""Charts (extra ``plot``): a trajectory against its actuals, and a plan's measures.

Charts a public-health analyst can publish:

* the time axis is proportional: every period sits at its mid-point (calendar 2012 at
  1 July 2012, financial year 2014/15 at about 1 October 2014, quarters and months likewise),
  so 2012 and 2014/15 are 2.25 years apart, not one step;
* the y-axis is labelled from the unit table (``per 100,000 population``) with the direction
  of improvement (``lower is better``);
* each actual shows its RAG rating by marker colour *and* shape (a colour-blind-safe Okabe-Ito
  palette), and the legend says what GREEN, AMBER, RED and GREY mean; a missing actual is a
  hollow grey square at the foot of the panel, never a value;
* reference lines are labelled: the national (England) value, or a planning objective's
  national target ("national objective", never "England"), the peers' quantile bounds
  (Q1 / median / Q3 for quartiles) and a benchmark;
* a trajectory of several organisations is drawn as small multiples, one panel each (or one
  organisation with ``org=``); nothing is left out silently;
* titles wrap at word boundaries; SVG keeps its text as text (searchable, accessible).

Figures are made without :mod:`matplotlib.pyplot` (no global state, no backend switch in a
notebook); files are written by the suffix (PNG, SVG, PDF) through a temporary file.
"""

from __future__ import annotations

import datetime as _dt
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from outcomes._arrays import FloatArray, as_float_array
from outcomes.errors import InputError
from outcomes.periods import Period
from outcomes.plot._base import figure, mpl, save_figure
from outcomes.polarity import Polarity
from outcomes.scoring import Score
from outcomes.trajectory import Trajectory
from outcomes.units import unit

__all__ = [
    "MAX_PANELS",
    "RAG_STYLES",
    "RagStyle",
    "axis_label",
    "midpoint_year",
    "plot_plan",
    "plot_trajectory",
]

#: The most panels one figure holds; beyond it, choose organisations with ``org=``.
MAX_PANELS = 48


@dataclass(frozen=True)
class RagStyle:
    """How a RAG rating is drawn: colour (Okabe-Ito), marker shape and its meaning in words."""

    colour: str
    marker: str
    meaning: str
    filled: bool = True


#: RAG ratings by colour *and* shape, so they survive grey-scale printing and colour blindness.
RAG_STYLES: dict[str, RagStyle] = {
    "GREEN": RagStyle("#009E73", "o", "met the target"),
    "AMBER": RagStyle("#E69F00", "D", "missed, within tolerance"),
    "RED": RagStyle("#D55E00", "X", "missed the target"),
    "GREY": RagStyle("#7F7F7F", "s", "actual not yet available", filled=False),
}

_TARGET = "#0072B2"  # Okabe-Ito blue
_NATIONAL = "#CC79A7"  # reddish purple
_BENCHMARK = "#56B4E9"  # sky blue
_BOUNDS = "#6E6E6E"
_TITLE_WIDTH = 64  # characters of a wrapped title on a 6.4-inch panel


# --------------------------------------------------------------------------------------------
# the time axis and the labels
# --------------------------------------------------------------------------------------------


def midpoint_year(p: Period) -> float:
    """A period's mid-point as a decimal year: where the chart places it.

    The mid-point is half-way between the period's first and last day; the decimal year counts
    days from 1 January. So a calendar year sits at ``.5``, a financial year at about ``.75``
    (1 October), a quarter or a month at its own middle.

    >>> from outcomes.periods import period
    >>> midpoint_year(period("2012")), round(midpoint_year(period("2014/15")), 3)
    (2012.5, 2014.747)
    >>> round(midpoint_year(period("2014/15")) - midpoint_year(period("2012")), 2)
    2.25
    """
    first = _dt.datetime.combine(p.start, _dt.time())
    after = _dt.datetime.combine(p.end, _dt.time()) + _dt.timedelta(days=1)
    middle = first + (after - first) / 2
    year_start = _dt.datetime(middle.year, 1, 1)
    days = (_dt.datetime(middle.year + 1, 1, 1) - year_start).total_seconds()
    return middle.year + (middle - year_start).total_seconds() / days


def _wrap(text: str, width: int) -> str:
    """Wrap at word boundaries (never mid-word); matplotlib's ``$`` is taken literally."""
    lines = textwrap.wrap(text, width=width, break_long_words=False, break_on_hyphens=False)
    return "\n".join(lines).replace("$", r"\$")


def axis_label(trajectory: Trajectory) -> str:
    """The y-axis label: the unit's label from the unit table and the direction of improvement.

    >>> from outcomes import percentage_change
    >>> t = percentage_change(2000.0, -0.032, start="2013", end="2015/16",
    ...                       unit="yll_per_100000", polarity="lower")
    >>> print(axis_label(t))
    years of life lost per 100,000
    population
    (lower is better)
    """
    label = unit(trajectory.unit).label if trajectory.unit is not None else "value"
    pol = trajectory.polarity
    direction = (
        {
            Polarity.LOWER_IS_BETTER: "(lower is better)",
            Polarity.HIGHER_IS_BETTER: "(higher is better)",
            Polarity.NO_JUDGEMENT: "(no better direction)",
        }.get(pol, "(direction not stated)")
        if pol is not None
        else "(direction not stated)"
    )
    return f"{_wrap(label, 32)}\n{direction}"


def _amber_meaning(score: Score | None) -> str:
    if score is None or score.amber_progress is None:
        return RAG_STYLES["AMBER"].meaning
    if score.tolerance > 0:
        return "missed, within tolerance or on track"
    return f"missed, but {score.amber_progress:.0%} of the planned change made"


# --------------------------------------------------------------------------------------------
# one organisation's rows
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Row:
    """What one panel draws: one organisation's baseline, targets and actuals."""

    label: str
    start: Period
    baseline: float
    periods: tuple[Period, ...]
    targets: FloatArray
    score_periods: tuple[Period, ...] = ()
    actual: FloatArray | None = None
    rag: Any = None
    lower: FloatArray | None = None
    upper: FloatArray | None = None
    benchmark: FloatArray | None = None
    bounds: FloatArray | None = None
    national: float | None = None
    national_label: str = "England"


def _org_labels(codes: Sequence[str], names: Sequence[str] | None) -> list[str]:
    names = names or [""] * len(codes)
    return [
        f"{name} ({code})" if name and code else (name or code)
        for code, name in zip(codes, names, strict=True)
    ]


def _choose(labels: list[str], codes: list[str], names: Sequence[str], org: object) -> list[int]:
    """Row indexes of the organisations asked for (all of them when ``org`` is None)."""
    if org is None:
        return list(range(len(codes)))
    if isinstance(org, str | int):
        wanted: list[object] = [org]
    elif isinstance(org, Sequence) and not isinstance(org, bytes):
        wanted = list(org)
    else:
        raise InputError(
            f"org must be a code, a name, a row number or a list of them, got {org!r:.60}"
        )
    if not wanted:
        raise InputError("org must name at least one organisation, got an empty list")
    rows = []
    for one in wanted:
        if isinstance(one, int) and not isinstance(one, bool) and 0 <= one < len(codes):
            rows.append(one)
        elif isinstance(one, str) and one in codes:
            rows.append(codes.index(one))
        elif isinstance(one, str) and one in names:
            rows.append(list(names).index(one))
        else:
            shown = ", ".join(labels[:8]) + (" ..." if len(labels) > 8 else "")
            raise InputError(f"org {one!r} is not one of the organisations: {shown}")
    return rows


def _per_row(value: Any, n_rows: int, n_periods: int, name: str) -> FloatArray | None:
    if value is None:
        return None
    array = np.asarray(value, dtype=np.float64)
    try:
        if array.ndim <= 1 and array.size == n_periods:
            return np.broadcast_to(array.reshape(1, n_periods), (n_rows, n_periods))
        return array.reshape(n_rows, n_periods)
    except ValueError:
        raise InputError(
            f"{name} has shape {array.shape}; expected ({n_rows}, {n_periods}) "
            "(organisations, periods)"
        ) from None


#: Largest magnitude a chart can draw (matplotlib's axis arithmetic overflows near 1e308).
_LARGEST_DRAWN = 1e300


def _drawable(value: Any, name: str) -> FloatArray:
    """Finite numbers a chart can draw, as floats; anything else an InputError naming ``name``."""
    array = as_float_array(value, name, error=InputError)
    if (np.abs(array) > _LARGEST_DRAWN).any():
        raise InputError(f"{name} holds numbers too large to draw, e.g. {np.max(np.abs(array))!r}")
    return array


def _rows(
    trajectory: Trajectory,
    score: Score | None,
    org: object,
    national: Any,
    bounds: Any,
) -> list[_Row]:
    if not isinstance(trajectory, Trajectory):
        raise InputError(f"trajectory must be a Trajectory, got {type(trajectory).__name__}")
    n = len(trajectory.periods)
    flat = trajectory.values.reshape(-1, n)
    base = trajectory.baseline.reshape(-1)
    count = flat.shape[0]
    codes = trajectory.organisation_labels()
    names = list(trajectory.organisation_names or [""] * count)
    labels = _org_labels(codes, names)
    chosen = _choose(labels, codes, names, org)

    score_rows: list[int] | None = None
    if score is not None:
        if not isinstance(score, Score):
            raise InputError(f"score must be a Score, got {type(score).__name__}")
        m = len(score.periods)
        score_count = int(np.asarray(score.actual).size // max(m, 1))
        if score.organisations is not None and trajectory.organisations is not None:
            missing = [c for c in codes if c not in score.organisations]
            if missing:
                raise InputError(
                    f"score has no organisation {missing[0]!r}; it has "
                    f"{', '.join(score.organisations[:8])}"
                )
            score_rows = [score.organisations.index(c) for c in codes]
        elif score_count == count:
            score_rows = list(range(count))
        else:
            raise InputError(
                f"score has {score_count} organisation row(s), the trajectory {count}: "
                "they do not match"
            )
        actual = np.asarray(score.actual, dtype=np.float64).reshape(-1, m)
        rag = np.asarray(score.rag).reshape(-1, m)
        lower = None if score.lower is None else np.asarray(score.lower).reshape(-1, m)
        upper = None if score.upper is None else np.asarray(score.upper).reshape(-1, m)
        bench = _per_row(score.benchmark, score_count, m, "score.benchmark")

    params = trajectory.rule.parameters
    bound_values = bounds if bounds is not None else params.get("bounds")
    bound_array = None if bound_values is None else _drawable(bound_values, "bounds")
    if bound_array is not None and not (
        bound_array.ndim == 1 or (bound_array.ndim == 2 and bound_array.shape[0] == count)
    ):
        raise InputError(
            f"bounds has shape {bound_array.shape}; give one list of bounds, or one per "
            f"organisation ({count})"
        )
    national_value = national if national is not None else params.get("national")
    # a planning objective's target is a national *objective*, not England's value
    national_label = (
        "national objective" if national is None and "objective" in params else "England"
    )
    national_array = None
    if national_value is not None:
        national_given = _drawable(national_value, "national")
        try:
            national_array = np.broadcast_to(national_given, base.shape)
        except ValueError:
            raise InputError(
                f"national has shape {national_given.shape}; give one value or one per "
                f"organisation ({count})"
            ) from None
    for name, drawn in (("baseline", base), ("targets", flat)):
        _drawable(drawn, name)

    out = []
    for i in chosen:
        row_bounds = None
        if bound_array is not None:
            row_bounds = bound_array if bound_array.ndim == 1 else bound_array.reshape(count, -1)[i]
        extra: dict[str, Any] = {}
        if score is not None and score_rows is not None:
            j = score_rows[i]
            extra = {
                "score_periods": score.periods,
                "actual": actual[j],
                "rag": rag[j],
                "lower": None if lower is None else lower[j],
                "upper": None if upper is None else upper[j],
                "benchmark": None if bench is None else bench[j],
            }
        out.append(
            _Row(
                label=labels[i],
                start=trajectory.start,
                baseline=float(base[i]),
                periods=trajectory.periods,
                targets=flat[i],
                bounds=row_bounds,
                national=None if national_array is None else float(national_array[i]),
                national_label=national_label,
                **extra,
            )
        )
    return out


# --------------------------------------------------------------------------------------------
# drawing one panel
# --------------------------------------------------------------------------------------------


def _quantile_names(k: int) -> list[str]:
    if k == 4:
        return ["Q1", "median", "Q3"]
    if k == 2:
        return ["median"]
    return [f"{100 * i / k:g}th centile" for i in range(1, k)]


def _fmt(value: float) -> str:
    return f"{value:,.6g}"


def _draw(ax: Any, row: _Row, score: Score | None) -> dict[str, Any]:
    """Draw one organisation on ``ax``; returns legend handles by label."""
    matplotlib = mpl()
    from matplotlib.lines import Line2D
    from matplotlib.ticker import FuncFormatter

    handles: dict[str, Any] = {}
    x_base = midpoint_year(row.start)
    x = np.array([midpoint_year(p) for p in row.periods])
    (line,) = ax.plot(
        [x_base, *x],
        [row.baseline, *row.targets],
        "-",
        color=_TARGET,
        linewidth=1.8,
        marker="o",
        markersize=3.5,
        markevery=list(range(1, len(x) + 1)),
        zorder=2,
    )
    handles["planned trajectory (targets)"] = line
    handles["baseline"] = ax.plot(
        [x_base], [row.baseline], "s", color="black", markersize=6, zorder=3
    )[0]

    if row.actual is not None:
        xs = np.array([midpoint_year(p) for p in row.score_periods])
        have = ~np.isnan(row.actual)
        if row.lower is not None and row.upper is not None:
            ci = have & ~np.isnan(row.lower) & ~np.isnan(row.upper)
            if ci.any():
                ax.vlines(
                    xs[ci], row.lower[ci], row.upper[ci], color="#333333", linewidth=1, zorder=3
                )
                conf = f"{score.confidence:.0%} " if score and score.confidence else ""
                handles[f"{conf}confidence interval"] = Line2D(
                    [], [], color="#333333", linewidth=1, marker="|", markersize=8
                )
        for rag in RAG_STYLES:
            style = RAG_STYLES[rag]
            where = np.asarray(row.rag) == rag
            if rag == "GREY":
                where = where | ~have
                if where.any():
                    # a missing actual has no value: mark its period at the foot of the panel
                    ax.plot(
                        xs[where],
                        np.full(int(where.sum()), 0.035),
                        linestyle="none",
                        marker=style.marker,
                        markersize=7,
                        markerfacecolor="white",
                        markeredgecolor=style.colour,
                        markeredgewidth=1.5,
                        transform=ax.get_xaxis_transform(),
                        clip_on=False,
                        zorder=4,
                    )
            else:
                where = where & have
                if where.any():
                    ax.plot(
                        xs[where],
                        row.actual[where],
                        linestyle="none",
                        marker=style.marker,
                        markersize=8 if style.marker != "D" else 6.5,
                        color=style.colour,
                        markeredgecolor="black",
                        markeredgewidth=0.6,
                        zorder=5,
                    )
        for rag, style in RAG_STYLES.items():
            meaning = _amber_meaning(score) if rag == "AMBER" else style.meaning
            handles[f"{rag}: {meaning}"] = Line2D(
                [],
                [],
                linestyle="none",
                marker=style.marker,
                markersize=7,
                color=style.colour,
                markerfacecolor=style.colour if style.filled else "white",
                markeredgecolor="black" if style.filled else style.colour,
                markeredgewidth=0.6 if style.filled else 1.5,
            )
        if row.benchmark is not None and (~np.isnan(row.benchmark)).any():
            handles["benchmark"] = ax.plot(
                xs, row.benchmark, linestyle="-.", color=_BENCHMARK, linewidth=1.4, zorder=1
            )[0]

    transform = matplotlib.transforms.blended_transform_factory(ax.transAxes, ax.transData)
    if row.national is not None:
        legend = "England (national)" if row.national_label == "England" else row.national_label
        handles[legend] = ax.axhline(
            row.national, color=_NATIONAL, linestyle="--", linewidth=1.3, zorder=1
        )
        name = "objective" if row.national_label != "England" else "England"
        _side_label(ax, transform, row.national, f"{name} {_fmt(row.national)}", _NATIONAL)
    if row.bounds is not None and row.bounds.ndim == 1 and row.bounds.size >= 3:
        inner = row.bounds[1:-1]
        names = _quantile_names(row.bounds.size - 1)
        for value, name in zip(inner, names, strict=True):
            ax.axhline(float(value), color=_BOUNDS, linestyle=":", linewidth=1, zorder=1)
            _side_label(ax, transform, float(value), f"{name} {_fmt(float(value))}", _BOUNDS)
        handles[f"peers' quantile bounds ({', '.join(names)})"] = Line2D(
            [], [], color=_BOUNDS, linestyle=":", linewidth=1
        )

    shown = [row.start, *row.periods]
    for p in row.score_periods:
        if p not in shown:
            shown.append(p)
    shown.sort()
    positions = [midpoint_year(p) for p in shown]
    step = max(1, int(np.ceil(len(shown) / 9)))
    ax.set_xticks(positions[::step], [str(p) for p in shown[::step]], fontsize=7.5)
    if len(shown) > 5 or any(len(str(p)) > 7 for p in shown):
        for tick in ax.get_xticklabels():
            tick.set_rotation(35)
            tick.set_horizontalalignment("right")
    # a margin of about half the shortest period: half a year for years, half a month for months
    margin = 0.45 * min(p.months for p in shown) / 12
    ax.set_xlim(min(positions) - margin, max(positions) + margin)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.10g}"))
    ax.tick_params(axis="y", labelsize=7.5)
    ax.grid(axis="y", alpha=0.25)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return handles


def _side_label(ax: Any, transform: Any, y: float, text: str, colour: str) -> None:
    """A reference line's name and value just outside the panel's right edge."""
    ax.text(
        1.01,
        y,
        text,
        transform=transform,
        ha="left",
        va="center",
        fontsize=6.5,
        color=colour,
        clip_on=False,
    )


def _room_for_missing(axes: Sequence[Any]) -> None:
    """Widen the foot of each y-axis (once per shared group) so that the markers of missing
    actuals, drawn at the foot, never sit on a target or an actual."""
    done: set[int] = set()
    for ax in axes:
        if not ax.get_visible() or id(ax) in done:
            continue
        siblings = ax.get_shared_y_axes().get_siblings(ax)
        done.update(id(a) for a in siblings)
        lo, hi = ax.get_ylim()
        ax.set_ylim(lo - 0.08 * (hi - lo), hi)


_ORDER = (
    "planned trajectory",
    "baseline",
    "GREEN",
    "AMBER",
    "RED",
    "GREY",
    "95%",
    "confidence",
    "England",
    "national objective",
    "peers'",
    "benchmark",
)


def _legend_items(handles: dict[str, Any]) -> tuple[list[Any], list[str]]:
    def rank(label: str) -> int:
        return next((i for i, key in enumerate(_ORDER) if label.startswith(key)), len(_ORDER))

    labels = sorted(handles, key=rank)
    return [handles[label] for label in labels], labels


def _grid(panels: int, widest: int) -> tuple[int, int]:
    """(columns, lines) of a balanced grid: 6 panels in 3 x 2, not 4 + 2."""
    lines = -(-panels // widest)
    columns = -(-panels // lines)
    return columns, lines


def _check_title(title: object) -> None:
    if title is not None and not isinstance(title, str):
        raise InputError(f"title must be text, got {title!r:.60}")


def _panel_title(ax: Any, text: str, width: int) -> None:
    ax.set_title(_wrap(text, width), fontsize=8.5, loc="left")


def _finish(fig: Any, handles: dict[str, Any], title: str | None, columns: int) -> None:
    items, labels = _legend_items(handles)
    if items:
        fig.legend(
            items,
            labels,
            loc="outside lower center",
            ncols=max(1, min(3, columns + 1)),
            fontsize=7.5,
            frameon=False,
        )
    if title:
        fig.suptitle(_wrap(title, int(_TITLE_WIDTH * max(1, columns) * 0.9)), fontsize=10)


# --------------------------------------------------------------------------------------------
# public
# --------------------------------------------------------------------------------------------


def plot_trajectory(
    trajectory: Trajectory,
    *,
    score: Score | None = None,
    org: str | int | Sequence[str | int] | None = None,
    national: Any = None,
    bounds: Any = None,
    ax: Any = None,
    title: str | None = None,
) -> Any:
    """Draw a trajectory: baseline, planned targets and the actuals with their RAG ratings.

    One panel per organisation (small multiples sharing the y-axis) unless ``org`` picks one or
    some; the time axis places each period at its mid-point (:func:`midpoint_year`); the y-axis
    is labelled from the unit table with the direction of improvement. With a ``score``, each
    actual is drawn by RAG colour and shape with its confidence interval where known; a missing
    actual is a hollow grey square at the foot of its period. The national value (``national``
    or the rule's own) and the peers' quantile bounds (``bounds`` or the rule's own) are drawn
    as labelled reference lines, and the score's benchmark as a line.

    Parameters
    ----------
    trajectory : Trajectory
        The targets, for one organisation or many.
    score : Score, optional
        The actuals scored against these targets (same organisations).
    org : str, int or list, optional
        Organisation code(s), name(s) or row index(es) to draw; default: every organisation.
    national : float or array, optional
        The national (England) value; default: the rule's ``national`` parameter, if any
        (for :func:`~outcomes.trajectories.reach_objective`, the objective's national target,
        drawn as "national objective").
    bounds : array, optional
        Peer quantile bounds ``[min, Q1, median, Q3, max]``; default: the rule's ``bounds``.
    ax : matplotlib Axes, optional
        Draw into this axes (one organisation only); the legend goes on the axes.
    title : str, optional
        Default: the measure's name. Wrapped at word boundaries.

    Returns
    -------
    matplotlib.figure.Figure
        The figure (``ax.figure`` when ``ax`` is given); save it with :func:`save_figure`.

    Raises
    ------
    InputError
        An unknown ``org``, a score of other organisations, or several organisations with ``ax``.

    Examples
    --------
    >>> from outcomes import percentage_change, score
    >>> t = percentage_change([2150.4, 1876.3], -0.032, start="2013", end="2016/17",
    ...                       unit="yll_per_100000", polarity="lower",
    ...                       measure="Potential years of life lost").with_organisations(["99A", "99B"])
    >>> s = score(t, [[2051.9, float("nan"), float("nan")], [1850.0, 1700.0, float("nan")]])
    >>> fig = plot_trajectory(t, score=s)
    >>> len(fig.axes)
    2
    >>> len(plot_trajectory(t, score=s, org="99B").axes)
    1
    """
    _check_title(title)
    rows = _rows(trajectory, score, org, national, bounds)
    heading = title if title is not None else (trajectory.measure or trajectory.rule.name)
    label = axis_label(trajectory)
    if ax is not None:
        if len(rows) != 1:
            raise InputError(
                f"the trajectory has {len(rows)} organisations and ax holds one panel: pass "
                "org=... to choose one, or leave ax out for one panel per organisation"
            )
        drawn = _draw(ax, rows[0], score)
        if score is not None:
            _room_for_missing([ax])
        _panel_title(ax, ": ".join(part for part in (heading, rows[0].label) if part), 60)
        ax.set_ylabel(label, fontsize=8)
        items, labels = _legend_items(drawn)
        ax.legend(items, labels, fontsize=6.5, loc="best", framealpha=0.85)
        return ax.figure
    if len(rows) > MAX_PANELS:
        raise InputError(
            f"{len(rows)} organisations are too many panels for one figure (at most "
            f"{MAX_PANELS}); choose some with org=[...]"
        )
    columns, lines = _grid(len(rows), 3)
    fig = figure(6.4 if columns == 1 else 3.6 * columns, 3.2 + 2.6 * lines)
    axes = fig.subplots(lines, columns, sharey=True, squeeze=False).ravel()
    handles: dict[str, Any] = {}
    for i, (panel, row) in enumerate(zip(axes, rows, strict=False)):
        handles.update(_draw(panel, row, score))
        if row.label:
            _panel_title(panel, row.label, 44 if columns > 1 else 70)
        if i % columns == 0:
            panel.set_ylabel(label, fontsize=8)
    for panel in axes[len(rows) :]:
        panel.set_visible(False)
    if score is not None:
        _room_for_missing(axes)
    _finish(fig, handles, heading, columns)
    return fig


def _plan_parts(
    targets_or_mapping: Any, scores: Any
) -> tuple[dict[str, Trajectory], dict[str, Score], dict[str, float | None], str | None]:
    """Normalise PlanScores / PlanTargets / mappings to trajectories, scores and nationals."""
    from outcomes.workflow.run import PlanScores, PlanTargets

    note = None
    if isinstance(targets_or_mapping, PlanScores):
        scores = targets_or_mapping if scores is None else scores
        targets_or_mapping = targets_or_mapping.targets
    nationals: dict[str, float | None] = {}
    if isinstance(targets_or_mapping, PlanTargets):
        trajectories = {k: targets_or_mapping.published(k) for k in targets_or_mapping}
        nationals = {k: m.national for k, m in targets_or_mapping.plan.measures.items()}
        if targets_or_mapping.plan.illustrative_plan:
            note = "ILLUSTRATIVE: made-up numbers, not a real organisation"
    elif isinstance(targets_or_mapping, Mapping):
        trajectories = dict(targets_or_mapping)
    elif isinstance(targets_or_mapping, Trajectory):
        trajectories = {targets_or_mapping.measure or "trajectory": targets_or_mapping}
    else:
        raise InputError(
            "plot_plan needs PlanTargets, PlanScores or a mapping of measure to Trajectory, got "
            f"{type(targets_or_mapping).__name__}"
        )
    if not trajectories:
        raise InputError("nothing to draw: the plan has no measures")
    for key, t in trajectories.items():
        if not isinstance(t, Trajectory):
            raise InputError(f"{key!r}: expected a Trajectory, got {type(t).__name__}")
    score_map: dict[str, Score] = dict(scores) if scores is not None else {}
    return trajectories, score_map, nationals, note


def plot_plan(
    targets_or_mapping: Any,
    path: str | Path | None = None,
    *,
    scores: Mapping[str, Score] | None = None,
    org: str | int | Sequence[str | int] | None = None,
    title: str | None = None,
    inputs: Iterable[str | Path] = (),
    force: bool = True,
) -> Any:
    """Draw every measure of a plan, for every organisation, and save it to ``path`` (never over
    one of ``inputs``, nor over an existing file unless ``force``).

    For one organisation the measures are panels of a grid; for several, each measure is a row
    of small multiples (one panel per organisation, sharing the y-axis), so no organisation is
    left out; choose some with ``org``. The panels are drawn as :func:`plot_trajectory` draws
    them; one legend explains every mark. Targets of :class:`~outcomes.workflow.PlanTargets`
    are drawn as published (rounded to the measure's precision), the ones that were scored.

    Parameters
    ----------
    targets_or_mapping : PlanTargets, PlanScores or mapping of measure -> Trajectory
        What to draw; a ``PlanScores`` brings its targets and its scores.
    path : str or Path, optional
        Where to save: ``.png``, ``.svg`` (text kept as text) or ``.pdf``. Without it the
        figure is returned unsaved.
    scores : PlanScores or mapping of measure -> Score, optional
        Actuals to draw against the targets.
    org : str, int or list, optional
        Organisation code(s), name(s) or row index(es); default: all of them.
    title : str, optional
        A title over the figure; default: the organisation's name for a one-organisation plan.

    Returns
    -------
    Path or matplotlib.figure.Figure
        The path written, or the figure when ``path`` is None.

    Examples
    --------
    >>> from outcomes import run_plan
    >>> fig = plot_plan(run_plan("examples/illustrative-icb.toml"), org=["99A", "99B"])
    >>> len([ax for ax in fig.axes if ax.get_visible()])   # 3 measures x 2 organisations
    6
    """
    _check_title(title)
    trajectories, score_map, nationals, note = _plan_parts(targets_or_mapping, scores)
    rows_by_key = {
        key: _rows(t, score_map.get(key), org, nationals.get(key), None)
        for key, t in trajectories.items()
    }
    n_orgs = max(len(r) for r in rows_by_key.values())
    panels = sum(len(r) for r in rows_by_key.values())
    if panels > MAX_PANELS:
        raise InputError(
            f"{n_orgs} organisations x {len(trajectories)} measures are too many panels for one "
            f"figure (at most {MAX_PANELS}); choose organisations with org=[...]"
        )
    handles: dict[str, Any] = {}
    if n_orgs == 1:
        columns = 2 if len(trajectories) > 1 else 1
        lines = (len(trajectories) + columns - 1) // columns
        fig = figure(6.4 * columns, 1.2 + 3.4 * lines)
        axes = fig.subplots(lines, columns, squeeze=False).ravel()
        for panel, (key, t) in zip(axes, trajectories.items(), strict=False):
            handles.update(_draw(panel, rows_by_key[key][0], score_map.get(key)))
            _panel_title(panel, t.measure or key, 70)
            panel.set_ylabel(axis_label(t), fontsize=8)
        for panel in axes[len(trajectories) :]:
            panel.set_visible(False)
        if score_map:
            _room_for_missing(axes)
        default_title = rows_by_key[next(iter(trajectories))][0].label or None
    else:
        columns, _ = _grid(n_orgs, 4)
        lines_per = [(len(r) + columns - 1) // columns for r in rows_by_key.values()]
        fig = figure(3.5 * columns, 1.0 + sum(0.7 + 2.5 * n for n in lines_per))
        subfigs = np.atleast_1d(
            fig.subfigures(len(trajectories), 1, height_ratios=[0.7 + 2.5 * n for n in lines_per])
        )
        for sub, (key, t), n_lines in zip(subfigs, trajectories.items(), lines_per, strict=True):
            rows = rows_by_key[key]
            axes = sub.subplots(n_lines, columns, sharey=True, squeeze=False).ravel()
            for i, (panel, row) in enumerate(zip(axes, rows, strict=False)):
                handles.update(_draw(panel, row, score_map.get(key)))
                _panel_title(panel, row.label, 40)
                if i % columns == 0:
                    panel.set_ylabel(axis_label(t), fontsize=7.5)
            for panel in axes[len(rows) :]:
                panel.set_visible(False)
            if score_map.get(key) is not None:
                _room_for_missing(axes)
            sub.suptitle(_wrap(t.measure or key, 58 * columns), fontsize=9, ha="left", x=0.01)
        default_title = None
    heading = title if title is not None else default_title
    if note:
        heading = f"{heading} - {note}" if heading else note
    _finish(fig, handles, heading, columns)
    if path is None:
        return fig
    return save_figure(fig, path, inputs=inputs, force=force)
