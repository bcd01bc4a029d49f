"""reach_objective and monthly plans to today's planning objectives: the rule's maths, plan
files naming an objective, scoring month by month, the workbook, the chart and the report, and
fuzzing the rule (finite output or an OutcomesError)."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from outcomes import catalogue, frameworks
from outcomes.cli import main
from outcomes.errors import (
    InputError,
    OutcomesError,
    OutcomesWarning,
    PeriodError,
    TrajectoryError,
    UnitError,
)
from outcomes.periods import Month, Quarter
from outcomes.polarity import Polarity
from outcomes.rules import describe_rule, get
from outcomes.rules.objectives import (
    objective_provenance,
    objective_words,
    reach_objective,
    seasonal_factors,
)
from outcomes.testing import assert_trajectory_invariants
from outcomes.workflow import parse_plan, run_plan, score_plan

ROOT = Path(__file__).parent.parent
EXAMPLES = ROOT / "examples"
TRUST = EXAMPLES / "illustrative-trust-2025-26.toml"
TRUST_ACTUALS = EXAMPLES / "illustrative-trust-2025-26-actuals.csv"
AE = "planning-2025-26/ae-4-hour"
RTT = "planning-2025-26/rtt-18-weeks"
FDS = "planning-2025-26/cancer-fds-28-day"
CAT2 = "planning-2025-26/ambulance-cat2-mean"
WAITS_52 = "planning-2025-26/rtt-52-weeks"
WINTER = [1.010, 1.015, 1.015, 1.010, 1.005, 1.000, 0.995, 0.990, 0.975, 0.985, 0.995, 1.005]

# --------------------------------------------------------------------------------------------
# the rule's maths
# --------------------------------------------------------------------------------------------


def assert_monotone_and_not_worse(t: object) -> None:
    """What a trajectory without seasonal factors also promises: it moves from the baseline
    towards its end value without overshooting, and no value is worse than the baseline."""
    from outcomes.trajectory import Trajectory

    assert isinstance(t, Trajectory) and t.polarity is not None
    assert "seasonal" not in t.rule.parameters
    base, target = t.baseline[..., np.newaxis], t.target[..., np.newaxis]
    slack = 1e-9 * np.maximum(np.abs(t.values).max(initial=1.0), 1.0)
    steps = np.diff(np.concatenate([base, t.values], axis=-1), axis=-1)
    assert (steps * np.sign(target - base) >= -slack).all(), "not monotone"
    assert (t.values >= np.minimum(base, target) - slack).all(), "overshoots"
    assert (t.values <= np.maximum(base, target) + slack).all(), "overshoots"
    assert (t.polarity.sign * (t.values - base) >= -slack).all(), "worse than the baseline"


def test_monthly_path_reaches_the_objective_by_its_deadline_in_equal_steps() -> None:
    t = reach_objective(70.4, AE, start="Mar 2025")
    assert [str(p) for p in t.periods] == [str(Month(2025, 4).shift(i)) for i in range(12)]
    assert t.end == Month(2026, 3) and t.target == 78.0 and t["Mar 2026"] == 78.0
    np.testing.assert_allclose(np.diff(np.r_[70.4, t.values]), (78.0 - 70.4) / 12)
    assert t.polarity is Polarity.HIGHER_IS_BETTER and t.unit == "percent"
    assert t.measure == "A&E 4-hour performance"
    assert_trajectory_invariants(t)
    assert_monotone_and_not_worse(t)


def test_recorded_parameters_say_the_objective_and_its_provenance() -> None:
    p = reach_objective(70.4, AE, start="Mar 2025").rule.parameters
    assert p["objective"] == AE and p["reference"] == "PG25-6"
    assert (p["target"], p["comparison"], p["deadline"], p["level"]) == (
        78.0,
        "at_least",
        "Mar 2026",
        "national",
    )
    assert p["national"] == 78.0  # the reference line of charts and reports
    assert p["status"] == "partly" and "target 78 partly confirmed" in p["unconfirmed"]
    assert p["sources"] == ["N32", "N34", "N35"]
    # the status is never presented as confirmed
    rtt = reach_objective(55.0, RTT, start="Dec 2024").rule.parameters
    assert "baseline month Dec 2024 unconfirmed" in rtt["unconfirmed"]
    assert rtt["minimum_improvement"] == 5.0 and rtt["improvement_kind"] == "absolute"


def test_the_sentence_and_the_provenance_in_words() -> None:
    t = reach_objective(70.4, AE, start="Mar 2025")
    assert describe_rule(t) == (
        "reach the 2025/26 planning objective of 78.0% (at least) by Mar 2026 from the Mar 2025 "
        "baseline, in equal monthly steps; the target is partly confirmed"
    )
    words = objective_provenance(t)
    assert words is not None
    assert words.startswith(f"{AE} (PG25-6, NHS priorities and operational planning guidance")
    assert "not confirmed: objective partly confirmed, target 78 partly confirmed" in words
    assert "N32 NHS England - 2025/26 priorities" in words  # the citation, not just the key
    assert objective_provenance(t, cite=False).endswith("sources: N32, N34, N35")  # type: ignore[union-attr]
    rtt = reach_objective([50.0, 60.0], RTT, start="Mar 2025", end="2025/26 Q4")
    sentence = describe_rule(rtt)
    assert "for each organisation: 5.0 percentage points better than its own baseline" in sentence
    assert "(capped at 100%)" in sentence and "in equal quarterly steps" in sentence
    assert "the national objective is 65.0% (at least)" in sentence
    assert "the guidance's own baseline month is Dec 2024" in sentence
    assert "65.0% nationally and each organisation" in objective_words(rtt)
    later = reach_objective(40.0, CAT2, start="2024/25", end="Mar 2026")
    assert "by Mar 2026 (the objective's deadline is 2025/26)" in describe_rule(later)
    assert objective_provenance(reach_objective(40.0, CAT2, start="2024/25")) is not None
    same_day = reach_objective(70.0, AE, start="2024/25", end="2025/26 Q4")
    assert "by 2025/26 Q4 from" in describe_rule(same_day)  # Q4 ends with March: no note
    cost = reach_objective(1000.0, "planning-2025-26/trust-cost-base", start="2024/25")
    assert cost.values.tolist() == [990.0]
    assert "objective of a change of -1% of the baseline (at most) by 2025/26" in describe_rule(
        cost
    )
    from outcomes import hold

    assert objective_provenance(hold(1.0, start="2013/14", end="2014/15")) is None


def test_a_baseline_already_at_or_beyond_the_target_holds() -> None:
    t = reach_objective([81.0, 78.0, 60.0], AE, start="Mar 2025")
    assert t.target.tolist() == [81.0, 78.0, 78.0]
    assert (t.values[0] == 81.0).all() and (t.values[1] == 78.0).all()
    assert_trajectory_invariants(t)
    assert_monotone_and_not_worse(t)
    assert "2 of 3 baselines already meet it and are held" in describe_rule(t)
    one = reach_objective(90.0, AE, start="Mar 2025")
    assert "the baseline already meets it, so it is held" in describe_rule(one)


def test_at_most_objectives_fall_to_their_target_and_never_rise() -> None:
    t = reach_objective([42.5, 28.0], CAT2, start="2024/25")
    assert t.polarity is Polarity.LOWER_IS_BETTER and t.unit == "minutes"
    assert [str(p) for p in t.periods] == ["2025/26"]
    assert t.values[:, -1].tolist() == [30.0, 28.0]  # 28 minutes already meets it: held
    waits = reach_objective(2.8, WAITS_52, start="Mar 2025", end="2025/26 Q4")
    np.testing.assert_allclose(waits.values, [2.35, 1.9, 1.45, 1.0])
    assert (np.diff(waits.values) < 0).all()
    assert_trajectory_invariants(waits)
    assert_monotone_and_not_worse(waits)
    assert_monotone_and_not_worse(t)
    assert describe_rule(waits).startswith("reach the 2025/26 planning objective of 1.0% (at most)")


def test_per_organisation_plus_five_points_is_capped_at_100() -> None:
    t = reach_objective([52.0, 63.0, 96.5, 100.0], RTT, start="Dec 2024")
    assert t.target.tolist() == [57.0, 68.0, 100.0, 100.0]
    assert len(t.periods) == 15 and str(t.periods[0]) == "Jan 2025"
    assert (t.values <= 100.0).all() and (t.values[3] == 100.0).all()
    objective = frameworks.load("planning-2025-26").objective("rtt-18-weeks")
    np.testing.assert_array_equal(
        t.target, objective.organisation_target(np.array([52.0, 63.0, 96.5, 100.0]))
    )
    assert_trajectory_invariants(t)
    assert_monotone_and_not_worse(t)


def test_seasonal_factors_keep_the_end_value_and_follow_the_formula() -> None:
    flat = reach_objective(71.2, AE, start="Mar 2025")
    t = reach_objective(71.2, AE, start="Mar 2025", seasonal=WINTER)
    assert t["Mar 2026"] == 78.0 and t.target == 78.0
    f = np.array(WINTER)
    # L_0 = b / f(Mar), L_n = T / f(Mar), v_k = L_k f(month_k) with L linear in k
    level = 71.2 / f[11] + (78.0 / f[11] - 71.2 / f[11]) * np.arange(1, 13) / 12
    np.testing.assert_allclose(t.values, level * f, rtol=1e-12)
    assert t["Dec 2025"] < t["Nov 2025"]  # the winter dip is in the plan
    assert not np.allclose(t.values, flat.values)
    assert t.rule.parameters["seasonal"] == pytest.approx(WINTER)
    assert "with a seasonal pattern laid over the path" in describe_rule(t)
    # the baseline month's own factor: from a December baseline, December is compared with
    # December's pattern
    dec = reach_objective(70.0, AE, start="Dec 2024", seasonal=WINTER)
    assert dec["Mar 2026"] == 78.0
    quarterly = reach_objective(
        71.2, AE, start="Mar 2025", end="2025/26 Q4", seasonal=[1.02, 1.0, 0.97, 1.01]
    )
    assert quarterly.values[-1] == 78.0 and quarterly.values[2] < quarterly.values[1]
    # a peak above 100% is capped at 100%
    high = reach_objective(99.0, AE, start="Mar 2025", seasonal=[1.05] * 6 + [0.95] * 6)
    assert (high.values <= 100.0).all() and high.values.max() == 100.0


def test_seasonal_factors_are_checked() -> None:
    assert seasonal_factors([1.0005] * 12).tolist() == pytest.approx([1.0] * 12)
    with pytest.raises(TrajectoryError, match="12 monthly factors"):
        seasonal_factors([1.0] * 5)
    with pytest.raises(TrajectoryError, match="above zero"):
        seasonal_factors([2.0, 0.0, 1.0, 1.0])
    with pytest.raises(TrajectoryError, match="must average 1"):
        seasonal_factors([1.2] * 4)
    with pytest.raises(TrajectoryError, match="finite"):
        seasonal_factors([float("nan")] * 4)
    with pytest.raises(TrajectoryError, match="12 factors, for monthly periods; the periods"):
        reach_objective(70.0, AE, start="Mar 2025", end="2025/26 Q4", seasonal=WINTER)
    with pytest.raises(TrajectoryError, match="for quarterly periods"):
        reach_objective(70.0, AE, start="2024/25", end="2025/26", seasonal=[1.0] * 4)


def test_scalar_equals_vectorised() -> None:
    baselines = np.array([48.0, 61.5, 77.0, 99.0])
    for ref, seasonal in ((AE, None), (RTT, None), (AE, WINTER), (FDS, WINTER)):
        together = reach_objective(baselines, ref, start="Mar 2025", seasonal=seasonal)
        for i, b in enumerate(baselines):
            alone = reach_objective(float(b), ref, start="Mar 2025", seasonal=seasonal)
            np.testing.assert_array_equal(together.values[i], alone.values)
            assert together.target[i] == alone.target
    grid = reach_objective(baselines.reshape(2, 2), RTT, start="Mar 2025")
    assert grid.values.shape == (2, 2, 12)


def test_months_quarters_and_years() -> None:
    months = reach_objective(60.0, FDS, start="Mar 2025")
    quarters = reach_objective(60.0, FDS, start="Mar 2025", end="2025/26 Q4")
    years = reach_objective(60.0, FDS, start="2024/25", end="2025/26")
    assert isinstance(quarters.periods[0], Quarter) and len(quarters.periods) == 4
    np.testing.assert_allclose(quarters.values, months.values[2::3])
    assert years.values.tolist() == [80.0]
    # given periods and no end: the deadline in the periods' kind
    q = reach_objective(
        60.0, FDS, start="Mar 2025", periods=["2025/26 Q2", "2025/26 Q3", "2025/26 Q4"]
    )
    assert str(q.end) == "2025/26 Q4" and q.values[-1] == 80.0
    y = reach_objective(60.0, FDS, start="2023/24", periods=["2024/25", "2025/26"])
    assert str(y.end) == "2025/26" and y.values.tolist() == [70.0, 80.0]
    # from a financial-year baseline, April is the first month
    fy = reach_objective(60.0, FDS, start="2024/25")
    assert str(fy.periods[0]) == "Apr 2025" and len(fy.periods) == 12
    # plan-year indexing: the first reported month is one step
    py = reach_objective(
        56.0,
        RTT,
        start="Dec 2024",
        periods=["Apr 2025", "May 2025"],
        end="Mar 2026",
        indexing="plan-year",
    )
    np.testing.assert_allclose(py.values, [56.0 + 5.0 / 12, 56.0 + 10.0 / 12])


def test_profiles() -> None:
    front = reach_objective(66.0, AE, start="Mar 2025", profile="front-loaded")
    assert front["Sep 2025"] == pytest.approx(66.0 + 12.0 * 0.75)
    geometric = reach_objective(66.0, AE, start="Mar 2025", profile="geometric")
    assert geometric["Mar 2026"] == 78.0
    assert "in equal monthly percentage steps" in describe_rule(geometric)
    shares = [0.0] * 11 + [1.0]
    late = reach_objective(66.0, AE, start="Mar 2025", profile=shares)
    assert late["Feb 2026"] == 66.0 and late["Mar 2026"] == 78.0


def test_an_objective_model_gives_the_same_trajectory_as_its_id() -> None:
    objective = catalogue.find_objective(AE)
    a = reach_objective(70.0, objective, start="Mar 2025")
    b = reach_objective(70.0, AE, start="Mar 2025")
    assert a == b and a.rule.parameters["objective"] == AE
    made = objective.model_copy(update={"code": "my-ae"})
    mine = reach_objective(70.0, made, start="Mar 2025")
    assert mine.rule.parameters["objective"] == "my-ae"
    assert objective_provenance(mine).startswith("my-ae (PG25-6): at least 78.0%")  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"objective": "planning-2025-26/ae-4-hours"}, TrajectoryError, "did you mean 'ae-4-hour'"),
        ({"objective": "ae-4-hour"}, TrajectoryError, "expected '<planning edition>/<code>'"),
        ({"objective": "bcf-2025-26/x"}, TrajectoryError, "planning edition"),
        ({"objective": 78.0}, TrajectoryError, "objective must be an Objective"),
        (
            {"objective": "planning-2025-26/mental-health-length-of-stay"},
            TrajectoryError,
            "has no target value",
        ),
        (
            {"objective": "planning-2025-26/mental-health-investment-standard"},
            TrajectoryError,
            "no direction of improvement",
        ),
        ({"polarity": "lower"}, TrajectoryError, "contradicts objective"),
        ({"polarity": "none"}, TrajectoryError, "contradicts objective"),
        ({"polarity": "sideways"}, TrajectoryError, "polarity must be"),
        ({"unit": "proportion"}, UnitError, "differs from the unit 'percent'"),
        ({"unit": "furlongs"}, UnitError, "unknown unit"),
        ({"baseline": 104.0}, TrajectoryError, "between 0 and 100"),
        ({"baseline": float("nan")}, TrajectoryError, "finite"),
        ({"start": "Mar 2026"}, PeriodError, "must be after start"),
        ({"profile": "s-curve"}, TrajectoryError, "profile must be one of"),
        ({"end": "2025/26 Q3", "start": "Apr 2025"}, PeriodError, "end of a quarter"),
    ],
)
def test_bad_input_is_refused_by_name(kwargs: dict, error: type, match: str) -> None:
    args = {"baseline": 70.0, "objective": AE, "start": "Mar 2025"} | kwargs
    with pytest.raises(error, match=match):
        reach_objective(args.pop("baseline"), args.pop("objective"), **args)


def test_polarity_and_unit_that_agree_are_accepted() -> None:
    t = reach_objective(70.0, AE, start="Mar 2025", polarity="higher", unit="percent")
    assert t == reach_objective(70.0, AE, start="Mar 2025")


def test_registry_declaration() -> None:
    spec = get("reach_objective")
    assert spec.invariants == frozenset({"reaches_target"})
    assert spec.describe is not None and spec.example is not None and not spec.needs_polarity
    model = spec.plan_model.model_validate({"name": "reach_objective", "objective": AE})
    assert model.objective == AE and model.profile == "linear" and model.seasonal is None


# --------------------------------------------------------------------------------------------
# plan files
# --------------------------------------------------------------------------------------------

PLAN = """
illustrative = true
first = "Apr 2025"
end = "Mar 2026"
[organisation]
code = "X1"
name = "Trust"
population = 1
[measures.ae]
baseline = { value = 70.0, period = "Mar 2025" }
rule = { name = "reach_objective", objective = "planning-2025-26/ae-4-hour" }
"""


def test_a_measure_takes_name_unit_and_polarity_from_its_objective() -> None:
    plan = parse_plan(PLAN)
    assert plan.measures["ae"].objective == AE
    t = run_plan(plan)["ae"]
    assert (t.measure, t.unit, t.polarity) == (
        "A&E 4-hour performance",
        "percent",
        Polarity.HIGHER_IS_BETTER,
    )
    assert t.values[0, -1] == 78.0 and len(t.periods) == 12


def test_without_an_end_a_measure_ends_at_its_objectives_deadline() -> None:
    text = PLAN.replace('first = "Apr 2025"\nend = "Mar 2026"\n', "")
    t = run_plan(parse_plan(text))["ae"]
    assert str(t.end) == "Mar 2026" and len(t.periods) == 12
    quarterly = text.replace('period = "Mar 2025" }', 'period = "Mar 2025" }\nend = "2025/26 Q4"')
    assert len(run_plan(parse_plan(quarterly))["ae"].periods) == 4


def test_plan_file_problems_name_the_key() -> None:
    bad = PLAN.replace("ae-4-hour", "ae-4-hours")
    with pytest.raises(
        InputError,
        match=r"measures\.ae\.rule\.objective: unknown planning objective 'ae-4-hours'; did you",
    ):
        parse_plan(bad, source="bad.toml")
    seasonal = PLAN.replace('ae-4-hour" }', 'ae-4-hour", seasonal = [1.2, 1.0, 1.0, 1.0] }')
    with pytest.raises(InputError, match="must average 1"):
        parse_plan(seasonal)
    no_target = PLAN.replace("ae-4-hour", "mental-health-length-of-stay")
    with pytest.raises(InputError, match="has no target"):
        parse_plan(no_target)
    contradicting = PLAN.replace("[measures.ae]\n", '[measures.ae]\npolarity = "lower"\n')
    with pytest.raises(TrajectoryError, match=r"measures\.ae: polarity 'lower' contradicts"):
        run_plan(parse_plan(contradicting))
    no_direction = PLAN.replace(
        'rule = { name = "reach_objective", objective = "planning-2025-26/ae-4-hour" }',
        'rule = { name = "hold" }',
    )
    with pytest.raises(InputError, match="give polarity"):
        parse_plan(no_direction)


def test_several_trusts_from_a_baselines_table(tmp_path: Path) -> None:
    (tmp_path / "baselines.csv").write_text(
        "organisation,name,measure,value,period\n"
        "XA,Trust A,rtt,52.0,Dec 2024\nXB,Trust B,rtt,63.5,Dec 2024\nXC,Trust C,rtt,97.0,Dec 2024\n"
        "XA,Trust A,ae,70.1,Mar 2025\nXB,Trust B,ae,79.0,Mar 2025\nXC,Trust C,ae,75.2,Mar 2025\n",
        encoding="utf-8",
    )
    plan = tmp_path / "plan.toml"
    plan.write_text(
        'baselines = "baselines.csv"\nfootprint = "icb"\nillustrative = true\n'
        'first = "Apr 2025"\nend = "Mar 2026"\n'
        '[measures.rtt]\nrule = { name = "reach_objective", objective = "planning-2025-26/rtt-18-weeks" }\n'
        '[measures.ae]\nrule = { name = "reach_objective", objective = "planning-2025-26/ae-4-hour" }\n',
        encoding="utf-8",
    )
    targets = run_plan(plan)
    assert targets["rtt"].target.tolist() == [57.0, 68.5, 100.0]
    assert targets["ae"].values[:, -1].tolist() == [78.0, 79.0, 78.0]
    assert "objective for rtt" in targets.provenance()


# --------------------------------------------------------------------------------------------
# the shipped example through plan, score, the workbook, the chart and the report
# --------------------------------------------------------------------------------------------


def test_the_example_is_marked_illustrative() -> None:
    text = TRUST.read_text(encoding="utf-8")
    assert text.startswith("# An ILLUSTRATIVE acute trust")
    plan = parse_plan(text)
    assert plan.illustrative_plan and plan.footprint == "ccg"  # single organisation
    assert plan.organisation is not None and plan.organisation.footprint == "trust"
    assert {m.objective for m in plan.measures.values()} == {AE, RTT, FDS}


def test_monthly_actuals_score_with_a_rag_per_month() -> None:
    scores = score_plan(TRUST, TRUST_ACTUALS)
    ae = scores["ae-4-hour"]
    assert [str(p) for p in ae.periods][:2] == ["Apr 2025", "May 2025"]
    assert np.asarray(ae.rag).reshape(-1).tolist() == [
        "GREEN", "AMBER", "GREEN", "RED", "GREEN", "AMBER", *["GREY"] * 6
    ]  # fmt: skip
    assert ae.interval_method == "wilson"  # from each month's count and denominator
    fds = np.asarray(scores["cancer-fds-28-day"].rag).reshape(-1)
    assert fds[5] == "GREY"  # September not yet published: never a miss
    assert "objective for rtt-18-weeks" in scores.provenance()


def test_cli_plan_and_score(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", str(TRUST)]) == 0
    out = capsys.readouterr().out
    assert "ILLUSTRATIVE" in out and "Apr 2025" in out and "Mar 2026" in out
    assert "objective for ae-4-hour: planning-2025-26/ae-4-hour" in out
    assert "baseline month Dec 2024 unconfirmed" in out
    assert main(["score", str(TRUST), str(TRUST_ACTUALS)]) == 0
    out = capsys.readouterr().out
    assert "Sep 2025" in out and "AMBER" in out and "GREY" in out


def test_cli_workbook_has_month_columns_and_formats(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = tmp_path / "targets.xlsx"
    assert main(["plan", str(TRUST), "-o", str(book)]) == 0
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames == [
        "targets", "ae-4-hour", "rtt-18-weeks", "cancer-fds-28-day", "provenance"
    ]  # fmt: skip
    ae = wb["ae-4-hour"]
    header = [c.value for c in ae[1]]
    months = [str(Month(2025, 4).shift(i)) for i in range(12)]
    assert header == ["organisation", "organisation name", "baseline (Mar 2025)", *months]
    row = [c for c in ae[2]]
    assert row[-1].value == 78.0 and all(c.number_format == "#,##0.0" for c in row[2:])
    assert isinstance(row[3].value, float)  # numbers, not text
    provenance = {r[0]: r[1] for r in wb["provenance"].iter_rows(min_row=2, values_only=True)}
    assert "target 78 partly confirmed" in provenance["(objective for ae-4-hour)"]
    scored = tmp_path / "scores.xlsx"
    assert main(["score", str(TRUST), str(TRUST_ACTUALS), "-o", str(scored)]) == 0
    cells = wb_rows = list(openpyxl.load_workbook(scored)["scores"].iter_rows(values_only=True))
    assert wb_rows[0][:6] == (
        "organisation", "organisation name", "measure", "measure name", "period", "target"
    )  # fmt: skip
    assert [r[4] for r in cells[1:13]] == months


def test_cli_chart_svg(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("matplotlib")
    chart = tmp_path / "trust.svg"
    assert main(["score", str(TRUST), str(TRUST_ACTUALS), "--chart", str(chart)]) == 0
    svg = chart.read_text(encoding="utf-8")
    assert "national objective" in svg and "objective 78" in svg
    assert "England" not in svg  # an objective is not England's value
    assert "May 2025" in svg and "Mar 2026" in svg


def test_monthly_axis_is_proportional_with_a_half_month_margin() -> None:
    pytest.importorskip("matplotlib")
    from outcomes.plot import midpoint_year, plot_trajectory

    t = reach_objective(
        56.0, RTT, start="Dec 2024", periods=["Apr 2025", "May 2025"], end="Mar 2026"
    )
    fig = plot_trajectory(t)
    ax = fig.axes[0]
    lo, hi = ax.get_xlim()
    assert hi - lo < 0.6  # five months and a half-month margin each side, not a year
    xs = ax.get_lines()[0].get_xdata()
    gap = midpoint_year(Month(2025, 4)) - midpoint_year(Month(2024, 12))
    assert xs[1] - xs[0] == pytest.approx(gap)  # four months, in proportion


def test_cli_report_shows_measures_and_the_objectives_provenance(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("jinja2")
    out = tmp_path / "report.html"
    assert main(["report", str(TRUST), str(TRUST_ACTUALS), "-o", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    for name in (
        "A&amp;E 4-hour performance",
        "RTT: waiting list within 18 weeks",
        "Cancer 28-day Faster Diagnosis Standard",
    ):
        assert name in html
    assert "ILLUSTRATIVE" in html
    assert "<dt>objective</dt>" in html and "<dt>national objective</dt>" in html
    assert "England (national)" not in html
    assert "planning-2025-26/rtt-18-weeks (PG25-1" in html
    assert "baseline month Dec 2024 unconfirmed" in html
    assert "target 80 partly confirmed" in html
    assert "Every trust given individual elective waiting time target" in html  # N65 cited
    assert "AMBER when missed by no more than 0.5 percentage points" in html


# --------------------------------------------------------------------------------------------
# fuzzing the rule: finite output or an OutcomesError, nothing else
# --------------------------------------------------------------------------------------------

_REFS = [
    f"{fid}/{o.code}"
    for fid in catalogue.available()
    if fid.startswith("planning-")
    for o in frameworks.load(fid).objectives  # type: ignore[attr-defined]
]
_NUMBERS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=0.0, max_value=100.0),
    st.sampled_from([0.0, 1e-300, 1e300, -1.0, 100.0, 1e308]),
)
_PERIODS = st.one_of(
    st.builds(lambda y, m: str(Month(y, m)), st.integers(2015, 2027), st.integers(1, 12)),
    st.builds(
        lambda y, q: f"{y}/{(y + 1) % 100:02d} Q{q}", st.integers(2015, 2027), st.integers(1, 4)
    ),
    st.builds(lambda y: f"{y}/{(y + 1) % 100:02d}", st.integers(2015, 2027)),
    st.sampled_from(["2012", "garbage", "", "2025-13"]),
)


@settings(deadline=None)  # examples: the loaded profile (tests/conftest.py)
@given(
    baseline=st.one_of(_NUMBERS, st.lists(_NUMBERS, min_size=0, max_size=4)),
    objective=st.one_of(st.sampled_from(_REFS), st.text(max_size=30), st.none(), st.just(7)),
    start=_PERIODS,
    end=st.one_of(st.none(), _PERIODS),
    profile=st.one_of(
        st.sampled_from(["linear", "geometric", "front-loaded", "back-loaded", "spiral"]),
        st.lists(st.floats(allow_nan=True), max_size=13),
    ),
    seasonal=st.one_of(
        st.none(),
        st.lists(st.floats(allow_nan=True, allow_infinity=True), max_size=13),
        st.lists(st.floats(min_value=1e-300, max_value=2.0), min_size=12, max_size=12).map(
            lambda f: list(np.asarray(f) / np.mean(f))
        ),
    ),
    polarity=st.sampled_from([None, "higher", "lower", "none", "up"]),
)
def test_fuzz_reach_objective(
    baseline: object,
    objective: object,
    start: str,
    end: str | None,
    profile: object,
    seasonal: object,
    polarity: str | None,
) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warnings.simplefilter("ignore", OutcomesWarning)
        try:
            t = reach_objective(
                baseline,  # type: ignore[arg-type]
                objective,  # type: ignore[arg-type]
                start=start,
                end=end,
                profile=profile,  # type: ignore[arg-type]
                seasonal=seasonal,  # type: ignore[arg-type]
                polarity=polarity,
            )
        except OutcomesError:
            return
    assert np.isfinite(t.values).all() and np.isfinite(t.target).all()
    assert t.values.shape == (*t.baseline.shape, len(t.periods))
    if t.end in t.periods:
        np.testing.assert_array_equal(t.values[..., t.index(t.end)], t.target)
    assert_trajectory_invariants(t)
    if seasonal is None:
        assert_monotone_and_not_worse(t)
    assert describe_rule(t)


_PLANNABLE = [
    ref
    for ref in _REFS
    if catalogue.find_objective(ref).target is not None
    and catalogue.find_objective(ref).polarity is not Polarity.NO_JUDGEMENT
]


@settings(deadline=None)
@given(
    objective=st.sampled_from(_PLANNABLE),
    shares=st.lists(
        st.one_of(st.just(0.0), st.floats(min_value=1e-6, max_value=1.0)), min_size=1, max_size=4
    ),
    start=st.builds(Month, st.integers(2022, 2025), st.integers(1, 12)),
    months=st.integers(1, 30),
    profile=st.sampled_from(["linear", "front-loaded", "back-loaded", "geometric"]),
    seasonal=st.one_of(
        st.none(),
        st.lists(st.floats(min_value=0.5, max_value=1.5), min_size=12, max_size=12).map(
            lambda f: list(np.asarray(f) / np.mean(f))
        ),
    ),
)
def test_fuzz_reach_objective_on_sound_input(
    objective: str,
    shares: list[float],
    start: Month,
    months: int,
    profile: str,
    seasonal: list[float] | None,
) -> None:
    bound = {"percent": 100.0, "proportion": 1.0}.get(catalogue.find_objective(objective).unit)
    baseline = np.asarray(shares) * (bound or 1e5)
    goal = np.asarray(catalogue.find_objective(objective).organisation_target(baseline))
    if profile == "geometric" and ((baseline == 0) | (goal == 0)).any():
        # no percentage steps from or to zero
        with pytest.raises(TrajectoryError, match="geometric"):
            reach_objective(baseline, objective, start=start, end=start.shift(months),
                            profile=profile, seasonal=seasonal)  # fmt: skip
        return
    t = reach_objective(
        baseline, objective, start=start, end=start.shift(months), profile=profile,
        seasonal=seasonal,
    )  # fmt: skip
    assert np.isfinite(t.values).all()
    np.testing.assert_array_equal(t.values[:, -1], t.target)
    assert_trajectory_invariants(t)
    if seasonal is None:
        assert_monotone_and_not_worse(t)
    else:
        assert (t.values >= 0).all() and (bound is None or (t.values <= bound).all())
    alone = reach_objective(
        float(baseline[0]), objective, start=start, end=start.shift(months), profile=profile,
        seasonal=seasonal,
    )  # fmt: skip
    np.testing.assert_array_equal(alone.values, t.values[0])
