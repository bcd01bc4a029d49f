"""The layers of docs/architecture.md, enforced: a module imports only its own layer and those
below it. The one way up is a result's ``to_frame()``, which imports ``outcomes.frames`` inside
the method, because pandas is optional."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "outcomes"

#: Each top-level module or package of ``outcomes`` and its layer (0 = the bottom).
LAYERS: dict[str, int] = {
    "errors": 0,
    **dict.fromkeys(("_arrays", "_fields", "_files", "_format", "_optional", "_version"), 1),
    **dict.fromkeys(("periods", "units", "polarity"), 1),
    **dict.fromkeys(("catalogue", "frameworks"), 2),
    **dict.fromkeys(("trajectory", "stats", "models"), 3),
    **dict.fromkeys(("rules", "trajectories", "testing"), 4),
    **dict.fromkeys(
        (
            "scoring",
            "incentives",
            "assurance",
            "rollup",
            "benchmark",
            "indicators",
            "realism",
            "oversight",
        ),
        5,
    ),
    **dict.fromkeys(("io", "frames"), 6),
    **dict.fromkeys(("workflow", "plan"), 7),
    **dict.fromkeys(("plot", "report"), 8),
    **dict.fromkeys(("cli", "__main__", "__init__"), 9),
}


#: Methods that may import upward, inside their body only: ``to_frame`` (and the private
#: ``_frame`` it shares), the delegation to ``outcomes.frames``.
def _convenience(function: str) -> bool:
    return function in ("to_frame", "_frame")


def _top(path: Path) -> str:
    return path.relative_to(SRC).with_suffix("").parts[0]


def _imports(tree: ast.AST) -> list[tuple[str, int, str | None]]:
    """(imported top-level module, line, enclosing function or None) for every import."""
    found: list[tuple[str, int, str | None]] = []

    def visit(node: ast.AST, function: str | None) -> None:
        for child in ast.iter_child_nodes(node):
            inner = function
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                inner = child.name
            if isinstance(child, ast.ImportFrom) and child.module:
                parts = child.module.split(".")
                if parts[0] == "outcomes":
                    names = [parts[1]] if len(parts) > 1 else [a.name for a in child.names]
                    found.extend((n, child.lineno, inner) for n in names)
            elif isinstance(child, ast.Import):
                for alias in child.names:
                    parts = alias.name.split(".")
                    if parts[0] == "outcomes" and len(parts) > 1:
                        found.append((parts[1], child.lineno, inner))
            visit(child, inner)

    visit(tree, None)
    return found


FILES = sorted(SRC.rglob("*.py"))


def test_every_module_has_a_layer() -> None:
    unknown = sorted({_top(f) for f in FILES} - set(LAYERS))
    assert not unknown, f"add these to LAYERS and to docs/architecture.md: {unknown}"


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(SRC)))
def test_no_import_goes_up_a_layer(path: Path) -> None:
    here = _top(path)
    upward = []
    for name, line, function in _imports(ast.parse(path.read_text(encoding="utf-8"))):
        if name not in LAYERS or name == here or LAYERS[name] <= LAYERS[here]:
            continue
        if function is not None and _convenience(function):
            continue
        upward.append(
            f"line {line}: {here} (layer {LAYERS[here]}) imports {name} (layer {LAYERS[name]})"
        )
    assert not upward, "\n".join(upward)


def test_nothing_imports_the_cli() -> None:
    users = [
        str(f.relative_to(SRC))
        for f in FILES
        if _top(f) not in ("cli", "__main__")
        and any(name == "cli" for name, _, _ in _imports(ast.parse(f.read_text(encoding="utf-8"))))
    ]
    assert not users
