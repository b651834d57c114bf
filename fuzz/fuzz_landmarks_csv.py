"""Fuzz the landmark CSV loader: any bytes in a .csv give a series or a CoachError, nothing else."""

from __future__ import annotations

import contextlib

import atheris

with atheris.instrument_imports(include=["pushup_coach"]):
    from pushup_coach.errors import CoachError
    from pushup_coach.pose.files import read_landmarks

from harness import fuzz, scratch_file
from seeds import landmark_seeds

INPUT = scratch_file("input.csv")
COORDS = ("auto", "normalized", "pixel")


def test_one_input(data: bytes) -> None:
    # The last byte picks the coordinates option, so every branch of the loader gets inputs.
    coords = COORDS[data[-1] % 3] if data else "auto"
    INPUT.write_bytes(data)
    with contextlib.suppress(CoachError):  # one clear line for the person: fine
        read_landmarks(INPUT, coords=coords)  # type: ignore[arg-type]


if __name__ == "__main__":
    fuzz(test_one_input, landmark_seeds(".csv"))
