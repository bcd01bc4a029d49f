"""The catalogue pinned to the reference facts (shared/reference/frameworks-2014-16.md)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from outcomes import FrameworkError, Polarity, UnknownCodeError, frameworks
from outcomes.models import (
    AmbitionsFramework,
    BCFFramework,
    NHSOutcomesFramework,
    QualityPremiumScheme,
    Trajectory,
)


def test_available_editions() -> None:
    historical = (
        "ambitions-2014-19",
        "bcf-2014-15-initial",
        "bcf-2015-16",
        "nhsof-2014-15",
        "quality-premium-2014-15",
        "quality-premium-2015-16",
    )
    # today's editions are tested in test_current_frameworks.py
    assert set(historical) <= set(frameworks.available())
    assert frameworks.available() == tuple(sorted(frameworks.available()))


def test_load_is_cached() -> None:
    assert frameworks.load("nhsof-2014-15") is frameworks.load("nhsof-2014-15")


def test_nhsof_domains_and_indicators() -> None:
    nhsof = frameworks.load("nhsof-2014-15")
    assert isinstance(nhsof, NHSOutcomesFramework)
    assert [d.number for d in nhsof.domains] == [1, 2, 3, 4, 5]
    assert nhsof.domain(3).title.startswith("Helping people to recover")
    assert len(nhsof.indicators) == 68
    assert [len(nhsof.indicators_in(d)) for d in range(1, 6)] == [18, 10, 16, 15, 9]
    # group headings with no series of their own (tests/test_catalogue_corrections.py)
    assert [g.code for g in nhsof.groups] == [
        "1b",
        "1.6",
        "2.3",
        "2.6",
        "3.1",
        "3.5",
        "3.6",
        "3.7",
        "4a",
        "4.4",
        "5.2",
    ]
    overarching = {i.code for i in nhsof.indicators if i.level == "overarching"}
    assert overarching == {
        "1a",
        "1a.i",
        "1a.ii",
        "1b.i",
        "1b.ii",
        "2",
        "3a",
        "3b",
        "4a.i",
        "4a.ii",
        "4a.iii",
        "4b",
        "4c",
        "5a",
        "5b",
    }


@pytest.mark.parametrize(
    ("code", "polarity", "unit"),
    [
        ("1a", Polarity.LOWER_IS_BETTER, "yll_per_100000"),
        ("1b.i", Polarity.HIGHER_IS_BETTER, "years"),
        ("1.1", Polarity.LOWER_IS_BETTER, "per_100000"),
        ("1.6.i", Polarity.LOWER_IS_BETTER, "per_1000"),
        ("2", Polarity.HIGHER_IS_BETTER, "eq5d"),
        ("2.2", Polarity.LOWER_IS_BETTER, "percentage_points"),
        ("2.3i", Polarity.LOWER_IS_BETTER, "per_100000"),
        ("3b", Polarity.LOWER_IS_BETTER, "percent"),
        ("3.6.i", Polarity.HIGHER_IS_BETTER, "percent"),
        ("4b", Polarity.HIGHER_IS_BETTER, "score"),
        ("5a", Polarity.NO_JUDGEMENT, "count"),
        ("5.5", Polarity.LOWER_IS_BETTER, "percent"),
    ],
)
def test_confirmed_indicator_facts(code: str, polarity: Polarity, unit: str) -> None:
    ind = frameworks.load("nhsof-2014-15").indicator(code)
    assert ind.polarity is polarity
    assert ind.unit == unit


def test_provenance_is_carried() -> None:
    nhsof = frameworks.load("nhsof-2014-15")
    assert nhsof.indicator("2.3.i").status == "confirmed"
    assert nhsof.indicator("2.3.i").portal_id == "P01749"
    assert nhsof.indicator("1.7").status == "unconfirmed"
    assert nhsof.indicator("1.1").cross_references == ("PHOF 4.4",)
    assert nhsof.indicator("1.1").cross_references_status == "unconfirmed"
    assert nhsof.indicator("3.6.i").cross_references == ("ASCOF 2B(1)",)
    assert any("1.7" in where for where in nhsof.unconfirmed())


def test_unknown_code_lists_close_matches() -> None:
    nhsof = frameworks.load("nhsof-2014-15")
    with pytest.raises(UnknownCodeError) as info:
        nhsof.indicator("2.3.iii")
    assert isinstance(info.value, KeyError)
    assert "2.3.ii" in str(info.value)


def test_seven_ambitions() -> None:
    amb = frameworks.load("ambitions-2014-19")
    assert isinstance(amb, AmbitionsFramework)
    assert [a.number for a in amb.ambitions] == [1, 2, 3, 4, 5, 6, 7]
    assert amb.ambition(1).measure.indicators == ("1a",)
    assert amb.ambition(3).measure.composite
    assert amb.ambition(3).measure.indicators == ("2.3.i", "2.3.ii", "3a", "3.2")
    assert amb.ambition(3).domains == (2, 3)
    polarities = [a.polarity for a in amb.ambitions]
    lower, higher = Polarity.LOWER_IS_BETTER, Polarity.HIGHER_IS_BETTER
    # ambitions 5 and 6 are worded positively but measured as poor responses: lower is better
    assert polarities == [lower, higher, lower, higher, lower, lower, lower]
    assert amb.ambition(5).measure.unit == amb.ambition(6).measure.unit == "per_100"
    assert amb.ambition(7).measure.indicators == ()
    assert [str(p) for p in amb.periods] == ["2014/15", "2015/16", "2016/17", "2017/18", "2018/19"]
    assert amb.expectations["pyll_annual_change"].value == -0.032
    assert amb.expectations["pyll_annual_change"].status == "confirmed"
    assert amb.expectations["pyll_five_year_change"].status == "unconfirmed"


def test_quality_premium_2014_15_weights() -> None:
    qp = frameworks.load("quality-premium-2014-15")
    assert isinstance(qp, QualityPremiumScheme)
    weights = {m.id: m.weight for m in qp.measures}
    assert weights == {
        "pyll": 0.15,
        "iapt": 0.15,
        "emergency-admissions": 0.25,
        "friends-and-family": 0.15,
        "medication-safety": 0.15,
        "local": 0.15,
    }
    assert all(m.weight_status == "confirmed" for m in qp.measures)
    assert qp.value_per_head.value == 5.0 and qp.value_per_head.status == "confirmed"
    assert qp.measure("pyll").threshold is not None
    assert qp.measure("pyll").threshold.value == -0.032
    assert qp.constitution_reduction.status == "unconfirmed"
    assert {g.id for g in qp.gateways} == {"quality", "financial"}
    assert qp.standard("ambulance-red-1").threshold.value == 75.0  # type: ignore[union-attr]
    with pytest.raises(UnknownCodeError, match="pyll"):
        qp.measure("pyl")


def test_quality_premium_2015_16_is_marked_unconfirmed() -> None:
    qp = frameworks.load("quality-premium-2015-16")
    assert isinstance(qp, QualityPremiumScheme)
    assert abs(sum(m.weight for m in qp.measures) - 1.0) < 1e-12
    assert all(m.weight_status == "unconfirmed" for m in qp.measures)
    assert qp.national_pot is not None and qp.national_pot.value == 274e6


def test_bcf_metrics_and_payment() -> None:
    bcf = frameworks.load("bcf-2015-16")
    assert isinstance(bcf, BCFFramework)
    assert [m.id for m in bcf.metrics] == [
        "non-elective-admissions",
        "care-home-admissions",
        "reablement",
        "delayed-transfers",
        "patient-experience",
        "local",
    ]
    assert bcf.metric("reablement").polarity is Polarity.HIGHER_IS_BETTER
    assert bcf.metric("care-home-admissions").denominator == "population aged 65+"
    assert bcf.payment.minimum_reduction.value == 0.035
    assert bcf.payment.cost_per_admission.status == "unconfirmed"


def test_json_schemas_export() -> None:
    for model in (
        NHSOutcomesFramework,
        AmbitionsFramework,
        BCFFramework,
        QualityPremiumScheme,
        Trajectory,
    ):
        schema = model.model_json_schema()
        json.dumps(schema)
        assert schema["type"] == "object"


BAD = """
kind = "quality-premium"
id = "my-qp"
title = "Broken"
performance_year = "2014/16"
paid_in = "2015/16"
[value_per_head]
value = 5.0
status = "confirmed"
[constitution_reduction]
value = 0.25
status = "maybe"
[[measures]]
id = "a"
name = "A"
weight = 0.5
weight_status = "confirmed"
rule = "x"
status = "confirmed"
[[measures]]
id = "b"
name = "B"
weight = 1.5
weight_status = "confirmed"
rule = "x"
status = "confirmed"
polarity = "up"
"""


def test_malformed_file_reports_every_problem_with_location(tmp_path: Path) -> None:
    path = tmp_path / "my-qp.toml"
    path.write_text(BAD)
    with pytest.raises(FrameworkError) as info:
        frameworks.load_file(path)
    problems = info.value.problems
    text = "\n".join(problems)
    assert len(problems) >= 4
    assert all(p.startswith(str(path)) for p in problems)
    assert "performance_year" in text and "2014/16" in text
    assert "constitution_reduction.status" in text
    assert "measures[1](b).weight" in text
    assert "measures[1](b).polarity" in text


def test_weights_must_sum_to_100_percent(tmp_path: Path) -> None:
    text = BAD.replace('"2014/16"', '"2014/15"').replace('"maybe"', '"unconfirmed"')
    text = text.replace("weight = 1.5", "weight = 0.4").replace('polarity = "up"\n', "")
    path = tmp_path / "qp.toml"
    path.write_text(text)
    with pytest.raises(FrameworkError, match=r"sum to 100%.*a=0.5, b=0.4"):
        frameworks.load_file(path)


def test_user_file_round_trip_and_syntax_errors(tmp_path: Path) -> None:
    shipped = Path(frameworks.__file__).parent / "catalogue" / "data" / "bcf-2015-16.toml"
    mine = tmp_path / "bcf-copy.toml"
    mine.write_text(shipped.read_text())
    assert frameworks.load_file(mine) == frameworks.load("bcf-2015-16")
    mine.write_text("kind = \n")
    with pytest.raises(FrameworkError, match="not valid TOML"):
        frameworks.load_file(mine)
    mine.write_text('title = "x"\n')
    with pytest.raises(FrameworkError, match="kind: missing"):
        frameworks.load_file(mine)
    with pytest.raises(FrameworkError, match="cannot read"):
        frameworks.load_file(tmp_path / "absent.toml")


def test_ambition_indicators_must_exist(tmp_path: Path) -> None:
    shipped = Path(frameworks.__file__).parent / "catalogue" / "data" / "ambitions-2014-19.toml"
    mine = tmp_path / "amb.toml"
    mine.write_text(shipped.read_text().replace('indicators = ["1a"]', 'indicators = ["1z"]'))
    with pytest.raises(FrameworkError, match=r"ambitions\[1\].*1z"):
        frameworks.load_file(mine)


def test_sources_must_be_listed(tmp_path: Path) -> None:
    shipped = Path(frameworks.__file__).parent / "catalogue" / "data" / "bcf-2015-16.toml"
    mine = tmp_path / "bcf.toml"
    mine.write_text(shipped.read_text().replace('sources = ["S43"]', 'sources = ["S99"]'))
    with pytest.raises(FrameworkError, match="S99"):
        frameworks.load_file(mine)
