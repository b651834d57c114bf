"""What a router needs from the running app: the Store, the current person, the settings.

For routers mounted by :func:`pushup_coach.web.app.create_app` (such as ``web.live``)::

    from fastapi import APIRouter, Depends
    from pushup_coach.storage import Store
    from pushup_coach.web.deps import current_profile, get_store

    router = APIRouter()

    @router.post("/live/save")
    def save(store: Store = Depends(get_store), profile: str = Depends(current_profile)) -> ...:
        from pushup_coach.app.sessions import save_report
        session_id = save_report(store, profile, report.to_dict(), landmarks_npz)

``save_report`` goes through the same consent and screening gate as every other way a session is
stored, raising a ``CoachError`` (the app turns it into a page or JSON error) when it may not be.
In a WebSocket handler, where ``Depends`` on a Request is not available, call
``store_of(websocket.app)`` and ``profile_of(websocket)``. Responses that set their own
``Content-Security-Policy`` header keep it (the app adds its default only where none is set).
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from starlette.requests import HTTPConnection

from pushup_coach.storage import Store
from pushup_coach.web.settings import WebSettings


def store_of(app: Any) -> Store:
    """The app's one open Store."""
    store: Store = app.state.store
    return store


def profile_of(connection: HTTPConnection) -> str:
    """The profile whose data this request (or WebSocket) may see: the single local person."""
    settings: WebSettings = connection.app.state.settings
    return settings.profile


def get_store(request: Request) -> Store:
    """FastAPI dependency: the app's Store."""
    return store_of(request.app)


def current_profile(request: Request) -> str:
    """FastAPI dependency: the current person's profile name."""
    return profile_of(request)


def get_settings(request: Request) -> WebSettings:
    settings: WebSettings = request.app.state.settings
    return settings
