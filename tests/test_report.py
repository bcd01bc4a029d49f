"""The HTML report: one self-contained, escaped page; the rule in words; the CLI command."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("jinja2")
pytest.importorskip("matplotlib")

from outcomes import (
    hold,
    national_or_quantile,
    percentage_change,
    quantile_step,
    reach_national,
    run_plan,
    score_plan,
    to_target,
    two_phase,
)
from outcomes.cli import main
from outcomes.errors import InputError, OutputError
from outcomes.report import describe_rule, render_report, write_report
from outcomes.rules import composite, get, names, peer_achieved, reach_objective
from outcomes.units import format_value
from outcomes.workflow import PeerSet, PlanScores, parse_plan, select_peers

ROOT = Path(__file__).parent.parent
EXAMPLES = ROOT / "examples"
DATA = Path(__file__).parent / "data"
CCG = EXAMPLES / "illustrative-ccg.toml"
CCG_ACTUALS = EXAMPLES / "illustrative-ccg-actuals.csv"
ICB = EXAMPLES / "illustrative-icb.toml"
HWB = EXAMPLES / "illustrative-hwb.toml"
CAMPYLOBACTER = DATA / "fingertips_93356_campylobacter_utla_2015_2017.csv"


@pytest.fixture(scope="module")
def ccg_scores() -> PlanScores:
    return score_plan(CCG, CCG_ACTUALS)


@pytest.fixture(scope="module")
def ccg_html(ccg_scores: PlanScores) -> str:
    return render_report(ccg_scores)


class _Text(HTMLParser):
    """The page's visible text (what a reader or a screen reader gets)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.ids: list[str] = []
        self._skip = 0

    _BLOCKS = frozenset(
        [
            "p",
            "div",
            "li",
            "dt",
            "dd",
            "td",
            "th",
            "tr",
            "br",
            "h1",
            "h2",
            "h3",
            "caption",
            "figcaption",
            "section",
            "header",
            "footer",
        ]
    )

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.ids += [v for k, v in attrs if k == "id" and v]
        if tag in self._BLOCKS:
            self.parts.append(" ")
        if tag in ("style", "script"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)

    @property
    def text(self) -> str:
        return re.sub(r"\s+", " ", "".join(self.parts))


def _parse(html: str) -> _Text:
    parser = _Text()
    parser.feed(html)
    return parser


# -- self-contained ------------------------------------------------------------------------


def test_the_page_is_self_contained(ccg_html: str) -> None:
    assert ccg_html.startswith("<!DOCTYPE html>")
    assert "<script" not in ccg_html.lower()
    assert "<link" not in ccg_html.lower() and "@import" not in ccg_html
    assert not re.search(r"\bsrc\s*=", ccg_html)
    # the only URLs are XML namespace names, which are never fetched
    urls = set(re.findall(r"https?://[^\s\"')<>]+", ccg_html))
    assert urls <= {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}
    assert "<?xml" not in ccg_html and "<!DOCTYPE svg" not in ccg_html


def test_one_inline_svg_chart_per_measure_with_unique_ids(ccg_scores, ccg_html: str) -> None:  # type: ignore[no-untyped-def]
    assert ccg_html.count("<svg ") == len(ccg_scores) == 6
    assert ccg_html.count('role="img"') == 6
    ids = _parse(ccg_html).ids
    assert len(ids) == len(set(ids)), "duplicate ids across the charts"
    # every internal reference points at an id of the page
    refs = set(re.findall(r"url\(#([^)]+)\)", ccg_html)) | set(
        re.findall(r'href="#([^"]+)"', ccg_html)
    )
    assert refs <= set(ids)
    # the charts keep their text as text
    assert "<text" in ccg_html and "(lower is better)</text>" in ccg_html


def test_every_measure_with_its_rule_in_words_rag_and_provenance(ccg_scores, ccg_html: str) -> None:  # type: ignore[no-untyped-def]
    text = _parse(ccg_html).text
    for key, trajectory in ccg_scores.targets.items():
        assert (trajectory.measure or key) in text
        assert describe_rule(ccg_scores.targets.published(key)) in text
    assert "a 3.2% fall a year, compounded, from the 2013 baseline to 2018/19" in text
    for words in ("GREEN met the target", "RED missed the target", "GREY actual not yet available"):
        assert words in text
    assert "too close to call (the interval includes the target)" in text
    assert "no confidence interval given" in text
    assert "95% interval" in text and "1,997.1 to 2,107.6" in text
    # targets as published (rounded half-up to the plan's precision), actuals as given
    assert "2,081.6" in text and "2,051.9" in text
    # provenance: the plan, the actuals, the version
    assert "illustrative-ccg-actuals.csv" in text and "made with outcomes" in text
    # the inline peers of ambition 3, and where the organisation sits among them
    assert "14 peer values given in the plan file" in text
    assert "baseline (2012/13) 2,410 worst quartile; 12th best of 14 peers" in text


def test_illustrative_plans_say_so_prominently(ccg_html: str) -> None:
    text = _parse(ccg_html).text
    assert "ILLUSTRATIVE: made-up numbers, not a real organisation" in text
    assert text.count("ILLUSTRATIVE") >= 1 + 6  # the banner and every measure's heading
    real = run_plan(HWB)
    plan = real.plan.model_copy(
        update={"organisation": real.plan.organisation.model_copy(update={"illustrative": False})}  # type: ignore[union-attr]
    )
    assert not plan.illustrative_plan
    assert "ILLUSTRATIVE" not in render_report(run_plan(plan))


def test_targets_only_report(tmp_path: Path) -> None:
    html = render_report(run_plan(ICB))
    text = _parse(html).text
    assert "Targets for 3 measures and 6 organisations" in text
    assert "RAG" not in re.sub(r"<svg.*?</svg>", "", html, flags=re.DOTALL)
    # one row per organisation, one column per period
    assert "NHS Illustrative City CCG (99F) 2,520.4 2,439.7" in text
    assert html.count("<svg ") == 3


def test_the_significance_slot(ccg_scores: PlanScores) -> None:
    text = _parse(render_report(ccg_scores)).text
    assert "Significance against a benchmark: not computed for this measure" in text
    pyll = ccg_scores["pyll"]
    marked = pyll.model_copy(
        update={"significance": np.array([["BETTER", "SAME", "", "", ""]], dtype="<U12")}
    )
    scores = PlanScores(
        targets=ccg_scores.targets,
        scores={**ccg_scores.scores, "pyll": marked},
        actuals_source=ccg_scores.actuals_source,
    )
    html = render_report(scores)
    assert "vs benchmark" in html and ">BETTER</td>" in html and ">SAME</td>" in html


def test_peer_sets_are_described_and_positioned(ccg_scores: PlanScores) -> None:
    given = PeerSet.from_values([1900.0, 2000.0, 2100.0, 2200.0, 2300.0], source="a test")
    text = _parse(render_report(ccg_scores, peers={"pyll": given})).text
    assert "Peer set: 5 areas from a test." in text
    assert "target (2018/19) 1,827.7 best quartile; the best of 5 peers" in text
    assert "baseline (2013) 2,150.4 3rd quartile; 4th best of 5 peers" in text
    with pytest.raises(InputError, match="must be a PeerSet"):
        render_report(ccg_scores, peers={"pyll": [1.0, 2.0]})  # type: ignore[dict-item]


def test_a_peer_set_from_fingertips_is_named(tmp_path: Path) -> None:
    peers = select_peers(str(CAMPYLOBACTER), period="2017", area_type="County & UA", age="All ages")
    plan = parse_plan(
        """
        [organisation]
        code = "E06000001"
        name = "Hartlepool"
        population = 93000
        [measures.campylobacter]
        name = "Campylobacter notifications"
        unit = "per_100000"
        polarity = "lower"
        baseline = { value = 120.0, period = "2017" }
        rule = { name = "quantile_step" }
        end = "2019"
        """
    )
    html = render_report(run_plan(plan, peers=peers))
    text = _parse(html).text
    assert peers.describe() in text and "150 areas" in text
    assert "worst quartile" in text or "quartile" in text


def test_every_value_is_escaped(tmp_path: Path) -> None:
    evil = '<script>alert("x")</script> & <b>bold</b>'
    plan = parse_plan(
        f"""
        note = '{evil}'
        [organisation]
        code = "<i>99Z</i>"
        name = '{evil}'
        population = 1000
        illustrative = true
        [measures."<img src=x onerror=alert(1)>"]
        name = '{evil} measure $x$'
        unit = "percent"
        polarity = "higher"
        baseline = {{ value = 50.0, period = "2013/14" }}
        rule = {{ name = "hold" }}
        end = "2014/15"
        """
    )
    html = render_report(run_plan(plan), title=evil)
    lowered = html.lower()
    assert "<script" not in lowered and "<img" not in lowered and "<b>" not in lowered
    assert "<i>99z</i>" not in lowered
    assert "&lt;script&gt;" in html and "&amp;" in html
    # the measure key makes a safe anchor
    assert 'id="m-img-src-x-onerror-alert-1"' in html
    text = _parse(html).text
    assert '<script>alert("x")</script> & <b>bold</b> measure $x$' in text


def test_write_report_is_atomic_and_careful(ccg_scores: PlanScores, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    assert write_report(ccg_scores, out) == out
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]  # no temporary file left
    with pytest.raises(OutputError, match="exists; pass --force"):
        write_report(ccg_scores, out, force=False)
    with pytest.raises(OutputError, match="refusing to overwrite an input"):
        write_report(ccg_scores, out, inputs=[out])
    with pytest.raises(OutputError, match=r"name it \.html"):
        write_report(ccg_scores, tmp_path / "report.pdf")
    with pytest.raises(InputError, match="needs PlanScores"):
        render_report({"pyll": ccg_scores["pyll"]})  # type: ignore[arg-type]


# -- the rule in words ----------------------------------------------------------------------


def test_describe_rule_speaks_every_registered_rule() -> None:
    peers = [1650.0, 1800.0, 1930.0, 2050.0, 2180.0, 2330.0, 2510.0, 2640.0]
    examples = {
        "percentage_change": percentage_change(2150.4, -0.032, start="2013", end="2018/19"),
        "hold": hold(9850.0, start="2013/14", end="2015/16"),
        "two_phase": two_phase(
            1000.0, start="2013/14", end="2018/19", break_period="2014/15", step=-0.1, rate=-0.02
        ),
        "to_target": to_target(702.5, 667.4, start="2013/14", end="2015/16", unit="per_100000"),
        "reach_national": reach_national(
            78.4, 82.1, polarity="higher", start="2013/14", end="2018/19", unit="percent"
        ),
        "quantile_step": quantile_step(
            2410.0, peers, polarity="lower", start="2012/13", end="2018/19", quantiles=5, steps=2
        ),
        "national_or_quantile": national_or_quantile(
            2410.0, peers, 2100.0, polarity="lower", start="2012/13", end="2018/19"
        ),
        "peer_achieved": peer_achieved(
            1000.0,
            [[100.0, 90.0, 85.5], [100.0, 100.0, 102.0], [100.0, 95.0, 95.0]],
            polarity="lower",
            start="2013/14",
            end="2015/16",
        ),
        "reach_objective": reach_objective(70.4, "planning-2025-26/ae-4-hour", start="Mar 2025"),
    }
    assert set(examples) == set(names())
    assert all(get(name).describe is not None for name in names())
    words = {name: describe_rule(t) for name, t in examples.items()}
    for name, sentence in words.items():
        assert f"{name}(" not in sentence and "_" not in sentence, sentence
    assert words["percentage_change"] == (
        "a 3.2% fall a year, compounded, from the 2013 baseline to 2018/19"
    )
    assert words["hold"] == "hold the 2013/14 baseline in every year to 2015/16 (no change planned)"
    assert words["two_phase"] == (
        "from the 2013/14 baseline, a fall of 10% in all by 2014/15, then a 2% fall a year to "
        "2018/19, compounded"
    )
    assert words["to_target"].startswith("reach 667.4 per 100,000 population by 2015/16")
    assert "national value of 82.1%" in words["reach_national"]
    assert words["quantile_step"].startswith("move two quintiles better among peers by 2018/19")
    assert words["national_or_quantile"].startswith(
        "where the 2012/13 baseline is worse than the national value of 2,100.0, reach it by "
        "2018/19; otherwise move one quartile better"
    )
    assert words["peer_achieved"] == (
        "a 5% fall a year, what the best quarter of 3 peers' yearly changes achieved, compounded, "
        "from the 2013/14 baseline to 2015/16"
    )
    assert words["reach_objective"].startswith(
        "reach the 2025/26 planning objective of 78.0% (at least) by Mar 2026 from the Mar 2025 "
        "baseline, in equal monthly steps"
    )
    worse = peer_achieved(
        1000.0, [[100.0, 105.0], [100.0, 110.0]], polarity="lower", start="2013/14", end="2014/15"
    )
    assert describe_rule(worse).startswith("hold the 2013/14 baseline to 2014/15: the best quarter")
    assert "a deterioration" in describe_rule(worse)


def test_describe_rule_by_organisation_quarter_and_simple_change() -> None:
    t = percentage_change(
        [100.0, 200.0], [-0.01, -0.03], start="2014/15 Q4", end="2015/16 Q2", compound=False
    )
    assert describe_rule(t) == (
        "a fall of 1% to 3% a quarter (by organisation) of the 2014/15 Q4 baseline (simple, not "
        "compounded) to 2015/16 Q2"
    )
    months = to_target(10.0, 8.0, start="Mar 2015", end="Jun 2015", profile="back-loaded")
    assert describe_rule(months).endswith("with most of the change late (back-loaded)")
    plan_year = to_target(74.2, 79.0, start="2012/13", end="2018/19", indexing="plan-year")
    assert "counted by plan year" in describe_rule(plan_year)
    linear = two_phase(
        80.0, start="2013/14", end="2017/18", break_period="2015/16", first_rate=4.0, rate=1.0,
        kind="linear", unit="per_100",
    )  # fmt: skip
    assert describe_rule(linear) == (
        "from the 2013/14 baseline, a rise of 4.0 per 100 patients a year to 2015/16, then a "
        "rise of 1.0 per 100 patients a year to 2017/18, in absolute steps"
    )
    a = hold(100.0, start="2013/14", end="2014/15")
    assert describe_rule(composite([a, a])).startswith("the sum of 2 parts' targets")


# -- the command ----------------------------------------------------------------------------


def test_cli_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "report.html"
    assert main(["report", str(CCG), str(CCG_ACTUALS), "-o", str(out)]) == 0
    assert f"wrote {out}" in capsys.readouterr().out
    assert "GREEN" in out.read_text(encoding="utf-8")
    assert main(["report", str(CCG), str(CCG_ACTUALS), "-o", str(out)]) == 1
    assert "exists; pass --force" in capsys.readouterr().err
    assert main(["report", str(ICB), "-o", str(out), "--force", "--title", "ICB targets"]) == 0
    html = out.read_text(encoding="utf-8")
    assert "<title>ICB targets</title>" in html and "99F" in html
    assert main(["report", str(CCG), "-o", str(CCG)]) == 1
    assert "name it .html" in capsys.readouterr().err


def test_many_organisations_are_drawn_in_several_charts(tmp_path: Path) -> None:
    from outcomes.report import CHART_ORGANISATIONS

    n = CHART_ORGANISATIONS + 2
    rows = ["organisation,name,population,measure,period,value"]
    rows += [f"X{i:02d},Place {i},1000,rate,2013/14,{100 + i}" for i in range(n)]
    (tmp_path / "baselines.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    plan = parse_plan(
        """
        baselines = "baselines.csv"
        end = "2015/16"
        [measures.rate]
        name = "A rate"
        unit = "per_100000"
        polarity = "lower"
        rule = { name = "percentage_change", rate = -0.05 }
        """,
        folder=tmp_path,
    )
    html = render_report(run_plan(plan))
    assert html.count("<svg ") == 2
    text = _parse(html).text
    assert f"organisations 1 to {CHART_ORGANISATIONS} of {n}" in text
    assert f"organisations {CHART_ORGANISATIONS + 1} to {n} of {n}" in text
    assert "Place 25 (X25)" in text
    ids = _parse(html).ids
    assert len(ids) == len(set(ids))


def test_write_report_refuses_what_is_not_a_file_name(ccg_scores) -> None:  # type: ignore[no-untyped-def]
    """Regression found by tests/test_fuzz.py: a number as the path was a bare TypeError."""
    with pytest.raises(OutputError, match="must be a file name"):
        write_report(ccg_scores, 0.0)  # type: ignore[arg-type]


def test_confidence_limits_are_shown_to_the_targets_precision() -> None:
    """Limits computed from counts were printed to ten figures ("71.78889011 to 73.39477477");
    they are shown as Fingertips shows them, to the measure's precision, rounded half-up, and the
    page says so."""
    trust = EXAMPLES / "illustrative-trust-2025-26.toml"
    scores = score_plan(trust, EXAMPLES / "illustrative-trust-2025-26-actuals.csv")
    score = scores.scores["ae-4-hour"]
    assert score.lower is not None and score.upper is not None
    low, high = float(np.ravel(score.lower)[0]), float(np.ravel(score.upper)[0])
    text = _parse(render_report(scores)).text
    assert f"{format_value(low, None, 1)} to {format_value(high, None, 1)}" in text
    assert not re.search(r"\d+\.\d{3,} to \d", text)  # no limit beyond the published precision
    assert "confidence limits shown to the same precision" in text
    # an actual of 77 beside targets of one decimal place reads "77.0" (nothing rounded)
    assert re.search(r"Jul 2025 77\.6 77\.0 75\.1 to 78\.7", text)
