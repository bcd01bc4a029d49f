"""Charts for "is this ambition realistic?" (extra ``plot``): what peers achieved, and the odds.

* :func:`plot_changes` - the distribution of historical changes with the plan's change marked,
  the share at least as good as planned, and (given confidence limits) the distribution once
  sampling noise is removed.
* :func:`plot_fan` - one area's history and a fan of its probable path against its targets,
  each target labelled with the probability of meeting it.

Imported only when asked for; the library never imports it. Matplotlib's Agg backend, so it
works without a screen. PNG or SVG by the file's suffix; SVG keeps text as real text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from outcomes._arrays import as_float_array
from outcomes.errors import ScoringError
from outcomes.plot._base import figure, save_figure
from outcomes.polarity import Polarity
from outcomes.realism import forecast
from outcomes.realism.plans import _percent
from outcomes.realism.shares import _achievability
from outcomes.stats.changes import Kind, _horizon

__all__ = ["plot_changes", "plot_fan"]

BETTER = "#1b7837"  # at least as good as planned
WORSE = "#bababa"  # worse than planned
PLAN = "#b2182b"
ADJUSTED = "#2166ac"
FAN = "#2166ac"
PEERS = "#762a83"


def _direction(polarity: Polarity) -> str:
    return "lower is better" if polarity is Polarity.LOWER_IS_BETTER else "higher is better"


def plot_changes(
    history: npt.ArrayLike,
    planned_change: float,
    *,
    polarity: object,
    horizon: int = 1,
    kind: Kind = "relative",
    lower: npt.ArrayLike | None = None,
    upper: npt.ArrayLike | None = None,
    confidence: float = 0.95,
    unit_label: str = "area-years",
    measure: str | None = None,
    unit: str | None = None,
    period_label: str = "year",
    ax: Any = None,
    path: str | Path | None = None,
) -> Any:
    """Histogram of every area's historical change, the plan's change marked.

    Bars at least as good as the plan are green, the others grey; the red line is the plan and
    the title gives :func:`outcomes.realism.achievability`'s share. With confidence limits, blue
    steps show the distribution of true changes once sampling noise is removed: the posterior
    mass of each band, ``mean_ij [Phi((b1 - m_ij) / s_ij) - Phi((b0 - m_ij) / s_ij)]``, in the
    bars' units, and the title adds the adjusted share.

    Parameters
    ----------
    history : array_like
        Areas x equally spaced periods (``NaN`` = missing).
    planned_change : float
        The plan's change over ``horizon`` periods (relative: ``-0.032`` is a 3.2% fall).
    polarity : {"higher", "lower"}
        Which direction is better (stated on the x axis).
    horizon, kind, lower, upper, confidence
        As for :func:`outcomes.realism.achievability`.
    unit_label : str
        What is counted, for the y axis (``"CCG-years"``).
    measure : str, optional
        The measure, for the title.
    unit : str, optional
        An absolute change's unit (``"percentage points"``).
    period_label : str
        The period (``"year"``).
    ax : matplotlib Axes, optional
        Where to draw (a new figure when omitted).
    path : str or Path, optional
        Save the figure here (PNG or SVG by suffix; SVG keeps text as text).

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ScoringError
        Bad arguments (as :func:`~outcomes.realism.achievability`), more than one plan, or no
        change to plot.

    References
    ----------
    Louis T.A. (1984) JASA 79:393-398 (the noise-removed distribution).

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> ax = plot_changes(np.exp(rng.normal(5, 0.1, (50, 5))), -0.032, polarity="lower")
    >>> ax.get_xlabel()
    'change over 1 year (%);  ← better (lower is better)'
    """
    if measure is not None and not isinstance(measure, str):
        raise ScoringError(f"measure must be text, got {measure!r:.80}")
    a, values, post = _achievability(
        planned_change, history, polarity, horizon, kind, lower, upper, confidence
    )
    if np.ndim(a.planned_change) != 0:
        raise ScoringError(f"planned_change must be one number, got {planned_change!r}")
    if values.size == 0:
        raise ScoringError("history has no change to plot (all missing?)")
    relative = kind == "relative"
    scale = 100.0 if relative else 1.0
    shown = values * scale
    plan = float(a.planned_change) * scale
    if ax is None:
        ax = figure(7.0, 4.0).subplots()
    lo, hi = np.quantile(shown, [0.005, 0.995])
    lo, hi = min(lo, plan), max(hi, plan)
    pad = 0.05 * (hi - lo or 1.0)
    edges = np.linspace(lo - pad, hi + pad, 41)
    inside = np.clip(shown, edges[0], edges[-1])
    weights = np.full(shown.size, 100.0 / shown.size)
    good = shown <= plan if a.polarity is Polarity.LOWER_IS_BETTER else shown >= plan
    ax.hist(
        [inside[good], inside[~good]],
        bins=edges,
        weights=[weights[good], weights[~good]],
        stacked=True,
        color=[BETTER, WORSE],
        label=["at least as good as planned", "worse than planned"],
        edgecolor="white",
        linewidth=0.4,
    )
    shown_plan = f"{plan:+.1f}%" if relative else f"{plan:+.4g} {unit or ''}".rstrip()
    text = f"planned {shown_plan}: achieved by {_percent(float(a.share))}"
    if a.share_adjusted is not None:
        if post is not None:
            from scipy.special import ndtr

            # the posterior mass of each band, in the bars' units (% of area-periods per band)
            cut = np.log1p(edges / 100.0) if relative else edges
            sds = np.maximum(post.sd, 1e-12)
            cdf = ndtr((cut[None, :] - post.mean[:, None]) / sds[:, None]).mean(axis=0)
            mass = np.diff(cdf) * 100.0
            ax.stairs(
                mass,
                edges,
                color=ADJUSTED,
                linewidth=1.8,
                label="true changes, sampling noise removed",
            )
        text += f"; {_percent(float(a.share_adjusted))} once sampling noise is removed"
    ax.axvline(plan, color=PLAN, linewidth=2.0, label="the plan")
    ax.set_title(f"{measure + chr(10) if measure else ''}{text}", fontsize=9)
    unit_text = "%" if relative else (unit or "in the measure's unit")
    span = f"{horizon} {period_label}{'s' if horizon > 1 else ''}"
    arrow = "← better" if a.polarity is Polarity.LOWER_IS_BETTER else "better →"
    ax.set_xlabel(f"change over {span} ({unit_text});  {arrow} ({_direction(a.polarity)})")
    ax.set_ylabel(f"% of {a.n:,} {unit_label} in each band")
    ax.legend(
        fontsize=7, loc="upper right" if a.polarity is Polarity.LOWER_IS_BETTER else "upper left"
    )
    ax.grid(alpha=0.3, axis="y")
    if path is not None:
        save_figure(ax.figure, path)
    return ax


def _target(value: Any, horizon: int) -> float:
    """One target (NaN: none at this horizon)."""
    target = as_float_array(value, f"target at horizon {horizon}", error=ScoringError, finite=False)
    if target.ndim:
        raise ScoringError(f"target at horizon {horizon} must be one number, got {value!r:.80}")
    return float(target)


_YEAR = re.compile(r"^(\d{4})$")
_FINANCIAL = re.compile(r"^(\d{4})([/-])(\d{2})$")


def _extend(periods: Sequence[str], count: int) -> list[str]:
    """The ``count`` labels after the last of ``periods`` (yearly labels), else '+1', '+2'."""
    last = str(periods[-1]) if periods else ""
    if m := _YEAR.match(last):
        return [str(int(m.group(1)) + k) for k in range(1, count + 1)]
    if m := _FINANCIAL.match(last):
        first, sep = int(m.group(1)), m.group(2)
        return [f"{first + k}{sep}{(first + k + 1) % 100:02d}" for k in range(1, count + 1)]
    return [f"+{k}" for k in range(1, count + 1)]


def plot_fan(
    history: npt.ArrayLike,
    targets: Mapping[int, float] | Sequence[float],
    *,
    area: int | str,
    polarity: object,
    areas: Sequence[str] | None = None,
    periods: Sequence[str] | None = None,
    kind: Kind = "relative",
    lower: npt.ArrayLike | None = None,
    upper: npt.ArrayLike | None = None,
    confidence: float = 0.95,
    measure: str | None = None,
    future: Sequence[str] | None = None,
    ax: Any = None,
    path: str | Path | None = None,
) -> Any:
    """One area's history and the fan of its probable path, against its targets.

    The model (:func:`outcomes.realism.forecast`) is fitted to every area of ``history``; the
    chart shows ``area``: its published values (with their confidence limits when given), the
    median of all areas for comparison, the median forecast and the ranges holding 50%, 80% and
    90% of probable outcomes, and each target labelled with the probability of meeting it.

    Parameters
    ----------
    history : array_like
        Areas x equally spaced periods, as for :func:`outcomes.realism.forecast`.
    targets : mapping or sequence
        ``{horizon: target}`` (periods after the last one), or targets for horizons 1, 2, ...
        (``NaN`` where there is none).
    area : int or str
        Row index, or name found in ``areas``.
    polarity : {"higher", "lower"}
        Which direction is better.
    areas, periods : sequence of str, optional
        Area names and period labels (future labels continue yearly labels such as ``2014``
        or ``2014/15``).
    kind, lower, upper, confidence
        As for :func:`outcomes.realism.forecast`.
    measure : str, optional
        The y-axis label.
    future : sequence of str, optional
        Labels of the periods after the history (horizons 1, 2, ...), e.g. the plan's target
        periods; by default the history's labels continue.
    ax, path
        Axes to draw on; file to save (PNG or SVG; SVG keeps text as text).

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ScoringError
        Bad arguments (as :func:`~outcomes.realism.forecast`), an unknown area, an area without
        history, or period labels that do not match the history.

    References
    ----------
    Britton E., Fisher P., Whitley J. (1998) The Inflation Report projections: understanding
    the fan chart. Bank of England Quarterly Bulletin 38:30-37.

    Examples
    --------

    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> y = np.exp(rng.normal(5, 0.1, (30, 5)))
    >>> ax = plot_fan(y, {2: 140.0}, area=0, polarity="lower", periods=list("abcde"))
    >>> [t.get_text() for t in ax.get_xticklabels()][-2:]
    ['+1', '+2']
    """
    pol = Polarity.parse(polarity)
    values = as_float_array(history, "history", error=ScoringError, finite=False)
    if isinstance(targets, Mapping):
        pairs = [(_horizon(h, "a target's horizon"), v) for h, v in targets.items()]
    elif isinstance(targets, Sequence) and not isinstance(targets, str):
        pairs = list(enumerate(targets, start=1))
    else:
        raise ScoringError(
            f"targets must map horizons to targets ({{2: 140.0}}) or list them, got {targets!r:.80}"
        )
    wanted = {h: _target(v, h) for h, v in pairs}
    if not wanted:
        raise ScoringError("targets must not be empty")
    for name, labels_ in (("areas", areas), ("periods", periods), ("future", future)):
        if labels_ is not None and (isinstance(labels_, str) or not isinstance(labels_, Sequence)):
            raise ScoringError(f"{name} must be a list of labels, got {labels_!r:.80}")
    if measure is not None and not isinstance(measure, str):
        raise ScoringError(f"measure must be text, got {measure!r:.80}")
    horizons = tuple(range(1, max(wanted) + 1))
    f = forecast(
        values, horizons=horizons, kind=kind, lower=lower, upper=upper, confidence=confidence
    )
    if areas is not None and len(areas) != values.shape[0]:
        raise ScoringError(f"areas has {len(areas)} labels, history has {values.shape[0]} areas")
    if isinstance(area, str):
        if areas is None or area not in areas:
            raise ScoringError(f"area {area!r} is not in areas")
        row = list(areas).index(area)
    elif isinstance(area, int | np.integer) and not isinstance(area, bool):
        row = int(area)
    else:
        raise ScoringError(f"area must be a row number or a code in areas, got {area!r:.80}")
    if not 0 <= row < values.shape[0]:
        raise ScoringError(f"area index {row} is outside 0..{values.shape[0] - 1}")
    if f.note[row] != "OK":
        raise ScoringError(f"area {area!r} has no history to forecast from")
    n = values.shape[1]
    labels = list(periods) if periods is not None else [str(i) for i in range(n)]
    if len(labels) != n:
        raise ScoringError(f"periods has {len(labels)} labels, history has {n} periods")
    after = _extend(labels, len(horizons))
    if future is not None:
        given = [str(f) for f in future][: len(horizons)]
        after = given + after[len(given) :]
    labels += after
    x_hist = np.arange(n)
    x_future = n - 1 + np.asarray(horizons, dtype=np.float64)
    if ax is None:
        ax = figure(9.0, 4.0).subplots()
    last = values[row, ~np.isnan(values[row])][-1]
    for inner, outer, alpha in ((0.05, 0.95, 0.15), (0.10, 0.90, 0.22), (0.25, 0.75, 0.32)):
        lo_q = np.concatenate([[last], f.quantile(inner)[row]])
        hi_q = np.concatenate([[last], f.quantile(outer)[row]])
        ax.fill_between(
            np.concatenate([[n - 1], x_future]),
            lo_q,
            hi_q,
            color=FAN,
            alpha=alpha,
            linewidth=0,
            label=f"{round((outer - inner) * 100)}% of probable outcomes",
        )
    median = np.concatenate([[last], f.median()[row]])
    ax.plot(np.concatenate([[n - 1], x_future]), median, "--", color=FAN, label="median forecast")
    ax.plot(
        x_hist,
        np.nanmedian(values, axis=0),
        ":",
        color=PEERS,
        linewidth=1.2,
        label="median of all areas",
    )
    own = values[row]
    if lower is not None and upper is not None:
        lo_l = np.asarray(lower, dtype=np.float64)[row]
        hi_l = np.asarray(upper, dtype=np.float64)[row]
        ax.errorbar(
            x_hist,
            own,
            yerr=[own - lo_l, hi_l - own],
            fmt="o-",
            color="black",
            capsize=2,
            markersize=4,
            linewidth=1.2,
            label=f"published value ({confidence:.0%} limits)",
        )
    else:
        ax.plot(x_hist, own, "o-", color="black", markersize=4, label="published value")
    for h, target in sorted(wanted.items()):
        if np.isnan(target):
            continue
        p = float(f.probability(np.full(values.shape[0], target), polarity=pol, horizon=h)[row])
        ax.plot([n - 1 + h], [target], "D", color=PLAN, markersize=7, zorder=5)
        ax.annotate(
            f"{p:.0%}",
            (n - 1 + h, target),
            textcoords="offset points",
            xytext=(7, 0),
            ha="left",
            va="center",
            fontsize=8,
            color=PLAN,
            fontweight="bold",
        )
    ax.plot([], [], "D", color=PLAN, label="target (% = probability of meeting it)")
    ax.set_xticks(np.arange(len(labels)), labels, rotation=30, fontsize=8)
    name = areas[row] if areas is not None else f"area {row}"
    ax.set_title(f"{name}: probable path against its targets", fontsize=9)
    ax.set_ylabel(f"{measure or 'value'} ({_direction(pol)})", fontsize=8)
    ax.set_xlabel("period (equally spaced)", fontsize=8)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0)
    ax.grid(alpha=0.3)
    if path is not None:
        save_figure(ax.figure, path)
    return ax
