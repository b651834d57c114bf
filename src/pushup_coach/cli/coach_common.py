"""Shared pieces of the coach commands: common options, parsing of dates and counts.

The questions every command asks of the stored history (screening gate, what to do next) are the
application layer's (``pushup_coach.app.coaching``, shared with the web app); they are re-exported
here for the commands that import them from this module.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import click

from pushup_coach.app.coaching import (  # the use cases live in the application layer
    baseline_test,
    next_step,
    place_baseline,
    screening_ceiling,
    sessions_since_baseline,
    today_in,
)
from pushup_coach.config import DEFAULT_PROFILE
from pushup_coach.errors import ConfigError

__all__ = [
    "DATE_FORMAT",
    "NOT_MEDICAL_ADVICE",
    "baseline_test",
    "check_zone",
    "coach_options",
    "local_zone_name",
    "next_step",
    "parse_counts",
    "parse_date",
    "place_baseline",
    "screening_ceiling",
    "sessions_since_baseline",
    "today_in",
]

F = TypeVar("F", bound=Callable[..., Any])
DATE_FORMAT = "YYYY-MM-DD"
NOT_MEDICAL_ADVICE = "Not medical advice."


# ``--db`` on every command that opens the database (coach commands, live, serve, worker).
db_option = click.option(
    "--db",
    "db_url",
    metavar="URL",
    default=None,
    help="Database URL (default: $PUSHUP_COACH_DB or SQLite in the data folder), e.g. "
    "postgresql+psycopg://user:pw@host/db.",
)


def coach_options(func: F) -> F:
    """``--profile`` and ``--db`` on every coach command."""

    @db_option
    @click.option(
        "--profile",
        default=DEFAULT_PROFILE,
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
