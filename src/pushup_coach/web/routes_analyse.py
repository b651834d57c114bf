"""Upload a video, follow its analysis, see the result; every page with its JSON twin.

``POST /upload`` streams the form to disk (``web.uploads``), probes the container, makes ONE job
per form (its ``token``: a double submit returns the same job) and answers at once; the analysis
runs on the job runner. ``/jobs/<id>.json`` is what the progress page polls.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse, Response

from pushup_coach.app.coaching import planned_rung, planned_variation
from pushup_coach.app.sessions import planned_rung_seen, save_report
from pushup_coach.coach.ladder import Rung, parse_rung
from pushup_coach.errors import ConfigError, InputError, NotFoundError
from pushup_coach.storage import Store
from pushup_coach.storage.jobs import (
    JobInfo,
    JobStatus,
    add_job,
    delete_job,
    get_job,
    list_jobs,
    update_job,
)
from pushup_coach.types import NAMED_VARIATIONS, Variation
from pushup_coach.web.deps import current_profile, get_settings, get_store
from pushup_coach.web.jobs import LANDMARKS, OVERLAY, REPORT, queue_full
from pushup_coach.web.pages import page, wants_json
from pushup_coach.web.settings import WebSettings
from pushup_coach.web.uploads import check_video, receive_upload, too_large

router = APIRouter()
StoreDep = Annotated[Store, Depends(get_store)]
ProfileDep = Annotated[str, Depends(current_profile)]
SettingsDep = Annotated[WebSettings, Depends(get_settings)]
MULTIPART_OVERHEAD = 64 * 1024  # form fields and boundaries around the file


# What the upload form's "What you are doing" may say besides a variation.
AS_PLANNED, CAMERA_DECIDES = "plan", "camera"


@router.get("/upload")
def upload_page(
    request: Request, store: StoreDep, profile: ProfileDep, settings: SettingsDep
) -> Response:
    planned = planned_variation(store, profile)
    data = {
        "token": secrets.token_urlsafe(16),
        "max_upload_mb": settings.max_upload_mb,
        "planned": None if planned is None else planned.value,
        "variations": NAMED_VARIATIONS,
    }
    return page(request, "upload.html", data)


def expected_variation(store: Store, profile: str, said: str) -> Variation | None:
    """The variation an upload is judged with where the camera cannot tell: the plan's (the
    default, as for ``analyze --save`` and live coaching), one the person chose, or none."""
    if said in ("", AS_PLANNED):
        return planned_variation(store, profile)
    if said == CAMERA_DECIDES:
        return None
    try:
        variation = Variation(said)
    except ValueError:
        variation = Variation.UNKNOWN
    if variation is Variation.UNKNOWN:
        names = ", ".join(NAMED_VARIATIONS)
        raise ConfigError(f"unknown push-up variation {said[:20]!r}; choose {names}")
    return variation


@router.post("/upload")
async def upload(
    request: Request, store: StoreDep, profile: ProfileDep, settings: SettingsDep
) -> Response:
    """Receive the video, check it is one, queue its analysis; 303 to its page (JSON: 201)."""
    busy = await run_in_threadpool(queue_full, request, store, settings)
    if busy is not None:
        return busy  # before a byte is read: the client tries again later
    limit = settings.max_upload_bytes
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit + MULTIPART_OVERHEAD:
        raise too_large(limit)  # before a byte is read
    got = await receive_upload(
        request.headers.get("content-type", ""), request.stream(), settings.uploads_dir, limit
    )
    assert got.path is not None
    await run_in_threadpool(check_video, got.path)
    token = got.fields.get("token") or secrets.token_urlsafe(16)
    keep = got.fields.get("keep") in ("on", "1", "true", "yes")
    try:
        expected = await run_in_threadpool(
            expected_variation, store, profile, got.fields.get("variation", "")
        )
        job, new = await run_in_threadpool(
            add_job, store, profile, token, got.filename, got.path, keep, expected
        )
    except BaseException:
        got.path.unlink(missing_ok=True)  # no upload without its job
        raise
    if new:
        request.app.state.runner.submit(job.id)
    else:
        got.path.unlink(missing_ok=True)  # the same form again: the first upload is analysed
    if wants_json(request):
        return JSONResponse({"job": job.id, "url": f"/jobs/{job.id}"}, status_code=201)
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


def _jobs_data(store: Store, profile: str) -> dict[str, Any]:
    return {"jobs": [_summary(j) for j in list_jobs(store, profile)]}


def _summary(job: JobInfo) -> dict[str, Any]:
    d = job.to_dict()
    report = d.pop("report") or {}
    d["rep_count"] = report.get("rep_count")
    d["clean_rep_count"] = report.get("clean_rep_count")
    return d


@router.get("/jobs")
def jobs_page(request: Request, store: StoreDep, profile: ProfileDep) -> Response:
    return page(request, "jobs.html", _jobs_data(store, profile))


@router.get("/jobs.json")
def jobs_json(store: StoreDep, profile: ProfileDep) -> dict[str, Any]:
    return _jobs_data(store, profile)


@router.get("/jobs/{job_id}.json")
def job_json(job_id: int, store: StoreDep, profile: ProfileDep) -> dict[str, Any]:
    return get_job(store, profile, job_id).to_dict()


@router.get("/jobs/{job_id}")
def job_page(job_id: int, request: Request, store: StoreDep, profile: ProfileDep) -> Response:
    job = get_job(store, profile, job_id)
    data = job.to_dict()
    data["rungs"] = [(r.value, r.label) for r in Rung]
    data["percent"] = round(100 * job.done / job.total) if job.total else None
    return page(request, "job.html", data)


def _job_file(store: Store, profile: str, settings: WebSettings, job_id: int, name: str) -> Path:
    job = get_job(store, profile, job_id)  # another person's job is not found
    path = settings.jobs_dir / str(job.id) / name
    if job.status != JobStatus.DONE or not path.is_file():
        raise NotFoundError(f"analysis {job_id} has no {name} (yet)")
    return path


@router.get("/jobs/{job_id}/overlay.mp4")
def job_overlay(
    job_id: int, store: StoreDep, profile: ProfileDep, settings: SettingsDep
) -> FileResponse:
    """The annotated video (HTTP ranges, so the player can seek)."""
    path = _job_file(store, profile, settings, job_id, OVERLAY)
    return FileResponse(path, media_type="video/mp4")


@router.get("/jobs/{job_id}/report.html")
def job_report(
    job_id: int, store: StoreDep, profile: ProfileDep, settings: SettingsDep
) -> FileResponse:
    """The same self-contained HTML report ``analyze --report`` writes."""
    path = _job_file(store, profile, settings, job_id, REPORT)
    return FileResponse(path, media_type="text/html")


@router.post("/jobs/{job_id}/save")
def job_save(
    job_id: int,
    request: Request,
    store: StoreDep,
    profile: ProfileDep,
    settings: SettingsDep,
    variation: Annotated[str, Form()] = "",
    keep_video: Annotated[str, Form()] = "",
) -> Response:
    """Save the analysis in the person's history (the gate every stored session goes through)."""
    job = get_job(store, profile, job_id)
    if job.report is None:
        raise InputError(f"analysis {job_id} has no result to save")
    if job.session_id is not None:
        return RedirectResponse("/history", status_code=303)
    landmarks = _job_file(store, profile, settings, job_id, LANDMARKS).read_bytes()
    video = Path(job.upload_path) if keep_video and job.upload_path else None
    # As `analyze --save`: the plan's rung when the camera saw its variation (it cannot tell a
    # diamond from a full push-up), else what the person chose, else what the camera saw.
    rung = (
        parse_rung(variation)
        if variation
        else planned_rung_seen(job.report, planned_rung(store, profile))
    )
    session_id = save_report(store, profile, job.report, landmarks, rung=rung, video_path=video)
    update_job(store, job_id, session_id=session_id)
    if wants_json(request):
        return JSONResponse({"session": session_id}, status_code=201)
    return RedirectResponse(f"/log?session={session_id}", status_code=303)


@router.post("/jobs/{job_id}/delete")
def job_delete(
    job_id: int, store: StoreDep, profile: ProfileDep, settings: SettingsDep
) -> Response:
    """Delete the analysis and its files (overlay, report, landmarks, a kept upload)."""
    import shutil

    if not get_job(store, profile, job_id).finished:
        raise InputError(f"analysis {job_id} is still running; delete it when it has finished")
    delete_job(store, profile, job_id)
    shutil.rmtree(settings.jobs_dir / str(job_id), ignore_errors=True)
    return RedirectResponse("/jobs", status_code=303)
