"""Alembic environment: migrates the connection that ``migrate.upgrade`` passes in."""

from __future__ import annotations

from alembic import context

from pushup_coach.storage.models import Base


def run_migrations_online() -> None:
    connection = context.config.attributes["connection"]
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
