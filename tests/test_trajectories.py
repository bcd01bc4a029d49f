"""Trajectory rules: worked examples from the 2014 guidance and plans, invariants, bad input."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import outcomes
from outcomes import PeriodError, Trajectory, TrajectoryError
from outcomes.periods import CalendarYear, FinancialYear
from outcomes.testing import RuleCase, assert_trajectory_invariants, baselines, rule_cases
from outcomes.trajectories import (
    composite,
    hold,
    national_or_quantile,
    percentage_change,
    phase,
    quantile_step,
    reach_national,
    to_target,
)

PLAN_YEARS = ["2014/15", "2015/16", "2016/17", "2017/18", "2018/19"]


# ---------------------------------------------------------------- worked examples


def test_qp_pyll_expectation_is_a_15_percent_fall_over_five_years() -> None:
    # 3.2% a year compounded over 2014/15-2018/19: 0.968^5 = 0.850 (a 15.0% fall)
    t = percentage_change(100.0, -0.032, start="2013/14", end="2018/19", polarity="lower")
    assert [str(p) for p in t.periods] == PLAN_YEARS
    assert round(float(t["2018/19"]) / 100.0, 3) == 0.850
    assert round(float(t.change().relative[-1]), 3) == -0.150
    assert t.rounded(2).values.tolist() == [96.8, 93.7, 90.7, 87.8, 84.99]


def test_calendar_baseline_counts_elapsed_years() -> None:
    # England's 2013 PYLL was 2027.4; from calendar 2013, 2014/15 is one step, 2018/19 five
    t = percentage_change(2027.4, -0.032, start="2013", periods=PLAN_YEARS)
    assert t.start == CalendarYear(2013)
    np.testing.assert_allclose(t.values, 2027.4 * 0.968 ** np.arange(1, 6))
    from_2012 = percentage_change(2027.4, -0.032, start="2012", periods=PLAN_YEARS)
    np.testing.assert_allclose(from_2012.values, 2027.4 * 0.968 ** np.arange(2, 7))


def test_plan_year_indexing_starts_at_one_whatever_the_baseline() -> None:
    t = percentage_change(1000.0, -0.1, start="2012", periods=PLAN_YEARS, indexing="plan-year")
    np.testing.assert_allclose(t.values, 1000.0 * 0.9 ** np.arange(1, 6))


def test_simple_and_compound_differ() -> None:
    simple = percentage_change(1000.0, -0.05, start="2013/14", end="2018/19", compound=False)
    assert simple.values.tolist() == pytest.approx([950, 900, 850, 800, 750])
    compound = percentage_change(1000.0, -0.05, start="2013/14", end="2018/19")
    assert compound.values[-1] == pytest.approx(1000 * 0.95**5)


def test_west_essex_eq5d_row_one_point_a_year() -> None:
    # WE ambition 2: 74.2 (12/13) -> 75, 76, 77, 78, 79 (18/19); "1%" meant one point a year.
    t = to_target(
        74.2,
        79.0,
        start="2012/13",
        end="2018/19",
        periods=PLAN_YEARS,
        indexing="plan-year",
        polarity="higher",
        unit="eq5d_x100",
    )
    assert t.rounded(0).values.tolist() == [75.0, 76.0, 77.0, 78.0, 79.0]
    # counted by elapsed years instead, the first step would be double and print 76
    elapsed = to_target(74.2, 79.0, start="2012/13", end="2018/19", periods=PLAN_YEARS)
    assert elapsed.rounded(0).values[0] == 76.0


def test_linear_from_a_2012_baseline_makes_the_first_step_double() -> None:
    # WE inpatient row: a 2012 survey baseline, linear to 2018/19 by elapsed years
    t = to_target(12.0, 6.0, start="2012", end="2018/19", periods=PLAN_YEARS)
    steps = np.diff(np.concatenate([[12.0], t.values]))
    assert steps[0] == pytest.approx(2 * steps[1])
    assert t["2018/19"] == 6.0


def test_back_loaded_shares_as_published() -> None:
    # WE GP/OOH row: steps of 0.1, 0.2, 0.2, 0.3, 0.4 per 100 patients
    shares = np.cumsum([1, 2, 2, 3, 4]) / 12
    t = to_target(7.2, 6.0, start="2012", end="2018/19", periods=PLAN_YEARS, profile=list(shares))
    assert t.rounded(1).values.tolist() == [7.1, 6.9, 6.7, 6.4, 6.0]


def test_named_profiles_formulae() -> None:
    kw = {"start": "2013/14", "end": "2017/18"}
    assert to_target(100.0, 0.0, profile="linear", **kw).values.tolist() == [75, 50, 25, 0]
    assert to_target(100.0, 0.0, profile="front-loaded", **kw).values.tolist() == pytest.approx(
        [100 * (1 - x) ** 2 for x in (0.25, 0.5, 0.75, 1.0)]
    )
    assert to_target(100.0, 0.0, profile="back-loaded", **kw).values.tolist() == pytest.approx(
        [100 - 100 * x**2 for x in (0.25, 0.5, 0.75, 1.0)]
    )
    geo = to_target(100.0, 50.0, profile="geometric", **kw).values
    ratios = geo / np.concatenate([[100.0], geo[:-1]])
    np.testing.assert_allclose(ratios, ratios[0])


def test_quantile_step_on_real_pyll(pyll_2013: np.ndarray) -> None:
    t = quantile_step(pyll_2013, pyll_2013, polarity="lower", start="2013", end="2018/19")
    bounds = np.array(t.rule.parameters["bounds"])
    q1, median, q3 = bounds[1:4]
    worst = pyll_2013 > q3
    np.testing.assert_allclose(t.target[worst], q3)  # worst quartile -> into the third
    third = (pyll_2013 > median) & (pyll_2013 <= q3)
    np.testing.assert_allclose(t.target[third], median)
    best = pyll_2013 <= q1
    np.testing.assert_array_equal(t.target[best], pyll_2013[best])  # already best: hold
    assert_trajectory_invariants(t)


def test_quantile_step_quintiles_middle_and_two_steps() -> None:
    peers = np.arange(1.0, 101.0)  # quintile bounds 1, 20.8, 40.6, 60.4, 80.2, 100
    t = quantile_step(
        90.0,
        peers,
        polarity="lower",
        start="2013/14",
        end="2018/19",
        quantiles=5,
        steps=2,
        aim="middle",
    )
    assert float(t.target) == pytest.approx((40.6 + 60.4) / 2)
    t = quantile_step(
        10.0, peers, polarity="higher", start="2013/14", end="2018/19", quantiles=5, steps=9
    )
    assert float(t.target) == pytest.approx(80.2)  # clipped at the best band's entry


def test_quantile_step_each_organisation_its_own_peers() -> None:
    peers = np.array([[10.0, 20.0, 30.0, 40.0, 50.0], [100.0, 200.0, 300.0, 400.0, 500.0]])
    t = quantile_step([45.0, 450.0], peers, polarity="lower", start="2013/14", end="2014/15")
    assert t.target.tolist() == [40.0, 400.0]
    with pytest.raises(TrajectoryError, match="one row per baseline"):
        quantile_step([1.0, 2.0, 3.0], peers, polarity="lower", start="2013/14", end="2014/15")


def test_reach_national_and_hybrid() -> None:
    t = reach_national([120.0, 80.0], 100.0, polarity="lower", start="2013/14", end="2015/16")
    assert t.values.tolist() == [[110.0, 100.0], [80.0, 80.0]]
    t = reach_national([60.0, 80.0], 70.0, polarity="higher", start="2013/14", end="2015/16")
    assert t.target.tolist() == [70.0, 80.0]
    peers = [10.0, 20.0, 30.0, 40.0, 50.0]
    hybrid = national_or_quantile(
        [35.0, 25.0, 30.0], peers, 30.0, polarity="lower", start="2013/14", end="2014/15"
    )
    assert hybrid.target.tolist() == [30.0, 20.0, 20.0]  # equal to national is not worse


def test_hold_and_phase() -> None:
    assert hold(310.0, start="2014/15", periods=["2015/16"]).values.tolist() == [310.0]
    parts = phase(np.array([1234.5, 99.99]), [0.27, 0.24, 0.23, 0.26], ndigits=1)
    assert parts.sum(axis=-1).round(1).tolist() == [1234.5, 100.0]


@given(
    st.floats(0, 1e6), st.lists(st.floats(0.01, 1.0), min_size=2, max_size=12), st.integers(0, 3)
)
def test_phased_parts_add_up_to_the_rounded_year(
    annual: float, raw: list[float], ndigits: int
) -> None:
    shares = np.array(raw) / np.sum(raw)
    shares[-1] = 1.0 - shares[:-1].sum()
    if shares[-1] < 0:
        return
    parts = phase(annual, shares, ndigits=ndigits)
    expected = outcomes._arrays.round_half_up(annual, ndigits)
    assert round(float(parts.sum()) * 10**ndigits) == round(expected * 10**ndigits)
    assert np.all(np.abs(parts - annual * shares) <= 10.0**-ndigits + 1e-9)


def test_composite_of_the_four_admission_rates() -> None:
    parts = [
        percentage_change(
            b, -0.03, start="2013/14", end="2018/19", unit="per_100000", polarity="lower"
        )
        for b in (800.0, 300.0, 1200.0, 400.0)
    ]
    total = composite(parts, measure="ambition 3")
    np.testing.assert_allclose(total.values, 2700.0 * 0.97 ** np.arange(1, 6))
    assert total.rule.name == "composite"
    with pytest.raises(TrajectoryError, match="unit"):
        composite([parts[0], hold(10.0, start="2013/14", end="2018/19", unit="percent")])


# ---------------------------------------------------------------- the Trajectory container


def test_trajectory_access_rounding_and_json() -> None:
    t = percentage_change([1000.0, 2000.0], -0.032, start="2013", end="2018/19")
    assert t.values.shape == (2, 5)
    assert t["2015/16"].tolist() == pytest.approx([937.024, 1874.048])
    assert t.index(FinancialYear(2016)) == 2
    with pytest.raises(PeriodError, match="2019/20"):
        t["2019/20"]
    assert Trajectory.model_validate_json(t.model_dump_json()) == t
    assert t.rule.parameters == {"rate": -0.032, "compound": True}
    assert "percentage_change" in str(t)


@pytest.mark.parametrize(
    ("value", "ndigits", "expected"),
    [
        (2.5, 0, 3.0),
        (3.5, 0, 4.0),
        (0.125, 2, 0.13),
        (2.675, 2, 2.68),
        (1.005, 2, 1.01),
        (1699.25, 1, 1699.3),
        (12.345, 2, 12.35),
    ],
)
def test_rounding_is_half_up_not_bankers(value: float, ndigits: int, expected: float) -> None:
    t = hold(value, start="2013/14", end="2014/15")
    assert t.rounded(ndigits).values.tolist() == [expected]


def test_negative_values_round_away_from_zero() -> None:
    from outcomes._arrays import round_half_up

    assert round_half_up(-2.5) == -3.0
    assert round_half_up(np.array([-0.125, 0.125]), 2).tolist() == [-0.13, 0.13]


# ---------------------------------------------------------------- invariants (hypothesis)


@given(rule_cases(), baselines())
def test_every_rule_keeps_its_invariants(case: RuleCase, baseline: float) -> None:
    t = case.build(baseline)
    assert_trajectory_invariants(t)
    assert t.values.shape == (len(t.periods),)


# only the rules that promise it: an objective's target is a fixed level (78%), not a multiple
_SCALE_EQUIVARIANT = [s.name for s in outcomes.rules.specs() if "scale_equivariant" in s.invariants]


@given(rule_cases(_SCALE_EQUIVARIANT), baselines(), st.floats(0.01, 100.0))
def test_scale_equivariance(case: RuleCase, baseline: float, c: float) -> None:
    t = case.build(baseline)
    scaled = case.build(baseline, scale=c)
    np.testing.assert_allclose(scaled.values, c * t.values, rtol=1e-9, atol=1e-9)


@given(rule_cases(), baselines(size=4))
def test_vectorised_equals_scalar(case: RuleCase, base: np.ndarray) -> None:
    together = case.build(base)
    for i, b in enumerate(base):
        alone = case.build(float(b))
        np.testing.assert_array_equal(together.values[i], alone.values)


@given(st.floats(-10.0, 10.0), st.integers(0, 4))
def test_rounded_is_half_up(x: float, ndigits: int) -> None:
    from decimal import ROUND_HALF_UP, Decimal

    t = hold(abs(x), start="2013/14", end="2014/15").rounded(ndigits)
    expected = float(Decimal(repr(abs(x))).quantize(Decimal(1).scaleb(-ndigits), ROUND_HALF_UP))
    assert t.values[0] == expected


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"baseline": float("nan")}, "baseline must be finite, got nan"),
        ({"baseline": [1.0, float("inf")]}, r"baseline must be finite, got inf at index \(1,\)"),
        ({"baseline": -5.0}, "baseline must be >= 0, got -5.0"),
        ({"rate": -1.0}, "rate must be > -1"),
        ({"rate": "fast"}, "rate must be numbers"),
        ({"end": "2012/13"}, "end '2012/13' must be after start '2013/14'"),
        ({"end": None}, "give end"),
        ({"periods": ["2015/16", "2014/15"]}, "in order"),
        ({"periods": ["2013/14"]}, "not after the baseline"),
        ({"periods": ["2019/20"]}, "after end"),
        ({"periods": ["2014/15 Q1"]}, "same kind as the periods"),
        ({"polarity": "sideways"}, "polarity must be"),
        ({"indexing": "calendar"}, "indexing must be"),
        ({"rate": 0.05, "polarity": "lower"}, "worse than the baseline"),
    ],
)
def test_percentage_change_bad_input(kwargs: dict, match: str) -> None:
    args = {"baseline": 100.0, "rate": -0.032, "start": "2013/14", "end": "2018/19"} | kwargs
    with pytest.raises((TrajectoryError, PeriodError), match=match):
        percentage_change(args.pop("baseline"), args.pop("rate"), **args)


def test_other_bad_input() -> None:
    with pytest.raises(TrajectoryError, match="shares must sum to 1"):
        phase(100.0, [0.5, 0.4])
    with pytest.raises(TrajectoryError, match="end at 1"):
        to_target(10.0, 5.0, start="2013/14", end="2015/16", profile=[0.5, 0.9])
    with pytest.raises(TrajectoryError, match="profile must be one of"):
        to_target(10.0, 5.0, start="2013/14", end="2015/16", profile="s-curve")
    with pytest.raises(TrajectoryError, match="at least quantiles=5"):
        quantile_step(
            10.0,
            [1.0, 2.0, 3.0, 4.0],
            polarity="lower",
            quantiles=5,
            start="2013/14",
            end="2015/16",
        )
    with pytest.raises(TrajectoryError, match="nan_policy='omit'"):
        quantile_step(
            10.0, [1.0, np.nan, 3.0, 4.0, 5.0], polarity="lower", start="2013/14", end="2015/16"
        )
    t = quantile_step(
        10.0,
        [1.0, np.nan, 3.0, 4.0, 5.0],
        polarity="lower",
        nan_policy="omit",
        start="2013/14",
        end="2015/16",
    )
    assert np.isfinite(t.values).all()
    with pytest.raises(TrajectoryError, match="polarity is required"):
        reach_national(1.0, 2.0, polarity=None, start="2013/14", end="2015/16")
    with pytest.raises(TrajectoryError, match="no direction"):
        reach_national(1.0, 2.0, polarity="none", start="2013/14", end="2015/16")
    with pytest.raises(TrajectoryError, match="steps must be"):
        quantile_step(
            1.0, [1.0, 2.0, 3.0, 4.0], polarity="lower", steps=0, start="2013/14", end="2015/16"
        )
    with pytest.raises(TrajectoryError, match="worse than the baseline"):
        to_target(10.0, 12.0, polarity="lower", start="2013/14", end="2015/16")


def test_geometric_path_from_a_tiny_baseline_stays_finite() -> None:
    """The ratio target/baseline overflows a float: the rows that need it take the same path in
    logarithms; the others keep the direct formula (the fast, common case)."""
    t = outcomes.to_target(
        np.array([5e-324, 1000.0]),
        np.array([1e300, 2000.0]),
        start="2013/14",
        end="2018/19",
        profile="geometric",
    )
    assert np.isfinite(t.values).all()
    assert t.values[0, -1] == 1e300 and t.values[1, -1] == 2000.0
    assert np.all(np.diff(np.log(t.values[0])) > 0)
    np.testing.assert_allclose(t.values[1], 1000.0 * 2.0 ** (np.arange(1, 6) / 5), rtol=1e-12)
