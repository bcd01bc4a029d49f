"""Quantiles: Fingertips value bounds and the OHID rank method, on real published data."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import read_csv
from outcomes import TrajectoryError
from outcomes.stats import QuantileWarning, assign_quantiles, quantile_bounds, quantile_categories


def test_pyll_2013_quartile_bounds_match_the_published_figures(pyll_2013: np.ndarray) -> None:
    assert pyll_2013.shape == (211,)
    bounds = quantile_bounds(pyll_2013, 4)
    # SOURCES.md: quartiles across the 211 CCGs for 2013: Q1 1806.8, median 2006.1, Q3 2285.9
    assert [round(float(b), 1) for b in bounds[1:4]] == [1806.8, 2006.1, 2285.9]
    assert bounds[0] == pyll_2013.min() and bounds[-1] == pyll_2013.max()


def test_named_methods() -> None:
    values = np.arange(1.0, 12.0)
    np.testing.assert_allclose(quantile_bounds(values, 4, "excel-exc")[1:4], [3.0, 6.0, 9.0])
    np.testing.assert_allclose(quantile_bounds(values, 4, "excel-inc")[1:4], [3.5, 6.0, 8.5])
    with pytest.raises(TrajectoryError, match="method must be one of"):
        quantile_bounds(values, 4, "excel")


def test_bounds_need_enough_values_and_no_nan() -> None:
    with pytest.raises(TrajectoryError, match="more than 3 values"):
        quantile_bounds([1.0, 2.0, 3.0], 2)
    with pytest.raises(TrajectoryError, match="at least quantiles=5"):
        quantile_bounds([1.0, 2.0, 3.0, 4.0], 5)
    with pytest.raises(TrajectoryError, match="missing"):
        quantile_bounds([1.0, np.nan, 3.0, 4.0, 5.0], 2)
    np.testing.assert_allclose(
        quantile_bounds([1.0, np.nan, 3.0, 4.0, 5.0], 2, nan_policy="omit"), [1.0, 3.5, 5.0]
    )


def test_value_on_a_bound_falls_in_the_lower_category() -> None:
    bounds = [1.0, 3.0, 5.0, 7.0, 9.0]
    assert quantile_categories([3.0, 3.0001, 9.0], bounds).tolist() == [1, 2, 4]
    assert quantile_categories([3.0, 9.0], bounds, polarity="higher").tolist() == [4, 1]


def _f(text: str) -> float:
    return float(text) if text.strip() not in ("", "NA") else float("nan")


def _phe_rows(**where: str) -> list[dict[str, str]]:
    rows = read_csv("phe_quantiles_expected.csv")
    return [r for r in rows if all(r[k] == v for k, v in where.items())]


def _invert(polarity: str) -> bool:
    # PHE's test feeds invert from the Polarity column: low-is-good (or TRUE) -> invert=TRUE
    return polarity in ("RAG - Low is good", "True")


def _check(rows: list[dict[str, str]], k: int, group_keys: tuple[str, ...]) -> int:
    values = np.array([_f(r["Value"]) for r in rows])
    groups = np.array(["|".join(r[g] for g in group_keys) for r in rows]) if group_keys else None
    # invert=TRUE puts the highest value in quantile 1: polarity "lower" with first="worst"
    polarity = ["lower" if _invert(r["Polarity"]) else "higher" for r in rows]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", QuantileWarning)  # rows with no value stay NaN
        got = assign_quantiles(values, k, polarity=polarity, groups=groups, first="worst")
    expected = np.array([_f(r["QuantileInGrp"]) for r in rows])
    np.testing.assert_array_equal(got, expected)
    return len(rows)


def test_phe_within_region_deciles() -> None:
    rows = _phe_rows(QuantileNm="Decile", GroupSet="IndSexReg")
    assert _check(rows, 10, ("IndSexRef", "ParentCode")) == 152 * 2 + 13 + 22


def test_phe_national_septiles() -> None:
    rows = _phe_rows(QuantileNm="Septile", GroupSet="IndSex", Test="Gooddata")
    assert _check(rows, 7, ("IndSexRef",)) == 152


def test_phe_ungrouped_quartiles_of_485_values() -> None:
    rows = _phe_rows(QuantileNm="Quartile", GroupSet="None")
    for row in rows:  # the pooled test ranks every row with invert=TRUE
        row["Polarity"] = "True"
    assert _check(rows, 4, ()) == 491  # 485 values and 6 rows with no value (kept as NaN)
    assert sum(1 for r in rows if r["Value"]) == 485


def test_phe_mixed_polarity_in_one_group_is_refused() -> None:
    rows = _phe_rows(Test="BadPolarity")
    values = np.array([_f(r["Value"]) for r in rows])
    polarity = ["lower" if _invert(r["Polarity"]) else "higher" for r in rows]
    with pytest.raises(TrajectoryError, match="same for every value in a group"):
        assign_quantiles(values, 7, polarity=polarity, groups=[r["IndSexRef"] for r in rows])


def test_the_two_published_algorithms_disagree_on_real_data() -> None:
    rows = _phe_rows(QuantileNm="Quartile", GroupSet="None")
    values = np.array([_f(r["Value"]) for r in rows])
    values = values[~np.isnan(values)]
    rank_based = assign_quantiles(values, 4, polarity="higher", first="best")  # 1 = highest
    value_based = 5 - quantile_categories(values, quantile_bounds(values, 4))  # 1 = highest
    disagree = np.flatnonzero(rank_based != value_based)
    assert disagree.size == 5  # as the reference notes record
    # each disagreement is a value sitting next to a quartile boundary
    bounds = quantile_bounds(values, 4)[1:4]
    assert np.all(np.min(np.abs(values[disagree, None] - bounds), axis=1) < 1.0)


def test_missing_values_and_small_groups_are_reported_not_dropped() -> None:
    values = [1.0, np.nan, 3.0, 4.0, 5.0, 6.0, 7.0]
    groups = ["a", "a", "a", "a", "a", "b", "b"]
    with pytest.warns(QuantileWarning, match="1 missing, 2 in groups with fewer"):
        got = assign_quantiles(values, 3, polarity="higher", groups=groups)
    assert got.shape == (7,)
    assert np.isnan(got[[1, 5, 6]]).all()
    assert not np.isnan(got[[0, 2, 3, 4]]).any()


def test_ties_take_the_lowest_rank() -> None:
    got = assign_quantiles([5.0, 5.0, 5.0, 1.0], 2, polarity="higher")
    assert got.tolist() == [1.0, 1.0, 1.0, 2.0]


@given(st.lists(st.floats(0, 1e4), min_size=10, max_size=80), st.integers(2, 10))
def test_grouped_equals_each_group_alone(values: list[float], k: int) -> None:
    array = np.array(values)
    groups = np.arange(array.size) % 2
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", QuantileWarning)
        together = assign_quantiles(array, k, polarity="lower", groups=groups)
        for g in (0, 1):
            alone = assign_quantiles(array[groups == g], k, polarity="lower")
            np.testing.assert_array_equal(together[groups == g], alone)


@given(st.lists(st.floats(0, 1e4), min_size=10, max_size=80), st.integers(2, 10))
def test_quantiles_are_in_range_and_polarity_flips(values: list[float], k: int) -> None:
    array = np.array(values)
    high = assign_quantiles(array, k, polarity="higher")
    assert ((high >= 1) & (high <= k)).all()
    negated = assign_quantiles(-array, k, polarity="lower")
    np.testing.assert_array_equal(high, negated)


def _by_the_rank_rule(values: np.ndarray, k: int, polarity: str) -> np.ndarray:
    """OHID's rule, one value at a time: rank = 1 + the number of better values (ties share the
    better rank), quantile = max(1, floor((k + 1) - ceil((n + 1 - rank) / (n / k))))."""
    sign = -1.0 if polarity == "higher" else 1.0
    out = np.full(values.shape, np.nan)
    valid = ~np.isnan(values)
    kept = values[valid]
    n = kept.size
    if n < k:
        return out
    rank = np.array([1 + np.sum(sign * kept < sign * v) for v in kept], dtype=float)
    out[valid] = np.maximum(np.floor((k + 1) - np.ceil((n + 1 - rank) / (n / k))), 1)
    return out


@given(
    st.lists(
        st.one_of(st.integers(0, 6).map(float), st.floats(-1e6, 1e6), st.just(float("nan"))),
        min_size=1,
        max_size=60,
    ),
    st.integers(2, 10),
    st.sampled_from(["higher", "lower"]),
    st.one_of(st.none(), st.integers(1, 4)),
)
def test_assignment_equals_the_rank_rule_value_by_value(
    values: list[float], k: int, polarity: str, groups: int | None
) -> None:
    # the fast paths (order statistics without a sort when ungrouped; one sort, group-major,
    # when grouped) give exactly the published rule's answer, ties and missing values included
    array = np.array(values)
    labels = None if groups is None else np.arange(array.size) % groups
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", QuantileWarning)
        got = assign_quantiles(array, k, polarity=polarity, groups=labels)
    expected = np.full(array.shape, np.nan)
    for label in [None] if labels is None else np.unique(labels):
        chosen = np.ones(array.size, bool) if label is None else labels == label
        expected[chosen] = _by_the_rank_rule(array[chosen], k, polarity)
    np.testing.assert_array_equal(got, expected)
