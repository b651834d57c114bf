"""Fixtures for the video tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from synthetic_video import WriteVideo, noise_images, write_video


@pytest.fixture
def make_video(tmp_path: Path) -> WriteVideo:
    """``make_video(name, n_frames, **options)`` -> path of a noise video in tmp_path."""

    def make(name: str, n_frames: int, **options: object) -> Path:
        return write_video(tmp_path / name, noise_images(n_frames), **options)  # type: ignore[arg-type]

    return make
