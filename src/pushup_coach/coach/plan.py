"""The coming week's plan (COACHING.md section 4): sessions on the person's chosen days.

Days are calendar dates in the person's time zone; session start times are aware datetimes in that
zone, so a calendar export stays right across a daylight-saving change. The plan covers the seven
days from ``today`` (so a plan made on a Saturday crosses the week boundary), never puts a session
the day after the last one logged, and says when a planned day was missed. A paused plan
(:func:`paused_week`) has no sessions at all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from pushup_coach.coach.ladder import Rung
from pushup_coach.errors import ConfigError

WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DEFAULT_DAYS = "mon,wed,fri"
DEFAULT_START = dt.time(18, 0)
MIN_DAYS, MAX_DAYS = 2, 3
SETS = 3
CONSERVATIVE_SETS = 2
SESSION_MINUTES = 20


def rest_s_for(rung: Rung) -> int:
    """Rest between sets (60-120 s): more for the harder rungs."""
    if rung.level <= Rung.LOW_INCLINE.level:
        return 60
    if rung.level <= Rung.FULL.level:
        return 90
    return 120


def parse_days(text: str) -> tuple[int, ...]:
    """Training weekdays (0 = Monday) from ``"mon,wed,fri"``: 2-3 days, none back to back."""
    names = [t.strip().lower()[:3] for t in text.split(",") if t.strip()]
    bad = [n for n in names if n not in WEEKDAYS]
    if bad:
        raise ConfigError(f"unknown day(s) {', '.join(bad)}; use {','.join(WEEKDAYS)}")
    days = tuple(sorted({WEEKDAYS.index(n) for n in names}))
    if not MIN_DAYS <= len(days) <= MAX_DAYS:
        raise ConfigError(
            f"choose {MIN_DAYS}-{MAX_DAYS} training days a week (e.g. {DEFAULT_DAYS}), "
            f"got {len(days)}"
        )
    for d in days:
        if (d + 1) % 7 in days:
            raise ConfigError(
                f"training days must not be back to back: {WEEKDAYS[d]} and "
                f"{WEEKDAYS[(d + 1) % 7]} leave no rest day between"
            )
    return days


def format_days(days: tuple[int, ...]) -> str:
    return ",".join(WEEKDAYS[d] for d in days)


@dataclass(frozen=True)
class PlannedSession:
    """One session: the date, when it starts (aware, person's zone), and what to do."""

    on: dt.date
    starts_at: dt.datetime
    rung: Rung
    sets: int
    reps: int
    rest_s: int
    duration_min: int = SESSION_MINUTES


@dataclass(frozen=True)
class WeekPlan:
    """The sessions of the coming days; a paused plan has none and says why from ``first_day``."""

    sessions: tuple[PlannedSession, ...]
    reason: str
    notes: tuple[str, ...]
    paused: bool = False
    first_day: dt.date | None = None


def paused_week(today: dt.date, reason: str, advice: tuple[str, ...]) -> WeekPlan:
    """No sessions: recurring pain or a warning sign paused the plan until clearance."""
    return WeekPlan(sessions=(), reason=reason, notes=advice, paused=True, first_day=today)


def _missed_day(
    today: dt.date, days: tuple[int, ...], last_on: dt.date | None, since: dt.date
) -> dt.date | None:
    """The latest training day before today, on or after ``since``, with no session since."""
    for back in range(1, 8):
        d = today - dt.timedelta(days=back)
        if d < since or (last_on is not None and d <= last_on):
            return None
        if d.weekday() in days:
            return d
    return None


def plan_week(
    today: dt.date,
    days: tuple[int, ...],
    rung: Rung,
    reps: int,
    reason: str,
    tz: ZoneInfo,
    *,
    last_on: dt.date | None = None,
    since: dt.date | None = None,
    conservative: bool = False,
    start: dt.time = DEFAULT_START,
) -> WeekPlan:
    """Sessions on ``days`` in the 7 days from ``today``.

    ``last_on``: date of the last logged session (no session today if it was today, none the day
    after it). ``since``: when the person started (no "missed" note before it).
    """
    notes: list[str] = []
    missed = _missed_day(today, days, last_on, since or today)
    if missed is not None:
        notes.append(
            f"you missed {missed:%a %d %b}; no catching up: the plan carries on from today "
            "at the same level"
        )
    sessions: list[PlannedSession] = []
    for ahead in range(7):
        on = today + dt.timedelta(days=ahead)
        if on.weekday() not in days:
            continue
        if last_on is not None and (on - last_on).days in (0, 1):
            why = "you trained that day" if on == last_on else "you trained the day before"
            notes.append(f"{on:%a %d %b} skipped: {why}; rest a day between sessions")
            continue
        starts_at = dt.datetime.combine(on, start, tzinfo=tz)
        sets = CONSERVATIVE_SETS if conservative else SETS
        sessions.append(PlannedSession(on, starts_at, rung, sets, reps, rest_s_for(rung)))
    return WeekPlan(sessions=tuple(sessions), reason=reason, notes=tuple(notes))
