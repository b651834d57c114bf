"""The plan's .ics parses back (RFC 5545) with the right UIDs, stamps and UTC start times."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from icalendar import Calendar

from pushup_coach.coach.calendar import plan_to_ical
from pushup_coach.coach.ladder import Rung
from pushup_coach.coach.plan import plan_week

STAMP = dt.datetime(2026, 3, 27, 8, 0, tzinfo=dt.UTC)


def test_ical_parses_back_across_dst() -> None:
    plan = plan_week(
        dt.date(2026, 3, 27),
        (0, 2, 4),
        Rung.KNEE,
        10,
        "baseline: 9 clean",
        ZoneInfo("Europe/Berlin"),
    )
    ics = plan_to_ical(plan, "ana", STAMP)
    assert ics.startswith(b"BEGIN:VCALENDAR\r\n")
    cal = Calendar.from_ical(ics)
    assert (str(cal["version"]), str(cal["prodid"])) == ("2.0", "-//pushup-coach//weekly plan//EN")
    events = list(cal.walk("VEVENT"))
    assert [str(e["uid"]) for e in events] == [
        "2026-03-27-ana@pushup-coach",
        "2026-03-30-ana@pushup-coach",
        "2026-04-01-ana@pushup-coach",
    ]
    assert [e.decoded("dtstart") for e in events] == [
        dt.datetime(2026, 3, 27, 17, 0, tzinfo=dt.UTC),
        dt.datetime(2026, 3, 30, 16, 0, tzinfo=dt.UTC),
        dt.datetime(2026, 4, 1, 16, 0, tzinfo=dt.UTC),
    ]
    assert {e.decoded("dtstamp") for e in events} == {STAMP}
    assert [e.decoded("dtend") - e.decoded("dtstart") for e in events] == [
        dt.timedelta(minutes=20)
    ] * 3
    assert str(events[0]["summary"]) == "Push-ups: 3 x 10 knee push-ups"
    assert "Why this level: baseline: 9 clean" in str(events[0]["description"])
    assert b"DTSTART:20260327T170000Z\r\n" in ics
