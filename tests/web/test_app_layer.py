"""The application layer's landmark cache: keyed by the clip's content and the pose settings."""

from __future__ import annotations

import functools
import shutil
from pathlib import Path

import pytest

from pushup_coach.app.analyse import analyse_path, cache_key
from pushup_coach.config import DEFAULT_CONFIG
from pushup_coach.errors import PoseBackendError
from pushup_coach.pose import ReplayBackend
from pushup_coach.types import PoseSeries


class NoModel:
    """A backend that must not be needed: the cache should answer."""

    name = "replay"

    def __init__(self) -> None:
        raise PoseBackendError("the pose model ran although the cache had the landmarks")


def test_cache_key_names_content_backend_and_pose_settings(clip: Path, tmp_path: Path) -> None:
    copy = shutil.copy(clip, tmp_path / "renamed.mp4")
    key = cache_key(clip, DEFAULT_CONFIG, "replay")
    assert key.endswith("-replay-pose_rate_hz=15")
    assert cache_key(copy, DEFAULT_CONFIG, "replay") == key  # same content, other name
    at_30 = DEFAULT_CONFIG.replace(pose_rate_hz=30.0)
    assert cache_key(clip, at_30, "replay") != key
    assert cache_key(clip, DEFAULT_CONFIG, "mediapipe") != key
    # a setting that acts only on the landmarks does not change which landmarks are cached
    assert cache_key(clip, DEFAULT_CONFIG.replace(hip_sag_dev=0.08), "replay") == key


def test_a_cache_hit_gives_the_same_report_without_the_model(
    clip: Path, series: PoseSeries, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    replay = functools.partial(ReplayBackend, series)
    progress: list[tuple[int, int]] = []
    fresh = analyse_path(
        clip,
        cache_dir=cache,
        backend_factory=replay,
        backend_name="replay",
        on_progress=lambda done, total: progress.append((done, total)),
    )
    assert progress[-1] == (len(fresh.series) - 1, len(fresh.series))  # 0-based last frame
    copy = shutil.copy(clip, tmp_path / "copy.mp4")
    hit = analyse_path(copy, cache_dir=cache, backend_factory=NoModel, backend_name="replay")
    want = fresh.report.to_dict()
    want["source"]["path"] = str(copy)
    assert hit.report.to_dict() == want
    with pytest.raises(PoseBackendError, match="the pose model ran"):  # other settings: a miss
        analyse_path(
            clip,
            DEFAULT_CONFIG.replace(pose_rate_hz=30.0),
            cache_dir=cache,
            backend_factory=NoModel,
            backend_name="replay",
        )
