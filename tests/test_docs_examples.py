"""The Python examples in README.md and the hand-written docs pages run as written."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
GENERATED = {"cli.md", "plan-files.md"}
PAGES = [
    ROOT / "README.md",
    *sorted(
        p
        for p in (ROOT / "docs").rglob("*.md")
        if p.name not in GENERATED
        and "frameworks" not in p.parts
        and not (p.parent.name == "rules" and p.name != "index.md")
        and "```python" in p.read_text()
    ),
]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_python_blocks_run(page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # run in a scratch folder that sees the examples and test data, so files written land there
    for name in ("examples", "tests"):
        os.symlink(ROOT / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    blocks = re.findall(r"```python\n(.*?)```", page.read_text(), flags=re.DOTALL)
    for block in blocks:
        namespace: dict[str, object] = {}
        exec(compile(block, str(page), "exec"), namespace)
        for name, value in namespace.items():
            if name.startswith("test_") and callable(value):
                value()  # a property test shown in the docs runs as well


def test_the_pages_are_found() -> None:
    names = {p.name for p in PAGES}
    assert {"README.md", "index.md", "notebooks.md", "scale.md"} <= names
