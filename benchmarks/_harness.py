"""What every benchmark shares: median timings, peak memory, and one table of results.

Every figure is a ratio to a baseline measured in the same process, on the same machine, in
the same run: never an absolute time compared with a constant (and never an assertion in the
test suite).
"""

from __future__ import annotations

import gc
import statistics
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal


def median_time(func: Callable[[], object], repeat: int = 5) -> float:
    """Median wall time of ``repeat`` calls, in seconds (garbage collected before each)."""
    times = []
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        func()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def peak_memory(func: Callable[[], object]) -> int:
    """Peak traced memory of one call, in bytes (numpy's buffers are traced too)."""
    gc.collect()
    tracemalloc.start()
    try:
        func()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak


@dataclass(frozen=True)
class Result:
    """One row of the table: our path against its baseline."""

    path: str
    baseline: str
    ratio: float
    target: float
    direction: Literal["at most", "at least"] = "at most"
    detail: str = ""
    unit: str = "x"

    @property
    def met(self) -> bool:
        if self.direction == "at most":
            return self.ratio <= self.target
        return self.ratio >= self.target

    def cells(self) -> list[str]:
        sign = "<=" if self.direction == "at most" else ">="
        ratio = f"{self.ratio:,.2f}" if self.ratio < 100 else f"{self.ratio:,.0f}"
        target = f"{self.target:g}" if self.target < 100 else f"{self.target:,.0f}"
        return [
            self.path,
            self.baseline,
            f"{ratio}{self.unit}",
            f"{sign} {target}{self.unit}",
            "met" if self.met else "MISSED",
            self.detail,
        ]


def print_table(title: str, results: list[Result]) -> None:
    """The results as a Markdown table (pasteable into docs/performance.md)."""
    header = ["path", "baseline in the same run", "ratio", "target", "", "figures"]
    rows = [header, ["---"] * len(header), *(r.cells() for r in results)]
    print(f"\n### {title}\n")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    missed = [r.path for r in results if not r.met]
    print(
        f"\n{len(results) - len(missed)} of {len(results)} targets met"
        + (f"; missed: {', '.join(missed)}" if missed else "")
    )
