"""The web app: ``create_app(WebSettings)`` -> FastAPI, served by ``pushup-coach serve``.

Server-rendered pages (Jinja2) with JSON twins, the package's own CSS and JS under ``/static``
(nothing from the internet), analyses as database-backed jobs on worker threads, and the live
coaching router (``web.live``) when it is installed. One Store is opened for the app's lifetime.

Safety of a local server: only the listed host names are answered (a web page elsewhere cannot
reach it by DNS rebinding), a form posted from another origin is refused, and every page carries a
Content-Security-Policy allowing this origin only. Without accounts there are no cookies at all;
with ``accounts`` (``web.auth``) one session cookie, and every unsafe request carries the
session's CSRF token (``web.deps.check_csrf``).
"""

from __future__ import annotations

import importlib.util
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import urlsplit

from fastapi import Depends, FastAPI, Request
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.middleware.trustedhost import TrustedHostMiddleware

from pushup_coach.app.accounts import LoginLimiter
from pushup_coach.errors import CoachError
from pushup_coach.storage import Store
from pushup_coach.web.deps import LoginRequired, check_csrf, profile_of
from pushup_coach.web.jobs import JobRunner
from pushup_coach.web.pages import error_response, wants_json
from pushup_coach.web.settings import WebSettings

STATIC_DIR = Path(__file__).with_name("static")
LIVE_MODULE = "pushup_coach.web.live"
CSP = (
    "default-src 'self'; img-src 'self' data:; media-src 'self'; style-src 'self' "
    "'unsafe-inline'; script-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'self'; form-action 'self'"
)
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def create_app(settings: WebSettings) -> FastAPI:
    """A new app for ``settings``; the database is opened (and migrated) when it starts."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store = Store.open(settings.db_url)
        runner = JobRunner(store, settings)
        app.state.store, app.state.runner = store, runner
        runner.start()
        try:
            yield
        finally:
            runner.shutdown()
            store.close()

    app = FastAPI(title="pushup-coach", lifespan=lifespan, docs_url=None, redoc_url=None)
    app.state.settings = settings
    app.state.db_url = settings.db_url  # web.live saves sessions through it
    app.state.has_live = importlib.util.find_spec(LIVE_MODULE) is not None
    app.state.form_secret = secrets.token_bytes(32)  # signs the sign-in forms' tokens
    app.state.login_limiter = LoginLimiter()
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(settings.allowed_hosts))
    app.middleware("http")(_guard)
    app.add_exception_handler(CoachError, _coach_error)  # type: ignore[arg-type]
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    _add_installable(app)
    _include_routers(app, settings)
    return app


def _include_routers(app: FastAPI, settings: WebSettings) -> None:
    from pushup_coach.web import auth, routes_analyse, routes_coach, routes_data

    csrf = [Depends(check_csrf)]
    app.include_router(routes_coach.router, dependencies=csrf)
    app.include_router(routes_analyse.router, dependencies=csrf)
    app.include_router(routes_data.router, dependencies=csrf)
    if settings.accounts:
        app.include_router(auth.router)
    if app.state.has_live:
        live = importlib.import_module(LIVE_MODULE)
        app.state.live_owner = lambda ws: live.LiveOwner(profile_of(ws), settings.db_url)
        app.include_router(live.router)


def _add_installable(app: FastAPI) -> None:
    """The web manifest and the service worker (``static/sw.js``), at the root so its scope is
    the whole app; the worker is never cached by HTTP, so a new version is picked up at once."""

    @app.get("/sw.js", include_in_schema=False)
    def service_worker() -> Response:
        return FileResponse(
            STATIC_DIR / "sw.js",
            media_type="text/javascript",
            headers={"Cache-Control": "no-cache", "Service-Worker-Allowed": "/"},
        )

    @app.get("/manifest.webmanifest", include_in_schema=False)
    def manifest() -> Response:
        return FileResponse(
            STATIC_DIR / "manifest.webmanifest", media_type="application/manifest+json"
        )


async def _coach_error(request: Request, exc: CoachError) -> Response:
    if isinstance(exc, LoginRequired) and not wants_json(request):
        return RedirectResponse("/login", status_code=303)
    return error_response(request, exc)


def same_origin(request: Request) -> bool:
    """Whether an unsafe request comes from a page of this server (or from no page at all, as
    with curl): its Origin (else Referer) names the host it was sent to."""
    origin = request.headers.get("origin") or request.headers.get("referer")
    if not origin or origin == "null":
        return origin is None
    return urlsplit(origin).netloc == request.headers.get("host", "")


async def _guard(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
    if request.method in UNSAFE_METHODS and not same_origin(request):
        return JSONResponse(
            {"error": "refused: this form was sent from another web site"}, status_code=403
        )
    response = await call_next(request)
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    return response
