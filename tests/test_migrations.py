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
