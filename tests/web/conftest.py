"""Web app fixtures: an app on a temporary SQLite database whose analyses replay synthetic
landmarks (ReplayBackend), so no pose model runs; and a tiny synthetic push-up video."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

TESTS_DIR = str(Path(__file__).resolve().parents[1])
if TESTS_DIR not in sys.path:
    sys.path.insert(0, TESTS_DIR)

from web_helpers import REPS, make_settings  # noqa: E402

from pushup_coach.types import PoseSeries  # noqa: E402
from pushup_coach.web.app import create_app  # noqa: E402
from pushup_coach.web.settings import WebSettings  # noqa: E402
from synthetic_pushups import pushup_series, write_timed_video  # noqa: E402


@pytest.fixture(scope="session")
def series() -> PoseSeries:
    return pushup_series(reps=REPS)


@pytest.fixture(scope="session")
def clip(tmp_path_factory: pytest.TempPathFactory, series: PoseSeries) -> Path:
    """A 10 s H.264 file whose frames carry the series' times (grey pictures)."""
    return write_timed_video(tmp_path_factory.mktemp("clip") / "pushups.mp4", series.t_s)


@pytest.fixture
def settings(tmp_path: Path, series: PoseSeries, monkeypatch: pytest.MonkeyPatch) -> WebSettings:
    monkeypatch.setenv("PUSHUP_COACH_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("PUSHUP_COACH_DB", raising=False)
    return make_settings(tmp_path, series)


@pytest.fixture
def client(settings: WebSettings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as test_client:
        yield test_client
