"""Bring a database to the newest schema with the Alembic migrations shipped in this package.

The whole upgrade is one transaction, and only one process migrates at a time: on SQLite the
transaction itself is ``BEGIN IMMEDIATE`` (see ``engine``); on PostgreSQL a transaction-scoped
advisory lock is taken first. So 8 commands started together on a new database all succeed: the
first creates the schema, the others wait and find it at the newest revision.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, text

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
# Any fixed 64-bit number, the same in every pushup-coach process: "pushupco" in ASCII.
PG_MIGRATION_LOCK = 0x70757368_7570636F


def alembic_config() -> Config:
    """An Alembic config pointing at the packaged migrations (no alembic.ini needed)."""
    from alembic.config import Config  # imported on use: alembic is slow to import

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Run every migration up to ``revision`` in one transaction (an empty database is fine)."""
    from alembic import command

    config = alembic_config()
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_MIGRATION_LOCK}
            )
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
