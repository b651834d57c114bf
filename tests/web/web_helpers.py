"""Helpers the web tests share (a module of its own: every test folder has a ``conftest``)."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from pushup_coach.pose import ReplayBackend
from pushup_coach.types import PoseSeries
from pushup_coach.web.settings import WebSettings

REPS = 3  # in the synthetic clip
JSON = {"accept": "application/json"}


def make_settings(tmp_path: Path, series: PoseSeries, **changes: object) -> WebSettings:
    """An app on ``tmp_path`` whose analyses replay ``series`` instead of running the model."""
    values: dict[str, object] = {
        "db_url": f"sqlite:///{tmp_path / 'web.db'}",
        "data_dir": tmp_path / "web",
        "backend_factory": functools.partial(ReplayBackend, series),
        "backend_name": "replay",
        "allowed_hosts": ("testserver",),
    }
    values.update(changes)
    return WebSettings(**values)  # type: ignore[arg-type]


def upload(
    client: TestClient, clip: Path, *, name: str = "set.mp4", token: str = "t1", keep: bool = False
) -> dict[str, Any]:
    """Upload ``clip``, wait for its analysis, and return the job's JSON."""
    data = {"token": token, **({"keep": "on"} if keep else {})}
    files = {"video": (name, clip.read_bytes(), "video/mp4")}
    response = client.post("/upload", files=files, data=data, headers=JSON)
    assert response.status_code == 201, response.text
    client.app.state.runner.join()  # type: ignore[attr-defined]
    job: dict[str, Any] = client.get(f"/jobs/{response.json()['job']}.json").json()
    return job
