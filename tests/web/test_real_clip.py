"""A real clip through the web app with the real pose model: the result page shows the same rep
count, verdicts and faults as ``analyze --json`` on that clip (issue 13's first browser-suite item,
here through the HTTP API; test_browser.py drives the same flow in Chromium)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from web_helpers import make_settings, upload

from pushup_coach.types import PoseSeries
from pushup_coach.web.app import create_app
from real_clips import CLIPS, analysed, needs_clips

CLIP = "calimiro/push-up_1.mp4"

pytestmark = [pytest.mark.realdata, pytest.mark.model, needs_clips]


def test_a_real_upload_gives_the_verdicts_of_analyze(tmp_path: Path, series: PoseSeries) -> None:
    expected = analysed(CLIP, 1).report.to_dict()
    settings = make_settings(tmp_path, series, backend_factory=None, backend_name="mediapipe")
    with TestClient(create_app(settings)) as client:
        job = upload(client, CLIPS / CLIP, name="push-up_1.mp4")
        page = client.get(f"/jobs/{job['id']}").text
    assert job["status"] == "done", job["error"]
    expected["source"]["path"] = "push-up_1.mp4"
    assert job["report"] == expected  # every rep, verdict, fault and metric
    assert f'<b id="rep-count">{expected["rep_count"]}</b>' in page
