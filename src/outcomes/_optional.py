"""Optional dependencies (the extras): import them when first needed, with an ImportError that
says which extra to install."""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["require", "require_pandas"]

_EXTRAS = {
    "pandas": "pandas",
    "matplotlib": "plot",
    "openpyxl": "excel",
    "jinja2": "report",
    "hypothesis": "testing",
    "dask": "scale",
}


def require(module: str, purpose: str = "this") -> Any:
    """Import an optional module, or raise ImportError naming the extra that provides it."""
    try:
        return importlib.import_module(module)
    except ImportError:  # pragma: no cover - depends on the environment
        top = module.split(".")[0]
        extra = _EXTRAS.get(top, top)
        raise ImportError(f"{purpose} needs {top}: pip install 'outcomes[{extra}]'") from None


def require_pandas() -> Any:
    """Import pandas, or raise an ImportError that names the extra to install."""
    return require("pandas", "this")
