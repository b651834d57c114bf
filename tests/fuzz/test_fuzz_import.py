"""A short bounded run of the export-importer fuzz harness (fuzz/fuzz_import.py): only a
CoachError may come out of ``read_export`` + ``import_profile``, and a refused import leaves no
profile behind. The long run is documented in docs/reliability.md."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("atheris", reason="atheris (the dev extra) is not installed")

HARNESS = Path(__file__).resolve().parents[2] / "fuzz" / "fuzz_import.py"


@pytest.mark.fuzz
def test_import_harness_survives_a_short_run(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            str(HARNESS),
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


def test_import_seeds_pass_through_the_harness() -> None:
    """The seed export imports and is forgotten again in-process (no fuzzing, so it is quick)."""
    done = subprocess.run(
        [sys.executable, str(HARNESS), "-runs=0"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "INITED" in done.stderr
