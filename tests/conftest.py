"""Shared fixtures: a migrated database (SQLite or PostgreSQL) and Temporal test servers.

The suite runs twice (``make test``): on a SQLite file, and on the throwaway PostgreSQL
database named by ``QAWARD_TEST_DATABASE_URL``. Each test starts from empty tables.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from temporalio.testing import WorkflowEnvironment

from db.base import Base
from db.migrate import upgrade
from db.session import create_engine, session_factory
from qaward.temporal import dev_server_path, runtime, test_server_path
from tests.support.append_only import triggers_dropped
from tests.support.codec import CONVERTER

APPEND_ONLY = ("audit_entries", "audit_checkpoints")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "sqlite_only: runs only in the SQLite pass")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("QAWARD_TEST_DATABASE_URL")
    if not url:
        path: Path = tmp_path_factory.mktemp("db") / "test.sqlite3"
        url = f"sqlite+aiosqlite:///{path}"
    upgrade(url)
    return url


@pytest.fixture(scope="session")
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url)
    yield engine
    await engine.dispose()


@pytest.fixture
async def sessions(engine: AsyncEngine) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """A session factory over empty tables (emptied again after the test)."""
    await _empty(engine)
    yield session_factory(engine)
    await _empty(engine)


async def _empty(engine: AsyncEngine) -> None:
    """The audit tables refuse DELETE: their triggers are lifted for this transaction."""
    async with engine.begin() as conn, triggers_dropped(conn, *APPEND_ONLY):
        for table in reversed(Base.metadata.sorted_tables):
            await conn.execute(delete(table))


@pytest.fixture
async def time_skipping_env() -> AsyncIterator[WorkflowEnvironment]:
    """A time-skipping server of the test's own (it starts in about 0.1 s): a test that
    skips time, or lets the server skip it while waiting for a result, moves no other
    test's clock."""
    env = await WorkflowEnvironment.start_time_skipping(
        data_converter=CONVERTER,
        test_server_existing_path=str(test_server_path()),
        runtime=runtime(),
    )
    yield env
    await env.shutdown()


@pytest.fixture(scope="session")
async def local_env() -> AsyncIterator[WorkflowEnvironment]:
    env = await WorkflowEnvironment.start_local(
        data_converter=CONVERTER,
        dev_server_existing_path=str(dev_server_path()),
        runtime=runtime(),
    )
    yield env
    await env.shutdown()
