"""Coach pages: home, screening, baseline, this week's plan (and its iCal), log and check-in,
history. Each calls the application layer (``pushup_coach.app``); the rules are not here."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from pushup_coach.app import coaching
from pushup_coach.app.sessions import LoggedSession, add_checkin, history_rows, log_session
from pushup_coach.coach.calendar import plan_to_ical
from pushup_coach.coach.history import (
    CheckIn,
    PainKind,
    PainLocation,
    Symptom,
    parse_pain_kind,
    parse_pain_location,
)
from pushup_coach.coach.ladder import Rung, parse_rung, rung_from_variation
from pushup_coach.coach.plan import WeekPlan
from pushup_coach.coach.progression import Decision
from pushup_coach.coach.screening import QUESTIONS, parse_answers
from pushup_coach.errors import CoachError, ConfigError
from pushup_coach.storage import Store
from pushup_coach.storage.analysis import clean_reps_of_report
from pushup_coach.storage.jobs import JobStatus, get_job, list_jobs
from pushup_coach.web.deps import current_profile, get_store
from pushup_coach.web.forms import counts, local_zone, optional_int, parse_day
from pushup_coach.web.pages import NOT_MEDICAL_ADVICE, page

router = APIRouter()
StoreDep = Annotated[Store, Depends(get_store)]
ProfileDep = Annotated[str, Depends(current_profile)]


def _decision(d: Decision) -> dict[str, Any]:
    return {
        "action": d.action.value,
        "rung": d.next.value,
        "rung_label": d.next.label,
        "target_reps": d.target_reps,
        "reason": d.reason,
        "paused": d.action.value == "pause",
        "stop": d.pain_override,
        "advice": list(d.advice),
    }


def _status(store: Store, profile: str) -> dict[str, Any]:
    consent = store.consent(profile)
    screening = store.latest_screening(profile) if store.has_profile(profile) else None
    data: dict[str, Any] = {
        "profile": profile,
        "consent": consent.given_at.isoformat() if consent else None,
        "screening": screening.outcome if screening else None,
        "cleared": bool(screening and screening.cleared_at),
        "next": None,
        "next_problem": None,
    }
    if screening is not None:
        try:
            data["next"] = _decision(coaching.next_step(store, profile)[0])
        except CoachError as exc:
            data["next_problem"] = str(exc)
    return data


@router.get("/")
def home(request: Request, store: StoreDep, profile: ProfileDep) -> Response:
    return page(request, "home.html", _status(store, profile))


@router.get("/status.json")
def status_json(store: StoreDep, profile: ProfileDep) -> dict[str, Any]:
    return _status(store, profile)


# screening --------------------------------------------------------------------------------------
@router.get("/screen")
def screen_page(request: Request, store: StoreDep, profile: ProfileDep) -> Response:
    data = _status(store, profile)
    data["questions"] = [{"key": q.key, "text": q.text, "section": q.section} for q in QUESTIONS]
    return page(request, "screen.html", data)


@router.post("/screen")
async def screen_submit(request: Request, store: StoreDep, profile: ProfileDep) -> Response:
    """Answers as form fields named by question key (yes / no); ``consent`` ticked when the
    person agrees now. Nothing is stored unless both hold and every question is answered."""
    form = await request.form()
    answers = parse_answers({q.key: form.get(q.key, "") for q in QUESTIONS if q.key in form})
    result = coaching.record_screening(
        store,
        profile,
        answers,
        consent_given=form.get("consent") in ("on", "yes", "1"),
        zone=local_zone(),
        days=str(form.get("days") or "") or None,
    )
    data = {
        "outcome": result.outcome.value,
        "reason": result.reason,
        "advice": list(result.advice),
        "flagged": list(result.flagged),
    }
    return page(request, "screen_result.html", data)


@router.post("/screen/cleared")
def screen_cleared(request: Request, store: StoreDep, profile: ProfileDep) -> Response:
    message = coaching.record_clearance(store, profile)
    return page(request, "message.html", {"title": "Clearance", "message": message})


@router.post("/clear")
def clear_pause(request: Request, store: StoreDep, profile: ProfileDep) -> Response:
    if coaching.clear_pause(store, profile):
        message = "Clearance recorded: the plan resumes. New pain or warning signs pause it again."
    else:
        message = "Nothing to clear: your plan is not paused."
    return page(request, "message.html", {"title": "Clearance", "message": message})


# baseline ---------------------------------------------------------------------------------------
@router.get("/baseline")
def baseline_page(request: Request, store: StoreDep, profile: ProfileDep) -> Response:
    baseline = store.latest_baseline(profile) if store.has_profile(profile) else None
    done = [j for j in list_jobs(store, profile) if j.status == JobStatus.DONE]
    data = {
        "baseline": None
        if baseline is None
        else {
            "taken_on": baseline.taken_on.isoformat(),
            "tested": baseline.tested_rung.label,
            "clean_reps": baseline.clean_reps,
            "placed": baseline.placed_rung.label,
            "reason": baseline.reason,
        },
        "rungs": [(r.value, r.label) for r in Rung],
        "jobs": [{"id": j.id, "filename": j.filename} for j in done],
    }
    return page(request, "baseline.html", data)


@router.post("/baseline")
def baseline_submit(
    request: Request,
    store: StoreDep,
    profile: ProfileDep,
    variation: Annotated[str, Form()] = "",
    reps: Annotated[str, Form()] = "",
    job: Annotated[str, Form()] = "",
    date: Annotated[str, Form()] = "",
) -> Response:
    today = coaching.today_in(store.get_profile(profile).timezone)
    on = parse_day(date, today)
    if job:
        report = get_job(store, profile, int(job)).report or {}
        tested = parse_rung(variation) if variation else rung_from_variation(report["variation"])
        clean, source = clean_reps_of_report(report), "analysis"
    else:
        clean_given = optional_int(reps, "reps")
        if not variation or clean_given is None:
            raise ConfigError("give the variation you tested and your max clean reps")
        tested, clean, source = parse_rung(variation), clean_given, "manual"
    placement = coaching.record_baseline(store, profile, tested, clean, on, source)
    message = f"Baseline: {placement.reason}."
    return page(request, "message.html", {"title": "Baseline", "message": message, "next": "/plan"})


# plan -------------------------------------------------------------------------------------------
def _plan_data(week: WeekPlan) -> dict[str, Any]:
    return {
        "paused": week.paused,
        "reason": week.reason,
        "notes": list(week.notes),
        "sessions": [
            {
                "on": s.on.isoformat(),
                "day": f"{s.on:%a %d %b}",
                "starts_at": s.starts_at.isoformat(),
                "time": f"{s.starts_at:%H:%M}",
                "rung": s.rung.value,
                "rung_label": s.rung.label,
                "sets": s.sets,
                "reps": s.reps,
                "rest_s": s.rest_s,
            }
            for s in week.sessions
        ],
        "not_medical_advice": NOT_MEDICAL_ADVICE,
    }


@router.get("/plan")
def plan_page(request: Request, store: StoreDep, profile: ProfileDep) -> Response:
    return page(request, "plan.html", _plan_data(coaching.week_plan(store, profile)))


@router.get("/plan.json")
def plan_json(store: StoreDep, profile: ProfileDep) -> dict[str, Any]:
    return _plan_data(coaching.week_plan(store, profile))


@router.get("/plan.ics")
def plan_ics(store: StoreDep, profile: ProfileDep) -> Response:
    week = coaching.week_plan(store, profile)
    body = plan_to_ical(week, profile, dt.datetime.now(dt.UTC))
    headers = {"Content-Disposition": 'attachment; filename="pushup-plan.ics"'}
    return Response(body, media_type="text/calendar", headers=headers)


# log and check-in -------------------------------------------------------------------------------
@router.get("/log")
def log_page(
    request: Request, store: StoreDep, profile: ProfileDep, session: int | None = None
) -> Response:
    saved = store.session(profile, session) if session is not None else None
    data = {
        "session": None if saved is None else {"id": saved.id, "on": str(saved.performed_on)},
        "rungs": [(r.value, r.label) for r in Rung],
        "locations": [p.value for p in PainLocation if p != PainLocation.NONE],
        "kinds": [k.value for k in PainKind if k != PainKind.NONE],
        "symptoms": [(s.value, s.label) for s in Symptom],
    }
    return page(request, "log.html", data)


async def _checkin(request: Request) -> CheckIn:
    form = await request.form()
    pain = optional_int(str(form.get("pain", "")), "pain")
    if pain is None:
        raise ConfigError("say how much it hurt, 0 (none) to 10")
    where, kind = str(form.get("where") or ""), str(form.get("kind") or "")
    if pain and not (where and kind):
        raise ConfigError("with pain above 0, say where it hurt and what kind of pain it was")
    return CheckIn(
        pain_0_10=pain,
        rpe_1_10=optional_int(str(form.get("rpe", "")), "effort"),
        location=parse_pain_location(where) if pain else PainLocation.NONE,
        kind=parse_pain_kind(kind) if pain else PainKind.NONE,
        symptoms=frozenset(Symptom(s) for s in form.getlist("symptoms") if s in set(Symptom)),
    )


@router.post("/log")
async def log_submit(request: Request, store: StoreDep, profile: ProfileDep) -> Response:
    form = await request.form()
    checkin = await _checkin(request)
    session_id = optional_int(str(form.get("session", "")), "session")
    if session_id is not None:
        decision = add_checkin(store, profile, session_id, checkin)
        title = f"Check-in saved for session {session_id}"
    else:
        today = coaching.today_in(store.get_profile(profile).timezone)
        variation = str(form.get("variation") or "")
        all_text = str(form.get("all_reps") or "")
        logged = LoggedSession(
            on=parse_day(str(form.get("date") or ""), today),
            rung=parse_rung(variation) if variation else None,
            clean_reps=counts(str(form.get("sets") or ""), "clean reps per set"),
            all_reps=counts(all_text, "all reps per set") if all_text else None,
            note=str(form.get("note") or "")[:500],
        )
        session_id, decision = log_session(store, profile, logged, checkin)
        title = f"Saved session {session_id}"
    data = {"title": title, "session": session_id, "next": _decision(decision)}
    return page(request, "logged.html", data)


# history ----------------------------------------------------------------------------------------
def _history_data(store: Store, profile: str) -> dict[str, Any]:
    return {"sessions": history_rows(store, profile)}


@router.get("/history")
def history_page(request: Request, store: StoreDep, profile: ProfileDep) -> Response:
    return page(request, "history.html", _history_data(store, profile))


@router.get("/history.json")
def history_json(store: StoreDep, profile: ProfileDep) -> dict[str, Any]:
    return _history_data(store, profile)


@router.get("/history.png")
def history_png(store: StoreDep, profile: ProfileDep) -> Response:
    from pushup_coach.coach.history_plot import point_from_session, render_history

    points = [point_from_session(s) for s in store.sessions(profile)]
    with tempfile.TemporaryDirectory() as tmp:
        path = render_history(points, Path(tmp) / "history.png")
        return Response(path.read_bytes(), media_type="image/png")
