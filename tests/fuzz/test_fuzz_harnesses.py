"""A short bounded run of each fuzz harness (fuzz/): only CoachError may come out of the
landmark loaders and the ``--set`` parser. The long run is ``fuzz/run.sh`` (figures in
docs/reliability.md)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("atheris", reason="atheris (the dev extra) is not installed")

FUZZ = Path(__file__).resolve().parents[2] / "fuzz"
HARNESSES = ("fuzz_landmarks_csv.py", "fuzz_landmarks_npz.py", "fuzz_settings.py")


@pytest.mark.fuzz
@pytest.mark.parametrize("harness", HARNESSES)
def test_harness_survives_a_short_run(tmp_path: Path, harness: str) -> None:
    done = subprocess.run(
        [
            sys.executable,
            str(FUZZ / harness),
            "-runs=2000",
            "-max_total_time=20",
            "-seed=1",
            f"-artifact_prefix={tmp_path}/",
            str(tmp_path / "corpus"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    crashes = sorted(p.name for p in tmp_path.glob("crash-*"))
    assert (done.returncode, crashes) == (0, []), done.stderr[-3000:]
    assert "Done " in done.stderr


@pytest.mark.parametrize("harness", HARNESSES)
def test_seeds_pass_through_the_harness(harness: str) -> None:
    """Each seed goes through the real loader in-process (no atheris run, so it is instant)."""
    done = subprocess.run(
        [sys.executable, str(FUZZ / harness), "-runs=0"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "INITED" in done.stderr
