"""Saving an analysed video (``analyze VIDEO --save``) as a session.

The report is ``SessionReport.to_dict()``: ``variation``, ``reps`` (each with a ``verdict``, a
``faults`` list and a ``score``) and ``sets`` (each with ``rep_count`` and ``reps``, the indices of
its reps). Only reps with a ``clean`` verdict count as clean. Landmarks are kept as the .npz bytes
the analysis wrote; the video itself only when ``video_path`` is given.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from pushup_coach.coach.ladder import Rung, parse_rung, rung_from_variation
from pushup_coach.errors import ConfigError, InputError
from pushup_coach.storage.kept_files import keep_file
from pushup_coach.storage.policy import check_may_store_sessions
from pushup_coach.storage.records import NewSession
from pushup_coach.storage.store import Store
from pushup_coach.types import BODY_LINE_FAULTS, RepVerdict


def sets_from_report(report: dict[str, Any]) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """(all reps per set, clean reps per set); one set holding every rep when none are listed."""
    reps = report.get("reps", [])
    clean_by_index = {int(r.get("index", i)): _is_clean(r, report) for i, r in enumerate(reps)}
    sets = report.get("sets") or [{"rep_count": len(reps), "reps": list(clean_by_index)}]
    all_reps = tuple(int(s["rep_count"]) for s in sets)
    clean = tuple(sum(1 for i in s.get("reps", []) if clean_by_index.get(int(i))) for s in sets)
    if not all_reps:
        raise ConfigError("the report has no reps to save")
    return all_reps, clean


def clean_reps_of_report(report: dict[str, Any]) -> int:
    """Clean reps an ``analyze --json`` report honestly supports; an error when its reps were
    counted but their form never checked (a baseline counts clean reps only)."""
    try:
        _, clean = sets_from_report(report)
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(f"not an `analyze --json` report: {exc}") from exc
    unchecked = [r for r in report.get("reps", []) if r.get("verdict") == "not_checked"]
    if sum(clean) == 0 and unchecked:
        view = report.get("view", "this")
        raise ConfigError(
            f"the report's {len(unchecked)} reps were counted but their form was not checked "
            f"from a {view} camera, so none counts as a clean rep: film the test from the side "
            "with the whole body in the frame, or enter your max clean reps by hand "
            "(--variation and --reps)"
        )
    return sum(clean)


def _is_clean(rep: dict[str, Any], report: dict[str, Any]) -> bool:
    """A rep counts as clean only with a clean verdict. Reports from before verdicts existed are
    clean only where no fault fired and the session's view judged the body line."""
    if "verdict" in rep:
        return bool(rep["verdict"] == RepVerdict.CLEAN.value)
    assessed = set(report.get("faults_assessed", []))
    return not rep.get("faults") and all(f.value in assessed for f in BODY_LINE_FAULTS)


def form_score(report: dict[str, Any]) -> float | None:
    """Mean per-rep form score (0-100) of the report, None when it has no scored reps."""
    scores = [float(r["score"]) for r in report.get("reps", []) if r.get("score") is not None]
    return round(sum(scores) / len(scores), 2) if scores else None


def session_from_report(
    report: dict[str, Any],
    performed_on: dt.date,
    landmarks_npz: bytes | None,
    rung: Rung | None = None,
) -> NewSession:
    """The session an analysis report stands for (``rung`` overrides the variation seen)."""
    all_reps, clean = sets_from_report(report)
    return NewSession(
        performed_on=performed_on,
        source="analysis",
        rung=rung or rung_from_variation(str(report.get("variation", "unknown"))),
        all_reps=all_reps,
        clean_reps=clean,
        form_score=form_score(report),
        report=report,
        landmarks_npz=landmarks_npz,
    )


def local_date(when: dt.datetime | None, timezone: str) -> dt.date:
    """The calendar date of ``when`` in ``timezone`` (naive ``when`` is already local)."""
    zone = ZoneInfo(timezone)
    if when is None:
        return dt.datetime.now(zone).date()
    if when.tzinfo is None:
        return when.date()
    return when.astimezone(zone).date()


def keep_video(store: Store, profile: str, video_path: Path, on: dt.date) -> str:
    """Copy a video the person asked to keep into their profile folder (0600, under a name no
    other kept file has, so two ``clip.mp4`` on one day stay two files); returns its file name."""
    return keep_file(store.profile_dir(profile), video_path, on)


def save_analysis(
    db_url: str | None,
    profile: str,
    report_dict: dict[str, Any],
    landmarks_npz: bytes | None,
    when: dt.datetime | None = None,
    *,
    variation: str | None = None,
    video_path: str | Path | None = None,
) -> int:
    """Save an analysis as a session of ``profile``; returns the new session's id.

    ``when`` (default now) gives the date in the profile's time zone. ``variation`` overrides the
    variation the analysis saw (needed when it is ``unknown``). ``video_path`` keeps a copy of the
    video; without it no video is stored. Refuses (storing nothing) a profile that has not
    consented or whose screening blocks training (:func:`check_may_store_sessions`).
    """
    with Store.open(db_url) as store:
        rung = parse_rung(variation) if variation else None
        path = Path(video_path) if video_path is not None else None
        return store_analysis(store, profile, report_dict, landmarks_npz, when, rung, path)


def store_analysis(
    store: Store,
    profile: str,
    report_dict: dict[str, Any],
    landmarks_npz: bytes | None,
    when: dt.datetime | None = None,
    rung: Rung | None = None,
    video_path: Path | None = None,
) -> int:
    """:func:`save_analysis` in an open ``store`` (the web app keeps one open)."""
    check_may_store_sessions(store, profile)
    on = local_date(when, store.get_profile(profile).timezone)
    new = session_from_report(report_dict, on, landmarks_npz, rung)
    if video_path is None:
        return store.add_session(profile, new)
    kept = keep_video(store, profile, video_path, on)
    try:
        return store.add_session(profile, dataclasses.replace(new, video_file=kept))
    except BaseException:
        (store.profile_dir(profile) / kept).unlink(missing_ok=True)  # no file without its row
        raise
