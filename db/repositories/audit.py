"""The audit trail's rows: appended at the end, read in pages (never changed or deleted).

Checkpoints of the chain's head are appended beside them, likewise never changed.
"""

from __future__ import annotations

from typing import cast

from sqlalchemy import Table, func, select
from sqlalchemy import insert as insert_into
from sqlalchemy.orm import Session

from db.models import AuditEntry
from db.models.audit import AuditCheckpoint

_ENTRIES = cast(Table, AuditEntry.__table__)

CHAIN_LOCK = 0x5141_7564_6974
"""The PostgreSQL advisory lock key of the chain's head ("QAudit")."""


def lock_chain(session: Session) -> None:
    """Hold the chain's head until the transaction ends, so appends from several processes
    queue instead of colliding on the next id. PostgreSQL only: SQLite has one writer at a
    time anyway, and a collision there is retried (`services.audit.append`)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(CHAIN_LOCK)))


def last_link(session: Session) -> tuple[int, str] | None:
    """The id and mac of the newest entry (None for an empty trail)."""
    found = session.connection().execute(_LAST_LINK).first()
    return None if found is None else (found[0], found[1])


def insert(session: Session, values: dict[str, object]) -> None:
    """One entry, as a plain INSERT (no unit of work: an append happens on every command)."""
    session.connection().execute(_INSERT, values)


# Built once: an append runs on every command.
_LAST_LINK = select(_ENTRIES.c.id, _ENTRIES.c.hash).order_by(_ENTRIES.c.id.desc()).limit(1)
_INSERT = insert_into(_ENTRIES)


def from_id(session: Session, first_id: int, limit: int) -> list[AuditEntry]:
    """Oldest first, from `first_id` on."""
    return list(
        session.scalars(
            select(AuditEntry).where(AuditEntry.id >= first_id).order_by(AuditEntry.id).limit(limit)
        )
    )


def newest(session: Session, *, before_id: int | None, limit: int) -> list[AuditEntry]:
    """Newest first, below `before_id` when given."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if before_id is not None:
        query = query.where(AuditEntry.id < before_id)
    return list(session.scalars(query))


def add_checkpoint(session: Session, checkpoint: AuditCheckpoint) -> None:
    session.add(checkpoint)


def latest_checkpoints(session: Session, limit: int) -> list[AuditCheckpoint]:
    """The checkpoints of the highest heads first."""
    query = (
        select(AuditCheckpoint)
        .order_by(AuditCheckpoint.head_id.desc(), AuditCheckpoint.id.desc())
        .limit(limit)
    )
    return list(session.scalars(query))
