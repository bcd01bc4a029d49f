"""Issue 17 (a catalogue with no known gaps) and the NHSOF renames of issue 20, item by item.

Every test names the reference fact it pins: a source key (S.., N.., or a plan key STH / ESX)
and the section of the project's reference notes (frameworks-2014-16.md, frameworks-current.md,
plans-2014.md) where the fact and its status are given.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from outcomes import FrameworkError, InputError, Polarity, UnknownCodeError, frameworks
from outcomes.catalogue import (
    AmbitionsFramework,
    BCFFramework,
    IndicatorGroup,
    NHSOutcomesFramework,
    QualityPremiumScheme,
    load,
)
from outcomes.incentives import quality_premium
from outcomes.units import convert
from outcomes.workflow.planfile import describe_measure, parse_plan

ROOT = Path(__file__).parent.parent
DATA = ROOT / "src" / "outcomes" / "catalogue" / "data"
HISTORICAL = (
    "ambitions-2014-19",
    "bcf-2014-15-initial",
    "bcf-2015-16",
    "nhsof-2014-15",
    "quality-premium-2014-15",
    "quality-premium-2015-16",
)
HIGHER, LOWER, NONE = Polarity.HIGHER_IS_BETTER, Polarity.LOWER_IS_BETTER, Polarity.NO_JUDGEMENT


@pytest.fixture(scope="module")
def nhsof() -> NHSOutcomesFramework:
    return load("nhsof-2014-15", NHSOutcomesFramework)


# -- 1. every overarching code resolves (frameworks-2014-16.md s1.2, S4) ------------------------


@pytest.mark.parametrize("code", ["1a", "1b", "2", "3a", "3b", "4a", "4b", "4c", "5a", "5b"])
def test_every_overarching_code_resolves(nhsof: NHSOutcomesFramework, code: str) -> None:
    ind = nhsof.indicator(code)
    assert ind.code == code
    assert ind.level == "overarching"


def test_1b_is_life_expectancy_at_75_for_males_and_females(nhsof: NHSOutcomesFramework) -> None:
    # s1.2: "1b Life expectancy at 75 (i males, ii females) | years | higher | C [S4, S6]"
    head = nhsof.indicator("1b")
    assert head.name == "Life expectancy at 75"
    assert head.group and head.members == ("1b.i", "1b.ii")
    assert (head.unit, head.polarity, head.status) == ("years", HIGHER, "confirmed")
    assert set(head.sources) == {"S4", "S6"}


# -- 2. groups: heading + members, unit/polarity agreed or none (s1.2, S4) ---------------------

GROUPS = {
    "1a": ("1a.i", "1a.ii"),
    "1b": ("1b.i", "1b.ii"),
    "1.4": ("1.4.i", "1.4.ii", "1.4.iii", "1.4.iv"),
    "1.6": ("1.6.i", "1.6.ii", "1.6.iii"),
    "2.3": ("2.3.i", "2.3.ii"),
    "2.6": ("2.6.i", "2.6.ii"),
    "3.1": ("3.1.i", "3.1.ii", "3.1.iii", "3.1.iv", "3.1.v"),
    "3.5": ("3.5.i", "3.5.ii"),
    "3.6": ("3.6.i", "3.6.ii"),
    "3.7": ("3.7.i", "3.7.ii"),
    "4a": ("4a.i", "4a.ii", "4a.iii"),
    "4.4": ("4.4.i", "4.4.ii"),
    "5.2": ("5.2.i", "5.2.ii"),
}


@pytest.mark.parametrize(("code", "members"), GROUPS.items())
def test_group_codes_resolve_with_their_members(
    nhsof: NHSOutcomesFramework, code: str, members: tuple[str, ...]
) -> None:
    assert nhsof.indicator(code).members == members
    assert tuple(m.code for m in nhsof.members(code)) == members


def test_a_heading_that_is_an_indicator_keeps_its_own_facts(nhsof: NHSOutcomesFramework) -> None:
    # s1.2: 1.4 is under-75 cancer mortality (DSR, lower) and heads the survival items i-iv (%);
    # 1a is the all-ages PYLL and heads the adult and children's versions
    u75 = nhsof.indicator("1.4")
    assert not u75.group
    assert (u75.name, u75.unit, u75.polarity) == (
        "Under 75 mortality rate from cancer",
        "per_100000",
        LOWER,
    )
    assert {m.unit for m in nhsof.members("1.4")} == {"percent"}
    assert not nhsof.indicator("1a").group
    assert nhsof.indicator("1a").unit == "yll_per_100000"


@pytest.mark.parametrize(
    ("code", "unit", "polarity"),
    [
        ("1.6", "none", NONE),  # per 1,000 deaths (lower) and % survival (higher) disagree
        ("2.6", "none", NONE),  # % diagnosed (higher) and a placeholder with no judgement
        ("3.1", "none", HIGHER),  # PROMs health gain and the placeholder v: units differ
        ("3.7", "none", LOWER),
        ("4a", "percent", HIGHER),
        ("2.3", "per_100000", LOWER),
        ("5.2", "count", LOWER),
    ],
)
def test_a_groups_unit_and_polarity_are_its_members_when_they_agree(
    nhsof: NHSOutcomesFramework, code: str, unit: str, polarity: Polarity
) -> None:
    head = nhsof.indicator(code)
    assert (head.unit, head.polarity) == (unit, polarity)


@pytest.mark.parametrize(
    ("code", "name_status"),
    [
        ("1b", "confirmed"),  # S4 "Life expectancy at 75 (NHSOF 1b)"
        ("3.1", "confirmed"),  # s1.2 and S4: "Total health gain as assessed by patients ..."
        ("5.2", "confirmed"),  # s1.2: "Incidence of healthcare-associated infection: ..."
        ("3.5", "partly"),  # the reference's description of the pair
        ("1.6", "unconfirmed"),  # no source gives these names: background knowledge
        ("2.3", "unconfirmed"),
        ("2.6", "unconfirmed"),
        ("3.6", "unconfirmed"),
        ("3.7", "unconfirmed"),
        ("4a", "unconfirmed"),
        ("4.4", "unconfirmed"),
    ],
)
def test_group_names_say_whether_a_source_gives_them(
    nhsof: NHSOutcomesFramework, code: str, name_status: str
) -> None:
    assert nhsof.indicator(code).name_status == name_status
    if name_status != "confirmed":
        assert f"groups[{code}].name_status ({name_status})" in nhsof.unconfirmed()


@pytest.mark.parametrize(
    ("written", "code"),
    [("1.6 i", "1.6.i"), ("4a iii", "4a.iii"), ("2.3i", "2.3.i"), ("3.1 v", "3.1.v")],
)
def test_the_plans_notations_resolve(nhsof: NHSOutcomesFramework, written: str, code: str) -> None:
    # plans-2014.md s1.3/s4: the plans write codes with spaces and without dots
    assert nhsof.indicator(written).code == code


def test_groups_are_listed_before_their_members(nhsof: NHSOutcomesFramework) -> None:
    codes = [e.code for e in nhsof.entries()]
    assert len(codes) == len(nhsof.indicators) + len(nhsof.groups) == 68 + 11
    assert codes.index("1b") + 1 == codes.index("1b.i")
    assert "group of 4a.i, 4a.ii, 4a.iii" in nhsof.entry("4a").detail
    assert nhsof.members("1.1") == ()  # an indicator with no members
    with pytest.raises(UnknownCodeError, match=r"1\.6"):
        nhsof.members("1.66")


def test_group_data_are_checked(tmp_path: Path) -> None:
    text = (DATA / "nhsof-2014-15.toml").read_text()
    bad = tmp_path / "nhsof.toml"
    bad.write_text(text.replace('members = ["1b.i", "1b.ii"]', 'members = ["1b.i", "1b.iii"]'))
    with pytest.raises(FrameworkError, match=r"'1b' lists member '1b.iii'"):
        frameworks.load_file(bad)
    bad.write_text(text.replace('members = ["4.4.i", "4.4.ii"]', 'members = ["4.4.i", "4a.ii"]'))
    with pytest.raises(FrameworkError, match="member of both"):
        frameworks.load_file(bad)


# -- 3. the CCG OIS <-> NHSOF mapping (frameworks-2014-16.md s1.3, S13) -------------------------

# every row of s1.3, one OIS code a row; then the rows S13 gives that s1.3 leaves out
OIS_ROWS = [
    ("1.1", "1a"),
    ("1.2", "1.1"),
    ("1.6", "1.2"),
    ("1.7", "1.3"),
    ("1.9", "1.4"),
    ("1.10", "1.4.i"),
    ("1.11", "1.4.iii"),
    ("2.1", "2"),
    ("2.2", "2.1"),
    ("2.6", "2.3.i"),
    ("2.7", "2.3.ii"),
    ("3.1", "3a"),
    ("3.2", "3b"),
    ("3.3", "3.1"),
    ("3.4", "3.2"),
    ("4.1", "4a.ii"),
    ("4.2", "4b"),
]
OIS_ROWS_S13_ONLY = [("4.5", "4.2"), ("5.1", "5a"), ("5.3", "5.2.i"), ("5.4", "5.2.ii")]


@pytest.mark.parametrize(("ois", "code"), OIS_ROWS + OIS_ROWS_S13_ONLY)
def test_every_ccg_ois_row_maps_both_ways(nhsof: NHSOutcomesFramework, ois: str, code: str) -> None:
    assert nhsof.from_ccg_ois(ois).code == code
    assert ois in nhsof.indicator(code).ccg_ois


def test_the_mapping_is_sourced(nhsof: NHSOutcomesFramework) -> None:
    mapping = nhsof.ccg_ois_mapping
    assert mapping is not None
    assert (mapping.status, mapping.sources) == ("confirmed", ("S13",))
    assert "S13" in nhsof.sources
    codes = {ois for i in nhsof.indicators for ois in i.ccg_ois}
    codes |= {ois for g in nhsof.groups for ois in g.ccg_ois}
    assert codes == {ois for ois, _ in OIS_ROWS + OIS_ROWS_S13_ONLY}


def test_members_inherit_their_groups_ois_codes_unless_they_declare_their_own(
    nhsof: NHSOutcomesFramework,
) -> None:
    # s1.3: OIS 1.1 is "1a i & ii"; OIS 3.3 is "3.1 i-iv" (so 3.1.v is not mapped)
    assert nhsof.indicator("1a.i").ccg_ois == nhsof.indicator("1a.ii").ccg_ois == ("1.1",)
    assert all(nhsof.indicator(f"3.1.{i}").ccg_ois == ("3.3",) for i in ("i", "ii", "iii", "iv"))
    assert nhsof.indicator("3.1.v").ccg_ois == ()
    # 1.4 (OIS 1.9) heads survival items that have their own OIS codes, or none
    assert nhsof.indicator("1.4").ccg_ois == ("1.9",)
    assert [m.ccg_ois for m in nhsof.members("1.4")] == [("1.10",), (), ("1.11",), ()]
    # the group heading, not a member, is what an OIS code names
    assert nhsof.from_ccg_ois("3.3").group
    assert nhsof.from_ccg_ois("CCG OIS 1.1").code == "1a"


def test_unmapped_ois_codes_raise(nhsof: NHSOutcomesFramework) -> None:
    # OIS 1.8 (alcohol-related liver admissions) has no NHSOF counterpart (S13)
    with pytest.raises(UnknownCodeError, match=r"1\.8"):
        nhsof.from_ccg_ois("1.8")


def test_the_mapping_survives_a_json_round_trip(
    nhsof: NHSOutcomesFramework, tmp_path: Path
) -> None:
    path = tmp_path / "nhsof.json"
    path.write_text(nhsof.model_dump_json())
    again = frameworks.load_file(path)
    assert again == nhsof
    assert isinstance(again, NHSOutcomesFramework)
    assert again.from_ccg_ois("1.1").code == "1a"
    assert frameworks.load_file(DATA / "nhsof-2014-15.toml") == nhsof


# -- 4. units as plans and CCG data show them (s2, S16; s4.2, S39/S41; plans-2014.md s1.4) -----


def test_ambition_2_is_eq5d_times_100_at_ccg_level() -> None:
    amb = load("ambitions-2014-19", AmbitionsFramework)
    measure = amb.ambition(2).measure
    # s2: "mean EQ-5D (GCCG shows it x100, e.g. 75.0)", C [S16]; STH and ESX show it x 100 too
    assert measure.unit == "eq5d_x100"
    assert measure.national_unit == "eq5d"
    assert {"S16", "STH", "ESX"} <= set(measure.sources)
    # the national 0-1 index converts: England 0.743 (OIS 2.1, Jul 2013 - Mar 2014) is 74.3
    assert float(convert(0.743, measure.national_unit, measure.unit)) == pytest.approx(74.3)
    assert load("nhsof-2014-15", NHSOutcomesFramework).indicator("2").unit == "eq5d"


OFFICIAL = {
    1: "Securing additional years of life for the people of England with treatable mental and "
    "physical health conditions",
    2: "Improving the health related quality of life of the 15 million+ people with one or more "
    "long-term condition, including mental health conditions",
    3: "Reducing the amount of time people spend avoidably in hospital through better and more "
    "integrated care in the community, outside of hospital",
    4: "Increasing the proportion of older people living independently at home following "
    "discharge from hospital",
    5: "Increasing the number of people having a positive experience of hospital care",
    6: "Increasing the number of people with mental and physical health conditions having a "
    "positive experience of care outside hospital, in general practice and in the community",
    7: "Making significant progress towards eliminating avoidable deaths in our hospitals caused "
    "by problems in care",
}


@pytest.mark.parametrize(("number", "wording"), OFFICIAL.items())
def test_ambition_titles_are_the_everyone_counts_wording(number: int, wording: str) -> None:
    # s2: "official wording: [S14, S16]"; read in S16's table ("Outcome ambition" column)
    ambition = load("ambitions-2014-19", AmbitionsFramework).ambition(number)
    assert ambition.title == wording
    assert ambition.status == "confirmed" and "S16" in ambition.sources
    assert ambition.short_title and ambition.short_title != wording


def test_bcf_delayed_transfers_is_a_monthly_average_per_100000() -> None:
    # s4.2 BCF4: "per 100,000 population (18+); monthly average U" - "C name [S39]; 18+ P [S41]"
    for fid in ("bcf-2015-16", "bcf-2014-15-initial"):
        bcf = load(fid, BCFFramework)
        dtoc = bcf.metric("delayed-transfers")
        assert dtoc.unit == "per_100000"
        assert dtoc.averaging == "monthly average"
        assert dtoc.averaging_status == "unconfirmed"
        assert dtoc.denominator == "population aged 18+"
        assert dtoc.denominator_status == "partly"
        assert {"S39", "S41"} <= set(dtoc.sources)
        listed = bcf.unconfirmed()
        assert "metrics[delayed-transfers].averaging_status (unconfirmed)" in listed
        assert "metrics[delayed-transfers].denominator_status (partly)" in listed
    assert load("bcf-2015-16", BCFFramework).metric("delayed-transfers").status == "confirmed"


# -- 5. the BCF metric set before and after July 2014 (s4.2 "Earlier list", S35, S44) ----------


def test_the_initial_bcf_edition_has_avoidable_emergency_admissions() -> None:
    initial = load("bcf-2014-15-initial", BCFFramework)
    revised = load("bcf-2015-16", BCFFramework)
    assert [m.id for m in initial.metrics] == [
        "care-home-admissions",
        "reablement",
        "delayed-transfers",
        "avoidable-emergency-admissions",
        "patient-experience",
        "local",
    ]
    assert "non-elective-admissions" not in {m.id for m in initial.metrics}
    avoidable = initial.metric("avoidable-emergency-admissions")
    assert (avoidable.status, avoidable.polarity) == ("partly", LOWER)
    assert {"S35", "S44", "ESX"} <= set(avoidable.sources)
    assert avoidable.unit_status == "unconfirmed"
    assert all(m.status == "partly" for m in initial.metrics)  # the whole list is P
    assert initial.payment is None
    assert initial.fund["performance_element"].status == "unconfirmed"
    assert revised.payment is not None and revised.payment.metric == "non-elective-admissions"


def test_the_editions_carry_their_dates() -> None:
    initial = load("bcf-2014-15-initial", BCFFramework)
    revised = load("bcf-2015-16", BCFFramework)
    assert initial.superseded_by == "bcf-2015-16"
    superseded = initial.date("superseded")
    assert superseded is not None
    assert (superseded.date, superseded.status, superseded.sources) == (
        "2014-07",
        "confirmed",
        ("S35",),
    )
    published = initial.date("published")
    assert published is not None and published.status == "unconfirmed"  # Dec 2013: U (s4.1)
    assert "dates[published] (unconfirmed)" in initial.unconfirmed()
    guidance = revised.date("published")
    assert guidance is not None and (guidance.date, guidance.sources) == ("2014-08-18", ("S36",))
    effective = revised.date("effective")
    assert effective is not None and effective.date == "2015/16"
    assert revised.date("superseded") is None


def test_superseded_by_must_name_a_bcf_edition(tmp_path: Path) -> None:
    path = tmp_path / "bcf.toml"
    text = (DATA / "bcf-2014-15-initial.toml").read_text()
    path.write_text(text.replace('superseded_by = "bcf-2015-16"', 'superseded_by = "bcf-2015-17"'))
    with pytest.raises(FrameworkError, match="superseded_by"):
        frameworks.load_file(path)


PLAN = """
{top}
[organisation]
code = "E38000999"
name = "Illustrative HWB"
population = 1400000
footprint = "hwb"
illustrative = true
[measures.avoidable]
bcf_metric = "avoidable-emergency-admissions"
{measure}
baseline = {{ value = 1800.0, period = "2013/14" }}
rule = {{ name = "hold" }}
"""


def test_a_plan_from_before_the_revision_validates_with_its_edition() -> None:
    # plans-2014.md s3.1: the Essex plan (ESX s5.7.3) keeps avoidable emergency admissions steady
    plan = parse_plan(PLAN.format(top='bcf_edition = "bcf-2014-15-initial"', measure=""))
    assert plan.bcf_edition == "bcf-2014-15-initial"
    measure = plan.measures["avoidable"]
    assert measure.bcf_edition == "bcf-2014-15-initial"
    assert describe_measure(measure) == ("Avoidable emergency admissions", LOWER, "per_100000")
    # or on the measure itself
    one = parse_plan(PLAN.format(top="", measure='bcf_edition = "bcf-2014-15-initial"'))
    assert one.bcf_edition == "bcf-2015-16"
    assert one.measures["avoidable"].bcf_edition == "bcf-2014-15-initial"


def test_a_plan_without_the_edition_is_read_in_bcf_2015_16() -> None:
    with pytest.raises(InputError) as info:
        parse_plan(PLAN.format(top="", measure=""))
    assert "measures.avoidable.bcf_metric" in str(info.value)
    assert "bcf-2015-16" in str(info.value)
    after = PLAN.replace("avoidable-emergency-admissions", "non-elective-admissions")
    plan = parse_plan(after.format(top="", measure=""))
    assert describe_measure(plan.measures["avoidable"])[0].startswith("Total non-elective")


@pytest.mark.parametrize(
    ("top", "measure", "where"),
    [
        ('bcf_edition = "bcf-2014-16"', "", "bcf_edition"),
        ('bcf_edition = "nhsof-2014-15"', "", "bcf_edition"),
        ("", 'bcf_edition = "bcf-2013-14"', "measures.avoidable.bcf_edition"),
    ],
)
def test_an_unknown_bcf_edition_is_reported_where_it_is_written(
    top: str, measure: str, where: str
) -> None:
    with pytest.raises(InputError) as info:
        parse_plan(PLAN.format(top=top, measure=measure))
    assert any(p.startswith(where + ":") for p in info.value.problems), info.value.problems


# -- 6. QP 2015/16 Constitution reductions and names (s3.2, S25; s1.2; STH) ---------------------


def test_qp_2015_16_constitution_reduction_is_the_one_sourced_figure() -> None:
    # s3.2: "a local press report says a missed Red 1 standard would cut 'the 20 per cent' of
    # QP ... The year is not certain: U [S25]"
    qp = load("quality-premium-2015-16", QualityPremiumScheme)
    cut = qp.constitution_reduction
    assert (cut.value, cut.status, cut.sources) == (0.20, "unconfirmed", ("S25",))
    assert cut.note is not None and "one source" in cut.note
    assert "constitution_reduction (unconfirmed)" in qp.unconfirmed()
    # s3.1: the Red 1 standard is 75% (C [S25]); the other thresholds stay U
    red1 = qp.standard("ambulance-red-1").threshold
    assert red1 is not None and (red1.value, red1.status) == (75.0, "confirmed")
    for standard in ("rtt-18-weeks", "ae-4-hours", "cancer-62-days"):
        threshold = qp.standard(standard).threshold
        assert threshold is not None and threshold.status == "unconfirmed"
    # 2014/15 keeps the 2013/14 draft's quarter a standard, unconfirmed for 2014/15 (S55)
    old = load("quality-premium-2014-15", QualityPremiumScheme).constitution_reduction
    assert (old.value, old.status, old.sources) == (0.25, "unconfirmed", ("S55",))


def test_the_premium_says_its_reduction_is_unconfirmed() -> None:
    r = quality_premium(
        "quality-premium-2015-16",
        population=100_000,
        achieved={"pyll": True},
        constitution_missed=["ambulance-red-1"],
    )
    assert r.reduction_share == pytest.approx(0.20)
    assert any(u.startswith("constitution_reduction=0.2 ") for u in r.unconfirmed)


@pytest.mark.parametrize(
    ("code", "name"),
    [
        # word for word as s1.2 gives them
        ("1.7", "Excess under 60 mortality in adults with a learning disability (placeholder)"),
        (
            "2.6.ii",
            "Effectiveness of post-diagnosis care in sustaining independence and quality of life "
            "(placeholder)",
        ),
        ("3.4", "Stroke patients reporting improved activity/lifestyle at 6 months"),
        ("4a.i", "Patient experience of GP services"),
        ("4a.ii", "Patient experience of GP out-of-hours services"),
        ("4a.iii", "Patient experience of NHS dental services"),
        ("4.8", "Children and young people's experience of healthcare (indicator in development)"),
        ("4.9", "People's experience of integrated care"),
        ("1.6.ii", "Neonatal mortality and stillbirths"),
        # where s1.2 paraphrases a pair, the item's own title in S4 (Aug 2015) is kept
        (
            "3.5.i",
            "Hip fracture: proportion of patients recovering to their previous levels of "
            "mobility/walking ability at 30 days",
        ),
    ],
)
def test_indicator_names_are_the_references(
    nhsof: NHSOutcomesFramework, code: str, name: str
) -> None:
    assert nhsof.indicator(code).name == name


def test_4_8_records_the_southend_plans_wording(nhsof: NHSOutcomesFramework) -> None:
    # the reference's own 4.8 wording is U; the 2014 Southend plan's Appendix One (STH) prints it
    # as "Children and young people's experience of outpatient services"
    ind = nhsof.indicator("4.8")
    assert ind.status == "unconfirmed"
    (wording,) = ind.wordings
    assert wording.text == "Children and young people's experience of outpatient services"
    assert wording.sources == ("STH",) and wording.status == "partly"
    assert "Southend" in nhsof.sources["STH"]


def test_qp_2015_16_antibiotics_name_is_the_references() -> None:
    qp = load("quality-premium-2015-16", QualityPremiumScheme)
    assert qp.measure("antibiotics").name == "Improving antibiotic prescribing"  # s3.2


# -- 7. unconfirmed() lists every fact not confirmed, parts and splits included -----------------


def test_splits_carry_a_status_and_are_listed() -> None:
    # s3.1 FFT: "three-part; internal split U"; s3.2: the 50/50 antibiotics halves are C for
    # 2016/17 only [S31]
    qp14 = load("quality-premium-2014-15", QualityPremiumScheme)
    fft = qp14.measure("friends-and-family")
    assert fft.parts_status == "unconfirmed"
    assert "measures[friends-and-family].parts_status (unconfirmed)" in qp14.unconfirmed()
    qp15 = load("quality-premium-2015-16", QualityPremiumScheme)
    abx = qp15.measure("antibiotics")
    assert abx.parts == {"total-items": 0.5, "broad-spectrum": 0.5}
    assert (abx.parts_status, abx.parts_sources) == ("unconfirmed", ("S31",))
    assert "measures[antibiotics].parts_status (unconfirmed)" in qp15.unconfirmed()
    assert "measures[pyll].weight_status (unconfirmed)" in qp15.unconfirmed()


def test_a_split_without_a_status_is_unconfirmed(tmp_path: Path) -> None:
    text = (DATA / "quality-premium-2014-15.toml").read_text()
    path = tmp_path / "qp.toml"
    path.write_text(text.replace('parts_status = "unconfirmed"\n', ""))
    qp = frameworks.load_file(path)
    assert isinstance(qp, QualityPremiumScheme)
    assert qp.measure("friends-and-family").parts_status == "unconfirmed"
    path.write_text(text.replace("ambition = 1\n", 'ambition = 1\nparts_status = "confirmed"\n'))
    with pytest.raises(FrameworkError, match="no parts"):
        frameworks.load_file(path)


def _statuses(where: str, value: Any) -> list[str]:
    """Every status in a model, found independently of the catalogue's own walker."""
    out: list[str] = []
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            sub = getattr(value, name)
            if (name == "status" or name.endswith("_status")) and sub in ("partly", "unconfirmed"):
                out.append(f"{where} ({sub})" if name == "status" else f"{where}.{name} ({sub})")
            else:
                out.extend(_statuses(f"{where}.{name}", sub))
    elif isinstance(value, dict):
        for key, sub in value.items():
            out.extend(_statuses(f"{where}.{key}", sub))
    elif isinstance(value, tuple):
        for i, sub in enumerate(value):
            label = next(
                (v for a in ("code", "id", "number", "event") if (v := getattr(sub, a, None))), i
            )
            out.extend(_statuses(f"{where}[{label}]", sub))
    return out


@pytest.mark.parametrize("fid", HISTORICAL)
def test_unconfirmed_lists_every_fact_that_is_not_confirmed(fid: str) -> None:
    fw = frameworks.load(fid)
    expected = []
    for name in type(fw).model_fields:
        expected.extend(_statuses(name, getattr(fw, name)))
    assert sorted(fw.unconfirmed()) == sorted(expected)
    assert len(set(fw.unconfirmed())) == len(fw.unconfirmed())


def test_plan_citations_are_listed_sources() -> None:
    # plans-2014.md s1.1/s3.2: the Southend cards give ambition 3's four components and the QP
    # weights of PYLL (15%) and the composite (25%)
    amb = load("ambitions-2014-19", AmbitionsFramework)
    assert {"STH", "ESX"} <= set(amb.ambition(3).measure.sources)
    assert amb.ambition(3).measure.status == "partly"  # national confirmation still missing
    # ambition 6: Southend counts poor answers to two questions, GP surgery and out-of-hours;
    # the national split stays unconfirmed (s2: "split GP/OOH U")
    assert "STH" in amb.ambition(6).measure.sources
    assert amb.ambition(6).measure.status == "partly"
    qp = load("quality-premium-2014-15", QualityPremiumScheme)
    assert (
        "STH" in qp.measure("pyll").sources and "STH" in qp.measure("emergency-admissions").sources
    )
    assert qp.measure("pyll").weight == 0.15 and qp.measure("emergency-admissions").weight == 0.25
    for fid in HISTORICAL:
        fw = frameworks.load(fid)
        assert all(key in fw.sources for key in ("STH", "ESX") if key in str(fw.model_dump()))


# -- 8. NHSOF codes after 2014/15 (frameworks-current.md s3 OF-1, C [N29, N30]) ----------------


@pytest.mark.parametrize(("old", "new"), [("1.6.ii", "1c"), ("1.5", "1.5.i"), ("2.5", "2.5.i")])
def test_renames_after_2014_15(nhsof: NHSOutcomesFramework, old: str, new: str) -> None:
    ind = nhsof.indicator(old)
    assert ind.renamed_to == new
    assert ind.change is not None
    assert ind.change.status == "confirmed"
    assert {"N29", "N30"} <= set(ind.change.sources)
    assert nhsof.from_later_code(new) is ind


def test_a_later_series_joins_a_2014_series(nhsof: NHSOutcomesFramework) -> None:
    # S4 (Aug 2015): "Five-year survival from all cancers in children (formerly indicator
    # 1.6.iii) (NHSOF 1.6.ii)" - so a later 1.6.ii is 2014/15's 1.6.iii (P in s1.2)
    assert nhsof.from_later_code("1.6.ii").code == "1.6.iii"
    assert nhsof.indicator("1.6.iii").change.status == "partly"  # type: ignore[union-attr]
    assert nhsof.from_later_code("1.1").code == "1.1"  # untouched codes join as they are
    assert nhsof.from_later_code("2.3 i").code == "2.3.i"
    assert nhsof.indicator("1.1").renamed_to is None


@pytest.mark.parametrize("code", ["1.5", "5.6", "5a", "1a", "3.1", "3.1.ii"])
def test_a_later_code_that_is_not_the_same_indicator_raises(
    nhsof: NHSOutcomesFramework, code: str
) -> None:
    # s1.2 notes (S4): 5a, 5b, 5.4 folded into a new 5.6; the old 5.6 and all-ages 1a retired;
    # the four PROMs items of 3.1 merged into one placeholder
    with pytest.raises(UnknownCodeError, match=f"is not 2014/15's {code}"):
        nhsof.from_later_code(code)
    with pytest.raises(UnknownCodeError, match="unknown later NHSOF code"):
        nhsof.from_later_code("9z")


def test_two_indicators_cannot_take_one_later_code(tmp_path: Path) -> None:
    text = (DATA / "nhsof-2014-15.toml").read_text()
    path = tmp_path / "nhsof.toml"
    path.write_text(text.replace('to = ["2.5.i"]', 'to = ["1.5.i"]'))
    with pytest.raises(FrameworkError, match=r"both renamed to '1\.5\.i'"):
        frameworks.load_file(path)


# -- 9. schemas and the generated framework pages ----------------------------------------------


def test_new_models_export_json_schemas() -> None:
    for model in (IndicatorGroup, NHSOutcomesFramework, BCFFramework):
        assert model.model_json_schema()["type"] == "object"


def test_the_framework_pages_still_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = importlib.util.spec_from_file_location("docs_generate", ROOT / "docs" / "generate.py")
    assert spec is not None and spec.loader is not None
    generate = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "docs_generate", generate)
    spec.loader.exec_module(generate)
    monkeypatch.setattr(generate, "DOCS", tmp_path)
    (tmp_path / "frameworks").mkdir()
    ids = generate.framework_pages()
    assert set(HISTORICAL) <= set(ids)
    page = (tmp_path / "frameworks" / "nhsof-2014-15.md").read_text()
    assert "| 1b | Life expectancy at 75 | years | higher | confirmed |" in page
    assert "was renamed 1c in 2015/16" in page
    assert "CCG OIS 1.1" in page
    initial = (tmp_path / "frameworks" / "bcf-2014-15-initial.md").read_text()
    assert "avoidable-emergency-admissions" in initial
