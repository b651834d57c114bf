"""Accounts for a shared install (``serve --accounts``): sign up, sign in, sign out.

Passwords are kept only as argon2id hashes (argon2-cffi's defaults, re-hashed when those change).
A sign-in makes a random session token: the browser keeps it (an HttpOnly, SameSite=Strict
cookie), the database keeps its SHA-256 and the CSRF token the session's forms carry. Failed
sign-ins are limited per name and per client address (:class:`LoginLimiter`) so a password cannot
be guessed by trying many.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import secrets
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from pushup_coach.errors import CoachError, ConfigError
from pushup_coach.storage import Store
from pushup_coach.storage.accounts import (
    SignedIn,
    add_login,
    create_account,
    delete_login,
    password_hash,
    set_password_hash,
    signed_in,
)
from pushup_coach.storage.store import utc_now

MIN_PASSWORD_CHARS = 10
MAX_PASSWORD_CHARS = 1024  # argon2 hashes anything, but a megabyte "password" is an attack
SESSION_DAYS = 14
MAX_FAILURES = 5  # failed sign-ins per name, and per address, within FAILURE_WINDOW_S
FAILURE_WINDOW_S = 15 * 60.0
_HASHER = PasswordHasher()


class SignInError(CoachError):
    """Wrong name or password (the message never says which)."""


class TooManyAttempts(CoachError):
    """Too many failed sign-ins for a name or from an address; wait, then try again."""


@dataclass
class LoginLimiter:
    """Failed sign-in times per key (``name:...`` and ``addr:...``), forgotten after the window.

    In memory: a restart forgets them, which costs an attacker a restart they cannot cause.
    ``clock`` is injectable so tests need no waiting.
    """

    clock: Callable[[], float] = time.monotonic
    failures: dict[str, deque[float]] = field(default_factory=dict)

    def check(self, *keys: str) -> None:
        now = self.clock()
        for key in keys:
            recent = self.failures.setdefault(key, deque())
            while recent and now - recent[0] > FAILURE_WINDOW_S:
                recent.popleft()
            if len(recent) >= MAX_FAILURES:
                wait_min = max(1, round((FAILURE_WINDOW_S - (now - recent[0])) / 60))
                raise TooManyAttempts(
                    f"too many failed sign-ins; wait {wait_min} minute(s) and try again"
                )

    def failed(self, *keys: str) -> None:
        for key in keys:
            self.failures.setdefault(key, deque()).append(self.clock())


def token_sha256(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def check_password(password: str) -> str:
    if not MIN_PASSWORD_CHARS <= len(password) <= MAX_PASSWORD_CHARS:
        raise ConfigError(
            f"choose a password of at least {MIN_PASSWORD_CHARS} characters "
            "(a few words make a good one)"
        )
    return password


def sign_up(store: Store, name: str, password: str) -> None:
    """A new account ``name`` (also the name of the profile its data goes under)."""
    create_account(store, name, _HASHER.hash(check_password(password)))


def sign_in(
    store: Store, limiter: LoginLimiter, name: str, password: str, address: str
) -> tuple[str, SignedIn]:
    """A new session for ``name``: (the cookie's token, who and the CSRF token).

    Raises TooManyAttempts before checking anything when the name or address has failed too
    often, and SignInError for a wrong name or password (checked in the same time either way).
    """
    keys = (f"name:{name.lower()}", f"addr:{address}")
    limiter.check(*keys)
    stored = password_hash(store, name)
    try:
        _HASHER.verify(stored or _dummy_hash(), password[:MAX_PASSWORD_CHARS])
        if stored is None:
            raise VerifyMismatchError
    except (VerificationError, InvalidHashError):
        limiter.failed(*keys)
        raise SignInError("wrong name or password") from None
    if _HASHER.check_needs_rehash(stored):
        set_password_hash(store, name, _HASHER.hash(password))
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    expires = utc_now() + dt.timedelta(days=SESSION_DAYS)
    add_login(store, name, token_sha256(token), csrf, expires)
    return token, SignedIn(name, csrf)


def session_of(store: Store, token: str | None) -> SignedIn | None:
    """Who the session cookie ``token`` belongs to (None: no cookie, unknown or expired)."""
    return signed_in(store, token_sha256(token)) if token else None


def sign_out(store: Store, token: str | None) -> None:
    if token:
        delete_login(store, token_sha256(token))


@functools.cache
def _dummy_hash() -> str:
    """Verified against when the name is unknown, so a wrong name takes as long as a wrong
    password (made on first use, not at import)."""
    return _HASHER.hash(secrets.token_urlsafe(16))
