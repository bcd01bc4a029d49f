from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from outcomes import TrajectoryError
from outcomes.rollup import apportion, roll_up
from outcomes.trajectories import hold, percentage_change


def test_rates_are_population_weighted_and_counts_add() -> None:
    members = percentage_change(
        [100.0, 300.0], -0.1, start="2013/14", end="2015/16", unit="per_100000"
    )
    footprint = roll_up(members, [3000, 1000])
    np.testing.assert_allclose(footprint.values, [135.0, 121.5])
    assert float(footprint.baseline) == 150.0
    counts = roll_up(members, None, kind="count")
    np.testing.assert_allclose(counts.values, [360.0, 324.0])


def test_sequence_of_trajectories_and_per_period_populations() -> None:
    a = hold(100.0, start="2013/14", end="2015/16", unit="per_100000")
    b = hold(200.0, start="2013/14", end="2015/16", unit="per_100000")
    t = roll_up([a, b], [[1000, 1000], [1000, 3000]])
    np.testing.assert_allclose(t.values, [150.0, 175.0])


def test_cannot_combine() -> None:
    survey = hold([80.0, 70.0], start="2013/14", end="2014/15", unit="score")
    with pytest.raises(TrajectoryError, match="respondent counts"):
        roll_up(survey, [1, 1])
    assert roll_up(survey, [300, 100], kind="mean").values.tolist() == [77.5]
    a = hold(1.0, start="2013/14", end="2015/16", unit="per_100000")
    with pytest.raises(TrajectoryError, match="periods"):
        roll_up([a, hold(1.0, start="2013/14", end="2016/17", unit="per_100000")], [1, 1])
    with pytest.raises(TrajectoryError, match="unit"):
        roll_up([a, hold(10.0, start="2013/14", end="2015/16", unit="percent")], [1, 1])
    with pytest.raises(TrajectoryError, match="populations must be >= 0"):
        roll_up([a, a], [1, -1])
    with pytest.raises(TrajectoryError, match="one value per member"):
        roll_up([a, a], [1, 2, 3])


@given(
    st.lists(st.tuples(st.floats(10, 1e4), st.floats(1, 1e6)), min_size=1, max_size=12),
    st.floats(0.5, 1.2),
    st.sampled_from(["relative", "absolute"]),
)
def test_apportioned_targets_roll_up_to_the_footprint_target(
    rows: list[tuple[float, float]], ratio: float, method: str
) -> None:
    base, pop = (np.array(c) for c in zip(*rows, strict=True))
    footprint = float((base * pop).sum() / pop.sum())
    goal = footprint * ratio
    try:
        members = apportion(goal, pop, base, start="2013/14", end="2018/19", method=method)  # type: ignore[arg-type]
    except TrajectoryError:
        assert method == "absolute"  # equal absolute change can push a small member below zero
        return
    total = roll_up(members, pop)
    assert float(total.values[-1]) == pytest.approx(goal, rel=1e-9)
    np.testing.assert_allclose(total.values, np.linspace(footprint, goal, 6)[1:], rtol=1e-9)


def test_apportion_counts_absolute() -> None:
    members = apportion(
        900.0,
        [1, 1, 1],
        [400.0, 300.0, 300.0],
        start="2013/14",
        end="2014/15",
        method="absolute",
        kind="count",
    )
    assert members.target.tolist() == [366.6666666666667, 266.6666666666667, 266.6666666666667]
    assert roll_up(members, None, kind="count").values.tolist() == pytest.approx([900.0])


def test_members_may_each_hold_many_organisations() -> None:
    import numpy as np

    from outcomes import percentage_change, roll_up

    a = percentage_change([100.0, 300.0], -0.1, start="2013/14", end="2015/16", unit="per_100000")
    b = percentage_change(200.0, -0.1, start="2013/14", end="2015/16", unit="per_100000")
    pops = np.array([3000.0, 1000.0, 2000.0])
    pooled = roll_up([a, b], pops)
    single = roll_up(
        percentage_change([100.0, 300.0, 200.0], -0.1, start="2013/14", end="2015/16",
                          unit="per_100000"),
        pops,
    )  # fmt: skip
    np.testing.assert_allclose(pooled.values, single.values)
    np.testing.assert_allclose(
        pooled.values, pops @ np.array([a.values[0], a.values[1], b.values]) / 6000
    )
    per_period = np.tile(pops[:, None], (1, 2))
    np.testing.assert_allclose(roll_up([a, b], per_period).values, pooled.values)
