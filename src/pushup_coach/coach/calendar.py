"""The weekly plan as an RFC 5545 iCalendar file that calendar apps import.

Each session is a VEVENT with a stable UID (profile, date), DTSTAMP, and DTSTART/DTEND in UTC
(converted from the person's zone, so times stay right across a daylight-saving change).
"""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar, Event

from pushup_coach.coach.plan import WeekPlan

PRODID = "-//pushup-coach//weekly plan//EN"


def plan_to_ical(plan: WeekPlan, profile: str, stamp: dt.datetime) -> bytes:
    """``plan`` as .ics bytes; ``stamp`` (aware) is the DTSTAMP of every event."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
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
