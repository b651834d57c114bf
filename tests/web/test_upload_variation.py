"""An uploaded video is judged with the variation the person is doing, as ``analyze --save`` and
live coaching are: the plan's by default, or one they choose; the camera checks it (a note on a
mismatch) and it stands in where the camera cannot tell (from the front the legs are hidden)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from web_helpers import JSON, make_settings

from builders import rep_keyframes
from front_builder import front_series
from pushup_coach.coach.ladder import Rung
from pushup_coach.storage import BaselineInfo
from pushup_coach.storage.store import Store
from pushup_coach.types import PoseSeries
from pushup_coach.web.app import create_app
from pushup_coach.web.settings import WebSettings
from synthetic_pushups import write_timed_video

PLANNED = "so the planned one, knee, was used"
CHOSEN = "so the planned one, incline, was used"


@pytest.fixture(scope="module")
def hidden_legs() -> PoseSeries:
    """Three push-ups filmed from the front, legs hidden: the camera cannot tell the variation."""
    return front_series(rep_keyframes(3, bottom_deg=60.0), leg_visibility=0.1)


@pytest.fixture(scope="module")
def front_clip(tmp_path_factory: pytest.TempPathFactory, hidden_legs: PoseSeries) -> Path:
    return write_timed_video(tmp_path_factory.mktemp("front") / "front.mp4", hidden_legs.t_s)


@pytest.fixture
def settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, hidden_legs: PoseSeries
) -> WebSettings:
    """An app whose analyses replay the hidden-legs series."""
    monkeypatch.setenv("PUSHUP_COACH_HOME", str(tmp_path / "home"))
    return make_settings(tmp_path, hidden_legs)


def planned_knee(db_url: str) -> None:
    """A screened profile whose plan is knee push-ups (a baseline placed it there today)."""
    today = dt.datetime.now(ZoneInfo("Europe/Berlin")).date()
    with Store.open(db_url) as store:
        store.create_profile("default", "Europe/Berlin", "mon,wed,fri", dt.datetime(2026, 3, 1))
        store.add_screening("default", {}, "clear", dt.datetime(2026, 3, 1, 0, 5))
        store.add_baseline(
            "default", BaselineInfo(today, Rung.KNEE, 9, Rung.KNEE, "manual", "test")
        )


def analysed(client: TestClient, clip: Path, token: str, said: str | None) -> dict[str, Any]:
    data = {"token": token, **({"variation": said} if said is not None else {})}
    files = {"video": ("front.mp4", clip.read_bytes(), "video/mp4")}
    response = client.post("/upload", files=files, data=data, headers=JSON)
    assert response.status_code == 201, response.text
    client.app.state.runner.join()  # type: ignore[attr-defined]
    job: dict[str, Any] = client.get(f"/jobs/{response.json()['job']}.json").json()
    assert job["status"] == "done", job
    return job


@pytest.mark.parametrize(
    ("said", "stored", "variation", "note"),
    [
        (None, "knee", "knee", PLANNED),  # the form's default: as planned
        ("plan", "knee", "knee", PLANNED),
        ("incline", "incline", "incline", CHOSEN),
        ("camera", None, "unknown", None),
    ],
    ids=["default", "as-planned", "chosen", "camera-decides"],
)
def test_an_upload_is_judged_as_planned_or_as_chosen(
    settings: WebSettings,
    front_clip: Path,
    said: str | None,
    stored: str | None,
    variation: str,
    note: str | None,
) -> None:
    planned_knee(str(settings.db_url))
    with TestClient(create_app(settings)) as client:
        assert "as planned: knee push-ups" in client.get("/upload").text
        job = analysed(client, front_clip, "t-" + (said or "none"), said)
        saved = client.post(f"/jobs/{job['id']}/save", headers=JSON)
    report = job["report"]
    assert (job["variation"], report["rep_count"], report["variation"]) == (stored, 3, variation)
    assert any(note in w for w in report["warnings"]) if note else True
    if variation == "unknown":  # nothing to store it as until the person says what they did
        assert saved.status_code == 400, saved.text
        assert "'What you did' in the web app" in saved.json()["error"]
        return
    assert saved.status_code == 201
    with Store.open(settings.db_url) as store:
        (session,) = store.sessions("default")
    if variation == "knee":
        assert session.rung is Rung.KNEE  # the plan's rung, the camera not disagreeing


def test_without_a_plan_the_camera_decides(settings: WebSettings, front_clip: Path) -> None:
    with TestClient(create_app(settings)) as client:
        page = client.get("/upload").text
        assert "as planned" not in page and '<option value="camera" selected>' in page
        job = analysed(client, front_clip, "t1", None)
        page = client.get(f"/jobs/{job['id']}").text
    assert (job["variation"], job["report"]["variation"]) == (None, "unknown")
    # saving asks what it was: the form cannot be sent as "unknown"
    assert '<select id="variation" name="variation" required>' in page
    assert "choose: the camera could not tell" in page


def test_an_unknown_variation_is_refused_and_nothing_is_left(
    settings: WebSettings, front_clip: Path
) -> None:
    with TestClient(create_app(settings)) as client:
        files = {"video": ("front.mp4", front_clip.read_bytes(), "video/mp4")}
        data = {"token": "t1", "variation": "pike"}
        response = client.post("/upload", files=files, data=data, headers=JSON)
        assert response.status_code == 400
        assert "unknown push-up variation 'pike'" in response.text
        assert client.get("/jobs.json").json() == {"jobs": []}
    assert list((settings.root / "uploads").iterdir()) == []
