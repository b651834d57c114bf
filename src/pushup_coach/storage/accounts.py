"""Accounts of ``serve --accounts`` and their sign-ins (rows only; hashing is ``app.accounts``).

An account's name is the profile it may see. A sign-in is kept as the SHA-256 of its cookie, so
the table alone cannot be used to sign in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, select

from pushup_coach.errors import ConfigError
from pushup_coach.storage.models import Account, Login
from pushup_coach.storage.store import Store, check_profile_name, utc_now


@dataclass(frozen=True)
class SignedIn:
    """Who a valid session cookie belongs to, and the CSRF token its forms must carry."""

    name: str
    csrf: str


def create_account(store: Store, name: str, password_hash: str) -> None:
    """A new account; refused when the name is taken, or a profile of that name already holds
    data (signing up must never open someone else's history)."""
    check_profile_name(name)
    if store.has_data(name):
        raise ConfigError(f"the name {name!r} is taken on this install; choose another")
    with store.transaction() as s:
        if s.scalar(select(Account.id).where(Account.name == name)) is not None:
            raise ConfigError(f"the name {name!r} is taken on this install; choose another")
        s.add(Account(name=name, password_hash=password_hash, created_at=utc_now()))


def password_hash(store: Store, name: str) -> str | None:
    with store.transaction() as s:
        return s.scalar(select(Account.password_hash).where(Account.name == name))


def set_password_hash(store: Store, name: str, new_hash: str) -> None:
    with store.transaction() as s:
        row = s.scalar(select(Account).where(Account.name == name))
        if row is not None:
            row.password_hash = new_hash


def add_login(
    store: Store, name: str, token_sha256: str, csrf: str, expires_at: dt.datetime
) -> None:
    with store.transaction() as s:
        account = s.scalar(select(Account).where(Account.name == name))
        if account is None:
            raise ConfigError(f"no account {name!r}")
        account.logins.append(
            Login(token_sha256=token_sha256, csrf=csrf, created_at=utc_now(), expires_at=expires_at)
        )


def signed_in(store: Store, token_sha256: str, now: dt.datetime | None = None) -> SignedIn | None:
    """The account a cookie's hash belongs to, unless unknown or expired."""
    with store.transaction() as s:
        row = s.execute(
            select(Account.name, Login.csrf, Login.expires_at)
            .join(Login, Login.account_id == Account.id)
            .where(Login.token_sha256 == token_sha256)
        ).first()
    if row is None or row.expires_at <= (now or utc_now()):
        return None
    return SignedIn(row.name, row.csrf)


def delete_login(store: Store, token_sha256: str) -> None:
    with store.transaction() as s:
        s.execute(delete(Login).where(Login.token_sha256 == token_sha256))


def delete_account(store: Store, name: str) -> bool:
    """Delete the account and every sign-in of it; False when there was none."""
    with store.transaction() as s:
        account = s.scalar(select(Account).where(Account.name == name))
        if account is None:
            return False
        s.delete(account)
    return True
