"""Which database to use, and opening it (creating and migrating it when new).

SQLite in :func:`pushup_coach.config.user_data_dir` is the embedded default; ``--db URL`` or
``$PUSHUP_COACH_DB`` point at another database, e.g. PostgreSQL via
``postgresql+psycopg://user:password@host:5432/dbname``.

SQLite connections are made to behave like a real transactional database, whatever the build:
every transaction starts with ``BEGIN IMMEDIATE`` (the driver's own mode runs DDL outside any
transaction, so a migration killed half-way, or two first uses at once, left half a schema), waits
up to :data:`SQLITE_BUSY_TIMEOUT_S` for another writer, keeps foreign keys on and overwrites deleted
content (``secure_delete``). The database file is created 0600 in a 0700 folder.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from pushup_coach.config import user_data_dir
from pushup_coach.errors import StorageError
from pushup_coach.storage.migrate import upgrade
from pushup_coach.storage.private import private_dir, private_file

DB_ENV = "PUSHUP_COACH_DB"
DB_FILENAME = "pushup-coach.db"
# How long a command waits for another one writing the same SQLite file (e.g. 8 started at once).
SQLITE_BUSY_TIMEOUT_S = 60.0


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


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # we say BEGIN ourselves (see _on_sqlite_begin)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(
        "PRAGMA secure_delete=ON"
    )  # deleted rows are overwritten, not left in free pages
    cursor.close()


def _on_sqlite_begin(connection: Connection) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def _prepare_sqlite_file(database: str) -> None:
    """Create the database file 0600 (its journal inherits that) in a private folder."""
    path = Path(database).expanduser()
    if path.parent == user_data_dir() or not path.parent.exists():
        private_dir(path.parent)
    private_file(path)


def sqlite_engine_options(url: str) -> dict[str, Any]:
    return {"connect_args": {"timeout": SQLITE_BUSY_TIMEOUT_S}} if url.startswith("sqlite") else {}


def open_engine(db_url: str | None) -> Engine:
    """An engine on the resolved database, migrated to the newest schema."""
    url = resolve_db_url(db_url)
    try:
        engine = create_engine(url, **sqlite_engine_options(url))
    except (ArgumentError, ImportError, ValueError) as exc:
        raise StorageError(f"cannot use database URL {url!r}: {exc}") from exc
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _on_sqlite_connect)
        event.listen(engine, "begin", _on_sqlite_begin)
        database = engine.url.database
        if database and database != ":memory:" and not database.startswith("file:"):
            _prepare_sqlite_file(database)
    try:
        upgrade(engine)
    except SQLAlchemyError as exc:
        engine.dispose()
        raise StorageError(f"cannot open or migrate the database {engine.url!r}: {exc}") from exc
    return engine


def vacuum(engine: Engine) -> None:
    """Rebuild a SQLite file so no page of deleted data is left in it (after an erasure).

    PostgreSQL is left to its autovacuum: what it keeps after a delete is in docs/privacy.md.
    """
    if engine.dialect.name != "sqlite":
        return
    raw = engine.raw_connection()
    try:
        raw.cursor().execute("VACUUM")  # autocommit: VACUUM cannot run inside a transaction
    finally:
        raw.close()
