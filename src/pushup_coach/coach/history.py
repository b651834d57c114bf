"""What the coach reads about the past: sessions with their sets and the check-in after them.

Reps are counts of completed reps; "clean" reps are reps with no form fault (COACHING.md section 1:
progress counts clean reps only). Dates are calendar dates in the person's own time zone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

from pushup_coach.coach.ladder import Rung
from pushup_coach.errors import ConfigError

PAIN_MAX = 10
RPE_MIN, RPE_MAX = 1, 10


class PainKind(StrEnum):
    """How the pain felt; sharp, radiating and lasting back pain end a session at any level."""

    NONE = "none"
    DULL = "dull"
    ACHE = "ache"
    SHARP = "sharp"
    RADIATING = "radiating"
    LASTING = "lasting"


class PainLocation(StrEnum):
    """Where it hurt; the first three are the back (spine)."""

    NONE = "none"
    LOWER_BACK = "lower_back"
    UPPER_BACK = "upper_back"
    NECK = "neck"
    SHOULDER = "shoulder"
    ELBOW = "elbow"
    WRIST = "wrist"
    CHEST = "chest"
    LEG = "leg"
    OTHER = "other"

    @property
    def is_back(self) -> bool:
        return self in (PainLocation.LOWER_BACK, PainLocation.UPPER_BACK, PainLocation.NECK)

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


class Symptom(StrEnum):
    """Warning signs during exercise: any of them means stop now and seek medical advice now."""

    CHEST_PAIN = "chest_pain"
    DIZZINESS = "dizziness"
    FAINTING = "fainting"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


E = TypeVar("E", bound=StrEnum)


def _parse_enum(kind: type[E], text: str, what: str) -> E:
    key = text.strip().lower().replace("-", "_").replace(" ", "_")
    try:
        return kind(key)
    except ValueError:
        names = ", ".join(k.value for k in kind)
        raise ConfigError(f"unknown {what} {text!r}; choose one of: {names}") from None


def parse_pain_kind(text: str) -> PainKind:
    return _parse_enum(PainKind, text, "pain kind")


def parse_pain_location(text: str) -> PainLocation:
    return _parse_enum(PainLocation, text, "pain location")


def parse_symptoms(text: str) -> frozenset[Symptom]:
    """``"chest_pain,dizziness"`` -> those symptoms; ``"none"`` or ``""`` -> none."""
    keys = [
        t for t in text.replace(" ", "").split(",") if t and t.lower() not in ("none", "no", "n")
    ]
    return frozenset(_parse_enum(Symptom, k, "symptom") for k in keys)


def format_symptoms(symptoms: frozenset[Symptom]) -> str:
    """The stored form: sorted values joined by commas ("" for none)."""
    return ",".join(sorted(s.value for s in symptoms))


@dataclass(frozen=True)
class CheckIn:
    """How a session felt: effort (RPE 1-10, optional), pain 0-10 with where and what kind, and
    warning signs during it. ``cleared_at`` (naive UTC): a professional cleared the person after
    it, so it no longer holds the plan paused."""

    pain_0_10: int
    rpe_1_10: int | None = None
    location: PainLocation = PainLocation.NONE
    kind: PainKind = PainKind.NONE
    symptoms: frozenset[Symptom] = frozenset()
    cleared_at: dt.datetime | None = None

    @property
    def warning_signs(self) -> tuple[str, ...]:
        """Chest pain (at any level), dizziness or fainting: what was reported, as words."""
        said = [s.label for s in sorted(self.symptoms)]
        if self.location == PainLocation.CHEST and self.pain_0_10 > 0 and "chest pain" not in said:
            said.insert(0, "chest pain")
        return tuple(said)

    def __post_init__(self) -> None:
        if not 0 <= self.pain_0_10 <= PAIN_MAX:
            raise ConfigError(f"pain must be 0-{PAIN_MAX}, got {self.pain_0_10}")
        if self.rpe_1_10 is not None and not RPE_MIN <= self.rpe_1_10 <= RPE_MAX:
            raise ConfigError(f"RPE must be {RPE_MIN}-{RPE_MAX}, got {self.rpe_1_10}")


@dataclass(frozen=True)
class SessionRecord:
    """One session as the coach sees it.

    ``clean_reps`` and ``all_reps`` hold one count per set (same length, clean <= all).
    """

    on: dt.date
    rung: Rung
    clean_reps: tuple[int, ...]
    all_reps: tuple[int, ...]
    checkin: CheckIn | None = None

    def __post_init__(self) -> None:
        if not self.clean_reps:
            raise ConfigError("a session needs at least one set")
        if len(self.clean_reps) != len(self.all_reps):
            raise ConfigError(
                f"clean_reps and all_reps need one count per set, got {len(self.clean_reps)} "
                f"and {len(self.all_reps)}"
            )
        for clean, total in zip(self.clean_reps, self.all_reps, strict=True):
            if not 0 <= clean <= total:
                raise ConfigError(
                    f"clean reps must be 0..all reps in each set, got {clean}/{total}"
                )

    @property
    def faulty_reps(self) -> int:
        return sum(self.all_reps) - sum(self.clean_reps)


@dataclass(frozen=True)
class BaselineTest:
    """A max-clean-reps test: ``max_clean_reps`` at ``tested`` on ``taken_on``."""

    taken_on: dt.date
    tested: Rung
    max_clean_reps: int
