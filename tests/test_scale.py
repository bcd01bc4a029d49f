"""The scale-out pattern of docs/scale.md: the vectorised rules run partition by partition."""

from __future__ import annotations

import numpy as np
import pytest

from outcomes import percentage_change, quantile_step
from outcomes.stats import quantile_bounds


def test_dask_map_blocks_equals_one_call() -> None:
    da = pytest.importorskip("dask.array")
    rng = np.random.default_rng(7)
    baselines = rng.uniform(1000, 3000, 10_000)
    darr = da.from_array(baselines, chunks=2_500)

    def targets(block: np.ndarray) -> np.ndarray:
        return percentage_change(block, -0.032, start="2013", end="2018/19").values

    lazy = darr.map_blocks(targets, new_axis=1, chunks=(darr.chunks[0], (5,)), dtype=float)
    np.testing.assert_array_equal(lazy.compute(), targets(baselines))


def test_quantile_rule_needs_the_whole_distribution_first() -> None:
    da = pytest.importorskip("dask.array")
    rng = np.random.default_rng(8)
    baselines = rng.uniform(1000, 3000, 8_000)
    peers = baselines  # every organisation against all organisations
    # the bounds are small: compute them once, then hand the same peer set to every partition
    bounds = quantile_bounds(peers, 4)
    darr = da.from_array(baselines, chunks=2_000)

    def targets(block: np.ndarray) -> np.ndarray:
        return quantile_step(block, peers, polarity="lower", start="2013", end="2018/19").target

    np.testing.assert_array_equal(
        darr.map_blocks(targets, dtype=float).compute(),
        quantile_step(baselines, peers, polarity="lower", start="2013", end="2018/19").target,
    )
    assert bounds.shape == (5,)
