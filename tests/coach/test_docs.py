"""docs/coach.md stays in sync with the commands and the rules it documents."""

from __future__ import annotations

from pathlib import Path

import pytest

from pushup_coach.cli import coach as coach_cli
from pushup_coach.coach.ladder import LADDER
from pushup_coach.coach.screening import ScreeningOutcome

DOCS = Path(__file__).resolve().parents[2] / "docs"
COMMANDS = [c.name for c in (getattr(coach_cli, n) for n in coach_cli.__all__)]


@pytest.mark.parametrize("name", COMMANDS)
def test_every_coach_command_is_documented(name: str) -> None:
    assert f"| `{name}` |" in (DOCS / "coach.md").read_text()


def test_every_rung_and_outcome_is_documented() -> None:
    text = (DOCS / "coach.md").read_text()
    assert [r.value for r in LADDER if f"`{r.value}`" not in text] == []
    assert [o.value for o in ScreeningOutcome if f"`{o.value}`" not in text] == []


def test_privacy_lists_every_table_and_right() -> None:
    text = (DOCS / "privacy.md").read_text()
    for word in (
        "profiles",
        "screenings",
        "baselines",
        "sessions",
        "checkins",
        "corrections",
        "export",
        "import",
        "correct",
        "forget",
        "Nothing is sent anywhere",
    ):
        assert word in text
