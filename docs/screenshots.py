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


def main() -> int:
    IMG.mkdir(parents=True, exist_ok=True)
    made = charts()
    if Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists():
        made += report_screenshots()
    else:
        print("Chromium is not installed (apt-get install chromium chromium-driver): "
              "report screenshots not made", file=sys.stderr)
    for path in made:
        print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size // 1024} kB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
