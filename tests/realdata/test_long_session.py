"""A real 55 s session of 30 reps in six sets with downward-dog rests between them."""

from __future__ import annotations

import csv
import json
from itertools import pairwise
from pathlib import Path

import pytest
from click.testing import CliRunner

from pushup_coach.analysis import analyze_file
from pushup_coach.cli import cli

DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "pushup-clips"
pytestmark = [
    pytest.mark.realdata,
    pytest.mark.model,
    pytest.mark.skipif(not DATA.is_dir(), reason=f"real clips not found at {DATA}"),
]
CLIP = "calimiro/videoplayback.mp4"


def _label(clip: str) -> dict[str, str]:
    with (DATA / "labels.csv").open(newline="") as fh:
        return next(row for row in csv.DictReader(fh) if row["clip"] == clip)


def _sets_from_bottoms(bottoms: list[int], fps: float, rest_s: float = 3.0) -> list[int]:
    """Rep counts per set implied by the annotator's bottom frames (a long gap = a rest)."""
    sizes = [1]
    for a, b in pairwise(bottoms):
        if (b - a) / fps > rest_s:
            sizes.append(1)
        else:
            sizes[-1] += 1
    return sizes


def test_every_set_counts_exactly_and_bottoms_match_the_annotator() -> None:
    label = _label(CLIP)
    bottoms = [int(b) for b in label["bottom_frames"].split()]
    report = analyze_file(DATA / CLIP).report
    assert report.rep_count == int(label["reps"]) == 30
    expected_sets = _sets_from_bottoms(bottoms, report.source.fps)
    assert [len(s.rep_indices) for s in report.sets] == expected_sets == [18, 4, 3, 2, 2, 1]
    ours = [round(r.rep.bottom_s * report.source.fps) for r in report.reps]
    assert max(abs(a - b) for a, b in zip(ours, bottoms, strict=True)) <= 3
    assert "head_drop" in {f.value for f in report.faults_found}


def test_eval_command_scores_a_manifest(tmp_path: Path) -> None:
    manifest = tmp_path / "labels.csv"
    with (DATA / "labels.csv").open(newline="") as fh:
        rows = [
            r
            for r in csv.DictReader(fh)
            if r["clip"] in {"kaggle/wrong-c150.mp4", "kaggle/correct-c100.mp4"}
        ]
    with manifest.open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    out = tmp_path / "scores.json"
    args = [
        "eval",
        str(manifest),
        "--root",
        str(DATA),
        "--json",
        str(out),
        "--landmarks-cache",
        str(tmp_path / "cache"),
    ]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    scores = json.loads(out.read_text())
    assert scores["clips"] == 2
    assert scores["reps_exact"] == 1.0
    assert scores["verdict_accuracy"] == 1.0
    assert scores["faults"]["hip_sag"]["tp"] == 1
    assert "reps_exact" in result.output
    # Second run reads the landmark cache instead of the model and gives the same scores.
    assert CliRunner().invoke(cli, args).exit_code == 0
    assert json.loads(out.read_text())["reps_exact"] == 1.0
