"""Charts of outcomes.realism, rendered to PNG and SVG (look at them: docs/realism.md)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from outcomes.errors import ScoringError
from outcomes.frames import history_from_frame

pytest.importorskip("matplotlib")
from outcomes import plot as plot_realism

DATA = Path(__file__).parent / "data"


@pytest.fixture(autouse=True)
def _close_figures():  # type: ignore[no-untyped-def]
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


@pytest.fixture(scope="module")
def pyll():  # type: ignore[no-untyped-def]
    df = pd.read_csv(DATA / "pyll_ccg_2009_2014_person_limits.csv", dtype=str)
    return history_from_frame(
        df, area="Level", period="Reporting period", value="DSR", lower="CI lower", upper="CI upper"
    )


def test_changes_chart_png_and_svg_with_real_text(pyll, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    for suffix in ("png", "svg"):
        out = tmp_path / f"changes.{suffix}"
        ax = plot_realism.plot_changes(
            pyll.values,
            -0.032,
            polarity="lower",
            lower=pyll.lower,
            upper=pyll.upper,
            unit_label="CCG-years",
            measure="PYLL",
            path=out,
        )
        assert out.stat().st_size > 10_000
    svg = (tmp_path / "changes.svg").read_text()
    assert "<text" in svg and "achieved by 40%" in svg and "sampling noise" in svg
    assert ax.get_xlabel() == "change over 1 year (%);  ← better (lower is better)"
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "at least as good as planned" in labels and "the plan" in labels


def test_fan_chart(pyll, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    i = pyll.areas.index("00C")
    base = pyll.values[i, -1]
    out = tmp_path / "fan.svg"
    ax = plot_realism.plot_fan(
        pyll.values,
        {1: base * 0.968, 4: base * 0.968**4},
        area="00C",
        areas=pyll.areas,
        polarity="lower",
        periods=pyll.periods,
        lower=pyll.lower,
        upper=pyll.upper,
        measure="PYLL per 100,000",
        path=out,
    )
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert ticks == [str(y) for y in range(2009, 2019)]
    svg = out.read_text()
    assert "<text" in svg and "probability of meeting" in svg
    notes = [t.get_text() for t in ax.texts]
    assert len(notes) == 2 and all(t.endswith("%") for t in notes)


def test_fan_chart_financial_years_and_errors(tmp_path: Path) -> None:
    rng = np.random.default_rng(4)
    y = np.exp(rng.normal(5, 0.2, (20, 4)))
    ax = plot_realism.plot_fan(
        y,
        [100.0, np.nan],
        area=3,
        polarity="higher",
        periods=["2013/14", "2014/15", "2015/16", "2016/17"],
    )
    assert [t.get_text() for t in ax.get_xticklabels()][-2:] == ["2017/18", "2018/19"]
    with pytest.raises(ScoringError, match="not in areas"):
        plot_realism.plot_fan(y, [100.0], area="nowhere", polarity="lower")
    with pytest.raises(ScoringError, match="outside"):
        plot_realism.plot_fan(y, [100.0], area=99, polarity="lower")
    with pytest.raises(ScoringError, match="periods has 2 labels"):
        plot_realism.plot_fan(y, [100.0], area=0, polarity="lower", periods=["a", "b"])
    with pytest.raises(ScoringError, match="one number"):
        plot_realism.plot_changes(y, [0.1, 0.2], polarity="lower")  # type: ignore[arg-type]


def test_odd_fan_and_changes_arguments_give_typed_errors() -> None:
    """Regressions found by tests/test_fuzz.py: each was a bare Python/numpy error."""
    y = np.exp(np.random.default_rng(4).normal(5, 0.2, (5, 4)))
    with pytest.raises(ScoringError, match="history must be numbers"):
        plot_realism.plot_fan("history", [100.0], area=0, polarity="lower")  # type: ignore[arg-type]
    with pytest.raises(ScoringError, match="history must be numbers within"):
        plot_realism.plot_fan(10**400, [100.0], area=0, polarity="lower")  # type: ignore[arg-type]
    with pytest.raises(ScoringError, match="targets must map"):
        plot_realism.plot_fan(y, 100.0, area=0, polarity="lower")  # type: ignore[arg-type]
    with pytest.raises(ScoringError, match="target at horizon 1 must be numbers"):
        plot_realism.plot_fan(y, ["h"], area=0, polarity="lower")
    with pytest.raises(ScoringError, match="horizon"):
        plot_realism.plot_fan(y, {10**400: 100.0}, area=0, polarity="lower")
    with pytest.raises(ScoringError, match="areas has 2 labels"):
        plot_realism.plot_fan(y, [100.0], area=4, areas=["a", "b"], polarity="lower")
    with pytest.raises(ScoringError, match="area must be a row number"):
        plot_realism.plot_fan(y, [100.0], area=1.5, polarity="lower")  # type: ignore[arg-type]
    with pytest.raises(ScoringError, match="measure must be text"):
        plot_realism.plot_changes(y, -0.03, polarity="lower", measure=5)  # type: ignore[arg-type]
