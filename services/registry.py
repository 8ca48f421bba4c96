"""Organizations and the reviewer pool (DB records the office keeps; no workflow involved).

The functions take the caller's session and never commit: a request (`SessionDep`), the
simulator or a test owns the transaction. The SQL is in `db.repositories.organizations`
and `db.repositories.reviewers`.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from contracts.commands import ReviewerInfo
from db.models import Organization, OrganizationRecord, Reviewer
from db.repositories import organizations, reviewers
from db.repositories.lookups import OrganizationRef, organization_ref
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
    known = organizations.by_credit_codes(session, codes)
    orgs = []
    for code, data in zip(codes, items, strict=True):
        org = known.get(code)
        if org is None:
            org = known[code] = Organization(credit_code=code)
        org.name = data.name
        org.county = data.county
        org.registered_on = data.registered_on
        org.industry = data.industry.value
        org.industrial = data.industrial
        org.excellence_since = data.excellence_since
        org.mu_efficiency = {str(y): g for y, g in data.mu_efficiency.items()}
        orgs.append(org)
    organizations.add(session, orgs)
    organizations.add_records(
        session,
        (
            OrganizationRecord(
                organization_id=org.id, on=entry.on, kind=entry.kind.value, note=entry.note
            )
            for org, data in zip(orgs, items, strict=True)
            for entry in data.record
        ),
    )
    return orgs


async def add_record(session: AsyncSession, org: Organization, entry: RecordCreate) -> None:
    record = OrganizationRecord(
        organization_id=org.id, on=entry.on, kind=entry.kind.value, note=entry.note
    )
    await session.run_sync(organizations.add_records, [record])


async def get_organization(session: AsyncSession, credit_code: str) -> Organization:
    return await session.run_sync(find_organization, credit_code)


def find_organization(session: Session, credit_code: str) -> Organization:
    """The registered organization, or the refusal: an invalid code, or an unknown one."""
    org = organizations.by_credit_code(session, credit_code.strip().upper())
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
    known = reviewers.by_codes(session, {data.code for data in items})
    pool = []
    for data in items:
        reviewer = known.get(data.code)
        if reviewer is None:
            reviewer = known[data.code] = Reviewer(code=data.code)
        reviewer.name = data.name
        reviewer.industries = [i.value for i in data.industries]
        reviewer.employer_credit_code = data.employer_credit_code
        pool.append(reviewer)
    reviewers.add(session, pool)
    tied = {code for data in items for code in data.ties}
    if tied:
        orgs = organizations.by_credit_codes(session, tied)
        for reviewer, data in zip(pool, items, strict=True):
            for credit_code in data.ties:
                if credit_code in orgs:
                    tie(session, reviewer, orgs[credit_code], "registered")
    return pool


async def get_reviewer(session: AsyncSession, code: str) -> Reviewer:
    return await session.run_sync(find_reviewer, code)


def find_reviewer(session: Session, code: str) -> Reviewer:
    reviewer = reviewers.by_code(session, code)
    if reviewer is None:
        raise DomainError(ErrorCode.UNKNOWN_REVIEWER, code)
    return reviewer


async def add_tie(
    session: AsyncSession, reviewer: Reviewer, org: Organization, source: str
) -> None:
    await session.run_sync(tie, reviewer, org, source)


def tie(session: Session, reviewer: Reviewer, org: Organization, source: str) -> None:
    """Register or declare a tie (回避, §6(1)); a second one for the same pair is a no-op."""
    if not reviewers.has_tie(session, reviewer.id, org.id):
        reviewers.add_tie(session, reviewer.id, org.id, source)


def declare_tie(session: Session, reviewer_code: str, credit_code: str) -> str:
    """§6(1): a reviewer's declared conflict, recorded in the pool for future panels.
    Returns the organization's credit code as registered."""
    reviewer = find_reviewer(session, reviewer_code)
    org = find_organization(session, credit_code)
    tie(session, reviewer, org, "declared")
    return org.credit_code


def register_tie(session: Session, reviewer_code: str, credit_code: str) -> str:
    """§6(1): a tie the office registers (employment, kinship, interest) for every panel."""
    reviewer = find_reviewer(session, reviewer_code)
    org = find_organization(session, credit_code)
    tie(session, reviewer, org, "registered")
    return org.credit_code


def reviewer_infos(session: Session, codes: list[str]) -> list[ReviewerInfo]:
    """What the cycle needs to check a panel, in the order named; an unknown code refuses."""
    found = reviewers.panel_facts(session, codes)
    for code in codes:
        if code not in found:
            raise DomainError(ErrorCode.UNKNOWN_REVIEWER, code)
    return [found[code] for code in codes]
