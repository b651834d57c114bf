"""How one web app instance runs: database, data folder, upload limit, who it serves.

The defaults of ``pushup-coach serve`` live in :mod:`pushup_coach.config` with every other
default; the command's options override them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pushup_coach.app.data import default_web_dir
from pushup_coach.config import (
    DEFAULT_CONFIG,
    DEFAULT_PROFILE,
    SERVE_HOST,
    SERVE_MAX_QUEUED_JOBS,
    SERVE_MAX_UPLOAD_MB,
    SERVE_PORT,
    AnalysisConfig,
)
from pushup_coach.pose import PoseBackend

DEFAULT_HOST = SERVE_HOST
DEFAULT_PORT = SERVE_PORT
DEFAULT_MAX_UPLOAD_MB = SERVE_MAX_UPLOAD_MB
DEFAULT_MAX_QUEUED_JOBS = SERVE_MAX_QUEUED_JOBS
LOCAL_HOSTS: tuple[str, ...] = ("127.0.0.1", "localhost", "[::1]", "::1")


@dataclass(frozen=True)
class WebSettings:
    """One app instance. ``backend_factory`` (tests: a ReplayBackend) replaces the pose model;
    ``run_jobs=False`` leaves queued analyses waiting (to test a restart). Without ``accounts``
    one local person (``profile``) uses the app with no sign-in."""

    db_url: str | None = None
    data_dir: Path | None = None  # default: <user data folder>/web
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    max_upload_mb: float = DEFAULT_MAX_UPLOAD_MB
    profile: str = DEFAULT_PROFILE
    job_workers: int = 1
    config: AnalysisConfig = DEFAULT_CONFIG
    backend_factory: Callable[[], PoseBackend] | None = None
    backend_name: str = "mediapipe"
    allowed_hosts: tuple[str, ...] = LOCAL_HOSTS
    run_jobs: bool = True
    accounts: bool = False  # a household or club install: sign-in, one profile per account
    max_queued_jobs: int = DEFAULT_MAX_QUEUED_JOBS
    queue_only: bool = False  # `serve --no-workers`: `pushup-coach worker` processes run jobs

    @property
    def max_upload_bytes(self) -> int:
        return int(self.max_upload_mb * 1024 * 1024)

    @property
    def root(self) -> Path:
        return self.data_dir or default_web_dir()

    @property
    def uploads_dir(self) -> Path:
        """Uploads wait here until analysed (then deleted unless the person keeps them)."""
        return self.root / "uploads"

    @property
    def jobs_dir(self) -> Path:
        """One folder per analysis: overlay video, HTML report, landmarks."""
        return self.root / "jobs"

    @property
    def cache_dir(self) -> Path:
        """Landmarks by clip content and pose settings, so a second upload skips the model."""
        return self.root / "landmark-cache"

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host and not self.host.startswith("[") else self.host
        return f"http://{host}:{self.port}/"
