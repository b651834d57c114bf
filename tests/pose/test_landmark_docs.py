"""docs/landmark-files.md stays true: its example file loads as the text says."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from pushup_coach.pose.files import read_landmarks
from pushup_coach.skeleton import LANDMARK_NAMES, Landmark

DOC = Path(__file__).parents[2] / "docs" / "landmark-files.md"


def test_the_documented_example_csv_loads(tmp_path: Path) -> None:
    example = re.search(r"```csv\n(.*?)```", DOC.read_text(), re.S)
    assert example is not None
    path = tmp_path / "example.csv"
    path.write_text(example.group(1))
    loaded = read_landmarks(path)
    series = loaded.series
    assert series.t_s.tolist() == [0.0, 1 / 30, 0.1]
    assert series.size_wh == (1280, 720)
    assert series.present.tolist() == [True, True, False]
    assert series.landmarks[0, Landmark.LEFT_SHOULDER].tolist() == [0.5, 300 / 720, 0.0, 0.99]
    assert np.isnan(series.landmarks[1, Landmark.RIGHT_ELBOW]).all()
    assert loaded.warnings[0].startswith("25 landmarks are not in the file")


def test_the_documented_landmark_order_is_the_skeletons() -> None:
    listed = re.search(r"Landmark names, in order.*?```\n(.*?)```", DOC.read_text(), re.S)
    assert listed is not None
    names = [n.strip() for n in listed.group(1).replace("\n", " ").split(",")]
    assert tuple(names) == LANDMARK_NAMES
