"""Make examples/tutorial.ipynb from docs/tutorial.md (run by hand or by `make docs`).

The page is the source: its ```python blocks become code cells and the text between them
markdown cells, in nbformat 4 (version 4.5: every cell has an id), with no outputs. A set-up
cell before the first code moves a notebook opened in examples/ to the repository root, where
the page's paths start. Only the standard library is used, so the notebook can be checked without nbformat:

    python docs/make_notebook.py           # write examples/tutorial.ipynb
    python docs/make_notebook.py --check   # exit 1 if the shipped notebook differs
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "tutorial.md"
NOTEBOOK = ROOT / "examples" / "tutorial.ipynb"

SETUP = """\
# Generated from docs/tutorial.md by docs/make_notebook.py: edit the page, not the notebook.
# The paths below start at the repository root: move there when opened from examples/.
import os

if os.path.basename(os.getcwd()) == "examples":
    os.chdir("..")"""

_FENCE = re.compile(r"^```python\n(.*?)^```[ \t]*$\n?", re.DOTALL | re.MULTILINE)


def _lines(text: str) -> list[str]:
    """Cell source as nbformat stores it: lines with their newlines, the last without."""
    return text.splitlines(keepends=True)


def _cell(kind: str, text: str, number: int) -> dict[str, Any]:
    digest = hashlib.sha1(f"{number}:{kind}:{text}".encode()).hexdigest()[:8]
    cell: dict[str, Any] = {
        "cell_type": kind,
        "id": f"cell-{number:02d}-{digest}",
        "metadata": {},
        "source": _lines(text),
    }
    if kind == "code":
        cell["execution_count"] = None
        cell["outputs"] = []
    return cell


def cells(markdown: str) -> list[tuple[str, str]]:
    """The page as (kind, text) pairs in order: markdown between the code blocks, and the
    set-up cell after the page's introduction (before its first code block)."""
    out: list[tuple[str, str]] = []
    position = 0
    for match in _FENCE.finditer(markdown):
        text = markdown[position : match.start()].strip("\n")
        if text.strip():
            out.append(("markdown", text))
        out.append(("code", match.group(1).rstrip("\n")))
        position = match.end()
    rest = markdown[position:].strip("\n")
    if rest.strip():
        out.append(("markdown", rest))
    first_code = next((i for i, (kind, _) in enumerate(out) if kind == "code"), len(out))
    out.insert(first_code, ("code", SETUP))
    return out


def notebook(markdown: str) -> dict[str, Any]:
    """The nbformat-4 notebook of a page (a dict ready for json)."""
    return {
        "cells": [_cell(kind, text, i) for i, (kind, text) in enumerate(cells(markdown), 1)],
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def render(markdown: str) -> str:
    """The notebook file's text: stable JSON (one indent, keys sorted, newline at the end)."""
    return json.dumps(notebook(markdown), indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    text = render(PAGE.read_text(encoding="utf-8"))
    if "--check" in argv:
        current = NOTEBOOK.read_text(encoding="utf-8") if NOTEBOOK.exists() else ""
        if current != text:
            print(f"{NOTEBOOK} is out of date: run python docs/make_notebook.py")
            return 1
        return 0
    partial = NOTEBOOK.with_suffix(".ipynb.partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(NOTEBOOK)  # whole or not at all
    print(f"wrote {NOTEBOOK.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
