"""Engine and session factory. The boundary (request, activity) owns the transaction."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

import sqlalchemy
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import Session, sessionmaker

P = ParamSpec("P")
T = TypeVar("T")


def create_engine(url: str, **kwargs: Any) -> AsyncEngine:
    """Create an async engine; SQLite gets foreign keys on and its parent folder created."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url, connect_args={"timeout": 30}, **kwargs)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    return create_async_engine(url, pool_pre_ping=True, **kwargs)


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    # In WAL mode NORMAL stays consistent after a crash of the process; only an
    # OS crash or power loss may lose the last commits (production runs PostgreSQL).
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


class Database:
    """Runs a synchronous unit of work — a function of a `Session` — in one transaction.

    The activities work this way, and so does the award service when no request hands it
    a session (the simulator), and for the records a workflow call must find committed.
    Objects it returns stay loaded (no expiry on commit).
    On PostgreSQL the function runs through the async session (`AsyncSession.run_sync`,
    asyncpg underneath). On an SQLite file it runs in a worker thread on the plain
    `sqlite3` driver: aiosqlite hands every cursor operation to its own thread and back
    through the event loop (about 25 round trips for one projection write), which cost
    three times the write itself (`make bench`, README "Decisions").
    """

    @classmethod
    def of(cls, sessions: async_sessionmaker[AsyncSession]) -> Database:
        """The one `Database` of a session factory (its SQLite engine made once), for the
        short units of work of the request's bookkeeping: audit entries, idempotency keys,
        the token lookup."""
        # Kept on the factory itself, so the two live and go together (a dictionary beside
        # them would keep every factory of a test run, and its engine, alive).
        found: Database | None = getattr(sessions, "_qaward_database", None)
        if found is None:
            found = cls(sessions)
            sessions._qaward_database = found  # type: ignore[attr-defined]
        return found

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions
        self._sync: sessionmaker[Session] | None = None
        bind = sessions.kw.get("bind")
        if isinstance(bind, AsyncEngine) and bind.url.get_backend_name() == "sqlite":
            database = bind.url.database
            if database and database != ":memory:":
                self._sync = sessionmaker(_sync_sqlite_engine(database), expire_on_commit=False)

    async def run(
        self, work: Callable[Concatenate[Session, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        if self._sync is None:
            async with transaction(self._sessions) as session:
                return await session.run_sync(work, *args, **kwargs)
        sessions = self._sync

        def in_thread() -> T:
            with sessions.begin() as session:
                return work(session, *args, **kwargs)

        return await asyncio.to_thread(in_thread)


def _sync_sqlite_engine(database: str) -> Engine:
    """The plain-driver engine for the same file, with the same pragmas. Its pooled
    connections move between the threads that run the work, one unit of work at a time
    (SQLAlchemy opens file databases with `check_same_thread=False`)."""
    engine = sqlalchemy.create_engine(
        f"sqlite+pysqlite:///{database}", connect_args={"timeout": 30}
    )
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


@asynccontextmanager
async def transaction(
    sessions: async_sessionmaker[AsyncSession],
) -> AsyncIterator[AsyncSession]:
    """One unit of work: commit on success, roll back on error."""
    async with sessions() as session, session.begin():
        yield session
