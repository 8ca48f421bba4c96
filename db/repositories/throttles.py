"""Throttle rows, locked per key so that a check and its count are one atomic step.

`lock` must be the first statement of its transaction. It creates missing rows with an
``INSERT … ON CONFLICT DO NOTHING`` and then selects them ``FOR UPDATE``: on PostgreSQL
the rows are locked until the commit; on SQLite the insert has already taken the
database's write lock (in WAL mode a transaction that read first could not wait for it).
Keys are locked in sorted order, so two requests never wait for each other in a circle.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from db.models import ObjectionSlot, Throttle

THROTTLES = cast(Table, Throttle.__table__)


def _insert_missing(session: Session, keys: list[str]) -> Any:
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    rows = [{"key": key, "failures": 0} for key in keys]
    return insert(THROTTLES).values(rows).on_conflict_do_nothing(index_elements=["key"])


def lock(session: Session, keys: Collection[str]) -> dict[str, Throttle]:
    """The rows of `keys`, created when missing, locked until the transaction ends."""
    ordered = sorted(set(keys))
    session.execute(_insert_missing(session, ordered))
    found = session.scalars(
        select(Throttle)
        .where(Throttle.key.in_(ordered))
        .order_by(Throttle.key)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return {row.key: row for row in found}


def find(session: Session, key: str) -> Throttle | None:
    return session.get(Throttle, key)


def clear(session: Session, key: str) -> None:
    session.execute(
        update(Throttle).where(Throttle.key == key).values(failures=0, blocked_until=None)
    )


def objections_since(session: Session, client: str, since: datetime) -> int:
    found = session.scalar(
        select(func.count(ObjectionSlot.id)).where(
            ObjectionSlot.client == client, ObjectionSlot.at >= since
        )
    )
    return int(found or 0)


def take_objection_slot(session: Session, client: str, at: datetime) -> int:
    slot = ObjectionSlot(client=client, at=at)
    session.add(slot)
    session.flush()
    return slot.id


def give_back_objection_slot(session: Session, slot_id: int) -> None:
    session.execute(delete(ObjectionSlot).where(ObjectionSlot.id == slot_id))


def forget_objections_before(session: Session, client: str, before: datetime) -> None:
    session.execute(
        delete(ObjectionSlot).where(ObjectionSlot.client == client, ObjectionSlot.at < before)
    )
