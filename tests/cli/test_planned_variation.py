"""A coached session knows which variation was planned: `analyze --save`, `live --profile` and the
browser's live page check what the camera sees against the plan, warn on a mismatch, and use the
plan where the camera cannot tell (legs hidden from the front)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from builders import rep_keyframes, side_series
from front_builder import front_series
from pushup_coach.app.coaching import planned_rung, planned_variation
from pushup_coach.app.sessions import planned_rung_seen
from pushup_coach.cli import cli
from pushup_coach.coach.ladder import Rung, variation_of
from pushup_coach.coach.screening import QUESTION_KEYS
from pushup_coach.live import LiveSource, run_live
from pushup_coach.pose import ReplayBackend, save_landmarks
from pushup_coach.pose.files import synthesised_info
from pushup_coach.storage import Store
from pushup_coach.types import Frame, PoseSeries, Variation

HIDDEN_LEGS = front_series(rep_keyframes(3, bottom_deg=60.0), leg_visibility=0.1)
SIDE_FULL = side_series(rep_keyframes(3, bottom_deg=60.0))
TINY = np.zeros((2, 2, 3), dtype=np.uint8)


@pytest.mark.parametrize(
    ("rung", "variation"),
    [
        (Rung.WALL, Variation.WALL),
        (Rung.HIGH_INCLINE, Variation.INCLINE),
        (Rung.LOW_INCLINE, Variation.INCLINE),
        (Rung.KNEE, Variation.KNEE),
        (Rung.FULL, Variation.FULL),
        (Rung.DECLINE, Variation.DECLINE),
        (Rung.DIAMOND, Variation.FULL),
        (Rung.ARCHER, Variation.FULL),
    ],
)
def test_what_each_rung_looks_like(rung: Rung, variation: Variation) -> None:
    assert variation_of(rung) is variation


@pytest.mark.parametrize(
    ("seen", "planned", "saved"),
    [
        ("full", Rung.DIAMOND, Rung.DIAMOND),  # the camera cannot tell diamond from full
        ("incline", Rung.LOW_INCLINE, Rung.LOW_INCLINE),
        ("knee", Rung.FULL, None),  # the camera disagrees: what it saw decides
        ("full", None, None),
    ],
)
def test_the_plans_rung_is_kept_when_the_camera_agrees(
    seen: str, planned: Rung | None, saved: Rung | None
) -> None:
    assert planned_rung_seen({"variation": seen}, planned) == saved


def _frames(series: PoseSeries) -> list[Frame]:
    return [Frame(i, float(t), TINY) for i, t in enumerate(series.t_s)]


@pytest.mark.parametrize(
    ("series", "planned", "variation", "note"),
    [
        (HIDDEN_LEGS, None, Variation.UNKNOWN, None),
        (HIDDEN_LEGS, Variation.KNEE, Variation.KNEE, "so the planned one, knee, was used"),
        (SIDE_FULL, Variation.FULL, Variation.FULL, None),
        (SIDE_FULL, Variation.KNEE, Variation.FULL, "The plan said knee push-ups, but these look"),
    ],
    ids=["no-plan", "plan-stands-in", "plan-agrees", "plan-disagrees"],
)
def test_live_checks_the_camera_against_the_plan(
    series: PoseSeries, planned: Variation | None, variation: Variation, note: str | None
) -> None:
    source = LiveSource(frames=_frames(series), fps=series.fps)
    report = run_live(source, ReplayBackend(series), expected_variation=planned).report
    assert report.rep_count == 3
    assert report.variation is variation
    notes = [w for w in report.warnings if "plan" in w]
    assert (notes[0] if notes else None) is None if note is None else note in notes[0]


NO_TO_ALL = {k: False for k in QUESTION_KEYS}


@pytest.fixture
def coached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A screened profile 'ana' whose baseline places her on knee push-ups."""
    url = f"sqlite:///{tmp_path / 'coach.db'}"
    monkeypatch.setenv("PUSHUP_COACH_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("PUSHUP_COACH_DB", url)
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(NO_TO_ALL))
    for args in (
        ["screen", "--profile", "ana", "--consent", "--answers", str(answers)],
        ["baseline", "--profile", "ana", "--variation", "knee", "--reps", "9"],
    ):
        result = CliRunner().invoke(cli, args, catch_exceptions=False)
        assert result.exit_code == 0, result.output
    return url


def test_planned_variation_follows_the_plan(coached: str) -> None:
    with Store.open(coached) as store:
        assert planned_rung(store, "ana") is Rung.KNEE
        assert planned_variation(store, "ana") is Variation.KNEE
        assert planned_variation(store, "nobody") is None


def test_analyze_save_uses_the_plan_where_the_camera_cannot_tell(
    coached: str, tmp_path: Path
) -> None:
    npz = tmp_path / "front.npz"
    save_landmarks(HIDDEN_LEGS, npz, synthesised_info(HIDDEN_LEGS, "front.mp4"))
    out = tmp_path / "r.json"
    args = ["analyze", str(npz), "--save", "--profile", "ana", "--json", str(out), "--quiet"]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text())
    assert report["variation"] == "knee"
    assert any("so the planned one, knee, was used" in w for w in report["warnings"])
    with Store.open(coached) as store:
        (session,) = store.sessions("ana")
    assert session.rung is Rung.KNEE
