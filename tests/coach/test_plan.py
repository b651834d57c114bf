"""Plan dates: chosen days, week boundary, missed and just-done sessions, DST, day validation."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from pushup_coach.coach.ladder import Rung
from pushup_coach.coach.plan import parse_days, plan_week
from pushup_coach.errors import ConfigError

BERLIN = ZoneInfo("Europe/Berlin")
MWF = (0, 2, 4)


def dates(today: dt.date, **kwargs: object) -> list[str]:
    plan = plan_week(today, MWF, Rung.KNEE, 10, "why", BERLIN, **kwargs)  # type: ignore[arg-type]
    return [f"{s.on:%a %Y-%m-%d}" for s in plan.sessions]


DATE_CASES = [
    (
        "monday: this week",
        dt.date(2026, 3, 2),
        {},
        ["Mon 2026-03-02", "Wed 2026-03-04", "Fri 2026-03-06"],
    ),
    (
        "saturday: crosses the week boundary",
        dt.date(2026, 3, 7),
        {},
        ["Mon 2026-03-09", "Wed 2026-03-11", "Fri 2026-03-13"],
    ),
    (
        "sunday before new year",
        dt.date(2026, 12, 27),
        {},
        ["Mon 2026-12-28", "Wed 2026-12-30", "Fri 2027-01-01"],
    ),
    (
        "already trained today",
        dt.date(2026, 3, 2),
        {"last_on": dt.date(2026, 3, 2)},
        ["Wed 2026-03-04", "Fri 2026-03-06"],
    ),
    (
        "missed wed, trained thu: no session fri",
        dt.date(2026, 3, 6),
        {"last_on": dt.date(2026, 3, 5)},
        ["Mon 2026-03-09", "Wed 2026-03-11"],
    ),
]


@pytest.mark.parametrize(
    ("today", "kwargs", "expected"), [c[1:] for c in DATE_CASES], ids=[c[0] for c in DATE_CASES]
)
def test_plan_dates(today: dt.date, kwargs: dict[str, object], expected: list[str]) -> None:
    assert dates(today, **kwargs) == expected


def test_missed_session_is_said_and_plan_carries_on() -> None:
    plan = plan_week(
        dt.date(2026, 3, 5),
        MWF,
        Rung.KNEE,
        10,
        "why",
        BERLIN,
        last_on=dt.date(2026, 3, 2),
        since=dt.date(2026, 3, 1),
    )
    assert [s.on for s in plan.sessions] == [
        dt.date(2026, 3, 6),
        dt.date(2026, 3, 9),
        dt.date(2026, 3, 11),
    ]
    assert plan.notes == (
        "you missed Wed 04 Mar; no catching up: the plan carries on from today at the same level",
    )


def test_skipped_day_note() -> None:
    plan = plan_week(
        dt.date(2026, 3, 6), MWF, Rung.KNEE, 10, "why", BERLIN, last_on=dt.date(2026, 3, 5)
    )
    assert plan.notes == (
        "Fri 06 Mar skipped: you trained the day before; rest a day between sessions",
    )


def test_start_times_follow_daylight_saving() -> None:
    # Berlin moves to summer time on Sun 29 Mar 2026: 18:00 local is 17:00Z before, 16:00Z after.
    plan = plan_week(dt.date(2026, 3, 27), MWF, Rung.FULL, 8, "why", BERLIN)
    utc = [s.starts_at.astimezone(dt.UTC).strftime("%a %H:%MZ") for s in plan.sessions]
    assert utc == ["Fri 17:00Z", "Mon 16:00Z", "Wed 16:00Z"]
    assert [s.starts_at.strftime("%H:%M") for s in plan.sessions] == ["18:00"] * 3


@pytest.mark.parametrize(
    ("rung", "conservative", "sets", "rest_s"),
    [
        (Rung.WALL, False, 3, 60),
        (Rung.KNEE, False, 3, 90),
        (Rung.KNEE, True, 2, 90),
        (Rung.DECLINE, False, 3, 120),
    ],
)
def test_prescription(rung: Rung, conservative: bool, sets: int, rest_s: int) -> None:
    plan = plan_week(dt.date(2026, 3, 2), MWF, rung, 10, "why", BERLIN, conservative=conservative)
    assert {(s.sets, s.reps, s.rest_s) for s in plan.sessions} == {(sets, 10, rest_s)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [("mon,wed,fri", (0, 2, 4)), ("Tue, Thu, Sat", (1, 3, 5)), ("mon,thu", (0, 3))],
)
def test_parse_days(text: str, expected: tuple[int, ...]) -> None:
    assert parse_days(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "mon,tue,fri",
            "training days must not be back to back: mon and tue leave no rest day between",
        ),
        (
            "mon,wed,sun",
            "training days must not be back to back: sun and mon leave no rest day between",
        ),
        ("mon", "choose 2-3 training days a week (e.g. mon,wed,fri), got 1"),
        ("mon,wed,fry", "unknown day(s) fry; use mon,tue,wed,thu,fri,sat,sun"),
    ],
)
def test_bad_days(text: str, message: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_days(text)
    assert str(info.value) == message
