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

# Spine-heavy forms (Freeman et al. 2006): never offered to anyone with a screening flag before
# clearance, and never to someone who reported a back condition or back pain, cleared or not.
# One-arm and clapping push-ups load the spine most: they are not on the ladder at all.
SPINE_HEAVY: frozenset[Rung] = frozenset({Rung.DECLINE, Rung.ARCHER})
OFF_LADDER_SPINE_HEAVY: tuple[str, ...] = ("one_arm", "clap", "clapping")
# Highest rung of the conservative plan (screening flag, no clearance yet): "lower rungs".
CONSERVATIVE_CEILING = Rung.KNEE
# Highest rung ever offered to someone who reported a back condition, even after clearance;
# decline and archer (spine-heavy) are skipped below it: full -> diamond.
BACK_CONDITION_CEILING = Rung.DIAMOND

# Baseline placement: max clean reps below this -> one rung down; at or above the upper -> one up.
BASELINE_TOO_HARD_REPS = 5
BASELINE_TOO_EASY_REPS = 20
# Starting load: sets of about 60% (50-70%) of the tested max, never above it; on a rung other than
# the tested one (whose max is unknown) 5 reps per set, or 60% of the tested max when that is more
# on an easier rung. Reps per set never go above 12 (the top of the 8-12 target).
START_FRACTION = 0.6
START_REPS_NEW_RUNG = 5
TARGET_MAX_REPS = 12


def parse_rung(text: str) -> Rung:
    """A rung from what a person typed (``knee``, ``high-incline``, ``High Incline``)."""
    key = text.strip().lower().replace("-", "_").replace(" ", "_")
    names = ", ".join(r.value for r in LADDER)
    if key in OFF_LADDER_SPINE_HEAVY:
        raise ConfigError(
            f"{text!r} push-ups load the spine most and are never planned; choose one of: {names}"
        )
    try:
        return Rung(key)
    except ValueError:
        raise ConfigError(f"unknown variation {text!r}; choose one of: {names}") from None


def variation_of(rung: Rung) -> Variation:
    """What the camera should see on ``rung``: skill forms (diamond, archer) are done on the
    toes, so they look like full push-ups; both inclines look like an incline."""
    return {
        Rung.WALL: Variation.WALL,
        Rung.HIGH_INCLINE: Variation.INCLINE,
        Rung.LOW_INCLINE: Variation.INCLINE,
        Rung.KNEE: Variation.KNEE,
        Rung.DECLINE: Variation.DECLINE,
    }.get(rung, Variation.FULL)


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
            f"the analysis could not tell the variation ({variation!r}: the legs were not seen "
            "well enough), so there is nothing to record it as; say which one you did "
            "(--variation knee on the command line, 'What you did' in the web app)"
        ) from None


@dataclass(frozen=True)
class Ceiling:
    """The rungs a person may be offered: up to ``rung``, never one in ``excluded``, and why.

    Every ceiling excludes the spine-heavy rungs, so a ceiling above decline (the back-condition
    one) still skips decline and archer. ``why`` is said whenever the ceiling holds a person back.
    """

    rung: Rung
    why: str
    conservative: bool = False  # a screening flag without clearance: fewer sets too
    excluded: frozenset[Rung] = SPINE_HEAVY

    def allows(self, rung: Rung) -> bool:
        return rung.level <= self.rung.level and rung not in self.excluded


def allowed_rungs(ceiling: Ceiling | None) -> tuple[Rung, ...]:
    """The ladder as ``ceiling`` leaves it, easiest first (wall is always allowed)."""
    return tuple(r for r in LADDER if ceiling is None or ceiling.allows(r) or r == Rung.WALL)


def cap(rung: Rung, ceiling: Ceiling | None) -> Rung:
    """The hardest allowed rung at or below ``rung``."""
    return [r for r in allowed_rungs(ceiling) if r.level <= rung.level][-1]


def step(rung: Rung, by: int, ceiling: Ceiling | None = None) -> Rung:
    """The rung ``by`` allowed steps up (+) or ladder steps down (-) from ``rung``, capped.

    Up skips the rungs ``ceiling`` excludes (full -> diamond for a back condition); the result is
    always an allowed rung, even when ``rung`` itself is not (archer -> diamond).
    """
    if by > 0:
        above = [r for r in allowed_rungs(ceiling) if r.level > rung.level]
        return above[min(by, len(above)) - 1] if above else cap(rung, ceiling)
    return cap(LADDER[max(0, rung.level + by)], ceiling)


def tighter(a: Ceiling | None, b: Ceiling | None) -> Ceiling | None:
    """The stricter of two ceilings (the lower rung; both exclusions); None means no ceiling."""
    if a is None or b is None:
        return a or b
    low = a if a.rung.level <= b.rung.level else b
    return Ceiling(low.rung, low.why, a.conservative or b.conservative, a.excluded | b.excluded)


@dataclass(frozen=True)
class Placement:
    """Where a baseline test puts a person, the reps per set to start with, and why."""

    rung: Rung
    reason: str
    target_reps: int = START_REPS_NEW_RUNG


def start_reps(tested: Rung, max_clean_reps: int, placed: Rung) -> int:
    """Reps per set of the first sessions after a baseline (see ``START_FRACTION``)."""
    share = int(START_FRACTION * max_clean_reps + 0.5)
    if placed == tested:
        return max(1, min(TARGET_MAX_REPS, share))  # <= the max (60% rounds below it), >= 1
    if placed.level < tested.level:
        return min(TARGET_MAX_REPS, max(START_REPS_NEW_RUNG, share))
    return START_REPS_NEW_RUNG


def place_from_baseline(tested: Rung, max_clean_reps: int, ceiling: Ceiling | None) -> Placement:
    """Place a newcomer from a max-clean-reps test at ``tested`` (COACHING.md section 4).

    Under 5 clean reps: one rung easier; 20 or more: one rung harder; else the tested rung. A
    ``ceiling`` (screening, back condition, a recent pain stop) caps the result and the reason
    says so. The start is about 60% of the tested max per set (:func:`start_reps`).
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
    rung = cap(wanted, ceiling)
    if ceiling is not None and rung != wanted:
        why = f"{why}; capped at {rung.label} {ceiling.why}"
    reps = start_reps(tested, max_clean_reps, rung)
    per_set = f"{reps} rep{'' if reps == 1 else 's'} per set"
    if rung == tested:
        why = f"{why}, {per_set} (about 60% of your max, never above it)"
    else:
        why = f"{why}, {per_set} to start"
    return Placement(rung=rung, reason=why, target_reps=reps)
