"""`batch --variation`: every file is judged with the variation it shows, as `analyze
--variation` does; it is part of the settings, so changing it analyses again, and a batch run
without it keeps the settings' hash it always had."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from builders import rep_keyframes
from front_builder import front_series
from pushup_coach.batch.items import settings_json
from pushup_coach.cli import main
from pushup_coach.config import DEFAULT_CONFIG
from pushup_coach.pose import save_landmarks
from pushup_coach.types import Variation

PLANNED = "so the planned one, knee, was used"


def run_batch(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    with pytest.raises(SystemExit) as info:
        main(["batch", *args, "--workers", "1", "--no-report", "-q"])
    out, err = capsys.readouterr()
    assert info.value.code in (0, None), err
    return out


def test_every_file_is_judged_with_the_variation_given(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    hidden_legs = front_series(rep_keyframes(3, bottom_deg=60.0), leg_visibility=0.1)
    save_landmarks(hidden_legs, folder / "front.npz")
    out = tmp_path / "out"
    run_batch(capsys, str(folder), "--out", str(out))
    seen = json.loads((out / "front.npz.json").read_text())
    assert seen["variation"] == "unknown"
    again = run_batch(capsys, str(folder), "--out", str(out), "--variation", "knee")
    assert "done now" in again  # a changed setting: analysed again, not skipped
    said = json.loads((out / "front.npz.json").read_text())
    assert (said["rep_count"], said["variation"]) == (3, "knee")
    assert any(PLANNED in w for w in said["warnings"])


def test_without_a_variation_the_settings_hash_is_as_before() -> None:
    plain = settings_json(DEFAULT_CONFIG, "mediapipe")
    assert "variation" not in json.loads(plain)
    assert json.loads(settings_json(DEFAULT_CONFIG, "mediapipe", Variation.KNEE))["variation"] == (
        "knee"
    )
