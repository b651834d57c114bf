"""Fuzz the ``--set`` and ``--size`` parsers: any text gives a config or a CoachError."""

from __future__ import annotations

import contextlib

import atheris

with atheris.instrument_imports(include=["pushup_coach"]):
    from pushup_coach.cli.analysis import parse_settings, parse_size
    from pushup_coach.errors import CoachError

from harness import fuzz
from seeds import SETTINGS_SEEDS


def test_one_input(data: bytes) -> None:
    text = data.decode("utf-8", errors="replace")
    with contextlib.suppress(CoachError):  # one clear line for the person: fine
        if text.startswith("\x01"):
            parse_size(text[1:])
        else:
            parse_settings(tuple(text.split("\x00")))


if __name__ == "__main__":
    fuzz(test_one_input, SETTINGS_SEEDS)
