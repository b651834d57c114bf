"""Ladder order, parsing, and baseline placement."""

from __future__ import annotations

import pytest

from pushup_coach.coach.ladder import (
    LADDER,
    Ceiling,
    Rung,
    parse_rung,
    place_from_baseline,
    rung_from_variation,
)
from pushup_coach.errors import ConfigError
from pushup_coach.types import Variation


def test_ladder_order_is_easiest_first() -> None:
    assert [r.value for r in LADDER] == [
        "wall",
        "high_incline",
        "low_incline",
        "knee",
        "full",
        "decline",
        "diamond",
        "archer",
    ]


@pytest.mark.parametrize(
    ("text", "rung"),
    [("knee", Rung.KNEE), ("High-Incline", Rung.HIGH_INCLINE), ("low incline", Rung.LOW_INCLINE)],
)
def test_parse_rung(text: str, rung: Rung) -> None:
    assert parse_rung(text) == rung


def test_parse_rung_unknown() -> None:
    with pytest.raises(ConfigError) as info:
        parse_rung("plank")
    assert str(info.value) == (
        "unknown variation 'plank'; choose one of: wall, high_incline, low_incline, knee, full, "
        "decline, diamond, archer"
    )


@pytest.mark.parametrize(
    ("variation", "rung"),
    [
        ("wall", Rung.WALL),
        ("incline", Rung.HIGH_INCLINE),
        ("knee", Rung.KNEE),
        ("full", Rung.FULL),
        (Variation.DECLINE, Rung.DECLINE),
    ],
)
def test_rung_from_variation(variation: str, rung: Rung) -> None:
    assert rung_from_variation(variation) == rung


def test_unknown_variation_asks_for_hand_entry() -> None:
    with pytest.raises(ConfigError, match="say which one you did"):
        rung_from_variation("unknown")


KNEE_CAP = Ceiling(Rung.KNEE, "until your clearance is recorded")
PLACEMENT_CASES = [
    (
        "mid range",
        Rung.KNEE,
        9,
        None,
        Rung.KNEE,
        "9 clean knee push-ups is within 5-19: start on knee push-ups, 5 reps per set (about 60% "
        "of your max, never above it)",
    ),
    (
        "too hard",
        Rung.FULL,
        3,
        None,
        Rung.KNEE,
        "3 clean full push-ups is under 5: start one rung easier, on knee push-ups, 5 reps per set "
        "to start",
    ),
    (
        "too easy",
        Rung.KNEE,
        25,
        None,
        Rung.FULL,
        "25 clean knee push-ups is 20 or more: start one rung harder, on full push-ups, 5 reps per "
        "set to start",
    ),
    (
        "easiest rung",
        Rung.WALL,
        2,
        None,
        Rung.WALL,
        "2 clean wall push-ups: start on the easiest rung, wall push-ups, 1 rep per set (about 60% "
        "of your max, never above it)",
    ),
    (
        "capped",
        Rung.FULL,
        10,
        KNEE_CAP,
        Rung.KNEE,
        "10 clean full push-ups is within 5-19: start on full push-ups; capped at knee push-ups "
        "until your clearance is recorded, 6 reps per set to start",
    ),
]


@pytest.mark.parametrize(
    ("tested", "reps", "ceiling", "rung", "reason"),
    [c[1:] for c in PLACEMENT_CASES],
    ids=[c[0] for c in PLACEMENT_CASES],
)
def test_placement(
    tested: Rung, reps: int, ceiling: Ceiling | None, rung: Rung, reason: str
) -> None:
    placement = place_from_baseline(tested, reps, ceiling)
    assert (placement.rung, placement.reason) == (rung, reason)
