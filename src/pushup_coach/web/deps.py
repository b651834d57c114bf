"""What a router needs from the running app: the Store, the current person, the settings.

For routers mounted by :func:`pushup_coach.web.app.create_app` (such as ``web.live``)::

    from typing import Annotated
    from fastapi import APIRouter, Depends
    from pushup_coach.storage import Store
    from pushup_coach.web.deps import current_profile, get_store

    router = APIRouter()

    @router.post("/live/save")
    def save(
        store: Annotated[Store, Depends(get_store)],
        profile: Annotated[str, Depends(current_profile)],
    ) -> ...:
        from pushup_coach.app.sessions import save_report
        session_id = save_report(store, profile, report.to_dict(), landmarks_npz)

``save_report`` goes through the same consent and screening gate as every other way a session is
stored, raising a ``CoachError`` (the app turns it into a page or JSON error) when it may not be.
In a WebSocket handler, where ``Depends`` on a Request is not available, call
``store_of(websocket.app)`` and ``profile_of(websocket)``. Responses that set their own
``Content-Security-Policy`` header keep it (the app adds its default only where none is set).

Who "the current person" is: without accounts, the one local profile (``WebSettings.profile``);
with ``serve --accounts``, the account whose session cookie came with the request, and
:class:`LoginRequired` (a redirect to the sign-in page, or 401 for JSON) when there is none.
Unsafe requests of a signed-in session must carry its CSRF token (:func:`check_csrf`).
"""

from __future__ import annotations

import hmac
from typing import Any

from fastapi import Request
from starlette.requests import HTTPConnection

from pushup_coach.app.accounts import session_of
from pushup_coach.errors import CoachError
from pushup_coach.storage import Store
from pushup_coach.storage.accounts import SignedIn
from pushup_coach.web.settings import WebSettings

SESSION_COOKIE = "pushup_session"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class LoginRequired(CoachError):
    """No valid session: sign in first (``serve --accounts``)."""


class CsrfError(CoachError):
    """An unsafe request without its session's CSRF token."""


def store_of(app: Any) -> Store:
    """The app's one open Store."""
    store: Store = app.state.store
    return store


def signed_in_as(connection: HTTPConnection) -> SignedIn | None:
    """The session of this request or WebSocket (accounts only), looked up once per request."""
    if "signed_in" not in connection.scope.setdefault("state", {}):
        token = connection.cookies.get(SESSION_COOKIE)
        connection.scope["state"]["signed_in"] = session_of(store_of(connection.app), token)
    found: SignedIn | None = connection.scope["state"]["signed_in"]
    return found


def profile_of(connection: HTTPConnection) -> str:
    """The profile whose data this request (or WebSocket) may see and change."""
    settings: WebSettings = connection.app.state.settings
    if not settings.accounts:
        return settings.profile
    session = signed_in_as(connection)
    if session is None:
        raise LoginRequired("sign in first")
    return session.name


def get_store(request: Request) -> Store:
    """FastAPI dependency: the app's Store."""
    return store_of(request.app)


def current_profile(request: Request) -> str:
    """FastAPI dependency: the current person's profile name."""
    return profile_of(request)


def get_settings(request: Request) -> WebSettings:
    settings: WebSettings = request.app.state.settings
    return settings


def csrf_token(request: Request) -> str:
    """The token this request's forms must carry ("" without accounts or a session)."""
    settings: WebSettings = request.app.state.settings
    session = signed_in_as(request) if settings.accounts else None
    return session.csrf if session else ""


async def check_csrf(request: Request) -> None:
    """Router dependency: with accounts, an unsafe request of a signed-in session must carry the
    session's CSRF token, in the ``X-CSRF-Token`` header, the ``csrf`` query parameter (the
    streamed upload form) or a urlencoded form's ``csrf`` field."""
    settings: WebSettings = request.app.state.settings
    if not settings.accounts or request.method not in UNSAFE_METHODS:
        return
    session = signed_in_as(request)
    if session is None:
        raise LoginRequired("sign in first")
    sent = request.headers.get(CSRF_HEADER) or request.query_params.get(CSRF_FIELD)
    if not sent and request.headers.get("content-type", "").startswith(
        "application/x-www-form-urlencoded"
    ):
        sent = str((await request.form()).get(CSRF_FIELD) or "")
    if not sent or not hmac.compare_digest(sent, session.csrf):
        raise CsrfError(
            "this form has expired or came from elsewhere; reload the page and send it again"
        )
