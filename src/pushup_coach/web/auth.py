"""Sign up, sign in and sign out, for ``serve --accounts`` (mounted only then).

The session cookie is HttpOnly (no script reads it), SameSite=Strict (no other site's page sends
it), Secure over HTTPS, and holds only a random token. The sign-in and sign-up forms, which have no
session yet, carry a token signed with a secret this server made at start (checked like a CSRF
token); failed sign-ins are rate limited per name and address.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from pushup_coach.app import accounts
from pushup_coach.storage import Store
from pushup_coach.web.deps import SESSION_COOKIE, CsrfError, check_csrf, get_store
from pushup_coach.web.pages import page

router = APIRouter()
StoreDep = Annotated[Store, Depends(get_store)]


def form_token(request: Request) -> str:
    """A token for a form shown before sign-in: a nonce and its HMAC under the app's secret."""
    nonce = secrets.token_urlsafe(16)
    return f"{nonce}.{_mac(request, nonce)}"


def _mac(request: Request, nonce: str) -> str:
    secret: bytes = request.app.state.form_secret
    return hmac.new(secret, nonce.encode(), hashlib.sha256).hexdigest()


def check_form_token(request: Request, token: str) -> None:
    nonce, _, mac = token.partition(".")
    if not nonce or not hmac.compare_digest(mac, _mac(request, nonce)):
        raise CsrfError("this form has expired; reload the page and send it again")


def _address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.get("/login")
def login_page(request: Request) -> Response:
    return page(request, "login.html", {"token": form_token(request), "signup": False})


@router.get("/signup")
def signup_page(request: Request) -> Response:
    return page(request, "login.html", {"token": form_token(request), "signup": True})


def _signed_in(request: Request, store: Store, name: str, password: str) -> Response:
    limiter: accounts.LoginLimiter = request.app.state.login_limiter
    token, _ = accounts.sign_in(store, limiter, name, password, _address(request))
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=accounts.SESSION_DAYS * 86400,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/",
    )
    return response


@router.post("/login")
def login(
    request: Request,
    store: StoreDep,
    name: Annotated[str, Form()],
    password: Annotated[str, Form()],
    token: Annotated[str, Form()] = "",
) -> Response:
    check_form_token(request, token)
    return _signed_in(request, store, name.strip(), password)


@router.post("/signup")
def signup(
    request: Request,
    store: StoreDep,
    name: Annotated[str, Form()],
    password: Annotated[str, Form()],
    token: Annotated[str, Form()] = "",
) -> Response:
    check_form_token(request, token)
    accounts.sign_up(store, name.strip(), password)
    return _signed_in(request, store, name.strip(), password)


@router.post("/logout", dependencies=[Depends(check_csrf)])
def logout(request: Request, store: StoreDep) -> Response:
    accounts.sign_out(store, request.cookies.get(SESSION_COOKIE))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
