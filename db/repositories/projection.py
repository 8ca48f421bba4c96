"""Writes of the cycle projection: idempotent upserts keyed by natural keys."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from db.base import utcnow
from db.models import (
    Application,
    Cycle,
    DepartmentFinding,
    Objection,
    Organization,
    PanelMember,
    Score,
    VerificationTask,
    Vote,
)
from db.repositories.lookups import organization_ids, reviewer_ids
from domain.departments import departments_for
from workflows.messages import ApplicationState, CycleProjection, Stage


async def _insert_ignore(session: AsyncSession, model: Any, keys: list[str], **values: Any) -> None:
    """INSERT … ON CONFLICT DO NOTHING: concurrent first writes of one row both succeed."""
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    await session.execute(
        insert(model).values(**values).on_conflict_do_nothing(index_elements=keys)
    )


def _cycle_values(p: CycleProjection) -> dict[str, Any]:
    return {
        "revision": p.revision,
        "opened_at": p.opened_at,
        "phase": p.phase.value,
        "publicity_opens": p.publicity_opens,
        "publicity_closes": p.publicity_closes,
        "awarded_on": p.awarded_on,
        "cancel_reason": p.cancel_reason,
        "document_closed_early_reason": p.document_closed_early_reason,
        "attention": p.attention,
        "winners": p.winners,
        "updated_at": utcnow(),
    }


async def upsert_cycle(session: AsyncSession, p: CycleProjection) -> tuple[int, bool]:
    """The cycle row's id, and whether `p` was newer than what is stored (then written).

    One UPDATE guarded by the revision in the usual case; the row is created on first use.
    """
    guarded = (
        update(Cycle)
        .where(Cycle.workflow_id == p.workflow_id, Cycle.revision < p.revision)
        .values(**_cycle_values(p))
        .returning(Cycle.id)
        .execution_options(synchronize_session=False)
    )
    cycle_id = await session.scalar(guarded)
    if cycle_id is not None:
        return cycle_id, True
    existing = await session.scalar(select(Cycle.id).where(Cycle.workflow_id == p.workflow_id))
    if existing is not None:
        return existing, False
    await _insert_ignore(
        session,
        Cycle,
        ["workflow_id"],
        workflow_id=p.workflow_id,
        year=p.year,
        application_deadline=p.application_deadline,
        committee_members=p.committee_members,
        rules=p.rules or {},
        created_at=utcnow(),
        **{**_cycle_values(p), "revision": 0},
    )
    cycle_id = await session.scalar(guarded)
    if cycle_id is not None:
        return cycle_id, True
    existing = await session.scalar(select(Cycle.id).where(Cycle.workflow_id == p.workflow_id))
    assert existing is not None
    return existing, False


async def write_projection(session: AsyncSession, p: CycleProjection) -> None:
    cycle_id, newer = await upsert_cycle(session, p)
    if not newer:
        return
    reviewers = (
        await reviewer_ids(
            session,
            {
                m
                for a in p.applications
                for s in (a.document, a.site)
                for m in (*s.members, *s.scores)
            }
            | {i.reviewer for i in p.score_items},
        )
        if p.panels
        else {}
    )
    apps: dict[str, int] = {}
    for state in p.applications:
        apps[state.credit_code] = await _upsert_application(
            session, cycle_id, p.workflow_id, state, reviewers if p.panels else None, p.revision
        )
    for item in p.score_items:
        app_id = apps.get(item.credit_code)
        if app_id is not None:
            await session.execute(
                update(Score)
                .where(
                    Score.application_id == app_id,
                    Score.stage == item.stage.value,
                    Score.reviewer_id == reviewers[item.reviewer],
                )
                .values(items=item.items)
                .execution_options(synchronize_session=False)
            )
    if any(p.votes.values()):
        await _write_votes(session, cycle_id, p)
    await _write_objections(session, cycle_id, p)


def _application_values(s: ApplicationState, revision: int) -> dict[str, Any]:
    return {
        "revision": revision,
        "outcome": s.outcome.value,
        "eligible": s.eligible,
        "reasons": [r.model_dump() for r in s.reasons],
        "shortlisted": s.shortlisted,
        "document_score": s.document_score,
        "document_consensus": s.document.consensus,
        "site_score": s.site_score,
        "site_consensus": s.site.consensus,
        "site_report_confirmed_at": s.site_report_confirmed_at,
        "total_score": s.total_score,
        "updated_at": utcnow(),
    }


async def _upsert_application(
    session: AsyncSession,
    cycle_id: int,
    workflow_id: str,
    s: ApplicationState,
    reviewers: dict[str, int] | None,
    revision: int,
) -> int:
    """Write one application (its panels too when `reviewers` is given); returns its id."""
    guarded = (
        update(Application)
        .where(
            Application.cycle_id == cycle_id,
            Application.organization_id == s.organization_id,
        )
        .values(**_application_values(s, revision))
        .returning(Application.id)
        .execution_options(synchronize_session=False)
    )
    app_id = await session.scalar(guarded)
    if app_id is None:
        await _insert_ignore(
            session,
            Application,
            ["cycle_id", "organization_id"],
            cycle_id=cycle_id,
            organization_id=s.organization_id,
            award=s.award.value,
            submitted_at=s.submitted_at,
            created_at=utcnow(),
            **_application_values(s, revision),
        )
        app_id = await session.scalar(guarded)
        assert app_id is not None
    if reviewers is not None:
        for stage in Stage:
            await _write_panel(session, app_id, stage, s, reviewers)
    if s.findings:
        await _write_findings(session, workflow_id, app_id, s)
    return app_id


async def _write_findings(
    session: AsyncSession, workflow_id: str, application_id: int, s: ApplicationState
) -> None:
    """Department findings, each once; a department's finding completes its task."""
    for n, finding in enumerate(s.findings):
        await _insert_ignore(
            session,
            DepartmentFinding,
            ["source_key"],
            source_key=f"{workflow_id}:{s.credit_code}:{n}",
            application_id=application_id,
            department=finding.department,
            passed=finding.passed,
            reason=finding.reason,
            note=finding.note,
            created_at=utcnow(),
        )
    reported = {f.department for f in s.findings}
    for task in await session.scalars(
        select(VerificationTask).where(
            VerificationTask.application_id == application_id,
            VerificationTask.done_at.is_(None),
        )
    ):
        if task.department in reported:
            task.done_at = utcnow()


async def create_tasks(session: AsyncSession, workflow_id: str, credit_codes: list[str]) -> int:
    """Verification tasks for the departments that check each application (§4(1))."""
    rows = await session.execute(
        select(Application.id, Organization.industrial)
        .join(Cycle, Cycle.id == Application.cycle_id)
        .join(Organization, Organization.id == Application.organization_id)
        .where(Cycle.workflow_id == workflow_id, Organization.credit_code.in_(credit_codes))
    )
    created = 0
    for application_id, industrial in rows.all():
        for department in departments_for(industrial):
            await _insert_ignore(
                session,
                VerificationTask,
                ["application_id", "department"],
                application_id=application_id,
                department=department.value,
                created_at=utcnow(),
            )
            created += 1
    return created


async def _write_panel(
    session: AsyncSession,
    application_id: int,
    stage: Stage,
    s: ApplicationState,
    reviewers: dict[str, int],
) -> None:
    panel = s.stage(stage)
    members = {
        m.reviewer_id: m
        for m in await session.scalars(
            select(PanelMember).where(
                PanelMember.application_id == application_id, PanelMember.stage == stage.value
            )
        )
    }
    current = {reviewers[code]: code for code in panel.members}
    for reviewer_id, member in members.items():
        member.withdrawn = reviewer_id not in current
        member.leader = current.get(reviewer_id) == panel.leader
    for reviewer_id, code in current.items():
        if reviewer_id not in members:
            session.add(
                PanelMember(
                    application_id=application_id,
                    stage=stage.value,
                    reviewer_id=reviewer_id,
                    leader=code == panel.leader,
                )
            )
    scores = {
        row.reviewer_id: row
        for row in await session.scalars(
            select(Score).where(Score.application_id == application_id, Score.stage == stage.value)
        )
    }
    wanted = {reviewers[code]: total for code, total in panel.scores.items()}
    for reviewer_id, row in scores.items():
        if reviewer_id not in wanted:
            await session.delete(row)
        else:
            row.total = wanted[reviewer_id]
    for reviewer_id, total in wanted.items():
        if reviewer_id not in scores:
            session.add(
                Score(
                    application_id=application_id,
                    stage=stage.value,
                    reviewer_id=reviewer_id,
                    total=total,
                )
            )
    await session.flush()


async def _write_votes(session: AsyncSession, cycle_id: int, p: CycleProjection) -> None:
    existing = {
        (v.award, v.round)
        for v in await session.scalars(select(Vote).where(Vote.cycle_id == cycle_id))
    }
    for award, votes in p.votes.items():
        for vote in votes:
            if (award, vote.round) not in existing:
                session.add(
                    Vote(
                        cycle_id=cycle_id,
                        award=award,
                        round=vote.round,
                        present=vote.present,
                        ballots={k: b.model_dump() for k, b in vote.ballots.items()},
                    )
                )


async def _write_objections(session: AsyncSession, cycle_id: int, p: CycleProjection) -> None:
    if not p.objections:
        return
    rows = {
        o.number: o
        for o in await session.scalars(select(Objection).where(Objection.cycle_id == cycle_id))
    }
    orgs = await organization_ids(session, [o.credit_code for o in p.objections])
    result = await session.execute(
        select(Application.organization_id, Application.id).where(Application.cycle_id == cycle_id)
    )
    app_ids: dict[int, int] = dict(result.all())
    for o in p.objections:
        row = rows.get(o.number)
        if row is None:
            row = Objection(
                cycle_id=cycle_id,
                number=o.number,
                application_id=app_ids[orgs[o.credit_code]],
                name=o.name,
                contact=o.contact,
                content=o.content,
                received_at=o.received_at,
            )
            session.add(row)
        row.finding = o.finding
        row.report = o.report
        row.decision = o.decision
