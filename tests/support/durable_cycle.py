"""A cycle that starts past its intake, driven through the services into publicity, on a
server the test runs (issue #4 item 8; issue #17: backups, upgrades). The business clock
is set by the caller (``offset``) so publicity (``publicity.days: 1``) closes within a
minute of real time; every step after the start goes through `services/` as the office
would.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client

from contracts.cycle import ApplicationState, CycleInput, CycleState, CycleStatus
from db.models import Cycle
from db.session import transaction
from domain.committee import Ballot
from domain.phases import Phase, Stage
from domain.rules import load_rules
from domain.types import Award, Industry
from services import registry
from services.awards import AwardService
from services.schemas import OrganizationCreate, ReviewerCreate
from workflows.cycle import AwardCycleWorkflow

ORGS = {
    "91331126MA0000501X": (Award.INNOVATION, Industry.AGRICULTURE),
    "91331126MA00005021": (Award.QUALITY, Industry.MANUFACTURING),
    "91331126MA00005047": (Award.QUALITY, Industry.SERVICES),
}
REVIEWERS = ["R1", "R2", "R3"]


async def register(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with transaction(sessions) as session:
        for code, (_, industry) in ORGS.items():
            await registry.register_organization(
                session,
                OrganizationCreate(
                    credit_code=code,
                    name=f"庆元县{code[-4:]}公司",
                    county="庆元县",
                    registered_on=date(2010, 1, 1),
                    industry=industry,
                    excellence_since=date(2015, 1, 1),
                ),
            )
        for code in REVIEWERS:
            await registry.register_reviewer(
                session,
                ReviewerCreate(code=code, name=f"评审员{code}", industries=list(Industry)),
            )


async def start_in_qualification(
    client: Client,
    sessions: async_sessionmaker[AsyncSession],
    task_queue: str,
    offset: timedelta,
    now: datetime,
) -> None:
    """A cycle whose intake is over: the state continue-as-new would carry."""
    async with transaction(sessions) as session:
        apps = {}
        for code, (award, industry) in ORGS.items():
            org = await registry.get_organization(session, code)
            apps[code] = ApplicationState(
                credit_code=code,
                organization_id=org.id,
                name=org.name,
                award=award,
                industry=industry.value,
                submitted_at=now - timedelta(days=20),
            )
        rules = load_rules({"publicity": {"days": 1}})
        session.add(
            Cycle(
                year=2030,
                workflow_id="cycle-2030",
                phase="qualification",
                opened_at=now - timedelta(days=40),
                application_deadline=now.date() - timedelta(days=10),
                committee_members=9,
                rules=rules.model_dump(mode="json"),
            )
        )
    await client.start_workflow(
        AwardCycleWorkflow.run,
        CycleInput(
            year=2030,
            workflow_id="cycle-2030",
            application_deadline=now.date() - timedelta(days=10),
            committee_members=9,
            rules=rules,
            clock_offset_seconds=offset.total_seconds(),
            state=CycleState(
                phase=Phase.QUALIFICATION, opened_at=now - timedelta(days=40), applications=apps
            ),
        ),
        id="cycle-2030",
        task_queue=task_queue,
    )


async def drive_into_publicity(service: AwardService) -> None:
    await service.close_qualification(2030)
    for stage in (Stage.DOCUMENT, Stage.SITE):
        for code in ORGS:
            await service.assign_panel(2030, code, stage, REVIEWERS, "R1")
            for n, reviewer in enumerate(REVIEWERS):
                await service.score(2030, code, stage, reviewer, points=600 + 10 * n)
        if stage == Stage.DOCUMENT:
            await service.shortlist(2030, None, auto=True)
    for code in ORGS:
        await service.confirm_site_report(2030, code)
    for award in Award:
        ballots = {c: Ballot(yes=7, no=0, abstain=0) for c, (a, _) in ORGS.items() if a == award}
        await service.record_vote(2030, award, 7, ballots)


async def cycle_status(client: Client) -> CycleStatus:
    handle = client.get_workflow_handle("cycle-2030")
    status = await handle.query(AwardCycleWorkflow.status)
    assert isinstance(status, CycleStatus)
    return status


async def count(sessions: async_sessionmaker[AsyncSession], model: type, **where: object) -> int:
    async with sessions() as session:
        query = select(func.count()).select_from(model)
        for column, value in where.items():
            query = query.where(getattr(model, column) == value)
        return int(await session.scalar(query) or 0)
