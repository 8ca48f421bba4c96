"""Reads of the honors register (获奖名录); `honors.py` is the write side, the activities'."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Honor, Organization


def register(session: Session) -> list[tuple[Honor, Organization]]:
    """Every honor with its holder, by year, credit code and award."""
    rows = session.execute(
        select(Honor, Organization)
        .join(Organization, Organization.id == Honor.organization_id)
        .order_by(Honor.year, Organization.credit_code, Honor.award)
    )
    return [(honor, org) for honor, org in rows]


def latest(session: Session, organization_id: int, award: str, year: int | None) -> Honor | None:
    """The holder's honor of that award and year (of any year: the latest)."""
    query = select(Honor).where(Honor.organization_id == organization_id, Honor.award == award)
    if year is not None:
        query = query.where(Honor.year == year)
    return session.scalar(query.order_by(Honor.year.desc()).limit(1))


def awarded_before(session: Session, organization_id: int, on: date) -> list[Honor]:
    return list(
        session.scalars(
            select(Honor).where(Honor.organization_id == organization_id, Honor.awarded_on < on)
        )
    )


def one(
    session: Session, credit_code: str, award: str, year: int
) -> tuple[Honor, Organization] | None:
    """The honor of that holder (by credit code), award and year, with its holder."""
    row = session.execute(
        select(Honor, Organization)
        .join(Organization, Organization.id == Honor.organization_id)
        .where(Organization.credit_code == credit_code, Honor.award == award, Honor.year == year)
    ).first()
    return None if row is None else (row[0], row[1])
