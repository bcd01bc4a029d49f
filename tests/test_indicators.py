"""outcomes.indicators: published reference cases (tests/data/peer_*.csv), errors, properties, fuzz."""

from __future__ import annotations

import math
import re
import warnings
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from conftest import read_csv
from outcomes import indicators as ind
from outcomes.errors import OutcomesError, ScoringError
from outcomes.stats import Interval

ROOT = Path(__file__).parent.parent


def num(text: str) -> float:
    return float(text) if text not in ("", "NA") else math.nan


def cases(name: str) -> dict[str, list[dict[str, str]]]:
    out: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in read_csv(name):
        out[row["case_id"]].append(row)
    return dict(out)


def expected(name: str) -> dict[str, dict[str, str]]:
    return {row["case_id"]: row for row in read_csv(name)}


def column(rows: list[dict[str, str]], key: str) -> np.ndarray:
    return np.array([num(r[key]) for r in rows])


def close(got: object, want: float, rel: float = 1e-6) -> None:
    assert float(np.asarray(got)) == pytest.approx(want, rel=rel), (got, want)


# --------------------------------------------------------------------------------------------
# Standard populations
# --------------------------------------------------------------------------------------------

# Eurostat (2013), Revision of the European Standard Population, the ESP 2013 table by age
# group: 0, 1-4, 5-9, ..., 90-94, 95+ (typed from the publication).
EUROSTAT_ESP2013 = [1000, 4000, 5500, 5500, 5500, 6000, 6000, 6500, 7000, 7000, 7000, 7000,
                    6500, 6000, 5500, 5000, 4000, 2500, 1500, 800, 200]  # fmt: skip


def test_esp2013_published_table_is_eurostats() -> None:
    esp = ind.standard_population("esp2013", bands=21)
    assert esp.weights.tolist() == EUROSTAT_ESP2013
    assert esp.labels[0] == "0" and esp.labels[-1] == "95+"
    assert "Eurostat" in esp.source and "published" in esp.status
    assert esp.weights.sum() == 100_000


@pytest.mark.parametrize("bands", [18, 19])
def test_esp2013_matches_the_peer_copy(bands: int) -> None:
    rows = [r for r in read_csv("peer_esp2013_weights.csv") if r["bands"] == str(bands)]
    esp = ind.standard_population("esp2013", bands=bands)
    assert esp.weights.tolist() == [float(r["weight"]) for r in rows]
    assert list(esp.labels) == [r["ageband"] for r in rows]
    assert list(esp.start_ages) == [int(r["start_age"]) for r in rows]


def test_derived_layouts_add_published_bands() -> None:
    w = ind.standard_population("esp2013", 21).weights
    assert ind.standard_population("esp2013", 20).weights.tolist() == [*w[:19], w[19] + w[20]]
    assert ind.standard_population("esp2013", 19).weights.tolist() == [
        w[0] + w[1],
        *w[2:19],
        w[19] + w[20],
    ]
    for name in ("esp2013", "esp1976"):
        for bands in (18, 19):
            assert ind.standard_population(name, bands).weights.sum() == 100_000
    w76 = ind.standard_population("esp1976", 19).weights
    assert ind.standard_population("esp1976", 18).weights.tolist() == [w76[0] + w76[1], *w76[2:]]


def test_esp1976_matches_the_weights_of_the_1976_dsr_case() -> None:
    rows = cases("peer_dsr.csv")["dsr_1976_e4"]
    assert (
        ind.standard_population("esp1976", 18).weights.tolist() == column(rows, "stdpop").tolist()
    )


def test_standard_population_errors() -> None:
    with pytest.raises(ScoringError, match=r"esp2013.*did you mean 'esp2013'"):
        ind.standard_population("esp2031")
    with pytest.raises(ScoringError, match="comes with 18, 19, 20, 21 age bands, got bands=17"):
        ind.standard_population("esp2013", 17)
    with pytest.raises(ScoringError, match="bands must be a whole number"):
        ind.standard_population("esp2013", "19")  # type: ignore[arg-type]
    assert np.asarray(ind.standard_population()).shape == (19,)


# --------------------------------------------------------------------------------------------
# DSR
# --------------------------------------------------------------------------------------------

DSR_CASES = cases("peer_dsr.csv")
DSR_EXPECTED = expected("peer_dsr_expected.csv")


@pytest.mark.parametrize("case_id", [c for c in DSR_EXPECTED if not c.startswith("dsr_nonind")])
def test_dsr_reference_cases(case_id: str) -> None:
    rows, want = DSR_CASES[case_id], DSR_EXPECTED[case_id]
    result = ind.dsr(
        column(rows, "count"),  # a blank count (tiny case) is missing: counts as 0
        column(rows, "pop"),
        standard=column(rows, "stdpop"),
        per=num(rows[0]["multiplier"]),
        confidence=(0.95, 0.998),
    )
    assert float(result.total_count) == num(want["exp_total_count"])
    assert float(result.total_population) == num(want["exp_total_pop"])
    if want["exp_value"] == "":
        assert np.isnan(result.value) and np.isnan(result.lower) and np.isnan(result.upper)
        assert result.note.item() == ind.Note.TOTAL_COUNT_BELOW_10 == "total count < 10"
        assert want["exp_statistic"] == "dsr NA for total count < 10"
        return
    assert result.note.item() == ""
    close(result.value, num(want["exp_value"]))
    close(result.lower, num(want["exp_lower95"]))
    close(result.upper, num(want["exp_upper95"]))
    assert result.intervals[0.95] == Interval(result.lower, result.upper)
    if want["exp_lower998"]:
        close(result.intervals[0.998].lower, num(want["exp_lower998"]))
        close(result.intervals[0.998].upper, num(want["exp_upper998"]))


def test_dsr_by_name_equals_by_weights() -> None:
    rows = DSR_CASES["dsr_big_e4"]
    x, n = column(rows, "count"), column(rows, "pop")
    by_name = ind.dsr(x, n, per=10_000)
    close(by_name.value, num(DSR_EXPECTED["dsr_big_e4"]["exp_value"]))
    rows76 = DSR_CASES["dsr_1976_e4"]
    close(
        ind.dsr(column(rows76, "count"), column(rows76, "pop"), standard="esp1976", per=1e4).value,
        num(DSR_EXPECTED["dsr_1976_e4"]["exp_value"]),
    )
    sp = ind.standard_population("esp2013", 19)
    assert ind.dsr(x, n, standard=sp, per=1e4) == by_name == ind.dsr(x, n, per=1e4)


def test_dsr_whole_country_in_one_call_with_notes() -> None:
    rows = DSR_CASES["dsr_big_e4"]
    x, n = column(rows, "count"), column(rows, "pop")
    counts = np.stack([x, x * 0, x])
    pops = np.stack([n, n, n])
    pops[2, 3] = 0
    r = ind.dsr(counts, pops, per=1e4)
    assert r.note.tolist() == ["", "total count < 10", "zero population in an age band"]
    close(r.value[0], num(DSR_EXPECTED["dsr_big_e4"]["exp_value"]))
    assert np.isnan(r.value[1:]).all()
    pops[1, 0] = np.nan
    assert ind.dsr(counts, pops).note[1] == "missing population in an age band"


def test_dsr_errors_name_fields_and_shapes() -> None:
    with pytest.raises(
        ScoringError,
        match=r"count has 19 age bands \(shape \(2, 19\)\) but "
        r"population has 18 \(shape \(2, 18\)\)",
    ):
        ind.dsr(np.ones((2, 19)), np.ones((2, 18)))
    with pytest.raises(
        ScoringError,
        match=r"count \(shape \(3, 19\)\) and population \(shape "
        r"\(2, 19\)\) do not broadcast",
    ):
        ind.dsr(np.ones((3, 19)), np.ones((2, 19)))
    with pytest.raises(ScoringError, match=r"standard has 19 weights .* data have 4 age bands"):
        ind.dsr(np.ones(4), np.ones(4), standard=ind.standard_population())
    with pytest.raises(ScoringError, match="standard must be one of esp1976, esp2013"):
        ind.dsr(np.ones(19), np.ones(19), standard="who2000")
    pops = np.ones((2, 19))
    pops[1, 2] = -5
    with pytest.raises(ScoringError, match=r"population must be >= 0, got -5.0 at index \(1, 2\)"):
        ind.dsr(np.ones((2, 19)), pops)
    with pytest.raises(ScoringError, match="count must be >= 0"):
        ind.dsr(-np.ones(19), np.ones(19))
    with pytest.raises(ScoringError, match="per must be a positive number"):
        ind.dsr(np.ones(19), np.ones(19), per=0)
    with pytest.raises(ScoringError, match="confidence must be a fraction"):
        ind.dsr(np.ones(19), np.ones(19), confidence=95)
    with pytest.raises(ScoringError, match="single number"):
        ind.dsr(5, 100)


# --------------------------------------------------------------------------------------------
# ISR / ISRatio
# --------------------------------------------------------------------------------------------

ISR_CASES = cases("peer_isr.csv")
ISR_EXPECTED = expected("peer_isr_expected.csv")


@pytest.mark.parametrize("case_id", list(ISR_EXPECTED))
def test_isr_reference_cases(case_id: str) -> None:
    rows, want = ISR_CASES[case_id], ISR_EXPECTED[case_id]
    args = (column(rows, "count"), column(rows, "pop"), column(rows, "refcount"),
            column(rows, "refpop"))  # fmt: skip
    total = None if want["observed_total"] == "" else num(want["observed_total"])
    factor = num(want["multiplier"])
    if want["statistic"] == "rate":
        r = ind.isr(*args, per=factor, confidence=(0.95, 0.998), observed_total=total)
        close(r.reference_rate, num(want["exp_ref_rate"]))
    else:
        r = ind.isratio(
            *args, reference_value=factor, confidence=(0.95, 0.998), observed_total=total
        )
        assert r.reference_rate is None
    assert float(r.observed) == num(want["exp_observed"])
    close(r.expected, num(want["exp_expected"]))
    close(r.value, num(want["exp_value"]))
    close(r.lower, num(want["exp_lower95"]))
    close(r.upper, num(want["exp_upper95"]))
    if want["exp_lower998"]:
        close(r.intervals[0.998].lower, num(want["exp_lower998"]))
        close(r.intervals[0.998].upper, num(want["exp_upper998"]))


def test_isr_observed_total_needs_no_counts_and_exact_below_10() -> None:
    rows = ISR_CASES["isratio_obs_1234_2007_Female"]
    n, rx, rn = column(rows, "pop"), column(rows, "refcount"), column(rows, "refpop")
    with_counts = ind.isratio(column(rows, "count"), n, rx, rn, observed_total=2223)
    assert ind.isratio(None, n, rx, rn, observed_total=2223) == with_counts
    small = ind.isratio(None, n, rx, rn, observed_total=[0, 9, 10])
    assert float(small.lower[0]) == 0.0  # exact (chi-square) limits below 10 observed
    e = float(small.expected[0])
    assert float(small.upper[0]) * e == pytest.approx(3.6889, abs=1e-4)
    assert float(small.lower[1]) * e == pytest.approx(4.1153, abs=1e-4)
    assert float(small.upper[1]) * e == pytest.approx(17.0848, abs=1e-4)
    assert float(small.lower[2]) * e == pytest.approx(4.7874, abs=1e-4)  # Byar from 10
    with pytest.raises(ScoringError, match="count is required unless observed_total"):
        ind.isr(None, n, rx, rn)


def test_isr_errors_and_notes() -> None:
    with pytest.raises(ScoringError, match="reference_population must be > 0"):
        ind.isr([1, 2], [10, 10], [1, 1], [0, 10])
    with pytest.raises(ScoringError, match=r"population has 2 age bands .* reference_count has 3"):
        ind.isr([1, 2], [10, 10], [1, 1, 1], [10, 10, 10])
    with pytest.raises(ScoringError, match="population must be >= 0"):
        ind.isr([1, 2], [10, -10], [1, 1], [10, 10])
    r = ind.isr([[1, 2], [1, 2]], [[10, 10], [0, 0]], [1, 1], [10, 10])
    assert r.note.tolist() == ["", "zero expected count"] and np.isnan(r.value[1])


# --------------------------------------------------------------------------------------------
# Means
# --------------------------------------------------------------------------------------------


def test_mean_reference_case() -> None:
    rows, want = cases("peer_mean.csv")["mean_area1"], expected("peer_mean_expected.csv")
    w = want["mean_area1"]
    r = ind.mean_ci(column(rows, "value"), confidence=(0.95, 0.998))
    close(r.total, num(w["exp_value_sum"]))
    assert float(r.count) == num(w["exp_value_count"])
    close(r.stdev, num(w["exp_stdev"]))
    close(r.value, num(w["exp_value"]))
    close(r.lower, num(w["exp_lower95"]))
    close(r.upper, num(w["exp_upper95"]))
    close(r.intervals[0.998].lower, num(w["exp_lower998"]))
    close(r.intervals[0.998].upper, num(w["exp_upper998"]))


def test_mean_missing_values_and_axis() -> None:
    r = ind.mean_ci([[1.0, np.nan, 3.0], [np.nan, np.nan, 4.0], [np.nan] * 3])
    assert r.count.tolist() == [2, 1, 0]
    assert r.note.tolist() == ["", "fewer than 2 values: no interval", "no values"]
    assert r.value[1] == 4.0 and np.isnan(r.lower[1]) and np.isnan(r.value[2])
    assert ind.mean_ci(np.arange(6.0).reshape(3, 2), axis=0).value.tolist() == [2.0, 3.0]
    with pytest.raises(ScoringError, match="axis 2 is out of range"):
        ind.mean_ci([1.0, 2.0], axis=2)


# --------------------------------------------------------------------------------------------
# Life expectancy
# --------------------------------------------------------------------------------------------

LE_CASES = cases("peer_life_expectancy.csv")
NOTE_OF = {
    "negative deaths": ind.Note.NEGATIVE_DEATHS,
    "total population <= 5000": ind.Note.TOTAL_POPULATION_5000_OR_LESS,
    "zero population": ind.Note.POPULATION_NOT_POSITIVE,
    "zero or negative population": ind.Note.POPULATION_NOT_POSITIVE,
    "deaths above population": ind.Note.DEATHS_ABOVE_POPULATION,
    "missing age band": ind.Note.MISSING_AGE_BAND,
    "a band is missing": ind.Note.MISSING_AGE_BAND,
    "wider than 20 years": ind.Note.WIDE_INTERVAL,
}


def note_for(text: str) -> str:
    for phrase, note in NOTE_OF.items():
        if phrase in text:
            return note.value
    return ""


def r4(a: object) -> np.ndarray:
    return np.round(np.asarray(a, dtype=float), 4)


@pytest.mark.parametrize("case_id", list(LE_CASES))
def test_life_expectancy_reference_cases(case_id: str) -> None:
    rows = LE_CASES[case_id]
    assert [num(r["startage"]) for r in rows] == list(ind.PHE_LIFE_TABLE_AGES)
    r = ind.life_expectancy(column(rows, "deaths"), column(rows, "pop"))
    np.testing.assert_array_equal(r4(r.value), r4(column(rows, "exp_value")))
    np.testing.assert_array_equal(r4(r.lower), r4(column(rows, "exp_lower")))
    np.testing.assert_array_equal(r4(r.upper), r4(column(rows, "exp_upper")))
    if case_id == "le_df1":
        assert (r.note == "").all()
        assert r.population_used.tolist() == column(rows, "exp_pops_used").tolist()
        assert r.deaths_used.tolist() == column(rows, "exp_dths_used").tolist()
    else:
        assert set(r.note.tolist()) == {note_for(rows[0]["exp_note"])}


def test_life_expectancy_suppression_cases() -> None:
    by_area: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    for row in read_csv("pim_life_expectancy_suppression.csv"):
        by_area[row["case_id"], row["area"]].append(row)
    ages = list(ind.PHE_LIFE_TABLE_AGES)
    # every case as one vectorised call: areas x 20 bands (a missing band is NaN)
    deaths = np.full((len(by_area), 20), np.nan)
    pops = np.full((len(by_area), 20), np.nan)
    for i, rows in enumerate(by_area.values()):
        for row in rows:
            j = ages.index(int(row["startage"]))
            deaths[i, j], pops[i, j] = num(row["deaths"]), num(row["pops"])
    r = ind.life_expectancy(deaths, pops, confidence=(0.95, 0.998))
    for i, ((case, area), rows) in enumerate(by_area.items()):
        notes = [note_for(row["exp_note"]) for row in rows]
        if case == "le_grouped" and area == "Good data":
            assert (r.note[i] == "").all() and np.isfinite(r.value[i]).all()
            continue
        assert r.note[i][: len(notes)].tolist() == notes, (case, area)
        want = column(rows, "exp_value")
        np.testing.assert_array_equal(r4(r.value[i][: len(rows)]), r4(want))
        if rows[0]["exp_lower95"]:
            np.testing.assert_array_equal(r4(r.lower[i]), r4(column(rows, "exp_lower95")))
            np.testing.assert_array_equal(r4(r.upper[i]), r4(column(rows, "exp_upper95")))
        else:
            assert np.isnan(r.lower[i]).all() and np.isnan(r.upper[i]).all()


def test_life_expectancy_other_rules_and_errors() -> None:
    rows = LE_CASES["le_df1"]
    d, p = column(rows, "deaths"), column(rows, "pop")
    d0 = d.copy()
    d0[-1] = 0
    r = ind.life_expectancy(np.stack([d, d0]), p)
    assert r.note[1, 0] == "no deaths in the last (open) age band" and np.isnan(r.value[1]).all()
    assert np.isfinite(r.value[0]).all()
    with pytest.raises(ScoringError, match="start_ages has 20"):
        ind.life_expectancy(d[:19], p[:19])
    with pytest.raises(ScoringError, match="start at 0 and increase"):
        ind.life_expectancy(d, p, start_ages=list(range(1, 21)))
    with pytest.raises(ScoringError, match=r"deaths has 20 age bands .* population has 19"):
        ind.life_expectancy(d, p[:19])
    three = ind.life_expectancy([10, 50, 300], [20000, 10000, 2000], start_ages=[0, 40, 80])
    assert three.start_ages == (0.0, 40.0, 80.0) and np.isfinite(three.value).all()


# --------------------------------------------------------------------------------------------
# SII
# --------------------------------------------------------------------------------------------

SII_CASES = cases("peer_sii.csv")
SII_EXPECTED = expected("peer_sii_expected.csv")
VALUE_TYPES = {"0": "other", "1": "rate", "2": "proportion"}


def sii_call(case_id: str, use_se: bool = False, **kw: object) -> ind.SIIResult:
    rows, want = SII_CASES[case_id], SII_EXPECTED[case_id]
    levels = tuple(float(c) / 100 for c in want["confidence"].split(";"))
    limits = {"se": column(rows, "se")} if use_se else {
        "lower": column(rows, "lowercl"), "upper": column(rows, "uppercl")
    }  # fmt: skip
    return ind.sii(
        column(rows, "value"),
        column(rows, "population"),
        value_type=VALUE_TYPES[want["value_type"]],  # type: ignore[arg-type]
        per=num(want["multiplier"]),
        transform=want["transform"] == "TRUE",
        rii=True,
        confidence=levels,
        seed=2014,
        **limits,  # type: ignore[arg-type]
        **kw,  # type: ignore[arg-type]
    )


def check_sii(result: ind.SIIResult, want: dict[str, str]) -> None:
    close(result.sii, num(want["exp_sii"]))  # point estimates: exact
    if want["exp_rii"]:
        close(result.rii, num(want["exp_rii"]))
    if want["exp_intercept"]:
        close(result.intercept, num(want["exp_intercept"]))
    assert result.rii_intervals is not None
    for i, level in enumerate(result.confidence, start=1):
        for name, got in (
            ("sii_lower", result.intervals[level].lower),
            ("sii_upper", result.intervals[level].upper),
            ("rii_lower", result.rii_intervals[level].lower),
            ("rii_upper", result.rii_intervals[level].upper),
        ):
            if want[f"exp_{name}_{i}"]:  # simulated: within Monte Carlo error
                close(got, num(want[f"exp_{name}_{i}"]), rel=0.05)


@pytest.mark.parametrize("case_id", list(SII_EXPECTED))
def test_sii_reference_cases(case_id: str) -> None:
    check_sii(sii_call(case_id), SII_EXPECTED[case_id])


@pytest.mark.parametrize(
    "case_id",
    [c for c, w in SII_EXPECTED.items() if w["value_type"] == "0" or w["transform"] == "TRUE"],
)
def test_sii_with_standard_errors_on_the_regression_scale(case_id: str) -> None:
    check_sii(sii_call(case_id, use_se=True), SII_EXPECTED[case_id])


def test_sii_seed_reproducible_and_one_area_equals_national_call() -> None:
    a, b = sii_call("sii_001", reps=2000), sii_call("sii_001", reps=2000)
    assert a == b
    rows1, rows2 = SII_CASES["sii_001"], SII_CASES["sii_031"]
    v = np.stack([column(rows1, "value"), column(rows2, "value")])
    p = np.stack([column(rows1, "population"), column(rows2, "population")])
    s = np.stack([column(rows1, "se"), column(rows2, "se")])
    both = ind.sii(v, p, se=s, rii=True, reps=5000, seed=7)
    for i in range(2):
        one = ind.sii(v[i], p[i], se=s[i], rii=True, reps=5000, seed=7)
        for field in ("sii", "sii_lower", "sii_upper", "rii", "rii_lower", "rii_upper"):
            np.testing.assert_allclose(getattr(one, field), getattr(both, field)[i], rtol=1e-12)


def test_sii_notes_and_errors() -> None:
    rows = SII_CASES["sii_001"]
    v, p, s = column(rows, "value"), column(rows, "population"), column(rows, "se")
    v2 = np.stack([v, v, v])
    p2 = np.stack([p, p, p])
    v2[1, 3] = np.nan
    p2[2, 0] = 0
    r = ind.sii(v2, p2, se=s, reps=1000, seed=1)
    assert r.note.tolist() == ["", "missing value", "zero or missing population in a quantile"]
    assert np.isnan(r.sii[1:]).all() and np.isfinite(r.sii[0])
    assert r.rii is None and r.value is r.sii
    with pytest.raises(ScoringError, match="5 to 100 quantiles"):
        ind.sii(v[:4], p[:4], se=s[:4])
    with pytest.raises(ScoringError, match="needs se, or both lower and upper"):
        ind.sii(v, p, lower=v)
    with pytest.raises(ScoringError, match="transform=True needs value_type"):
        ind.sii(v, p, se=s, transform=True)
    with pytest.raises(ScoringError, match="reps must be a whole number >= 1000"):
        ind.sii(v, p, se=s, reps=10)
    with pytest.raises(ScoringError, match="value_type must be"):
        ind.sii(v, p, se=s, value_type="ratio")  # type: ignore[arg-type]
    with pytest.raises(ScoringError, match="between 0 and 1"):
        ind.sii(v, p, se=s, value_type="proportion")
    with pytest.raises(ScoringError, match=r"se has 9 age bands .* value has 10"):
        ind.sii(v, p, se=s[:9])
    lo = v - 1
    lo[0] = -1
    r = ind.sii(v, p, lower=lo, upper=v + 1, value_type="rate", transform=True, reps=1000)
    assert r.note.item() == ind.Note.CANNOT_TRANSFORM


# --------------------------------------------------------------------------------------------
# Proportions and crude rates
# --------------------------------------------------------------------------------------------


def test_proportion_and_crude_rate() -> None:
    p = ind.proportion([81, 0, 0, 7], [263, 10, 0, np.nan], per=1)
    assert p.note.tolist() == ["", "", "zero denominator", "missing value"]
    assert round(float(p.lower[0]), 4) == 0.2553 and round(float(p.upper[0]), 4) == 0.3662
    assert p.lower[1] == 0.0
    c = ind.crude_rate([0, 9, 10, 120], 100_000, confidence=(0.95, 0.998))
    assert c.value.tolist() == [0.0, 9.0, 10.0, 120.0]
    assert c.lower[0] == 0 and c.upper[0] == pytest.approx(3.6889, abs=1e-4)  # exact
    assert c.lower[2] == pytest.approx(4.7874, abs=1e-4)  # Byar from 10
    assert set(c.intervals) == {0.95, 0.998}
    with pytest.raises(ScoringError, match="count must be <= denominator"):
        ind.proportion([5, 11], [10, 10])
    with pytest.raises(ScoringError, match=r"count \(shape \(2,\)\) and denominator"):
        ind.crude_rate([1, 2], [1, 2, 3])


# --------------------------------------------------------------------------------------------
# Models
# --------------------------------------------------------------------------------------------


def test_results_are_frozen_and_round_trip_through_json() -> None:
    rows = DSR_CASES["dsr_big_e4"]
    r = ind.dsr(np.stack([column(rows, "count")] * 2), column(rows, "pop"),
                confidence=(0.95, 0.998))  # fmt: skip
    again = ind.RateResult.model_validate_json(r.model_dump_json())
    assert again == r and again.intervals[0.998].lower.shape == (2,)
    with pytest.raises(Exception, match="frozen"):
        r.per = 1  # type: ignore[misc]
    assert ind.RateResult.model_json_schema()["properties"]["intervals"]["type"] == "object"
    s = sii_call("sii_001", reps=1000)
    assert ind.SIIResult.model_validate_json(s.model_dump_json()) == s


# --------------------------------------------------------------------------------------------
# Properties: vectorised == looped, scale behaviour
# --------------------------------------------------------------------------------------------

band_counts = hnp.arrays(np.float64, (4, 19), elements=st.integers(0, 400).map(float))
band_pops = hnp.arrays(np.float64, (4, 19), elements=st.integers(1, 100_000).map(float))


@settings(max_examples=80, deadline=None)
@given(band_counts, band_pops, st.sampled_from([1.0, 1000.0, 100_000.0]))
def test_dsr_vectorised_equals_looped_and_linear_in_per(
    x: np.ndarray, n: np.ndarray, per: float
) -> None:
    whole = ind.dsr(x, n, per=per)
    for i in range(x.shape[0]):
        one = ind.dsr(x[i], n[i], per=per)
        for field in ("value", "lower", "upper", "total_count"):
            np.testing.assert_allclose(getattr(one, field), getattr(whole, field)[i], rtol=1e-12)
        assert one.note.item() == whole.note[i]
    base = ind.dsr(x, n, per=1.0)
    np.testing.assert_allclose(whole.value, base.value * per, rtol=1e-12)
    np.testing.assert_allclose(whole.lower, base.lower * per, rtol=1e-12)
    ok = whole.note == ""
    assert (whole.lower[ok] <= whole.value[ok]).all() and (whole.value[ok] <= whole.upper[ok]).all()
    # the same rate in every band gives that rate, whatever the standard
    flat = ind.dsr(n * 0.01, n, per=1.0, standard=np.arange(1.0, 20.0))
    np.testing.assert_allclose(flat.value[flat.note == ""], 0.01, rtol=1e-12)


@settings(max_examples=60, deadline=None)
@given(band_counts, band_pops)
def test_isr_vectorised_equals_looped(x: np.ndarray, n: np.ndarray) -> None:
    rx, rn = x.sum(axis=0) + 1, n.sum(axis=0)
    whole = ind.isr(x, n, rx, rn)
    ratio = ind.isratio(x, n, rx, rn, reference_value=100)
    for i in range(x.shape[0]):
        one = ind.isr(x[i], n[i], rx, rn)
        np.testing.assert_allclose(one.value, whole.value[i], rtol=1e-12)
        np.testing.assert_allclose(one.lower, whole.lower[i], rtol=1e-12)
        np.testing.assert_allclose(one.upper, whole.upper[i], rtol=1e-12)
    # the rate is the ratio times the reference rate
    np.testing.assert_allclose(whole.value, ratio.value / 100 * whole.reference_rate, rtol=1e-12)


@settings(max_examples=40, deadline=None)
@given(hnp.arrays(np.float64, (3, 20), elements=st.floats(0.0005, 0.3)),
       hnp.arrays(np.float64, (3, 20), elements=st.integers(2000, 80_000).map(float)))  # fmt: skip
def test_life_expectancy_vectorised_equals_looped(rate: np.ndarray, pops: np.ndarray) -> None:
    deaths = np.round(rate * pops)
    deaths[:, -1] = np.maximum(deaths[:, -1], 1)
    whole = ind.life_expectancy(deaths, pops)
    for i in range(3):
        one = ind.life_expectancy(deaths[i], pops[i])
        np.testing.assert_allclose(one.value, whole.value[i], rtol=1e-12)
        np.testing.assert_allclose(one.lower, whole.lower[i], rtol=1e-12)
        assert one.note.tolist() == whole.note[i].tolist()
    ok = np.isfinite(whole.value)
    assert (whole.lower[ok] <= whole.value[ok]).all()
    # life expectancy plus the start age never falls with age where every band is computed
    good = (whole.note == "").all(axis=-1)
    ages = np.array(ind.PHE_LIFE_TABLE_AGES)
    assert (np.diff(whole.value[good] + ages, axis=-1) > -1e-9).all()


@settings(max_examples=30, deadline=None)
@given(hnp.arrays(np.float64, (2, 6), elements=st.floats(1.0, 100.0)),
       hnp.arrays(np.float64, (2, 6), elements=st.integers(100, 10_000).map(float)),
       st.floats(-100, 100).filter(lambda v: abs(v) > 0.01))  # fmt: skip
def test_sii_scales_with_per(value: np.ndarray, pops: np.ndarray, per: float) -> None:
    base = ind.sii(value, pops, se=value * 0.05, reps=1000, seed=3)
    scaled = ind.sii(value, pops, se=value * 0.05, per=per, reps=1000, seed=3)
    np.testing.assert_allclose(scaled.sii, base.sii * per, rtol=1e-9, atol=1e-9)
    # a negative multiplier reverses the interval
    lower, upper = (base.sii_lower, base.sii_upper) if per > 0 else (base.sii_upper, base.sii_lower)
    np.testing.assert_allclose(scaled.sii_lower, lower * per, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(scaled.sii_upper, upper * per, rtol=1e-9, atol=1e-9)


# --------------------------------------------------------------------------------------------
# Fuzz: anything in -> valid output (NaN only beside a note) or an OutcomesError
# --------------------------------------------------------------------------------------------

WILD = st.sampled_from(
    [math.nan, math.inf, -math.inf, 0.0, -1.0, 1e308, 1e-308, 5e-324, 1.0, 7.0, 12.0, 3e5]
)
PLAUSIBLE = st.one_of(st.integers(0, 5000).map(float), st.floats(0.5, 1e6))
TEXT = st.sampled_from(["", "x", "esp2031", "nan", "1e5", "rate"])
SHAPE = st.sampled_from([(), (19,), (2, 19), (18,), (3,), (2, 10), (0,), (10,), (20,)])
COMMON = st.sampled_from([(19,), (3, 19), (20,), (2, 20), (10,), (2, 10), (18,)])


MODES = ["clean", "clean", "clean", "clean", "wild values", "wrong shape", "text", "text list"]


@st.composite
def wild_arrays(draw: st.DrawFn, shape: tuple[int, ...]) -> object:
    """Mostly plausible arrays of the call's shape; some wild values, shapes and strings."""
    mode = draw(st.sampled_from(MODES))
    if mode == "text":
        return draw(TEXT)
    if mode == "text list":
        return [draw(TEXT), 1.0]
    if mode == "wrong shape":
        shape = draw(SHAPE)
    elements = st.one_of(PLAUSIBLE, WILD) if mode == "wild values" else PLAUSIBLE
    return draw(hnp.arrays(np.float64, shape, elements=elements))


def check_result(result: object) -> None:
    note = np.asarray(result.note)  # type: ignore[attr-defined]
    for name in ("value", "lower", "upper", "sii", "sii_lower", "sii_upper", "intercept"):
        array = getattr(result, name, None)
        if array is None:
            continue
        array = np.asarray(array, dtype=float)
        if array.shape == note.shape:
            bad = ~np.isfinite(array)
            assert (note[bad] != "").all(), (name, array, note)


def odd(t: object, fallback: object) -> object:
    """Mostly the valid argument, sometimes a wrong string."""
    return t if t in ("esp2031", "x") else fallback


FUNCTIONS = {
    "dsr": lambda a, b, c, d, t: ind.dsr(a, b, standard=odd(t, "esp2013")),
    "dsr_w": lambda a, b, c, d, t: ind.dsr(a, b, standard=c, confidence=odd(t, (0.9, 0.99))),
    "isr": lambda a, b, c, d, t: ind.isr(a, b, c, d, per=odd(t, 1000)),
    "isratio": lambda a, b, c, d, t: ind.isratio(
        None,
        b,
        c,
        d,
        observed_total=a[..., 0] if isinstance(a, np.ndarray) and a.ndim and a.size else a,
    ),
    "mean": lambda a, b, c, d, t: ind.mean_ci(a, confidence=odd(t, 0.9)),
    "le": lambda a, b, c, d, t: ind.life_expectancy(a, b, confidence=odd(t, 0.95)),
    "le_ages": lambda a, b, c, d, t: ind.life_expectancy(a, b, start_ages=c),
    "sii": lambda a, b, c, d, t: ind.sii(a, b, se=c, reps=1000, seed=1),
    "sii_t": lambda a, b, c, d, t: ind.sii(
        a,
        b,
        lower=np.minimum(c, d)
        if isinstance(c, np.ndarray) and isinstance(d, np.ndarray) and c.shape == d.shape
        else c,
        upper=d,
        value_type="rate",
        transform=True,
        reps=1000,
        seed=1,
    ),
    "proportion": lambda a, b, c, d, t: ind.proportion(a, b, per=odd(t, 1)),
    "crude_rate": lambda a, b, c, d, t: ind.crude_rate(a, b),
    "standard": lambda a, b, c, d, t: ind.standard_population(odd(t, "esp1976")),  # type: ignore[arg-type]
}


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(sorted(FUNCTIONS)), COMMON, st.data(), st.one_of(TEXT, st.none()))
def test_fuzz_indicators(name: str, shape: tuple[int, ...], data: st.DataObject, t: object) -> None:
    a, b, c, d = (data.draw(wild_arrays(shape)) for _ in range(4))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", RuntimeWarning)  # no stray numpy warnings either
            result = FUNCTIONS[name](a, b, c, d, t)
    except OutcomesError:
        event("typed error")
        return
    event("result")
    if name != "standard":
        check_result(result)


# --------------------------------------------------------------------------------------------
# Docs: the examples of the method pages run as written
# --------------------------------------------------------------------------------------------

DOC_PAGES = [
    "indicators-dsr.md",
    "indicators-life-expectancy.md",
    "indicators-inequality.md",
    "indicators-means-proportions.md",
]


@pytest.mark.parametrize("page", DOC_PAGES)
def test_docs_examples_run(page: str) -> None:
    text = (ROOT / "docs" / page).read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL)
    assert blocks, page
    for block in blocks:
        exec(compile(block, page, "exec"), {})


# --------------------------------------------------------------------------------------------
# regressions found by tests/test_fuzz.py (issue 12)
# --------------------------------------------------------------------------------------------


def test_odd_arguments_give_typed_errors() -> None:
    with pytest.raises(ScoringError, match="per must be a number"):
        ind.crude_rate([1], [10], per=10**400)
    with pytest.raises(ScoringError, match="per must be a number"):
        ind.dsr([1] * 19, [100] * 19, per=10**400)
    with pytest.raises(ScoringError, match="confidence levels must differ"):
        ind.proportion([1], [10], confidence=[0.95, 0.95])
    with pytest.raises(ScoringError, match="axis must be a whole number"):
        ind.mean_ci([1.0, 2.0], axis="")  # type: ignore[arg-type]
    with pytest.raises(ScoringError, match="axis"):
        ind.mean_ci([1.0, 2.0], axis=10**400)


def test_mean_beyond_a_float_is_noted_not_infinite() -> None:
    """The sum or the spread of values near 1e308 overflows: NaN beside the note, never inf."""
    r = ind.mean_ci([[1e308, 1e308, 1.0], [1.0, 2.0, 3.0]])
    assert r.note.tolist() == ["cannot be calculated from these values", ""]
    assert not np.isinf(r.total).any() and not np.isinf(r.stdev).any()
    assert np.isnan(r.stdev[0]) and r.stdev[1] == 1.0


def test_sii_limits_with_more_groups_than_the_values() -> None:
    """se (or limits) per group broadcast against one row of values (was numpy's error)."""
    r = ind.sii(np.arange(1.0, 11.0), np.full(10, 100.0), se=np.ones((2, 10)), reps=1000, seed=1)
    assert r.sii.shape == (2,) and np.allclose(r.sii, 10.0)
    r = ind.sii(np.zeros(10), np.zeros(10), se=np.zeros((2, 10)), reps=1000, seed=1)
    assert r.note.tolist() == ["zero or missing population in a quantile"] * 2
    with pytest.raises(ScoringError, match="se"):
        ind.sii(np.arange(1.0, 11.0), np.full((3, 10), 100.0), se=np.ones((2, 10)), reps=1000)
