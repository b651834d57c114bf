"""Privacy made visible: consent (give, withdraw), the privacy page, export, correct, erase.

The operations are the CLI's (``consent``, ``export``, ``correct``, ``forget``), through the
application layer; erasing also removes the web app's analyses of the person's uploads.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from pushup_coach.app import data as data_rights
from pushup_coach.app.coaching import today_in
from pushup_coach.app.sessions import Correction, correct_session
from pushup_coach.coach.history import (
    PainKind,
    PainLocation,
    parse_pain_kind,
    parse_pain_location,
)
from pushup_coach.coach.ladder import Rung, parse_rung
from pushup_coach.errors import ConfigError
from pushup_coach.storage import Store, export_profile
from pushup_coach.storage.consent import POLICY_VERSION
from pushup_coach.web.deps import SESSION_COOKIE, current_profile, get_settings, get_store
from pushup_coach.web.forms import counts, local_zone, optional_int, parse_day
from pushup_coach.web.pages import page
from pushup_coach.web.settings import WebSettings

router = APIRouter()
StoreDep = Annotated[Store, Depends(get_store)]
ProfileDep = Annotated[str, Depends(current_profile)]
SettingsDep = Annotated[WebSettings, Depends(get_settings)]
NEXT_PAGES = ("/", "/screen", "/upload", "/log", "/data")


@router.get("/privacy")
def privacy_page(request: Request, settings: SettingsDep) -> Response:
    from pushup_coach.storage import resolve_db_url

    url = resolve_db_url(settings.db_url)
    database = url.split("@")[-1] if "@" in url else url  # never show a password
    data = {"database": database, "files": str(settings.root), "policy_version": POLICY_VERSION}
    return page(request, "privacy.html", data)


@router.get("/consent")
def consent_page(
    request: Request, store: StoreDep, profile: ProfileDep, next: str = "/"
) -> Response:
    given = store.consent(profile)
    data = {
        "given_at": given.given_at.isoformat(timespec="minutes") if given else None,
        "policy_version": POLICY_VERSION,
        "next": next if next in NEXT_PAGES else "/",
    }
    return page(request, "consent.html", data)


@router.post("/consent")
def consent_give(
    store: StoreDep,
    profile: ProfileDep,
    agree: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    """Record the person's agreement (a ticked box is needed: nothing is assumed)."""
    if agree != "yes":
        raise ConfigError("tick 'I agree' to let pushup-coach store your data; nothing was stored")
    data_rights.give_consent(store, profile, local_zone())
    return RedirectResponse(next if next in NEXT_PAGES else "/", status_code=303)


def _erase(store: Store, profile: str, settings: WebSettings, confirm: str) -> dict[str, Any]:
    if confirm != profile:
        raise ConfigError(f"type the profile name {profile!r} to confirm; nothing was erased")
    return data_rights.forget(store, profile, settings.jobs_dir, settings.cache_dir)


@router.post("/consent/withdraw")
def consent_withdraw(
    request: Request,
    store: StoreDep,
    profile: ProfileDep,
    settings: SettingsDep,
    confirm: Annotated[str, Form()] = "",
) -> Response:
    """Withdrawing consent erases everything, as ``consent --withdraw`` does."""
    counts_ = _erase(store, profile, settings, confirm)
    return _erased(request, counts_, withdrawn=True)


@router.post("/forget")
def forget(
    request: Request,
    store: StoreDep,
    profile: ProfileDep,
    settings: SettingsDep,
    confirm: Annotated[str, Form()] = "",
) -> Response:
    counts_ = _erase(store, profile, settings, confirm)
    return _erased(request, counts_, withdrawn=False)


def _erased(request: Request, counts_: dict[str, Any], *, withdrawn: bool) -> Response:
    """The erasure's page; with accounts the account went too, so the browser is signed out."""
    request.scope["state"]["signed_in"] = None
    response = page(request, "erased.html", {"counts": counts_, "withdrawn": withdrawn})
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/data")
def data_page(request: Request, store: StoreDep, profile: ProfileDep) -> Response:
    sessions = store.sessions(profile) if store.has_profile(profile) else []
    data = {
        "profile": profile,
        "sessions": [
            {"id": s.id, "on": str(s.performed_on), "rung": s.rung.label} for s in sessions
        ],
        "rungs": [(r.value, r.label) for r in Rung],
        "locations": [p.value for p in PainLocation if p != PainLocation.NONE],
        "kinds": [k.value for k in PainKind if k != PainKind.NONE],
    }
    return page(request, "data.html", data)


@router.get("/export.json")
def export_json(store: StoreDep, profile: ProfileDep) -> Response:
    """Everything stored in the database about the person (as ``export``'s profile.json)."""
    import json

    body = json.dumps(export_profile(store, profile), indent=2)
    headers = {"Content-Disposition": f'attachment; filename="pushup-coach-{profile}.json"'}
    return Response(body, media_type="application/json", headers=headers)


@router.get("/export.zip")
def export_zip(store: StoreDep, profile: ProfileDep) -> Response:
    """Everything: profile.json, a CSV per table, kept files, and the analyses of uploads."""
    headers = {"Content-Disposition": f'attachment; filename="pushup-coach-{profile}.zip"'}
    return Response(
        data_rights.export_zip(store, profile), media_type="application/zip", headers=headers
    )


@router.post("/correct")
async def correct(request: Request, store: StoreDep, profile: ProfileDep) -> Response:
    """Correct a logged session; every change goes into the audit trail."""
    form = {k: str(v).strip() for k, v in (await request.form()).items()}
    session_id = optional_int(form.get("session", ""), "session")
    if session_id is None:
        raise ConfigError("choose the session to correct")
    today = today_in(store.get_profile(profile).timezone)
    change = Correction(
        on=parse_day(form["date"], today) if form.get("date") else None,
        rung=parse_rung(form["variation"]) if form.get("variation") else None,
        clean_reps=counts(form["sets"], "clean reps per set") if form.get("sets") else None,
        all_reps=counts(form["all_reps"], "all reps per set") if form.get("all_reps") else None,
        rpe=optional_int(form.get("rpe", ""), "effort"),
        pain=optional_int(form.get("pain", ""), "pain"),
        location=parse_pain_location(form["where"]) if form.get("where") else None,
        kind=parse_pain_kind(form["kind"]) if form.get("kind") else None,
        note=form.get("note") or None,
    )
    audit = correct_session(store, profile, session_id, change, form.get("reason", ""))
    changes = [{"field": a.field, "old": a.old_value, "new": a.new_value} for a in audit]
    return page(request, "corrected.html", {"session": session_id, "changes": changes})
