"""The HTML report in a real browser: Debian's headless Chromium driven by chromedriver.

Run with ``pytest -m browser``. The test needs ``/usr/bin/chromium`` and ``/usr/bin/chromedriver``
(Debian: ``apt-get install chromium chromium-driver``; ``.ci/run`` installs them) and selenium;
it never downloads a browser. Without Chromium it is skipped, with the reason, unless
``OUTCOMES_REQUIRE_BROWSER=1`` (set by ``.ci/run``) turns the skip into a failure.
"""

from __future__ import annotations

import base64
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).parent.parent
EXAMPLES = ROOT / "examples"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
    "--window-size=1100,1400",
)


def _needs_chromium() -> None:
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not os.path.exists(p)]
    if missing:
        reason = (
            f"Chromium is not installed ({', '.join(missing)} missing); on Debian: "
            "apt-get install chromium chromium-driver"
        )
        if os.environ.get("OUTCOMES_REQUIRE_BROWSER"):
            pytest.fail(reason + " (OUTCOMES_REQUIRE_BROWSER is set)")
        pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    _needs_chromium()
    pytest.importorskip("selenium", reason="selenium is not installed: pip install -e '.[dev]'")
    pytest.importorskip("jinja2")
    pytest.importorskip("matplotlib")
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="outcomes-chromium-")
    options = Options()
    options.binary_location = CHROMIUM
    for flag in (*FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _open(driver: Any, path: Path) -> None:
    driver.get_log("performance")  # forget the requests of earlier pages
    driver.get(path.resolve().as_uri())
    state = driver.execute_script("return document.readyState")
    assert state == "complete"


def _requested(driver: Any) -> list[str]:
    import json

    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def _screenshot_and_pdf(driver: Any, out: Path) -> tuple[Path, Path]:
    from selenium.webdriver.common.print_page_options import PrintOptions

    png = out.with_suffix(".png")
    assert driver.save_screenshot(str(png))
    options = PrintOptions()
    options.page_width, options.page_height = 21.0, 29.7  # A4, in cm
    options.background = True
    pdf = out.with_suffix(".pdf")
    pdf.write_bytes(base64.b64decode(driver.print_page(options)))
    return png, pdf


def _severe(driver: Any) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]


def test_scored_report_in_chromium(browser: Any, tmp_path: Path) -> None:
    from outcomes import score_plan
    from outcomes.report import write_report

    scores = score_plan(
        EXAMPLES / "illustrative-ccg.toml", EXAMPLES / "illustrative-ccg-actuals.csv"
    )
    page = write_report(scores, tmp_path / "report.html")
    _open(browser, page)

    text = browser.find_element("tag name", "body").text
    for key, trajectory in scores.targets.items():
        assert (trajectory.measure or key) in text
    for word in ("GREEN", "RED", "GREY", "met the target", "missed the target"):
        assert word in text
    assert "ILLUSTRATIVE" in text
    assert "a 3.2% fall a year, compounded, from the 2013 baseline to 2018/19" in text

    # every chart is drawn with a size, and its text is real text the page can search
    sizes = browser.execute_script(
        "return [...document.querySelectorAll('svg.chart')]"
        ".map(s => [s.getBoundingClientRect().width, s.getBoundingClientRect().height])"
    )
    assert len(sizes) == 6 and all(w > 300 and h > 200 for w, h in sizes)
    svg_text = browser.execute_script(
        "return [...document.querySelectorAll('svg.chart text')].map(t => t.textContent)"
    )
    assert "(lower is better)" in svg_text and "GREEN: met the target" in svg_text

    # nothing but the page itself was fetched: no network
    assert all(url.startswith(("file://", "data:")) for url in _requested(browser))
    # the page fits the window: nothing spills sideways
    assert browser.execute_script(
        "return document.documentElement.scrollWidth <= window.innerWidth"
    )

    png, pdf = _screenshot_and_pdf(browser, tmp_path / "report")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 20_000
    data = pdf.read_bytes()
    assert data[:5] == b"%PDF-"
    pages = data.count(b"/Type /Page") - data.count(b"/Type /Pages")
    assert pages >= 1 + 6  # the overview, then each measure from a new page
    assert _severe(browser) == []


def test_targets_report_of_many_organisations_in_chromium(browser: Any, tmp_path: Path) -> None:
    from outcomes import run_plan
    from outcomes.report import write_report

    page = write_report(run_plan(EXAMPLES / "illustrative-icb.toml"), tmp_path / "icb.html")
    _open(browser, page)
    text = browser.find_element("tag name", "body").text
    for code in ("99A", "99B", "99C", "99D", "99E", "99F"):
        assert f"({code})" in text
    assert "Targets for 3 measures and 6 organisations" in text
    png, pdf = _screenshot_and_pdf(browser, tmp_path / "icb")
    assert png.stat().st_size > 20_000 and pdf.read_bytes()[:5] == b"%PDF-"
    assert _severe(browser) == []
