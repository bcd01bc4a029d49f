"""outcomes.benchmark: Fingertips comparers, goals, PHE funnels and recent trends.

Reference cases: tests/data/fingertips_*.csv (Fingertips' own unit tests, MIT) and
tests/data/funnel_*.csv (PHEindicatormethods' funnel test data); see tests/data/README.md.
"""

from __future__ import annotations

import csv
import math
import warnings
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from outcomes.benchmark import (
    Comparison,
    FunnelSignificance,
    Significance,
    Trend,
    TrendResult,
    compare,
    compare_to_goal,
    funnel_limits,
    funnel_significance,
    funnel_table,
    percentile_range_goal,
    recent_trend,
)
from outcomes.errors import OutcomesError, ScoringError
from outcomes.stats import Interval, quantile_bounds, quantile_categories

DATA = Path(__file__).parent / "data"


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(newline="") as handle:
        return list(csv.DictReader(handle))


def _number(text: str) -> float:
    """A cell as a number: blank is missing; -1 is Fingertips' missing-value sentinel."""
    if text.strip() == "":
        return math.nan
    value = float(text)
    return math.nan if value == -1 else value


POLARITY = {"0": "lower", "1": "higher", "99": "none", "-1": "none"}


# --------------------------------------------------------------------------------------------
# Fingertips comparison and target cases
# --------------------------------------------------------------------------------------------

COMPARISONS = _rows("fingertips_comparisons.csv")
METHOD = {
    "single_overlapping_cis_95": "single_overlap",
    "double_overlapping_cis_95": "double_overlap",
    "single_overlapping_cis_95_998": "two_level",
    "spc_proportions": "spc_proportion",
    "spc_dsr": "spc_dsr",
}
# Fingertips' ConfidenceVariable: z for SPC proportions, one-sided p for SPC DSRs
CONFIDENCE = {"1.96": 0.95, "3.0902": 0.998, "0.025": 0.95, "0.001": 0.998}


def _fingertips_comparison(row: dict[str, str]) -> str:
    polarity = POLARITY[row["polarity_id"]]
    value = _number(row["data_value"])
    kind = row["comparer"]
    if kind in METHOD:
        method = METHOD[kind]
        kwargs: dict[str, Any] = {"polarity": polarity, "method": method}
        if method in ("single_overlap", "double_overlap", "two_level"):
            kwargs.update(lower=_number(row["data_lower95"]), upper=_number(row["data_upper95"]))
        if method == "double_overlap":
            kwargs.update(
                benchmark_lower=_number(row["benchmark_lower95"]),
                benchmark_upper=_number(row["benchmark_upper95"]),
            )
        if method == "two_level":
            kwargs.update(
                lower_998=_number(row["data_lower998"]), upper_998=_number(row["data_upper998"])
            )
        if method.startswith("spc"):
            column = "data_denominator" if method == "spc_proportion" else "data_denominator2"
            kwargs.update(
                denominator=_number(row[column]),
                per=float(row["unit_value"] or 1),
                confidence=CONFIDENCE[row["confidence_variable"]],
            )
        return str(compare(value, _number(row["benchmark_value"]), **kwargs))
    if kind == "range_target":
        goal: Any = (_number(row["target_lower_limit"]), _number(row["target_upper_limit"]))
        return str(compare_to_goal(value, goal, polarity))
    if kind == "single_value_target":
        goal = _number(row["target_lower_limit"])
        if row["use_cis_for_limit"] == "TRUE":
            return str(
                compare_to_goal(
                    value,
                    goal,
                    polarity,
                    lower=_number(row["data_lower95"]),
                    upper=_number(row["data_upper95"]),
                )
            )
        return str(compare_to_goal(value, goal, polarity))
    if kind == "percentile_range_target":
        goal = Interval(
            _number(row["lower_percentile_value"]), _number(row["upper_percentile_value"])
        )
        return str(compare_to_goal(value, goal, polarity))
    if kind == "previous_year_england_target":
        # polarity is not considered: judged higher-is-better (unless not applicable)
        judged = "none" if row["polarity_id"] == "-1" else "higher"
        return str(compare_to_goal(value, _number(row["benchmark_value"]), judged))
    raise AssertionError(f"unknown comparer {kind}")


def _expected(row: dict[str, str]) -> str:
    words = {"Same": "SIMILAR" if row["comparer"] in METHOD else "SAME", "None": "NOT_COMPARED"}
    return words.get(row["exp_significance"], row["exp_significance"].upper())


@pytest.mark.parametrize("row", COMPARISONS, ids=[r["case_id"] for r in COMPARISONS])
def test_fingertips_comparison_cases(row: dict[str, str]) -> None:
    assert _fingertips_comparison(row) == _expected(row)


def test_every_comparer_in_the_reference_file_is_covered() -> None:
    assert len(COMPARISONS) == 29
    assert {r["comparer"] for r in COMPARISONS} == {
        *METHOD,
        "range_target",
        "single_value_target",
        "percentile_range_target",
        "previous_year_england_target",
    }


def test_spc_proportion_limits_are_fingertips_formula() -> None:
    # ft_cmp_043: the 99.8% limits straddle the value, the 95% ones do not
    kwargs: dict[str, Any] = {"polarity": "lower", "denominator": 1339, "per": 100}
    value, benchmark = 10.9783420463032, 12.8379546895717
    assert compare(value, benchmark, method="spc_proportion", confidence=0.998, **kwargs) == (
        "SIMILAR"
    )
    assert compare(value, benchmark, method="spc_proportion", confidence=0.95, **kwargs) == (
        "BETTER"
    )


def test_spc_dsr_uses_poisson_limits_of_whole_counts() -> None:
    from scipy.special import gammainccinv, gammaincinv

    population, benchmark = 616282.0, 2.132708657734625
    expected = benchmark * population / 1e5  # 13.14 events
    low = gammaincinv(math.ceil(expected), 0.025) / population * 1e5
    high = gammainccinv(math.floor(expected) + 1, 0.025) / population * 1e5
    kwargs: dict[str, Any] = {"polarity": "none", "denominator": population, "per": 1e5}
    just = 1e-9
    assert compare(low - just, benchmark, method="spc_dsr", **kwargs) == "LOWER"
    assert compare(low + just, benchmark, method="spc_dsr", **kwargs) == "SIMILAR"
    assert compare(high + just, benchmark, method="spc_dsr", **kwargs) == "HIGHER"
    assert compare(high - just, benchmark, method="spc_dsr", **kwargs) == "SIMILAR"


# --------------------------------------------------------------------------------------------
# compare: the methods' rules
# --------------------------------------------------------------------------------------------


def test_single_overlap_is_inclusive_and_judged_by_polarity() -> None:
    value = np.array([3.3, 2.9, 2.9, 2.5])
    lower, upper = np.array([3.0, 2.5, 2.2, 2.2]), np.array([3.5, 3.0, 2.8, 2.8])
    higher = compare(value, 3.0, polarity="higher", lower=lower, upper=upper)
    lower_is_better = compare(value, 3.0, polarity="lower", lower=lower, upper=upper)
    none = compare(value, 3.0, polarity="none", lower=lower, upper=upper)
    assert higher.tolist() == ["SIMILAR", "SIMILAR", "WORSE", "WORSE"]
    assert lower_is_better.tolist() == ["SIMILAR", "SIMILAR", "BETTER", "BETTER"]
    assert none.tolist() == ["SIMILAR", "SIMILAR", "LOWER", "LOWER"]


def test_two_level_bands() -> None:
    lower, upper, lower_998, upper_998 = 2.5, 2.7, 2.3, 2.9
    benchmarks = np.array([2.6, 2.5, 2.4, 2.3, 2.2, 2.7, 2.8, 2.9, 3.0])
    got = compare(
        2.6,
        benchmarks,
        polarity="higher",
        lower=lower,
        upper=upper,
        lower_998=lower_998,
        upper_998=upper_998,
        method="two_level",
    )
    assert got.tolist() == [
        "SIMILAR",
        "SIMILAR",
        "BETTER",
        "BETTER",
        "BEST",
        "SIMILAR",
        "WORSE",
        "WORSE",
        "WORST",
    ]
    none = compare(
        2.6,
        benchmarks,
        polarity="none",
        lower=lower,
        upper=upper,
        lower_998=lower_998,
        upper_998=upper_998,
        method="two_level",
    )
    assert none[[4, 8]].tolist() == ["HIGHEST", "LOWEST"]


def test_change_between_two_periods_is_double_overlap_against_the_earlier() -> None:
    rows = [r for r in _rows("fingertips_trend.csv") if r["case_id"] == "ft_trend_07"]
    recent, previous = (next(r for r in rows if r["year"] == y) for y in ("recent", "previous"))
    got = compare(
        float(recent["value"]),
        float(previous["value"]),
        polarity="none",
        lower=float(recent["lower95"]),
        upper=float(recent["upper95"]),
        benchmark_lower=float(previous["lower95"]),
        benchmark_upper=float(previous["upper95"]),
        method="double_overlap",
    )
    assert recent["exp_marker"] == "NoChange"
    assert got == Significance.SIMILAR
    apart = compare(
        1.0,
        2.0,
        polarity="none",
        lower=0.9,
        upper=1.4,
        benchmark_lower=1.5,
        benchmark_upper=2.1,
        method="double_overlap",
    )
    assert apart == Significance.LOWER


def test_compare_needs_its_arguments() -> None:
    with pytest.raises(ScoringError, match="needs lower, upper"):
        compare(1.0, 2.0, polarity="higher")
    with pytest.raises(ScoringError, match="missing: benchmark_lower, benchmark_upper"):
        compare(1.0, 2.0, polarity="higher", lower=0.5, upper=1.5, method="double_overlap")
    with pytest.raises(ScoringError, match="method must be one of"):
        compare(1.0, 2.0, polarity="higher", lower=0.5, upper=1.5, method="overlap")  # type: ignore[call-overload]
    with pytest.raises(ScoringError, match=r"lower must be <= upper, got 2\.0 > 1\.0"):
        compare([1.0, 1.0], 2.0, polarity="higher", lower=[0.5, 2.0], upper=1.0)
    with pytest.raises(ScoringError, match=r"lower has shape \(3,\) and value has shape \(2,\)"):
        compare([1.0, 1.0], 2.0, polarity="higher", lower=[0.5, 0.5, 0.5], upper=1.5)
    with pytest.raises(ScoringError, match="benchmark must be a proportion"):
        compare(1.0, 120.0, polarity="higher", denominator=10, per=100, method="spc_proportion")


def test_spc_denominator_zero_or_missing_is_not_compared() -> None:
    got = compare(
        [10.0, 10.0, 10.0],
        12.0,
        polarity="higher",
        denominator=[0.0, np.nan, 50_000],
        per=100,
        method="spc_proportion",
    )
    assert got.tolist() == ["NOT_COMPARED", "NOT_COMPARED", "WORSE"]


@pytest.mark.parametrize("method", ["single_overlap", "double_overlap", "two_level"])
def test_compare_scalar_equals_vectorised(method: str) -> None:
    rng = np.random.default_rng(14)
    value = rng.uniform(0, 10, 50)
    half = rng.uniform(0.1, 2, 50)
    kwargs: dict[str, Any] = {
        "lower": value - half,
        "upper": value + half,
        "benchmark_lower": 4.0,
        "benchmark_upper": 6.0,
        "lower_998": value - 2 * half,
        "upper_998": value + 2 * half,
    }
    whole = compare(value, 5.0, polarity="lower", method=method, **kwargs)  # type: ignore[arg-type]
    for i in range(50):
        one = {k: (v[i] if isinstance(v, np.ndarray) else v) for k, v in kwargs.items()}
        single = compare(float(value[i]), 5.0, polarity="lower", method=method, **one)  # type: ignore[arg-type]
        assert isinstance(single, Significance)
        assert single == whole[i]


# --------------------------------------------------------------------------------------------
# compare_to_goal
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("polarity", "expected"),
    [
        ("higher", ["WORSE", "SAME", "SAME", "SAME", "BETTER", "BETTER"]),
        ("lower", ["BETTER", "SAME", "SAME", "SAME", "WORSE", "WORSE"]),
    ],
)
def test_range_goal_both_polarities_at_both_boundaries(polarity: str, expected: list[str]) -> None:
    # [low, high) is SAME whatever the polarity: the low end is inside, the high end outside
    values = [9.999, 10.0, 12.0, 14.999, 15.0, 20.0]
    assert compare_to_goal(values, (10.0, 15.0), polarity).tolist() == expected
    assert compare_to_goal(10.0, (10.0, 15.0), polarity) == Comparison.SAME
    assert compare_to_goal(15.0, (10.0, 15.0), polarity) == expected[-1]


def test_single_goal_equality_is_better_for_either_polarity() -> None:
    assert compare_to_goal([9.0, 10.0, 11.0], 10.0, "higher").tolist() == [
        "WORSE",
        "BETTER",
        "BETTER",
    ]
    assert compare_to_goal([9.0, 10.0, 11.0], 10.0, "lower").tolist() == [
        "BETTER",
        "BETTER",
        "WORSE",
    ]


def test_goal_with_interval_compares_the_interval() -> None:
    lower = np.array([8.0, 9.0, 10.0, 10.5])
    upper = np.array([9.0, 11.0, 12.0, 12.0])
    higher = compare_to_goal(0.0, 10.0, "higher", lower=lower, upper=upper)
    assert higher.tolist() == ["WORSE", "SAME", "BETTER", "BETTER"]
    lower_is_better = compare_to_goal(0.0, 10.0, "lower", lower=lower, upper=upper)
    assert lower_is_better.tolist() == ["BETTER", "SAME", "WORSE", "WORSE"]
    ranged = compare_to_goal(0.0, (9.5, 10.5), "higher", lower=lower, upper=upper)
    assert ranged.tolist() == ["WORSE", "SAME", "SAME", "BETTER"]


def test_goal_missing_or_no_judgement_is_not_compared() -> None:
    assert compare_to_goal([1.0, np.nan], 2.0, "higher").tolist() == ["WORSE", "NOT_COMPARED"]
    assert compare_to_goal(1.0, np.nan, "higher") == Comparison.NOT_COMPARED
    assert compare_to_goal(1.0, (np.nan, 3.0), "lower") == Comparison.NOT_COMPARED
    assert compare_to_goal([1.0, 5.0], 2.0, "none").tolist() == ["NOT_COMPARED"] * 2
    assert compare_to_goal(1.0, 2.0, "higher", lower=np.nan, upper=3.0) == "NOT_COMPARED"


def test_goal_arrays_and_errors() -> None:
    # one goal per area (a list is an array of goals, never a range) and per-area ranges
    assert compare_to_goal([1.0, 5.0], [2.0, 4.0], "higher").tolist() == ["WORSE", "BETTER"]
    ranged = compare_to_goal([1.0, 5.0], ([0.0, 6.0], [2.0, 8.0]), "higher")
    assert ranged.tolist() == ["SAME", "WORSE"]
    with pytest.raises(ScoringError, match="goal low must be <= goal high"):
        compare_to_goal(1.0, (3.0, 2.0), "higher")
    with pytest.raises(ScoringError, match="range goal"):
        compare_to_goal([1.0, 2.0, 3.0], [1.0, 2.0], "higher")
    with pytest.raises(ScoringError, match="both lower and upper"):
        compare_to_goal(1.0, 2.0, "higher", lower=0.5)
    with pytest.raises(ScoringError, match="value must be numbers"):
        compare_to_goal("Awaiting data", 2.0, "higher")  # type: ignore[call-overload]


def test_percentile_range_goal_is_fingertips_percentile() -> None:
    peers = np.arange(1.0, 51.0)
    low, high = percentile_range_goal(peers, 50, 90)
    # h = (N - 1) q + 1: 25.5 and 45.1
    assert (low, high) == (25.5, 45.1)
    # the quartile bounds are the same calculation
    assert percentile_range_goal(peers, 25, 75) == (13.25, 37.75)
    too_few = percentile_range_goal([1.0, 2.0, np.nan, 3.0], 50, 90)
    assert math.isnan(too_few.lower) and math.isnan(too_few.upper)
    assert compare_to_goal(2.0, too_few, "higher") == Comparison.NOT_COMPARED
    with pytest.raises(ScoringError, match="lower_percentile must be <= upper_percentile"):
        percentile_range_goal(peers, 90, 50)


# --------------------------------------------------------------------------------------------
# Fingertips quartile and quintile categories (outcomes.stats must keep agreeing)
# --------------------------------------------------------------------------------------------

CATEGORIES = _rows("fingertips_categories.csv")


def _values(text: str) -> list[float]:
    if ".." in text:
        start, end = text.split("..")
        return [float(v) for v in range(int(start), int(end) + 1)]
    return [float(v) for v in text.split(";")]


@pytest.mark.parametrize("row", CATEGORIES, ids=[r["case_id"] for r in CATEGORIES])
def test_fingertips_category_cases(row: dict[str, str]) -> None:
    k = 4 if row["kind"].startswith("quartile") else 5
    if row["kind"] == "quartile_bounds":
        bounds = quantile_bounds(_values(row["values"]), k, ndigits=10)
        assert bounds.tolist() == [float(b) for b in row["exp_bounds"].split(";")]
        return
    expected = int(row["exp_category"])
    if expected == 0:  # Fingertips' 0: too few values to categorise; outcomes raises instead
        values = [] if row["values"] == "(not set)" else _values(row["values"])
        with pytest.raises(OutcomesError, match="more than 3 values"):
            quantile_bounds(values if values else [np.nan], k, nan_policy="omit")
        return
    bounds = quantile_bounds(_values(row["values"]), k, ndigits=10)
    # quintiles are reversed where high is good; quartiles never are
    polarity = POLARITY[row["polarity_id"]] if k == 5 else None
    category = quantile_categories(float(row["query_value"]), bounds, polarity=polarity)
    assert int(category) == expected


# --------------------------------------------------------------------------------------------
# Recent trends
# --------------------------------------------------------------------------------------------

TREND_ROWS = _rows("fingertips_trend.csv")
TREND_CASES: dict[str, list[dict[str, str]]] = defaultdict(list)
for _row in TREND_ROWS:
    if _row["method"] == "chi_square_trend_5pts":
        TREND_CASES[_row["case_id"]].append(_row)


@pytest.mark.parametrize("case", sorted(TREND_CASES))
def test_fingertips_trend_cases(case: str) -> None:
    rows = sorted(TREND_CASES[case], key=lambda r: int(r["year"]))  # oldest first
    column = {
        k: np.array([float(r[k]) for r in rows])
        for k in ("count", "denominator", "value", "lower95", "upper95")
    }
    first = rows[0]
    method = (
        "cochran_armitage" if first["comparator_method"].startswith("SpcFor") else "ci_regression"
    )
    result = recent_trend(
        column["value"],
        column["lower95"],
        column["upper95"],
        polarity="higher",
        count=column["count"],
        denominator=column["denominator"],
        method=method,  # type: ignore[arg-type]
        year_range=int(first["year_range"]),
    )
    marker = Trend(str(result.marker))
    significant = marker not in (Trend.NO_SIGNIFICANT_CHANGE, Trend.CANNOT_BE_CALCULATED)
    assert significant == (first["exp_is_significant"] == "TRUE")
    if first["exp_marker"] == "CannotBeCalculated":
        assert marker is Trend.CANNOT_BE_CALCULATED
        # Fingertips shows 0 where the trend cannot be calculated; outcomes gives NaN
        assert math.isnan(float(result.chi_squared))
    elif first["exp_chi_square_2dp"]:
        assert float(result.chi_squared) == float(first["exp_chi_square_2dp"])
    if first["exp_message_nonempty"] == "TRUE":
        assert str(result.message) != "" and str(result.reason) != ""
    if significant:  # the values rise in every significant case
        assert marker is Trend.INCREASING_GETTING_BETTER


def test_trend_year_range_and_short_series_cannot_be_calculated() -> None:
    value = [20.0, 21.0, 22.0, 23.0, 24.0]
    lower = [v - 1 for v in value]
    upper = [v + 1 for v in value]
    three_years = recent_trend(value, lower, upper, polarity="higher", year_range=3)
    assert str(three_years.marker) == "CANNOT_BE_CALCULATED"
    assert str(three_years.reason) == "YEAR_RANGE"
    assert "year range" in str(three_years.message)
    short = recent_trend(value[:4], lower[:4], upper[:4], polarity="higher")
    assert str(short.marker) == "CANNOT_BE_CALCULATED"
    assert str(short.message) == "Not enough data points to calculate recent trend"


def test_trend_uses_the_unbroken_run_back_from_the_latest_period() -> None:
    rising = np.array([10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0])
    lower, upper = rising - 0.2, rising + 0.2
    values = np.stack([rising, rising, rising, rising])
    values[1, 1] = np.nan  # outside the last five: still calculated
    values[2, 3] = np.nan  # inside the last five: breaks the run
    values[3, -1] = np.nan  # the latest is missing
    result = recent_trend(values, lower, upper, polarity="lower")
    assert result.marker.tolist() == [
        "INCREASING_GETTING_WORSE",
        "INCREASING_GETTING_WORSE",
        "CANNOT_BE_CALCULATED",
        "CANNOT_BE_CALCULATED",
    ]
    assert np.isnan(result.chi_squared[2:]).all() and np.isfinite(result.chi_squared[:2]).all()
    assert result.message.tolist()[2] == (
        "Not enough data points with valid values to calculate recent trend"
    )
    assert result.label.tolist()[0] == "Increasing and getting worse"


def test_trend_leave_one_out_rule_blocks_an_outlier_driven_trend() -> None:
    # flat apart from one very precise high point at the end: chi-square is large, but
    # leaving that point out turns the slope negative, so Fingertips calls it no change
    value = np.array([10.0, 10.2, 10.1, 9.9, 14.0])
    half = np.array([0.5, 0.5, 0.5, 0.5, 0.05])
    result = recent_trend(value, value - half, value + half, polarity="higher")
    assert float(result.chi_squared) > 9.55
    assert str(result.marker) == "NO_SIGNIFICANT_CHANGE"


def test_trend_vectorised_equals_one_area_at_a_time() -> None:
    rng = np.random.default_rng(2014)
    value = rng.uniform(10, 30, (40, 7)).cumsum(axis=1) / np.arange(1, 8)
    half = rng.uniform(0.1, 3, (40, 7))
    whole = recent_trend(value, value - half, value + half, polarity="lower")
    for i in range(40):
        one = recent_trend(value[i], value[i] - half[i], value[i] + half[i], polarity="lower")
        assert str(one.marker) == whole.marker[i]
        assert np.array_equal(one.chi_squared, whole.chi_squared[i], equal_nan=True)


def test_trend_result_round_trips_through_json() -> None:
    result = recent_trend(
        [[1.0, 2, 3, 4, 5], [1, 1, 1, 1, np.nan]],
        [[0.5, 1.5, 2.5, 3.5, 4.5], [0.5] * 5],
        [[1.5, 2.5, 3.5, 4.5, 5.5], [1.5] * 5],
        polarity="none",
    )
    again = TrendResult.model_validate_json(result.model_dump_json())
    assert again == result
    assert result.marker.tolist() == ["INCREASING", "CANNOT_BE_CALCULATED"]


def test_trend_argument_errors() -> None:
    with pytest.raises(ScoringError, match="needs count and denominator"):
        recent_trend([1.0] * 5, None, None, polarity="higher", method="cochran_armitage")
    with pytest.raises(ScoringError, match="needs lower and upper"):
        recent_trend([1.0] * 5, None, None, polarity="higher")
    with pytest.raises(ScoringError, match="periods axis"):
        recent_trend(1.0, 0.5, 1.5, polarity="higher")
    with pytest.raises(ScoringError, match="points must be"):
        recent_trend([1.0] * 5, [0.5] * 5, [1.5] * 5, polarity="higher", points=2)
    with pytest.raises(ScoringError, match="count must be <= denominator"):
        recent_trend(
            [1.0] * 5,
            None,
            None,
            polarity="higher",
            count=[6] * 5,
            denominator=[5] * 5,
            method="cochran_armitage",
        )


LABELS = _rows("fingertips_trend_labels.csv")


@pytest.mark.parametrize("row", LABELS, ids=[r["case_id"] for r in LABELS])
def test_fingertips_trend_labels(row: dict[str, str]) -> None:
    trend = Trend.from_marker(row["marker"], POLARITY[row["polarity_id"]])
    assert trend.label == row["exp_label"]


def test_every_trend_member_has_a_label() -> None:
    labels = {t: t.label for t in Trend}
    assert labels[Trend.DECREASING_GETTING_BETTER] == "Decreasing and getting better"
    assert labels[Trend.INCREASING] == "Increasing"
    assert len(set(labels.values())) == len(Trend)


# --------------------------------------------------------------------------------------------
# Funnel plots (PHEindicatormethods test data)
# --------------------------------------------------------------------------------------------

FUNNEL_CASES = {r["case_id"]: r for r in _rows("funnel_cases.csv")}
FUNNEL_POINTS: dict[str, list[dict[str, str]]] = defaultdict(list)
for _row in _rows("funnel_points.csv"):
    FUNNEL_POINTS[_row["case_id"]].append(_row)
FUNNEL_LIMITS: dict[str, list[dict[str, str]]] = defaultdict(list)
for _row in _rows("funnel_limits.csv"):
    FUNNEL_LIMITS[_row["case_id"]].append(_row)


def _funnel_inputs(case: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[str, Any]]:
    rows = FUNNEL_POINTS[case]
    spec = FUNNEL_CASES[case]
    n, d, r = (
        np.array([_number(p[k]) for p in rows]) for k in ("numerator", "denominator", "rate")
    )
    kwargs: dict[str, Any] = {"statistic": spec["statistic"], "per": float(spec["multiplier"])}
    if spec["statistic"] == "rate":
        kwargs.update(rate=r, rate_type=spec["type_param"])
    return n, d, r, kwargs


@pytest.mark.parametrize("case", sorted(c for c in FUNNEL_CASES if c.startswith("funsig")))
def test_phe_funnel_significance_cases(case: str) -> None:
    n, d, _, kwargs = _funnel_inputs(case)
    got = funnel_significance(n, d, **kwargs)
    expected = [p["exp_significance"] for p in FUNNEL_POINTS[case]]
    assert len(expected) == int(FUNNEL_CASES[case]["n_rows"])
    assert [FunnelSignificance(g).label for g in got] == expected


# columns that PHE finds by a numerical (bisection) search: its own ~1e-4 relative tolerance
SEARCHED = {"ratio", "rate"}
COLUMNS = {
    "lower_2s": "lower_2s_limit",
    "upper_2s": "upper_2s_limit",
    "lower_3s": "lower_3s_limit",
    "upper_3s": "upper_3s_limit",
    "baseline": "baseline",
    "lower_2s_exp_events": "lower_2s_exp_events",
    "upper_2s_exp_events": "upper_2s_exp_events",
    "lower_3s_exp_events": "lower_3s_exp_events",
    "upper_3s_exp_events": "upper_3s_exp_events",
    "lower_2s_population_1_year": "lower_2s_population_1_year",
    "upper_2s_population_1_year": "upper_2s_population_1_year",
    "lower_3s_population_1_year": "lower_3s_population_1_year",
    "upper_3s_population_1_year": "upper_3s_population_1_year",
}
AXIS = {"proportion": "Population", "ratio": "Observed_events", "rate": "Events"}


@pytest.mark.parametrize("case", sorted(c for c in FUNNEL_CASES if c.startswith("funlim")))
def test_phe_funnel_limit_tables(case: str) -> None:
    n, d, _, kwargs = _funnel_inputs(case)
    spec = FUNNEL_CASES[case]
    if spec["statistic"] == "ratio":
        kwargs["ratio_type"] = spec["type_param"]
    if "years_of_data=3" in spec["note"]:
        kwargs["years_of_data"] = 3
    assert len(n) == int(spec["n_rows"])
    table = funnel_table(n, d, **kwargs)
    expected = FUNNEL_LIMITS[case]
    assert len(expected) == 100
    assert table[AXIS[spec["statistic"]]].tolist() == [float(r["x"]) for r in expected]
    tolerance = 1e-4 if spec["statistic"] in SEARCHED else 1e-6
    checked = 0
    for column, ours in COLUMNS.items():
        want = np.array([_number(r[column]) for r in expected])
        if np.isnan(want).all():
            assert ours not in table
            continue
        np.testing.assert_allclose(table[ours], want, rtol=tolerance, err_msg=column)
        checked += 1
    assert checked >= 5
    assert table["statistic"][0] == expected[0]["statistic"]
    assert table["method"][0] == expected[0]["method"]


def test_funnel_limits_agree_with_the_table_curves() -> None:
    n, d, _, kwargs = _funnel_inputs("funlim_ratio_isr")
    table = funnel_table(n, d, ratio_type="isr", **kwargs)
    for level, sigma in ((0.95, "2s"), (0.998, "3s")):
        at_lower = funnel_limits(
            table[f"lower_{sigma}_exp_events"], 100.0, statistic="ratio", per=100
        )[level].lower
        at_upper = funnel_limits(
            table[f"upper_{sigma}_exp_events"], 100.0, statistic="ratio", per=100
        )[level].upper
        np.testing.assert_allclose(at_lower, table[f"lower_{sigma}_limit"], rtol=1e-8)
        np.testing.assert_allclose(at_upper, table[f"upper_{sigma}_limit"], rtol=1e-8)


def test_funnel_proportion_limits_are_where_the_wilson_interval_reaches_the_target() -> None:
    from outcomes.stats import wilson

    population = np.array([20.0, 300.0, 12_000.0])
    limits = funnel_limits(population, 30.0, statistic="proportion", per=100)
    low, high = limits[0.95]
    # an observed proportion on the lower limit has the target on its Wilson upper bound
    _, upper_bound = wilson(low / 100 * population, population, 0.95)
    np.testing.assert_allclose(upper_bound, 0.30, rtol=1e-12)
    lower_bound, _ = wilson(high / 100 * population, population, 0.95)
    np.testing.assert_allclose(lower_bound, 0.30, rtol=1e-12)


def test_funnel_dsr_below_ten_events_is_not_applicable() -> None:
    got = funnel_significance(
        [5, 0, 50, 500],
        None,
        statistic="rate",
        rate=[100.0, 0.0, 120.0, 90.0],
        rate_type="dsr",
        per=1e5,
    )
    assert got.tolist()[:2] == ["NOT_APPLICABLE", "NOT_APPLICABLE"]
    assert FunnelSignificance.NOT_APPLICABLE.label == "Not applicable"


def test_funnel_missing_rows_are_not_applicable_and_left_out_of_the_pool() -> None:
    n = np.array([40.0, 60.0, np.nan, 500.0])
    d = np.array([100.0, 100.0, 100.0, 1000.0])
    with_gap = funnel_significance(n, d, statistic="proportion", per=100)
    without = funnel_significance(n[[0, 1, 3]], d[[0, 1, 3]], statistic="proportion", per=100)
    assert with_gap[2] == "NOT_APPLICABLE"
    assert with_gap[[0, 1, 3]].tolist() == without.tolist()


def test_funnel_target_and_errors() -> None:
    # against a given target instead of the pooled value
    assert funnel_significance(60, 100, statistic="proportion", per=100, target=40.0) == (
        "HIGH_99.8"
    )
    assert funnel_significance(60, 100, statistic="proportion", per=100, target=60.0) == (
        "NOT_SIGNIFICANT"
    )
    with pytest.raises(ScoringError, match="numerator must be <= denominator"):
        funnel_significance([5, 12], [10, 10], statistic="proportion")
    with pytest.raises(ScoringError, match="denominator must be > 0"):
        funnel_significance([5, 1], [10, 0], statistic="proportion")
    with pytest.raises(ScoringError, match="numerator must be >= 0"):
        funnel_significance([5, -1], [10, 10], statistic="ratio")
    with pytest.raises(ScoringError, match="needs the rate"):
        funnel_significance([5, 1], [10, 10], statistic="rate", rate_type="dsr")
    with pytest.raises(ScoringError, match="statistic must be one of"):
        funnel_significance([5, 1], [10, 10], statistic="mean")  # type: ignore[call-overload]
    with pytest.raises(ScoringError, match="ratio_type must be one of"):
        funnel_table([5, 1], [10, 10], statistic="ratio")


def test_r_nchar_quirk_of_the_axis() -> None:
    from outcomes.benchmark.funnels import _axis_ceiling, _axis_floor, _r_nchar

    assert [_r_nchar(x) for x in (95, 100000, 110000, 1e6, 1200000, 123000000)] == [
        2,
        5,
        6,
        5,
        7,
        8,
    ]
    assert _axis_floor(105264.0) == 100000.0
    assert _axis_ceiling(104761.0) == 110000.0
    assert _axis_ceiling(104762.0) == 120000.0


# --------------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------------

finite = st.floats(-1e6, 1e6, allow_nan=False)
SWAP = {"BETTER": "WORSE", "WORSE": "BETTER", "BEST": "WORST", "WORST": "BEST"}
NEUTRAL = {"BETTER": "HIGHER", "WORSE": "LOWER", "BEST": "HIGHEST", "WORST": "LOWEST"}


@settings(max_examples=150, deadline=None)
@given(
    value=finite,
    benchmark=finite,
    spread=st.tuples(*(st.floats(0, 1e3, allow_nan=False),) * 4),
    method=st.sampled_from(["single_overlap", "double_overlap", "two_level"]),
)
def test_polarity_only_names_the_direction(
    value: float, benchmark: float, spread: tuple[float, ...], method: str
) -> None:
    a, b, c, e = spread
    kwargs: dict[str, Any] = {
        "lower": value - a,
        "upper": value + b,
        "lower_998": value - a - c,
        "upper_998": value + b + e,
        "benchmark_lower": benchmark - c,
        "benchmark_upper": benchmark + e,
        "method": method,
    }
    higher = str(compare(value, benchmark, polarity="higher", **kwargs))
    lower = str(compare(value, benchmark, polarity="lower", **kwargs))
    none = str(compare(value, benchmark, polarity="none", **kwargs))
    assert lower == SWAP.get(higher, higher)
    assert none == NEUTRAL.get(higher, higher)
    if kwargs["lower"] <= benchmark <= kwargs["upper"]:
        assert higher == "SIMILAR"


@settings(max_examples=100, deadline=None)
@given(
    population=st.floats(1, 1e7, allow_nan=False),
    target=st.floats(0, 100, allow_nan=False),
    statistic=st.sampled_from(["proportion", "ratio", "rate"]),
)
def test_funnel_limits_nest_around_the_target(
    population: float, target: float, statistic: str
) -> None:
    limits = funnel_limits(population, target, statistic=statistic, per=100)  # type: ignore[arg-type]
    low2, high2 = limits[0.95]
    low3, high3 = limits[0.998]
    slack = 1e-9 * max(target, 1.0)
    assert 0 <= low3 <= low2 + slack
    assert low2 <= target + slack and target <= high2 + slack
    assert high2 <= high3 + slack


@settings(max_examples=100, deadline=None)
@given(
    value=hnp.arrays(np.float64, 6, elements=st.floats(1, 1e4, allow_nan=False)),
    half=hnp.arrays(np.float64, 6, elements=st.floats(0.01, 1e3, allow_nan=False)),
)
def test_reversing_time_reverses_the_trend(value: np.ndarray, half: np.ndarray) -> None:
    # Fingertips counts a slope of exactly 0 as non-negative, which breaks the symmetry only
    # for tied values such as [1, 1, 1, 64, 1, 1]
    assume(len(np.unique(value)) == len(value))
    forward = recent_trend(value, value - half, value + half, polarity="higher")
    backward = recent_trend(
        value[::-1], (value - half)[::-1], (value + half)[::-1], polarity="higher", points=6
    )
    forward6 = recent_trend(value, value - half, value + half, polarity="higher", points=6)
    flip = {
        "INCREASING_GETTING_BETTER": "DECREASING_GETTING_WORSE",
        "DECREASING_GETTING_WORSE": "INCREASING_GETTING_BETTER",
    }
    assert str(backward.marker) == flip.get(str(forward6.marker), str(forward6.marker))
    np.testing.assert_allclose(backward.chi_squared, forward6.chi_squared, atol=0.011)
    assert str(forward.marker) in {t.value for t in Trend}


# --------------------------------------------------------------------------------------------
# Fuzz: NaN, infinities, zero, negatives, huge and tiny numbers, wrong shapes, wrong text
# --------------------------------------------------------------------------------------------

weird_float = st.one_of(
    st.sampled_from(
        [0.0, -0.0, -1.0, 1e-300, -1e-300, 1e300, -1e300, math.nan, math.inf, -math.inf]
    ),
    st.floats(allow_nan=True, allow_infinity=True),
)
weird = st.one_of(
    weird_float,
    st.lists(weird_float, min_size=0, max_size=4),
    st.lists(st.lists(weird_float, min_size=5, max_size=5), min_size=1, max_size=2),
    st.sampled_from(["", "higher", "Awaiting data", None]),
)
SIG = {s.value for s in Significance}
GOAL = {c.value for c in Comparison}
FUN = {f.value for f in FunnelSignificance}


def _run(func: Any) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            return func()
        except OutcomesError:
            return None


@settings(max_examples=200, deadline=None)
@given(
    args=st.fixed_dictionaries(
        {
            k: weird
            for k in (
                "value",
                "benchmark",
                "lower",
                "upper",
                "benchmark_lower",
                "benchmark_upper",
                "lower_998",
                "upper_998",
                "denominator",
            )
        }
    ),
    method=st.sampled_from(
        ["single_overlap", "double_overlap", "two_level", "spc_proportion", "spc_dsr", "x"]
    ),
    polarity=st.sampled_from(["higher", "lower", "none", "sideways"]),
    per=st.sampled_from([1, 100, 1e5, 0, -1, math.nan]),
    confidence=st.sampled_from([0.95, 0.998, 1.0, 95, math.nan]),
)
def test_fuzz_compare(
    args: dict[str, Any], method: str, polarity: str, per: float, confidence: float
) -> None:
    out = _run(
        lambda: compare(
            args.pop("value"),
            args.pop("benchmark"),
            polarity=polarity,
            per=per,
            confidence=confidence,
            method=method,
            **args,  # type: ignore[arg-type]
        )
    )
    if out is not None:
        assert set(np.asarray(out).ravel().tolist()) <= SIG


@settings(max_examples=200, deadline=None)
@given(
    value=weird,
    low=weird,
    high=weird,
    lower=weird,
    upper=weird,
    ranged=st.booleans(),
    interval=st.booleans(),
    polarity=st.sampled_from(["higher", "lower", "none", "up"]),
)
def test_fuzz_compare_to_goal(
    value: Any,
    low: Any,
    high: Any,
    lower: Any,
    upper: Any,
    ranged: bool,
    interval: bool,
    polarity: str,
) -> None:
    goal = (low, high) if ranged else low
    extra = {"lower": lower, "upper": upper} if interval else {}
    out = _run(lambda: compare_to_goal(value, goal, polarity, **extra))
    if out is not None:
        assert set(np.asarray(out).ravel().tolist()) <= GOAL


@settings(max_examples=200, deadline=None)
@given(
    numerator=weird,
    denominator=weird,
    rate=weird,
    statistic=st.sampled_from(["proportion", "ratio", "rate", "mean"]),
    rate_type=st.sampled_from(["crude", "dsr", "isr"]),
    target=st.sampled_from([None, 0.0, 50.0, -1.0, math.nan, math.inf, 1e300]),
    per=st.sampled_from([1, 100, 1e5, 0]),
)
def test_fuzz_funnels(
    numerator: Any,
    denominator: Any,
    rate: Any,
    statistic: str,
    rate_type: str,
    target: Any,
    per: float,
) -> None:
    out = _run(
        lambda: funnel_significance(
            numerator,
            denominator,
            statistic=statistic,
            target=target,
            per=per,
            rate=rate,  # type: ignore[arg-type]
            rate_type=rate_type,  # type: ignore[arg-type]
        )
    )
    if out is not None:
        assert set(np.asarray(out).ravel().tolist()) <= FUN
    limits = _run(
        lambda: funnel_limits(denominator, target, statistic=statistic, per=per)  # type: ignore[arg-type]
    )
    if limits is not None:
        for low, high in limits.values():
            assert np.isfinite(low).all() and np.isfinite(high).all()
            assert (np.asarray(low) <= np.asarray(high)).all()
    table = _run(
        lambda: funnel_table(
            numerator,
            denominator,
            statistic=statistic,
            per=per,
            rate=rate,  # type: ignore[arg-type]
            rate_type=rate_type,
            ratio_type="isr",
            points=10,  # type: ignore[arg-type]
        )
    )
    if table is not None:
        for name, column in table.items():
            if column.dtype.kind == "f":
                assert np.isfinite(column).all(), name


@settings(max_examples=200, deadline=None)
@given(
    value=weird,
    lower=weird,
    upper=weird,
    count=weird,
    denominator=weird,
    method=st.sampled_from(["ci_regression", "cochran_armitage", "loess"]),
    points=st.sampled_from([3, 5, 2, 0]),
    year_range=st.sampled_from([1, 3, 0]),
)
def test_fuzz_recent_trend(
    value: Any,
    lower: Any,
    upper: Any,
    count: Any,
    denominator: Any,
    method: str,
    points: int,
    year_range: int,
) -> None:
    out = _run(
        lambda: recent_trend(
            value,
            lower,
            upper,
            polarity="higher",
            count=count,
            denominator=denominator,
            method=method,
            points=points,
            year_range=year_range,  # type: ignore[arg-type]
        )
    )
    if out is not None:
        markers = np.asarray(out.marker)
        assert set(markers.ravel().tolist()) <= {t.value for t in Trend}
        cannot = markers == Trend.CANNOT_BE_CALCULATED.value
        assert np.isfinite(out.chi_squared[~cannot]).all()
        assert np.isnan(out.chi_squared[cannot]).all()
        assert (np.asarray(out.reason)[cannot] != "").all()
        assert (np.asarray(out.reason)[~cannot] == "").all()


def test_compare_reproduces_a_real_fingertips_export() -> None:
    # every "Compared to England value" of an unmodified Fingertips export (indicator 93356,
    # campylobacter per 100,000, RAG low is good, 95% CIs overlapping the England value)
    rows = _rows("fingertips_93356_campylobacter_utla_2015_2017.csv")
    england = {
        (r["Time period"], r["Age"]): _number(r["Value"])
        for r in rows
        if r["Area Type"] == "Country" and not r["Category Type"]
    }
    areas = [r for r in rows if r["Area Type"] != "Country"]
    got = compare(
        [_number(r["Value"]) for r in areas],
        [england[(r["Time period"], r["Age"])] for r in areas],
        polarity="RAG - Low is good",
        lower=[_number(r["Lower CI 95.0 limit"]) for r in areas],
        upper=[_number(r["Upper CI 95.0 limit"]) for r in areas],
    )
    expected = [
        r["Compared to England value or percentiles"].upper().replace(" ", "_") for r in areas
    ]
    assert len(areas) == 787
    assert got.tolist() == expected
    assert {"BETTER", "SIMILAR", "WORSE", "NOT_COMPARED"} <= set(expected)


def test_benchmarking_page_examples_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import re

    pytest.importorskip("matplotlib")
    page = Path(__file__).parent.parent / "docs" / "benchmarking.md"
    blocks = re.findall(r"```python\n(.*?)```", page.read_text(), flags=re.DOTALL)
    assert len(blocks) >= 5
    monkeypatch.chdir(tmp_path)
    for block in blocks:
        exec(compile(block, str(page), "exec"), {})


@settings(max_examples=100, deadline=None)
@given(
    value=hnp.arrays(np.float64, 8, elements=st.one_of(st.floats(-100, 100), st.just(math.nan))),
    low=st.floats(-50, 50, allow_nan=False),
    width=st.floats(0, 50, allow_nan=False),
    half=st.floats(0, 10, allow_nan=False),
    ranged=st.booleans(),
    interval=st.booleans(),
    polarity=st.sampled_from(["higher", "lower", "none"]),
)
def test_goal_scalar_equals_vectorised(
    value: np.ndarray,
    low: float,
    width: float,
    half: float,
    ranged: bool,
    interval: bool,
    polarity: str,
) -> None:
    goal: Any = (low, low + width) if ranged else low
    extra = {"lower": value - half, "upper": value + half} if interval else {}
    whole = compare_to_goal(value, goal, polarity, **extra)
    for i, v in enumerate(value):
        one = {k: float(a[i]) for k, a in extra.items()}
        single = compare_to_goal(float(v), goal, polarity, **one)
        assert isinstance(single, Comparison)
        assert single == whole[i]
    # the range's low end is inside, whatever the polarity
    if ranged and low + width > low and polarity != "none":
        assert compare_to_goal(low, goal, polarity) == "SAME"


@settings(max_examples=60, deadline=None)
@given(
    numerator=hnp.arrays(np.float64, 6, elements=st.floats(0, 500, allow_nan=False)),
    extra=hnp.arrays(np.float64, 6, elements=st.floats(1, 5000, allow_nan=False)),
    statistic=st.sampled_from(["proportion", "ratio", "rate"]),
)
def test_funnel_scalar_equals_vectorised(
    numerator: np.ndarray, extra: np.ndarray, statistic: str
) -> None:
    denominator = numerator + extra
    target = 30.0
    whole = funnel_significance(numerator, denominator, statistic=statistic, per=100, target=target)  # type: ignore[call-overload]
    for i in range(6):
        single = funnel_significance(
            float(numerator[i]),
            float(denominator[i]),
            statistic=statistic,
            per=100,
            target=target,  # type: ignore[call-overload]
        )
        assert isinstance(single, FunnelSignificance)
        assert single == whole[i]


# ---------------------------------------------------------------- joined to the rest


def test_area_profile_of_a_real_export_matches_its_own_verdicts() -> None:
    from outcomes.io import read_fingertips
    from outcomes.workflow import area_profile

    path = "tests/data/fingertips_93356_campylobacter_utla_2015_2017.csv"
    # campylobacter incidence: Fingertips judges it "RAG - Low is good"
    profile = area_profile(
        path, period="2017", area_type="County & UA", age="All ages", polarity="lower"
    )
    data = read_fingertips(path).select(period="2017", area_type="County & UA", age="All ages")
    published = dict(
        zip(
            data.columns["area_code"].tolist(),
            data.columns["compared_to_england"].tolist(),
            strict=True,
        )
    )
    words = {
        "Better": "BETTER",
        "Worse": "WORSE",
        "Similar": "SIMILAR",
        "": "NOT_COMPARED",
        "Not compared": "NOT_COMPARED",
    }
    for code, verdict in zip(profile.codes, profile.significance.tolist(), strict=True):
        assert words.get(published[code], published[code]) == verdict, code
    assert profile.counts() == {"BETTER": 55, "NOT_COMPARED": 2, "SIMILAR": 36, "WORSE": 59}
    # the export has only 95% limits: 99.8% ones are computed from the counts
    wide = area_profile(
        path, period="2017", area_type="County & UA", age="All ages", level=0.998, polarity="lower"
    )
    assert "computed" in wide.limits and wide.counts()["SIMILAR"] > 36
    assert set(wide.significance.tolist()) <= {"BETTER", "WORSE", "SIMILAR", "NOT_COMPARED"}
    # three years cannot show a five-point trend
    assert set(profile.trend.tolist()) == {"CANNOT_BE_CALCULATED"}
    no_judgement = area_profile(path, period="2017", area_type="County & UA", age="All ages")
    assert no_judgement.counts() == {"HIGHER": 59, "LOWER": 55, "NOT_COMPARED": 2, "SIMILAR": 36}


def test_area_profile_trend_on_a_constructed_export(tmp_path: Path) -> None:
    import csv

    from outcomes.io.fingertips import FINGERTIPS_COLUMNS
    from outcomes.workflow import area_profile

    header = list(FINGERTIPS_COLUMNS)
    rows = []
    for year in range(2012, 2018):
        for code, name, kind, value in (
            ("E92000001", "England", "England", 100.0),
            ("E06000001", "Rising", "County & UA", 100.0 + 12 * (year - 2012)),
            ("E06000002", "Flat", "County & UA", 100.0),
            ("E06000003", "Falling", "County & UA", 140.0 - 9 * (year - 2012)),
        ):
            row = dict.fromkeys(header, "")
            row.update(
                {
                    "Indicator ID": "1",
                    "Indicator Name": "Test rate",
                    "Area Code": code,
                    "Area Name": name,
                    "Area Type": kind,
                    "Sex": "Persons",
                    "Age": "All ages",
                    "Time period": str(year),
                    "Time period Sortable": f"{year}0000",
                    "Value": f"{value:.1f}",
                    "Lower CI 95.0 limit": f"{value - 4:.1f}",
                    "Upper CI 95.0 limit": f"{value + 4:.1f}",
                    "Count": f"{value * 100:.0f}",
                    "Denominator": "100000",
                }
            )
            rows.append(row)
    path = tmp_path / "export.csv"
    with open(path, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)
    profile = area_profile(str(path), period="2017", area_type="County & UA", polarity="lower")
    trend = dict(zip(profile.names, profile.trend.tolist(), strict=True))
    assert trend == {
        "Rising": "INCREASING_GETTING_WORSE",
        "Flat": "NO_SIGNIFICANT_CHANGE",
        "Falling": "DECREASING_GETTING_BETTER",
    }
    significance = dict(zip(profile.names, profile.significance.tolist(), strict=True))
    assert significance == {"Rising": "WORSE", "Flat": "SIMILAR", "Falling": "BETTER"}


def test_benchmark_command_writes_the_profile_and_a_funnel(tmp_path: Path) -> None:
    pytest.importorskip("openpyxl")
    pytest.importorskip("matplotlib")
    from openpyxl import load_workbook

    from outcomes.cli import main

    book, chart = tmp_path / "profile.xlsx", tmp_path / "funnel.svg"
    code = main(
        [
            "benchmark",
            "tests/data/fingertips_93356_campylobacter_utla_2015_2017.csv",
            "--period",
            "2017",
            "--area-type",
            "County & UA",
            "--age",
            "All ages",
            "-o",
            str(book),
            "--chart",
            str(chart),
        ]
    )
    assert code == 0
    sheet = load_workbook(book).active
    assert sheet["H1"].value == "compared with England" and sheet.max_row == 153
    assert "Population" in chart.read_text()
    # an ambiguous selection says what to choose
    assert (
        main(
            [
                "benchmark",
                "tests/data/fingertips_93356_campylobacter_utla_2015_2017.csv",
                "--period",
                "2016",
                "--area-type",
                "County & UA",
            ]
        )
        == 1
    )


def test_score_carries_significance_against_the_benchmark_beside_its_verdict() -> None:
    from outcomes import hold, score

    t = hold([100.0, 100.0], start="2013/14", end="2014/15", polarity="lower", unit="per_100000")
    s = score(
        t,
        [[90.0], [99.0]],
        lower=[[85.0], [94.0]],
        upper=[[95.0], [104.0]],
        benchmark=[[97.0], [97.0]],
    )
    assert s.rag.tolist() == [["GREEN"], ["GREEN"]]
    assert s.significance.tolist() == [["BETTER"], ["SIMILAR"]]
    no_interval = score(t, [[90.0], [99.0]], benchmark=97.0)
    assert no_interval.significance.tolist() == [["NOT_COMPARED"], ["NOT_COMPARED"]]


# --------------------------------------------------------------------------------------------
# regressions found by tests/test_fuzz.py (issue 12): typed errors, never numpy's or Python's
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: funnel_limits(1.0, 1.0, statistic="proportion", per=10**400), "per must be"),
        (lambda: funnel_limits(1.0, 0.5, statistic="rate", years_of_data=10**400), "years_of"),
        (lambda: percentile_range_goal(range(10), 10**400, 90), "lower_percentile"),
        (lambda: funnel_table([1, 2], [10, 20], statistic="proportion", points=10**400), "points"),
        (lambda: funnel_table([1, 2], [10, 20], statistic="proportion", points=10**6), "points"),
    ],
)
def test_huge_arguments_are_refused(call: Any, message: str) -> None:
    with pytest.raises(ScoringError, match=message):
        call()


def test_funnel_ratio_uses_the_exact_limits_of_a_fractional_count() -> None:
    # below 10 events the funnel compares with the exact Poisson limits of the count itself,
    # as poisson_exact gives them (a fraction below 1 once got the limits of 1 event)
    from outcomes.stats import poisson_exact

    counts = np.array([0.3, 0.5, 2.5, 7.0, 12.0])
    expected = np.array([0.001, 0.01, 0.6, 2.0, 5.0])
    lo, hi = poisson_exact(counts, 0.95)
    got = funnel_significance(counts, expected, statistic="ratio")
    outside = (lo / expected > 1) | (hi / expected < 1)
    assert ((got != "NOT_SIGNIFICANT") == outside).all()
    assert got[0] == "NOT_SIGNIFICANT"
