"""Today's framework editions pinned to the reference facts (frameworks-current.md).

The statuses (C/P/U) and source addresses of the reference are copied into
``tests/data/frameworks_current_status.csv`` and ``tests/data/frameworks_current_sources.csv``.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel

from conftest import read_csv
from outcomes import FrameworkError, Polarity, UnknownCodeError, frameworks
from outcomes.catalogue import BCFFramework, Parameter
from outcomes.catalogue.current import (
    BCFEdition,
    Objective,
    OversightFramework,
    PlanningGuidance,
    QOFFramework,
)
from outcomes.errors import OutcomesError, TrajectoryError
from outcomes.periods import CalendarYear, FinancialYear, Month

CURRENT = (
    "bcf-2023-25",
    "bcf-2025-26",
    "oversight-2022-23",
    "oversight-2025-26",
    "planning-2024-25",
    "planning-2025-26",
    "qof-2024-25",
    "qof-2025-26",
)
KINDS = {
    "bcf-2023-25": BCFEdition,
    "bcf-2025-26": BCFEdition,
    "oversight-2022-23": OversightFramework,
    "oversight-2025-26": OversightFramework,
    "planning-2024-25": PlanningGuidance,
    "planning-2025-26": PlanningGuidance,
    "qof-2024-25": QOFFramework,
    "qof-2025-26": QOFFramework,
}
LETTER = {"confirmed": "C", "partly": "P", "unconfirmed": "U"}
STRENGTH = {"U": 0, "P": 1, "C": 2}
STATUS_ROWS = {row["ref"]: row for row in read_csv("frameworks_current_status.csv")}
SOURCE_ROWS = {row["key"]: row for row in read_csv("frameworks_current_sources.csv")}
FOLDER = Path(frameworks.__file__).parent / "catalogue" / "data"


def load(fid: str) -> Any:
    return frameworks.load(fid)


def nodes(where: str, value: object, parent: BaseModel | None = None) -> Iterator[Any]:
    """(location, model, parent model) of every model in an edition, depth first."""
    if isinstance(value, BaseModel):
        yield where, value, parent
        for name in type(value).model_fields:
            yield from nodes(f"{where}.{name}", getattr(value, name), value)
    elif isinstance(value, tuple):
        for i, sub in enumerate(value):
            label = getattr(sub, "code", None) or getattr(sub, "id", None)
            label = label or getattr(sub, "number", i)
            yield from nodes(f"{where}[{label}]", sub, parent)
    elif isinstance(value, dict):
        for key, sub in value.items():
            yield from nodes(f"{where}.{key}", sub, parent)


def facts(fw: BaseModel) -> list[tuple[str, Any, Any]]:
    out = []
    for name in type(fw).model_fields:
        out.extend(nodes(name, getattr(fw, name)))
    return [n for n in out if hasattr(n[1], "status")]


# -- the editions load, validate and list ------------------------------------------------------


def test_the_eight_editions_are_available_and_load() -> None:
    assert set(CURRENT) <= set(frameworks.available())
    for fid in CURRENT:
        fw = load(fid)
        assert isinstance(fw, KINDS[fid]), fid
        assert fw.id == fid
        assert fw is load(fid)  # cached


@pytest.mark.parametrize("fid", CURRENT)
def test_edition_round_trips_through_its_file_and_json(fid: str, tmp_path: Path) -> None:
    fw = load(fid)
    assert frameworks.load_file(FOLDER / f"{fid}.toml") == fw
    path = tmp_path / f"{fid}.json"
    path.write_text(fw.model_dump_json())
    assert frameworks.load_file(path) == fw
    schema = type(fw).model_json_schema()
    json.dumps(schema)
    assert schema["type"] == "object"


def test_bcf_editions_are_the_bcf_kind() -> None:
    for fid in ("bcf-2015-16", "bcf-2023-25", "bcf-2025-26"):
        bcf = load(fid)
        assert isinstance(bcf, BCFFramework) and bcf.kind == "bcf"
    assert load("bcf-2015-16").payment is not None
    assert load("bcf-2023-25").payment is None and load("bcf-2025-26").payment is None
    assert load("bcf-2023-25").years == (FinancialYear(2023), FinancialYear(2024))
    assert load("bcf-2025-26").years == (FinancialYear(2025),)


def test_cli_lists_the_editions(capsys: pytest.CaptureFixture[str]) -> None:
    from outcomes.cli import main

    assert main(["frameworks"]) == 0
    out = capsys.readouterr().out
    for fid in CURRENT:
        assert fid in out
    for fid in CURRENT:
        assert main(["show", fid]) == 0


# -- provenance: sources, statuses, absent values ---------------------------------------------


@pytest.mark.parametrize("fid", CURRENT)
def test_sources_are_reference_keys_with_their_addresses(fid: str) -> None:
    fw = load(fid)
    assert fw.sources
    for key, text in fw.sources.items():
        assert key in SOURCE_ROWS, f"{fid}: {key} is not a key of the reference"
        address = SOURCE_ROWS[key]["address"]
        if address.startswith("http"):
            for part in address.split(" ; "):
                assert part in text, f"{fid}: {key} lacks its address {part}"
        else:
            assert "not recorded" in text or "No address" in text
    cited = {k for _, node, _ in facts(fw) for k in getattr(node, "sources", ())}
    assert cited == set(fw.sources), f"{fid}: listed but never cited: {set(fw.sources) - cited}"


@pytest.mark.parametrize("fid", CURRENT)
def test_every_number_cites_a_reference_source(fid: str) -> None:
    fw = load(fid)
    numbers = [(w, n) for w, n, _ in facts(fw) if isinstance(n, Parameter)]
    assert numbers or fid == "oversight-2022-23"
    for where, param in numbers:
        assert param.sources, f"{fid}: {where} = {param.value} cites no source"
        assert all(k in SOURCE_ROWS for k in param.sources), where


@pytest.mark.parametrize("fid", CURRENT)
def test_statuses_follow_the_reference(fid: str) -> None:
    """A fact tied to a reference row has a status within that row's range."""
    fw = load(fid)
    seen = 0
    for where, node, _ in facts(fw):
        ref = getattr(node, "ref", None)
        if ref is None:
            continue
        assert ref in STATUS_ROWS, f"{fid}: {where} cites unknown reference row {ref}"
        row = STATUS_ROWS[ref]
        got = STRENGTH[LETTER[node.status]]
        assert STRENGTH[row["weakest"]] <= got <= STRENGTH[row["strongest"]], (
            f"{fid}: {where} is {node.status}, reference {ref} is "
            f"{row['weakest']}..{row['strongest']}"
        )
        seen += 1
    assert seen >= 3


@pytest.mark.parametrize("fid", CURRENT)
def test_no_number_is_more_confirmed_than_its_fact(fid: str) -> None:
    fw = load(fid)
    for where, node, parent in facts(fw):
        if isinstance(node, Parameter) and parent is not None and hasattr(parent, "status"):
            assert STRENGTH[LETTER[node.status]] <= STRENGTH[LETTER[parent.status]], where


@pytest.mark.parametrize("fid", CURRENT)
def test_unconfirmed_lists_every_partly_and_unconfirmed_fact(fid: str) -> None:
    fw = load(fid)
    listed = fw.unconfirmed()
    expected = [f"{w} ({n.status})" for w, n, _ in facts(fw) if n.status != "confirmed"]
    assert sorted(listed) == sorted(expected)
    assert all(not entry.endswith("(confirmed)") for entry in listed)
    assert len(listed) == len(set(listed))


def test_every_reference_row_used_is_encoded_somewhere() -> None:
    refs = set()
    for fid in CURRENT:
        for _, node, _ in facts(load(fid)):
            refs.add(getattr(node, "ref", None))
            refs.update(re.findall(r"\b[A-Z]+\d*-\d+\b", getattr(node, "note", None) or ""))
    missing = set(STATUS_ROWS) - refs
    assert not missing, f"reference rows with no fact: {sorted(missing)}"


@pytest.mark.parametrize("fid", CURRENT)
def test_absent_values_have_reasons(fid: str) -> None:
    fw = load(fid)
    for entry in fw.missing():
        where, _, reason = entry.partition(": ")
        assert where and len(reason) > 20, entry


def test_absent_values_are_none_not_invented() -> None:
    assert load("qof-2025-26").point_value is None
    assert "not found" in load("qof-2025-26").point_value_missing_reason
    pg = load("planning-2025-26")
    for code in ("mental-health-length-of-stay", "gp-access-experience"):
        assert pg.objective(code).target is None
        assert "without a number" in pg.objective(code).target_missing_reason
    nof = load("oversight-2025-26")
    for m in nof.metrics:
        if m.code != "rtt-18-weeks":
            assert m.scoring is None and m.scoring_missing_reason
    assert nof.overrides[0].segment is None
    assert load("oversight-2022-23").metrics == ()


def test_an_absent_value_needs_a_reason_and_a_present_one_none(tmp_path: Path) -> None:
    text = (FOLDER / "qof-2025-26.toml").read_text()
    path = tmp_path / "qof.toml"
    path.write_text(re.sub(r"(?m)^point_value_missing_reason = .*\n", "", text))
    with pytest.raises(FrameworkError, match="point_value is absent"):
        frameworks.load_file(path)
    path.write_text(
        text.replace(
            "[total_points]",
            "[point_value]\nvalue = 1.0\nstatus = 'unconfirmed'\n"
            "sources = ['N54']\n\n[total_points]",
        )
    )
    with pytest.raises(FrameworkError, match="point_value is given"):
        frameworks.load_file(path)


def test_sources_must_be_listed_in_a_current_edition(tmp_path: Path) -> None:
    text = (FOLDER / "planning-2025-26.toml").read_text()
    path = tmp_path / "pg.toml"
    path.write_text(text.replace('sources = ["N33"]\n', 'sources = ["N99"]\n', 1))
    with pytest.raises(FrameworkError, match="N99"):
        frameworks.load_file(path)


# -- confirmed (C) values, each checked against the reference ----------------------------------


def fact(fw: Any, fact_id: str) -> Any:
    return next(f for f in fw.facts if f.id == fact_id)


def test_confirmed_bcf_values() -> None:
    bcf = load("bcf-2023-25")
    assert bcf.published == "2023-04-04"  # BCF-R1
    assert [o.statement.split(":")[0] for o in bcf.objectives] == [
        "Enable people to stay well, safe and independent at home for longer.",
        "Provide the right care in the right place at the right time.",
    ]  # BCF-R2
    assert all(o.status == "confirmed" for o in bcf.objectives)
    pot = fact(bcf, "discharge-fund-2023-24").value  # BCF-R4
    assert pot.value == 600e6 and pot.status == "confirmed" and pot.sources == ("N4",)
    icbs = fact(bcf, "discharge-fund-2023-24-via-icbs").value.value
    councils = fact(bcf, "discharge-fund-2023-24-via-councils").value.value
    assert icbs == councils == 300e6 and icbs + councils == pot.value
    uplift = fact(bcf, "icb-minimum-contribution-uplift").value  # BCF-R5
    assert uplift.value == pytest.approx(0.0566) and uplift.status == "confirmed"
    assert load("bcf-2025-26").published == "2025-01-30"  # BCF-R6
    assert fact(load("bcf-2025-26"), "round").status == "confirmed"


def test_confirmed_oversight_2025_26_values() -> None:
    nof = load("oversight-2025-26")
    assert nof.published == "2025-06-26"  # NOF25-1
    assert "12 to 30 May 2025" in fact(nof, "publication").statement
    of23 = nof.metric("OF0023")  # NOF25-4, NOF25-12
    assert of23.status == "confirmed" and of23.unit == "percent"
    assert of23.granularity == "acute trusts" and of23.basis == "latest month"
    assert of23.scoring is not None
    assert of23.scoring.method == "rank" and of23.scoring.polarity is Polarity.HIGHER_IS_BETTER
    assert of23.scoring.status == "confirmed" and of23.scoring.sources == ("N19",)
    of106 = nof.metric("OF0106")
    assert of106.unit == "percentage_points" and of106.status == "confirmed"
    assert fact(nof, "metric-score-best").value.value == 1.0  # NOF25-3
    assert fact(nof, "metric-score-worst").value.value == 4.0
    avg = fact(nof, "national-average-q2").value  # NOF25-13
    assert avg.value == 2.37 and avg.status == "confirmed" and avg.sources == ("N22",)
    assert fact(nof, "national-average-change-q1-q2").value.value == 0.01
    assert nof.segmentation.method == "quartile" and nof.segmentation.status == "confirmed"
    assert nof.aggregation is not None and nof.aggregation.status == "confirmed"  # NOF25-5
    assert "ICBs are not segmented" in nof.segmentation.scope  # NOF25-2
    assert [s.number for s in nof.segments] == [1, 2, 3, 4, 5]  # NOF25-6
    assert "Provider Improvement Programme" in (nof.segment(5).support or "")
    assert {o.id for o in nof.overrides} == {"financial", "segment-5"}
    assert all(o.status == "confirmed" for o in nof.overrides)
    assert "thresholds" in fact(nof, "next-edition").statement  # NOF26-1
    assert nof.domains[0].id == "access-to-services" and nof.domains[0].status == "confirmed"


def test_confirmed_oversight_2022_23_values() -> None:
    nof = load("oversight-2022-23")
    assert [s.number for s in nof.segments] == [1, 2, 3, 4]  # NOF22-3
    assert nof.segment(1).name == "No specific support needs"
    assert nof.segment(4).name == "Mandated intensive support"
    assert "Recovery Support Programme" in (nof.segment(4).support or "")  # NOF22-4
    assert nof.segmentation.method == "judgement" and nof.segmentation.status == "partly"
    assert "23 May to 13 June 2024" in fact(nof, "proposal-2024").statement  # NOF22-8
    with pytest.raises(UnknownCodeError):
        nof.segment(5)


@pytest.mark.parametrize("fid", ["planning-2024-25", "planning-2025-26"])
def test_confirmed_standards(fid: str) -> None:
    pg = load(fid)
    rtt = pg.standard("rtt-18-weeks-92")  # STD-1
    assert rtt.value is not None and rtt.value.value == 92.0 and rtt.status == "confirmed"
    assert rtt.deadline == Month(2029, 3)
    for code, value in [
        ("cancer-fds-28-day-75", 75.0),
        ("cancer-31-day-96", 96.0),
        ("cancer-62-day-85", 85.0),
    ]:  # STD-4
        s = pg.standard(code)
        assert s.value is not None and s.value.value == value and s.status == "confirmed"
        assert s.sources == ("N44",)
    assert fact(pg, "cancer-standards-2023").status == "confirmed"  # STD-3
    for code, value in [
        ("ae-4-hour-95", 95.0),
        ("ambulance-cat2-mean-18", 18.0),
        ("ambulance-cat2-90th-40", 40.0),
        ("ambulance-cat1-mean-7", 7.0),
        ("ambulance-cat1-90th-15", 15.0),
    ]:  # STD-2, STD-5, STD-6: partly
        s = pg.standard(code)
        assert s.value is not None and s.value.value == value and s.status == "partly"


# -- partly confirmed (P) values, checked too, and never shown as confirmed --------------------

OBJECTIVES_2025 = [
    # code, target, unit, polarity, comparison, deadline
    ("ae-4-hour", 78.0, "percent", "higher", "at_least", Month(2026, 3)),
    ("rtt-18-weeks", 65.0, "percent", "higher", "at_least", Month(2026, 3)),
    ("rtt-first-appointment", 72.0, "percent", "higher", "at_least", Month(2026, 3)),
    ("rtt-52-weeks", 1.0, "percent", "lower", "at_most", Month(2026, 3)),
    ("cancer-62-day", 75.0, "percent", "higher", "at_least", Month(2026, 3)),
    ("cancer-fds-28-day", 80.0, "percent", "higher", "at_least", Month(2026, 3)),
    ("ambulance-cat2-mean", 30.0, "minutes", "lower", "at_most", FinancialYear(2025)),
    ("urgent-dental", 700000.0, "count", "higher", "at_least", FinancialYear(2025)),
    ("cyp-mental-health-access", 345000.0, "count", "higher", "at_least", FinancialYear(2025)),
    ("trust-productivity", 0.04, "ratio", "higher", "at_least", FinancialYear(2025)),
    ("trust-cost-base", -0.01, "gbp", "lower", "at_most", FinancialYear(2025)),
    ("agency-spend", -0.30, "gbp", "lower", "at_most", FinancialYear(2025)),
    ("ambulance-handover-45-minutes", 45.0, "minutes", "lower", "at_most", FinancialYear(2025)),
]


@pytest.mark.parametrize(
    ("code", "target", "unit", "polarity", "comparison", "deadline"), OBJECTIVES_2025
)
def test_planning_2025_26_objectives(
    code: str, target: float, unit: str, polarity: str, comparison: str, deadline: object
) -> None:
    o = load("planning-2025-26").objective(code)
    assert isinstance(o, Objective)
    assert o.target is not None and o.target.value == target
    assert o.unit == unit and o.polarity is Polarity.parse(polarity)
    assert o.comparison == comparison and o.deadline == deadline
    assert o.status == "partly" and o.target.status == "partly"  # PG25-*: all P
    assert o.level == "national"


def test_the_seven_issue_codes_are_there() -> None:
    pg = load("planning-2025-26")
    codes = [o.code for o in pg.objectives]
    for code in (
        "ae-4-hour",
        "rtt-18-weeks",
        "rtt-first-appointment",
        "rtt-52-weeks",
        "cancer-62-day",
        "cancer-fds-28-day",
        "ambulance-cat2-mean",
    ):
        assert code in codes


def test_rtt_per_trust_rule() -> None:
    rtt = load("planning-2025-26").objective("rtt-18-weeks")
    rule = rtt.minimum_improvement
    assert rtt.per_organisation and rule is not None
    assert rule.change.value == 5.0 and rule.change.unit == "percentage_points"
    assert rule.status == "partly" and rule.sources == ("N65",)
    assert rule.baseline is not None and rule.baseline.period == Month(2024, 12)
    assert rule.baseline.status == "unconfirmed"  # implied by N65 only
    assert any("baseline (unconfirmed)" in u for u in load("planning-2025-26").unconfirmed())
    assert rtt.organisation_target(40.0) == 45.0
    assert rtt.organisation_target([60.0, 99.0]).tolist() == [65.0, 100.0]  # clipped to 100%


def test_organisation_targets_by_kind() -> None:
    pg = load("planning-2025-26")
    assert pg.objective("ae-4-hour").organisation_target([70.0, 80.0]).tolist() == [78.0, 78.0]
    assert pg.objective("urgent-dental").organisation_target(1e6) == 1.7e6
    assert pg.objective("agency-spend").organisation_target(100.0) == pytest.approx(70.0)
    with pytest.raises(TrajectoryError, match="without a number"):
        pg.objective("gp-access-experience").organisation_target(50.0)
    with pytest.raises(TrajectoryError, match="baseline must be finite"):
        pg.objective("ae-4-hour").organisation_target(float("nan"))


def test_planning_2024_25_objectives() -> None:
    pg = load("planning-2024-25")
    expected = {
        "ae-4-hour": (78.0, Month(2025, 3)),
        "diagnostics-6-weeks": (95.0, Month(2025, 3)),
        "rtt-65-weeks": (0.0, Month(2024, 9)),
        "elective-activity": (1.07, FinancialYear(2024)),
        "cancer-62-day": (70.0, Month(2025, 3)),
        "cancer-fds-28-day": (77.0, Month(2025, 3)),
        "cancer-early-diagnosis": (75.0, CalendarYear(2028)),
        "ambulance-cat2-mean": (30.0, FinancialYear(2024)),
    }
    assert {o.code for o in pg.objectives} == set(expected)
    for code, (value, deadline) in expected.items():
        o = pg.objective(code)
        assert o.target is not None and o.target.value == value and o.deadline == deadline
        assert o.status == "partly"
    assert fact(pg, "objectives-not-read").status == "unconfirmed"  # PG24-9


def test_qof_values() -> None:
    q24, q25 = load("qof-2024-25"), load("qof-2025-26")
    assert q24.point_value is not None and q24.point_value.value == 220.62  # QOF-4
    assert q24.point_value.status == "partly"
    assert q24.total_points is not None and q24.total_points.value == 635.0  # QOF-3
    assert q24.national_average_list_size is not None
    assert q24.national_average_list_size.value == 9964.0
    history = {f.id: f.value.value for f in q24.facts if f.value is not None}
    assert history["point-value-2021-22"] == 201.16
    assert history["point-value-2022-23"] == 207.56
    assert history["point-value-2023-24"] == 213.43
    assert {history["average-list-2021-22-a"], history["average-list-2021-22-b"]} == {
        9085.0,
        9103.0,
    }
    assert history["income-protected-points"] + history["conditional-points"] == 635.0  # QOF-5
    assert history["aspiration-payment-share"] == 0.8
    assert q25.total_points is not None and q25.total_points.value == 564.0  # QOF-7
    assert q25.prevalence_weighted_points is not None
    assert q25.prevalence_weighted_points.value == 462.0
    changes = {f.id: f.value.value for f in q25.facts if f.value is not None}  # QOF-6
    assert changes["retired-points"] == changes["moved-out-points"] + changes["cvd-points"] == 212
    assert 635 - changes["moved-out-points"] == q25.total_points.value
    assert (changes["immunisation-fee-before"], changes["immunisation-fee-after"]) == (
        10.06,
        12.06,
    )
    assert q25.indicators.status == "unconfirmed"  # QOF-9
    for q in (q24, q25):
        assert q.payment_formula.status == "partly" and q.achievement_scale.status == "partly"


def test_bcf_metrics() -> None:
    b23, b25 = load("bcf-2023-25"), load("bcf-2025-26")
    assert [m.id for m in b23.metrics] == [
        "avoidable-admissions",
        "discharge-usual-residence",
        "falls-admissions-65",
        "care-home-admissions",
        "reablement",
    ]
    assert [m.status for m in b23.metrics] == [
        "unconfirmed",
        "unconfirmed",
        "partly",
        "partly",
        "partly",
    ]
    assert [m.id for m in b25.metrics] == [
        "emergency-admissions-65",
        "discharge-delay",
        "care-home-admissions",
    ]
    assert all(m.status == "unconfirmed" for m in b25.metrics)  # BCF25-3..5
    assert all(m.polarity is Polarity.LOWER_IS_BETTER for m in b25.metrics)  # BCF25-2
    assert b25.metric("discharge-delay").unit == "days"
    assert fact(b25, "headline-metrics").value.value == len(b25.metrics) == 3  # BCF25-1
    for unread in ("goal-period",):
        assert fact(b25, unread).status == "unconfirmed"


def test_bcf_2025_26_has_no_payment_to_compute() -> None:
    from outcomes.errors import IncentiveError
    from outcomes.incentives import bcf_performance_payment

    with pytest.raises(IncentiveError, match="no pay-for-performance"):
        bcf_performance_payment(
            baseline_admissions=[100.0],
            planned_reduction=0.03,
            actual_admissions=[90.0],
            framework="bcf-2025-26",
        )


# -- lookups -------------------------------------------------------------------------------------


def test_objective_lookup_and_close_matches() -> None:
    pg = load("planning-2025-26")
    assert pg.objective("AE-4-HOUR").code == "ae-4-hour"
    with pytest.raises(UnknownCodeError) as info:
        pg.objective("ae-4-hours")
    assert isinstance(info.value, KeyError)
    assert "ae-4-hour" in info.value.matches
    with pytest.raises(UnknownCodeError, match="rtt-52-weeks"):
        pg.objective("rtt-52-week")
    nof = load("oversight-2025-26")
    assert nof.metric("of0023") is nof.metric("rtt-18-weeks")
    with pytest.raises(UnknownCodeError):
        nof.metric("OF9999")
    with pytest.raises(UnknownCodeError):
        load("bcf-2025-26").fact("nope")


@given(st.text(max_size=30))
def test_lookups_never_fail_untyped(code: str) -> None:
    pg = load("planning-2025-26")
    nof = load("oversight-2025-26")
    for lookup in (pg.objective, pg.standard, nof.metric, load("bcf-2023-25").fact):
        try:
            found = lookup(code)
        except UnknownCodeError as error:
            message = str(error)
            found = None
        else:
            message = "unknown"
            assert found is not None
        assert message.startswith("unknown")


@given(
    st.one_of(
        st.floats(allow_nan=True, allow_infinity=True),
        st.lists(st.floats(allow_nan=True, allow_infinity=True, width=64), max_size=5),
        st.text(max_size=5),
    )
)
def test_organisation_target_fuzz(baseline: Any) -> None:
    pg = load("planning-2025-26")
    for code in ("rtt-18-weeks", "ae-4-hour", "agency-spend", "rtt-52-weeks"):
        try:
            out = np.asarray(pg.objective(code).organisation_target(baseline), dtype=float)
        except OutcomesError:
            continue
        assert np.isfinite(out).all()
        if pg.objective(code).unit == "percent":
            assert ((out >= 0) & (out <= 100)).all()


def test_scalar_target_equals_vectorised() -> None:
    rtt = load("planning-2025-26").objective("rtt-18-weeks")
    base = np.linspace(0.0, 100.0, 11)
    vector = rtt.organisation_target(base)
    assert [rtt.organisation_target(float(b)) for b in base] == vector.tolist()


def test_comparison_must_match_polarity(tmp_path: Path) -> None:
    text = (FOLDER / "planning-2025-26.toml").read_text()
    broken = text.replace(
        'polarity = "lower"\ncomparison = "at_most"\ndeadline = "Mar 2026"',
        'polarity = "lower"\ncomparison = "at_least"\ndeadline = "Mar 2026"',
        1,
    )
    assert broken != text
    path = tmp_path / "pg.toml"
    path.write_text(broken)
    with pytest.raises(FrameworkError, match="contradicts polarity"):
        frameworks.load_file(path)


def test_no_value_is_nan() -> None:
    for fid in CURRENT:
        for where, node, _ in facts(load(fid)):
            if isinstance(node, Parameter):
                assert math.isfinite(node.value), where


def test_find_objective_by_plan_file_reference() -> None:
    from outcomes.catalogue import find_objective

    assert find_objective("planning-2025-26/rtt-18-weeks").target.value == 65.0  # type: ignore[union-attr]
    assert find_objective("planning-2024-25/ae-4-hour").deadline == Month(2025, 3)
    for bad in ("ae-4-hour", "planning-2025-26/", "qof-2024-25/x", "planning-2025-27/ae-4-hour"):
        with pytest.raises(UnknownCodeError):
            find_objective(bad)


def test_units_outside_the_unit_table_are_refused(tmp_path: Path) -> None:
    text = (FOLDER / "planning-2025-26.toml").read_text()
    path = tmp_path / "pg.toml"
    path.write_text(text.replace('unit = "minutes"', 'unit = "weeks"', 1))
    with pytest.raises(FrameworkError, match="unknown unit 'weeks'; known units"):
        frameworks.load_file(path)
