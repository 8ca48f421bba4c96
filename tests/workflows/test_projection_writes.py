"""The projection write's cost does not grow with what an application already holds: each
department finding is inserted once, by the write that first carries it, and it completes
its department's open task (on SQLite and PostgreSQL, through `db.session.Database`)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session

from contracts.commands import FindingCommand
from contracts.cycle import ApplicationState
from contracts.records import CycleProjection
from db.models import Application, DepartmentFinding, Organization, VerificationTask
from db.repositories.projection import create_tasks, write_projection
from db.session import Database
from domain.phases import Phase
from domain.types import Award

CODE = "91331126MA00000001"
OTHER = "91331126MA00000002"
WORKFLOW = "cycle-2030"


def _finding(department: str, note: str, code: str = CODE) -> FindingCommand:
    return FindingCommand(credit_code=code, passed=True, note=note, department=department)


def _projection(
    revision: int, org_id: int, findings: list[FindingCommand], *more: ApplicationState
) -> CycleProjection:
    return _of(revision, [_app(CODE, org_id, findings), *more])


def _app(code: str, org_id: int, findings: list[FindingCommand]) -> ApplicationState:
    return ApplicationState(
        credit_code=code,
        organization_id=org_id,
        name="庆元县测试有限公司",
        award=Award.QUALITY,
        industry="manufacturing",
        submitted_at=datetime(2030, 3, 1, tzinfo=UTC),
        findings=findings,
    )


def _of(revision: int, apps: list[ApplicationState]) -> CycleProjection:
    return CycleProjection(
        workflow_id=WORKFLOW,
        revision=revision,
        year=2030,
        application_deadline=date(2030, 4, 1),
        committee_members=9,
        rules={} if revision == 1 else None,
        phase=Phase.QUALIFICATION,
        opened_at=datetime(2030, 2, 1, tzinfo=UTC),
        publicity_opens=None,
        publicity_closes=None,
        awarded_on=None,
        cancel_reason=None,
        document_closed_early_reason=None,
        attention=None,
        winners={},
        applications=apps,
        objections=[],
        votes={},
        panels=False,
    )


def _organization(session: Session, code: str = CODE) -> int:
    org = Organization(
        credit_code=code,
        name="庆元县测试有限公司",
        county="庆元县",
        registered_on=date(2010, 1, 1),
        industry="manufacturing",
    )
    session.add(org)
    session.flush()
    return org.id


def _rows(session: Session) -> tuple[list[str], dict[str, bool]]:
    keys = list(session.scalars(select(DepartmentFinding.source_key).order_by("id")))
    tasks = {t.department: t.done_at is not None for t in session.scalars(select(VerificationTask))}
    return keys, tasks


async def test_each_finding_is_inserted_once_and_completes_its_task(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    db = Database(sessions)
    org_id = await db.run(_organization)
    first = [_finding("market_supervision", "一")]
    await db.run(write_projection, _projection(1, org_id, first))
    await db.run(create_tasks, WORKFLOW, [CODE])
    keys, tasks = await db.run(_rows)
    assert keys == [f"{WORKFLOW}:{CODE}:0"]
    # Created after the finding: its task is done at once, the others are not.
    assert tasks["market_supervision"]
    assert not tasks["ecology_environment"]

    seen: list[int] = []

    def count(_c: object, _k: object, statement: str, params: object, *_: object) -> None:
        if statement.startswith("INSERT INTO department_findings"):
            seen.append(len(params) if isinstance(params, list) else 1)

    def write_counted(session: Session, p: CycleProjection) -> None:
        bind = session.connection().engine
        event.listen(bind, "before_cursor_execute", count)
        try:
            write_projection(session, p)
        finally:
            event.remove(bind, "before_cursor_execute", count)

    more = [*first, _finding("ecology_environment", "二"), _finding("market_supervision", "三")]
    await db.run(write_counted, _projection(2, org_id, more))
    # The same findings again (a later write of the application): nothing inserted.
    await db.run(write_counted, _projection(3, org_id, more))
    keys, tasks = await db.run(_rows)
    assert keys == [f"{WORKFLOW}:{CODE}:{n}" for n in range(3)]
    assert seen == [2]  # the two new findings, in one statement; none the third time
    assert tasks["ecology_environment"]
    assert not tasks["emergency_management"]


async def test_the_findings_of_several_applications_are_written_together(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    db = Database(sessions)
    first, second = await db.run(_organization), await db.run(_organization, OTHER)
    await db.run(write_projection, _projection(1, first, []))
    await db.run(create_tasks, WORKFLOW, [CODE])
    other = [_finding("ecology_environment", "乙", OTHER)]
    mine = [_finding("market_supervision", "甲")]
    # The second application is new in this write, the first already held none.
    await db.run(write_projection, _projection(2, first, mine, _app(OTHER, second, other)))
    await db.run(create_tasks, WORKFLOW, [OTHER])
    keys, _ = await db.run(_rows)
    assert sorted(keys) == [f"{WORKFLOW}:{CODE}:0", f"{WORKFLOW}:{OTHER}:0"]
    done = await db.run(_done_tasks)
    assert done == {(CODE, "market_supervision"), (OTHER, "ecology_environment")}


def _done_tasks(session: Session) -> set[tuple[str, str]]:
    rows = session.execute(
        select(Organization.credit_code, VerificationTask.department)
        .join(Application, Application.id == VerificationTask.application_id)
        .join(Organization, Organization.id == Application.organization_id)
        .where(VerificationTask.done_at.is_not(None))
    )
    return {(code, department) for code, department in rows}
