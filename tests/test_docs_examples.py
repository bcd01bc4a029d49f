"""The Python examples in README.md and the hand-written docs pages run as written."""

from __future__ import annotations

import importlib.util
import json
import os
import re
from pathlib import Path
from types import ModuleType

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


#: Pages read as notebooks: their blocks run in order in one namespace, as cells do.
NOTEBOOK_PAGES = {"tutorial.md"}


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_python_blocks_run(page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # run in a scratch folder that sees the examples and test data, so files written land there
    for name in ("examples", "tests"):
        os.symlink(ROOT / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    blocks = re.findall(r"```python\n(.*?)```", page.read_text(), flags=re.DOTALL)
    shared: dict[str, object] = {}
    for block in blocks:
        namespace: dict[str, object] = shared if page.name in NOTEBOOK_PAGES else {}
        tests_before = {n for n in namespace if n.startswith("test_")}
        exec(compile(block, str(page), "exec"), namespace)
        for name, value in namespace.items():
            if name.startswith("test_") and name not in tests_before and callable(value):
                value()  # a property test shown in the docs runs as well


def test_the_pages_are_found() -> None:
    names = {p.name for p in PAGES}
    assert {"README.md", "index.md", "notebooks.md", "scale.md", "tutorial.md"} <= names


# --------------------------------------------------------------------------------------------
# the tutorial's notebook: generated from docs/tutorial.md, never edited by hand
# --------------------------------------------------------------------------------------------

NOTEBOOK = ROOT / "examples" / "tutorial.ipynb"


def _make_notebook() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "make_notebook", ROOT / "docs" / "make_notebook.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_shipped_notebook_is_what_the_script_generates() -> None:
    make = _make_notebook()
    page = (ROOT / "docs" / "tutorial.md").read_text(encoding="utf-8")
    assert NOTEBOOK.read_text(encoding="utf-8") == make.render(page), (
        "examples/tutorial.ipynb is out of date: run python docs/make_notebook.py"
    )
    assert make.main(["--check"]) == 0


def test_the_notebook_is_valid_nbformat_4() -> None:
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    assert set(nb) == {"cells", "metadata", "nbformat", "nbformat_minor"}
    assert nb["nbformat"] == 4 and nb["nbformat_minor"] == 5
    assert nb["metadata"]["kernelspec"] == {
        "display_name": "Python 3",
        "language": "python",
        "name": "python3",
    }
    assert nb["metadata"]["language_info"]["name"] == "python"
    ids = [cell["id"] for cell in nb["cells"]]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"[a-zA-Z0-9_-]{1,64}", i) for i in ids)
    kinds = [cell["cell_type"] for cell in nb["cells"]]
    assert set(kinds) == {"markdown", "code"} and kinds[0] == "markdown"
    for cell in nb["cells"]:
        assert isinstance(cell["metadata"], dict)
        assert isinstance(cell["source"], list) and cell["source"]
        assert all(isinstance(line, str) for line in cell["source"])
        assert all(line.endswith("\n") for line in cell["source"][:-1])
        assert not cell["source"][-1].endswith("\n")
        if cell["cell_type"] == "code":
            assert set(cell) == {"cell_type", "id", "metadata", "source", "execution_count",
                                 "outputs"}  # fmt: skip
            assert cell["execution_count"] is None and cell["outputs"] == []
        else:
            assert set(cell) == {"cell_type", "id", "metadata", "source"}
    # every python block of the page is a code cell, in order, after the set-up cell
    page = (ROOT / "docs" / "tutorial.md").read_text(encoding="utf-8")
    blocks = [b.rstrip("\n") for b in re.findall(r"```python\n(.*?)```", page, flags=re.DOTALL)]
    code = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    assert code[1:] == blocks and "os.chdir" in code[0]


def test_the_notebook_runs_when_opened_in_examples(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a checkout in miniature: Jupyter starts the kernel in the notebook's folder
    (tmp_path / "examples").mkdir()
    os.symlink(ROOT / "tests", tmp_path / "tests")
    monkeypatch.chdir(tmp_path / "examples")
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    namespace: dict[str, object] = {}
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            exec(compile("".join(cell["source"]), "tutorial.ipynb", "exec"), namespace)
    assert Path.cwd() == tmp_path
    assert (tmp_path / "campylobacter-targets.xlsx").exists()
    assert (tmp_path / "campylobacter-2017.png").exists()
