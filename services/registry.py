"""Organizations and the reviewer pool (DB records the office keeps; no workflow involved)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from sqlalchemy import Table, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from contracts.commands import ReviewerInfo
from db.models import Organization, OrganizationRecord, Reviewer, ReviewerTie
from db.repositories.lookups import ORGANIZATIONS, REVIEWERS, OrganizationRef, organization_ref
from domain.credit_code import is_valid_credit_code
from domain.errors import DomainError, ErrorCode
from services.schemas import OrganizationCreate, RecordCreate, ReviewerCreate


async def register_organization(session: AsyncSession, data: OrganizationCreate) -> Organization:
    """Register (or update) an organization; the credit code must pass GB 32100."""
    return (await session.run_sync(register_organizations, [data]))[0]


def register_organizations(
    session: Session, items: Sequence[OrganizationCreate]
) -> list[Organization]:
    """Register (or update) several organizations in a few statements, in order.

    Every credit code is checked first: one invalid code refuses the whole batch.
    """
    codes = [data.credit_code.strip().upper() for data in items]
    for code in codes:
        if not is_valid_credit_code(code):
            raise DomainError(ErrorCode.INVALID_CREDIT_CODE, code)
    known = {
        org.credit_code: org
        for org in session.scalars(
            select(Organization).where(Organization.credit_code.in_(set(codes)))
        )
    }
    orgs = []
    for code, data in zip(codes, items, strict=True):
        org = known.get(code)
        if org is None:
            org = known[code] = Organization(credit_code=code)
            session.add(org)
        org.name = data.name
        org.county = data.county
        org.registered_on = data.registered_on
        org.industry = data.industry.value
        org.industrial = data.industrial
        org.excellence_since = data.excellence_since
        org.mu_efficiency = {str(y): g for y, g in data.mu_efficiency.items()}
        orgs.append(org)
    session.flush()
    session.add_all(
        OrganizationRecord(
            organization_id=org.id, on=entry.on, kind=entry.kind.value, note=entry.note
        )
        for org, data in zip(orgs, items, strict=True)
        for entry in data.record
    )
    session.flush()
    return orgs


async def add_record(session: AsyncSession, org: Organization, entry: RecordCreate) -> None:
    session.add(
        OrganizationRecord(
            organization_id=org.id, on=entry.on, kind=entry.kind.value, note=entry.note
        )
    )
    await session.flush()


async def get_organization(session: AsyncSession, credit_code: str) -> Organization:
    return await session.run_sync(find_organization, credit_code)


def find_organization(session: Session, credit_code: str) -> Organization:
    """The registered organization, or the refusal: an invalid code, or an unknown one."""
    org = session.scalar(
        select(Organization).where(Organization.credit_code == credit_code.strip().upper())
    )
    if org is None:
        raise _not_registered(credit_code)
    return org


def organization_reference(session: Session, credit_code: str) -> OrganizationRef:
    """What a command needs of the registered organization, or the same refusal."""
    ref = organization_ref(session, credit_code.strip().upper())
    if ref is None:
        raise _not_registered(credit_code)
    return ref


def _not_registered(credit_code: str) -> DomainError:
    if not is_valid_credit_code(credit_code.strip().upper()):
        return DomainError(ErrorCode.INVALID_CREDIT_CODE, credit_code)
    return DomainError(ErrorCode.UNKNOWN_ORGANIZATION, credit_code)


async def register_reviewer(session: AsyncSession, data: ReviewerCreate) -> Reviewer:
    return (await session.run_sync(register_reviewers, [data]))[0]


def register_reviewers(session: Session, items: Sequence[ReviewerCreate]) -> list[Reviewer]:
    """Register (or update) several reviewers, with their registered ties, in order.

    A tie to an organization that is not registered is skipped (as for a single reviewer).
    """
    codes = {data.code for data in items}
    known = {r.code: r for r in session.scalars(select(Reviewer).where(Reviewer.code.in_(codes)))}
    reviewers = []
    for data in items:
        reviewer = known.get(data.code)
        if reviewer is None:
            reviewer = known[data.code] = Reviewer(code=data.code)
            session.add(reviewer)
        reviewer.name = data.name
        reviewer.industries = [i.value for i in data.industries]
        reviewer.employer_credit_code = data.employer_credit_code
        reviewers.append(reviewer)
    session.flush()
    tied = {code for data in items for code in data.ties}
    if tied:
        orgs = {
            o.credit_code: o
            for o in session.scalars(select(Organization).where(Organization.credit_code.in_(tied)))
        }
        for reviewer, data in zip(reviewers, items, strict=True):
            for credit_code in data.ties:
                if credit_code in orgs:
                    tie(session, reviewer, orgs[credit_code], "registered")
    return reviewers


async def get_reviewer(session: AsyncSession, code: str) -> Reviewer:
    reviewer = await session.scalar(select(Reviewer).where(Reviewer.code == code))
    if reviewer is None:
        raise DomainError(ErrorCode.UNKNOWN_REVIEWER, code)
    return reviewer


async def add_tie(
    session: AsyncSession, reviewer: Reviewer, org: Organization, source: str
) -> None:
    await session.run_sync(tie, reviewer, org, source)


def tie(session: Session, reviewer: Reviewer, org: Organization, source: str) -> None:
    """Register or declare a tie (回避, §6(1)); a second one for the same pair is a no-op."""
    exists = session.scalar(
        select(ReviewerTie.id).where(
            ReviewerTie.reviewer_id == reviewer.id, ReviewerTie.organization_id == org.id
        )
    )
    if exists is None:
        session.add(ReviewerTie(reviewer_id=reviewer.id, organization_id=org.id, source=source))
        session.flush()


_TIES = cast(Table, ReviewerTie.__table__)


def reviewer_infos(session: Session, codes: list[str]) -> list[ReviewerInfo]:
    """What the cycle needs to check a panel: expertise, employer and ties (two queries,
    plain column reads: this runs for every panel assignment)."""
    connection = session.connection()
    found = {
        row.code: row
        for row in connection.execute(
            select(
                REVIEWERS.c.id,
                REVIEWERS.c.code,
                REVIEWERS.c.employer_credit_code,
                REVIEWERS.c.industries,
            ).where(REVIEWERS.c.code.in_(codes))
        )
    }
    for code in codes:
        if code not in found:
            raise DomainError(ErrorCode.UNKNOWN_REVIEWER, code)
    ties: dict[int, list[str]] = {row.id: [] for row in found.values()}
    rows = connection.execute(
        select(_TIES.c.reviewer_id, ORGANIZATIONS.c.credit_code)
        .join(ORGANIZATIONS, _TIES.c.organization_id == ORGANIZATIONS.c.id)
        .where(_TIES.c.reviewer_id.in_(ties))
        .order_by(_TIES.c.id)
    )
    for reviewer_id, credit_code in rows:
        ties[reviewer_id].append(credit_code)
    return [
        ReviewerInfo(
            code=found[code].code,
            employer_credit_code=found[code].employer_credit_code,
            industries=list(found[code].industries),
            tied_credit_codes=ties[found[code].id],
        )
        for code in codes
    ]
