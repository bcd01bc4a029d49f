"""Reading and writing: Fingertips CSV in; Excel-safe CSV, JSON, Markdown and xlsx out."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = ["format_table", "require_pandas"]


def require_pandas() -> Any:
    """Import pandas, or raise an ImportError that names the extra to install."""
    try:
        import pandas
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError("this needs pandas: pip install 'outcomes[pandas]'") from None
    return pandas


def format_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A plain-text table with right-aligned columns (first column left-aligned).

    >>> print(format_table(["x", "value"], [["a", "1.5"], ["bb", "10"]]))
    x   value
    a     1.5
    bb     10
    """
    widths = [len(h) for h in header]
    for row in rows:
        widths = [max(w, len(c)) for w, c in zip(widths, row, strict=True)]
    lines = []
    for row in [list(header), *[list(r) for r in rows]]:
        cells = [
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)
