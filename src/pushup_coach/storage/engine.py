"""Which database to use, and opening it (creating and migrating it when new).

SQLite in :func:`pushup_coach.config.user_data_dir` is the embedded default; ``--db URL`` or
``$PUSHUP_COACH_DB`` point at another database, e.g. PostgreSQL via
``postgresql+psycopg://user:password@host:5432/dbname``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from pushup_coach.config import user_data_dir
from pushup_coach.errors import StorageError
from pushup_coach.storage.migrate import upgrade

DB_ENV = "PUSHUP_COACH_DB"
DB_FILENAME = "pushup-coach.db"


def default_db_path() -> Path:
    return user_data_dir() / DB_FILENAME


def files_root() -> Path:
    """Where files a person asked to keep (e.g. a video) live: one folder per profile."""
    return user_data_dir() / "files"


def resolve_db_url(db_url: str | None) -> str:
    """The URL to open: the given one, else ``$PUSHUP_COACH_DB``, else the default SQLite file."""
    if db_url:
        return db_url
    from_env = os.environ.get(DB_ENV)
    if from_env:
        return from_env
    return f"sqlite:///{default_db_path()}"


def _enable_sqlite_foreign_keys(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def open_engine(db_url: str | None) -> Engine:
    """An engine on the resolved database, migrated to the newest schema."""
    url = resolve_db_url(db_url)
    try:
        engine = create_engine(url)
    except (ArgumentError, ImportError, ValueError) as exc:
        raise StorageError(f"cannot use database URL {url!r}: {exc}") from exc
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _enable_sqlite_foreign_keys)
        database = engine.url.database
        if database and database != ":memory:":
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    try:
        upgrade(engine)
    except SQLAlchemyError as exc:
        engine.dispose()
        raise StorageError(f"cannot open or migrate the database {engine.url!r}: {exc}") from exc
    return engine
