"""Charts (extra ``plot``): trajectory against actuals, and a grid of an organisation's measures.

Imported only when asked for; the library never imports it. Uses matplotlib's Agg backend, so
it works without a screen. PNG or SVG by the file's suffix.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from outcomes._files import write_atomic
from outcomes.errors import OutputError
from outcomes.polarity import Polarity
from outcomes.trajectory import Trajectory

__all__ = ["CHART_FORMATS", "chart_format", "plot_plan", "plot_trajectory"]

RAG_COLOURS = {"GREEN": "#1b7837", "AMBER": "#e08214", "RED": "#b2182b", "GREY": "#8c8c8c"}


def _pyplot() -> Any:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError("charts need matplotlib: pip install 'outcomes[plot]'") from None
    return plt


def plot_trajectory(
    trajectory: Trajectory,
    *,
    score: Any = None,
    national: float | None = None,
    bounds: Any = None,
    ax: Any = None,
    title: str | None = None,
) -> Any:
    """Baseline, target path, actual points coloured by RAG, national value and quartile
    boundaries as reference lines; the polarity is stated on the axis. Returns the axes."""
    plt = _pyplot()
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 3.6))
    labels = [str(trajectory.start), *(str(p) for p in trajectory.periods)]
    x = np.arange(len(labels))
    values = trajectory.values.reshape(-1, len(trajectory.periods))[0]
    base = float(trajectory.baseline.reshape(-1)[0])
    ax.plot(x, [base, *values], "-o", color="#2166ac", label="target", zorder=2)
    ax.plot([0], [base], "s", color="black", label="baseline", zorder=3)
    if score is not None:
        actual = np.asarray(score.actual).reshape(-1, len(trajectory.periods))[0]
        rag = np.asarray(score.rag, dtype=object).reshape(-1, len(trajectory.periods))[0]
        for i, (a, r) in enumerate(zip(actual, rag, strict=True)):
            if np.isfinite(a):
                ax.scatter(
                    [i + 1],
                    [a],
                    s=60,
                    color=RAG_COLOURS.get(str(r), "grey"),
                    edgecolor="black",
                    zorder=4,
                )
        ax.scatter([], [], color=RAG_COLOURS["GREEN"], edgecolor="black", label="actual (RAG)")
    if national is not None:
        ax.axhline(national, color="#762a83", linestyle="--", linewidth=1, label="national")
    bound_values = bounds if bounds is not None else trajectory.rule.parameters.get("bounds")
    if bound_values is not None and np.ndim(bound_values) == 1:
        for b in list(bound_values)[1:-1]:
            ax.axhline(float(b), color="#999999", linestyle=":", linewidth=1)
        ax.plot([], [], ":", color="#999999", label="quantile bounds")
    ax.set_xticks(x, labels, rotation=30, fontsize=8)
    pol = trajectory.polarity
    direction = (
        {
            Polarity.LOWER_IS_BETTER: "lower is better",
            Polarity.HIGHER_IS_BETTER: "higher is better",
        }.get(pol, "no judgement")
        if (pol is not None)
        else "polarity not stated"
    )
    ax.set_ylabel(f"{trajectory.unit or ''} ({direction})", fontsize=8)
    ax.set_title(title or trajectory.measure or trajectory.rule.name, fontsize=9)
    ax.legend(fontsize=7, loc="best")
    ax.grid(alpha=0.3)
    return ax


#: Chart formats by file suffix (any case).
CHART_FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf"}


def chart_format(path: str | Path) -> str:
    """The chart format a file name asks for (``.png``, ``.svg``, ``.pdf``, any case).

    >>> chart_format("ambitions.PNG")
    'png'
    >>> chart_format("ambitions.toml")
    Traceback (most recent call last):
    ...
    outcomes.errors.OutputError: ambitions.toml: a chart is written as .png, .svg or .pdf, got '.toml'
    """
    suffix = Path(path).suffix.lower()
    if suffix not in CHART_FORMATS:
        raise OutputError(
            f"{path}: a chart is written as .png, .svg or .pdf, got {suffix or '(no suffix)'!r}"
        )
    return CHART_FORMATS[suffix]


def plot_plan(
    trajectories: Mapping[str, Trajectory],
    path: str | Path,
    *,
    scores: Mapping[str, Any] | None = None,
    title: str | None = None,
    inputs: Iterable[str | Path] = (),
    force: bool = True,
) -> Path:
    """A grid of trajectories (e.g. the seven ambitions of one organisation), saved to ``path``
    (PNG, SVG or PDF by suffix) through a temporary file, never over one of ``inputs`` (nor
    over an existing file unless ``force``). Returns the path."""
    fmt = chart_format(path)
    plt = _pyplot()
    n = len(trajectories)
    cols = 2 if n > 1 else 1
    rows = (n + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(6.5 * cols, 3.8 * rows), squeeze=False)
    for ax, (key, t) in zip(axes.ravel(), trajectories.items(), strict=False):
        plot_trajectory(t, score=(scores or {}).get(key), ax=ax, title=(t.measure or key)[:70])
    for ax in axes.ravel()[n:]:
        ax.axis("off")
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format=fmt, dpi=110)
    plt.close(fig)
    return write_atomic(path, buffer.getvalue(), inputs=inputs, force=force)
