"""An upload whose connection drops half-way, against the real server: the part already written
is deleted, and no job is made."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import httpx
import pytest
from web_helpers import free_port, make_settings, running_server

from pushup_coach.types import PoseSeries

BOUNDARY = "b0undary"
WAIT_S = 30.0


def wait_for(condition: object, what: str) -> None:
    deadline = time.monotonic() + WAIT_S
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def test_a_dropped_upload_leaves_no_file_and_no_job(
    tmp_path: Path, series: PoseSeries, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PUSHUP_COACH_HOME", str(tmp_path / "home"))
    settings = make_settings(tmp_path, series, port=free_port(), allowed_hosts=("127.0.0.1",))
    folder = settings.uploads_dir
    head = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="video"; filename="a.mp4"\r\n'
        "Content-Type: video/mp4\r\n\r\n"
    ).encode()
    with running_server(settings) as base:
        sock = socket.create_connection(("127.0.0.1", settings.port))
        sock.sendall(
            b"POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: multipart/form-data; boundary=" + BOUNDARY.encode() + b"\r\n"
            b"Content-Length: 50000000\r\n\r\n" + head + b"\0" * 300_000
        )
        wait_for(lambda: folder.is_dir() and any(folder.iterdir()), "the upload to reach disk")
        sock.close()  # half-way through the 50 MB it announced
        wait_for(lambda: not any(folder.iterdir()), "the partial upload to be deleted")
        assert httpx.get(f"{base}/jobs.json").json() == {"jobs": []}
