"""What every chart shares: matplotlib loaded on first use (the ``plot`` extra), figures made
without pyplot's global state (so a batch of thousands of charts does not pile up in memory), and
saving by suffix through a temporary file, with SVG text kept as text."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

from outcomes._files import output_path, write_atomic
from outcomes._optional import require
from outcomes.errors import OutputError

__all__ = [
    "CHART_FORMATS",
    "chart_format",
    "figure",
    "figure_svg",
    "mpl",
    "save_figure",
    "tidy_layout",
]


def mpl() -> Any:
    """matplotlib, or an ImportError naming the extra to install."""
    return require("matplotlib", "charts")


def figure(
    width: float, height: float, *, layout: Literal["constrained", "tight"] | None = "constrained"
) -> Any:
    """A new matplotlib ``Figure`` (not registered with pyplot) of ``width`` x ``height`` inches."""
    mpl()
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout=layout, dpi=100)


def tidy_layout(fig: Any) -> None:
    """Tight layout; with extreme data matplotlib may decline, which is not the reader's problem."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        fig.tight_layout()


#: Control characters but the line break: no font draws them (tab and carriage return
#: included), and XML (so an SVG file) does not allow most of them.
_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def _printable(fig: Any) -> None:
    """Replace control characters in the figure's text (a measure name from a file, say) by
    U+FFFD, so a saved SVG stays well-formed XML and no font is asked for them."""
    from matplotlib.text import Text

    for text in fig.findobj(Text):
        content = text.get_text()
        if _CONTROL.search(content):
            text.set_text(_CONTROL.sub("\ufffd", content))


def figure_svg(fig: Any) -> str:
    """The figure as SVG text, with its text kept as ``<text>`` (``svg.fonttype = "none"``) so it
    can be searched, copied and read aloud; no date stamp, stable ids.

    >>> from outcomes import hold
    >>> from outcomes.plot import plot_trajectory
    >>> svg = figure_svg(plot_trajectory(hold(5.0, start="2013/14", end="2015/16",
    ...                                       unit="percent", polarity="higher")))
    >>> "<text" in svg and "(higher is better)" in svg
    True
    """
    mpl_ = mpl()
    _printable(fig)
    buffer = io.StringIO()
    with mpl_.rc_context({"svg.fonttype": "none", "svg.hashsalt": "outcomes"}):
        fig.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight")
    return buffer.getvalue()


#: Highest resolution a chart is saved at (a poster at 1200 dpi is already very large).
_MAX_DPI = 1200

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
    suffix = output_path(path).suffix.lower()
    if suffix not in CHART_FORMATS:
        raise OutputError(
            f"{path}: a chart is written as .png, .svg or .pdf, got {suffix or '(no suffix)'!r}"
        )
    return CHART_FORMATS[suffix]


def save_figure(
    fig: Any,
    path: str | Path,
    *,
    dpi: int = 150,
    inputs: Iterable[str | Path] = (),
    force: bool = True,
) -> Path:
    """Save a figure by the path's suffix (PNG, SVG with real text, or PDF) through a temporary
    file, so a half-written chart never replaces a good one; never over one of ``inputs``, nor
    over an existing file unless ``force``. Returns the path.

    >>> import tempfile, pathlib
    >>> from outcomes import hold
    >>> from outcomes.plot import plot_trajectory
    >>> fig = plot_trajectory(hold(5.0, start="2013/14", end="2015/16"))
    >>> save_figure(fig, pathlib.Path(tempfile.mkdtemp()) / "chart.svg").suffix
    '.svg'
    """
    out = output_path(path)
    suffix = chart_format(out)
    if not hasattr(fig, "savefig"):
        raise OutputError(f"fig must be a matplotlib Figure, got {type(fig).__name__}")
    if isinstance(dpi, bool) or not isinstance(dpi, int) or not 1 <= dpi <= _MAX_DPI:
        raise OutputError(f"dpi must be a whole number from 1 to {_MAX_DPI}, got {dpi!r:.40}")
    if suffix == "svg":
        return write_atomic(out, figure_svg(fig), inputs=inputs, force=force)
    mpl_ = mpl()
    _printable(fig)
    buffer = io.BytesIO()
    with mpl_.rc_context({"pdf.fonttype": 42}):
        fig.savefig(
            buffer,
            format=suffix,
            dpi=dpi,
            metadata={"CreationDate": None} if suffix == "pdf" else None,
            bbox_inches="tight",
        )
    return write_atomic(out, buffer.getvalue(), inputs=inputs, force=force)
