"""Charts: honest time axis, unit labels, RAG by colour and shape, one panel per organisation,
SVG with real text."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("matplotlib")

from outcomes import percentage_change, run_plan, score, score_plan
from outcomes.errors import InputError, OutputError
from outcomes.periods import period
from outcomes.plot import (
    MAX_PANELS,
    RAG_STYLES,
    axis_label,
    figure_svg,
    midpoint_year,
    plot_plan,
    plot_trajectory,
    save_figure,
)

ROOT = Path(__file__).parent.parent
EXAMPLES = ROOT / "examples"
CCG = EXAMPLES / "illustrative-ccg.toml"
CCG_ACTUALS = EXAMPLES / "illustrative-ccg-actuals.csv"
ICB = EXAMPLES / "illustrative-icb.toml"
NAN = float("nan")


@pytest.fixture(scope="module")
def ccg_scores():  # type: ignore[no-untyped-def]
    return score_plan(CCG, CCG_ACTUALS)


@pytest.fixture(scope="module")
def icb_targets():  # type: ignore[no-untyped-def]
    return run_plan(ICB)


def _texts(svg: str) -> list[str]:
    return [t.strip() for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]


def _visible(fig) -> list:  # type: ignore[no-untyped-def]
    return [ax for ax in fig.axes if ax.get_visible()]


def _two_orgs():  # type: ignore[no-untyped-def]
    t = percentage_change(
        [2150.4, 1876.3],
        -0.032,
        start="2013",
        end="2016/17",
        unit="per_100000",
        polarity="lower",
        measure="Potential years of life lost from causes considered amenable to healthcare",
    ).with_organisations(["99A", "99B"], ["NHS North CCG", "NHS South CCG"])
    s = score(
        t,
        [[2051.9, 2030.0, NAN], [1850.0, 1700.0, NAN]],
        lower=[[2000.0, 1990.0, NAN], [1800.0, 1650.0, NAN]],
        upper=[[2100.0, 2070.0, NAN], [1900.0, 1750.0, NAN]],
        tolerance=20.0,
    )
    return t, s


# -- the time axis -----------------------------------------------------------------------------


def test_periods_sit_at_their_mid_points() -> None:
    assert midpoint_year(period("2012")) == 2012.5
    assert midpoint_year(period("2014/15")) == pytest.approx(2014.75, abs=0.005)  # ~1 Oct 2014
    assert midpoint_year(period("2014/15")) - midpoint_year(period("2012")) == pytest.approx(
        2.25, abs=0.005
    )
    # a quarter and a month at their own middles, inside their financial year
    q1 = midpoint_year(period("2014/15 Q1"))  # Apr-Jun 2014: mid-May
    assert q1 == pytest.approx(2014 + 135 / 365, abs=0.01)
    assert midpoint_year(period("Jan 2015")) == pytest.approx(2015 + 15.5 / 365, abs=0.002)
    assert midpoint_year(period("2014/15 Q1")) < midpoint_year(period("2014/15 Q2"))


def test_x_positions_are_proportional_to_time() -> None:
    t = percentage_change(
        100.0, -0.05, start="2012", periods=["2014/15", "2015/16"], polarity="lower"
    )
    fig = plot_trajectory(t)
    (ax,) = _visible(fig)
    target_line = ax.lines[0]
    xs = np.asarray(target_line.get_xdata(), dtype=float)
    assert xs[0] == pytest.approx(2012.5)
    # 2012 to 2014/15 is 2.25 years; 2014/15 to 2015/16 one year: drawn in that ratio
    assert (xs[1] - xs[0]) / (xs[2] - xs[1]) == pytest.approx(2.25, abs=0.01)
    ticks = ax.get_xticks()
    labels = [tick.get_text() for tick in ax.get_xticklabels()]
    assert labels == ["2012", "2014/15", "2015/16"]
    assert np.allclose(ticks, xs)


def test_quarters_and_months_are_placed_in_time() -> None:
    t = percentage_change(
        50.0, -0.01, start="2014/15 Q4", end="2015/16 Q4", unit="percent", polarity="lower"
    )
    (ax,) = _visible(plot_trajectory(t))
    xs = np.asarray(ax.lines[0].get_xdata(), dtype=float)
    assert np.allclose(np.diff(xs), 0.25, atol=0.01)
    m = percentage_change(50.0, -0.01, start="Mar 2015", end="Mar 2016", unit="percent")
    (ax,) = _visible(plot_trajectory(m))
    xs = np.asarray(ax.lines[0].get_xdata(), dtype=float)
    assert np.allclose(np.diff(xs), 1 / 12, atol=0.004)
    assert len(ax.get_xticks()) <= 9  # 13 months: the labels are thinned, not overprinted


# -- labels, legend, reference lines ----------------------------------------------------------


def test_y_axis_label_comes_from_the_unit_table() -> None:
    t, _ = _two_orgs()
    assert axis_label(t) == "per 100,000 population\n(lower is better)"
    eq5d = percentage_change(74.2, 0.01, start="2013", end="2014/15", unit="eq5d_x100")
    assert axis_label(eq5d) == "EQ-5D index score x 100\n(direction not stated)"
    assert "eq5d_x100" not in axis_label(eq5d)


def test_rag_is_shown_by_colour_and_shape_with_a_legend_in_words() -> None:
    t, s = _two_orgs()
    assert s.rag.tolist() == [["GREEN", "AMBER", "GREY"], ["RED", "GREEN", "GREY"]]
    fig = plot_trajectory(t, score=s)
    legend_texts = [text.get_text() for legend in fig.legends for text in legend.get_texts()]
    for rag in ("GREEN", "AMBER", "RED", "GREY"):
        assert any(label.startswith(f"{rag}: ") for label in legend_texts), rag
    assert "GREEN: met the target" in legend_texts
    assert "AMBER: missed, within tolerance" in legend_texts
    assert "RED: missed the target" in legend_texts
    assert "GREY: actual not yet available" in legend_texts
    assert "95% confidence interval" in legend_texts
    # the AMBER actual is drawn as an orange diamond, the GREEN ones as green circles
    first = _visible(fig)[0]
    marks = {
        (line.get_marker(), line.get_color()): np.asarray(line.get_ydata(), dtype=float)
        for line in first.lines
    }
    assert marks[("D", RAG_STYLES["AMBER"].colour)].tolist() == [2030.0]
    assert marks[("o", RAG_STYLES["GREEN"].colour)].tolist() == [2051.9]
    # shapes differ between every pair of ratings (colour-blind and grey-scale safe)
    assert len({style.marker for style in RAG_STYLES.values()}) == 4


def test_missing_actuals_are_marked_at_the_foot_not_as_a_value() -> None:
    t, s = _two_orgs()
    fig = plot_trajectory(t, score=s, org="99A")
    (ax,) = _visible(fig)
    grey = [
        line for line in ax.lines if line.get_marker() == "s" and line.get_linestyle() == "None"
    ]
    hollow = [line for line in grey if line.get_markerfacecolor() == "white"]
    assert len(hollow) == 1
    assert np.allclose(np.asarray(hollow[0].get_ydata(), dtype=float), 0.035)  # axes fraction
    assert hollow[0].get_transform() == ax.get_xaxis_transform()


def test_reference_lines_are_labelled(ccg_scores) -> None:  # type: ignore[no-untyped-def]
    admissions = ccg_scores.targets.published("admissions")
    (ax,) = _visible(plot_trajectory(admissions, score=ccg_scores["admissions"]))
    texts = [text.get_text() for text in ax.texts]
    assert any(t.startswith("Q1 ") for t in texts)
    assert any(t.startswith("median ") for t in texts)
    assert any(t.startswith("Q3 ") for t in texts)
    reablement = ccg_scores.targets.published("reablement")
    (ax,) = _visible(plot_trajectory(reablement))
    assert "England 82.1" in [text.get_text() for text in ax.texts]
    quintiles = percentage_change(10.0, -0.1, start="2013", end="2014/15", polarity="lower")
    (ax,) = _visible(plot_trajectory(quintiles, bounds=[1, 2, 3, 4, 5, 6], national=7.5))
    texts = [text.get_text() for text in ax.texts]
    assert "20th centile 2" in texts and "England 7.5" in texts


def test_titles_wrap_at_word_boundaries() -> None:
    t, _ = _two_orgs()
    fig = plot_trajectory(t, org="99A")
    title = fig.get_suptitle()
    assert "\n" in title
    words = (t.measure or "").split()
    assert title.split() == words  # every word whole, none cut or dropped


def test_dollar_signs_are_text_not_maths() -> None:
    t = percentage_change(10.0, -0.1, start="2013", end="2014/15", measure="cost in $ and $ again")
    svg = figure_svg(plot_trajectory(t))
    assert "cost in $ and $ again" in _texts(svg)


# -- organisations -----------------------------------------------------------------------------


def test_one_panel_per_organisation(icb_targets) -> None:  # type: ignore[no-untyped-def]
    pyll = icb_targets["pyll"]
    fig = plot_trajectory(pyll)
    axes = _visible(fig)
    assert len(axes) == len(icb_targets.organisations) == 6
    titles = [ax.get_title(loc="left") for ax in axes]
    for code, title in zip(icb_targets.organisations, titles, strict=True):
        assert f"({code})" in title
    # shared y-axis, so the panels compare honestly
    assert len({ax.get_ylim() for ax in axes}) == 1


def test_org_chooses_organisations(icb_targets) -> None:  # type: ignore[no-untyped-def]
    pyll = icb_targets["pyll"]
    assert len(_visible(plot_trajectory(pyll, org="99C"))) == 1
    assert len(_visible(plot_trajectory(pyll, org=["99A", "NHS Illustrative City CCG"]))) == 2
    assert len(_visible(plot_trajectory(pyll, org=5))) == 1
    with pytest.raises(InputError, match=r"'99Q' is not one of the organisations: .*99A"):
        plot_trajectory(pyll, org="99Q")


def test_an_axes_holds_one_organisation(icb_targets) -> None:  # type: ignore[no-untyped-def]
    from matplotlib.figure import Figure

    ax = Figure().subplots()
    with pytest.raises(InputError, match="6 organisations and ax holds one panel"):
        plot_trajectory(icb_targets["pyll"], ax=ax)
    fig = plot_trajectory(icb_targets["pyll"], ax=ax, org="99B")
    assert fig is ax.figure and ax.get_legend() is not None


def test_too_many_panels_is_an_error_not_a_silent_cut() -> None:
    n = MAX_PANELS + 1
    t = percentage_change(np.linspace(100, 200, n), -0.1, start="2013", end="2014/15")
    with pytest.raises(InputError, match="too many panels"):
        plot_trajectory(t)


def test_score_of_other_organisations_is_refused(icb_targets) -> None:  # type: ignore[no-untyped-def]
    _, s = _two_orgs()
    with pytest.raises(InputError, match="score has no organisation '99C'"):
        plot_trajectory(icb_targets["pyll"], score=s)


# -- plans --------------------------------------------------------------------------------------


def test_plot_plan_draws_every_organisation(icb_targets, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    fig = plot_plan(icb_targets)
    assert len(_visible(fig)) == 3 * 6  # every measure for every organisation
    fig = plot_plan(icb_targets, org="99D")
    assert len(_visible(fig)) == 3
    assert len(_visible(plot_plan(dict(icb_targets.trajectories), org=["99A", "99B"]))) == 6


def test_plot_plan_png_is_not_blank(ccg_scores, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import matplotlib.image as mpimg

    path = plot_plan(ccg_scores, tmp_path / "ccg.png")
    pixels = mpimg.imread(path)
    assert pixels.shape[0] > 800 and pixels.shape[1] > 800
    rgb = pixels[..., :3]
    assert np.std(rgb) > 0.05
    # the RAG colours are really drawn
    green = np.array([0x00, 0x9E, 0x73]) / 255
    assert (np.abs(rgb - green).sum(axis=-1) < 0.05).sum() > 20


def test_plot_plan_svg_keeps_text_as_text(ccg_scores, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = plot_plan(ccg_scores, tmp_path / "ccg.svg")
    svg = path.read_text(encoding="utf-8")
    texts = _texts(svg)
    assert "per 100,000 population" in texts
    assert "(lower is better)" in texts and "(higher is better)" in texts
    assert "GREEN: met the target" in texts and "GREY: actual not yet available" in texts
    assert "2014/15" in texts and "2013" in texts
    assert any("ILLUSTRATIVE" in t for t in texts)
    assert "yll_per_100000" not in svg and "eq5d_x100" not in svg
    assert "Date" not in svg  # reproducible: no time stamp


def test_plot_plan_takes_plan_targets_and_mappings(ccg_scores, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    targets = ccg_scores.targets
    assert plot_plan(targets, tmp_path / "t.pdf").read_bytes()[:4] == b"%PDF"
    fig = plot_plan(dict(targets.trajectories), scores=dict(ccg_scores.scores))
    assert len(_visible(fig)) == 6
    with pytest.raises(InputError, match="needs PlanTargets, PlanScores or a mapping"):
        plot_plan([1, 2], tmp_path / "x.png")


def test_save_figure_refuses_other_formats(tmp_path: Path) -> None:
    t, _ = _two_orgs()
    with pytest.raises(OutputError, match=r"\.png, \.svg or \.pdf"):
        save_figure(plot_trajectory(t), tmp_path / "chart.gif")


def test_plot_plan_panel_titles_are_whole(ccg_scores) -> None:  # type: ignore[no-untyped-def]
    fig = plot_plan(ccg_scores)
    titles = [ax.get_title(loc="left") for ax in _visible(fig)]
    names = [t.measure for t in ccg_scores.targets.values()]
    assert [title.split() for title in titles] == [(name or "").split() for name in names]
    assert any("\n" in title for title in titles)  # long names wrap, never cut


def test_odd_chart_arguments_are_refused(tmp_path: Path) -> None:
    """Regressions found by tests/test_fuzz.py: each was a bare Python/numpy error, a numpy
    overflow warning, or a division by zero."""
    t = percentage_change(
        [100.0, 120.0], -0.05, start="2013/14", end="2015/16", polarity="lower"
    ).with_organisations(["A", "B"])
    with pytest.raises(InputError, match="org must be"):
        plot_trajectory(t, org=complex(1, 1))  # type: ignore[arg-type]
    with pytest.raises(InputError, match="at least one organisation"):
        plot_trajectory(t, org=[])
    with pytest.raises(InputError, match="national must be numbers"):
        plot_trajectory(t, national="x")
    with pytest.raises(InputError, match="national must be numbers within"):
        plot_trajectory(t, national=10**400)
    with pytest.raises(InputError, match="too large to draw"):
        plot_trajectory(t, national=1.7e308)
    with pytest.raises(InputError, match="national has shape"):
        plot_trajectory(t, national=[1.0, 2.0, 3.0])
    with pytest.raises(InputError, match="bounds has shape"):
        plot_trajectory(t, bounds=[[[1.0]]])
    with pytest.raises(InputError, match="title must be text"):
        plot_trajectory(t, title={"a": 1})  # type: ignore[arg-type]
    with pytest.raises(InputError, match="title must be text"):
        plot_plan({"m": t}, title=True)  # type: ignore[arg-type]
    fig = plot_trajectory(t, org="A")
    with pytest.raises(OutputError, match="must be a file name"):
        save_figure(fig, 3.5)  # type: ignore[arg-type]
    with pytest.raises(OutputError, match="dpi must be"):
        save_figure(fig, tmp_path / "c.png", dpi=10**6)
    with pytest.raises(OutputError, match="must be a matplotlib Figure"):
        save_figure("fig", tmp_path / "c.png")
