"""The paths a user's real job goes through, on 1,000,000 rows (issue 18's table).

Each path is timed against a baseline doing the same work in the plainest way, in the same
process: reading a Fingertips export against ``csv.reader`` + ``np.asarray``, writing targets
against the csv module, records and frames against building them from arrays, ``roll_up``
against a numpy weighted sum, ``rate_ci(method="auto")`` against ``byar``, ``score`` with counts
against a per-row scipy loop, ``assign_quantiles`` against PHStatsMethods (bench environment
only), ``audit_table`` in rows a second, and the whole CLI over 10,000 organisations.

    python benchmarks/bench_paths.py [--rows N]
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import Result, median_time, peak_memory, print_table

import outcomes
from outcomes.io.fingertips import FINGERTIPS_COLUMNS

HEADER = list(FINGERTIPS_COLUMNS)
NUMERIC = [
    "Value",
    "Lower CI 95.0 limit",
    "Upper CI 95.0 limit",
    "Lower CI 99.8 limit",
    "Upper CI 99.8 limit",
    "Count",
    "Denominator",
]


def fingertips_file(folder: Path, rows: int, rng: np.random.Generator) -> Path:
    """A Fingertips-shaped export: real column names, a quoted newline inside the indicator
    name (as real exports have), empty cells, 150 areas x years x sexes."""
    path = folder / "fingertips.csv"
    value = rng.uniform(5, 150, rows).tolist()
    count = rng.integers(0, 5000, rows).tolist()
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for i in range(rows):
            v = value[i]
            writer.writerow(
                [
                    "93356",
                    "Campylobacter incidence rate/100,000\n",
                    "E12000001",
                    "North East region",
                    f"E{10000000 + i % 150:08d}",
                    f"Area {i % 150}",
                    "County & UA",
                    ("Persons", "Male", "Female")[i % 3],
                    "All ages",
                    "",
                    "",
                    str(2000 + (i // 450) % 20),
                    repr(v),
                    repr(v * 0.9),
                    repr(v * 1.1),
                    repr(v * 0.85),
                    repr(v * 1.15),
                    "" if i % 97 == 0 else str(count[i]),
                    "54786327",
                    "",
                    "",
                    "Similar",
                    "Not compared",
                    str(20000000 + i % 20 * 10000),
                    "",
                    "",
                ]
            )
    return path


def baseline_read(path: Path) -> dict[str, np.ndarray]:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    header, body = rows[0], rows[1:]
    columns = list(zip(*body, strict=True))
    out = {}
    for name, cells in zip(header, columns, strict=True):
        if name in NUMERIC:
            out[name] = np.asarray([c if c else "nan" for c in cells], dtype=np.float64)
        else:
            out[name] = np.asarray(cells)
    return out


def parsed_bytes(columns: dict[str, np.ndarray]) -> int:
    return sum(a.nbytes for a in columns.values())


def bench_read(rows: int, folder: Path, rng: np.random.Generator) -> list[Result]:
    path = fingertips_file(folder, rows, rng)
    base = median_time(lambda: baseline_read(path), 3)
    ours = median_time(lambda: outcomes.read_fingertips(path), 3)
    size = parsed_bytes(baseline_read(path))
    base_peak = peak_memory(lambda: baseline_read(path))
    our_peak = peak_memory(lambda: outcomes.read_fingertips(path))
    return [
        Result(
            "`read_fingertips`, time",
            "`csv.reader` into lists, then `np.asarray` of the numeric columns",
            ours / base,
            3,
            detail=f"{ours:.2f} s vs {base:.2f} s",
        ),
        Result(
            "`read_fingertips`, peak memory",
            "the parsed columns (numpy arrays)",
            our_peak / size,
            3,
            detail=f"{our_peak / 1e6:,.0f} MB vs {size / 1e6:,.0f} MB (the baseline's peak: "
            f"{base_peak / 1e6:,.0f} MB)",
        ),
    ]


def bench_write(rows: int, folder: Path, rng: np.random.Generator) -> list[Result]:
    from outcomes.io import write_csv
    from outcomes.io.results import targets_tables

    orgs = rows // 5
    codes = [f"E{38000000 + i:08d}" for i in range(orgs)]
    names = [f"NHS Area {i} CCG" for i in range(orgs)]
    t = outcomes.percentage_change(
        rng.uniform(1000, 3000, orgs), -0.032, start="2013/14", end="2018/19", polarity="lower",
        unit="per_100000", measure="pyll",
    ).with_organisations(codes, names)  # fmt: skip
    out = folder / "targets.csv"

    def ours() -> None:
        write_csv(targets_tables({"pyll": t})[0], out, force=True)

    # the same ten columns, as lists, written by the csv module
    periods = [str(p) for p in t.periods]
    k = len(periods)
    rule = t.rule.describe()
    lists = [
        [c for c in codes for _ in range(k)],
        [n for n in names for _ in range(k)],
        ["pyll"] * (orgs * k),
        ["pyll"] * (orgs * k),
        ["per 100,000 population"] * (orgs * k),
        ["2013/14"] * (orgs * k),
        np.repeat(t.baseline, k).tolist(),
        periods * orgs,
        t.values.reshape(-1).tolist(),
        [rule] * (orgs * k),
    ]

    def base() -> None:
        with out.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(
                [
                    "organisation",
                    "organisation name",
                    "measure",
                    "measure name",
                    "unit",
                    "baseline period",
                    "baseline",
                    "period",
                    "target",
                    "rule",
                ]
            )
            writer.writerows(zip(*lists, strict=True))

    b = median_time(base, 3)
    o = median_time(ours, 3)
    return [
        Result(
            "targets table + `write_csv`",
            "csv module writing the same columns from lists",
            o / b,
            2,
            detail=f"{o:.2f} s vs {b:.2f} s",
        )
    ]


def _score(rows: int, rng: np.random.Generator) -> outcomes.Score:
    orgs = rows // 5
    t = outcomes.percentage_change(
        rng.uniform(1000, 3000, orgs), -0.032, start="2013/14", end="2018/19", polarity="lower",
        unit="per_100000",
    ).with_organisations([f"E{38000000 + i:08d}" for i in range(orgs)])  # fmt: skip
    actual = t.values * rng.uniform(0.95, 1.05, t.values.shape)
    actual[:, 3:] = np.nan
    return outcomes.score(t, actual)


def bench_records(rows: int, rng: np.random.Generator) -> list[Result]:
    import pandas as pd

    s = _score(rows, rng)
    labels = list(s.organisations or ())
    names = [""] * len(labels)
    periods = [str(p) for p in s.periods]
    n = len(periods)
    cells = len(labels) * n

    def base_records() -> list[dict[str, object]]:
        # the same dicts as Score.to_records, built from the arrays' lists
        target, actual, ok = s.target.tolist(), s.actual.tolist(), s.available.tolist()
        met, gap, progress = s.met.tolist(), s.gap.tolist(), s.progress.tolist()
        rag, verdict = s.rag.tolist(), s.verdict.tolist()
        return [
            {
                "organisation": labels[i],
                "organisation_name": names[i],
                "measure": "",
                "period": periods[j],
                "target": target[i][j],
                "actual": actual[i][j] if ok[i][j] else None,
                "met": met[i][j] if ok[i][j] else None,
                "gap": gap[i][j] if ok[i][j] else None,
                "progress": progress[i][j] if ok[i][j] else None,
                "lower": None,
                "upper": None,
                "rag": rag[i][j],
                "verdict": verdict[i][j],
            }
            for i in range(len(labels))
            for j in range(n)
        ]

    def base_frame() -> object:
        # the same columns and dtypes as Score.to_frame, the plainest way
        met = pd.array(s.met.reshape(-1), dtype="boolean")
        met[~s.available.reshape(-1)] = pd.NA
        return pd.DataFrame(
            {
                "organisation": pd.Categorical(np.repeat(np.asarray(labels), n)),
                "organisation_name": pd.Categorical(np.repeat(np.asarray(names), n)),
                "measure": pd.Categorical(np.full(cells, "")),
                "measure_name": pd.Categorical(np.full(cells, "")),
                "period": pd.Categorical(np.tile(np.asarray(periods), len(labels)), ordered=True),
                "unit": pd.Categorical(np.full(cells, "per_100000")),
                "baseline": np.repeat(s.baseline, n),
                "target": s.target.reshape(-1),
                "actual": s.actual.reshape(-1),
                "lower": np.full(cells, np.nan),
                "upper": np.full(cells, np.nan),
                "met": met,
                "gap": s.gap.reshape(-1),
                "progress": s.progress.reshape(-1),
                "rag": pd.Categorical(s.rag.reshape(-1)),
                "verdict": pd.Categorical(s.verdict.reshape(-1)),
            }
        )

    b = median_time(base_records, 3)
    o = median_time(s.to_records, 3)
    bf = median_time(base_frame, 3)
    of = median_time(s.to_frame, 3)
    return [
        Result(
            "`Score.to_records`",
            "the same dicts built from the arrays",
            o / b,
            2,
            detail=f"{o:.2f} s vs {b:.2f} s",
        ),
        Result(
            "`Score.to_frame`",
            "the same DataFrame built from the arrays",
            of / bf,
            2,
            detail=f"{of:.2f} s vs {bf:.2f} s",
        ),
    ]


def bench_roll_up(rows: int, rng: np.random.Generator) -> list[Result]:
    members = 100
    count = max(rows // members, 1)
    baselines = rng.uniform(1000, 3000, (count, members))
    trajectories = [
        outcomes.percentage_change(
            baselines[k], -0.032, start="2013/14", end="2018/19", unit="per_100000"
        )
        for k in range(count)
    ]
    populations = rng.uniform(1e4, 1e6, count * members)

    def base() -> object:
        # what a user holding the list writes: stack the members' values, one weighted sum
        return populations @ np.concatenate([t.values for t in trajectories]) / populations.sum()

    o = median_time(lambda: outcomes.roll_up(trajectories, populations), 3)
    b = median_time(base, 3)
    np.testing.assert_allclose(outcomes.roll_up(trajectories, populations).values, base())
    return [
        Result(
            f"`roll_up` of {count:,} trajectories x {members} organisations",
            "numpy weighted sum of the members' values, stacked from the list",
            o / b,
            3,
            detail=f"{o * 1e3:.0f} ms vs {b * 1e3:.0f} ms",
        )
    ]


def bench_rate_ci(rows: int, rng: np.random.Generator) -> list[Result]:
    from outcomes.stats import byar, rate_ci

    counts = rng.integers(0, 2000, rows).astype(float)
    small = rng.random(rows) < 0.05  # 5% of rows with fewer than 10 events
    counts[small] = rng.integers(0, 10, int(small.sum()))
    denominators = rng.uniform(1e4, 1e6, rows)
    o = median_time(lambda: rate_ci(counts, denominators, method="auto"), 5)
    b = median_time(lambda: byar(counts, 0.95), 5)
    return [
        Result(
            '`rate_ci(method="auto")`',
            "`byar` on the same counts",
            o / b,
            1.5,
            detail=f"{o * 1e3:.0f} ms vs {b * 1e3:.0f} ms",
        )
    ]


def bench_score_counts(rows: int, rng: np.random.Generator) -> list[Result]:
    from scipy import stats as sps

    counts = rng.integers(0, 500, rows).astype(float)
    denominators = np.full(rows, 100_000.0)
    t = outcomes.hold(
        counts / denominators * 1e5, start="2013/14", periods=["2014/15"], polarity="lower",
        unit="per_100000",
    )  # fmt: skip
    actual_counts = np.round(counts * 0.97)
    actual = (actual_counts / denominators * 1e5)[:, None]
    o = median_time(
        lambda: outcomes.score(
            t, actual, count=actual_counts[:, None], denominator=denominators[:, None]
        ),
        3,
    )
    targets = t.values[:, 0]

    def row(c: float, n: float, target: float) -> str:
        # the exact Poisson interval (what "auto" uses below 10 events) asked row by row
        alpha = 0.05
        lo = sps.chi2.ppf(alpha / 2, 2 * c) / 2 if c > 0 else 0.0
        hi = sps.chi2.ppf(1 - alpha / 2, 2 * (c + 1)) / 2
        lo, hi = lo / n * 1e5, hi / n * 1e5
        return "met" if hi <= target else ("missed" if lo > target else "unclear")

    sample = min(rows, 2_000)
    loop = (
        median_time(
            lambda: [row(actual_counts[i], denominators[i], targets[i]) for i in range(sample)],
            1,
        )
        * rows
        / sample
    )
    return [
        Result(
            "`score` with count and denominator",
            "the same verdicts, scipy row by row (timed on 2,000 rows, scaled)",
            loop / o,
            1000,
            "at least",
            detail=f"{o * 1e3:.0f} ms vs {loop:.0f} s",
        )
    ]


def bench_quantiles(rows: int, rng: np.random.Generator) -> list[Result]:
    from outcomes.stats import assign_quantiles

    values = rng.normal(100, 15, rows)
    groups = rng.integers(0, 1000, rows)
    ours = median_time(lambda: assign_quantiles(values, 10, polarity="higher"), 5)
    floor = median_time(lambda: np.argsort(values), 5)
    ours_g = median_time(lambda: assign_quantiles(values, 4, polarity="higher", groups=groups), 5)
    floor_g = median_time(lambda: np.lexsort((values, groups)), 5)
    out = [
        Result(
            "`assign_quantiles` ungrouped",
            "one `np.argsort`",
            ours / floor,
            1.2,
            detail=f"{ours * 1e3:.0f} ms vs {floor * 1e3:.0f} ms",
        ),
        Result(
            "`assign_quantiles`, 1,000 groups",
            "one `np.lexsort`",
            ours_g / floor_g,
            1.2,
            detail=f"{ours_g * 1e3:.0f} ms vs {floor_g * 1e3:.0f} ms",
        ),
    ]
    try:
        import pandas as pd
        from PHStatsMethods import ph_quantile
    except ImportError:  # installed by `make bench` only
        print("assign_quantiles vs PHStatsMethods: skipped (pip install PHStatsMethods)")
        return out
    frame = pd.DataFrame({"v": values, "g": groups})
    theirs = median_time(lambda: ph_quantile(frame, "v", nquantiles=10), 3)
    theirs_g = median_time(lambda: ph_quantile(frame, "v", group_cols="g", nquantiles=4), 3)
    same = [
        int(
            (
                ph_quantile(frame, "v", **kw).sort_index()["quantile"].to_numpy(dtype=float) != mine
            ).sum()
        )
        for kw, mine in (
            ({"nquantiles": 10}, assign_quantiles(values, 10, polarity="higher")),
            (
                {"nquantiles": 4, "group_cols": "g"},
                assign_quantiles(values, 4, polarity="higher", groups=groups),
            ),
        )
    ]
    out += [
        Result(
            "`assign_quantiles` ungrouped",
            "PHStatsMethods `ph_quantile`",
            theirs / ours,
            5,
            "at least",
            detail=f"{ours * 1e3:.0f} ms vs {theirs * 1e3:.0f} ms; {same[0]} answers differ",
        ),
        Result(
            "`assign_quantiles`, 1,000 groups",
            "PHStatsMethods `ph_quantile`",
            theirs_g / ours_g,
            3,
            "at least",
            detail=f"{ours_g * 1e3:.0f} ms vs {theirs_g * 1e3:.0f} ms; {same[1]} answers differ",
        ),
    ]
    return out


def bench_audit(rng: np.random.Generator, folder: Path, rows: int = 10_000) -> list[Result]:
    path = folder / "published.csv"
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    periods = ["2014/15", "2015/16", "2016/17", "2017/18", "2018/19"]
    writer.writerow(["code", "baseline", "start", *periods])
    for i in range(rows):
        b = round(float(rng.uniform(1000, 3000)), 1)
        rate = float(rng.choice([-0.01, -0.02, -0.032, -0.05]))
        values = [round(b * (1 + rate) ** k, 1) for k in range(1, 6)]
        writer.writerow([f"row-{i}", b, "2013/14", *values])
    path.write_text(buffer.getvalue(), encoding="utf-8")
    seconds = median_time(lambda: outcomes.audit_table(path), 1)
    return [
        Result(
            f"`audit_table`, {rows:,} rows",
            "none (rows a second)",
            rows / seconds,
            1000,
            "at least",
            detail=f"{seconds:.1f} s",
            unit=" rows/s",
        )
    ]


def bench_cli(folder: Path, rng: np.random.Generator, organisations: int = 10_000) -> list[Result]:
    baselines = folder / "baselines.csv"
    with baselines.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["organisation", "name", "population", "measure", "period", "value"])
        for i in range(organisations):
            code, name = f"E{38000000 + i:08d}", f"NHS Area {i} CCG"
            pop = int(rng.integers(50_000, 900_000))
            writer.writerow([code, name, pop, "pyll", "2013", round(rng.uniform(1500, 2800), 1)])
            writer.writerow(
                [code, name, pop, "admissions", "2012/13", round(rng.uniform(1500, 2800))]
            )
    plan = folder / "plan.toml"
    plan.write_text(
        'first = "2014/15"\nend = "2018/19"\nbaselines = "baselines.csv"\n'
        '[measures.pyll]\nambition = 1\nrule = { name = "percentage_change", rate = -0.032 }\n'
        "[measures.admissions]\nambition = 3\nndigits = 0\n"
        'rule = { name = "percentage_change", rate = -0.02 }\n',
        encoding="utf-8",
    )
    exe = Path(sys.executable).parent / "outcomes"

    def run(n: int) -> float:
        if n != organisations:
            lines = baselines.read_text(encoding="utf-8").splitlines(keepends=True)
            small = folder / f"baselines-{n}.csv"
            small.write_text("".join(lines[: 1 + 2 * n]), encoding="utf-8")
            text = plan.read_text(encoding="utf-8").replace("baselines.csv", small.name)
            p = folder / f"plan-{n}.toml"
            p.write_text(text, encoding="utf-8")
        else:
            p = plan
        out = folder / f"targets-{n}.csv"

        def once() -> None:
            out.unlink(missing_ok=True)
            done = subprocess.run(
                [str(exe), "plan", str(p), "-o", str(out)],
                capture_output=True,
                text=True,
                env={**os.environ, "PYTHONWARNINGS": "ignore"},
            )
            if done.returncode:
                raise RuntimeError(f"outcomes plan failed: {done.stderr}")

        return median_time(once, 1)

    small, full = run(organisations // 10), run(organisations)
    return [
        Result(
            f"CLI `outcomes plan`, {organisations:,} organisations to CSV",
            "none (seconds)",
            full,
            10,
            detail=f"{organisations // 10:,} organisations: {small:.1f} s "
            f"(x{full / small:.1f} for 10x the organisations)",
            unit=" s",
        )
    ]


def main(rows: int = 1_000_000) -> list[Result]:
    rng = np.random.default_rng(2014)
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="outcomes-bench-") as tmp:
        folder = Path(tmp)
        results += bench_read(rows, folder, rng)
        results += bench_write(rows, folder, rng)
        results += bench_records(rows, rng)
        results += bench_roll_up(rows, rng)
        results += bench_rate_ci(rows, rng)
        results += bench_score_counts(rows, rng)
        results += bench_quantiles(rows, rng)
        results += bench_audit(rng, folder, rows=min(10_000, rows))
        results += bench_cli(folder, rng, organisations=min(10_000, max(rows // 100, 100)))
    print_table(f"Paths, {rows:,} rows", results)
    return results


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    main(parser.parse_args().rows)
