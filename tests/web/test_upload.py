"""Uploading a video: streamed to disk, size limit, type check by content, one job per form,
the same verdicts as ``analyze --json``, and the upload deleted unless kept."""

from __future__ import annotations

import asyncio
import functools
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient
from starlette.requests import ClientDisconnect
from web_helpers import JSON, REPS, make_settings, upload

from pushup_coach.analysis import analyze_file
from pushup_coach.errors import InputError
from pushup_coach.pose import ReplayBackend
from pushup_coach.types import PoseSeries
from pushup_coach.web.app import create_app
from pushup_coach.web.settings import WebSettings
from pushup_coach.web.uploads import receive_upload


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_result_has_the_verdicts_of_analyze_json(
    client: TestClient, clip: Path, series: PoseSeries, settings: WebSettings
) -> None:
    job = upload(client, clip)
    assert job["status"] == "done", job["error"]
    expected = analyze_file(clip, backend_factory=functools.partial(ReplayBackend, series))
    want = expected.report.to_dict()
    want["source"]["path"] = "set.mp4"
    assert job["report"] == want
    assert job["report"]["rep_count"] == REPS
    assert [r["verdict"] for r in job["report"]["reps"]] == [
        r.verdict.value for r in expected.report.reps
    ]
    page = client.get(f"/jobs/{job['id']}").text
    for rep in want["reps"]:  # a seek link per rep, to the rep's start in the video
        assert f'data-t="{rep["start_s"]}"' in page
    assert f'<b id="rep-count">{REPS}</b>' in page
    assert "(reps 1, 2, 3)" in page  # the cue names reps as people count them, from 1
    video = client.get(f"/jobs/{job['id']}/overlay.mp4")
    assert video.status_code == 200 and video.headers["content-type"] == "video/mp4"
    assert video.content[4:8] == b"ftyp"
    assert "<!DOCTYPE html>" in client.get(f"/jobs/{job['id']}/report.html").text


@pytest.mark.parametrize("keep", [False, True])
def test_upload_is_deleted_unless_kept(
    client: TestClient, clip: Path, settings: WebSettings, keep: bool
) -> None:
    job = upload(client, clip, keep=keep)
    assert job["status"] == "done"
    assert files_in(settings.uploads_dir) == []
    kept = files_in(settings.jobs_dir / str(job["id"]))
    expected = ["landmarks.npz", "overlay.mp4", "report.html"] + (["video.mp4"] if keep else [])
    assert kept == expected


def test_type_is_checked_by_content_not_name(
    client: TestClient, clip: Path, settings: WebSettings, tmp_path: Path
) -> None:
    fake = tmp_path / "fake.mp4"
    fake.write_bytes(b"this is not a video\n" * 100)
    response = client.post(
        "/upload", files={"video": ("fake.mp4", fake.read_bytes(), "video/mp4")}, headers=JSON
    )
    assert response.status_code == 415
    assert response.json()["error"].startswith("this file is not a video pushup-coach can read")
    assert files_in(settings.uploads_dir) == []
    assert client.get("/jobs.json").json() == {"jobs": []}
    job = upload(client, clip, name="notes.txt")  # a real video with a misleading name
    assert job["status"] == "done" and job["filename"] == "notes.txt"


@pytest.mark.parametrize(
    ("limit_mb", "size"),
    [
        (0.001, 200_000),  # Content-Length says it is too big: refused before reading
        (0.1, 150_000),  # within the form's allowance for boundaries: refused while streaming
    ],
)
def test_upload_over_the_limit_is_413_and_leaves_nothing(
    tmp_path: Path, series: PoseSeries, limit_mb: float, size: int
) -> None:
    settings = make_settings(tmp_path, series, max_upload_mb=limit_mb)
    with TestClient(create_app(settings)) as client:
        files = {"video": ("big.mp4", b"\0" * size, "video/mp4")}
        response = client.post("/upload", files=files, headers=JSON)
        assert response.status_code == 413
        assert "larger than this server's limit" in response.json()["error"]
        assert files_in(settings.uploads_dir) == []
        assert client.get("/jobs.json").json() == {"jobs": []}


def test_a_double_submit_makes_one_job(
    client: TestClient, clip: Path, settings: WebSettings
) -> None:
    first = upload(client, clip, token="same")
    second = upload(client, clip, token="same")
    assert first["id"] == second["id"]
    assert len(client.get("/jobs.json").json()["jobs"]) == 1
    assert files_in(settings.uploads_dir) == []


def test_an_aborted_upload_leaves_no_partial_file(tmp_path: Path) -> None:
    boundary = "b0undary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="video"; filename="a.mp4"\r\n'
        "Content-Type: video/mp4\r\n\r\n"
    ).encode()

    async def body():  # type: ignore[no-untyped-def]
        yield head + b"\0" * 5000
        raise ClientDisconnect()

    folder = tmp_path / "uploads"
    with pytest.raises(ClientDisconnect):
        asyncio.run(
            receive_upload(f"multipart/form-data; boundary={boundary}", body(), folder, 10**6)
        )
    assert files_in(folder) == []


def test_a_form_without_a_video_is_refused(client: TestClient) -> None:
    response = client.post(
        "/upload", data={"token": "x"}, files={"other": ("a", b"1")}, headers=JSON
    )
    assert response.status_code == 400
    assert response.json()["error"].startswith("the form had no video file in it")
    with pytest.raises(InputError):
        asyncio.run(receive_upload("text/plain", _empty(), Path("/nonexistent"), 10))


async def _empty():  # type: ignore[no-untyped-def]
    yield b""


def test_a_post_from_another_site_is_refused(client: TestClient, clip: Path) -> None:
    files = {"video": ("set.mp4", clip.read_bytes(), "video/mp4")}
    response = client.post("/upload", files=files, headers={"origin": "http://evil.example"})
    assert response.status_code == 403
    assert client.get("/jobs.json").json() == {"jobs": []}
    own = client.post("/consent", data={"agree": "yes"}, headers={"origin": "http://testserver"})
    assert own.status_code == 200  # followed the 303 to the home page


def test_a_video_without_a_person_fails_with_the_reason(
    tmp_path: Path, series: PoseSeries, clip: Path
) -> None:
    empty = PoseSeries(
        t_s=series.t_s,
        landmarks=np.full_like(series.landmarks, np.nan),
        size_wh=series.size_wh,
        source="nobody",
    )
    settings = make_settings(tmp_path, empty)
    with TestClient(create_app(settings)) as client:
        job = upload(client, clip)
        assert job["status"] == "failed" and job["report"] is None
        assert job["error"].startswith("no person was found in any of the")
        assert "The analysis failed: no person was found" in client.get(f"/jobs/{job['id']}").text
        assert files_in(settings.uploads_dir) == []
