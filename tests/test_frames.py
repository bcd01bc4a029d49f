"""outcomes.frames: the data-frame forms reproduce the peer reference cases with PHE's columns."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from outcomes import frames
from outcomes import indicators as ind
from outcomes.errors import OutcomesError, ScoringError

pd = pytest.importorskip("pandas")

DATA = Path(__file__).parent / "data"


def load(name: str) -> pd.DataFrame:
    return pd.read_csv(DATA / name)


DSR = load("peer_dsr.csv")
DSR_EXPECTED = load("peer_dsr_expected.csv").set_index("case_id")


def approx(got: object, want: object, rel: float = 1e-6) -> None:
    np.testing.assert_allclose(np.asarray(got, float), np.asarray(want, float), rtol=rel)


@pytest.mark.parametrize("with_age", [True, False])
def test_dsr_cases_in_one_call_with_phe_columns(with_age: bool) -> None:
    df = DSR[DSR.case_id.isin(["dsr_big_e4", "dsr_tiny_e5"])]
    out = frames.dsr(
        df,
        by="case_id",
        count="count",
        population="pop",
        age="ageband" if with_age else None,
        standard_column="stdpop",
        per=10_000,
        confidence=(0.95, 0.998),
    )
    assert list(out.columns) == [
        "case_id", "total_count", "total_pop", "value", "lower95_0cl", "upper95_0cl",
        "lower99_8cl", "upper99_8cl", "confidence", "statistic", "method", "note",
    ]  # fmt: skip
    big = out.set_index("case_id").loc["dsr_big_e4"]
    want = DSR_EXPECTED.loc["dsr_big_e4"]
    approx(big[["value", "lower95_0cl", "upper95_0cl", "lower99_8cl", "upper99_8cl"]],
           want[["exp_value", "exp_lower95", "exp_upper95", "exp_lower998", "exp_upper998"]])  # fmt: skip
    assert big.statistic == want.exp_statistic == "dsr per 10000"
    assert big.confidence == "95%, 99.8%" and big.method == "Dobson" and big.note == ""
    tiny = out.set_index("case_id").loc["dsr_tiny_e5"]
    assert tiny.statistic == DSR_EXPECTED.loc["dsr_tiny_e5"].exp_statistic
    assert tiny.total_count == 9 and np.isnan(tiny.value) and tiny.note == "total count < 10"


def test_dsr_1976_by_name_and_single_level_columns() -> None:
    df = DSR[DSR.case_id == "dsr_1976_e4"]
    out = frames.dsr(df, count="count", population="pop", age="ageband", standard="esp1976",
                     per=10_000)  # fmt: skip
    assert {"lowercl", "uppercl"} <= set(out.columns) and out.confidence[0] == "95%"
    want = DSR_EXPECTED.loc["dsr_1976_e4"]
    approx(out[["value", "lowercl", "uppercl"]].iloc[0],
           want[["exp_value", "exp_lower95", "exp_upper95"]])  # fmt: skip


def test_dsr_non_independent_events() -> None:
    df = DSR[DSR.case_id == "dsr_nonind_dummy_e5"]
    out = frames.dsr(
        df,
        count="count",
        population="pop",
        age="ageband",
        independent_events=False,
        event_frequency="eventfreq",
        confidence=(0.95, 0.998),
    )
    want = DSR_EXPECTED.loc["dsr_nonind_dummy_e5"]
    row = out.iloc[0]
    assert row.total_count == want.exp_total_count and row.total_pop == want.exp_total_pop
    approx(row[["value", "lower95_0cl", "upper95_0cl", "lower99_8cl", "upper99_8cl"]],
           want[["exp_value", "exp_lower95", "exp_upper95", "exp_lower998", "exp_upper998"]])  # fmt: skip
    assert row.method == want.exp_method
    # the same events counted as independent give the same DSR and a narrower interval
    big = frames.dsr(DSR[DSR.case_id == "dsr_big_e4"], count="count", population="pop").iloc[0]
    approx(big.value, row.value)
    assert row.lower95_0cl < big.lowercl and big.uppercl < row.upper95_0cl


def test_isr_frames() -> None:
    isr = load("peer_isr.csv")
    want = load("peer_isr_expected.csv").set_index("case_id")
    obs = want[want.observed_total.notna()]
    df = isr[isr.case_id.isin(obs.index)].merge(
        obs[["observed_total"]], left_on="case_id", right_index=True
    )
    out = frames.isratio(
        df, by="case_id", count=None, population="pop", reference_count="refcount",
        reference_population="refpop", age="ageband", observed_total="observed_total",
    ).set_index("case_id")  # fmt: skip
    assert len(out) == 13
    approx(out.loc[obs.index, "value"], obs.exp_value)
    approx(out.loc[obs.index, "lowercl"], obs.exp_lower95)
    approx(out.loc[obs.index, "uppercl"], obs.exp_upper95)
    assert (out.statistic == "indirectly standardised ratio x 1").all()
    assert (out.method == "Byars").all()
    rate = frames.isr(
        isr[isr.case_id == "israte_big_e5"], count="count", population="pop",
        reference_count="refcount", reference_population="refpop", confidence=(0.95, 0.998),
    ).iloc[0]  # fmt: skip
    w = want.loc["israte_big_e5"]
    approx(rate[["observed", "expected", "ref_rate", "value", "lower95_0cl", "upper99_8cl"]],
           w[["exp_observed", "exp_expected", "exp_ref_rate", "exp_value", "exp_lower95",
              "exp_upper998"]])  # fmt: skip
    assert rate.statistic == "indirectly standardised rate per 100000"


def test_mean_frames() -> None:
    means = load("peer_mean.csv")
    w = load("peer_mean_expected.csv").iloc[0]
    out = frames.mean_ci(means, value="value", by="group", confidence=(0.95, 0.998)).iloc[0]
    approx(out[["value_sum", "value_count", "stdev", "value", "lower95_0cl", "upper99_8cl"]],
           w[["exp_value_sum", "exp_value_count", "exp_stdev", "exp_value", "exp_lower95",
              "exp_upper998"]])  # fmt: skip
    assert out.method == "Student's t-distribution" and out.statistic == "mean"


def test_life_expectancy_frames() -> None:
    le = load("peer_life_expectancy.csv")
    out = frames.life_expectancy(le, by="case_id", deaths="deaths", population="pop",
                                 age="startage")  # fmt: skip
    assert len(out) == 60
    df1 = out[out.case_id == "le_df1"]
    want = le[le.case_id == "le_df1"]
    np.testing.assert_array_equal(df1.value.round(4).to_numpy(), want.exp_value.round(4).to_numpy())
    np.testing.assert_array_equal(df1.pops_used.to_numpy(), want.exp_pops_used.to_numpy())
    np.testing.assert_array_equal(df1.dths_used.to_numpy(), want.exp_dths_used.to_numpy())
    assert df1.statistic.iloc[3] == "life expectancy at 10"
    assert df1.method.iloc[0] == "Chiang, using Silcocks et al for confidence limits"
    assert set(out[out.case_id == "le_low_pops"].note) == {"total population <= 5,000"}
    grouped = pd.read_csv(DATA / "pim_life_expectancy_suppression.csv")
    grouped = grouped[grouped.case_id == "le_grouped"]
    res = frames.life_expectancy(grouped, by="area", deaths="deaths", population="pops",
                                 age="startage").groupby("area", sort=False).note.first()  # fmt: skip
    assert res.to_dict() == {
        "Good data": "",
        "Negative deaths": "negative deaths in an age band",
        "Negative pops": "zero or negative population in an age band",
        "Deaths more than pops": "more deaths than population in an age band",
        "Low pops": "total population <= 5,000",
        "Missing age band": "missing age band",
    }


def test_sii_frames() -> None:
    sii = load("peer_sii.csv")
    want = load("peer_sii_expected.csv").set_index("case_id")
    df = sii[sii.case_id.isin(["sii_306", "sii_366"])]
    out = frames.sii(
        df, by="case_id", quantile="quantile", population="population", value="value",
        lower="lowercl", upper="uppercl", value_type="rate", transform=True, rii=True,
        confidence=(0.95, 0.98), seed=2014,
    ).set_index("case_id")  # fmt: skip
    assert list(out.columns) == [
        "sii", "sii_lower95_0cl", "sii_upper95_0cl", "sii_lower98_0cl", "sii_upper98_0cl",
        "rii", "rii_lower95_0cl", "rii_upper95_0cl", "rii_lower98_0cl", "rii_upper98_0cl",
        "intercept", "note",
    ]  # fmt: skip
    w = want.loc["sii_366"]
    approx(
        out.loc["sii_366", ["sii", "rii", "intercept"]], w[["exp_sii", "exp_rii", "exp_intercept"]]
    )
    approx(out.loc["sii_366", ["sii_lower95_0cl", "sii_upper98_0cl", "rii_lower98_0cl"]],
           w[["exp_sii_lower_1", "exp_sii_upper_2", "exp_rii_lower_2"]], rel=0.05)  # fmt: skip
    # common random numbers: identical inputs, identical simulated limits
    assert out.loc["sii_306", "sii_lower95_0cl"] == out.loc["sii_366", "sii_lower95_0cl"]


def test_proportion_and_crude_rate_frames() -> None:
    df = pd.DataFrame({"g": ["a", "a", "b"], "x": [3, 5, 20], "n": [100, 100, 50_000]})
    rows = frames.proportion(df, count="x", denominator="n", confidence=(0.95, 0.998))
    assert list(rows.columns[:3]) == ["g", "x", "n"] and len(rows) == 3
    assert rows.statistic[0] == "percentage" and rows.method[0] == "Wilson"
    grouped = frames.proportion(df, count="x", denominator="n", by="g", per=1)
    assert grouped.x.tolist() == [8, 20] and grouped.statistic[0] == "proportion of 1"
    approx(grouped.value, [0.04, 0.0004])
    rates = frames.crude_rate(df, count="x", denominator="n", by="g")
    assert rates.method.tolist() == ["Exact", "Byars"] and rates.statistic[0] == "rate per 100000"
    approx(rates.value, [4000, 40])


def test_frames_errors() -> None:
    df = DSR[DSR.case_id == "dsr_big_e4"]
    with pytest.raises(ScoringError, match="column\\(s\\) 'deaths' not in the data frame"):
        frames.dsr(df, count="deaths", population="pop")
    with pytest.raises(ScoringError, match="more than one row for a group and band"):
        frames.dsr(pd.concat([df, df]), count="count", population="pop", age="ageband")
    with pytest.raises(ScoringError, match="same number of rows"):
        frames.dsr(DSR[DSR.case_id.isin(["dsr_big_e4", "dsr_1976_e4"])], by="case_id",
                   count="count", population="pop")  # fmt: skip
    with pytest.raises(ScoringError, match="needs event_frequency"):
        frames.dsr(df, count="count", population="pop", independent_events=False)
    with pytest.raises(ScoringError, match="only with independent_events=False"):
        frames.dsr(df, count="count", population="pop", event_frequency="eventfreq")
    le = load("peer_life_expectancy.csv").assign(startage=lambda d: d.startage + 2)
    with pytest.raises(ScoringError, match="is not one of the start ages"):
        frames.life_expectancy(le, deaths="deaths", population="pop", age="startage")
    assert ind.Note.MISSING_AGE_BAND == "missing age band"


# --------------------------------------------------------------------------------------------
# Fuzz: any frame -> a frame whose NaN values have notes, or an OutcomesError
# --------------------------------------------------------------------------------------------

NUMBER = st.integers(0, 500).map(float)
WILD_CELL = st.one_of(
    NUMBER, st.sampled_from([np.nan, np.inf, -np.inf, 0.0, -1.0, 1e308, 5e-324, 4e4])
)
TEXT_CELL = st.one_of(NUMBER, st.sampled_from(["", "x", "0-4"]))


def column_of(rows: int) -> st.SearchStrategy[list[object]]:
    """A numeric column, mostly clean; sometimes wild numbers or text."""
    return st.sampled_from([NUMBER, NUMBER, NUMBER, WILD_CELL, TEXT_CELL]).flatmap(
        lambda cell: st.lists(cell, min_size=rows, max_size=rows)
    )


CALLS = {
    "dsr": lambda df: frames.dsr(
        df, by="g", count="a", population="b", age="band", standard=[1, 2, 3]
    ),
    "dsr_nonind": lambda df: frames.dsr(
        df,
        count="a",
        population="b",
        age="band",
        standard=[1, 2, 3],
        independent_events=False,
        event_frequency="c",
    ),
    "isr": lambda df: frames.isr(
        df,
        by="g",
        count="a",
        population="b",
        reference_count="c",
        reference_population=[10.0, 20.0, 30.0],
        age="band",
    ),
    "mean": lambda df: frames.mean_ci(df, value="a", by="g"),
    "proportion": lambda df: frames.proportion(df, count="a", denominator="b", by="g"),
    "crude_rate": lambda df: frames.crude_rate(df, count="a", denominator="b"),
    "le": lambda df: frames.life_expectancy(df, deaths="a", population="b", age="c", by="g"),
    "sii": lambda df: frames.sii(
        df, quantile="band", population="b", value="a", se="c", by="g", reps=1000, seed=1
    ),
}


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from(sorted(CALLS)),
    st.integers(1, 12),
    st.data(),
)
@pytest.mark.filterwarnings("error::RuntimeWarning")  # numpy's overflow is an untyped leak
def test_fuzz_frames(name: str, rows: int, data: st.DataObject) -> None:
    cells = column_of(rows)
    df = pd.DataFrame(
        {
            "g": data.draw(st.lists(st.sampled_from(["p", "q"]), min_size=rows, max_size=rows)),
            "band": data.draw(
                st.lists(
                    st.sampled_from(["0-4", "5-9", "10+", 1, 2, 3, 4, 5]),
                    min_size=rows,
                    max_size=rows,
                )
            ),
            "a": data.draw(cells),
            "b": data.draw(cells),
            "c": data.draw(cells),
        }
    )
    try:
        out = CALLS[name](df)
    except OutcomesError:
        event("typed error")
        return
    event("frame")
    assert isinstance(out, pd.DataFrame) and "note" in out.columns
    for column in ("value", "lowercl", "uppercl", "sii"):
        if column in out.columns:
            bad = ~np.isfinite(out[column].to_numpy(dtype=float))
            assert (out["note"].to_numpy()[bad] != "").all(), (column, out)


def test_frames_refuse_odd_arguments_with_typed_errors() -> None:
    """Regressions found by tests/test_fuzz.py: each was a bare pandas/numpy/Python error."""
    pd = pytest.importorskip("pandas")
    from outcomes.errors import InputError

    df = pd.DataFrame({"value": [1.0, 2.0], "lo": [0.5, 1.5], "hi": [1.5, 2.5]})
    with pytest.raises(InputError, match="lower"):  # ragged values
        frames.compare(df, value="value", benchmark=1.0, polarity="higher", lower=[1, [2, 3]])
    with pytest.raises(InputError, match="one value per row"):  # values of another length
        frames.compare(
            df, value="value", benchmark=[1.0, 2.0, 3.0], polarity="higher", lower="lo", upper="hi"
        )
    with pytest.raises(InputError, match="column must be"):
        frames.compare(
            df,
            value="value",
            benchmark=1.0,
            polarity="higher",
            lower="lo",
            upper="hi",
            column=[[0.0]],
        )  # type: ignore[arg-type]
    with pytest.raises(InputError, match="range goal"):
        frames.compare_to_goal(df, value="value", goal=(), polarity="higher")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="DataFrame"):
        frames.compare_to_goal([1.0], value="value", goal=1.0, polarity="higher")
    with pytest.raises(ScoringError, match="by must be"):
        frames.crude_rate(df, count="value", denominator="hi", by=True)  # type: ignore[arg-type]
    with pytest.raises(ScoringError, match="by must be"):
        frames.crude_rate(df, count="value", denominator="hi", by=[1, [2, 3]])  # type: ignore[list-item]
    with pytest.raises(ScoringError, match="DataFrame"):
        frames.mean_ci([1.0, 2.0], value="value")
    with pytest.raises(ScoringError, match="confidence levels must differ"):
        frames.crude_rate(df, count="value", denominator="hi", confidence=[0.95, 0.95])
    with pytest.raises(ScoringError, match="each column once"):  # was a frame with two columns
        frames.crude_rate(df, count="value", denominator="hi", by=["lo", "lo"])


def test_result_frames_refuse_odd_labels() -> None:
    """Labels must be text (codes may be whole numbers); units come from the unit table."""
    from outcomes.errors import InputError, UnitError

    result = ind.crude_rate([30, 45], [10_000, 12_000])
    assert result.to_frame(organisations=["A", "B"])["organisation"].tolist() == ["A", "B"]
    assert result.to_frame(organisations=[101, 102])["organisation"].tolist() == ["101", "102"]
    with pytest.raises(InputError, match="organisations must be"):
        result.to_frame(organisations=True)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="organisations must be codes"):
        result.to_frame(organisations=[None, 1.5])  # type: ignore[list-item]
    with pytest.raises(InputError, match="measure must be text"):
        result.to_frame(measure=3)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="period"):
        result.to_frame(period=True)  # type: ignore[arg-type]
    with pytest.raises(UnitError, match="furlongs"):
        result.to_frame(unit="furlongs")


def test_dsr_with_event_frequencies_too_large_for_a_float() -> None:
    """Found by test_fuzz_frames: persons x frequency overflowed with numpy's warning and then
    blamed the count ("count must be finite ... got inf"); now the error names both columns."""
    df = pd.DataFrame(
        {
            "g": ["p", "p"],
            "band": ["0-4", "5-9"],
            "a": [1e200, 5.0],
            "b": [1e200, 100.0],
            "c": [1000.0, 1000.0],
        }
    )
    with pytest.raises(ScoringError, match=r"a x b\*\*2 .* too large for a float at index 0"):
        frames.dsr(
            df,
            by="g",
            count="a",
            population="c",
            age="band",
            event_frequency="b",
            independent_events=False,
            standard=[50, 50],
        )
