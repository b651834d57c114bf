"""Simulated people for ``benchmarks/load.py`` (loopback only): each uploads a small synthetic clip
now and then, follows its analysis (the JSON the progress page polls, the result page, the list),
and sometimes coaches a live set over the WebSocket, sending synthetic landmark frames.

Set by the driver: ``LOAD_CLIP`` (the clip to upload), ``LOAD_FRAMES`` (a JSON list of landmark
frames, 33 x [x, y, z, visibility]), ``LOAD_SIZE_WH``. A 503 "busy, try again" with Retry-After is
back-pressure working, counted apart (``/upload [busy]``), not as an error; so is a live socket
closed with "too many live sessions" (``live session [busy]``).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import websocket  # websocket-client, installed with locust
from locust import HttpUser, between, events, task

JSON_ACCEPT = {"accept": "application/json"}
CLIP = Path(os.environ.get("LOAD_CLIP", "clip.mp4"))
FRAMES: list[Any] = json.loads(Path(os.environ.get("LOAD_FRAMES", "frames.json")).read_text())
SIZE_WH = json.loads(os.environ.get("LOAD_SIZE_WH", "[640, 360]"))
BUSY = "too many live sessions"  # web.live's answer when MAX_SESSIONS are open
LIVE_HZ = 15.0  # what the page sends: it poses about 15 frames a second


class Person(HttpUser):
    wait_time = between(1.0, 3.0)

    def on_start(self) -> None:
        host = self.host or ""
        if urlsplit(host).hostname != "127.0.0.1":
            raise SystemExit(f"refusing to load {host}: loopback (127.0.0.1) only")
        self.jobs: list[int] = []
        self.clip = CLIP.read_bytes()
        if os.environ.get("LOAD_NO_KEEPALIVE"):  # a new connection per request (for comparison)
            self.client.headers["Connection"] = "close"

    @task(1)
    def upload(self) -> None:
        files = {"video": ("set.mp4", self.clip, "video/mp4")}
        with self.client.post(
            "/upload", files=files, headers=JSON_ACCEPT, catch_response=True, name="/upload"
        ) as answer:
            if answer.status_code == 201:
                self.jobs.append(int(answer.json()["job"]))
                answer.success()
            elif answer.status_code == 503 and answer.headers.get("retry-after"):
                answer.success()
                events.request.fire(
                    request_type="POST",
                    name="/upload [busy]",
                    response_time=answer.elapsed.total_seconds() * 1000,
                    response_length=0,
                    exception=None,
                    context={},
                )
            else:
                answer.failure(f"{answer.status_code}: {answer.text[:200]}")

    @task(6)
    def result_pages(self) -> None:
        if not self.jobs:
            self.client.get("/jobs", name="/jobs")
            return
        job = self.jobs[-1]
        self.client.get(f"/jobs/{job}.json", name="/jobs/[id].json")
        self.client.get(f"/jobs/{job}", name="/jobs/[id]")

    @task(1)
    def live_set(self) -> None:
        host = urlsplit(self.host or "")
        started = time.perf_counter()
        error: Exception | None = None
        name = "live session (45 frames at 15 Hz)"
        try:
            self._live(f"ws://{host.netloc}/ws/live", f"http://{host.netloc}")
        except Refused as exc:
            if BUSY not in exc.reason:
                error = exc
            name = "live session [busy]"  # the server's cap on live sessions: back-pressure
        except Exception as exc:  # recorded as a failure of the session, not raised
            error = exc
        events.request.fire(
            request_type="WS",
            name=name,
            response_time=(time.perf_counter() - started) * 1000,
            response_length=0,
            exception=error,
            context={},
        )

    def _live(self, url: str, origin: str) -> None:
        ws = websocket.create_connection(url, origin=origin, timeout=30)
        try:
            ws.send(json.dumps({"type": "start", "resume": None}))
            _expect(ws, "ready")
            t0 = 0.0  # the camera clock of this session
            for i, landmarks in enumerate(FRAMES):
                sent = time.perf_counter()
                frame = {"type": "frame", "t_s": t0 + i / LIVE_HZ, "t_sent": 0, "size_wh": SIZE_WH}
                ws.send(json.dumps(frame | {"landmarks": landmarks}))
                _expect(ws, "update")
                events.request.fire(
                    request_type="WS",
                    name="live frame -> update",
                    response_time=(time.perf_counter() - sent) * 1000,
                    response_length=0,
                    exception=None,
                    context={},
                )
                time.sleep(max(0.0, 1 / LIVE_HZ - (time.perf_counter() - sent)))
            ws.send(json.dumps({"type": "finish"}))
            _expect(ws, "summary")
        finally:
            ws.close()


class Refused(Exception):
    """The server closed the live socket, with this code and reason."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(f"closed {code}: {reason}")
        self.code, self.reason = code, reason


def _expect(ws: Any, kind: str) -> dict[str, Any]:
    opcode, data = ws.recv_data(control_frame=True)
    if opcode == websocket.ABNF.OPCODE_CLOSE:
        code = int.from_bytes(data[:2], "big") if len(data) >= 2 else 1005
        raise Refused(code, data[2:].decode("utf-8", "replace"))
    reply: dict[str, Any] = json.loads(data)
    if reply.get("type") != kind:
        raise RuntimeError(f"expected {kind!r}, got {str(reply)[:200]}")
    return reply
