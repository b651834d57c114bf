"""``serve --accounts``: sign-up and sign-in with argon2 hashes, an HttpOnly SameSite=Strict
session cookie, a CSRF token on every form, rate-limited sign-in, and one person never seeing or
changing another's data (tested by trying every page and API of the other person's)."""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from coach_flow import answers
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from web_helpers import make_settings

from pushup_coach.app.accounts import MAX_FAILURES
from pushup_coach.storage import Store
from pushup_coach.types import PoseSeries
from pushup_coach.web.app import create_app
from pushup_coach.web.deps import SESSION_COOKIE
from pushup_coach.web.settings import WebSettings

JSON = {"accept": "application/json"}
PASSWORD = "correct horse battery"


@pytest.fixture
def settings(tmp_path: Path, series: PoseSeries, monkeypatch: pytest.MonkeyPatch) -> WebSettings:
    monkeypatch.setenv("PUSHUP_COACH_HOME", str(tmp_path / "home"))
    return make_settings(tmp_path, series, accounts=True)


@pytest.fixture
def client(settings: WebSettings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def form_token(client: TestClient, path: str) -> str:
    match = re.search(r'name="token" value="([^"]+)"', client.get(path).text)
    assert match, f"no form token on {path}"
    return match.group(1)


def sign_up(client: TestClient, name: str) -> str:
    """Sign ``name`` up; returns the session cookie (the client is left signed out)."""
    client.cookies.clear()
    token = form_token(client, "/signup")
    response = client.post(
        "/signup", data={"name": name, "password": PASSWORD, "token": token}, follow_redirects=False
    )
    assert response.status_code == 303, response.text
    cookie = response.cookies[SESSION_COOKIE]
    client.cookies.clear()
    return cookie


def as_(client: TestClient, cookie: str) -> str:
    """Act as the session ``cookie``; returns its CSRF token (from a page's form)."""
    client.cookies.clear()
    client.cookies.set(SESSION_COOKIE, cookie)
    match = re.search(r'name="csrf" value="([^"]+)"', client.get("/log").text)
    assert match
    return match.group(1)


def ana_with_data(client: TestClient, clip: Path) -> tuple[str, str, int]:
    """Ana signed up, consented, screened, placed, logged a session and analysed a video."""
    ana = sign_up(client, "ana")
    csrf = as_(client, ana)
    client.post("/consent", data={"agree": "yes", "csrf": csrf})
    client.post("/screen", data={**answers(), "csrf": csrf})
    client.post("/baseline", data={"variation": "knee", "reps": "9", "csrf": csrf})
    assert (
        "Saved session 1" in client.post("/log", data={"sets": "8", "pain": "0", "csrf": csrf}).text
    )
    files = {"video": ("ana.mp4", clip.read_bytes(), "video/mp4")}
    job = client.post(f"/upload?csrf={csrf}", files=files, headers=JSON).json()["job"]
    client.app.state.runner.join()  # type: ignore[attr-defined]
    return ana, csrf, job


def test_without_a_session_every_page_asks_to_sign_in(client: TestClient) -> None:
    page = client.get("/", follow_redirects=False)
    assert (page.status_code, page.headers["location"]) == (303, "/login")
    for path in ("/status.json", "/plan.json", "/jobs.json", "/history.json", "/export.json"):
        assert client.get(path).status_code == 401, path
    assert client.get("/privacy").status_code == 200  # what is stored, before signing up


def test_the_cookie_and_the_stored_password(client: TestClient, settings: WebSettings) -> None:
    token = form_token(client, "/signup")
    response = client.post(
        "/signup",
        data={"name": "ana", "password": PASSWORD, "token": token},
        follow_redirects=False,
    )
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "path=/" in cookie
    engine = create_engine(str(settings.db_url))
    with engine.connect() as conn:
        stored = conn.execute(text("SELECT password_hash FROM accounts")).scalar_one()
        logins = conn.execute(text("SELECT token_sha256 FROM logins")).scalars().all()
    engine.dispose()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert logins and response.cookies[SESSION_COOKIE] not in logins  # only its hash is kept


def test_a_form_without_the_csrf_token_is_refused(client: TestClient) -> None:
    csrf = as_(client, sign_up(client, "ana"))
    refused = client.post("/consent", data={"agree": "yes"}, headers=JSON)
    assert refused.status_code == 403
    assert client.get("/status.json").json()["consent"] is None
    wrong = client.post("/consent", data={"agree": "yes", "csrf": "x" * 43}, headers=JSON)
    assert wrong.status_code == 403
    client.post("/consent", data={"agree": "yes", "csrf": csrf})
    assert client.get("/status.json").json()["consent"] is not None
    anonymous = TestClient(client.app)
    assert anonymous.post("/login", data={"name": "ana", "password": PASSWORD}).status_code == 403


def test_sign_in_is_rate_limited(client: TestClient) -> None:
    sign_up(client, "ana")
    for _ in range(MAX_FAILURES):
        data = {"name": "ana", "password": "wrong password", "token": form_token(client, "/login")}
        response = client.post("/login", data=data, headers=JSON)
        assert (response.status_code, response.json()["error"]) == (401, "wrong name or password")
    data = {"name": "ana", "password": PASSWORD, "token": form_token(client, "/login")}
    blocked = client.post("/login", data=data, headers=JSON)
    assert blocked.status_code == 429
    assert blocked.json()["error"].startswith("too many failed sign-ins; wait")


def test_a_name_that_holds_data_cannot_be_taken(client: TestClient, settings: WebSettings) -> None:
    with Store.open(settings.db_url) as store:  # someone using the CLI on the same database
        store.create_profile("cli-user", "UTC", "mon,wed,fri")
    data = {"name": "cli-user", "password": PASSWORD, "token": form_token(client, "/signup")}
    response = client.post("/signup", data=data, headers=JSON)
    assert response.status_code == 400
    assert "is taken on this install" in response.json()["error"]


def test_one_person_never_sees_or_changes_anothers_data(client: TestClient, clip: Path) -> None:
    ana, _, job = ana_with_data(client, clip)
    bob_csrf = as_(client, sign_up(client, "bob"))
    for path in (
        f"/jobs/{job}.json",
        f"/jobs/{job}",
        f"/jobs/{job}/overlay.mp4",
        f"/jobs/{job}/report.html",
    ):
        assert client.get(path).status_code == 404, path
    for path in (f"/jobs/{job}/save", f"/jobs/{job}/delete"):
        assert client.post(path, data={"csrf": bob_csrf}).status_code == 404, path
    assert client.get("/jobs.json").json() == {"jobs": []}
    assert client.get("/history.json").json() == {"sessions": []}
    assert client.get("/log?session=1").status_code == 404
    assert (
        client.post("/log", data={"session": "1", "pain": "0", "csrf": bob_csrf}).status_code == 404
    )
    assert (
        client.post("/correct", data={"session": "1", "sets": "1", "csrf": bob_csrf}).status_code
        == 404
    )
    assert client.get("/export.json").status_code == 404
    archive = zipfile.ZipFile(io.BytesIO(client.get("/export.zip").content))
    assert archive.namelist() == ["pushup-coach-bob/analyses.json"]
    assert json.loads(archive.read("pushup-coach-bob/analyses.json")) == []
    assert client.post("/forget", data={"confirm": "ana", "csrf": bob_csrf}).status_code == 400
    as_(client, ana)  # everything of ana's is still there, unchanged
    assert client.get(f"/jobs/{job}.json").json()["status"] == "done"
    assert [s["clean_reps"] for s in client.get("/history.json").json()["sessions"]] == [[8]]


def test_sign_out_and_erasure_end_the_session(
    client: TestClient, clip: Path, settings: WebSettings
) -> None:
    ana, csrf, _ = ana_with_data(client, clip)
    client.post("/logout", data={"csrf": csrf})
    client.cookies.set(SESSION_COOKIE, ana)  # the old cookie no longer signs in
    assert client.get("/status.json").status_code == 401
    data = {"name": "ana", "password": PASSWORD, "token": form_token(client, "/login")}
    cookie = client.post("/login", data=data, follow_redirects=False).cookies[SESSION_COOKIE]
    csrf = as_(client, cookie)
    erased = client.post("/forget", data={"confirm": "ana", "csrf": csrf})
    assert "and your account" in erased.text
    engine = create_engine(str(settings.db_url))
    with engine.connect() as conn:
        for table in ("accounts", "logins", "jobs", "profiles", "sessions", "consents"):
            assert conn.execute(text(f"SELECT count(*) FROM {table}")).scalar() == 0, table
    engine.dispose()


def test_the_live_page_sends_a_signed_out_person_to_sign_in(client: TestClient) -> None:
    """Before, /live loaded for anyone and only its socket said "sign in first"."""
    page = client.get("/live", follow_redirects=False)
    assert (page.status_code, page.headers["location"]) == (303, "/login")
    as_(client, sign_up(client, "ana"))
    assert client.get("/live", follow_redirects=False).status_code == 200
