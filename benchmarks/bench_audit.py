"""The audit at scale: audit_table on 10,000 rows (goal >= 1,000 rows a second), and the whole CLI on
a 10,000-row file (goal under 15 s). Printed as figures, never asserted in the tests."""

from __future__ import annotations

import csv
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from outcomes import audit_table

ROWS = 10_000
YEARS = ["2014/15", "2015/16", "2016/17", "2017/18", "2018/19"]


def rows(n: int = ROWS) -> list[dict[str, object]]:
    """Printed rows of five rules, every tenth with a mistyped cell."""
    rng = np.random.default_rng(17)
    out = []
    for i in range(n):
        b = float(round(rng.uniform(500, 3000)))
        rule = i % 4
        k = np.arange(2, 7)
        if rule == 0:
            cells = b * (1 - 0.032) ** k
        elif rule == 1:
            cells = b * (1 - 0.025 * k)
        elif rule == 2:
            cells = b + (b * 0.85 - b) * k / 6
        else:
            cells = b + (b * 0.9 - b) * (1 - (1 - k / 6) ** 2)
        printed = [round(float(c)) for c in cells]
        if i % 10 == 0:
            printed[3] += 37
        out.append(
            {
                "values": printed,
                "baseline": b,
                "start": "2012",
                "periods": YEARS,
                "measure": f"r{i}",
            }
        )
    return out


def main() -> None:
    table = rows()
    t0 = time.perf_counter()
    reports = audit_table(table)
    seconds = time.perf_counter() - t0
    flagged = sum(bool(r.flagged) for r in reports)
    print(
        f"{'audit_table, 10,000 rows':<58} {seconds * 1e3:9.1f} ms  "
        f"{ROWS / seconds:,.0f} rows/s  (goal >= 1,000 rows/s); {flagged} rows flagged"
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "rows.csv"
        with open(path, "w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["code", "baseline", "start", *YEARS])
            for row in table:
                writer.writerow([row["measure"], row["baseline"], row["start"], *row["values"]])  # type: ignore[misc]
        t0 = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "outcomes",
                "audit",
                str(path),
                "-o",
                str(Path(folder) / "a.csv"),
            ],
            check=False,
            capture_output=True,
        )
        cli = time.perf_counter() - t0
    print(f"{'CLI: outcomes audit on a 10,000-row file':<58} {cli:9.2f} s   (goal < 15 s)")


if __name__ == "__main__":
    main()
