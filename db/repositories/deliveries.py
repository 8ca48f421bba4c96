"""Deliveries (投递记录) and what routing a notice needs: the outbox, contacts, users.

Every statement of the delivery (`services.delivery_routes`, `activities.delivery`) and of
its API reads (`services.delivery`) is here.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from db.models import (
    Cycle,
    Delivery,
    Notice,
    Objection,
    Organization,
    OutboxMessage,
    Reviewer,
    User,
)
from db.repositories.projection import _insert_all_ignore
from domain.delivery import DeliveryStatus


def pending_outbox(session: Session, limit: int) -> list[tuple[OutboxMessage, Notice]]:
    """The oldest outbox entries not yet routed, with their notices (for update)."""
    query = (
        select(OutboxMessage, Notice)
        .join(Notice, Notice.id == OutboxMessage.notice_id)
        .where(OutboxMessage.status == "pending")
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    return [(entry, notice) for entry, notice in session.execute(query)]


def organizations_by_ids(session: Session, ids: Collection[int]) -> dict[int, Organization]:
    if not ids:
        return {}
    found = session.scalars(select(Organization).where(Organization.id.in_(ids)))
    return {org.id: org for org in found}


def reviewers_by_ids(session: Session, ids: Collection[int]) -> dict[int, Reviewer]:
    if not ids:
        return {}
    return {r.id: r for r in session.scalars(select(Reviewer).where(Reviewer.id.in_(ids)))}


def active_users_with_role(session: Session, role: str) -> list[User]:
    query = select(User).where(User.role == role, User.active.is_(True)).order_by(User.id)
    return list(session.scalars(query))


def objection_contact(session: Session, workflow_id: str, number: int) -> str | None:
    """The contact an objector gave (§4(5)), for their objection in that cycle."""
    query = (
        select(Objection.contact)
        .join(Cycle, Cycle.id == Objection.cycle_id)
        .where(Cycle.workflow_id == workflow_id, Objection.number == number)
    )
    return session.scalar(query)


def digest_candidates(session: Session) -> list[User]:
    """Active users who want the daily digest and have an address."""
    query = (
        select(User)
        .where(User.active.is_(True), User.digest_enabled.is_(True), User.email.is_not(None))
        .order_by(User.id)
    )
    return list(session.scalars(query))


def add_all(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Insert deliveries whose key is new (a second routing of one entry adds nothing)."""
    _insert_all_ignore(session, Delivery, ["key"], list(rows))


def pending_ids(session: Session, limit: int) -> list[int]:
    query = (
        select(Delivery.id)
        .where(Delivery.status == DeliveryStatus.PENDING.value)
        .order_by(Delivery.id)
        .limit(limit)
    )
    return list(session.scalars(query))


def get(session: Session, delivery_id: int) -> Delivery | None:
    return session.get(Delivery, delivery_id, with_for_update=True)


def claim(session: Session, delivery_id: int, expected: str) -> bool:
    """Move the row from `expected` to `sending`, counting the attempt; False when another
    attempt has moved it meanwhile (then this one sends nothing)."""
    interrupted = 1 if expected == DeliveryStatus.SENDING.value else 0
    done = session.execute(
        update(Delivery)
        .where(Delivery.id == delivery_id, Delivery.status == expected)
        .values(
            status=DeliveryStatus.SENDING.value,
            attempts=Delivery.attempts + 1,
            interrupted=Delivery.interrupted + interrupted,
        )
    )
    return bool(getattr(done, "rowcount", 0))


def finish(
    session: Session, delivery_id: int, status: str, error: str | None, at: datetime | None
) -> None:
    session.execute(
        update(Delivery)
        .where(Delivery.id == delivery_id)
        .values(status=status, last_error=error, sent_at=at)
    )


def for_notice(session: Session, notice_id: int) -> list[Delivery]:
    query = select(Delivery).where(Delivery.notice_id == notice_id).order_by(Delivery.id)
    return list(session.scalars(query))


def listed(session: Session, status: str | None, limit: int) -> list[Delivery]:
    query = select(Delivery).order_by(Delivery.id.desc()).limit(limit)
    if status is not None:
        query = query.where(Delivery.status == status)
    return list(session.scalars(query))


def counts(session: Session) -> dict[str, int]:
    query = select(Delivery.status, func.count()).group_by(Delivery.status)
    return {str(status): int(n) for status, n in session.execute(query)}


def unrouted(session: Session) -> int:
    """Outbox entries the delivery has not routed yet."""
    query = select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status == "pending")
    return int(session.scalar(query) or 0)


def waiting(session: Session) -> int:
    """Mail the delivery has yet to take up: outbox entries not routed, deliveries pending."""
    pending = select(func.count()).select_from(Delivery)
    pending = pending.where(Delivery.status == DeliveryStatus.PENDING.value)
    return unrouted(session) + int(session.scalar(pending) or 0)


def notice_exists(session: Session, notice_id: int) -> bool:
    return session.get(Notice, notice_id) is not None
