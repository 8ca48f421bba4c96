"""Confidential reads: who may see which application, panel and score (DESIGN §3.2, §7).

- Officials (office, committee, government, supervisor) read every application.
- An applicant reads its own applications only; reviewers in its feedback are anonymised.
- A reviewer reads only the applications it is assigned to, never one it must recuse
  itself from (回避, §6(1)), and no other reviewer's score before the panel is complete.
A record the caller may not see is reported as missing (`not_found`), never as forbidden.
The SQL is in `db.repositories` (cycles, applications, panels, reviewers).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Application, Cycle, Organization, PanelMember, VerificationTask
from db.repositories import applications as application_rows
from db.repositories import cycles, panels, reviewers
from db.repositories import supervision as supervision_rows
from domain.errors import DomainError, ErrorCode
from domain.phases import Stage
from domain.review_quality import Spread, panel_spread
from domain.rules import load_rules
from services.accounts import OFFICIALS, Role, Viewer


@dataclass(frozen=True)
class ApplicationRow:
    cycle: Cycle
    application: Application
    organization: Organization


@dataclass(frozen=True)
class ScoreLine:
    reviewer: str
    """Reviewer code for officials and panel members; ``评审员N`` for the applicant."""
    total: float
    items: dict[str, int] | None
    mine: bool = False
    disqualified: bool = False
    """§6(7): given by a reviewer since disqualified (a closed stage keeps it)."""


@dataclass(frozen=True)
class StageScores:
    stage: Stage
    members: int
    complete: bool
    reported: bool
    consensus: float | None
    stage_score: float | None
    scores: list[ScoreLine] = field(default_factory=list)
    spread: Spread | None = None
    """§6(1): the panel's spread, for officials and the panel's leader (before consensus)."""


@dataclass(frozen=True)
class PanelSeat:
    reviewer: str
    name: str
    leader: bool
    withdrawn: bool
    scored: bool


def not_found(what: str) -> DomainError:
    return DomainError(ErrorCode.NOT_FOUND, what)


async def find_cycle(session: AsyncSession, year: int) -> Cycle:
    """The cycle of `year` (the latest, when a cancelled one was opened again)."""
    cycle = await session.run_sync(cycles.latest, year)
    if cycle is None:
        raise not_found(f"没有{year}年度的评审周期")
    return cycle


async def is_conflicted(session: AsyncSession, reviewer_id: int, org: Organization) -> bool:
    """回避 (§6(1)): employed by the organization, or a registered or declared tie."""
    if await session.run_sync(reviewers.employer_of, reviewer_id) == org.credit_code:
        return True
    return await session.run_sync(reviewers.has_tie, reviewer_id, org.id)


async def seats(session: AsyncSession, application_id: int, stage: Stage) -> list[PanelMember]:
    """Current (not withdrawn) members of a stage's panel, in the order they were named."""
    return await session.run_sync(panels.seats, application_id, stage.value, withdrawn=False)


async def assigned_stages(session: AsyncSession, viewer: Viewer, row: ApplicationRow) -> set[Stage]:
    """Stages of this application the reviewer sits on; none when it must recuse itself."""
    if viewer.role != Role.REVIEWER or viewer.reviewer_id is None:
        return set()
    found = await session.run_sync(panels.stages_of, row.application.id, viewer.reviewer_id)
    stages = {Stage(s) for s in found}
    if stages and await is_conflicted(session, viewer.reviewer_id, row.organization):
        return set()
    return stages


async def _may_see(session: AsyncSession, viewer: Viewer, row: ApplicationRow) -> bool:
    if viewer.role in OFFICIALS:
        return True
    if viewer.role == Role.APPLICANT:
        return viewer.organization_id == row.organization.id
    return bool(await assigned_stages(session, viewer, row))


async def _rows(
    session: AsyncSession, cycle: Cycle, credit_code: str | None, carried: bool = True
) -> list[ApplicationRow]:
    code = credit_code.strip().upper() if credit_code is not None else None
    found = await session.run_sync(application_rows.with_organizations, cycle.id, code, carried)
    return [ApplicationRow(cycle, app, org) for app, org in found]


async def applications(session: AsyncSession, viewer: Viewer, year: int) -> list[ApplicationRow]:
    """The cycle's applications the viewer may read (`_may_see`, in a few queries: a
    reviewer's seats and ties are read once for the whole cycle, not once a row). Without
    the workflow's carried state (`db.repositories.applications`): a list never shows it."""
    cycle = await find_cycle(session, year)
    rows = await _rows(session, cycle, None, carried=False)
    if viewer.role in OFFICIALS:
        return rows
    if viewer.role == Role.APPLICANT:
        return [row for row in rows if viewer.organization_id == row.organization.id]
    if viewer.role != Role.REVIEWER or viewer.reviewer_id is None:
        return []
    seated = await session.run_sync(panels.seated_applications, cycle.id, viewer.reviewer_id)
    employer = await session.run_sync(reviewers.employer_of, viewer.reviewer_id)
    tied = await session.run_sync(reviewers.tied_organization_ids, viewer.reviewer_id)
    return [
        row
        for row in rows
        if row.application.id in seated
        and row.organization.credit_code != employer
        and row.organization.id not in tied
    ]


@dataclass(frozen=True)
class Listed:
    """A page of the applications list: its rows, how many match the filters, how many the
    viewer may see in all."""

    rows: list[ApplicationRow]
    matching: int
    everything: int


def matches(row: ApplicationRow, viewer: Viewer, award: str, outcome: str, q: str) -> bool:
    """The list's filters on what the viewer may see: a reviewer sees no outcome, so it
    cannot filter by one either."""
    app, org = row.application, row.organization
    needle = q.strip()
    return (
        (not award or app.award == award)
        and (not outcome or viewer.role == Role.REVIEWER or app.outcome == outcome)
        and (not needle or needle.upper() in org.credit_code or needle in org.name)
    )


async def listed(
    session: AsyncSession,
    viewer: Viewer,
    year: int,
    *,
    award: str = "",
    outcome: str = "",
    q: str = "",
    offset: int = 0,
    limit: int = 50,
) -> Listed:
    """One page of `applications` with the list's filters (`matches`). Officials, who see
    the whole cycle, get it from the database a page at a time (1,000 applications are not
    read for 50 rows); the others' few rows are filtered here."""
    cycle = await find_cycle(session, year)
    if viewer.role in OFFICIALS:
        found, matching, everything = await session.run_sync(
            lambda s: application_rows.page_of(
                s,
                cycle.id,
                award=award,
                outcome=outcome,
                needle=q.strip(),
                offset=offset,
                limit=limit,
            )
        )
        return Listed([ApplicationRow(cycle, a, o) for a, o in found], matching, everything)
    rows = await applications(session, viewer, year)
    chosen = [r for r in rows if matches(r, viewer, award, outcome, q)]
    return Listed(chosen[offset : offset + limit], len(chosen), len(rows))


async def still_eligible(session: AsyncSession, viewer: Viewer, year: int) -> list[ApplicationRow]:
    """`applications` that passed qualification and are still pending (the shortlist's):
    for officials read as such, not filtered out of the whole cycle."""
    cycle = await find_cycle(session, year)
    if viewer.role in OFFICIALS:
        found = await session.run_sync(application_rows.still_eligible, cycle.id)
        return [ApplicationRow(cycle, a, o) for a, o in found]
    return [
        r
        for r in await applications(session, viewer, year)
        if r.application.eligible and r.application.outcome == "pending"
    ]


@dataclass(frozen=True)
class Counts:
    funnel: dict[str, int]
    """applied, eligible, shortlisted, confirmed (site report), scored (a total), awarded."""
    outcomes: dict[str, int]


async def counts(session: AsyncSession, viewer: Viewer, year: int) -> Counts:
    """The cycle overview's numbers over the applications the viewer may see: one aggregate
    for officials, the viewer's own rows counted otherwise."""
    cycle = await find_cycle(session, year)
    if viewer.role in OFFICIALS:
        funnel, outcomes = await session.run_sync(application_rows.counts, cycle.id)
        return Counts(funnel, outcomes)
    apps = [r.application for r in await applications(session, viewer, year)]
    found: dict[str, int] = {}
    for a in apps:
        found[a.outcome] = found.get(a.outcome, 0) + 1
    return Counts(
        {
            "applied": len(apps),
            "eligible": sum(1 for a in apps if a.eligible),
            "shortlisted": sum(1 for a in apps if a.shortlisted),
            "confirmed": sum(1 for a in apps if a.site_report_confirmed_at),
            "scored": sum(1 for a in apps if a.total_score is not None),
            "awarded": sum(1 for a in apps if a.outcome == "awarded"),
        },
        found,
    )


async def application(
    session: AsyncSession, viewer: Viewer, year: int, credit_code: str
) -> ApplicationRow:
    cycle = await find_cycle(session, year)
    rows = await _rows(session, cycle, credit_code)
    if not rows or not await _may_see(session, viewer, rows[0]):
        raise not_found(f"本届评审中没有统一社会信用代码为 {credit_code} 的申报")
    return rows[0]


def stage_reported(row: ApplicationRow, stage: Stage, complete: bool) -> bool:
    """A panel has reported when every member has scored or the stage has closed."""
    app = row.application
    if stage == Stage.DOCUMENT:
        return complete or app.shortlisted is not None
    return complete or app.site_report_confirmed_at is not None


async def stage_scores(
    session: AsyncSession, viewer: Viewer, row: ApplicationRow, stage: Stage
) -> StageScores:
    app = row.application
    members = await seats(session, app.id, stage)
    pool = await session.run_sync(reviewers.by_ids, [m.reviewer_id for m in members])
    codes = {reviewer_id: r.code for reviewer_id, r in pool.items()}
    given = await session.run_sync(panels.scores, app.id, stage.value)
    by_reviewer = {s.reviewer_id: s for s in given}
    complete = bool(members) and all(m.reviewer_id in by_reviewer for m in members)
    reported = stage_reported(row, stage, complete)
    if viewer.role == Role.REVIEWER and stage not in await assigned_stages(session, viewer, row):
        raise not_found("您不是该评审环节的评审组成员")
    lines: list[ScoreLine] = []
    disqualified = await session.run_sync(supervision_rows.disqualified_ids)
    for number, member in enumerate(members, 1):
        score = by_reviewer.get(member.reviewer_id)
        if score is None:
            continue
        mine = member.reviewer_id == viewer.reviewer_id
        if viewer.role == Role.APPLICANT:
            if reported:
                lines.append(ScoreLine(f"评审员{number}", score.total, score.items))
        elif viewer.role in OFFICIALS or mine or complete:
            marked = member.reviewer_id in disqualified
            code = codes[member.reviewer_id]
            lines.append(ScoreLine(code, score.total, score.items, mine, marked))
    leads = any(m.leader and m.reviewer_id == viewer.reviewer_id for m in members)
    spread = (
        panel_spread(
            [s.total for s in given],
            [s.items for s in given if s.items],
            load_rules(row.cycle.rules),
        )
        if viewer.role in OFFICIALS or (viewer.role == Role.REVIEWER and leads)
        else None
    )
    consensus = app.document_consensus if stage == Stage.DOCUMENT else app.site_consensus
    stage_score = app.document_score if stage == Stage.DOCUMENT else app.site_score
    hide = viewer.role not in OFFICIALS and not reported
    return StageScores(
        stage=stage,
        members=len(members),
        complete=complete,
        reported=reported,
        consensus=None if hide else consensus,
        stage_score=None if hide else stage_score,
        scores=lines,
        spread=spread,
    )


async def panel(
    session: AsyncSession, viewer: Viewer, row: ApplicationRow, stage: Stage
) -> list[PanelSeat]:
    """The panel of a stage: officials and its own members (never the applicant)."""
    if viewer.role == Role.APPLICANT:
        raise not_found("评审组信息不对申报组织公开")
    if viewer.role == Role.REVIEWER and stage not in await assigned_stages(session, viewer, row):
        raise not_found("您不是该评审环节的评审组成员")
    members = await session.run_sync(panels.seats, row.application.id, stage.value)
    pool = await session.run_sync(reviewers.by_ids, [m.reviewer_id for m in members])
    given = await session.run_sync(panels.scores, row.application.id, stage.value)
    scored = {s.reviewer_id for s in given}
    return [
        PanelSeat(
            reviewer=pool[m.reviewer_id].code,
            name=pool[m.reviewer_id].name,
            leader=m.leader,
            withdrawn=m.withdrawn,
            scored=m.reviewer_id in scored,
        )
        for m in members
        if viewer.role != Role.REVIEWER or not m.withdrawn
    ]


@dataclass(frozen=True)
class Assignment:
    year: int
    credit_code: str
    name: str
    award: str
    stage: Stage
    reviewer: str
    leader: bool
    scored: bool
    due: date | None
    """The stage's due date (its end, 24:00 Asia/Shanghai), as it stands after extensions."""


async def assignments(session: AsyncSession, viewer: Viewer, year: int) -> list[Assignment]:
    """Open seats on panels: a reviewer's own, or everyone's for officials."""
    cycle = await find_cycle(session, year)
    if viewer.role == Role.REVIEWER and viewer.reviewer_id is None:
        return []
    only = viewer.reviewer_id if viewer.role == Role.REVIEWER else None
    seats_open = await session.run_sync(panels.open_seats, cycle.id, only)
    scored = await session.run_sync(panels.scored_seats, cycle.id)
    found = []
    for seat, app, org, reviewer in seats_open:
        if viewer.role == Role.REVIEWER and await is_conflicted(session, reviewer.id, org):
            continue
        found.append(
            Assignment(
                year=cycle.year,
                credit_code=org.credit_code,
                name=org.name,
                award=app.award,
                stage=Stage(seat.stage),
                reviewer=reviewer.code,
                leader=seat.leader,
                scored=(app.id, seat.stage, reviewer.id) in scored,
                due=_due(cycle.stage_due, seat.stage),
            )
        )
    return found


def _due(stage_due: dict[str, str] | None, stage: str) -> date | None:
    day = (stage_due or {}).get(stage)
    return date.fromisoformat(day) if day else None


async def verification_tasks(session: AsyncSession, application_id: int) -> list[VerificationTask]:
    """Department verification tasks of an application (§4(1)), in the order requested."""
    return await session.run_sync(application_rows.verification_tasks, application_id)
