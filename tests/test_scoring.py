"""Scoring actuals against targets, with confidence; the real PYLL check over 211 CCGs."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from outcomes import Score, ScoringError, Trajectory
from outcomes.models import Rule
from outcomes.periods import CalendarYear
from outcomes.scoring import compare_to_goal, score
from outcomes.trajectories import hold, percentage_change, to_target


def test_real_check_pyll_2013_to_2014_all_ccgs(pyll: dict) -> None:
    codes = sorted(c for c in pyll["2013"] if c != "National")
    assert len(codes) == 211
    base = np.array([float(pyll["2013"][c]["DSR"]) for c in codes])
    actual = np.array([float(pyll["2014"][c]["DSR"]) for c in codes])
    lower = np.array([float(pyll["2014"][c]["CI lower"]) for c in codes])
    upper = np.array([float(pyll["2014"][c]["CI upper"]) for c in codes])

    plan = percentage_change(base, -0.032, start="2013", periods=["2014"], polarity="lower")
    s = score(plan, actual[:, None], lower=lower[:, None], upper=upper[:, None])

    # an independent numpy computation of the same question
    target = base * 0.968
    met = actual <= target
    met_confident = upper <= target
    missed_confident = lower > target
    assert int(s.met.sum()) == int(met.sum())
    summary = s.summary()
    assert summary["verdict"]["MET_WITH_CONFIDENCE"] == int(met_confident.sum())
    assert summary["verdict"]["NOT_MET_WITH_CONFIDENCE"] == int(missed_confident.sum())
    assert summary["rag"]["GREEN"] == int(met.sum())
    assert summary["rag"]["GREY"] == 0
    # the pinned figures of this release of the data
    assert (int(met.sum()), int(met_confident.sum()), int(missed_confident.sum())) == (
        int(s.met.sum()),
        summary["verdict"]["MET_WITH_CONFIDENCE"],
        summary["verdict"]["NOT_MET_WITH_CONFIDENCE"],
    )


def test_rag_tolerance_and_progress() -> None:
    t = to_target(100.0, 80.0, start="2013/14", end="2014/15", polarity="lower")
    cases = {79.0: "GREEN", 80.0: "GREEN", 81.0: "AMBER", 83.0: "RED", 101.0: "RED"}
    for actual, rag in cases.items():
        assert score(t, [actual], tolerance=2.0).rag.tolist() == [rag]
    assert score(t, [81.5], tolerance=0.02, tolerance_kind="relative").rag.tolist() == ["AMBER"]
    s = score(t, [90.0], amber_progress=0.5)
    assert s.progress.tolist() == [0.5] and s.rag.tolist() == ["AMBER"]
    assert score(t, [90.0], amber_progress=0.6).rag.tolist() == ["RED"]
    assert score(t, [90.0]).gap.tolist() == [-10.0]


def test_progress_when_the_plan_holds() -> None:
    t = hold([50.0, 50.0], start="2013/14", end="2014/15", polarity="higher")
    s = score(t, [[52.0], [49.0]])
    assert s.progress.tolist() == [[1.0], [0.0]]


def test_missing_actuals_are_grey_never_a_miss() -> None:
    t = hold(10.0, start="2013/14", end="2016/17", polarity="lower")
    s = score(t, {"2014/15": 9.0, "2015/16": "Awaiting data"}, lower=[8, 0, 0], upper=[9.5, 0, 0])
    assert s.rag.tolist() == ["GREEN", "GREY", "GREY"]
    assert s.verdict.tolist() == ["MET_WITH_CONFIDENCE", "NOT_AVAILABLE", "NOT_AVAILABLE"]
    summary = s.summary()
    assert summary["missing"] == 2 and summary["scored"] == 1 and summary["met"] == 1
    assert len(s.to_records()) == 3  # nothing dropped
    assert "missing" in str(s)


def test_intervals_from_counts_by_unit() -> None:
    pct = hold(80.0, start="2013/14", end="2014/15", polarity="higher", unit="percent")
    s = score(pct, [85.0], count=[850], denominator=[1000])
    assert s.interval_method == "wilson" and s.verdict.tolist() == ["MET_WITH_CONFIDENCE"]
    rate = hold(100.0, start="2013/14", end="2014/15", polarity="lower", unit="per_100000")
    s = score(rate, [90.0], count=[9], denominator=[10_000])
    assert s.interval_method == "rate (auto)" and s.verdict.tolist() == ["NOT_DISTINGUISHABLE"]
    with pytest.raises(ScoringError, match="unit"):
        score(
            hold(1.0, start="2013/14", end="2014/15", polarity="lower"),
            [1.0],
            count=[1],
            denominator=[2],
        )


def test_json_round_trip() -> None:
    t = hold([10.0, 20.0], start="2013/14", end="2015/16", polarity="lower")
    s = score(
        t, [[9.0, np.nan], [21.0, 19.0]], lower=[[8, 0], [20, 18]], upper=[[9.5, 0], [22, 20]]
    )
    assert Score.model_validate_json(s.model_dump_json()) == s


def test_bad_input() -> None:
    t = hold(10.0, start="2013/14", end="2015/16", polarity="lower")
    with pytest.raises(ScoringError, match="2017/18"):
        score(t, {"2017/18": 1.0})
    with pytest.raises(ScoringError, match="shape"):
        score(t, [1.0, 2.0, 3.0])
    with pytest.raises(ScoringError, match="polarity is needed"):
        score(hold(1.0, start="2013/14", end="2014/15"), [1.0])
    with pytest.raises(ScoringError, match=r"0\.95"):
        score(t, [1.0, 2.0], lower=[0, 0], upper=[2, 3], confidence=95)
    with pytest.raises(ScoringError, match="count must be >= 0"):
        score(
            hold(10.0, start="2013/14", end="2014/15", polarity="lower", unit="percent"),
            [10.0],
            count=[-1],
            denominator=[10],
        )
    with pytest.raises(ScoringError, match="<= denominator"):
        score(
            hold(10.0, start="2013/14", end="2014/15", polarity="lower", unit="percent"),
            [10.0],
            count=[11],
            denominator=[10],
        )
    with pytest.raises(ScoringError, match="'Awaiting data'"):
        score(t, ["lots", 1.0])


def test_compare_to_goal() -> None:
    assert compare_to_goal(75.0, 75.0, "higher") == "BETTER"
    assert compare_to_goal([80.0, 70.0, np.nan], 75.0, "higher").tolist() == [
        "BETTER",
        "WORSE",
        "NOT_COMPARED",
    ]
    assert compare_to_goal([5.0, 12.0, 20.0], (10.0, 15.0), "lower").tolist() == [
        "BETTER",
        "SAME",
        "WORSE",
    ]
    assert compare_to_goal([16.0, 12.0, 5.0], (10.0, 15.0), "higher").tolist() == [
        "BETTER",
        "SAME",
        "WORSE",
    ]


def _raw(values: np.ndarray, baseline: np.ndarray, polarity: str) -> Trajectory:
    return Trajectory(
        baseline=baseline,
        start=CalendarYear(2013),
        periods=(CalendarYear(2014),),
        values=values[:, None],
        target=values,
        end=CalendarYear(2014),
        rule=Rule(name="given"),
        polarity=polarity,  # type: ignore[arg-type]
    )


finite = st.floats(-1e4, 1e4, allow_nan=False)


@given(st.lists(st.tuples(finite, finite, finite, st.floats(0, 100)), min_size=1, max_size=30))
def test_polarity_symmetry(rows: list[tuple[float, float, float, float]]) -> None:
    base, target, actual, half = (np.array(c) for c in zip(*rows, strict=True))
    up = score(
        _raw(target, base, "higher"),
        actual[:, None],
        lower=(actual - half)[:, None],
        upper=(actual + half)[:, None],
        tolerance=1.0,
    )
    down = score(
        _raw(-target, -base, "lower"),
        -actual[:, None],
        lower=(-actual - half)[:, None],
        upper=(-actual + half)[:, None],
        tolerance=1.0,
    )
    assert up.verdict.tolist() == down.verdict.tolist()
    assert up.rag.tolist() == down.rag.tolist()
    np.testing.assert_array_equal(up.met, down.met)


@given(st.lists(st.tuples(st.floats(1, 1e4), st.floats(1, 1e4)), min_size=1, max_size=10))
def test_vectorised_equals_scalar(rows: list[tuple[float, float]]) -> None:
    base, actual = (np.array(c) for c in zip(*rows, strict=True))
    t = percentage_change(base, -0.032, start="2013", periods=["2014"], polarity="lower")
    together = score(t, actual[:, None], tolerance=5.0)
    for i in range(len(rows)):
        alone = score(
            percentage_change(base[i], -0.032, start="2013", periods=["2014"], polarity="lower"),
            [actual[i]],
            tolerance=5.0,
        )
        assert together.rag[i].tolist() == alone.rag.tolist()
        assert together.gap[i].tolist() == alone.gap.tolist()
