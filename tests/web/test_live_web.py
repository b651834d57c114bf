"""/live and /ws/live without a browser: the protocol, its checks, resume after a drop, saving.

The router is mounted on a tiny FastAPI app of its own, so these tests need nothing else of the
web app. Frames are synthetic side-view push-ups (3 clean reps) posed at 15 a second, as the
page sends them; the count and verdicts must be exactly those of ``run_live`` over the same rows.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any, cast
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from builders import rep_keyframes
from front_builder import front_series
from pushup_coach.coach.ladder import Rung
from pushup_coach.live import LiveSource, run_live
from pushup_coach.pose import ReplayBackend
from pushup_coach.storage import BaselineInfo
from pushup_coach.storage.store import Store
from pushup_coach.types import Frame, PoseSeries
from pushup_coach.web import live
from pushup_coach.web.deps import LoginRequired
from pushup_coach.web.live import LiveOwner, LiveSessions, router
from pushup_coach.web.live_protocol import (
    BURST_FRAMES,
    MAX_FRAMES_PER_S,
    LiveMessageError,
    RateLimit,
)
from synthetic_pushups import SIZE_WH, pushup_series

RATE_HZ = 15


def posed_at_15hz(series: PoseSeries) -> PoseSeries:
    """Every second frame of a 30 fps series: what the page sends at its 15 poses a second."""
    return PoseSeries(series.t_s[::2], series.landmarks[::2], series.size_wh, source="synthetic")


@pytest.fixture(scope="module")
def posed() -> PoseSeries:
    return posed_at_15hz(pushup_series(reps=3))


class FakeClock:
    """Seconds that move only by ``step_s`` a reading: frames sent as fast as a test can send
    them look like frames arriving ``1 / step_s`` a second to the rate limit."""

    def __init__(self, step_s: float = 0.0) -> None:
        self.now_s = 100.0
        self.step_s = step_s

    def __call__(self) -> float:
        self.now_s += self.step_s
        return self.now_s


def live_app(db_url: str | None = None, clock: FakeClock | None = None) -> FastAPI:
    app = FastAPI()
    app.include_router(router)
    app.state.db_url = db_url
    app.state.live_sessions = LiveSessions(clock=clock or FakeClock(1 / RATE_HZ))
    return app


def frame(t_s: float, row: np.ndarray | None, size_wh: tuple[int, int] = SIZE_WH) -> dict:
    landmarks = None if row is None else row.tolist()
    return {"type": "frame", "t_s": t_s, "t_sent": 1000 * t_s, "size_wh": list(size_wh),
            "landmarks": landmarks}  # fmt: skip


def start(ws: Any, resume: str | None = None) -> dict:
    ws.send_json({"type": "start", "resume": resume})
    ready = ws.receive_json()
    assert ready["type"] == "ready"
    return ready


def send_frames(ws: Any, series: PoseSeries, lo: int = 0, hi: int | None = None) -> list[dict]:
    replies = []
    for t_s, row in zip(series.t_s[lo:hi], series.landmarks[lo:hi], strict=True):
        ws.send_json(frame(float(t_s), row))
        replies.append(ws.receive_json())
    return replies


def finish(ws: Any) -> dict:
    ws.send_json({"type": "finish"})
    return ws.receive_json()


def test_a_session_counts_and_judges_as_pushup_coach_live_does(posed: PoseSeries) -> None:
    frames = [Frame(i, float(t), np.zeros((2, 2, 3), np.uint8)) for i, t in enumerate(posed.t_s)]
    cli = run_live(LiveSource(frames=frames, fps=RATE_HZ), ReplayBackend(posed)).report
    with TestClient(live_app()) as client, client.websocket_connect("/ws/live") as ws:
        assert start(ws)["pose_rate_hz"] == RATE_HZ
        updates = send_frames(ws, posed)
        summary = finish(ws)
    assert [u["t_sent"] for u in updates] == [1000 * float(t) for t in posed.t_s]
    judged = [(u["rep"], u["verdict"], u["cue"]) for u in updates if u["rep"] is not None]
    assert judged == [(1, "clean", "Good rep"), (2, "clean", None)]  # the cue is not repeated
    assert max(u["rep_count"] for u in updates) == 3
    assert (summary["reps"], summary["clean"], summary["not_checked"]) == (3, 3, 0)
    assert (summary["reps"], summary["clean"]) == (cli.rep_count, cli.clean_rep_count)
    assert (summary["view"], summary["variation"], summary["faults"]) == ("side", "full", {})


def test_a_dropped_socket_resumes_the_same_session(posed: PoseSeries) -> None:
    half = len(posed) // 2
    with TestClient(live_app()) as client:
        with client.websocket_connect("/ws/live") as ws:
            session_id = start(ws)["session_id"]
            before = send_frames(ws, posed, 0, half)
        with client.websocket_connect("/ws/live") as ws:
            ready = start(ws, resume=session_id)
            send_frames(ws, posed, half)
            summary = finish(ws)
    assert ready["session_id"] == session_id
    assert ready["rep_count"] == before[-1]["rep_count"] > 0
    assert (summary["reps"], summary["clean"]) == (3, 3)


def test_another_profile_cannot_resume_a_session(posed: PoseSeries) -> None:
    app = live_app()
    app.state.live_owner = lambda ws: LiveOwner(profile=ws.headers["x-profile"])
    with TestClient(app) as client:
        with client.websocket_connect("/ws/live", headers={"x-profile": "ana"}) as ws:
            session_id = start(ws)["session_id"]
            send_frames(ws, posed, 0, 10)
        with client.websocket_connect("/ws/live", headers={"x-profile": "ben"}) as ws:
            ws.send_json({"type": "start", "resume": session_id})
            with pytest.raises(WebSocketDisconnect) as closed:
                ws.receive_json()
    assert (closed.value.code, closed.value.reason) == (
        1008,
        "no such live session to resume; start a new one",
    )


def test_a_socket_the_app_will_not_serve_is_closed_with_its_reason() -> None:
    def signed_out(ws: Any) -> LiveOwner:
        raise LoginRequired("sign in first")

    app = live_app()
    app.state.live_owner = signed_out
    with TestClient(app) as client, pytest.raises(WebSocketDisconnect) as closed:  # noqa: SIM117
        with client.websocket_connect("/ws/live"):
            pass
    assert (closed.value.code, closed.value.reason) == (1008, "sign in first")


def test_a_cross_site_page_cannot_open_the_socket() -> None:
    with TestClient(live_app()) as client:
        with client.websocket_connect("/ws/live", headers={"origin": "http://testserver"}) as ws:
            start(ws)
        with pytest.raises(WebSocketDisconnect) as closed:  # noqa: SIM117
            with client.websocket_connect("/ws/live", headers={"origin": "https://evil.example"}):
                pass
    assert (closed.value.code, closed.value.reason) == (1008, "cross-site WebSocket refused")


ROW = np.full((33, 4), 0.5)
GOOD = json.dumps(frame(1.0, ROW))


def bad_frame(**changes: Any) -> str:
    return json.dumps(frame(2.0, ROW) | changes)


def with_landmark(point: int, value: list[float]) -> str:
    rows = ROW.tolist()
    rows[point] = value
    return bad_frame(landmarks=rows)


SHAPE = "landmarks must be 33 x [x, y, z, visibility]"
RESIZED = "the camera picture changed size; start a new session"
TOO_LONG = "session over 30 minutes: finish it and start another"
BAD_MESSAGES = [
    # (messages after start, close code, reason)
    (["not json"], 1008, "message is not JSON"),
    (['{"type": "dance"}'], 1008, "message needs a type: start, frame, finish or save"),
    (["[1, 2]"], 1008, "message needs a type: start, frame, finish or save"),
    (["x" * 20_000], 1009, "message over 16384 characters"),
    ([b"\x00\x01"], 1008, "send JSON text messages, not binary"),
    (['{"type": "start"}'], 1008, "start is only the first message"),
    (['{"type": "save"}'], 1008, "finish the session before saving it"),
    (['{"type": "finish"}'], 1008, "no frames arrived: nothing to sum up"),
    ([bad_frame(t_s="2.0")], 1008, "t_s must be a number"),
    ([bad_frame(t_s=True)], 1008, "t_s must be a number"),
    ([bad_frame(t_s=-1)], 1008, "t_s out of range [0, 1e+07]"),
    ([bad_frame(t_sent=None)], 1008, "t_sent must be a number"),
    ([bad_frame(size_wh=[640])], 1008, "size_wh must be [width, height]"),
    ([bad_frame(size_wh=[0, 360])], 1008, "size_wh out of range [16, 8192]"),
    ([bad_frame(landmarks=ROW[:32].tolist())], 1008, SHAPE),
    ([with_landmark(5, [0.5, 0.5, 0.0])], 1008, SHAPE),
    ([with_landmark(5, [0.5, "a", 0.0, 1.0])], 1008, "landmarks must hold numbers only"),
    ([with_landmark(5, [0.5, float("nan"), 0.0, 1.0])], 1008, "landmarks must be finite numbers"),
    ([with_landmark(5, [0.5, 2.5, 0.0, 1.0])], 1008, "landmark x, y out of range [-1.0, 2.0]"),
    ([with_landmark(5, [0.5, 0.5, 0.0, 1.5])], 1008, "landmark z or visibility out of range"),
    ([GOOD, GOOD], 1008, "t_s must increase from frame to frame"),
    ([GOOD, bad_frame(size_wh=[360, 640])], 1008, RESIZED),
    ([GOOD, bad_frame(t_s=1.0 + 31 * 60)], 1008, TOO_LONG),
]  # fmt: skip


@pytest.mark.parametrize(("messages", "code", "reason"), BAD_MESSAGES)
def test_a_bad_message_closes_the_socket_with_its_reason(
    messages: list[str | bytes], code: int, reason: str
) -> None:
    with TestClient(live_app()) as client, client.websocket_connect("/ws/live") as ws:
        start(ws)
        with pytest.raises(WebSocketDisconnect) as closed:
            for message in messages:
                ws.send_bytes(message) if isinstance(message, bytes) else ws.send_text(message)
            while True:
                assert ws.receive_json()["type"] == "update"  # replies to the good frames
    assert (closed.value.code, closed.value.reason) == (code, reason)


@pytest.mark.parametrize(
    ("first", "reason"),
    [
        (GOOD, "the first message must be start"),
        ('{"type": "start", "resume": "nope"}', "no such live session to resume; start a new one"),
        ('{"type": "start", "resume": 7}', "no such live session to resume; start a new one"),
    ],
)
def test_a_socket_must_start_or_resume_a_known_session(first: str, reason: str) -> None:
    with TestClient(live_app()) as client, client.websocket_connect("/ws/live") as ws:
        ws.send_text(first)
        with pytest.raises(WebSocketDisconnect) as closed:
            ws.receive_json()
    assert (closed.value.code, closed.value.reason) == (1008, reason)


def test_the_rate_limit_allows_a_burst_then_the_sustained_rate() -> None:
    clock = FakeClock()
    limit = RateLimit(clock=clock)
    for _ in range(BURST_FRAMES):
        limit.take()
    with pytest.raises(LiveMessageError, match="more than 60 frames a second"):
        limit.take()
    clock.now_s += 1.0
    for _ in range(int(MAX_FRAMES_PER_S)):
        limit.take()
    with pytest.raises(LiveMessageError):
        limit.take()


def test_frames_faster_than_the_limit_close_the_socket(posed: PoseSeries) -> None:
    app = live_app(clock=FakeClock(0.0))
    with TestClient(app) as client, client.websocket_connect("/ws/live") as ws:
        start(ws)
        send_frames(ws, posed, 0, BURST_FRAMES)
        ws.send_json(frame(float(posed.t_s[BURST_FRAMES]), posed.landmarks[BURST_FRAMES]))
        with pytest.raises(WebSocketDisconnect) as closed:
            ws.receive_json()
    assert (closed.value.code, closed.value.reason) == (1008, "more than 60 frames a second")


def test_sessions_expire_and_are_capped() -> None:
    clock = FakeClock()
    sessions = LiveSessions(clock=clock)
    first = sessions.start(LiveOwner("ana"), None)
    assert sessions.start(LiveOwner("ana"), first.session_id) is first
    clock.now_s += 301.0
    with pytest.raises(LiveMessageError, match="no such live session"):
        sessions.start(LiveOwner("ana"), first.session_id)
    for _ in range(32):
        sessions.start(LiveOwner("ana"), None)
    with pytest.raises(LiveMessageError, match="too many live sessions at once"):
        sessions.start(LiveOwner("ana"), None)


def test_a_full_house_makes_room_by_forgetting_finished_sessions_first() -> None:
    """Finished sessions (saved first, then the oldest) give up their places; a session
    mid-set never does, and only a house of those is refused."""
    clock = FakeClock()
    sessions = LiveSessions(clock=clock)
    started = [sessions.start(LiveOwner("ana"), None) for _ in range(32)]
    finished, saved = started[3], started[7]
    for done in (finished, saved):
        done.report = cast(Any, object())  # finish() needs frames; only "finished" matters here
    saved.saved_id = 1
    newer = sessions.start(LiveOwner("ana"), None)
    assert saved.session_id not in sessions.open and finished.session_id in sessions.open
    sessions.start(LiveOwner("ana"), None)
    assert finished.session_id not in sessions.open
    assert all(s.session_id in sessions.open for s in [*started[:3], newer])
    with pytest.raises(LiveMessageError, match="too many live sessions at once"):
        sessions.start(LiveOwner("ana"), None)


def test_a_saved_session_gives_up_its_place(posed: PoseSeries, db_url: str) -> None:
    screened_profile(db_url, "default")
    app = live_app(db_url)
    with TestClient(app) as client:
        with client.websocket_connect("/ws/live") as ws:
            session_id = start(ws)["session_id"]
            send_frames(ws, posed)
            finish(ws)
            ws.send_json({"type": "save"})
            assert ws.receive_json()["type"] == "saved"
        assert session_id not in app.state.live_sessions.open
        with client.websocket_connect("/ws/live") as ws:
            ws.send_json({"type": "start", "resume": session_id})
            with pytest.raises(WebSocketDisconnect) as closed:
                ws.receive_json()
    assert closed.value.reason == "no such live session to resume; start a new one"


def test_a_finished_session_whose_page_left_gives_up_its_place(posed: PoseSeries) -> None:
    app = live_app()
    with TestClient(app) as client:
        with client.websocket_connect("/ws/live") as ws:
            dropped = start(ws)["session_id"]
            send_frames(ws, posed, 0, 5)
        with client.websocket_connect("/ws/live") as ws:
            left = start(ws)["session_id"]
            send_frames(ws, posed)
            finish(ws)
        open_ids = set(app.state.live_sessions.open)
    assert dropped in open_ids  # mid-set: waits for its page to come back
    assert left not in open_ids


def screened_profile(db_url: str, name: str) -> None:
    with Store.open(db_url) as store:
        store.create_profile(name, "Europe/Berlin", "mon,wed,fri", dt.datetime(2026, 3, 1, 8, 0))
        store.add_screening(name, {}, "clear", dt.datetime(2026, 3, 1, 8, 5))


@pytest.fixture
def db_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("PUSHUP_COACH_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("PUSHUP_COACH_DB", raising=False)
    return f"sqlite:///{tmp_path / 'live.db'}"


def test_a_finished_session_is_saved_through_the_storage_gate(
    posed: PoseSeries, db_url: str
) -> None:
    screened_profile(db_url, "default")
    with TestClient(live_app(db_url)) as client, client.websocket_connect("/ws/live") as ws:
        start(ws)
        send_frames(ws, posed)
        summary = finish(ws)
        ws.send_json({"type": "save"})
        saved = ws.receive_json()
        ws.send_json({"type": "save"})  # a double click saves once
        again = ws.receive_json()
    assert (summary["may_save"], summary["why_not"]) == (True, None)
    assert saved["type"] == "saved" and again == saved
    with Store.open(db_url) as store:
        sessions = store.sessions("default")
    assert [(s.id, s.all_reps, s.clean_reps, s.has_landmarks) for s in sessions] == [
        (saved["session_id"], (3,), (3,), True)
    ]
    report = sessions[0].report
    assert report is not None
    assert (report["source"]["path"], report["extra"]["live"]["frames_processed"]) == (
        "browser camera",
        len(posed),
    )


def test_a_profile_the_gate_refuses_stores_nothing(posed: PoseSeries, db_url: str) -> None:
    with TestClient(live_app(db_url)) as client, client.websocket_connect("/ws/live") as ws:
        start(ws)
        send_frames(ws, posed)
        summary = finish(ws)
        ws.send_json({"type": "save"})
        refused = ws.receive_json()
    why = "no profile 'default'; create it with `pushup-coach screen --profile default`"
    assert (summary["may_save"], summary["why_not"]) == (False, why)
    assert refused == {"type": "error", "message": why}
    with Store.open(db_url) as store:
        assert store.profile_names() == []


def test_the_page_loads_nothing_from_elsewhere() -> None:
    with TestClient(live_app()) as client:
        page = client.get("/live")
    assert page.status_code == 200
    csp = page.headers["content-security-policy"]
    assert "connect-src 'self'" in csp and "default-src 'self'" in csp
    links = re.findall(r'(?:src|href)="([^"]*)"', page.text)
    assert links and all(link.startswith(("/", "data:")) for link in links), links


def test_the_page_says_how_to_build_missing_assets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(live, "VENDOR_DIR", tmp_path)
    with TestClient(live_app()) as client:
        page = client.get("/live")
    assert "python scripts/build_web_assets.py" in page.text
    assert "models/pose_landmarker_full.task" in page.text
    assert "live.js" not in page.text  # nothing that would fail to load


def test_a_coached_session_uses_the_plan_where_the_camera_cannot_tell(db_url: str) -> None:
    screened_profile(db_url, "default")
    today_berlin = dt.datetime.now(ZoneInfo("Europe/Berlin")).date()  # no long break since
    with Store.open(db_url) as store:
        store.add_baseline(
            "default",
            BaselineInfo(today_berlin, Rung.KNEE, 9, Rung.KNEE, "manual", "test"),
        )
    hidden = posed_at_15hz(front_series(rep_keyframes(3, bottom_deg=60.0), leg_visibility=0.1))
    with TestClient(live_app(db_url)) as client, client.websocket_connect("/ws/live") as ws:
        start(ws)
        for t_s, row in zip(hidden.t_s, hidden.landmarks, strict=True):
            ws.send_json(frame(float(t_s), row, hidden.size_wh))
            ws.receive_json()
        summary = finish(ws)
        ws.send_json({"type": "save"})
        saved = ws.receive_json()
    assert (summary["reps"], summary["variation"]) == (3, "knee")
    with Store.open(db_url) as store:
        (session,) = store.sessions("default")
    assert session.id == saved["session_id"]
    assert session.rung is Rung.KNEE
    assert session.report is not None
    assert any("so the planned one, knee, was used" in w for w in session.report["warnings"])
