"""Text formatting shared across the package: error messages that list problems with their
location, and plain-text tables for ``str()`` of results.

Kept here (a private foundation module) so that models and maths can print themselves without
importing :mod:`outcomes.io`, which sits above them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = ["format_table", "key_path", "problem_report", "shorten"]


def format_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A plain-text table: number columns right-aligned, text columns left-aligned.

    >>> print(format_table(["x", "value"], [["a", "1.5"], ["bb", "10"]]))
    x   value
    a     1.5
    bb     10
    """
    widths = [len(h) for h in header]
    for row in rows:
        widths = [max(w, len(c)) for w, c in zip(widths, row, strict=True)]
    numeric = [
        i > 0 and all(_looks_numeric(r[i]) for r in rows if r[i].strip())
        for i in range(len(header))
    ]
    lines = []
    for row in [list(header), *[list(r) for r in rows]]:
        cells = [
            c.rjust(w) if right else c.ljust(w)
            for c, w, right in zip(row, widths, numeric, strict=True)
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def _looks_numeric(text: str) -> bool:
    """A cell that reads as a number (numbers are right-aligned, text left-aligned)."""
    cleaned = text.strip().replace(",", "").replace("£", "").rstrip("%").split(" (")[0]
    try:
        float(cleaned.lstrip("+"))
    except ValueError:
        return cleaned in ("missing", "-")
    return True


def shorten(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters with an ellipsis where it was cut.

    >>> shorten("percentage_change(rate=-0.032, compound=True)", 20)
    'percentage_change(r…'
    """
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def problem_report(source: str, problems: Sequence[str]) -> str:
    """The message of an error that lists every problem of an input at once.

    >>> print(problem_report("plan.toml", ["measures.pyll.rule.rate: must be > -1"]))
    1 problem(s) in plan.toml:
      measures.pyll.rule.rate: must be > -1
    """
    return f"{len(problems)} problem(s) in {source}:\n  " + "\n  ".join(problems)


def key_path(loc: Sequence[Any], raw: Any, *, skip_tags: Sequence[str] = ()) -> str:
    """A pydantic error location as the key path a user sees in their file.

    Integer positions in lists are labelled with the item's ``code``/``id``/``number`` where
    it has one; discriminator tags (``skip_tags``, e.g. a rule's name) are not keys of the file
    and are left out.

    >>> raw = {"indicators": [{"code": "1a"}, {"code": "2.3.i"}]}
    >>> key_path(["indicators", 1, "unit"], raw)
    'indicators[1](2.3.i).unit'
    """
    parts: list[str] = []
    node = raw
    for item in loc:
        if isinstance(item, int):
            label = None
            if isinstance(node, list) and 0 <= item < len(node) and isinstance(node[item], dict):
                entry = node[item]
                label = entry.get("code") or entry.get("id") or entry.get("number")
            parts.append(f"[{item}]" + (f"({label})" if label is not None else ""))
            node = node[item] if isinstance(node, list) and 0 <= item < len(node) else None
            continue
        if isinstance(node, dict) and item not in node and str(item) in skip_tags:
            continue  # a discriminator tag
        parts.append(f".{item}" if parts else str(item))
        node = node.get(item) if isinstance(node, dict) else None
    return "".join(parts) or "(file)"
