"""Shared pieces of the coach commands: common options, parsing of dates and counts, and the
questions every command asks of the stored history (screening gate, what to do next)."""

from __future__ import annotations

import datetime as dt
import functools
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import click

from pushup_coach.coach.advice import next_session, paused, place
from pushup_coach.coach.history import BaselineTest
from pushup_coach.coach.ladder import Ceiling, Placement
from pushup_coach.coach.progression import Decision
from pushup_coach.coach.safety import CLEAR_COMMAND
from pushup_coach.coach.screening import ScreeningOutcome, ceiling_for
from pushup_coach.errors import ConfigError
from pushup_coach.storage import SessionInfo, Store
from pushup_coach.storage.policy import screening_gate

F = TypeVar("F", bound=Callable[..., Any])
DATE_FORMAT = "YYYY-MM-DD"
NOT_MEDICAL_ADVICE = "Not medical advice."


def coach_options(func: F) -> F:
    """``--profile`` and ``--db`` on every coach command."""

    @click.option(
        "--db",
        "db_url",
        metavar="URL",
        default=None,
        help="Database URL (default: $PUSHUP_COACH_DB or SQLite in the data folder), e.g. "
        "postgresql+psycopg://user:pw@host/db.",
    )
    @click.option(
        "--profile",
        default="default",
        show_default=True,
        help="Whose data (several people can share one install).",
    )
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def local_zone_name() -> str:
    """The system's IANA zone name ($TZ, else /etc/localtime's target), falling back to UTC."""
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    localtime = Path("/etc/localtime")
    if localtime.is_symlink():
        target = str(localtime.resolve())
        if "zoneinfo/" in target:
            candidates.append(target.split("zoneinfo/", 1)[1])
    for name in candidates:
        if name and _is_zone(name):
            return name
    return "UTC"


def _is_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def check_zone(name: str) -> str:
    if not _is_zone(name):
        raise ConfigError(f"unknown time zone {name!r}; use an IANA name such as Europe/Berlin")
    return name


def parse_date(text: str | None, default: dt.date, latest: dt.date | None = None) -> dt.date:
    """A ``YYYY-MM-DD`` date (``default`` when not given); after ``latest`` (today, for what
    already happened) is an error."""
    if text is None:
        return default
    try:
        on = dt.date.fromisoformat(text)
    except ValueError:
        raise ConfigError(f"date must be {DATE_FORMAT}, got {text!r}") from None
    if latest is not None and on > latest:
        raise ConfigError(f"date {on} is in the future (today is {latest}); give today or earlier")
    return on


def parse_counts(text: str, what: str = "reps per set") -> tuple[int, ...]:
    """``"10,9,8"`` -> (10, 9, 8); whole numbers 0-200, at least one."""
    try:
        counts = tuple(int(t) for t in text.replace(" ", "").split(",") if t)
    except ValueError:
        raise ConfigError(
            f"{what} must be whole numbers separated by commas (e.g. 10,9,8), got {text!r}"
        ) from None
    if not counts or any(not 0 <= n <= 200 for n in counts):
        raise ConfigError(f"{what} must be 1 or more counts of 0-200 (e.g. 10,9,8), got {text!r}")
    return counts


def today_in(zone: str) -> dt.date:
    return dt.datetime.now(ZoneInfo(zone)).date()


def screening_ceiling(store: Store, profile: str) -> Ceiling | None:
    """The rung cap the latest screening sets; errors when there is none or a red flag blocks."""
    screening = screening_gate(store, profile)  # the one gate plans and stored sessions share
    outcome = ScreeningOutcome(screening.outcome)
    flagged = tuple(k for k, v in screening.answers.items() if v)
    return ceiling_for(outcome, flagged, screening.cleared_at)


def sessions_since_baseline(store: Store, profile: str) -> list[SessionInfo]:
    baseline = store.latest_baseline(profile)
    sessions = store.sessions(profile)
    if baseline is None:
        return sessions
    return [s for s in sessions if s.performed_on >= baseline.taken_on]


def baseline_test(store: Store, profile: str) -> BaselineTest | None:
    baseline = store.latest_baseline(profile)
    if baseline is None:
        return None
    return BaselineTest(baseline.taken_on, baseline.tested_rung, baseline.clean_reps)


def next_step(
    store: Store, profile: str, today: dt.date | None = None
) -> tuple[Decision, Ceiling | None, list[SessionInfo]]:
    """What the next session should be, the ceiling in force, and the sessions since the
    baseline; ``today`` (default: today in the profile's zone) dates a long break."""
    ceiling = screening_ceiling(store, profile)
    day = today or today_in(store.get_profile(profile).timezone)
    records = [s.to_record() for s in store.sessions(profile)]
    decision = next_session(records, baseline_test(store, profile), ceiling, day)
    return decision, ceiling, sessions_since_baseline(store, profile)


def place_baseline(store: Store, profile: str, test: BaselineTest) -> Placement:
    """Where a new baseline puts the person: refused while the plan is paused; capped by the
    screening and by a pain stop in the 7 days before it."""
    ceiling = screening_ceiling(store, profile)
    records = [s.to_record() for s in store.sessions(profile)]
    pause = paused(records, ceiling)
    if pause is not None:
        raise ConfigError(
            f"no baseline while your plan is paused: {pause.reason}. When a professional has "
            f"cleared you, run `{CLEAR_COMMAND} --profile {profile}`"
        )
    return place(test, records, ceiling)
