"""Pages and their JSON twins: one function builds a page's data, two routes show it.

``page(request, "plan.html", data)`` renders a Jinja2 template (autoescaped) with ``data``;
``GET /plan.json`` returns the same ``data`` as JSON (datasette's twins). A ``CoachError`` becomes
the error page, or ``{"error": ...}`` for JSON, with a status that says what kind of problem it was.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse, Response
from fastapi.templating import Jinja2Templates

from pushup_coach.app.accounts import SignInError, TooManyAttempts
from pushup_coach.errors import (
    CoachError,
    ConfigError,
    ConsentError,
    InputError,
    NotFoundError,
    StorageError,
)
from pushup_coach.web.deps import CsrfError, LoginRequired, signed_in_as
from pushup_coach.web.uploads import NotAVideo, UploadTooLarge

NOT_MEDICAL_ADVICE = (
    "Not medical advice. pushup-coach describes how the movement looked and follows simple "
    "training rules; it does not diagnose anything. If you have pain, a back condition or any "
    "doubt, see a healthcare professional."
)
# Most specific first: the first class an error is an instance of gives its status.
STATUS: tuple[tuple[type[CoachError], int], ...] = (
    (LoginRequired, 401),
    (SignInError, 401),
    (CsrfError, 403),
    (TooManyAttempts, 429),
    (UploadTooLarge, 413),
    (NotAVideo, 415),
    (NotFoundError, 404),
    (ConsentError, 403),
    (StorageError, 500),
    (InputError, 400),
    (ConfigError, 400),
)

templates = Jinja2Templates(directory=str(Path(__file__).with_name("templates")))


def status_of(exc: CoachError) -> int:
    return next((code for kind, code in STATUS if isinstance(exc, kind)), 400)


def wants_json(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return request.url.path.endswith(".json") or (
        "application/json" in accept and "text/html" not in accept
    )


def page(request: Request, template: str, data: dict[str, Any], status: int = 200) -> Response:
    """The page ``template`` showing ``data`` (also given whole as ``data``)."""
    settings = request.app.state.settings
    session = signed_in_as(request) if settings.accounts else None
    context = {
        "data": data,
        "nav_live": request.app.state.has_live,
        "accounts": settings.accounts,
        "account": session.name if session else None,
        "csrf": session.csrf if session else "",
        **data,
    }
    return templates.TemplateResponse(request, template, context, status_code=status)


def error_response(request: Request, exc: CoachError) -> Response:
    status = status_of(exc)
    if wants_json(request):
        return JSONResponse({"error": str(exc)}, status_code=status)
    return page(request, "error.html", {"message": str(exc), "status": status}, status)
