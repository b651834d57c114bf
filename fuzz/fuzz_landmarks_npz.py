"""Fuzz the landmark .npz loader: raw bytes (a damaged zip) and well-formed archives whose arrays
have fuzzed names, dtypes, shapes and values; a series or a CoachError, nothing else."""

from __future__ import annotations

import contextlib

import atheris
import numpy as np

with atheris.instrument_imports(include=["pushup_coach"]):
    from pushup_coach.errors import CoachError
    from pushup_coach.pose.files import read_landmarks

from harness import fuzz, scratch_file
from seeds import landmark_seeds

INPUT = scratch_file("input.npz")
NAMES = ("format_version", "t_s", "landmarks", "size_wh", "source", "video_info")
DTYPES = ("int64", "float64", "str", "bool", "complex128", "uint8")
SHAPES = ((), (1,), (2,), (3,), (3, 33, 4), (2, 33, 4), (3, 17, 4), (0,), (0, 33, 4))


def _array(fdp: atheris.FuzzedDataProvider) -> np.ndarray:
    shape = SHAPES[fdp.ConsumeIntInRange(0, len(SHAPES) - 1)]
    dtype = DTYPES[fdp.ConsumeIntInRange(0, len(DTYPES) - 1)]
    size = int(np.prod(shape)) if shape else 1
    if dtype == "str":
        text = fdp.ConsumeUnicodeNoSurrogates(fdp.ConsumeIntInRange(0, 200))
        return np.full(shape, text)
    values = [fdp.ConsumeFloat() for _ in range(min(size, 16))] or [0.0]
    flat = np.resize(np.array(values), size)
    with np.errstate(all="ignore"):
        return flat.astype(dtype).reshape(shape)


def _structured(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    arrays = {name: _array(fdp) for name in NAMES if fdp.ConsumeIntInRange(0, 7)}
    with INPUT.open("wb") as handle:
        np.savez(handle, **arrays)  # type: ignore[arg-type]


def test_one_input(data: bytes) -> None:
    if data[:1] == b"S":
        _structured(data[1:])
    else:
        INPUT.write_bytes(data)
    with contextlib.suppress(CoachError):  # one clear line for the person: fine
        read_landmarks(INPUT)


def seeds() -> dict[str, bytes]:
    found = landmark_seeds(".npz")
    found.update({"structured-1": b"S" + bytes(range(256)), "structured-2": b"S" + b"\x04" * 300})
    return found


if __name__ == "__main__":
    fuzz(test_one_input, seeds())
