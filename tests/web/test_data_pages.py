"""Privacy made visible: export, correct and erase from the pages (the CLI's operations), saving
an analysis through the one storage gate, and every page with its JSON twin."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from coach_flow import agree, placed, screened
from fastapi.testclient import TestClient
from web_helpers import upload

from pushup_coach.app.data import export_folder
from pushup_coach.storage import Store
from pushup_coach.web.settings import WebSettings

JSON = {"accept": "application/json"}


def test_saving_an_analysis_goes_through_the_gate(client: TestClient, clip: Path) -> None:
    job = upload(client, clip)
    refused = client.post(f"/jobs/{job['id']}/save", headers=JSON)
    assert refused.status_code == 404  # no consent, so no profile yet: nothing stored
    assert refused.json()["error"].startswith("no profile 'default'")
    agree(client)
    unscreened = client.post(f"/jobs/{job['id']}/save", headers=JSON)
    assert unscreened.status_code == 404
    assert "has no screening yet" in unscreened.json()["error"]
    assert client.get("/history.json").json() == {"sessions": []}
    placed(client)
    saved = client.post(f"/jobs/{job['id']}/save", data={"variation": "knee"}, headers=JSON)
    assert saved.status_code == 201
    history = client.get("/history.json").json()["sessions"]
    assert [(s["source"], s["variation"]) for s in history] == [("analysis", "knee")]
    assert client.get(f"/jobs/{job['id']}.json").json()["session_id"] == saved.json()["session"]


def test_export_correct_and_erase(client: TestClient, clip: Path, settings: WebSettings) -> None:
    placed(client)
    client.post("/log", data={"sets": "8,8", "pain": "0"})
    job = upload(client, clip)
    archive = zipfile.ZipFile(io.BytesIO(client.get("/export.zip").content))
    names = sorted(n.split("/", 1)[1] for n in archive.namelist())
    assert "profile.json" in names and "analyses.json" in names
    analyses = json.loads(archive.read("pushup-coach-default/analyses.json"))
    assert [a["id"] for a in analyses] == [job["id"]]
    exported = client.get("/export.json").json()
    assert [[s["clean_reps"] for s in e["sets"]] for e in exported["sessions"]] == [[8, 8]]
    # `pushup-coach export` writes the same files: the one app-layer operation behind both
    folder = settings.root.parent / "cli-export"
    with Store.open(settings.db_url) as store:
        written = export_folder(store, "default", folder)
    assert sorted(str(p.relative_to(folder)) for p in written) == names
    assert [a["id"] for a in json.loads((folder / "analyses.json").read_text())] == [job["id"]]

    fixed = client.post("/correct", data={"session": "1", "sets": "9,8", "reason": "miscounted"})
    assert "Corrected clean_reps" in fixed.text
    assert client.get("/history.json").json()["sessions"][0]["clean_reps"] == [9, 8]
    vague = client.post("/correct", data={"session": "1", "pain": "4"}, headers=JSON)
    assert vague.status_code == 400
    assert vague.json()["error"].startswith("with pain above 0, say where it hurt")
    pain = {"session": "1", "pain": "4", "where": "wrist", "kind": "ache"}
    assert "Corrected checkin" in client.post("/correct", data=pain).text
    assert client.get("/history.json").json()["sessions"][0]["pain"] == 4

    erased = client.post("/forget", data={"confirm": "default"})
    assert "Everything erased" in erased.text and "1 analyses" in erased.text
    with Store.open(settings.db_url) as store:
        assert store.profile_names() == []
    assert client.get("/jobs.json").json() == {"jobs": []}
    assert not (settings.jobs_dir / str(job["id"])).exists()
    assert not settings.cache_dir.exists()


PAGES = [
    ("/", "Where you are"),
    ("/upload", "Drop a video here"),
    ("/jobs", "Your analyses"),
    ("/screen", "Health screening"),
    ("/baseline", "Your baseline"),
    ("/plan", "Why this level"),
    ("/log", "Log a session"),
    ("/history", "History"),
    ("/data", "Erase everything"),
    ("/privacy", "Privacy: what is stored, and where"),
    ("/consent", "Your data, your choice"),
]
TWINS = [
    ("/status.json", {"profile", "consent", "screening", "cleared", "next", "next_problem"}),
    ("/plan.json", {"paused", "reason", "notes", "sessions", "not_medical_advice"}),
    ("/history.json", {"sessions"}),
    ("/jobs.json", {"jobs"}),
]


@pytest.fixture
def ready(client: TestClient) -> TestClient:
    placed(client)
    return client


@pytest.mark.parametrize(("path", "text"), PAGES)
def test_every_page_renders_offline(ready: TestClient, path: str, text: str) -> None:
    response = ready.get(path)
    assert response.status_code == 200
    assert text in response.text
    assert "Not medical advice" in response.text
    assert "http://" not in response.text and "https://" not in response.text  # no CDN
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert "set-cookie" not in response.headers


@pytest.mark.parametrize(("path", "keys"), TWINS)
def test_json_twins(ready: TestClient, path: str, keys: set[str]) -> None:
    response = ready.get(path)
    assert response.status_code == 200
    assert set(response.json()) == keys


def test_unknown_job_and_static_files(client: TestClient) -> None:
    assert client.get("/jobs/99.json").status_code == 404
    assert client.get("/jobs/99").status_code == 404
    for asset in ("app.css", "upload.js", "job.js"):
        assert client.get(f"/static/{asset}").status_code == 200


def test_screen_page_lists_every_question(client: TestClient) -> None:
    from pushup_coach.coach.screening import QUESTIONS

    screened(client)
    page = client.get("/screen").text
    assert all(q.text in page for q in QUESTIONS)
