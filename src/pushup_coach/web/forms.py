"""Reading form values the way the command line reads the same options (one parser for both)."""

from __future__ import annotations

import datetime as dt

from pushup_coach.cli.coach_common import local_zone_name, parse_counts, parse_date
from pushup_coach.errors import ConfigError


def counts(text: str, what: str) -> tuple[int, ...]:
    """``"10,9,8"`` -> (10, 9, 8), as ``log --sets``."""
    return parse_counts(text, what)


def parse_day(text: str, today: dt.date) -> dt.date:
    """A ``YYYY-MM-DD`` day, today when empty; never in the future."""
    return parse_date(text or None, today, latest=today)


def optional_int(text: str, what: str) -> int | None:
    """A whole number, or None for an empty field."""
    text = text.strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        raise ConfigError(f"{what} must be a whole number, got {text[:20]!r}") from None


def local_zone() -> str:
    """The time zone of this computer (the server runs where the person is)."""
    return local_zone_name()
