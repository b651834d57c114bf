"""Storage fixtures: every ``db_url`` test runs on SQLite and on a real PostgreSQL.

PostgreSQL comes from ``scripts/services/postgres.sh`` (sourced by ``scripts/check.sh``), which
exports ``PUSHUP_COACH_TEST_PG``; without it the PostgreSQL cases skip and say so.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

PG_ENV = "PUSHUP_COACH_TEST_PG"
TESTS_DIR = str(Path(__file__).resolve().parents[1])  # tests/builders.py for the kill tests
if TESTS_DIR not in sys.path:
    sys.path.insert(0, TESTS_DIR)


def _reset_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """An empty database URL; PUSHUP_COACH_HOME points at tmp_path so kept files land there."""
    monkeypatch.setenv("PUSHUP_COACH_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("PUSHUP_COACH_DB", raising=False)
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.skip(f"{PG_ENV} is unset: run scripts/check.sh (it starts PostgreSQL) to include PG")
    _reset_postgres(url)
    yield url
