"""The HTML report in a real browser: headless Chromium (Debian's ``chromium`` and
``chromium-driver``) driven by selenium opens ``report.html`` of a small verify run, checks that
every figure loaded and that the table has one row per claim, and saves a screenshot.

Marked ``browser`` (deselected by the default addopts); ``.ci/run`` installs Chromium and runs
``pytest -m browser``. Without Chromium the test skips with the reason, except under CI
(``CI=true``), where a missing browser is a failure. ``RDPTHEORY_README_SCREENSHOT=1`` also
copies the screenshot to ``docs/figures/report_screenshot.png`` (the picture in docs/cli.md).
"""
import json
import os
import shutil
import tempfile
import time
from pathlib import Path

import pytest

from rdptheory.cli import main

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
#: A few claims (closed form and symbolic); the figures are the default ones (every quick one).
ONLY = "gaussian.*_ltc*"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--window-size=1280,1000")


def _missing():
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e \".[test]\")"
    for path, pkg in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")):
        if not os.access(path, os.X_OK):
            return f"{path} not found (apt-get install -y {pkg})"
    return None


@pytest.fixture
def driver():
    reason = _missing()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"browser test cannot run under CI: {reason}")
        pytest.skip(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    profile = tempfile.mkdtemp(prefix="rdptheory-chromium-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in FLAGS:
        opts.add_argument(flag)
    opts.add_argument(f"--user-data-dir={profile}")
    drv = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    try:
        yield drv
    finally:
        drv.quit()
        shutil.rmtree(profile, ignore_errors=True)


def test_report_html_in_chromium(driver, tmp_path):
    out = tmp_path / "report"
    assert main(["verify", "--only", ONLY, "--out", str(out), "--no-progress"]) == 0
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    n_claims, n_figures = len(report["claims"]), len(report["figures"])
    assert n_claims >= 2 and n_figures >= 2

    t0 = time.perf_counter()
    driver.get((out / "report.html").resolve().as_uri())
    deadline = time.time() + 30
    while driver.execute_script("return document.readyState") != "complete":
        assert time.time() < deadline, "report.html did not finish loading in 30 s"
        time.sleep(0.1)
    images = driver.execute_script(
        "return Array.from(document.images).map(i => [i.alt, i.complete, i.naturalWidth,"
        " i.naturalHeight]);")
    assert len(images) == n_figures
    for alt, complete, w, h in images:
        assert complete and w > 0 and h > 0, f"figure {alt!r} did not load"
    rows = driver.execute_script(
        "return Array.from(document.querySelectorAll('#claims-table tbody tr'))"
        ".map(r => r.dataset.claim);")
    assert rows == [c["id"] for c in report["claims"]]
    passed = driver.execute_script(
        "return document.querySelector('#count-pass b').textContent;")
    assert int(passed) == report["counts"]["PASS"]
    load_time = time.perf_counter() - t0

    shot = tmp_path / "report_screenshot.png"
    assert driver.save_screenshot(str(shot))
    assert shot.stat().st_size > 20_000, "screenshot is suspiciously small (blank page?)"
    if os.environ.get("RDPTHEORY_README_SCREENSHOT") == "1":
        shutil.copyfile(shot, ROOT / "docs" / "figures" / "report_screenshot.png")
    print(f"report.html: {n_claims} rows, {n_figures} images loaded in {load_time:.2f} s")
