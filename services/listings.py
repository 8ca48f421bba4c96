"""Reads the API and the simulator need besides applications: cycles, organizations,
reviewers, notices, committee papers, objections and the public lists (DESIGN §7).
Filtering by role happens here too; the SQL is in `db.repositories`.

Each resource is read in one place. `cycles` serves the API and `cycle_views` is the same
read as the simulator's outcome shows it. Notices are read two ways, each once: `notices`
is what one caller may see, newest first (the signed-in list and the public one, with no
caller); `notice_views` is every notice with its addressee's credit code in publication
order (the simulator's outcome).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from db.models import Cycle, Notice, Objection, Organization, OrganizationRecord, Reviewer, Vote
from db.repositories import applications, notice_reads
from db.repositories import cycles as cycle_rows
from db.repositories import organizations as org_rows
from db.repositories import reviewers as pool
from domain.committee import Candidate as Contender
from domain.committee import VoteResult, select_winners
from domain.errors import DomainError, ErrorCode
from domain.rules import load_rules
from domain.types import Award
from services.accounts import OFFICIALS, Role, Viewer
from services.views import find_cycle, not_found

PUBLISHED_PHASES = ("publicity", "approval", "announced")


# --- cycles ---------------------------------------------------------------------------------


class ApplicationView(BaseModel):
    credit_code: str
    name: str
    award: str
    outcome: str
    reasons: list[str]
    document_score: float | None
    site_score: float | None
    total_score: float | None


class CycleView(BaseModel):
    year: int
    workflow_id: str
    phase: str
    application_deadline: date
    publicity_opens: datetime | None
    publicity_closes: datetime | None
    awarded_on: date | None
    attention: str | None
    winners: dict[str, list[str]]
    applications: list[ApplicationView]


async def cycles(session: AsyncSession, year: int | None = None) -> list[Cycle]:
    """Newest first; a year opened again after a cancellation shows both cycles."""
    return list(reversed(await session.run_sync(cycle_rows.cycles, year)))


async def cycle_views(session: AsyncSession, year: int | None = None) -> list[CycleView]:
    """Oldest first, each with its applications by credit code."""
    views = []
    for cycle in reversed(await cycles(session, year)):
        rows = await session.run_sync(applications.with_organizations, cycle.id)
        apps = [
            ApplicationView(
                credit_code=org.credit_code,
                name=org.name,
                award=app.award,
                outcome=app.outcome,
                reasons=[r["reason"] for r in app.reasons],
                document_score=app.document_score,
                site_score=app.site_score,
                total_score=app.total_score,
            )
            for app, org in sorted(rows, key=lambda row: row[1].credit_code)
        ]
        views.append(
            CycleView(
                year=cycle.year,
                workflow_id=cycle.workflow_id,
                phase=cycle.phase,
                application_deadline=cycle.application_deadline,
                publicity_opens=cycle.publicity_opens,
                publicity_closes=cycle.publicity_closes,
                awarded_on=cycle.awarded_on,
                attention=cycle.attention,
                winners={k: list(v) for k, v in cycle.winners.items()},
                applications=apps,
            )
        )
    return views


# --- organizations and reviewers ------------------------------------------------------------


async def organizations(session: AsyncSession) -> list[Organization]:
    return await session.run_sync(org_rows.all_organizations)


@dataclass(frozen=True)
class OrganizationPage:
    """One page of the register (`organization_page`): its rows, how many match the search,
    how many are registered."""

    rows: list[Organization]
    matching: int
    everything: int


async def organization_page(
    session: AsyncSession, q: str = "", offset: int = 0, limit: int = 50
) -> OrganizationPage:
    """The register a page at a time, searched by name or credit code (officials only: the
    page's gate)."""
    rows, matching, everything = await session.run_sync(
        lambda s: org_rows.page_of(s, needle=q.strip(), offset=offset, limit=limit)
    )
    return OrganizationPage(rows, matching, everything)


async def organization(session: AsyncSession, viewer: Viewer, credit_code: str) -> Organization:
    """Officials see every organization; an applicant only its own."""
    org = await session.run_sync(org_rows.by_credit_code, credit_code.strip().upper())
    if org is None or (viewer.role not in OFFICIALS and viewer.organization_id != org.id):
        raise DomainError(ErrorCode.UNKNOWN_ORGANIZATION, credit_code)
    return org


async def records(session: AsyncSession, org: Organization) -> list[OrganizationRecord]:
    return await session.run_sync(org_rows.records_of, org.id)


@dataclass(frozen=True)
class OrganizationApplication:
    """One of an organization's applications, as its file lists them (every cycle)."""

    year: int
    phase: str
    award: str
    submitted_at: datetime
    outcome: str
    eligible: bool | None
    total_score: float | None


async def organization_applications(
    session: AsyncSession, viewer: Viewer, org: Organization
) -> list[OrganizationApplication]:
    """The organization's applications across cycles, newest first: for officials and the
    organization itself (`organization` has checked that much); what each shows is what the
    applications list shows that viewer."""
    if viewer.role not in OFFICIALS and viewer.organization_id != org.id:
        raise DomainError(ErrorCode.UNKNOWN_ORGANIZATION, org.credit_code)
    rows = await session.run_sync(applications.of_organization, org.id)
    return [
        OrganizationApplication(
            year=cycle.year,
            phase=cycle.phase,
            award=app.award,
            submitted_at=app.submitted_at,
            outcome=app.outcome,
            eligible=app.eligible,
            total_score=app.total_score,
        )
        for app, cycle in rows
    ]


async def reviewers(session: AsyncSession) -> list[Reviewer]:
    return await session.run_sync(pool.all_reviewers)


async def reviewer(session: AsyncSession, viewer: Viewer, code: str) -> Reviewer:
    """The pool is the office's; a reviewer sees its own entry only."""
    found = await session.run_sync(pool.by_code, code)
    if found is None or (viewer.role == Role.REVIEWER and viewer.reviewer_id != found.id):
        raise DomainError(ErrorCode.UNKNOWN_REVIEWER, code)
    return found


async def ties(session: AsyncSession, reviewer_id: int) -> list[tuple[str, str, str]]:
    """(credit code, organization name, source) of a reviewer's ties (回避)."""
    return await session.run_sync(pool.ties_of, reviewer_id)


# --- notices --------------------------------------------------------------------------------


class NoticeView(BaseModel):
    kind: str
    on: date
    audience: str
    credit_code: str | None
    title: str
    body: str
    published_at: datetime


async def notices(session: AsyncSession, viewer: Viewer | None) -> list[Notice]:
    """Public notices for everyone; plus one's own (applicant, reviewer, the committee, the
    government); all for the office and the supervisors."""
    if viewer is None:
        return await session.run_sync(notice_reads.visible)
    return await session.run_sync(
        visible_notices, viewer.role, viewer.organization_id, viewer.reviewer_id
    )


def visible_notices(
    session: Session, role: Role, organization_id: int | None, reviewer_id: int | None
) -> list[Notice]:
    """What a signed-in user of `role` may see (also the daily digest's unread notices)."""
    if role in (Role.COMMITTEE, Role.GOVERNMENT):
        return notice_reads.visible(session, audience=role.value)
    if role == Role.APPLICANT:
        return notice_reads.visible(session, organization_id=organization_id)
    if role == Role.REVIEWER:
        return notice_reads.visible(session, reviewer_id=reviewer_id)
    return notice_reads.visible(session, everything=True)


async def notice_views(session: AsyncSession) -> list[NoticeView]:
    """Every notice in publication order."""
    rows = await session.run_sync(notice_reads.with_credit_codes)
    return [
        NoticeView(
            kind=n.kind,
            on=n.on,
            audience=n.audience,
            credit_code=code,
            title=n.title,
            body=n.body,
            published_at=n.published_at,
        )
        for n, code in rows
    ]


# --- committee and publicity ----------------------------------------------------------------


async def votes(session: AsyncSession, year: int) -> list[Vote]:
    cycle = await find_cycle(session, year)
    return await session.run_sync(cycle_rows.votes, cycle.id)


async def vote(session: AsyncSession, year: int, award: str, round: int) -> Vote:
    """One recorded vote of the cycle's award (its round), or NOT_FOUND."""
    cycle = await find_cycle(session, year)
    found = await session.run_sync(cycle_rows.vote, cycle.id, award, round)
    if found is None:
        raise not_found(f"{year}年度没有该表决记录")
    return found


async def organization_names(session: AsyncSession, codes: list[str]) -> dict[str, str]:
    """Names by credit code of the organizations named (a page of a vote's ballots)."""
    found = await session.run_sync(org_rows.by_credit_codes, codes)
    return {code: org.name for code, org in found.items()}


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
    rows = await session.run_sync(applications.candidate_columns, cycle.id)
    return [Candidate(*row) for row in rows]


async def pending_runoffs(session: AsyncSession, year: int) -> dict[str, list[str]]:
    """§4(4): by award, the candidates of a runoff the committee still owes, as the cycle's
    workflow decides it (`domain.committee.select_winners` over the award's recorded votes of
    its latest series, the main vote's ballots being the candidates): read from the
    projection, so a reloaded page knows it. Empty outside the committee phase."""
    cycle = await find_cycle(session, year)
    if cycle.phase != "committee":
        return {}
    recorded = await session.run_sync(cycle_rows.votes, cycle.id)
    if not recorded:
        return {}
    rules = load_rules(cycle.rules)
    facts = await session.run_sync(applications.contender_columns, cycle.id)
    found: dict[str, list[str]] = {}
    for award in Award:
        mine = [v for v in recorded if v.award == award.value]
        if not mine:
            continue
        series = max(v.series for v in mine)
        rounds = sorted((v for v in mine if v.series == series), key=lambda v: v.round)
        votes = [
            VoteResult.model_validate({"present": v.present, "ballots": v.ballots}) for v in rounds
        ]
        candidates = []
        for code in votes[0].ballots:
            total, repeat_winner, takes_quota_place = facts.get(code, (None, False, True))
            candidates.append(
                Contender(
                    key=code,
                    total_score=total or 0.0,
                    repeat_winner=repeat_winner,
                    takes_quota_place=takes_quota_place,
                )
            )
        selection = select_winners(award, candidates, votes[0], rules, runoff=votes[1:])
        if selection.runoff:
            found[award.value] = list(selection.runoff)
    return found


async def objections(session: AsyncSession, year: int) -> list[tuple[Objection, Organization]]:
    cycle = await find_cycle(session, year)
    return await session.run_sync(cycle_rows.objections, cycle.id)


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
    cycle = await session.run_sync(cycle_rows.latest_in_phases, year, PUBLISHED_PHASES)
    if cycle is None:
        raise not_found("暂无公示名单")
    codes = {code: award for award, listed in cycle.winners.items() for code in listed}
    orgs = await session.run_sync(org_rows.by_credit_codes, list(codes))
    listed = sorted(
        (ListedOrganization(o.credit_code, o.name, codes[o.credit_code]) for o in orgs.values()),
        key=lambda o: (o.award, o.credit_code),
    )
    return PublishedList(cycle=cycle, organizations=listed)
