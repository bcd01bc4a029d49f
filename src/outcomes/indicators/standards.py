"""Standard populations: ESP 2013 and ESP 1976 weights with their source (catalogue data)."""

from __future__ import annotations

import functools
import tomllib
from importlib import resources
from typing import Any

import numpy as np

from outcomes._arrays import FloatArray, as_float_array
from outcomes.errors import ScoringError, close_matches
from outcomes.indicators._common import (
    StandardPopulation,
)

# --------------------------------------------------------------------------------------------
# Standard populations
# --------------------------------------------------------------------------------------------


@functools.cache
def _catalogue() -> dict[str, Any]:
    text = resources.files("outcomes").joinpath("data/standard_populations.toml").read_bytes()
    return tomllib.loads(text.decode("utf-8"))


@functools.cache
def _standard(name: str, bands: int) -> StandardPopulation:
    catalogue = _catalogue()
    key = name.lower().replace(" ", "").replace("_", "")
    if key not in catalogue:
        matches = close_matches(name, catalogue)
        hint = f"; did you mean {', '.join(repr(m) for m in matches)}?" if matches else ""
        raise ScoringError(
            f"standard must be one of {', '.join(sorted(catalogue))} or an array of weights, "
            f"got {name!r}{hint}"
        )
    entry = catalogue[key]
    layouts = entry["bands"]
    if str(bands) not in layouts:
        raise ScoringError(
            f"standard {key!r} comes with {', '.join(sorted(layouts, key=int))} age bands, "
            f"got bands={bands!r}"
        )
    layout = layouts[str(bands)]
    weights = np.asarray(layout["weights"], dtype=np.float64)
    weights.setflags(write=False)
    return StandardPopulation(
        name=key,
        title=entry["title"],
        labels=tuple(layout["labels"]),
        start_ages=tuple(layout["start_ages"]),
        weights=weights,
        source=entry["source"],
        status=f"{layout['status']}; {entry['status']}",
    )


def standard_population(name: str = "esp2013", bands: int = 19) -> StandardPopulation:
    """Standard population weights per age band, with their source (catalogue data).

    ``"esp2013"``: the European Standard Population 2013 (Eurostat 2013), as published with
    21 bands (0, 1-4, 5-9, ..., 90-94, 95+), or derived by adding adjacent published bands:
    20 (PHE's life-table bands, 90+), 19 (0-4, 5-9, ..., 85-89, 90+: the layout PHE and ONS
    use) and 18 (..., 80-84, 85+). ``"esp1976"``: the 1976 European standard population for
    historical series, published with 19 bands (0, 1-4, 5-9, ..., 85+), or 18 (0-4, ..., 85+).
    Each layout sums to 100,000. The data file is ``outcomes/data/standard_populations.toml``.

    Parameters
    ----------
    name : str
        ``"esp2013"`` (default) or ``"esp1976"``.
    bands : int
        Number of age bands of the layout (see above); default 19.

    Returns
    -------
    StandardPopulation
        ``weights`` (array), ``labels``, ``start_ages``, ``source`` and ``status``;
        ``numpy.asarray`` gives the weights.

    Raises
    ------
    ScoringError
        Unknown standard (with close matches) or a number of bands it does not come in.

    References
    ----------
    Eurostat (2013) Revision of the European Standard Population: report of Eurostat's task
    force. Luxembourg: Publications Office of the European Union. doi:10.2785/11470.
    Waterhouse J. et al. (eds) (1976) Cancer Incidence in Five Continents vol. III, IARC.

    Examples
    --------
    >>> esp = standard_population()
    >>> esp.labels[-1], float(esp.weights[-1]), float(esp.weights.sum())
    ('90+', 1000.0, 100000.0)
    >>> float(standard_population("esp2013", bands=18).weights[-1])
    2500.0
    """
    if not isinstance(name, str):
        raise ScoringError(f"standard must be a name such as 'esp2013', got {name!r}")
    if isinstance(bands, bool) or not isinstance(bands, int | np.integer):
        raise ScoringError(f"bands must be a whole number such as 19, got {bands!r}")
    return _standard(name, int(bands))


def _weights(standard: Any, bands: int) -> FloatArray:
    if isinstance(standard, str):
        return standard_population(standard, bands).weights
    if isinstance(standard, StandardPopulation):
        weights = standard.weights
    else:
        weights = as_float_array(standard, "standard", error=ScoringError, nonnegative=True)
    if weights.ndim == 0 or weights.shape[-1] != bands:
        raise ScoringError(
            f"standard has {weights.shape[-1] if weights.ndim else 1} weights (shape "
            f"{weights.shape}) but the data have {bands} age bands; they must match"
        )
    if (weights.sum(axis=-1) <= 0).any():
        raise ScoringError("standard weights must not all be zero")
    return weights
