"""Lift the append-only triggers of some tables for one transaction, then put them back.

The cleanup between tests needs it (the audit tables refuse DELETE), and so does a test
that plays an attacker who owns the database and drops the trigger.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import Connection, text
from sqlalchemy.ext.asyncio import AsyncConnection


def _triggers(conn: Connection, tables: tuple[str, ...]) -> list[tuple[str, str]]:
    """(DROP statement, CREATE statement) of each trigger on the tables."""
    if conn.dialect.name == "postgresql":
        found = conn.execute(
            text(
                "SELECT t.tgname, c.relname, pg_get_triggerdef(t.oid) FROM pg_trigger t "
                "JOIN pg_class c ON c.oid = t.tgrelid "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE NOT t.tgisinternal AND n.nspname = current_schema()"
            )
        ).all()
        return [(f'DROP TRIGGER "{n}" ON "{t}"', d) for n, t, d in found if t in tables]
    found = conn.execute(
        text("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger'")
    ).all()
    return [(f'DROP TRIGGER "{n}"', d) for n, t, d in found if t in tables]


@asynccontextmanager
async def triggers_dropped(conn: AsyncConnection, *tables: str) -> AsyncIterator[None]:
    triggers = await conn.run_sync(_triggers, tables)
    for drop, _ in triggers:
        await conn.execute(text(drop))
    yield
    for _, create in triggers:
        await conn.execute(text(create))
