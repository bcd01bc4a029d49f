"""The scale-out pattern of docs/scale.md: the vectorised rules run partition by partition."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import numpy as np
import pytest

from outcomes import percentage_change, quantile_step, read_fingertips, score
from outcomes.io import FingertipsData, write_tables
from outcomes.io.results import scores_tables
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


# --------------------------------------------------------------------------------------------
# a national dataset, partition by partition, on a local Dask cluster
# --------------------------------------------------------------------------------------------

CAMPYLOBACTER = "fingertips_93356_campylobacter_utla_2015_2017.csv"


def _partitions(folder: Path) -> list[Path]:
    """The national export split by region into files, as a partitioned dataset would be (the
    rows are copied as they are: quoted newlines inside cells stay)."""
    source = Path(__file__).parent / "data" / CAMPYLOBACTER
    with source.open(newline="", encoding="utf-8-sig") as handle:
        header, *rows = list(csv.reader(handle))
    parent = header.index("Parent Code")
    area_type = header.index("Area Type")
    regions: dict[str, list[list[str]]] = {}
    for row in rows:
        if row[area_type] == "County & UA":
            regions.setdefault(row[parent], []).append(row)
    paths = []
    for code, chosen in sorted(regions.items()):
        path = folder / f"region={code}.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(chosen)
        paths.append(path)
    return paths


def _year(data: FingertipsData, year: str) -> tuple[list[str], list[str], np.ndarray, ...]:
    c = data.columns
    keep = (
        (c["time_period"] == year)
        & (c["area_type"] == "County & UA")
        & (c["age"] == "All ages")
        & (c["sex"] == "Persons")
    )
    order = np.argsort(c["area_code"][keep], kind="stable")
    pick = np.flatnonzero(keep)[order]
    return (
        c["area_code"][pick].tolist(),
        c["area_name"][pick].tolist(),
        c["value"][pick],
        c["count"][pick],
        c["denominator"][pick],
    )


def _baselines(path: str) -> np.ndarray:
    """Task 1, per partition: the 2015 values (the peer set is built from every partition)."""
    values = _year(read_fingertips(path), "2015")[2]
    return values[~np.isnan(values)]  # suppressed values are not peers


def _score_partition(path: str, peers: np.ndarray, out: str) -> dict[str, str]:
    """Task 2, per partition: targets one quartile better among all peers, 2016 scored from
    its counts, the scores written beside the partition; returns each area's verdict."""
    data = read_fingertips(path)
    codes, names, base, _, _ = _year(data, "2015")
    codes16, _, value, count, denominator = _year(data, "2016")
    assert codes16 == codes
    # an area with a suppressed value in either year is not scored (and says so by its absence)
    known = np.isfinite(base) & np.isfinite(value) & np.isfinite(count) & np.isfinite(denominator)
    codes = [c for c, k in zip(codes, known, strict=True) if k]
    names = [n for n, k in zip(names, known, strict=True) if k]
    base, value, count, denominator = base[known], value[known], count[known], denominator[known]
    targets = quantile_step(
        base,
        peers,
        polarity="lower",
        start="2015",
        end="2016",
        periods=["2016"],
        unit="per_100000",
    ).with_organisations(codes, names)
    scores = score(targets, value[:, None], count=count[:, None], denominator=denominator[:, None])
    write_tables(scores_tables({"campylobacter": scores}), out, "csv", force=True)
    return dict(zip(codes, (f"{r}/{v}" for r, v in zip(scores.rag[:, 0], scores.verdict[:, 0],
                                                         strict=True)), strict=True))  # fmt: skip


def test_a_partitioned_national_dataset_on_a_local_cluster(tmp_path: Path) -> None:
    pytest.importorskip("dask")
    distributed = pytest.importorskip("distributed")
    import cloudpickle
    from dask import delayed

    cloudpickle.register_pickle_by_value(sys.modules[__name__])  # the tasks travel by value
    paths = _partitions(tmp_path)
    assert len(paths) == 9
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        # the peer set needs every partition first; it is small, so it is gathered once
        peers = np.concatenate(client.gather(client.compute([delayed(_baselines)(str(p))
                                                             for p in paths])))  # fmt: skip
        jobs = [
            delayed(_score_partition)(str(p), peers, str(tmp_path / f"scores-{p.stem}.csv"))
            for p in paths
        ]
        verdicts: dict[str, str] = {}
        for part in client.gather(client.compute(jobs)):
            verdicts.update(part)
    # the same as one call over the whole national file
    whole = tmp_path / "whole.csv"
    assert _score_partition(str(Path(__file__).parent / "data" / CAMPYLOBACTER), peers,
                            str(whole)) == verdicts  # fmt: skip
    assert len(verdicts) == len(peers) == 150  # 152 areas, 2 suppressed in 2015
    written = sorted(tmp_path.glob("scores-region=*.csv"))
    assert len(written) == 9
    rows = sum(len(p.read_text(encoding="utf-8-sig").splitlines()) - 1 for p in written)
    assert rows == 150
