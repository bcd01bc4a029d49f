"""Make the pictures in the docs (docs/img/) from the illustrative examples; never by hand.

    python docs/screenshots.py

Charts come from :mod:`outcomes.plot`; the report's screenshots from Debian's headless Chromium
(``apt-get install chromium chromium-driver``) driven by selenium, as the browser test does.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IMG = ROOT / "docs" / "img"
EXAMPLES = ROOT / "examples"
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
)


def charts() -> list[Path]:
    from outcomes import run_plan, score_plan
    from outcomes.plot import plot_trajectory, save_figure

    scores = score_plan(EXAMPLES / "illustrative-ccg.toml", EXAMPLES / "illustrative-ccg-actuals.csv")
    icb = run_plan(EXAMPLES / "illustrative-icb.toml")
    pyll = plot_trajectory(scores.targets.published("pyll"), score=scores["pyll"])
    return [
        save_figure(pyll, IMG / "chart-pyll.png", dpi=100),
        save_figure(plot_trajectory(icb.published("admissions")), IMG / "chart-icb.png", dpi=100),
    ]


def benchmark_and_realism_charts() -> list[Path]:
    """The charts of docs/benchmarking.md and docs/realism.md, from the test data."""
    import numpy as np
    import pandas as pd

    from outcomes.frames import history_from_frame
    from outcomes.plot import plot_changes, plot_fan, plot_funnel, plot_trend

    data = ROOT / "tests" / "data"
    made = []
    campy = pd.read_csv(data / "fingertips_93356_campylobacter_utla_2015_2017.csv")
    year = campy[(campy["Time period"] == 2016) & (campy["Age"] == "All ages")
                 & campy["Category Type"].isna()]
    areas = year[year["Area Type"] == "County & UA"].dropna(subset=["Count", "Denominator"])
    england = float(year.loc[year["Area Type"] == "Country", "Value"].iloc[0])
    out = IMG / "benchmark-funnel.png"
    plot_funnel(areas["Count"], areas["Denominator"], statistic="rate", per=100_000,
                target=england, x_label="Resident population",
                y_label="Campylobacter cases per 100,000 population",
                names=list(areas["Area Name"]), highlight="Trafford",
                title="Campylobacter incidence, upper-tier local authorities, 2016", path=out)
    made.append(out)
    out = IMG / "benchmark-trend.png"
    plot_trend(["2014/15", "2015/16", "2016/17", "2017/18", "2018/19"],
               [30.1, 28.4, 25.0, 24.2, 21.9], [28.0, 26.5, 23.1, 22.3, 20.1],
               [32.2, 30.3, 26.9, 26.1, 23.7], benchmark=[29.0, 28.8, 28.5, 27.9, 27.0],
               polarity="lower", y_label="Smoking prevalence (%)", path=out)
    made.append(out)
    df = pd.read_csv(data / "pyll_ccg_2009_2014_person_limits.csv", dtype=str)
    pyll = history_from_frame(
        df, area="Level", period="Reporting period", value="DSR", lower="CI lower",
        upper="CI upper",
    )
    out = IMG / "realism-pyll-changes.png"
    plot_changes(pyll.values, -0.032, polarity="lower", lower=pyll.lower, upper=pyll.upper,
                 unit_label="CCG-years",
                 measure="PYLL from causes amenable to healthcare, 211 CCGs, 2009-2014", path=out)
    made.append(out)
    names = dict(zip(df["Level"], df["Level description"], strict=False))
    darlington = pyll.areas.index("00C")
    base = float(np.asarray(pyll.values)[darlington, -1])
    out = IMG / "realism-pyll-fan.png"
    plot_fan(pyll.values, {k: base * 0.968**k for k in (1, 2, 3, 4)}, area=darlington,
             areas=[names[code] for code in pyll.areas], polarity="lower", periods=pyll.periods,
             lower=pyll.lower, upper=pyll.upper, measure="PYLL per 100,000 registered patients",
             path=out)
    made.append(out)
    return made


def report_screenshots() -> list[Path]:
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    from outcomes import score_plan
    from outcomes.report import write_report

    folder = Path(tempfile.mkdtemp(prefix="outcomes-docs-"))
    page = write_report(
        score_plan(EXAMPLES / "illustrative-ccg.toml", EXAMPLES / "illustrative-ccg-actuals.csv"),
        folder / "report.html",
    )
    options = Options()
    options.binary_location = CHROMIUM
    for flag in (*FLAGS, "--window-size=1000,1250", f"--user-data-dir={folder / 'profile'}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    try:
        driver.get(page.as_uri())
        top = IMG / "report.png"
        driver.save_screenshot(str(top))
        section = driver.find_element("id", "m-admissions")
        measure = IMG / "report-measure.png"
        driver.set_window_size(1000, 2600)
        section.screenshot(str(measure))
    finally:
        driver.quit()
        shutil.rmtree(folder, ignore_errors=True)
    return [top, measure]


#: The plan of docs/realism.md, "In a plan": Darlington CCG's PYLL, 3.2% a year from 2013.
DARLINGTON = """
first = "2014/15"
end = "2018/19"

[organisation]
code = "00C"
name = "NHS Darlington CCG"
population = 105000

[measures.pyll]
ambition = 1
baseline = { value = 2229.2, period = "2013" }
rule = { name = "percentage_change", rate = -0.032 }
history = { file = "pyll-ccg-2009-2014.csv" }
"""


def realism_screenshot() -> list[Path]:
    """The report's realism section for a real CCG (docs/realism.md, "In a plan")."""
    import os

    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    from outcomes import parse_plan, run_plan
    from outcomes.report import write_report

    folder = Path(tempfile.mkdtemp(prefix="outcomes-docs-"))
    here = Path.cwd()
    os.chdir(ROOT)  # the provenance names the history as the docs do: examples/...
    try:
        page = write_report(run_plan(parse_plan(DARLINGTON, folder="examples")), folder / "r.html")
    finally:
        os.chdir(here)
    options = Options()
    options.binary_location = CHROMIUM
    for flag in (*FLAGS, "--window-size=1000,3000", f"--user-data-dir={folder / 'profile'}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    try:
        driver.get(page.as_uri())
        out = IMG / "report-realism.png"
        driver.find_element("id", "m-pyll-realism").screenshot(str(out))
    finally:
        driver.quit()
        shutil.rmtree(folder, ignore_errors=True)
    return [out]


def main() -> int:
    IMG.mkdir(parents=True, exist_ok=True)
    made = charts() + benchmark_and_realism_charts()
    if Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists():
        made += report_screenshots() + realism_screenshot()
    else:
        print("Chromium is not installed (apt-get install chromium chromium-driver): "
              "report screenshots not made", file=sys.stderr)
    for path in made:
        print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size // 1024} kB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
