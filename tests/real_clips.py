"""The shared real clips, and their analyses cached for the test session (the model is slow)."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from pushup_coach.analysis import Analysis, analyze_file

CLIPS = Path(__file__).resolve().parents[2] / "shared" / "data" / "pushup-clips"
needs_clips = pytest.mark.skipif(
    not CLIPS.is_dir(), reason=f"real clips not found at {CLIPS} (shared data absent)"
)


@functools.cache
def analysed(clip: str, workers: int) -> Analysis:
    """``analyze_file`` of ``CLIPS / clip`` with ``workers`` processes, computed once."""
    return analyze_file(CLIPS / clip, workers=workers)


def faults_found(report: dict) -> set[str]:
    """Every fault code any rep of a report dict has."""
    return {f for rep in report["reps"] for f in rep["faults"]}
