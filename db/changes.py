"""A count of this process's committed writes, for caches that must not outlive a change.

Every engine of the process (the request's async engine, the synchronous SQLite engine of
`db.session.Database`) reports here: a transaction that executed an INSERT, UPDATE or
DELETE and then committed moves the count on. The public pages' cache
(`api.public_cache`) keeps a rendered page only while the count stays where it was when
the page was rendered, so what this process writes — a projection written by its worker
(`qaward up`), a command of its API — is never hidden by a page rendered before. Writes of
other processes are not seen here; the cache's time limit bounds those.
"""

from __future__ import annotations

import itertools
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

_WROTE = "qaward_wrote"
_counter = itertools.count(1)
_latest = 0


def committed_writes() -> int:
    """Moves on with every committed transaction that wrote (never goes back)."""
    return _latest


@event.listens_for(Engine, "before_cursor_execute")
def _note_write(
    conn: Connection, _cursor: Any, statement: str, _parameters: Any, _context: Any, _many: bool
) -> None:
    if statement.lstrip()[:6].upper() in ("INSERT", "UPDATE", "DELETE"):
        conn.info[_WROTE] = True


@event.listens_for(Engine, "commit")
def _count_commit(conn: Connection) -> None:
    global _latest
    if conn.info.pop(_WROTE, False):
        _latest = next(_counter)


@event.listens_for(Engine, "rollback")
def _forget(conn: Connection) -> None:
    conn.info.pop(_WROTE, None)
