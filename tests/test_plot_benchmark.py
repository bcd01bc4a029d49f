"""outcomes.plot: funnel and trend charts render to PNG and SVG with real text."""

from __future__ import annotations

import csv
import math
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("matplotlib")

from outcomes.benchmark import recent_trend
from outcomes.errors import OutcomesError, OutputError, ScoringError
from outcomes.plot import FUNNEL_STYLE, SIGNIFICANCE_STYLE, plot_funnel, plot_trend

DATA = Path(__file__).parent / "data"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _campylobacter_2016() -> tuple[np.ndarray, np.ndarray, list[str], float]:
    with (DATA / "fingertips_93356_campylobacter_utla_2015_2017.csv").open(newline="") as f:
        rows = [
            r for r in csv.DictReader(f) if r["Time period"] == "2016" and r["Age"] == "All ages"
        ]
    areas = [r for r in rows if r["Area Type"] == "County & UA" and r["Count"] and r["Denominator"]]
    england = next(
        float(r["Value"]) for r in rows if r["Area Type"] == "Country" and not r["Category Type"]
    )
    count = np.array([float(r["Count"]) for r in areas])
    population = np.array([float(r["Denominator"]) for r in areas])
    return count, population, [r["Area Name"] for r in areas], england


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_funnel_renders_a_real_export(tmp_path: Path, suffix: str) -> None:
    count, population, names, england = _campylobacter_2016()
    out = tmp_path / f"funnel{suffix}"
    ax = plot_funnel(
        count,
        population,
        statistic="rate",
        per=1e5,
        target=england,
        x_label="Resident population",
        y_label="Cases per 100,000 population",
        names=names,
        highlight="Trafford",
        title="Campylobacter incidence, 2016",
        path=out,
    )
    data = out.read_bytes()
    assert len(data) > 10_000
    if suffix == ".png":
        assert data.startswith(PNG_MAGIC)
    else:
        text = data.decode()
        # svg.fonttype = "none": labels are text, not paths
        for words in ("Resident population", "Cases per 100,000 population", "Trafford", "England"):
            assert words in text
        assert "Above the 99.8% limit" in text
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[:3] == ["99.8% control limits", "95% control limits", "England (89.1)"]
    assert any(t.startswith("Below the 99.8% limit (") for t in legend)
    named = [t.get_text() for t in ax.texts]
    assert "Trafford" in named and len(named) <= 6


def test_funnel_ratio_uses_a_log_axis_and_plain_numbers(tmp_path: Path) -> None:
    observed = np.array([2.0, 8, 30, 151, 159, 700])
    expected = np.array([4.1, 6.2, 25.0, 106.4, 232.9, 640.0])
    ax = plot_funnel(
        observed,
        expected,
        statistic="ratio",
        per=100,
        x_label="Expected deaths",
        y_label="Standardised mortality ratio (England = 100)",
        path=tmp_path / "ratio.png",
    )
    assert ax.get_xscale() == "log"
    assert (tmp_path / "ratio.png").stat().st_size > 5_000


def test_trend_chart_marks_each_point_against_the_benchmark(tmp_path: Path) -> None:
    periods = ["2013/14", "2014/15", "2015/16", "2016/17", "2017/18"]
    value = np.array([24.67, 24.6, 28.0, 30.2, 30.6])
    lower, upper = value - 1.6, value + 1.6
    trend = recent_trend(value, lower, upper, polarity="lower")
    for suffix in (".png", ".svg"):
        out = tmp_path / f"trend{suffix}"
        ax = plot_trend(
            periods,
            value,
            lower,
            upper,
            benchmark=[26.0, 26.2, 26.9, 27.5, 28.0],
            polarity="lower",
            y_label="Excess weight in Year 6 (%)",
            trend=str(trend.label),
            area="Trafford",
            path=out,
        )
        assert out.stat().st_size > 5_000
    svg = (tmp_path / "trend.svg").read_text()
    assert "Excess weight in Year 6 (%)" in svg
    assert "Recent trend: Increasing and getting worse" in svg
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == [
        "Trafford (95% CI)",
        "England",
        "Similar to England",
        "Worse than England",
    ]


def test_chart_errors() -> None:
    with pytest.raises(ScoringError, match="one name per area"):
        plot_funnel([1, 2], [10, 20], statistic="proportion", x_label="x", y_label="y", names=["a"])
    with pytest.raises(OutputError, match=r"\.png, \.svg or \.pdf"):
        plot_funnel(
            [1, 2], [10, 20], statistic="proportion", x_label="x", y_label="y", path="f.gif"
        )
    with pytest.raises(ScoringError, match="3 periods"):
        plot_trend(["a", "b", "c"], [1.0, 2.0], polarity="higher", y_label="y")
    with pytest.raises(ScoringError, match="Significance values"):
        plot_trend(["a"], [1.0], significance=["GOOD"], polarity="higher", y_label="y")


def test_every_category_has_its_own_colour_or_shape() -> None:
    for styles in (FUNNEL_STYLE, SIGNIFICANCE_STYLE):
        looks = [(s.colour, s.marker) for s in styles.values()]
        assert len(set(looks)) == len(looks)


@settings(max_examples=25, deadline=None)
@given(
    numerator=st.lists(
        st.sampled_from([0.0, 1.0, 5.0, 50.0, math.nan, -1.0, 1e300]), min_size=1, max_size=5
    ),
    denominator=st.lists(
        st.sampled_from([0.0, 10.0, 100.0, 1e6, math.nan, 1e-300]), min_size=1, max_size=5
    ),
    statistic=st.sampled_from(["proportion", "ratio", "rate"]),
)
def test_fuzz_plot_funnel(numerator: list[float], denominator: list[float], statistic: str) -> None:
    import matplotlib.pyplot as plt

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            plot_funnel(numerator, denominator, statistic=statistic, x_label="x", y_label="y")  # type: ignore[arg-type]
        except OutcomesError:
            pass
        finally:
            plt.close("all")


@settings(max_examples=25, deadline=None)
@given(
    value=st.lists(st.sampled_from([0.0, 1.0, -5.0, 1e300, math.nan]), min_size=1, max_size=4),
    spread=st.sampled_from([0.0, 1.0, math.nan]),
    polarity=st.sampled_from(["higher", "lower", "none", "up"]),
)
def test_fuzz_plot_trend(value: list[float], spread: float, polarity: str) -> None:
    import matplotlib.pyplot as plt

    v = np.array(value)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            plot_trend(
                [str(i) for i in range(len(v))],
                v,
                v - spread,
                v + spread,
                benchmark=1.0,
                polarity=polarity,
                y_label="y",
            )
        except OutcomesError:
            pass
        finally:
            plt.close("all")


def test_odd_chart_arguments_give_typed_errors() -> None:
    """Regressions found by tests/test_fuzz.py: each was a bare Python/numpy error."""
    labels = {"statistic": "proportion", "x_label": "x", "y_label": "y"}
    with pytest.raises(ScoringError, match="denominator must be numbers"):
        plot_funnel([10, 20, 30], "x", **labels)  # type: ignore[arg-type]
    with pytest.raises(ScoringError, match="numerator must be numbers within"):
        plot_funnel(10**400, [100], **labels)  # type: ignore[arg-type]
    with pytest.raises(ScoringError, match="highlight must hold text"):
        plot_funnel([10, 20], [100, 150], names=["a", "b"], highlight=[1, [2, 3]], **labels)  # type: ignore[arg-type]
    with pytest.raises(ScoringError, match="names must be a list"):
        plot_funnel([10, 20], [100, 150], names=True, **labels)  # type: ignore[arg-type]
    with pytest.raises(ScoringError, match="max_labels"):
        plot_funnel([10, 20], [100, 150], max_labels="x", **labels)  # type: ignore[arg-type]
    ax = plot_funnel([[10, 20], [15, 25]], [100, 150], **labels)  # 2-D numerators: drawn
    assert ax.get_xlabel() == "x"
    with pytest.raises(ScoringError, match="periods must be a list"):
        plot_trend(None, [1.0], polarity="higher", y_label="y")  # type: ignore[arg-type]
    with pytest.raises(ScoringError, match="value must be numbers within"):
        plot_trend(["a"], 10**400, polarity="higher", y_label="y")  # type: ignore[arg-type]
    with pytest.raises(ScoringError, match="lower must be numbers"):
        plot_trend(["a", "b"], [1.0, 2.0], ["x", "y"], [2.0, 3.0], polarity="higher", y_label="y")
    with pytest.raises(ScoringError, match="benchmark has shape"):
        plot_trend(
            ["a", "b"], [1.0, 2.0], benchmark=[1.0, 2.0, 3.0], polarity="higher", y_label="y"
        )
