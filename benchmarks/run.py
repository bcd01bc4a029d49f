"""`make bench`: every benchmark, each a ratio to a baseline measured in the same process.

First the paths a user's real job goes through on 1,000,000 rows (issue 18's table, with each
ratio, its target and whether it is met), then the kernels, then each method family. Never
timed assertions: this prints figures; docs/performance.md and docs/benchmarks.md record a run.

    python benchmarks/run.py [--rows N] [--only paths|kernels|audit|benchmark|indicators|realism|oversight]
"""

from __future__ import annotations

import argparse
import importlib
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

FAMILIES = ("kernels", "audit", "benchmark", "indicators", "realism", "oversight")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows of the paths table")
    parser.add_argument("--only", choices=("paths", *FAMILIES), help="run one benchmark")
    args = parser.parse_args()
    started = time.perf_counter()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, python "
        f"{platform.python_version()}, numpy {np.__version__}"
    )
    missed = 0
    if args.only in (None, "paths"):
        import bench_paths

        missed += sum(not r.met for r in bench_paths.main(args.rows))
    for name in FAMILIES:
        if args.only not in (None, name):
            continue
        print(f"\n### {name}\n")
        importlib.import_module(f"bench_{name}").main()
    print(
        f"\nall benchmarks: {time.perf_counter() - started:.0f} s; paths' targets missed: {missed}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
