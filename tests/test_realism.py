"""Is this ambition realistic? achievability, probability and backtests on real series.

Real data (tests/data, see README.md): PYLL for all 211 CCGs 2009-2014 with 95% limits; NHS
England MAR non-elective admissions by CCG, aggregated here to financial years; delayed
transfers of care (delayed days) by council; ASCOF 2A(2) and 2B(1).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from outcomes.errors import InputError, OutcomesError, ScoringError
from outcomes.frames import history_from_frame
from outcomes.realism import (
    RealismNote,
    achievability,
    backtest,
    changes,
    forecast,
    peer_achieved,
    peer_rate,
    probability,
)
from outcomes.trajectories import percentage_change

DATA = Path(__file__).parent / "data"


# --------------------------------------------------------------------------------------------
# real series
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pyll():  # type: ignore[no-untyped-def]
    df = pd.read_csv(DATA / "pyll_ccg_2009_2014_person_limits.csv", dtype=str)
    return history_from_frame(
        df, area="Level", period="Reporting period", value="DSR", lower="CI lower", upper="CI upper"
    )


def mar_frame() -> pd.DataFrame:
    """Monthly MAR rows -> one row per CCG and financial year with all 12 months.

    Quirks handled here: the financial year comes from ``Month`` (``Year`` has autofill errors
    in Jun 2017), ``X24`` (NHS England direct commissioning) is not a CCG, and a year with fewer
    than 12 months (a CCG created or merged mid-series) is left missing rather than summed.
    """
    df = pd.read_csv(DATA / "mar_ccg_non_elective_monthly_2013_2019.csv", dtype=str)
    df = df[df["Org Code"] != "X24"]
    year = df["Month"].str[:4].astype(int) - (df["Month"].str[5:7].astype(int) < 4)
    df = df.assign(
        fy=year.astype(str) + "/" + ((year + 1) % 100).astype(str).str.zfill(2),
        admissions=df["Total Non-elective G&A Admissions (FFCEs)"].astype(float),
    )
    annual = df.groupby(["Org Code", "fy"]).agg(
        months=("Month", "nunique"), admissions=("admissions", "sum")
    )
    return annual[annual["months"] == 12].reset_index()


@pytest.fixture(scope="module")
def mar():  # type: ignore[no-untyped-def]
    return history_from_frame(mar_frame(), area="Org Code", period="fy", value="admissions")


@pytest.fixture(scope="module")
def dtoc():  # type: ignore[no-untyped-def]
    df = pd.read_csv(DATA / "dtoc_delayed_days_la_financial_year_2011_2019.csv")
    assert (df["months"] == 12).all()
    return history_from_frame(df, area="Name", period="financial_year", value="delayed_days")


def ascof(name: str):  # type: ignore[no-untyped-def]
    df = pd.read_csv(DATA / name, dtype=str, keep_default_na=False)
    df = df[df["area_name"] != "England"]
    return history_from_frame(df, area="area_name", period="period", value="value")


def test_real_series_shapes(pyll, mar, dtoc) -> None:  # type: ignore[no-untyped-def]
    assert pyll.values.shape == (211, 6)
    assert pyll.periods == ("2009", "2010", "2011", "2012", "2013", "2014")
    assert not np.isnan(pyll.values).any() and pyll.lower is not None
    # MAR: 211 CCGs in 2013/14, merging to 195 by 2018/19; merged areas are NaN, never summed
    assert mar.periods == ("2013/14", "2014/15", "2015/16", "2016/17", "2017/18", "2018/19")
    counts = (~np.isnan(mar.values)).sum(axis=0)
    assert counts[0] == 211 and counts[-1] == 195
    assert dtoc.values.shape == (150, 8)


def test_mar_year_column_is_unreliable_so_month_is_used() -> None:
    df = pd.read_csv(DATA / "mar_ccg_non_elective_monthly_2013_2019.csv", dtype=str)
    june = df[df["Month"] == "2017-06"]
    assert (june["Year"] != "2017-18").sum() == 12  # Excel autofill: 2017-19 ... 2017-30


# --------------------------------------------------------------------------------------------
# changes
# --------------------------------------------------------------------------------------------


def test_changes_relative_absolute_and_notes() -> None:
    c = changes([[100.0, 90.0, 99.0, 0.0, 5.0], [np.nan, 10.0, 11.0, 12.0, 12.0]])
    assert c.change.shape == (2, 4)
    assert c.change[0, :3] == pytest.approx([-0.1, 0.1, -1.0])
    assert c.note.tolist() == [
        ["OK", "OK", "OK", "ZERO_START"],
        ["MISSING_START", "OK", "OK", "OK"],
    ]
    assert np.isnan(c.change[c.note != "OK"]).all()
    assert c.n == 6 and c.values().size == 6
    a = changes([[1.0, -2.0, 4.0]], kind="absolute", horizon=2)
    assert a.change.tolist() == [[3.0]]
    assert changes([[1.0, 2.0]], horizon=5).change.shape == (1, 0)


def test_changes_scalar_row_equals_vectorised() -> None:
    rows = np.array([[5.0, 6.0, 7.5, 7.0], [3.0, 2.0, 2.5, 4.0]])
    both = changes(rows, horizon=2)
    for i in range(2):
        assert np.array_equal(changes(rows[i], horizon=2).change, both.change[i])


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"horizon": 0}, "horizon"),
        ({"horizon": 1.5}, "horizon"),
        ({"horizon": True}, "horizon"),
        ({"kind": "percent"}, "kind"),
    ],
)
def test_changes_bad_arguments(kwargs: dict, match: str) -> None:
    with pytest.raises(ScoringError, match=match):
        changes([[1.0, 2.0]], **kwargs)


def test_changes_bad_history() -> None:
    with pytest.raises(ScoringError, match="history must be >= 0"):
        changes([[1.0, -2.0]])
    with pytest.raises(ScoringError, match="finite or missing"):
        changes([[1.0, np.inf]])
    with pytest.raises(ScoringError, match="history must be numbers"):
        changes([["a", "b"]])


# --------------------------------------------------------------------------------------------
# achievability
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("horizon", [1, 2, 3])
@pytest.mark.parametrize("polarity", ["lower", "higher"])
def test_achievability_equals_the_plain_count_exactly(pyll, mar, horizon, polarity) -> None:  # type: ignore[no-untyped-def]
    for history in (pyll.values, mar.values):
        c = changes(history, horizon=horizon).change
        c = c[~np.isnan(c)]
        plans = np.concatenate([np.linspace(-0.3, 0.3, 61), c[:7]])  # incl. exact ties
        a = achievability(plans, history, polarity=polarity, horizon=horizon)
        for plan, share, pct in zip(plans, a.share, a.percentile, strict=True):
            at_least = c <= plan if polarity == "lower" else c >= plan
            worse = c > plan if polarity == "lower" else c < plan
            assert share == np.mean(at_least)  # exactly
            assert pct == (np.sum(worse) + np.sum(c == plan) / 2) / c.size
        assert a.n == c.size
        assert a.n + a.n_missing == changes(history, horizon=horizon).change.size


def test_achievability_pyll_raw_and_adjusted(pyll) -> None:  # type: ignore[no-untyped-def]
    a = achievability(
        [-0.032, -0.10], pyll.values, polarity="lower", lower=pyll.lower, upper=pyll.upper
    )
    # the QP expectation of a 3.2% fall a year: 40% of CCG-years show it, but almost all of
    # that is sampling noise (the year-on-year PYLL changes of a CCG are noise-sized)
    assert a.n == 211 * 5
    assert a.share[0] == 425 / 1055
    assert a.share_adjusted is not None
    assert (a.share_adjusted < a.share).all()
    assert a.share_adjusted[0] < 0.05
    assert a.noise_sd is not None and a.true_sd is not None and a.true_sd < a.noise_sd


@pytest.mark.parametrize("polarity", ["lower", "higher"])
def test_adjusted_share_of_tail_plans_is_below_raw(pyll, polarity) -> None:  # type: ignore[no-untyped-def]
    c = changes(pyll.values).values()
    tail = np.quantile(c, [0.02, 0.05, 0.1, 0.2] if polarity == "lower" else [0.98, 0.95, 0.9])
    a = achievability(tail, pyll.values, polarity=polarity, lower=pyll.lower, upper=pyll.upper)
    assert a.share_adjusted is not None
    assert (a.share_adjusted < a.share).all()


def test_adjusted_with_zero_width_limits_is_the_raw_share() -> None:
    rng = np.random.default_rng(3)
    y = rng.normal(100.0, 10.0, (30, 5))
    plans = np.linspace(-20, 20, 41)
    a = achievability(plans, y, polarity="higher", kind="absolute", lower=y, upper=y)
    assert a.share_adjusted is not None
    assert np.array_equal(a.share_adjusted, a.share)


def test_adjusted_share_recovers_the_true_share_under_noise() -> None:
    """Simulation: true changes N(0, 0.02) + sampling noise; the adjusted share of a tail plan is
    much nearer the true share than the raw count is."""
    rng = np.random.default_rng(11)
    true = np.cumsum(rng.normal(0.0, 0.02, (400, 6)), axis=1)
    noise_sd = rng.uniform(0.02, 0.08, (400, 1)) * np.ones((1, 6))
    observed = np.exp(true + rng.normal(0.0, 1.0, true.shape) * noise_sd)
    z = 1.959963984540054
    a = achievability(
        -0.05,
        observed,
        polarity="lower",
        lower=observed * np.exp(-z * noise_sd),
        upper=observed * np.exp(z * noise_sd),
    )
    truth = float(np.mean(np.diff(true, axis=1) <= np.log(0.95)))
    assert a.share_adjusted is not None
    assert abs(float(a.share_adjusted) - truth) < 0.3 * abs(float(a.share) - truth)


def test_achievability_notes_and_errors() -> None:
    a = achievability([np.nan, -0.1], [[1.0, 2.0, 3.0]], polarity="lower")
    assert np.isnan(a.share[0]) and a.note.tolist() == ["NO_PLAN", "OK"]
    b = achievability(-0.1, [[np.nan, 2.0, np.nan]], polarity="lower")
    assert np.isnan(b.share) and str(b.note) == RealismNote.NO_CHANGES.value
    assert "not computed" in str(b)
    with pytest.raises(ScoringError, match="polarity"):
        achievability(-0.1, [[1.0, 2.0]], polarity="none")
    with pytest.raises(ScoringError, match="planned_change must be > -1"):
        achievability(-1.0, [[1.0, 2.0]], polarity="lower")
    with pytest.raises(ScoringError, match="both lower and upper"):
        achievability(-0.1, [[1.0, 2.0]], polarity="lower", lower=[[1.0, 2.0]])
    with pytest.raises(ScoringError, match=r"lower has shape \(1, 3\), history has shape \(1, 2\)"):
        achievability(-0.1, [[1.0, 2.0]], polarity="lower", lower=[[1, 2, 3]], upper=[[1, 2, 3]])
    with pytest.raises(ScoringError, match="surround the value"):
        achievability(-0.1, [[1.0, 2.0]], polarity="lower", lower=[[1.5, 2]], upper=[[2, 3]])
    with pytest.raises(ScoringError, match="wherever history has a value"):
        achievability(-0.1, [[1.0, 2.0]], polarity="lower", lower=[[np.nan, 2]], upper=[[2, 3]])


def test_achievability_scalar_equals_vectorised(pyll) -> None:  # type: ignore[no-untyped-def]
    plans = np.array([-0.05, -0.032, 0.0, 0.04])
    many = achievability(plans, pyll.values, polarity="lower", lower=pyll.lower, upper=pyll.upper)
    for i, p in enumerate(plans):
        one = achievability(p, pyll.values, polarity="lower", lower=pyll.lower, upper=pyll.upper)
        assert float(one.share) == many.share[i] and float(one.percentile) == many.percentile[i]
        assert one.share_adjusted is not None and many.share_adjusted is not None
        assert float(one.share_adjusted) == pytest.approx(many.share_adjusted[i], rel=1e-12)
    assert "achieved by" in str(many)


# --------------------------------------------------------------------------------------------
# forecast and probability
# --------------------------------------------------------------------------------------------


def test_probability_shapes_notes_and_monotonicity(pyll) -> None:  # type: ignore[no-untyped-def]
    y = pyll.values.copy()
    y[0] = np.nan  # an area with no history
    targets = y[:, -1] * 0.968
    targets[1] = np.nan  # an area with no target
    p = probability(y, targets, polarity="lower", horizon=1, lower=pyll.lower, upper=pyll.upper)
    assert p.probability.shape == (211,)
    assert p.note[0] == "NO_HISTORY" and p.note[1] == "NO_TARGET"
    assert np.isnan(p.probability[:2]).all()
    ok = p.note == "OK"
    assert (~np.isnan(p.probability[ok])).all()
    assert ((p.probability[ok] > 0) & (p.probability[ok] < 1)).all()
    assert (p.lower[ok] < p.median[ok]).all() and (p.median[ok] < p.upper[ok]).all()
    # a laxer target is likelier to be met; higher polarity is the complement
    laxer = probability(
        y, targets * 1.05, polarity="lower", horizon=1, lower=pyll.lower, upper=pyll.upper
    )
    assert (laxer.probability[ok] > p.probability[ok]).all()
    other = probability(
        y, targets, polarity="higher", horizon=1, lower=pyll.lower, upper=pyll.upper
    )
    assert other.probability[ok] + p.probability[ok] == pytest.approx(1.0)
    assert "Common to all areas" in p.model.explain()


def test_probability_scalar_target_equals_vectorised(dtoc) -> None:  # type: ignore[no-untyped-def]
    one = probability(dtoc.values, 2000.0, polarity="lower", horizon=2)
    many = probability(dtoc.values, np.full(150, 2000.0), polarity="lower", horizon=2)
    assert np.array_equal(one.probability, many.probability)
    f = forecast(dtoc.values, horizons=(1, 2))
    assert np.array_equal(f.probability(2000.0, polarity="lower", horizon=2), one.probability)


def test_pyll_model_finds_year_on_year_changes_are_noise(pyll) -> None:  # type: ignore[no-untyped-def]
    f = forecast(pyll.values, lower=pyll.lower, upper=pyll.upper)
    m = f.model
    assert m.sampling and m.trend_sd == 0.0 and m.transient_sd < 0.02
    assert 0.14 < m.level_sd < 0.18  # CCGs' persistent differences: about 16% on the log scale
    # regression to the mean: the forecast lies between the last value and the area's average
    last, average = np.log(pyll.values[:, -1]), np.log(pyll.values).mean(axis=1)
    centre = f.mean[:, 0] - m.drift
    assert np.mean(np.abs(centre - average)) < np.mean(np.abs(centre - last))


def test_forecast_handles_merged_areas(mar) -> None:  # type: ignore[no-untyped-def]
    f = forecast(mar.values, horizons=(1, 2))
    gone = np.isnan(mar.values).all(axis=1)
    assert not gone.any()
    assert np.isfinite(f.mean).all() and np.isfinite(f.sd).all()
    # a CCG that stopped reporting is forecast from its earlier years, with a wider spread
    stopped = np.isnan(mar.values[:, -1])
    assert stopped.sum() == 24
    assert np.median(f.sd[stopped, 0]) > np.median(f.sd[~stopped, 0])


@pytest.mark.parametrize(
    ("history", "match"),
    [
        ([[1.0, 2.0, 3.0]] * 2, "at least 3 areas"),
        ([[1.0, 2.0]] * 4, "at least 3 periods"),
        ([1.0, 2.0, 3.0], "2-D"),
        ([[1.0, 0.0, 3.0]] * 4, "> 0"),
        ([[1.0, np.nan, 3.0]] * 4, "no area has values in both"),
    ],
)
def test_forecast_bad_history(history, match) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ScoringError, match=match):
        forecast(history)


def test_probability_bad_targets() -> None:
    h = [[1.0, 2.0, 3.0], [2.0, 2.0, 2.5], [3.0, 2.0, 1.0]]
    with pytest.raises(ScoringError, match="targets have shape"):
        probability(h, [1.0, 2.0], polarity="lower", horizon=1)
    with pytest.raises(ScoringError, match="targets must be finite"):
        probability(h, np.inf, polarity="lower", horizon=1)
    with pytest.raises(ScoringError, match="horizon"):
        probability(h, 1.0, polarity="lower", horizon=0)


# --------------------------------------------------------------------------------------------
# backtests (the Done-when of issue 19)
# --------------------------------------------------------------------------------------------


def test_backtest_pyll_beats_the_base_rate(pyll) -> None:  # type: ignore[no-untyped-def]
    b = backtest(
        pyll.values,
        planned_change=-0.032,
        polarity="lower",
        horizons=(1, 2),
        lower=pyll.lower,
        upper=pyll.upper,
    )
    # every rolling origin: the model sees 3, 4, 5 years (h=1) and 3, 4 years (h=2)
    assert list(zip(b.by_origin_origin, b.by_origin_horizon, strict=True)) == [
        (2, 1),
        (2, 2),
        (3, 1),
        (3, 2),
        (4, 1),
    ]
    assert b.n == 211 * 5 and b.n_excluded == 0
    assert b.brier < b.brier_base
    assert b.brier == pytest.approx(0.1828, abs=5e-4)
    assert b.brier_base == pytest.approx(0.2299, abs=5e-4)
    assert (b.brier_by_horizon < b.base_by_horizon).all()
    assert b.reliability_count.sum() == b.n
    filled = b.reliability_count > 0
    assert (b.reliability_predicted[filled] >= b.reliability_lower[filled]).all()
    assert (b.reliability_predicted[filled] <= b.reliability_upper[filled]).all()
    assert np.isnan(b.reliability_observed[~filled]).all()
    assert "| 0%-10% |" in b.reliability_table() and "Brier score" in str(b)


def test_backtest_delayed_transfers_beats_the_base_rate(dtoc) -> None:  # type: ignore[no-untyped-def]
    b = backtest(dtoc.values, planned_change=-0.10, polarity="lower", horizons=(1, 2))
    assert len(b.by_origin_origin) == 5 + 4
    assert b.brier < b.brier_base


def test_backtest_ascof_2b1_higher_is_better() -> None:
    h = ascof("ascof_2b1_home_91_days_after_reablement_greater_manchester_2010_2018.csv")
    b = backtest(h.values, planned_change=0.01, polarity="higher", horizons=(1, 2))
    assert b.brier < b.brier_base


def test_backtest_mar_runs_with_merged_ccgs(mar) -> None:  # type: ignore[no-untyped-def]
    """Reported in the docs: for emergency admissions (counts, no denominators, boundary
    changes) the model has no real edge over the base rate; the test checks the mechanics."""
    b = backtest(mar.values, planned_change=-0.035, polarity="lower")
    assert b.n_excluded > 0  # merged CCGs have no outcome
    assert b.n + b.n_excluded == 219 * 5
    assert abs(b.skill) < 0.1


def test_backtest_errors() -> None:
    h = np.arange(1.0, 13.0).reshape(4, 3)
    with pytest.raises(ScoringError, match="no rolling origin"):
        backtest(h, planned_change=-0.1, polarity="lower")
    with pytest.raises(ScoringError, match="min_periods"):
        backtest(h, planned_change=-0.1, polarity="lower", min_periods=2)
    with pytest.raises(ScoringError, match="planned_change has shape"):
        backtest(np.ones((4, 5)), planned_change=[0.1, 0.2], polarity="lower")
    with pytest.raises(ScoringError, match="must not be missing"):
        backtest(np.ones((4, 5)), planned_change=np.nan, polarity="lower")


# --------------------------------------------------------------------------------------------
# peer_achieved
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("percentile", [0.5, 0.75, 0.9])
def test_peer_rate_round_trips_with_achievability(pyll, percentile) -> None:  # type: ignore[no-untyped-def]
    for polarity in ("lower", "higher"):
        rate = peer_rate(pyll.values, percentile=percentile, polarity=polarity)
        a = achievability(rate, pyll.values, polarity=polarity)
        assert float(a.share) == pytest.approx(1 - percentile, abs=1.0 / a.n)
        assert float(a.percentile) == pytest.approx(percentile, abs=1.0 / a.n)


@pytest.mark.parametrize("percentile", [0.5, 0.75, 0.9])
def test_noise_adjusted_peer_rate_round_trips(pyll, percentile) -> None:  # type: ignore[no-untyped-def]
    limits = {"lower": pyll.lower, "upper": pyll.upper}
    for polarity in ("lower", "higher"):
        rate = peer_rate(pyll.values, percentile=percentile, polarity=polarity, **limits)
        a = achievability(rate, pyll.values, polarity=polarity, **limits)
        assert a.share_adjusted is not None
        assert float(a.share_adjusted) == pytest.approx(1 - percentile, abs=1e-6)


def test_pyll_best_quarter_is_mostly_noise(pyll) -> None:  # type: ignore[no-untyped-def]
    raw = peer_rate(pyll.values, polarity="lower")
    true = peer_rate(pyll.values, polarity="lower", lower=pyll.lower, upper=pyll.upper)
    assert raw == pytest.approx(-0.0775, abs=5e-4)
    assert true == pytest.approx(-0.0164, abs=5e-4)
    t = peer_achieved(
        2000.0,
        pyll.values,
        polarity="lower",
        start="2013",
        end="2018/19",
        lower=pyll.lower,
        upper=pyll.upper,
    )
    assert t.rule.parameters["rate"] == true


def test_peer_achieved_is_percentage_change_at_the_peers_rate(pyll) -> None:  # type: ignore[no-untyped-def]
    rate = peer_rate(pyll.values, polarity="lower")
    c = changes(pyll.values).values()
    assert rate == np.quantile(c, 0.25)
    t = peer_achieved(2000.0, pyll.values, polarity="lower", start="2013", end="2018/19")
    same = percentage_change(2000.0, rate, start="2013", end="2018/19", polarity="lower")
    np.testing.assert_array_equal(t.values, same.values)
    assert t.rule.name == "peer_achieved" and t.rule.parameters["rate"] == rate


def test_peer_achieved_holds_where_peers_got_worse(mar) -> None:  # type: ignore[no-untyped-def]
    # admissions rose in most CCG-years: the typical year is a rise, not an ambition, so the
    # plan holds the baseline and records both rates
    t = peer_achieved(
        1000.0, mar.values, percentile=0.5, polarity="lower", start="2018/19", end="2019/20"
    )
    assert t.values.tolist() == [1000.0]
    assert t.rule.parameters["rate"] == 0.0 and t.rule.parameters["peer_rate"] > 0
    with pytest.raises(ScoringError, match=r"did you mean 0\.75"):
        peer_rate(mar.values, percentile=75, polarity="lower")


# --------------------------------------------------------------------------------------------
# history_from_frame
# --------------------------------------------------------------------------------------------


def test_history_from_frame_fills_years_and_markers() -> None:
    df = pd.DataFrame(
        {
            "area": ["b", "a", "a", "b"],
            "year": ["2013/14", "2013/14", "2015/16", "2015/16"],
            "v": ["1,200", "5", "Awaiting data", "-"],
            "lo": [1.0, 4.0, None, None],
            "hi": [1300.0, 6.0, None, None],
        }
    )
    h = history_from_frame(df, area="area", period="year", value="v", lower="lo", upper="hi")
    assert h.areas == ("a", "b") and h.periods == ("2013/14", "2014/15", "2015/16")
    assert np.array_equal(
        h.values, [[5.0, np.nan, np.nan], [1200.0, np.nan, np.nan]], equal_nan=True
    )
    assert h.lower is not None and h.lower[1, 0] == 1.0


def test_history_from_frame_errors() -> None:
    df = pd.DataFrame({"area": ["a", "a"], "year": ["2014", "2014"], "v": [1.0, 2.0]})
    with pytest.raises(InputError, match="appear once"):
        history_from_frame(df, area="area", period="year", value="v")
    with pytest.raises(InputError, match="no column value='x'"):
        history_from_frame(df, area="area", period="year", value="x")
    bad = pd.DataFrame({"area": ["a"], "year": ["2014"], "v": ["lots"]})
    with pytest.raises(InputError, match="'lots'"):
        history_from_frame(bad, area="area", period="year", value="v")
    with pytest.raises(InputError, match="both lower and upper"):
        history_from_frame(bad, area="area", period="year", value="v", lower="v")


# --------------------------------------------------------------------------------------------
# properties and fuzz
# --------------------------------------------------------------------------------------------

nasty = st.one_of(
    st.just(np.nan),
    st.just(np.inf),
    st.just(-np.inf),
    st.just(0.0),
    st.floats(-1e6, -1e-6),
    st.floats(1e-300, 1e-290),
    st.floats(1e290, 1e300),
    st.floats(0.1, 1e4),
)
grids = hnp.arrays(
    np.float64,
    st.tuples(st.integers(1, 6), st.integers(1, 6)),
    elements=nasty,
)
positive = hnp.arrays(
    np.float64,
    st.tuples(st.integers(1, 7), st.integers(1, 7)),
    elements=st.one_of(
        st.just(np.nan),
        st.just(0.0),
        st.floats(1e-120, 1e-90),
        st.floats(1e90, 1e120),
        st.floats(0.5, 2.0),
        st.floats(1.0, 1e6),
    ),
)
junk = st.one_of(
    grids,
    st.just("abc"),
    st.just([[1.0, 2.0], [3.0]]),
    st.just([[[1.0]]]),
    st.just(None),
    st.floats(allow_nan=True),
)


def _valid(values: np.ndarray, note: np.ndarray | None) -> None:
    values = np.asarray(values, dtype=float)
    assert not np.isinf(values).any()
    if note is not None:
        assert (np.broadcast_to(note, values.shape)[np.isnan(values)] != "OK").all()


@settings(max_examples=150, deadline=None)
@given(
    st.one_of(junk, positive),
    st.sampled_from(["relative", "absolute", "log"]),
    st.integers(0, 3),
)
def test_fuzz_changes_and_achievability(history, kind, horizon) -> None:  # type: ignore[no-untyped-def]
    try:
        c = changes(history, horizon=horizon, kind=kind)
    except OutcomesError:
        pass
    else:
        _valid(c.change, c.note)
    try:
        a = achievability(
            [-0.5, 0.0, np.nan], history, polarity="lower", horizon=horizon, kind=kind
        )
    except OutcomesError:
        pass
    else:
        _valid(a.share, a.note)
        assert ((a.share[~np.isnan(a.share)] >= 0) & (a.share[~np.isnan(a.share)] <= 1)).all()


@settings(max_examples=150, deadline=None)
@given(
    st.one_of(grids, positive),
    st.sampled_from(["relative", "absolute"]),
    st.sampled_from(["lower", "higher", "none", "up"]),
)
def test_fuzz_probability_forecast_backtest(history, kind, polarity) -> None:  # type: ignore[no-untyped-def]
    try:
        p = probability(history, 100.0, polarity=polarity, horizon=1, kind=kind)
    except OutcomesError:
        pass
    else:
        _valid(p.probability, p.note)
        ok = ~np.isnan(p.probability)
        assert ((p.probability[ok] >= 0) & (p.probability[ok] <= 1)).all()
    try:
        f = forecast(history, horizons=(1, 3), kind=kind)
    except OutcomesError:
        pass
    else:
        _valid(f.mean, f.note[:, None])
        _valid(f.sd, f.note[:, None])
        _valid(f.quantile(0.9), f.note[:, None])
    try:
        b = backtest(history, planned_change=-0.1, polarity=polarity, kind=kind, horizons=(1,))
    except OutcomesError:
        pass
    else:
        assert np.isfinite(b.brier) and np.isfinite(b.brier_base)
    try:
        a = achievability(
            [-0.5, 0.1], history, polarity=polarity, kind=kind, lower=history, upper=history * 2
        )
    except OutcomesError:
        pass
    else:
        assert a.share_adjusted is not None
        _valid(a.share_adjusted, a.note)


@settings(max_examples=60, deadline=None)
@given(junk, junk)
def test_fuzz_limits(lower, upper) -> None:  # type: ignore[no-untyped-def]
    history = np.array([[10.0, 11.0, 12.0], [20.0, 19.0, 21.0], [5.0, 5.5, 6.0]])
    try:
        a = achievability(-0.05, history, polarity="lower", lower=lower, upper=upper)
    except OutcomesError:
        pass
    else:
        assert (a.share_adjusted is None) == (lower is None and upper is None)
        if a.share_adjusted is not None:
            _valid(a.share_adjusted, a.note)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(3, 25),
    st.integers(3, 8),
    st.floats(0.0, 0.3),
    st.floats(0.0, 0.3),
    st.integers(0, 2**32 - 1),
)
def test_probabilities_are_valid_and_monotone(areas, periods, level, noise, seed) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(seed)
    y = np.exp(rng.normal(0, level, (areas, 1)) + rng.normal(0, noise, (areas, periods)))
    last = y[:, -1]
    p1 = probability(y, last, polarity="lower", horizon=1).probability
    p2 = probability(y, last * 1.1, polarity="lower", horizon=1).probability
    assert np.isfinite(p1).all() and ((p1 >= 0) & (p1 <= 1)).all()
    assert (p2 >= p1).all()


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 30), st.integers(2, 7), st.integers(0, 2**32 - 1), st.floats(0.0, 1.0))
def test_peer_rate_is_the_quantile(areas, periods, seed, q) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(seed)
    y = rng.uniform(1.0, 100.0, (areas, periods))
    y[rng.random(y.shape) < 0.1] = np.nan
    c = changes(y).values()
    assume(c.size > 0)
    assert peer_rate(y, percentile=q, polarity="higher") == np.quantile(c, q)
    assert peer_rate(y, percentile=q, polarity="lower") == np.quantile(c, 1 - q)


# --------------------------------------------------------------------------------------------
# the docs page runs as written
# --------------------------------------------------------------------------------------------


def test_docs_realism_python_blocks_run(monkeypatch: pytest.MonkeyPatch) -> None:
    import re

    root = Path(__file__).parent.parent
    page = root / "docs" / "realism.md"
    blocks = re.findall(r"```python\n(.*?)```", page.read_text(), flags=re.DOTALL)
    assert len(blocks) == 4  # the worked example, its charts, and "In a plan" (two)
    monkeypatch.chdir(root)
    for block in blocks:
        exec(compile(block, str(page), "exec"), {})
    import matplotlib.pyplot as plt

    plt.close("all")


# --------------------------------------------------------------------------------------------
# regressions found by tests/test_fuzz.py (issue 12)
# --------------------------------------------------------------------------------------------

HISTORY3 = [[10.0, 11, 12, 12], [20, 21, 23, 22], [30, 29, 31, 30]]


def test_horizons_and_percentiles_out_of_range_are_refused() -> None:
    with pytest.raises(ScoringError, match="from 1 to 1200"):
        forecast(HISTORY3, horizons=10**400)
    with pytest.raises(ScoringError, match="from 1 to 1200"):
        changes(HISTORY3, horizon=1201)
    with pytest.raises(ScoringError, match="horizons must be whole numbers"):
        forecast(HISTORY3, horizons=complex(1, 1))  # type: ignore[arg-type]
    with pytest.raises(ScoringError, match="horizons must be whole numbers"):
        backtest(HISTORY3, planned_change=-0.01, polarity="lower", horizons=1.5)  # type: ignore[arg-type]
    with pytest.raises(ScoringError, match="percentile must be a fraction"):
        peer_rate(HISTORY3, percentile=10**400, polarity="lower")


def test_achievability_of_a_grid_of_plans_prints() -> None:
    a = achievability([[0.0, 0.0], [np.nan, 0.1]], HISTORY3, polarity="higher")
    lines = str(a).splitlines()
    assert len(lines) == 4 and "not computed (NO_PLAN)" in lines[2]


def test_backtest_horizon_with_no_forecast_is_marked() -> None:
    """A horizon no origin could test: NaN beside n_by_horizon == 0 (was numpy's warning)."""
    b = backtest(
        np.ones((8, 5)), planned_change=0.0, polarity="higher", horizons=[1, 2], min_periods=4
    )
    assert b.n_by_horizon.tolist() == [8.0, 0.0]
    assert np.isnan(b.brier_by_horizon[1]) and np.isnan(b.base_by_horizon[1])
    assert "horizon 2: no forecast could be tested" in str(b)
    assert b.note == "BASE_RATE_PERFECT" and "nan" not in str(b)  # was "skill +nan%"
