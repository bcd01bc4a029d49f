"""NHS Oversight Framework segmentation on constructed peer sets (outcomes.oversight)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from outcomes.errors import OutcomesError, ScoringError, UnknownCodeError
from outcomes.oversight import (
    BEST_SCORE,
    WORST_SCORE,
    MetricScores,
    Segmentation,
    metric_scores,
    segments,
)

ROOT = Path(__file__).parent.parent

distinct = st.lists(
    st.floats(-1e6, 1e6, allow_nan=False), min_size=2, max_size=40, unique=True
).filter(lambda v: len(set(v)) == len(v))


# -- metric_scores -----------------------------------------------------------------------------


def test_best_gets_one_and_worst_four() -> None:
    s = metric_scores([50.0, 80.0, 65.0, 20.0, 35.0], polarity="higher")
    assert s.scores.tolist() == [2.5, 1.0, 1.75, 4.0, 3.25]
    assert s.rank.tolist() == [3.0, 1.0, 2.0, 5.0, 4.0]
    assert metric_scores([50.0, 80.0, 20.0], polarity="lower").scores.tolist() == [2.5, 4.0, 1.0]
    assert BEST_SCORE == 1.0 and WORST_SCORE == 4.0


@given(distinct, st.sampled_from(["higher", "lower"]))
def test_scores_span_one_to_four_and_are_monotone(values: list[float], polarity: str) -> None:
    v = np.array(values)
    s = metric_scores(v, polarity=polarity).scores
    sign = 1 if polarity == "higher" else -1
    assert s[np.argmax(sign * v)] == 1.0
    assert s[np.argmin(sign * v)] == 4.0
    assert ((s >= 1.0) & (s <= 4.0)).all()
    order = np.argsort(sign * v)  # worst to best
    assert (np.diff(s[order]) < 0).all()  # strictly better score as the value improves


@given(st.lists(st.integers(0, 5).map(float), min_size=1, max_size=30))
def test_ties_share_a_score_and_flipping_polarity_mirrors(values: list[float]) -> None:
    v = np.array(values)
    higher = metric_scores(v, polarity="higher").scores
    lower = metric_scores(v, polarity="lower").scores
    for a in np.unique(v):
        assert np.unique(higher[v == a]).size == 1
    assert np.allclose(higher + lower, 5.0)
    assert higher.mean() == pytest.approx(2.5)


def test_missing_values_are_not_peers_and_are_marked() -> None:
    s = metric_scores([70.0, float("nan"), 60.0, 50.0], polarity="higher")
    assert s.scores[[0, 2, 3]].tolist() == [1.0, 2.5, 4.0]
    assert np.isnan(s.scores[1]) and s.status.tolist()[1] == "NOT_SCORED"
    assert s.status.tolist()[0] == "SCORED"
    assert int(s.peers) == 3
    assert any("missing" in n for n in s.notes)


def test_single_peer_and_all_tied_score_the_middle() -> None:
    assert float(metric_scores(7.0, polarity="higher").scores) == 2.5
    assert metric_scores([3.0, 3.0, 3.0], polarity="lower").scores.tolist() == [2.5] * 3


def test_peer_sets_on_the_last_axis_equal_one_at_a_time() -> None:
    rng = np.random.default_rng(7)
    values = rng.normal(60, 10, size=(3, 4, 25)).round(0)
    values[0, 1, 3] = np.nan
    whole = metric_scores(values, polarity="higher")
    for i in range(3):
        for j in range(4):
            row = metric_scores(values[i, j], polarity="higher")
            assert np.array_equal(whole.scores[i, j], row.scores, equal_nan=True)
    assert whole.peers.shape == (3, 4) and whole.peers[0, 1] == 24


def test_one_polarity_per_peer_set() -> None:
    s = metric_scores([[1.0, 2.0, 3.0], [1.0, 2.0, 3.0]], polarity=["higher", "lower"])
    assert s.scores.tolist() == [[4.0, 2.5, 1.0], [1.0, 2.5, 4.0]]
    assert s.polarity.tolist() == ["higher", "lower"]
    with pytest.raises(ScoringError, match="broadcast"):
        metric_scores([[1.0, 2.0]], polarity=["higher", "lower", "higher"])


def test_unconfirmed_parts_are_reported() -> None:
    s = metric_scores([1.0, 2.0], polarity="higher")
    assert any("rank-to-score mapping" in u and "unconfirmed" in u for u in s.unconfirmed)
    confirmed = metric_scores([1.0, 2.0], polarity="higher", metric="OF0023")
    assert any("OF0023" in n and "confirmed" in n for n in confirmed.notes)
    assert len(confirmed.unconfirmed) == 1  # only the mapping
    unread = metric_scores([1.0, 2.0], polarity="higher", metric="ae-4-hour")
    assert any("scoring rule of ae-4-hour: absent" in u for u in unread.unconfirmed)


def test_metric_rule_is_checked() -> None:
    with pytest.raises(ScoringError, match="contradicts"):
        metric_scores([1.0, 2.0], polarity="lower", metric="OF0023")
    with pytest.raises(UnknownCodeError, match="OF0023"):
        metric_scores([1.0, 2.0], polarity="higher", metric="OF0024")
    with pytest.raises(ScoringError, match="oversight edition"):
        metric_scores([1.0, 2.0], polarity="higher", metric="x", edition="qof-2024-25")


def test_bad_arguments() -> None:
    with pytest.raises(ScoringError, match="method"):
        metric_scores([1.0], polarity="higher", method="minmax")  # type: ignore[arg-type]
    with pytest.raises(ScoringError, match="polarity"):
        metric_scores([1.0], polarity="none")
    with pytest.raises(ScoringError, match="polarity"):
        metric_scores([1.0], polarity="sideways")
    with pytest.raises(ScoringError, match="finite"):
        metric_scores([1.0, float("inf")], polarity="higher")
    with pytest.raises(ScoringError, match="values must be numbers"):
        metric_scores(["a", "b"], polarity="higher")


def test_result_round_trips() -> None:
    s = metric_scores([[3.0, float("nan"), 1.0]], polarity="lower")
    assert MetricScores.model_validate_json(s.model_dump_json()) == s


# -- segments -----------------------------------------------------------------------------------


@given(st.integers(1, 25), st.data())
def test_quartiles_split_the_set_evenly(k: int, data: st.DataObject) -> None:
    n = 4 * k
    values = data.draw(st.lists(st.floats(1.0, 4.0), min_size=n, max_size=n, unique=True))
    seg = segments(values)
    assert seg.counts() == {1: k, 2: k, 3: k, 4: k, 5: 0}


@given(st.lists(st.floats(1.0, 4.0), min_size=1, max_size=60))
def test_segments_are_monotone_in_the_average(values: list[float]) -> None:
    v = np.array(values)
    seg = segments(v).segments
    order = np.argsort(v, kind="stable")
    assert (np.diff(seg[order]) >= 0).all()
    assert set(np.unique(seg)) <= {1.0, 2.0, 3.0, 4.0}
    for a in np.unique(v):  # ties never straddle a boundary
        assert np.unique(seg[v == a]).size == 1
    assert seg[np.argmin(v)] == 1.0
    if len(v) >= 4 and (v == v.max()).sum() == 1:
        assert seg[np.argmax(v)] == 4.0


def test_uneven_counts_follow_the_ohid_formula() -> None:
    # five peers: ranks 1-5 -> 1, 1, 2, 3, 4 (OHID rank-based quantiles, as assign_quantiles)
    from outcomes.stats import assign_quantiles

    v = [1.5, 2.0, 2.5, 3.0, 3.5]
    assert segments(v).segments.tolist() == [1.0, 1.0, 2.0, 3.0, 4.0]
    rng = np.random.default_rng(3)
    for n in (4, 5, 7, 13, 50, 133):
        vals = rng.uniform(1, 4, n).round(2)
        expected = assign_quantiles(vals, 4, polarity="lower")
        assert np.array_equal(segments(vals).segments, expected)


def test_overrides_move_segments_down_only() -> None:
    avg = [1.2, 1.8, 2.6, 3.4]
    seg = segments(avg, overrides={0: 3, 3: 2})
    assert seg.computed.tolist() == [1.0, 2.0, 3.0, 4.0]
    assert seg.segments.tolist() == [3.0, 2.0, 3.0, 4.0]  # 3 -> 2 would improve: ignored
    assert seg.status.tolist() == ["OVERRIDDEN", "SEGMENTED", "SEGMENTED", "SEGMENTED"]
    seg5 = segments(avg, overrides=[0, 5, np.nan, 0])
    assert seg5.segments.tolist() == [1.0, 5.0, 3.0, 4.0]
    assert seg5.counts()[5] == 1
    assert any("overrides" in u for u in seg5.unconfirmed)


def test_league_table_orders_by_segment_then_average() -> None:
    avg = np.array([2.2, 1.1, 3.9, 1.9, 2.9, 1.4, 3.1, 2.5])
    seg = segments(avg, overrides={1: 4})
    league = seg.league_table
    keys = list(zip(seg.segments[league], avg[league], strict=True))
    assert keys == sorted(keys)
    assert league[0] == 1 + 4  # the lowest average not overridden (1.4) leads
    # the overridden trust (1.1, pushed to segment 4) heads segment 4: averages order within it
    fourth = [int(i) for i in league if seg.segments[i] == 4.0]
    assert fourth[0] == 1 and league[-1] == 2
    assert seg.league_rank[league].tolist() == list(range(1, 9))


def test_missing_averages_are_not_segmented_and_come_last() -> None:
    seg = segments([2.0, float("nan"), 1.5, 3.0, 3.5])
    assert np.isnan(seg.segments[1]) and seg.status.tolist()[1] == "NOT_SEGMENTED"
    assert seg.league_table[-1] == 1 and np.isnan(seg.league_rank[1])
    assert seg.segments[[2, 0, 3, 4]].tolist() == [1.0, 2.0, 3.0, 4.0]
    placed = segments([2.0, float("nan")], overrides={1: 5})
    assert placed.segments.tolist() == [1.0, 5.0]
    assert placed.status.tolist() == ["SEGMENTED", "OVERRIDDEN"]


def test_thresholds_method() -> None:
    seg = segments(
        [1.0, 2.0, 2.01, 2.5, 3.0, 3.01, 4.0], method="thresholds", thresholds=(2.0, 2.5, 3.0)
    )
    assert seg.segments.tolist() == [1.0, 1.0, 2.0, 2.0, 3.0, 4.0, 4.0]
    assert seg.thresholds == (2.0, 2.5, 3.0)
    assert any("threshold" in u for u in seg.unconfirmed)
    with pytest.raises(ScoringError, match="needs thresholds"):
        segments([2.0], method="thresholds")
    with pytest.raises(ScoringError, match="increase"):
        segments([2.0], method="thresholds", thresholds=(3.0, 2.0, 2.5))
    with pytest.raises(ScoringError, match="three numbers"):
        segments([2.0], method="thresholds", thresholds=(2.0, 3.0))
    with pytest.raises(ScoringError, match="only with method"):
        segments([2.0], thresholds=(2.0, 2.5, 3.0))


def test_leading_axes_are_independent() -> None:
    rng = np.random.default_rng(11)
    avg = rng.uniform(1, 4, size=(3, 17)).round(2)
    avg[1, 4] = np.nan
    whole = segments(avg, overrides={2: 5})
    for i in range(3):
        one = segments(avg[i], overrides={2: 5})
        assert np.array_equal(whole.segments[i], one.segments, equal_nan=True)
        assert np.array_equal(whole.league_table[i], one.league_table)


def test_segment_arguments_are_checked() -> None:
    with pytest.raises(ScoringError, match=r"\[1, 4\]"):
        segments([0.5, 2.0])
    with pytest.raises(ScoringError, match="finite"):
        segments([float("-inf")])
    with pytest.raises(ScoringError, match="method"):
        segments([2.0], method="deciles")  # type: ignore[arg-type]
    with pytest.raises(ScoringError, match="segments 1-5"):
        segments([2.0, 3.0], overrides=[6, 0])
    with pytest.raises(ScoringError, match="segment 1-5"):
        segments([2.0, 3.0], overrides={0: "x"})
    with pytest.raises(ScoringError, match="positions"):
        segments([2.0, 3.0], overrides={5: 5})
    with pytest.raises(ScoringError, match="broadcast"):
        segments([2.0, 3.0], overrides=[1, 2, 3])


def test_segmentation_round_trips() -> None:
    seg = segments([[2.0, float("nan"), 1.5, 3.5]], overrides={0: 5})
    assert Segmentation.model_validate_json(seg.model_dump_json()) == seg
    assert seg.league_table.dtype.kind == "i"


def test_scores_to_segments_pipeline() -> None:
    """Three metrics x eight trusts: score, average, segment, as NHS England describes."""
    rtt = [62.0, 55.0, 71.0, 48.0, 66.0, 59.0, 52.0, 68.0]  # higher is better
    ae = [74.0, 70.0, 80.0, 65.0, 77.0, 72.0, 69.0, 79.0]  # higher is better
    cat2 = [28.0, 35.0, 24.0, 41.0, 30.0, 33.0, 38.0, 26.0]  # lower is better
    scores = metric_scores([rtt, ae, cat2], polarity=["higher", "higher", "lower"]).scores
    average = scores.mean(axis=0)
    seg = segments(average)
    assert seg.segments[2] == 1.0 and seg.segments[3] == 4.0
    assert seg.counts() == {1: 2, 2: 2, 3: 2, 4: 2, 5: 0}


# -- fuzz ---------------------------------------------------------------------------------------

weird = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.0, -0.0, 1e308, -1e308, 5e-324, 1.0, 4.0]),
)


@given(
    hnp.arrays(np.float64, hnp.array_shapes(min_dims=0, max_dims=3, max_side=6), elements=weird),
    st.sampled_from(["higher", "lower", "none", "up", 3, ["higher", "lower"]]),
)
def test_metric_scores_fuzz(values: Any, polarity: Any) -> None:
    try:
        s = metric_scores(values, polarity=polarity)
    except OutcomesError:
        return
    finite = ~np.isnan(s.scores)
    assert ((s.scores[finite] >= 1.0) & (s.scores[finite] <= 4.0)).all()
    assert (s.status[~finite] == "NOT_SCORED").all()
    assert (s.status[finite] == "SCORED").all()


@given(
    hnp.arrays(np.float64, hnp.array_shapes(min_dims=0, max_dims=3, max_side=6), elements=weird),
    st.sampled_from(["quartile", "thresholds", "bad"]),
    st.one_of(st.none(), st.just((2.0, 2.5, 3.0)), st.just((1.0,)), st.just("x")),
    st.one_of(st.none(), st.just({0: 5}), st.just([5.0]), st.just({9: 1}), st.just("z")),
)
def test_segments_fuzz(values: Any, method: Any, thresholds: Any, overrides: Any) -> None:
    try:
        seg = segments(values, method=method, thresholds=thresholds, overrides=overrides)
    except OutcomesError:
        return
    placed = ~np.isnan(seg.segments)
    assert set(np.unique(seg.segments[placed])) <= {1.0, 2.0, 3.0, 4.0, 5.0}
    assert (seg.status[~placed] == "NOT_SEGMENTED").all()
    assert (seg.status[placed] != "NOT_SEGMENTED").all()


# -- docs ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["oversight.md", "frameworks-current.md"])
def test_doc_examples_run(page: str) -> None:
    text = (ROOT / "docs" / page).read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL)
    assert blocks
    for block in blocks:
        exec(compile(block, page, "exec"), {})
