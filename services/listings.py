"""Reads the API needs besides applications: organizations, reviewers, notices, committee
papers, objections and the public lists (DESIGN §7). Filtering by role happens here too.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import (
    Application,
    Cycle,
    Notice,
    Objection,
    Organization,
    OrganizationRecord,
    Reviewer,
    ReviewerTie,
    Vote,
)
from domain.errors import DomainError, ErrorCode
from services.accounts import OFFICIALS, Role, Viewer
from services.views import find_cycle, not_found

PUBLISHED_PHASES = ("publicity", "approval", "announced")


async def cycles(session: AsyncSession) -> list[Cycle]:
    """Newest first; a year opened again after a cancellation shows both cycles."""
    return list(await session.scalars(select(Cycle).order_by(Cycle.year.desc(), Cycle.id.desc())))


async def organizations(session: AsyncSession) -> list[Organization]:
    return list(await session.scalars(select(Organization).order_by(Organization.credit_code)))


async def organization(session: AsyncSession, viewer: Viewer, credit_code: str) -> Organization:
    """Officials see every organization; an applicant only its own."""
    code = credit_code.strip().upper()
    org = await session.scalar(select(Organization).where(Organization.credit_code == code))
    if org is None or (viewer.role not in OFFICIALS and viewer.organization_id != org.id):
        raise DomainError(ErrorCode.UNKNOWN_ORGANIZATION, credit_code)
    return org


async def records(session: AsyncSession, org: Organization) -> list[OrganizationRecord]:
    return list(
        await session.scalars(
            select(OrganizationRecord)
            .where(OrganizationRecord.organization_id == org.id)
            .order_by(OrganizationRecord.on, OrganizationRecord.id)
        )
    )


async def reviewers(session: AsyncSession) -> list[Reviewer]:
    return list(await session.scalars(select(Reviewer).order_by(Reviewer.code)))


async def reviewer(session: AsyncSession, viewer: Viewer, code: str) -> Reviewer:
    """The pool is the office's; a reviewer sees its own entry only."""
    found = await session.scalar(select(Reviewer).where(Reviewer.code == code))
    if found is None or (viewer.role == Role.REVIEWER and viewer.reviewer_id != found.id):
        raise DomainError(ErrorCode.UNKNOWN_REVIEWER, code)
    return found


async def ties(session: AsyncSession, reviewer_id: int) -> list[tuple[str, str, str]]:
    """(credit code, organization name, source) of a reviewer's ties (回避)."""
    rows = await session.execute(
        select(Organization.credit_code, Organization.name, ReviewerTie.source)
        .join(ReviewerTie, ReviewerTie.organization_id == Organization.id)
        .where(ReviewerTie.reviewer_id == reviewer_id)
        .order_by(Organization.credit_code)
    )
    return [(code, name, source) for code, name, source in rows]


async def notices(session: AsyncSession, viewer: Viewer | None) -> list[Notice]:
    """Public notices for everyone; plus one's own (applicant, reviewer); all for the office."""
    query = select(Notice).order_by(Notice.published_at.desc(), Notice.id.desc())
    if viewer is None or viewer.role in (Role.COMMITTEE, Role.GOVERNMENT):
        query = query.where(Notice.audience == "public")
    elif viewer.role == Role.APPLICANT:
        mine = and_(
            Notice.audience == "applicant", Notice.organization_id == viewer.organization_id
        )
        query = query.where(or_(Notice.audience == "public", mine))
    elif viewer.role == Role.REVIEWER:
        mine = and_(Notice.audience == "reviewer", Notice.reviewer_id == viewer.reviewer_id)
        query = query.where(or_(Notice.audience == "public", mine))
    return list(await session.scalars(query))


async def votes(session: AsyncSession, year: int) -> list[Vote]:
    cycle = await find_cycle(session, year)
    return list(
        await session.scalars(
            select(Vote).where(Vote.cycle_id == cycle.id).order_by(Vote.award, Vote.round)
        )
    )


@dataclass(frozen=True)
class Candidate:
    credit_code: str
    name: str
    award: str
    total_score: float
    outcome: str


async def candidates(session: AsyncSession, year: int) -> list[Candidate]:
    """Applications with a total score, best first per award (§4(4))."""
    cycle = await find_cycle(session, year)
    rows = await session.execute(
        select(Application, Organization)
        .join(Organization, Organization.id == Application.organization_id)
        .where(
            Application.cycle_id == cycle.id,
            Application.total_score.is_not(None),
            Application.outcome.not_in(["not_candidate", "withdrawn", "cancelled"]),
        )
        .order_by(Application.award, Application.total_score.desc(), Organization.credit_code)
    )
    return [
        Candidate(org.credit_code, org.name, app.award, app.total_score or 0.0, app.outcome)
        for app, org in rows
    ]


async def objections(session: AsyncSession, year: int) -> list[tuple[Objection, Organization]]:
    cycle = await find_cycle(session, year)
    rows = await session.execute(
        select(Objection, Organization)
        .join(Application, Application.id == Objection.application_id)
        .join(Organization, Organization.id == Application.organization_id)
        .where(Objection.cycle_id == cycle.id)
        .order_by(Objection.number)
    )
    return [(objection, org) for objection, org in rows]


@dataclass(frozen=True)
class ListedOrganization:
    credit_code: str
    name: str
    award: str


@dataclass(frozen=True)
class PublishedList:
    cycle: Cycle
    organizations: list[ListedOrganization]


async def publicity_list(session: AsyncSession, year: int | None) -> PublishedList:
    """The preliminary list as published (§4(5)), less any candidate later removed."""
    query = select(Cycle).where(Cycle.phase.in_(PUBLISHED_PHASES))
    if year is not None:
        query = query.where(Cycle.year == year)
    cycle = await session.scalar(query.order_by(Cycle.year.desc(), Cycle.id.desc()).limit(1))
    if cycle is None:
        raise not_found("暂无公示名单")
    codes = {code: award for award, listed in cycle.winners.items() for code in listed}
    orgs = await session.scalars(
        select(Organization).where(Organization.credit_code.in_(list(codes)))
    )
    listed = sorted(
        (ListedOrganization(o.credit_code, o.name, codes[o.credit_code]) for o in orgs),
        key=lambda o: (o.award, o.credit_code),
    )
    return PublishedList(cycle=cycle, organizations=listed)
