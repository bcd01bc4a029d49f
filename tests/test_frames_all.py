"""Every result's to_frame() keeps one contract: long and tidy, the identity columns, text as
categoricals (periods ordered in time), numbers float64, flags nullable booleans, no object
columns; and the workflow takes long DataFrames of baselines, actuals and peers."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import outcomes
from outcomes import frames
from outcomes.errors import InputError, OutcomesError

pd = pytest.importorskip("pandas")

ROOT = Path(__file__).parent.parent
DATA = ROOT / "tests" / "data"
EXAMPLES = ROOT / "examples"
CAMPYLOBACTER = DATA / "fingertips_93356_campylobacter_utla_2015_2017.csv"
IDENTITY = ["measure", "measure_name", "period", "unit"]
ORGANISATIONS = ["organisation", "organisation_name"]


# --------------------------------------------------------------------------------------------
# every result type, built small
# --------------------------------------------------------------------------------------------


def _plan_results() -> dict[str, Any]:
    scores = outcomes.score_plan(
        EXAMPLES / "illustrative-ccg.toml", EXAMPLES / "illustrative-ccg-actuals.csv"
    )
    return {"PlanTargets": scores.targets, "PlanScores": scores}


def _cases() -> dict[str, tuple[Callable[[], Any], bool]]:
    """Type name -> (a frame of it, whether it has organisation columns)."""
    from outcomes import benchmark, incentives, indicators, oversight, realism
    from outcomes.workflow import area_profile

    history = np.array(
        [[100.0, 98, 97, 95, 94, 93], [90, 91, 89, 88, 88, 86], [80, 81, 79, 78, 76, 77]]
    )
    t = outcomes.percentage_change(
        [100.0, 200.0], -0.1, start="2013/14", end="2015/16", polarity="lower"
    ).with_organisations(["00C", "00D"], ["Darlington", "Durham"])
    orgs = {"organisations": ["A", "B"], "measure": "m", "period": "2017", "unit": "per_100000"}
    return {
        "Trajectory": (lambda: t.to_frame(), True),
        "Score": (lambda: outcomes.score(t, [[85.0, None], [190.0, 150.0]]).to_frame(), True),
        "PlanTargets": (lambda: _plan_results()["PlanTargets"].to_frame(), True),
        "PlanScores": (lambda: _plan_results()["PlanScores"].to_frame(), True),
        "PeerSet": (
            lambda: outcomes.select_peers(
                str(CAMPYLOBACTER), period="2017", area_type="County & UA", age="All ages"
            ).to_frame(),
            True,
        ),
        "PremiumResult": (
            lambda: incentives.quality_premium(
                "quality-premium-2014-15", population=115_000, achieved={"pyll": True}
            ).to_frame(organisation="99Z", organisation_name="NHS Illustrative CCG"),
            True,
        ),
        "BCFPaymentResult": (
            lambda: incentives.bcf_performance_payment(
                baseline_admissions=[5000, 5200],
                planned_reduction=0.035,
                actual_admissions=[4900, 5000],
                cost_per_admission=1490.0,
                periods=["2015/16 Q1", "2015/16 Q2"],
            ).to_frame(organisations=["E09000001"]),
            True,
        ),
        "QOFPaymentResult": (
            lambda: incentives.qof_payment(
                [10.0, 20.0], edition="qof-2025-26", point_value=200.0
            ).to_frame(organisations=["A81001", "A81002"], period="2025/26"),
            True,
        ),
        "AuditReport": (
            lambda: outcomes.audit(
                [1531, 1492, 1455, 1419, 1349],
                baseline=1610,
                start="2012",
                periods=["14/15", "15/16", "16/17", "17/18", "18/19"],
            ).to_frame(),
            False,
        ),
        "AuditReports": (
            lambda: outcomes.audit_table(EXAMPLES / "published-rows.csv").to_frame(),
            False,
        ),
        "TrendResult": (
            lambda: benchmark.recent_trend(
                history, history - 2, history + 2, polarity="lower"
            ).to_frame(organisations=["A", "B", "C"], period="2019"),
            True,
        ),
        "AreaProfile": (
            lambda: area_profile(
                str(CAMPYLOBACTER),
                period="2017",
                area_type="County & UA",
                age="All ages",
                polarity="lower",
            ).to_frame(),
            True,
        ),
        "RateResult": (
            lambda: indicators.crude_rate([30, 45], [10_000, 12_000]).to_frame(**orgs),
            True,
        ),
        "ISRResult": (
            lambda: indicators.isr(
                [[5, 6], [7, 8]], [[100, 100], [120, 90]], [50, 60], [1000, 1000]
            ).to_frame(**orgs),
            True,
        ),
        "MeanResult": (
            lambda: indicators.mean_ci([[1, 2, 3.0], [4, 5, 6]], confidence=(0.95, 0.998)).to_frame(
                **orgs
            ),
            True,
        ),
        "LifeExpectancyResult": (
            lambda: indicators.life_expectancy(
                np.tile(np.arange(1.0, 21.0) * 3, (2, 1)), np.full((2, 20), 5000.0)
            ).to_frame(**orgs),
            True,
        ),
        "SIIResult": (
            lambda: indicators.sii(
                [10, 12, 14, 16, 18.0],
                [1000] * 5,
                lower=[8, 10, 12, 14, 16.0],
                upper=[12, 14, 16, 18, 20.0],
                rii=True,
                reps=1000,
                seed=1,
            ).to_frame(organisations=["E92000001"]),
            True,
        ),
        "Achievability": (
            lambda: realism.achievability([-0.03, -0.01], history, polarity="lower").to_frame(
                organisations=["A", "B"]
            ),
            True,
        ),
        "Probability": (
            lambda: realism.probability(
                history, [92.0, 85.0, 75.0], polarity="lower", horizon=2
            ).to_frame(organisations=["A", "B", "C"], period="2020"),
            True,
        ),
        "Forecast": (
            lambda: realism.forecast(history, horizons=(1, 2)).to_frame(
                organisations=["A", "B", "C"], periods=["2019", "2020"]
            ),
            True,
        ),
        "Backtest": (
            lambda: realism.backtest(
                history, planned_change=-0.01, polarity="lower", horizons=(1,)
            ).to_frame(table="forecasts", organisations=["A", "B", "C"]),
            True,
        ),
        "Realism": (
            lambda: realism.trajectory_realism(
                outcomes.percentage_change(
                    [96.0, 79.0], -0.03, start="2019", end="2021/22", polarity="lower"
                ),
                history,
                areas=["A", "B", "C"],
                periods=[str(y) for y in range(2019 - history.shape[1] + 1, 2020)],
            ).to_frame(measure_name="Example measure"),
            True,
        ),
        "MetricScores": (
            lambda: oversight.metric_scores(
                [[0.9, 0.8, float("nan")], [0.5, 0.7, 0.6]], polarity="higher", metric="OF0023"
            ).to_frame(organisations=["RXA", "RXB", "RXC"], period="2025/26 Q1"),
            True,
        ),
        "Segmentation": (
            lambda: oversight.segments([1.1, 1.5, 2.5, 3.9]).to_frame(
                organisations=["RXA", "RXB", "RXC", "RXD"]
            ),
            True,
        ),
    }


CASES = _cases()


def check_contract(frame: Any, *, organisations: bool, identity: bool = True) -> None:
    """The frame contract, column by column."""
    assert isinstance(frame, pd.DataFrame) and len(frame) > 0
    if identity:  # a result's own frame (the methods on frames keep the index given)
        assert isinstance(frame.index, pd.RangeIndex)
        head = (ORGANISATIONS if organisations else []) + IDENTITY
        assert [c for c in frame.columns if c in head] == head, list(frame.columns)
        if organisations:
            assert list(frame.columns[:2]) == ORGANISATIONS
    for name in frame.columns:
        dtype = frame[name].dtype
        assert not pd.api.types.is_object_dtype(dtype), f"{name} is an object column"
        if isinstance(dtype, pd.CategoricalDtype):
            if name == "period" or str(name).endswith("_period"):
                assert dtype.ordered, f"{name} is not ordered"
            continue
        assert str(dtype) in ("float64", "boolean"), f"{name} is {dtype}"


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_result_frame_keeps_the_contract(name: str) -> None:
    make, organisations = CASES[name]
    check_contract(make(), organisations=organisations)


def _classes_with_to_frame() -> set[str]:
    found = set()
    for info in pkgutil.walk_packages(outcomes.__path__, "outcomes."):
        if info.name.startswith(
            ("outcomes.cli", "outcomes.__main__", "outcomes.testing", "outcomes.demo")
        ):
            continue
        module = importlib.import_module(info.name)
        for cls_name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__ and "to_frame" in cls.__dict__:
                found.add(cls_name)
    return found


def test_every_class_with_to_frame_is_checked() -> None:
    found = _classes_with_to_frame()
    # the Fingertips frame keeps Fingertips' own names: checked on its own below
    assert found - {"FingertipsData", "IndicatorResult"} <= set(CASES), found - set(CASES)
    assert {"IndicatorResult", "SIIResult", "Backtest", "AuditReports"} <= found | set(CASES)


def test_the_fingertips_frame_keeps_fingertips_names_and_dtypes() -> None:
    frame = outcomes.read_fingertips(CAMPYLOBACTER).to_frame()
    assert {"Area Code", "Area Name", "Indicator ID", "Time period", "Value"} <= set(frame.columns)
    assert str(frame["Indicator ID"].dtype) == "Int64" and str(frame["line"].dtype) == "int64"
    rest = frame.drop(columns=["Indicator ID", "line"])
    check_contract(rest, organisations=False, identity=False)


def test_trajectory_frame_values_and_labels() -> None:
    frame = CASES["Trajectory"][0]()
    assert frame["organisation"].tolist() == ["00C", "00C", "00D", "00D"]
    assert frame["organisation_name"].tolist()[-1] == "Durham"
    assert frame["period"].cat.categories.tolist() == ["2014/15", "2015/16"]
    assert frame["target"].tolist() == pytest.approx([90.0, 81.0, 180.0, 162.0])


def test_score_frame_missing_actual_is_marked() -> None:
    frame = CASES["Score"][0]()
    grey = frame[frame["rag"] == "GREY"].iloc[0]
    assert np.isnan(grey["actual"]) and grey["met"] is pd.NA and grey["verdict"] == "NOT_AVAILABLE"
    # every RAG is a category, in the enum's order, even those no cell got
    assert frame["rag"].cat.categories.tolist() == ["GREEN", "AMBER", "RED", "GREY"]


def test_plan_frames_use_the_measure_key_and_keep_categories_across_measures() -> None:
    results = _plan_results()
    targets = results["PlanTargets"].to_frame()
    assert targets["measure"].cat.categories.tolist()[:2] == ["pyll", "eq5d"]
    assert targets["measure_name"].iloc[0].startswith("Ambition 1")
    # baselines from calendar and financial years, in time order
    assert targets["baseline_period"].cat.categories.tolist() == ["2012", "2012/13", "2013",
                                                                  "2013/14"]  # fmt: skip
    scores = results["PlanScores"].to_frame()
    assert str(scores["rag"].dtype) == "category" and "AMBER" in scores["rag"].cat.categories
    assert len(scores) == sum(s.target.size for s in results["PlanScores"].values())


def test_premium_frame_sums_to_the_total() -> None:
    from outcomes.incentives import quality_premium

    r = quality_premium(
        "quality-premium-2014-15",
        population=250_000,
        achieved={"pyll": True, "emergency-admissions": 0.5},
        constitution_missed=["ae-4-hours"],
    )
    frame = r.to_frame(organisation="99Z")
    assert round(frame["earned"].sum(), 2) == r.total_pence
    failed = quality_premium(
        "quality-premium-2014-15", population=1000, achieved={"pyll": True}, quality_failure=True
    )
    assert failed.to_frame()["earned"].sum() == pytest.approx(0.0, abs=1e-9)


def test_audit_frame_flags_the_cell() -> None:
    frame = CASES["AuditReport"][0]()
    row = frame[frame["period"] == "2018/19"].iloc[0]
    assert row["printed"] == 1349 and row["fitted"] == 1383 and row["flag"] == "inconsistent"
    assert "7 steps" in row["explanation"]
    many = CASES["AuditReports"][0]()
    assert sorted(set(many["row"])) == [1.0, 2.0, 3.0, 4.0]
    assert not many[many["row"] == 4]["audited"].any()


def test_indicator_frames_label_groups_and_levels() -> None:
    frame = CASES["MeanResult"][0]()
    assert {"lower", "upper", "lower_99_8", "upper_99_8"} <= set(frame.columns)
    assert frame["confidence"].iloc[0] == "95%, 99.8%"
    life = CASES["LifeExpectancyResult"][0]()
    assert len(life) == 40 and life["start_age"].iloc[:3].tolist() == [0.0, 1.0, 5.0]
    sii = CASES["SIIResult"][0]()
    assert {"sii", "sii_lower", "sii_upper", "rii", "rii_lower", "rii_upper"} <= set(sii.columns)


def test_a_wrong_number_of_labels_names_both_counts() -> None:
    from outcomes.indicators import crude_rate

    with pytest.raises(InputError, match=r"organisations has 3 code.* 2 row"):
        crude_rate([30, 45], [10_000, 12_000]).to_frame(organisations=["A", "B", "C"])
    with pytest.raises(InputError, match="organisation_names has 1 name"):
        crude_rate([30, 45], [10_000, 12_000]).to_frame(
            organisations=["A", "B"], organisation_names=["x"]
        )


# --------------------------------------------------------------------------------------------
# benchmarking on frames
# --------------------------------------------------------------------------------------------


def test_benchmarking_on_a_fingertips_frame_matches_the_array_methods() -> None:
    from outcomes import benchmark

    df = outcomes.read_fingertips(CAMPYLOBACTER).to_frame()
    utla = df[
        (df["Area Type"] == "County & UA")
        & (df["Time period"] == "2017")
        & (df["Age"] == "All ages")
        & (df["Category Type"] == "")
    ]
    out = frames.compare(
        utla,
        value="Value",
        benchmark=96.5,
        polarity="lower",
        lower="Lower CI 95.0 limit",
        upper="Upper CI 95.0 limit",
    )
    want = benchmark.compare(
        utla["Value"].to_numpy(),
        96.5,
        polarity="lower",
        lower=utla["Lower CI 95.0 limit"].to_numpy(),
        upper=utla["Upper CI 95.0 limit"].to_numpy(),
    )
    assert out["significance"].astype(str).tolist() == want.tolist()
    assert out["significance"].cat.categories.tolist() == [s.value for s in benchmark.Significance]
    check_contract(out.drop(columns=["Indicator ID", "line"]), organisations=False, identity=False)
    funnel = frames.funnel_significance(
        utla, numerator="Count", denominator="Denominator", statistic="rate", per=100_000
    )
    assert set(funnel["funnel_significance"].dropna()) <= {f.value for f in
                                                           benchmark.FunnelSignificance}  # fmt: skip
    table = frames.funnel_table(
        utla, numerator="Count", denominator="Denominator", statistic="rate", per=100_000
    )
    check_contract(table, organisations=False, identity=False)
    with pytest.raises(InputError, match="no column 'Valeu'"):
        frames.compare(utla, value="Valeu", benchmark=96.5, polarity="lower")


def test_recent_trend_on_a_long_frame() -> None:
    df = outcomes.read_fingertips(CAMPYLOBACTER).to_frame()
    utla = df[(df["Area Type"] == "County & UA") & (df["Age"] == "All ages")
              & (df["Category Type"] == "")]  # fmt: skip
    trends = frames.recent_trend(
        utla,
        area="Area Code",
        area_name="Area Name",
        period="Time period",
        value="Value",
        lower="Lower CI 95.0 limit",
        upper="Upper CI 95.0 limit",
        polarity="lower",
        points=3,
    )
    check_contract(trends, organisations=True)
    assert len(trends) == utla["Area Code"].nunique() and set(trends["period"]) == {"2017"}
    assert trends["organisation_name"].iloc[0] != ""


# --------------------------------------------------------------------------------------------
# the workflow takes long DataFrames
# --------------------------------------------------------------------------------------------


def test_baselines_and_actuals_as_frames_give_what_the_files_give() -> None:
    plan = EXAMPLES / "illustrative-icb.toml"
    baselines = pd.read_csv(EXAMPLES / "illustrative-icb-baselines.csv")
    from_file = outcomes.run_plan(plan).to_frame()
    from_frame = outcomes.run_plan(plan, baselines=baselines).to_frame()
    pd.testing.assert_frame_equal(from_file, from_frame)
    # categorical and nullable columns, as a previous frame would have them
    typed = baselines.astype(
        {"organisation": "category", "measure": "category", "value": "Float64"}
    )
    again = outcomes.run_plan(plan, baselines=typed).to_frame()
    pd.testing.assert_frame_equal(from_file, again)
    # the published targets' frame, renamed, is a frame of actuals (one missing)
    targets = outcomes.run_plan(plan, baselines=baselines)
    published = frames.concat([targets.published(k).to_frame(measure=k) for k in targets])
    actuals = published.rename(columns={"target": "value"})[
        ["organisation", "measure", "period", "value"]
    ]
    actuals["value"] = actuals["value"].astype("Float64")
    actuals.loc[0, "value"] = pd.NA
    scores = outcomes.score_plan(plan, actuals, baselines=baselines).to_frame()
    assert scores["rag"].iloc[0] == "GREY" and (scores["rag"].iloc[1:] == "GREEN").all()


def test_a_plan_may_leave_its_baselines_to_run_time() -> None:
    from outcomes.plan import parse_plan

    plan = parse_plan(
        'first = "2016"\nend = "2017"\n[measures.x]\npolarity = "lower"\n'
        'rule = { name = "percentage_change", rate = -0.05 }\n'
    )
    with pytest.raises(InputError, match="no \\[organisation\\] table and names no baselines"):
        outcomes.run_plan(plan)
    baselines = pd.DataFrame(
        {"organisation": ["E1"], "measure": ["x"], "period": ["2015"], "value": [10.0]}
    )
    assert outcomes.run_plan(plan, baselines=baselines)["x"].values.tolist() == [
        pytest.approx([9.5, 9.025])
    ]
    with pytest.raises(OutcomesError, match="give a baseline but the plan has no"):
        parse_plan(
            '[measures.x]\npolarity = "lower"\nbaseline = { value = 1.0, period = "2015" }\n'
            'rule = { name = "hold" }\n'
        )


def test_peers_from_a_fingertips_frame_are_the_peers_from_the_file() -> None:
    selection = {"period": "2017", "area_type": "County & UA", "age": "All ages"}
    from_file = outcomes.select_peers(str(CAMPYLOBACTER), **selection)
    frame = outcomes.read_fingertips(CAMPYLOBACTER).to_frame()
    from_frame = outcomes.select_peers(frame, **selection)
    np.testing.assert_array_equal(from_file.values, from_frame.values)
    assert from_file.areas == from_frame.areas and from_frame.names[0]
    # a filtered frame still refuses to pool what it holds
    with pytest.raises(InputError, match="age is open"):
        outcomes.select_peers(frame[frame["Time period"] == "2016"], area_type="County & UA",
                              period="2016")  # fmt: skip
    with pytest.raises(InputError, match="not a Fingertips export"):
        outcomes.select_peers(pd.DataFrame({"x": [1]}), period="2017", area_type="x")
    with pytest.raises(InputError, match="got int"):
        outcomes.select_peers(3, period="2017", area_type="x")


def test_peers_given_as_a_whole_frame_or_text_are_refused_by_name() -> None:
    from outcomes.plan import parse_plan

    plan = parse_plan(
        'first = "2016"\nend = "2017"\n[measures.x]\npolarity = "lower"\n'
        'rule = { name = "quantile_step" }\n'
    )
    baselines = pd.DataFrame(
        {"organisation": ["E1"], "measure": ["x"], "period": ["2015"], "value": [100.0]}
    )
    frame = outcomes.read_fingertips(CAMPYLOBACTER).to_frame()
    with pytest.raises(InputError, match="got a DataFrame: select one peer set"):
        outcomes.run_plan(plan, baselines=baselines, peers={"x": frame})
    with pytest.raises(InputError, match="peers must be numbers"):
        outcomes.run_plan(plan, baselines=baselines, peers={"x": ["a", "b"]})
    values = frame.loc[(frame["Time period"] == "2015") & (frame["Area Type"] == "County & UA")
                       & (frame["Age"] == "All ages"), "Value"].dropna()  # fmt: skip
    t = outcomes.run_plan(plan, baselines=baselines, peers={"x": values})
    assert t.peers["x"].n == len(values)


# --------------------------------------------------------------------------------------------
# the contract itself
# --------------------------------------------------------------------------------------------


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.sampled_from(["2014/15", "2013", "2015/16 Q2", "Mar 2016", ""]), min_size=1),
    st.lists(st.one_of(st.floats(allow_nan=True), st.integers(-5, 5)), min_size=1, max_size=8),
)
def test_tidy_and_concat_never_leave_object_columns(periods: list[str], numbers: list[Any]) -> None:
    n = min(len(periods), len(numbers), 8)
    a = frames.tidy({"period": periods[:n], "code": ["x"] * n, "value": numbers[:n]})
    b = frames.tidy({"period": periods[:n][::-1], "other": [True] * n})
    both = frames.concat([a, b])
    check_contract(both, organisations=False, identity=False)
    order = [c for c in both["period"].cat.categories if c]
    starts = [outcomes.periods.period(c).start for c in order]
    assert starts == sorted(starts)


def test_label_arguments_of_the_wrong_type_are_refused() -> None:
    """Found by the long fuzz profile: a bool as forecast periods (was a TypeError from len)
    and a dict as a premium's organisation (was pandas' "unhashable type")."""
    from outcomes.realism import forecast

    f = forecast([[10.0, 11, 12], [20, 21, 23], [30, 29, 31]], horizons=(1, 2))
    with pytest.raises(InputError, match="periods must be a list of labels"):
        f.to_frame(periods=False)  # type: ignore[arg-type]
    assert f.to_frame(periods=[2018, 2019])["period"].tolist()[:2] == ["2018", "2019"]
    premium = outcomes.quality_premium(
        "quality-premium-2014-15", population=250_000, achieved={"pyll": True}
    )
    with pytest.raises(InputError, match="organisation must be text"):
        premium.to_frame(organisation={"a": 1})  # type: ignore[arg-type]
    with pytest.raises(InputError, match="organisation_name must be text"):
        premium.to_frame(organisation="99Z", organisation_name=3)  # type: ignore[arg-type]
