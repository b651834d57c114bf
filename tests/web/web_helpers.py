"""Helpers the web tests share (a module of its own: every test folder has a ``conftest``)."""

from __future__ import annotations

import functools
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
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


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@contextmanager
def running_server(settings: WebSettings, timeout_s: float = 60.0, **options: Any) -> Iterator[str]:
    """The whole app under uvicorn on ``settings.port`` (127.0.0.1); yields its base URL.
    ``options`` go to ``uvicorn.Config`` (``ssl_certfile``/``ssl_keyfile``: served over https)."""
    import uvicorn

    from pushup_coach.web.app import create_app

    config = uvicorn.Config(
        create_app(settings), host="127.0.0.1", port=settings.port, log_level="warning", **options
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout_s
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        scheme = "https" if options.get("ssl_certfile") else "http"
        yield f"{scheme}://127.0.0.1:{settings.port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
