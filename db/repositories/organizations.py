"""Organizations (申报组织) and their dated records (E5, E7)."""

from __future__ import annotations

from collections.abc import Collection, Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import Organization, OrganizationRecord


def by_credit_code(session: Session, credit_code: str) -> Organization | None:
    return session.scalar(select(Organization).where(Organization.credit_code == credit_code))


def by_credit_codes(session: Session, codes: Collection[str]) -> dict[str, Organization]:
    found = session.scalars(select(Organization).where(Organization.credit_code.in_(set(codes))))
    return {org.credit_code: org for org in found}


def all_organizations(session: Session) -> list[Organization]:
    return list(session.scalars(select(Organization).order_by(Organization.credit_code)))


def page_of(
    session: Session, *, needle: str = "", offset: int = 0, limit: int = 50
) -> tuple[list[Organization], int, int]:
    """One page of the register by credit code (`all_organizations`' order): (rows, how many
    match, how many in all). `needle` matches the credit code (upper-cased) or the name."""
    where = []
    if needle:
        where.append(
            Organization.credit_code.contains(needle.upper(), autoescape=True)
            | Organization.name.contains(needle, autoescape=True)
        )
    rows = session.scalars(
        select(Organization)
        .where(*where)
        .order_by(Organization.credit_code)
        .offset(offset)
        .limit(limit)
    )
    matching = session.scalar(select(func.count(Organization.id)).where(*where))
    everything = session.scalar(select(func.count(Organization.id))) if needle else matching
    return list(rows), int(matching or 0), int(everything or 0)


def add(session: Session, orgs: Iterable[Organization]) -> None:
    """New or changed organizations, flushed: their ids are known on return."""
    session.add_all(orgs)
    session.flush()


def add_records(session: Session, records: Iterable[OrganizationRecord]) -> None:
    session.add_all(records)
    session.flush()


def records_of(session: Session, organization_id: int) -> list[OrganizationRecord]:
    return list(
        session.scalars(
            select(OrganizationRecord)
            .where(OrganizationRecord.organization_id == organization_id)
            .order_by(OrganizationRecord.on, OrganizationRecord.id)
        )
    )
