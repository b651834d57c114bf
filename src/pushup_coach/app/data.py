"""The person's data rights: consent (give, withdraw), export, import and erasure.

Erasure (``forget``, or withdrawing consent) removes the profile, everything stored about it, its
kept files, the web app's analyses of its uploads (their rows and result files) and its web
account with every sign-in, so nothing about the person is left behind whichever face they used.
"""

from __future__ import annotations

import io
import json
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pushup_coach.coach.plan import DEFAULT_DAYS
from pushup_coach.config import user_data_dir
from pushup_coach.storage import Store, import_profile, read_export, write_export
from pushup_coach.storage.accounts import delete_account
from pushup_coach.storage.jobs import delete_jobs, list_jobs
from pushup_coach.storage.private import private_dir, write_private_text
from pushup_coach.storage.records import ConsentInfo

ANALYSES_NAME = "analyses.json"


def default_web_dir() -> Path:
    """Where ``serve`` keeps uploads, analysis results and the landmark cache by default."""
    return user_data_dir() / "web"


def give_consent(store: Store, profile: str, zone: str) -> ConsentInfo:
    """Record that the person agreed to the privacy policy (creating the profile, in ``zone``,
    the first time); an existing consent is returned as it is."""
    given = store.consent(profile)
    if given is not None:
        return given
    if store.has_profile(profile):
        return store.give_consent(profile)
    store.create_profile(profile, zone, DEFAULT_DAYS)
    given = store.consent(profile)
    assert given is not None  # create_profile records it
    return given


def forget(
    store: Store, profile: str, jobs_dir: Path | None = None, cache_dir: Path | None = None
) -> dict[str, Any]:
    """Erase everything about ``profile`` (see the module docstring); returns what was erased.

    ``jobs_dir`` holds one folder per web analysis (``jobs_dir/<id>``; default: ``serve``'s
    default folder); with no profile but some analyses, only those go. ``cache_dir`` (landmarks
    by clip content, not by person; default: ``serve``'s) is emptied whole: its entries cannot be
    told apart by person, and losing them only costs a re-pose.
    """
    jobs_dir = jobs_dir or default_web_dir() / "jobs"
    cache_dir = cache_dir or default_web_dir() / "landmark-cache"
    # The web app's parts go first and the profile last, so an erasure stopped part-way leaves
    # the profile there for a second run to find and finish.
    account = delete_account(store, profile)  # and with it every sign-in
    job_ids = delete_jobs(store, profile)
    for job_id in job_ids:
        shutil.rmtree(jobs_dir / str(job_id), ignore_errors=True)
    shutil.rmtree(cache_dir, ignore_errors=True)
    if store.has_data(profile):
        counts = store.forget(profile)
    else:
        counts = {"sessions": 0, "screenings": 0, "baselines": 0, "corrections": 0}
    counts["analyses"] = len(job_ids)
    counts["account"] = account
    return counts


def export_folder(
    store: Store, profile: str, folder: Path, *, missing_ok: bool = False
) -> list[Path]:
    """Write everything stored about ``profile`` into ``folder`` (made 0700, files 0600); returns
    the files written: what :func:`~pushup_coach.storage.write_export` writes (profile.json, one
    CSV per table, kept files; when the profile exists) and ``analyses.json``, the web app's
    analyses of the person's uploads. A profile with neither is an error (a mistyped name)
    unless ``missing_ok`` (a web account that has stored nothing yet)."""
    analyses = [job.to_dict() for job in list_jobs(store, profile)]
    has_profile = store.has_profile(profile)
    if not has_profile and not analyses and not missing_ok:
        store.get_profile(profile)  # says the profile does not exist and how to list them
    written = write_export(store, profile, folder) if has_profile else []
    private_dir(folder)
    written.append(write_private_text(folder / ANALYSES_NAME, json.dumps(analyses, indent=2)))
    return written


def export_zip(store: Store, profile: str) -> bytes:
    """:func:`export_folder`'s files as the bytes of a zip (one folder, pushup-coach-<profile>)."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / f"pushup-coach-{profile}"
        export_folder(store, profile, folder, missing_ok=True)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    archive.write(path, path.relative_to(folder.parent))
        return buffer.getvalue()


@dataclass(frozen=True)
class Imported:
    """What an import restored."""

    profile: str
    sessions: int


def import_folder(store: Store, folder: Path, *, consent_now: bool = False) -> Imported:
    """Restore a profile from an export folder (or its profile.json), all or nothing, with its
    consent record (or, with ``consent_now``, the person's agreement given now)."""
    data = read_export(folder)
    name = import_profile(
        store, data, folder if folder.is_dir() else folder.parent, consent_now=consent_now
    )
    return Imported(name, len(data["sessions"]))
