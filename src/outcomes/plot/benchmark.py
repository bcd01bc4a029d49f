"""Benchmark charts (extra ``plot``): a PHE funnel plot and a trend against the benchmark.

Imported only when asked for; the library never imports it. matplotlib is imported inside the
functions, with the Agg backend, so the charts draw without a screen. Colours come from the
Okabe-Ito colour-blind-safe palette and every category also has its own marker shape, so the
charts read in greyscale too. Saved as PNG or SVG by the file's suffix; SVG text stays text
(``svg.fonttype = "none"``), so it can be searched, edited and read by screen readers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

import numpy as np
import numpy.typing as npt

from outcomes._arrays import as_float_array
from outcomes.benchmark import (
    FunnelSignificance,
    Significance,
    compare,
    funnel_limits,
    funnel_significance,
)
from outcomes.benchmark._common import _positive
from outcomes.benchmark.funnels import Statistic
from outcomes.errors import ScoringError
from outcomes.plot._base import figure, save_figure, tidy_layout

if TYPE_CHECKING:
    from outcomes.workflow import AreaProfile
from outcomes.polarity import Polarity

__all__ = [
    "FUNNEL_STYLE",
    "SIGNIFICANCE_STYLE",
    "plot_area_profile",
    "plot_funnel",
    "plot_trend",
]


class Style(NamedTuple):
    """How one category is drawn: colour, marker, legend wording."""

    colour: str
    marker: str
    label: str


# Okabe & Ito (2008) colour-blind-safe palette; shapes differ too
_VERMILLION, _ORANGE, _BLUE, _SKY, _GREY = "#D55E00", "#E69F00", "#0072B2", "#56B4E9", "#999999"
_YELLOW, _BLACK = "#F0E442", "#000000"

FUNNEL_STYLE: dict[FunnelSignificance, Style] = {
    FunnelSignificance.HIGH_998: Style(_VERMILLION, "^", "Above the 99.8% limit"),
    FunnelSignificance.HIGH_95: Style(_ORANGE, "^", "Above the 95% limit"),
    FunnelSignificance.NOT_SIGNIFICANT: Style(_GREY, "o", "Within the 95% limits"),
    FunnelSignificance.LOW_95: Style(_SKY, "v", "Below the 95% limit"),
    FunnelSignificance.LOW_998: Style(_BLUE, "v", "Below the 99.8% limit"),
    FunnelSignificance.NOT_APPLICABLE: Style("#FFFFFF", "o", "Not applicable"),
}

SIGNIFICANCE_STYLE: dict[Significance, Style] = {
    Significance.BEST: Style("#00446E", "P", "Best (beyond 99.8%)"),
    Significance.BETTER: Style(_BLUE, "o", "Better"),
    Significance.SIMILAR: Style(_YELLOW, "s", "Similar"),
    Significance.WORSE: Style(_VERMILLION, "D", "Worse"),
    Significance.WORST: Style("#8A3C00", "X", "Worst (beyond 99.8%)"),
    Significance.HIGHEST: Style("#00446E", "^", "Highest (beyond 99.8%)"),
    Significance.HIGHER: Style(_BLUE, "^", "Higher"),
    Significance.LOWER: Style(_SKY, "v", "Lower"),
    Significance.LOWEST: Style("#2A7FA8", "v", "Lowest (beyond 99.8%)"),
    Significance.NOT_COMPARED: Style("#FFFFFF", "o", "Not compared"),
}


def _numbers(value: Any, name: str) -> npt.NDArray[np.float64]:
    """At least one number (NaN = missing) as a float array; anything else a ScoringError."""
    return np.atleast_1d(as_float_array(value, name, error=ScoringError, finite=False))


def _text_list(value: Any, name: str) -> list[str]:
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise ScoringError(f"{name} must be a list of text, got {value!r:.80}")
    if not all(isinstance(v, str) for v in value):
        raise ScoringError(f"{name} must hold text only, got {list(value)!r:.80}")
    return list(value)


def _labels(names: Any, highlight: Any, max_labels: Any) -> tuple[list[str] | None, set[str]]:
    """The funnel's names, the highlighted names and the label budget, checked."""
    if isinstance(max_labels, bool) or not isinstance(max_labels, int) or max_labels < 0:
        raise ScoringError(f"max_labels must be a whole number >= 0, got {max_labels!r}")
    listed = None if names is None else _text_list(names, "names")
    if highlight is None:
        return listed, set()
    chosen = {highlight} if isinstance(highlight, str) else set(_text_list(highlight, "highlight"))
    return listed, chosen


def _number_text(value: float) -> str:
    """A number as a reader expects it: 89.1, 12,345, 0.0523."""
    if 1000 <= abs(value) < 1e9:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def _thousands(ax: Any, axis: str, *, log: bool = False) -> None:
    """Readable numbers on an axis: 1,000 not 10^3, thousands separated, few ticks."""
    from matplotlib.ticker import FuncFormatter, LogLocator, MaxNLocator, NullFormatter

    target = ax.xaxis if axis == "x" else ax.yaxis
    if log:
        target.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
        target.set_minor_formatter(NullFormatter())
    else:
        target.set_major_locator(MaxNLocator(nbins=5 if axis == "x" else 6))
    target.set_major_formatter(
        FuncFormatter(lambda v, _: f"{v:,.0f}" if 1000 <= abs(v) < 1e9 else f"{v:g}")
    )


def _scale_x(ax: Any, lo: float, hi: float) -> None:
    """A log axis when the denominators span more than 50-fold (small areas stay visible)."""
    log = hi / max(lo, 1e-9) > 50
    if log:
        ax.set_xscale("log")
    _thousands(ax, "x", log=log)


def plot_funnel(
    numerator: npt.ArrayLike,
    denominator: npt.ArrayLike | None,
    *,
    statistic: Statistic,
    x_label: str,
    y_label: str,
    per: float = 1,
    rate: npt.ArrayLike | None = None,
    rate_type: Literal["crude", "dsr"] = "crude",
    years_of_data: float = 1,
    target: float | None = None,
    benchmark_label: str | None = None,
    names: Sequence[str] | None = None,
    highlight: str | Sequence[str] | None = None,
    max_labels: int = 6,
    title: str | None = None,
    ax: Any = None,
    path: str | Path | None = None,
) -> Any:
    """A PHE funnel plot: each area against its size, with 95% and 99.8% control limits.

    Points are placed at (denominator, value): the population and the percentage for a
    proportion, the expected count and ``O/E * per`` for a ratio, the population per year and
    the rate for a rate (for a DSR the population implied by ``per * events / rate``). Their
    colour and shape give :func:`~outcomes.benchmark.funnel_significance` (the legend explains
    them); the limits come from :func:`~outcomes.benchmark.funnel_limits` around the
    benchmark line (the target, or PHE's pooled value). Areas beyond the 99.8% limits and
    the ``highlight`` areas are named when ``names`` are given (at most ``max_labels``).

    Parameters
    ----------
    numerator, denominator, statistic, per, rate, rate_type, target
        As :func:`~outcomes.benchmark.funnel_significance`.
    x_label, y_label : str
        Axis labels in the reader's words, e.g. ``"Population aged 65+"`` and
        ``"Admissions per 100,000 population"``.
    years_of_data : float, default 1
        Years pooled in each rate (the x axis shows the population per year).
    benchmark_label : str, optional
        Legend text of the benchmark line (default "England" with a target, else "Average of
        all areas").
    names : sequence of str, optional
        One name per area, for labels.
    highlight : str or sequence of str, optional
        Areas to ring and name in bold (e.g. your own).
    max_labels : int, default 6
        How many areas to name: the highlighted ones, then the furthest beyond the 99.8%
        limits (naming every outlier would bury the chart).
    title : str, optional
        Chart title.
    ax : matplotlib Axes, optional
        Draw here instead of a new figure.
    path : str or Path, optional
        Save to this PNG or SVG file.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Raises
    ------
    ScoringError
        As :func:`~outcomes.benchmark.funnel_significance`; names of the wrong length; a
        path that is not .png or .svg.
    ImportError
        Without matplotlib.

    References
    ----------
    Public Health England (2017) *Technical Guide: Funnel Plots*. Okabe M., Ito K. (2008)
    *Color Universal Design*.

    Examples
    --------
    >>> ax = plot_funnel([30, 45, 300, 410], [100, 150, 1000, 1200], statistic="proportion",
    ...                  per=100, x_label="Patients on the register",
    ...                  y_label="Patients reviewed (%)")
    >>> ax.get_xlabel()
    'Patients on the register'
    """
    kind = rate_type if rate_type in ("crude", "dsr") else "crude"
    years_of_data = _positive(years_of_data, "years_of_data")
    names, wanted = _labels(names, highlight, max_labels)
    given = {"numerator": _numbers(numerator, "numerator")}
    if denominator is not None:
        given["denominator"] = _numbers(denominator, "denominator")
    if rate is not None:
        given["rate"] = _numbers(rate, "rate")
    significance = funnel_significance(
        given["numerator"],
        given.get("denominator"),
        statistic=statistic,
        target=target,
        per=per,
        rate=given.get("rate"),
        rate_type=rate_type,
    )
    flat = np.asarray(significance).ravel()
    full = np.shape(significance)
    per = _positive(per, "per")

    def spread(values: Any) -> npt.NDArray[np.float64]:
        return np.broadcast_to(np.asarray(values, dtype=float), full).ravel().copy()

    n = spread(given["numerator"])
    with np.errstate(all="ignore"):
        if statistic == "rate" and rate is not None:
            r = spread(given["rate"])
            x = np.where(n > 0, per * n / np.where(r > 0, r, 1.0), np.nan)
            if denominator is not None and kind == "crude":
                x = np.where(n == 0, spread(given["denominator"]), x)
            y = r
        else:
            x = spread(given["denominator"])
            y = n / x * per
        if statistic == "rate":
            x = x / years_of_data
        if names is not None and len(names) != n.size:
            raise ScoringError(f"names must have one name per area ({n.size}), got {len(names)}")
        valid = np.isfinite(x) & np.isfinite(y) & (x > 0)
        if target is None and statistic != "ratio":
            weights = x * years_of_data if statistic == "rate" else x
            ok = valid & np.isfinite(n)
            reference = float(np.sum(n[ok]) / np.sum(weights[ok]) * per)
        else:
            reference = float(per if target is None else target)
    if not (valid.any() and np.isfinite(reference)):
        raise ScoringError("no area has both a value and a denominator to draw")
    lo, hi = float(np.min(x[valid])), float(np.max(x[valid]))
    grid = np.geomspace(max(lo * 0.8, 1e-9), hi * 1.15, 300)
    limits = funnel_limits(
        grid,
        reference,
        statistic=statistic,
        per=per,
        years_of_data=years_of_data,
    )
    if ax is None:
        ax = figure(7.5, 4.8, layout=None).subplots()
    fig = ax.figure
    for level, dashes, width in ((0.998, "-", 1.2), (0.95, "--", 1.0)):
        lower, upper = limits[level]
        label = f"{level:.1%} control limits".replace(".0%", "%")
        ax.plot(grid, upper, dashes, color="#404040", linewidth=width, label=label, zorder=2)
        ax.plot(grid, lower, dashes, color="#404040", linewidth=width, zorder=2)
    ax.axhline(
        reference,
        color=_BLACK,
        linewidth=1.6,
        label=f"{benchmark_label or ('England' if target is not None else 'Average of all areas')}"
        f" ({_number_text(reference)})",
        zorder=2,
    )
    for member, style in FUNNEL_STYLE.items():
        sel = valid & (flat == member.value)
        if not sel.any():
            continue
        count = int(sel.sum())
        ax.scatter(
            x[sel],
            y[sel],
            s=42,
            c=style.colour,
            marker=style.marker,
            edgecolors="#333333",
            linewidths=0.6,
            label=f"{style.label} ({count})",
            zorder=3,
        )
    if names is not None:
        # name the highlighted areas, then the furthest outliers beyond the 99.8% limits
        # (by distance in units of the 95% half-width), up to max_labels names in all
        at = funnel_limits(
            np.where(valid, x, lo),
            reference,
            statistic=statistic,
            per=per,
            years_of_data=years_of_data,
        )[0.95]
        half = np.maximum(np.asarray(at.upper) - reference, reference - np.asarray(at.lower))
        distance = np.abs(y - reference) / np.where(half > 0, half, 1.0)
        beyond = np.isin(
            flat, [FunnelSignificance.HIGH_998.value, FunnelSignificance.LOW_998.value]
        )
        chosen = [i for i, name in enumerate(names) if name in wanted and valid[i]]
        extreme = [int(i) for i in np.argsort(-np.where(valid & beyond, distance, -np.inf))]
        for i in extreme:
            if len(chosen) >= max(max_labels, len(wanted)) or not (valid[i] and beyond[i]):
                break
            if i not in chosen:
                chosen.append(i)
        # a pale box, not a path-effect halo, so that SVG names stay searchable text
        halo = {
            "boxstyle": "round,pad=0.1",
            "facecolor": "white",
            "edgecolor": "none",
            "alpha": 0.75,
        }
        _scale_x(ax, lo, hi)
        placed: list[tuple[float, float]] = []
        for i in chosen:
            # skip a name that would sit on one already written (highlighted names always go)
            px, py = ax.transData.transform((x[i], y[i]))
            if names[i] not in wanted and any(
                abs(px - qx) < 70 and abs(py - qy) < 14 for qx, qy in placed
            ):
                continue
            placed.append((px, py))
            ax.annotate(
                names[i],
                (x[i], y[i]),
                xytext=(6, 5),
                textcoords="offset points",
                fontsize=7.5,
                color="#111111",
                fontweight="bold" if names[i] in wanted else "normal",
                bbox=halo,
                zorder=5,
            )
            if names[i] in wanted:
                ax.scatter(
                    [x[i]],
                    [y[i]],
                    s=170,
                    facecolors="none",
                    edgecolors=_BLACK,
                    linewidths=1.5,
                    zorder=4,
                )
    _scale_x(ax, lo, hi)
    _thousands(ax, "y")
    ax.set_xlabel(x_label)
    ax.set_ylabel(y_label)
    if title:
        ax.set_title(title, fontsize=11, loc="left")
    ax.grid(alpha=0.25, linewidth=0.6)
    ax.legend(fontsize=7.5, loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    tidy_layout(fig)
    if path is not None:
        save_figure(fig, path)
    return ax


def plot_trend(
    periods: Sequence[str],
    value: npt.ArrayLike,
    lower: npt.ArrayLike | None = None,
    upper: npt.ArrayLike | None = None,
    *,
    polarity: object,
    y_label: str,
    benchmark: npt.ArrayLike | None = None,
    significance: npt.ArrayLike | None = None,
    benchmark_label: str = "England",
    x_label: str = "",
    trend: str | None = None,
    area: str | None = None,
    title: str | None = None,
    ax: Any = None,
    path: str | Path | None = None,
) -> Any:
    """An area's values over time, each point coloured and shaped by its significance against
    the benchmark, with its confidence interval and the benchmark's line.

    The significance is ``significance`` if given (e.g. from :func:`~outcomes.benchmark.compare`
    with any method), else :func:`~outcomes.benchmark.compare` by ``"single_overlap"`` of
    ``lower``/``upper`` against ``benchmark``, judged by ``polarity``.

    Parameters
    ----------
    periods : sequence of str
        Period labels, oldest first (e.g. ``["2014/15", "2015/16"]``).
    value, lower, upper : array_like
        The area's values and 95% interval, one per period (NaN where missing).
    polarity : {"higher", "lower", "none"}
        Which direction is good (stated under the axis label).
    y_label : str
        The measure in the reader's words, e.g. ``"Emergency admissions per 100,000"``.
    benchmark : array_like, optional
        The benchmark per period (or one value), drawn as a line.
    significance : array_like of str, optional
        :class:`~outcomes.benchmark.Significance` per period.
    benchmark_label : str, default "England"
        Legend text of the benchmark.
    x_label : str, optional
        Axis label under the periods.
    trend : str, optional
        Recent-trend wording to show under the title (e.g. ``TrendResult.label``).
    area : str, optional
        The area's name for the legend.
    title : str, optional
        Chart title.
    ax : matplotlib Axes, optional
        Draw here instead of a new figure.
    path : str or Path, optional
        Save to this PNG or SVG file.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Raises
    ------
    ScoringError
        Lengths that do not match the periods, no way to judge significance, a path that
        is not .png or .svg.

    Examples
    --------
    >>> ax = plot_trend(["2014", "2015", "2016"], [30.1, 28.4, 25.0], [28.0, 26.5, 23.1],
    ...                 [32.2, 30.3, 26.9], benchmark=[29.0, 28.8, 28.5], polarity="lower",
    ...                 y_label="Smoking prevalence (%)")
    >>> [t.get_text() for t in ax.get_legend().get_texts()][:2]
    ['Value (95% CI)', 'England']
    """
    pol = Polarity.parse(polarity)
    if isinstance(periods, str) or not isinstance(periods, Sequence):
        raise ScoringError(f"periods must be a list of period labels, got {periods!r:.80}")
    labels = [str(p) for p in periods]
    k = len(labels)
    v = _numbers(value, "value").ravel()
    if v.size != k:
        raise ScoringError(f"value has {v.size} entries but there are {k} periods")

    def per_period(given: Any, name: str, text: bool = False) -> Any:
        if given is None:
            return None
        if not text:
            array = _numbers(given, name)
        else:
            try:
                array = np.asarray(given, dtype=str)
            except ValueError:  # ragged lists of text
                raise ScoringError(
                    f"{name} must be one value per period, got {given!r:.80}"
                ) from None
        if array.ndim > 1 or array.size not in (1, k):
            raise ScoringError(
                f"{name} has shape {array.shape}: give one value or one per period ({k})"
            )
        return np.broadcast_to(array.ravel(), (k,))

    lo, hi = per_period(lower, "lower"), per_period(upper, "upper")
    bench = per_period(benchmark, "benchmark")
    if significance is not None:
        sig = per_period(significance, "significance", text=True)
    elif bench is not None and lo is not None and hi is not None:
        sig = np.asarray(compare(v, bench, polarity=pol, lower=lo, upper=hi))
    else:
        sig = np.full(k, Significance.NOT_COMPARED.value)
    unknown = set(sig.tolist()) - {s.value for s in Significance}
    if unknown:
        raise ScoringError(f"significance must be Significance values, got {sorted(unknown)!r}")
    x = np.arange(k)
    if ax is None:
        ax = figure(7.5, 4.2, layout=None).subplots()
    fig = ax.figure
    ok = np.isfinite(v)
    ax.plot(x[ok], v[ok], "-", color="#555555", linewidth=1.2, zorder=2)
    if lo is not None and hi is not None:
        both = ok & np.isfinite(lo) & np.isfinite(hi)
        ax.errorbar(
            x[both],
            v[both],
            yerr=[v[both] - lo[both], hi[both] - v[both]],
            fmt="none",
            ecolor="#555555",
            elinewidth=1.0,
            capsize=3,
            zorder=2,
        )
    ax.plot([], [], "-", color="#555555", label=f"{area or 'Value'} (95% CI)")
    if bench is not None:
        ax.plot(x, bench, "--", color=_BLACK, linewidth=1.4, label=benchmark_label, zorder=1)
    for member, style in SIGNIFICANCE_STYLE.items():
        sel = ok & (sig == member.value)
        if sel.any():
            ax.scatter(
                x[sel],
                v[sel],
                s=70,
                c=style.colour,
                marker=style.marker,
                edgecolors="#222222",
                linewidths=0.8,
                label=f"{style.label} than {benchmark_label}"
                if member
                in (
                    Significance.BETTER,
                    Significance.WORSE,
                    Significance.HIGHER,
                    Significance.LOWER,
                )
                else (
                    f"Similar to {benchmark_label}"
                    if member is Significance.SIMILAR
                    else style.label
                ),
                zorder=3,
            )
    direction = {
        Polarity.HIGHER_IS_BETTER: "higher is better",
        Polarity.LOWER_IS_BETTER: "lower is better",
        Polarity.NO_JUDGEMENT: "no judgement of direction",
    }[pol]
    crowded = k * max(len(t) for t in labels) > 60
    ax.set_xticks(x, labels, rotation=30 if crowded else 0, ha="right" if crowded else "center")
    ax.set_xlabel(x_label)
    ax.set_ylabel(f"{y_label}\n({direction})")
    _thousands(ax, "y")
    heading = title or ""
    if trend:
        heading = f"{heading}\nRecent trend: {trend}" if heading else f"Recent trend: {trend}"
    if heading:
        ax.set_title(heading, fontsize=10, loc="left")
    ax.grid(axis="y", alpha=0.25, linewidth=0.6)
    ax.legend(fontsize=7.5, loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    tidy_layout(fig)
    if path is not None:
        save_figure(fig, path)
    return ax


def plot_area_profile(
    profile: AreaProfile,
    path: str | Path | None = None,
    *,
    inputs: Iterable[str | Path] = (),
    force: bool = True,
) -> Any:
    """An area profile's areas on a funnel plot around England, with 95% and 99.8% control
    limits, named and labelled from the profile (what ``outcomes benchmark --chart`` draws).

    Parameters
    ----------
    profile : AreaProfile
        From :func:`outcomes.workflow.area_profile`.
    path : str or Path, optional
        Where to save (``.png``, ``.svg``, ``.pdf``); without it the axes are returned.
    inputs, force
        As for :func:`~outcomes.plot.save_figure`.

    Returns
    -------
    matplotlib Axes
        The funnel plot's axes (saved first when ``path`` is given).

    Examples
    --------
    >>> from outcomes.workflow import area_profile
    >>> profile = area_profile("tests/data/fingertips_93356_campylobacter_utla_2015_2017.csv",
    ...                        period="2017", area_type="County & UA", age="All ages",
    ...                        polarity="lower")
    >>> ax = plot_area_profile(profile)
    >>> ax.get_ylabel()
    'Campylobacter incidence rate/100,000 (per 100,000)'
    """
    ok = np.isfinite(profile.count) & np.isfinite(profile.denominator) & (profile.denominator > 0)
    shown = f"per {profile.per:,.0f}" if profile.statistic == "rate" else "%"
    name = (profile.indicator_name or str(profile.indicator)).strip()
    ax = plot_funnel(
        profile.count[ok],
        profile.denominator[ok],
        statistic=profile.statistic,
        per=profile.per,
        target=profile.england,
        benchmark_label="England",
        x_label=f"Population ({profile.area_type}, {profile.period})",
        y_label=f"{name} ({shown})",
        names=[n for n, o in zip(profile.names, ok, strict=True) if o],
        title=f"{name} ({profile.indicator}), {profile.period}: compared with England",
    )
    if path is not None:
        save_figure(ax.figure, path, inputs=inputs, force=force)
    return ax
