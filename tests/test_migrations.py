"""Migrations go up, down and up again on the database under test (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio

from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import AsyncEngine

import db.models  # noqa: F401
from db.base import Base
from db.migrate import downgrade, upgrade


async def _tables(engine: AsyncEngine) -> set[str]:
    async with engine.connect() as conn:
        names = await conn.run_sync(lambda sync: inspect(sync).get_table_names())
    return set(names) - {"alembic_version"}


async def test_upgrade_downgrade_upgrade_round_trip(database_url: str, engine: AsyncEngine) -> None:
    expected = set(Base.metadata.tables)
    assert await _tables(engine) == expected

    await asyncio.to_thread(downgrade, database_url, "base")
    assert await _tables(engine) == set()

    await asyncio.to_thread(upgrade, database_url, "head")
    assert await _tables(engine) == expected


async def test_migrations_match_the_models(engine: AsyncEngine) -> None:
    """A model change without its migration fails here, not in production."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    def diff(sync_conn: object) -> list[object]:
        context = MigrationContext.configure(sync_conn)  # type: ignore[arg-type]
        return list(compare_metadata(context, Base.metadata))

    async with engine.connect() as conn:
        changes = await conn.run_sync(diff)
    assert changes == []
