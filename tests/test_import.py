"""A bare ``import outcomes`` must stay light: no scipy, no pint, no models built."""

from __future__ import annotations

import subprocess
import sys


def _modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys\nprint('\\n'.join(sorted(sys.modules)))"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return set(out.split())


def test_bare_import_loads_no_scipy_or_pint() -> None:
    mods = _modules_after("import outcomes")
    assert not {m for m in mods if m.split(".")[0] in {"scipy", "pint", "pandas", "matplotlib"}}
    assert "outcomes.models" not in mods


def test_trajectory_rules_do_not_need_scipy_or_pint() -> None:
    mods = _modules_after(
        "import outcomes\noutcomes.percentage_change(1.0, -0.1, start='2013/14', end='2015/16')"
    )
    assert not {m for m in mods if m.split(".")[0] in {"scipy", "pint"}}


def test_lazy_names_resolve() -> None:
    import outcomes

    for name in outcomes.__all__:
        assert getattr(outcomes, name) is not None
    assert "percentage_change" in dir(outcomes)
