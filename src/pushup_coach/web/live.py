"""``/live`` (coach from the browser's camera) and ``/ws/live`` (landmarks in, count and cue out).

The page poses the camera on the device (MediaPipe Tasks Vision, wasm, served from
``/static/live/vendor/``), so video never leaves it; it sends landmarks over the WebSocket and the
server counts and judges them with the same live coach as ``pushup-coach live``
(:mod:`pushup_coach.web.live_protocol`). A socket that drops mid-set can be resumed: the session
waits ``RESUME_S`` for the page to come back with its id. After Finish the page may ask to save the
session, which goes through the same storage gate as the CLI (consent, screening).
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import (
    APIRouter,
    Depends,
    Request,
    WebSocket,
    WebSocketDisconnect,
    WebSocketException,
)
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse

from pushup_coach.app.coaching import planned_rung
from pushup_coach.app.sessions import planned_rung_seen, save_report
from pushup_coach.coach.ladder import Rung
from pushup_coach.config import DEFAULT_PROFILE
from pushup_coach.errors import CoachError
from pushup_coach.storage.policy import check_may_store_sessions
from pushup_coach.storage.store import Store
from pushup_coach.web.deps import profile_of
from pushup_coach.web.live_protocol import (
    CLOSE_POLICY,
    BrowserSession,
    LiveMessageError,
    RateLimit,
    parse_frame,
    parse_message,
    warm_up,
)

RESUME_S = 300.0  # a dropped session waits this long for its page to reconnect
MAX_SESSIONS = 32  # live sessions kept at once (each holds its landmarks in memory)
# Only this origin's scripts, wasm and sockets: nothing the page loads or sends goes elsewhere.
CSP = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; "
    "img-src 'self' data: blob:; media-src 'self' blob: mediastream:; style-src 'self'; "
    "worker-src 'self' blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)

VENDOR_DIR = Path(__file__).parent / "static" / "live" / "vendor"
VENDORED = (  # what scripts/build_web_assets.py puts there, and the page cannot run without
    "tasks-vision/vision_bundle.mjs",
    "tasks-vision/vision_wasm_internal.js",
    "tasks-vision/vision_wasm_internal.wasm",
    "models/pose_landmarker_full.task",
)

router = APIRouter()


@dataclass(frozen=True)
class LiveOwner:
    """Whose live session this is and where a saved one goes (``db_url`` None = the default)."""

    profile: str
    db_url: str | None = None


def live_owner(websocket: WebSocket) -> LiveOwner:
    """The profile the socket's sessions belong to: ``app.state.live_owner`` (a callable taking
    the connection) when the app sets one, else the single local user's ``default`` profile. A
    connection the app will not serve (not signed in) is closed with the app's reason."""
    resolve: Callable[[WebSocket], LiveOwner] | None = getattr(
        websocket.app.state, "live_owner", None
    )
    if resolve is not None:
        try:
            return resolve(websocket)
        except CoachError as exc:  # e.g. not signed in (serve --accounts): say so, in the close
            raise WebSocketException(code=CLOSE_POLICY, reason=str(exc)[:120]) from exc
    return LiveOwner(profile=DEFAULT_PROFILE, db_url=getattr(websocket.app.state, "db_url", None))


@dataclass
class LiveSessions:
    """Open live sessions by id; expired ones (no frame for ``RESUME_S``) are forgotten.

    ``clock`` (seconds) times expiry and each session's rate limit.
    """

    clock: Callable[[], float] = time.monotonic
    open: dict[str, tuple[BrowserSession, float]] = field(default_factory=dict)

    def start(self, owner: LiveOwner, resume: Any) -> BrowserSession:
        """The session ``resume`` names (when ``owner``'s), or a new one."""
        now = self.clock()
        self.open = {k: v for k, v in self.open.items() if now - v[1] < RESUME_S}
        if resume is not None:
            found = self.open.get(resume) if isinstance(resume, str) else None
            if found is None or found[0].owner != owner.profile:
                raise LiveMessageError("no such live session to resume; start a new one")
            self.touch(found[0])
            return found[0]
        if len(self.open) >= MAX_SESSIONS:
            self._evict_finished()
        if len(self.open) >= MAX_SESSIONS:
            raise LiveMessageError("too many live sessions at once; try again in a few minutes")
        session = BrowserSession(
            session_id=secrets.token_urlsafe(16), owner=owner.profile, limit=RateLimit(self.clock)
        )
        self.open[session.session_id] = (session, now)
        return session

    def touch(self, session: BrowserSession) -> None:
        self.open[session.session_id] = (session, self.clock())

    def release(self, session: BrowserSession) -> None:
        """Forget ``session``: saved, or finished and its page gone; nothing is left to resume."""
        self.open.pop(session.session_id, None)

    def _evict_finished(self) -> None:
        """Make room by forgetting finished sessions, least recently used first: saved ones
        first, then finished ones still waiting for a save (only a session mid-set is kept)."""
        done = sorted(
            (session.saved_id is None, touched, key)
            for key, (session, touched) in self.open.items()
            if session.report is not None
        )
        for _, _, key in done[: len(self.open) - MAX_SESSIONS + 1]:
            del self.open[key]


def _sessions(websocket: WebSocket) -> LiveSessions:
    state = websocket.app.state
    if not hasattr(state, "live_sessions"):
        state.live_sessions = LiveSessions()
    sessions: LiveSessions = state.live_sessions
    return sessions


@router.get("/live", response_class=HTMLResponse, include_in_schema=False)
def live_page(request: Request) -> HTMLResponse:
    """The camera page (all its code and the pose model are served by this package). With
    accounts, a signed-out person is sent to sign in first (``LoginRequired``), before the page
    could start a camera whose socket would be refused."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(
        loader=PackageLoader("pushup_coach.web", "templates"), autoescape=select_autoescape()
    )
    if getattr(request.app.state, "settings", None) is not None:  # mounted by create_app
        profile_of(request)
    missing = [name for name in VENDORED if not (VENDOR_DIR / name).is_file()]
    html = env.get_template("live.html").render(static="/static/live", missing=missing)
    return HTMLResponse(html, headers={"Content-Security-Policy": CSP})


@router.websocket("/ws/live")
async def live_socket(
    websocket: WebSocket, owner: Annotated[LiveOwner, Depends(live_owner)]
) -> None:
    """Run one page's live session; close with a reason on any message that breaks the rules."""
    if not _same_origin(websocket):
        await websocket.close(code=1008, reason="cross-site WebSocket refused")
        return
    await websocket.accept()
    session: BrowserSession | None = None
    try:
        start = await _receive(websocket)
        if start.get("type") != "start":
            raise LiveMessageError("the first message must be start")
        session = _sessions(websocket).start(owner, start.get("resume"))
        if session.coach is None:  # a coached session checks the camera against the plan
            session.planned = await run_in_threadpool(_planned, websocket, owner)
        await run_in_threadpool(warm_up)
        await websocket.send_json(session.ready())
        await _serve(websocket, session, owner)
    except LiveMessageError as exc:
        await websocket.close(code=exc.code, reason=exc.reason[:120])
    except WebSocketDisconnect as closed:
        # A drop mid-set waits RESUME_S for the page to reconnect with its id; a finished
        # session whose page said goodbye (closed normally, or went away) has nothing to resume.
        if session is not None and session.report is not None and closed.code in (1000, 1001):
            _sessions(websocket).release(session)


async def _serve(websocket: WebSocket, session: BrowserSession, owner: LiveOwner) -> None:
    sessions = _sessions(websocket)
    while True:
        msg = await _receive(websocket)
        kind = msg["type"]
        if kind == "frame":
            reply = await run_in_threadpool(session.frame, parse_frame(msg))
            sessions.touch(session)
        elif kind == "finish":
            reply = await run_in_threadpool(session.finish)
            reply |= await run_in_threadpool(_may_save, websocket, owner)
        elif kind == "save":
            reply = await run_in_threadpool(_save, websocket, session, owner)
            if reply["type"] == "saved":  # a second click answers from this socket's session
                sessions.release(session)
        else:
            raise LiveMessageError("start is only the first message")
        await websocket.send_json(reply)


async def _receive(websocket: WebSocket) -> dict[str, Any]:
    message = await websocket.receive()
    if message["type"] == "websocket.disconnect":
        raise WebSocketDisconnect(message.get("code", 1000))
    return parse_message(message.get("text"))


def _same_origin(websocket: WebSocket) -> bool:
    """A browser always sends Origin on a WebSocket; it must be this server (no cross-site
    page may drive a person's session). Clients that are not browsers send none."""
    origin = websocket.headers.get("origin")
    if origin is None:
        return True
    return urlsplit(origin).netloc == websocket.headers.get("host")


@contextmanager
def _store(websocket: WebSocket, owner: LiveOwner) -> Iterator[Store]:
    """The app's open Store when it has one, else one opened on ``owner.db_url``."""
    shared: Store | None = getattr(websocket.app.state, "store", None)
    if shared is not None:
        yield shared
        return
    with Store.open(owner.db_url) as store:
        yield store


def _planned(websocket: WebSocket, owner: LiveOwner) -> Rung | None:
    """The rung ``owner``'s plan asks for next (None without a database to ask, or a plan)."""
    if getattr(websocket.app.state, "store", None) is None and owner.db_url is None:
        return None  # a bare router (tests): never open the default data folder for this
    with _store(websocket, owner) as store:
        return planned_rung(store, owner.profile)


def _may_save(websocket: WebSocket, owner: LiveOwner) -> dict[str, Any]:
    """Whether the storage gate lets ``owner`` keep a session, and if not why (one line)."""
    try:
        with _store(websocket, owner) as store:
            check_may_store_sessions(store, owner.profile)
    except CoachError as exc:
        return {"may_save": False, "why_not": str(exc)}
    return {"may_save": True, "why_not": None}


def _save(websocket: WebSocket, session: BrowserSession, owner: LiveOwner) -> dict[str, Any]:
    """Save the finished session like an analysed video: the same application-layer call, so the
    same consent and screening gate and the same report layout (``SessionReport.to_dict()``)."""
    if session.report is None:
        raise LiveMessageError("finish the session before saving it")
    if session.saved_id is None:
        try:
            with _store(websocket, owner) as store:
                report = session.report.to_dict()
                session.saved_id = save_report(
                    store,
                    owner.profile,
                    report,
                    session.landmarks_npz(),
                    rung=planned_rung_seen(report, session.planned),
                )
        except CoachError as exc:
            return {"type": "error", "message": str(exc)}
    return {"type": "saved", "session_id": session.saved_id}
