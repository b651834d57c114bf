"""The upload flow in a real headless Chromium: pick a file, watch the upload and the analysis,
land on the result page with the rep count, the per-rep table and a video that seeks to a rep.

Debian's Chromium (``/usr/bin/chromium``, from ``scripts/services/chromium.sh``) is driven by
Playwright for Python with ``executable_path`` set, so no browser is ever downloaded. The server
is the whole app under uvicorn, analysing with the replay backend (no pose model), so the test
knows the exact answer: the synthetic clip's reps.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from web_helpers import REPS, free_port, make_settings, running_server

from pushup_coach.types import PoseSeries

CHROMIUM = "/usr/bin/chromium"
STEP_TIMEOUT_S = 60.0

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(),
    reason=f"no Chromium at {CHROMIUM}: run scripts/services/chromium.sh to install Debian's",
)
playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed")


@pytest.fixture
def server(tmp_path: Path, series: PoseSeries, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("PUSHUP_COACH_HOME", str(tmp_path / "home"))
    settings = make_settings(tmp_path, series, port=free_port(), allowed_hosts=("127.0.0.1",))
    with running_server(settings) as base:
        yield base


def wait_until(page: Any, script: str, what: str) -> Any:
    """Poll a JS arrow function until it is truthy (the pages' CSP forbids string eval, which
    Playwright's wait_for_function needs); a page navigating meanwhile is polled again."""
    deadline = time.monotonic() + STEP_TIMEOUT_S
    while True:
        try:
            value = page.evaluate(script)
        except playwright_api.Error:  # the upload page went on to the job page, which reloads
            value = None
        if value:
            return value
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def test_upload_in_the_browser_reaches_the_result_page(server: str, clip: Path) -> None:
    with playwright_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM)
        page = browser.new_page(viewport={"width": 390, "height": 844})  # a phone
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        page.goto(f"{server}/upload")
        page.set_input_files("#video", str(clip))
        assert "pushups.mp4" in page.inner_text("#chosen")
        page.click("#send")
        wait_until(page, "() => document.getElementById('rep-count')", "the result page")
        assert page.url.startswith(f"{server}/jobs/")
        assert page.inner_text("#rep-count") == str(REPS)
        assert page.locator("#reps tbody tr").count() == REPS
        wait_until(page, "() => document.getElementById('player').readyState >= 1", "the video")
        second = page.locator("button.seek").nth(1)
        second.click()
        seek_t = float(second.get_attribute("data-t") or "nan")
        at = wait_until(
            page, "() => document.getElementById('player').currentTime || null", "the seek"
        )
        assert at >= seek_t - 0.1
        browser.close()
    assert all(url.startswith(server) for url in requests), "the pages loaded something external"
