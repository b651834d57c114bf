"""The weekly plan as an RFC 5545 iCalendar file that calendar apps import.

Each session is a VEVENT with a stable UID (profile, date), DTSTAMP, and DTSTART/DTEND in UTC
(converted from the person's zone, so times stay right across a daylight-saving change). A paused
plan is one all-day event on its first day that says so, and no sessions.
"""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar, Event

from pushup_coach.coach.plan import WeekPlan

PRODID = "-//pushup-coach//weekly plan//EN"
PAUSED_SUMMARY = "Push-ups paused: see a healthcare professional before training again"


def _paused_event(plan: WeekPlan, profile: str, stamp: dt.datetime) -> Event:
    """An all-day event on the plan's first day saying why there are no sessions."""
    first = plan.first_day or stamp.date()
    event = Event()
    event.add("uid", f"{first.isoformat()}-paused-{profile}@pushup-coach")
    event.add("dtstamp", stamp.astimezone(dt.UTC))
    event.add("dtstart", first)
    event.add("dtend", first + dt.timedelta(days=1))
    event.add("summary", PAUSED_SUMMARY)
    advice = "\n".join(plan.notes)
    event.add("description", f"Plan paused: {plan.reason}.\n{advice}")
    return event


def plan_to_ical(plan: WeekPlan, profile: str, stamp: dt.datetime) -> bytes:
    """``plan`` as .ics bytes; ``stamp`` (aware) is the DTSTAMP of every event."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if plan.paused:
        cal.add_component(_paused_event(plan, profile, stamp))
    for s in plan.sessions:
        start = s.starts_at.astimezone(dt.UTC)
        event = Event()
        event.add("uid", f"{s.on.isoformat()}-{profile}@pushup-coach")
        event.add("dtstamp", stamp.astimezone(dt.UTC))
        event.add("dtstart", start)
        event.add("dtend", start + dt.timedelta(minutes=s.duration_min))
        event.add("summary", f"Push-ups: {s.sets} x {s.reps} {s.rung.label}")
        event.add(
            "description",
            f"{s.sets} sets of {s.reps} clean reps, {s.rest_s} s rest between sets.\n"
            f"Why this level: {plan.reason}\nStop if anything hurts. Not medical advice.",
        )
        cal.add_component(event)
    return cal.to_ical()
