"""Shared fixtures: real published data copied into tests/data (see tests/data/README.md)."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, settings

DATA = Path(__file__).parent / "data"

# Hypothesis budgets, chosen by OUTCOMES_HYPOTHESIS_PROFILE: "ci" (default, modest: `make test`)
# or "fuzz" (long: `make fuzz`, which runs tests/test_fuzz.py only).
settings.register_profile("ci", max_examples=60, deadline=None)
settings.register_profile(
    "fuzz",
    max_examples=2000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
settings.load_profile(os.environ.get("OUTCOMES_HYPOTHESIS_PROFILE", "ci"))


def read_csv(name: str) -> list[dict[str, str]]:
    with open(DATA / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="session")
def pyll() -> dict[str, dict[str, dict[str, str]]]:
    """PYLL rows by year then CCG code (Person, All conditions); 'National' for England."""
    out: dict[str, dict[str, dict[str, str]]] = {}
    for row in read_csv("pyll_ccg_2012_2014_person.csv"):
        out.setdefault(row["Reporting period"], {})[row["Level"]] = row
    return out


@pytest.fixture(scope="session")
def pyll_2013(pyll: dict[str, dict[str, dict[str, str]]]) -> np.ndarray:
    rows = pyll["2013"]
    return np.array([float(r["DSR"]) for code, r in sorted(rows.items()) if code != "National"])
