"""Confidence intervals: textbook examples and every published limit of a real Fingertips export."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import read_csv
from outcomes import ScoringError
from outcomes.stats import byar, dsr_ci, poisson_exact, rate_ci, wilson


def test_wilson_newcombe_1998_examples() -> None:
    # Newcombe (1998) Stat Med 17:857-872, table I, method 3 (score interval)
    for (x, n), (lo, hi) in {
        (81, 263): (0.2553, 0.3662),
        (15, 148): (0.0624, 0.1605),
        (0, 20): (0.0, 0.1611),
        (1, 29): (0.0061, 0.1718),
    }.items():
        got = wilson(x, n)
        assert (round(got.lower, 4), round(got.upper, 4)) == (lo, hi)


def _fingertips_rows() -> list[dict[str, str]]:
    rows = read_csv("fingertips_93356_campylobacter_utla_2015_2017.csv")
    return [r for r in rows if r["Count"] and r["Denominator"] and r["Lower CI 95.0 limit"]]


@pytest.mark.parametrize(
    ("age", "method", "z"), [("All ages", "exact", None), ("0-9 yrs", "byar", 1.96)]
)
def test_reproduce_every_published_fingertips_limit(age: str, method: str, z: float | None) -> None:
    rows = [r for r in _fingertips_rows() if r["Age"] == age]
    assert len(rows) > 100
    count = np.array([float(r["Count"]) for r in rows])
    denominator = np.array([float(r["Denominator"]) for r in rows])
    lower, upper = rate_ci(count, denominator, per=100_000, method=method, z=z)  # type: ignore[arg-type]
    published_lower = np.array([float(r["Lower CI 95.0 limit"]) for r in rows])
    published_upper = np.array([float(r["Upper CI 95.0 limit"]) for r in rows])
    np.testing.assert_allclose(lower, published_lower, rtol=1e-6)
    np.testing.assert_allclose(upper, published_upper, rtol=1e-6)
    np.testing.assert_allclose(
        count / denominator * 1e5, [float(r["Value"]) for r in rows], rtol=1e-9
    )


def test_auto_switches_at_ten_events() -> None:
    lo, _ = rate_ci([9, 10], [1000, 1000], per=1000, method="auto")
    assert lo[0] == pytest.approx(poisson_exact(9).lower)
    assert lo[1] == pytest.approx(byar(10).lower)


def test_zero_counts_have_defined_intervals() -> None:
    assert poisson_exact(0).lower == 0.0
    assert poisson_exact(0).upper == pytest.approx(3.6889, abs=1e-4)
    assert byar(0).lower == 0.0
    assert np.isfinite(byar(0).upper)
    assert wilson(0, 50).lower == 0.0


@pytest.mark.parametrize("confidence", [95, 99.8, 0, 1, -0.5, "high"])
def test_confidence_must_be_a_fraction(confidence: object) -> None:
    with pytest.raises(ScoringError, match=r"0\.95"):
        wilson(5, 10, confidence)  # type: ignore[arg-type]


def test_bad_counts() -> None:
    with pytest.raises(ScoringError, match="count must be >= 0"):
        byar(-1)
    with pytest.raises(ScoringError, match="<= denominator"):
        wilson(11, 10)
    with pytest.raises(ScoringError, match="denominator must be > 0"):
        rate_ci(1, 0)
    with pytest.raises(ScoringError, match="zero events"):
        dsr_ci(100.0, 0, 10.0)
    with pytest.raises(ScoringError, match=r"99\.8"):
        wilson(5, 10, 99.8)


counts = st.integers(min_value=0, max_value=5000)


@given(counts, st.integers(min_value=1, max_value=20000))
def test_intervals_contain_the_estimate_and_nest(x: int, extra: int) -> None:
    n = x + extra
    p = x / n
    for lo_hi_95, lo_hi_998 in [
        (wilson(x, n, 0.95), wilson(x, n, 0.998)),
        (byar(x, 0.95), byar(x, 0.998)),
        (poisson_exact(x, 0.95), poisson_exact(x, 0.998)),
    ]:
        assert lo_hi_998.lower <= lo_hi_95.lower <= lo_hi_95.upper <= lo_hi_998.upper
    lo, hi = wilson(x, n)
    assert lo <= p <= hi
    for lo_c, hi_c in (byar(x), poisson_exact(x)):
        assert lo_c <= x <= hi_c


@given(st.integers(min_value=1, max_value=500), st.integers(min_value=2, max_value=50))
def test_intervals_narrow_as_the_denominator_grows(x: int, factor: int) -> None:
    n = 4 * x
    small = wilson(x, n)
    big = wilson(x * factor, n * factor)
    assert big.upper - big.lower < small.upper - small.lower
    r_small = rate_ci(x, n * 100)
    r_big = rate_ci(x * factor, n * 100 * factor)
    assert r_big.upper - r_big.lower < r_small.upper - r_small.lower


@given(st.lists(counts, min_size=1, max_size=20))
def test_vectorised_equals_scalar(xs: list[int]) -> None:
    together = byar(np.array(xs))
    exact = poisson_exact(np.array(xs))
    for i, x in enumerate(xs):
        assert together.lower[i] == byar(x).lower and together.upper[i] == byar(x).upper
        assert exact.upper[i] == poisson_exact(x).upper


def test_text_is_not_a_count() -> None:
    # numpy would read "3" as 3.0; a count given as text is refused
    with pytest.raises(ScoringError, match="count must be numbers, got '3'"):
        rate_ci("3", 100)
    with pytest.raises(ScoringError, match="must be numbers"):
        wilson(3, b"10")
