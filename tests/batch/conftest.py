"""Batch fixtures: landmark files and tiny videos built here, the Ray head from the services script.

``scripts/services/ray.sh`` (sourced by ``scripts/check.sh``) starts a one-node Ray head and exports
``PUSHUP_COACH_TEST_RAY``; without it the Ray tests skip and say so.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

TESTS_DIR = str(Path(__file__).resolve().parents[1])  # synthetic_pushups.py
if TESTS_DIR not in sys.path:
    sys.path.insert(0, TESTS_DIR)

from pushup_coach.pose import save_landmarks  # noqa: E402
from pushup_coach.types import PoseSeries  # noqa: E402
from synthetic_pushups import pushup_series, write_timed_video  # noqa: E402

RAY_ENV = "PUSHUP_COACH_TEST_RAY"
VIDEO_REPS = (1, 2, 3)  # one video per count; the longest series replays for all of them


@pytest.fixture
def landmark_dir(tmp_path: Path) -> Path:
    """``in/`` with 1-, 2- and 3-rep landmark files (one in a subfolder) and a stray text file."""
    root = tmp_path / "in"
    (root / "sub").mkdir(parents=True)
    for reps, name in ((1, "a.npz"), (2, "b.npz"), (3, "sub/c.npz")):
        save_landmarks(pushup_series(reps=reps), root / name)
    (root / "notes.txt").write_text("not an input\n")
    return root


@pytest.fixture(scope="session")
def replay_series() -> PoseSeries:
    """The landmarks the replay backend answers with: those of the longest video."""
    return pushup_series(reps=max(VIDEO_REPS))


@pytest.fixture(scope="session")
def video_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``videos/`` with one tiny grey video per entry of VIDEO_REPS, frames at the series' times."""
    root = tmp_path_factory.mktemp("videos")
    for reps in VIDEO_REPS:
        write_timed_video(root / f"clip{reps}.mp4", pushup_series(reps=reps).t_s)
    return root


@pytest.fixture
def ray_address() -> str:
    address = os.environ.get(RAY_ENV)
    if not address:
        pytest.skip(
            f"{RAY_ENV} is unset: run scripts/check.sh (it starts a Ray head) to include Ray"
        )
    return address
