"""The push-up ladder (COACHING.md section 4), easiest rung first, and baseline placement.

Load on the hands grows down the ladder; decline (feet raised) is the hardest common form, then the
skill forms. One-arm and clapping push-ups load the spine most and are never on the ladder at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from pushup_coach.errors import ConfigError
from pushup_coach.types import Variation


class Rung(StrEnum):
    """One step of the ladder; the values are what people type and what storage keeps."""

    WALL = "wall"
    HIGH_INCLINE = "high_incline"
    LOW_INCLINE = "low_incline"
    KNEE = "knee"
    FULL = "full"
    DECLINE = "decline"
    DIAMOND = "diamond"
    ARCHER = "archer"

    @property
    def level(self) -> int:
        """0 for wall ... 7 for archer."""
        return LADDER.index(self)

    @property
    def label(self) -> str:
        return _LABELS[self]


LADDER: tuple[Rung, ...] = tuple(Rung)

_LABELS = {
    Rung.WALL: "wall push-ups",
    Rung.HIGH_INCLINE: "high incline push-ups (hands on a counter)",
    Rung.LOW_INCLINE: "low incline push-ups (hands on a bench or step)",
    Rung.KNEE: "knee push-ups",
    Rung.FULL: "full push-ups",
    Rung.DECLINE: "decline push-ups (feet raised)",
    Rung.DIAMOND: "diamond push-ups",
    Rung.ARCHER: "archer push-ups",
}

# Spine-heavy rungs: never offered before a person with a screening flag records clearance.
SPINE_HEAVY: frozenset[Rung] = frozenset({Rung.DECLINE, Rung.ARCHER})
# Highest rung of the conservative plan (screening flag, no clearance yet): "lower rungs".
CONSERVATIVE_CEILING = Rung.KNEE
# Highest rung ever offered to someone who reported a back condition, even after clearance
# (archer is a near one-arm push-up).
BACK_CONDITION_CEILING = Rung.DIAMOND

# Baseline placement: max clean reps below this -> one rung down; at or above the upper -> one up.
BASELINE_TOO_HARD_REPS = 5
BASELINE_TOO_EASY_REPS = 20


def parse_rung(text: str) -> Rung:
    """A rung from what a person typed (``knee``, ``high-incline``, ``High Incline``)."""
    key = text.strip().lower().replace("-", "_").replace(" ", "_")
    try:
        return Rung(key)
    except ValueError:
        names = ", ".join(r.value for r in LADDER)
        raise ConfigError(f"unknown variation {text!r}; choose one of: {names}") from None


def rung_from_variation(variation: Variation | str) -> Rung:
    """The rung an analysed video's variation stands for.

    The analysis cannot tell a high from a low incline, so ``incline`` maps to the easier
    ``high_incline`` (placing a person too low is the safe error).
    """
    mapping = {
        Variation.WALL: Rung.WALL,
        Variation.INCLINE: Rung.HIGH_INCLINE,
        Variation.KNEE: Rung.KNEE,
        Variation.FULL: Rung.FULL,
        Variation.DECLINE: Rung.DECLINE,
    }
    try:
        return mapping[Variation(variation)]
    except (KeyError, ValueError):
        raise ConfigError(
            f"the analysis could not tell the variation ({variation!r}); "
            "enter the baseline by hand: --variation knee --reps 9"
        ) from None


def step(rung: Rung, by: int, ceiling: Ceiling | None = None) -> Rung:
    """The rung ``by`` steps up (+) or down (-), kept on the ladder and at or below ``ceiling``."""
    top = ceiling.rung.level if ceiling is not None else len(LADDER) - 1
    level = max(0, min(rung.level + by, top))
    return LADDER[level]


@dataclass(frozen=True)
class Ceiling:
    """The highest rung a person may be offered, and why (said whenever it holds them back)."""

    rung: Rung
    why: str
    conservative: bool = False  # a screening flag without clearance: fewer sets too


@dataclass(frozen=True)
class Placement:
    """Where a baseline test puts a person, and why."""

    rung: Rung
    reason: str


def place_from_baseline(tested: Rung, max_clean_reps: int, ceiling: Ceiling | None) -> Placement:
    """Place a newcomer from a max-clean-reps test at ``tested`` (COACHING.md section 4).

    Under 5 clean reps: one rung easier; 20 or more: one rung harder; else the tested rung. A
    ``ceiling`` (conservative plan) caps the result and the reason says so.
    """
    if max_clean_reps < 0:
        raise ConfigError(f"reps must be 0 or more, got {max_clean_reps}")
    what = f"{max_clean_reps} clean {tested.label}"
    if max_clean_reps < BASELINE_TOO_HARD_REPS:
        wanted = step(tested, -1)
        why = f"{what} is under {BASELINE_TOO_HARD_REPS}: start one rung easier, on {wanted.label}"
        if wanted == tested:
            why = f"{what}: start on the easiest rung, {wanted.label}"
    elif max_clean_reps >= BASELINE_TOO_EASY_REPS:
        wanted = step(tested, +1)
        why = (
            f"{what} is {BASELINE_TOO_EASY_REPS} or more: start one rung harder, on {wanted.label}"
        )
    else:
        wanted = tested
        span = f"{BASELINE_TOO_HARD_REPS}-{BASELINE_TOO_EASY_REPS - 1}"
        why = f"{what} is within {span}: start on {wanted.label}"
    rung = step(wanted, 0, ceiling)
    if ceiling is not None and rung != wanted:
        why = f"{why}; capped at {rung.label} {ceiling.why}"
    return Placement(rung=rung, reason=why)
