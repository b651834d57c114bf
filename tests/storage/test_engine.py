"""Which database a command opens: --db, then $PUSHUP_COACH_DB, then SQLite in the data folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from pushup_coach.errors import StorageError
from pushup_coach.storage import Store, resolve_db_url


@pytest.mark.parametrize(
    ("given", "env", "expected"),
    [
        ("sqlite:///a.db", "postgresql+psycopg://u@h/db", "sqlite:///a.db"),
        (None, "postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        (None, None, "sqlite:///{home}/pushup-coach.db"),
    ],
)
def test_resolve_db_url(
    given: str | None,
    env: str | None,
    expected: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PUSHUP_COACH_HOME", str(tmp_path))
    if env is None:
        monkeypatch.delenv("PUSHUP_COACH_DB", raising=False)
    else:
        monkeypatch.setenv("PUSHUP_COACH_DB", env)
    assert resolve_db_url(given) == expected.format(home=tmp_path)


def test_default_database_is_created_in_the_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PUSHUP_COACH_HOME", str(tmp_path / "new" / "home"))
    monkeypatch.delenv("PUSHUP_COACH_DB", raising=False)
    Store.open().close()
    assert (tmp_path / "new" / "home" / "pushup-coach.db").is_file()


def test_unreachable_postgres_is_a_storage_error() -> None:
    with pytest.raises(StorageError, match="cannot open or migrate the database"):
        Store.open("postgresql+psycopg://nobody:x@127.0.0.1:1/none?connect_timeout=2")
