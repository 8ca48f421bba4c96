"""Each role's to-do list (待办), in the shape of a Camunda Tasklist task (issue #14).

A `Task` says what to do, for which cycle and applicant, who: an `assignee` (a username:
the reviewer on a seat, the applicant's own account) or a `candidate_role` anyone of that
role may take, its `due` date (end of that day, Asia/Shanghai), a `follow_up` date from
which it wants attention, a `priority` (0–100, 50 the default, as in Camunda) and a link
to its page. `gather` reads the facts (the cycle projection, panels, verification tasks,
materials, objections and honors: `db.repositories.todo`); `tasks` is a pure function of
(viewer, facts, today), tested phase by phase without a server. The vocabulary is in
`services.todo_model`, each role's rules in `services.todo_roles`.

A task disappears when the state it waits for changes (a finding recorded, a score given);
nothing is stored. The console's pages enforce who may see and do what (`services.views`,
the role gates); a task only points there.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from db.models import Cycle, Honor, Objection, Organization
from db.repositories import cycles as cycle_rows
from db.repositories import honor_reads
from db.repositories import honors as honor_rows
from db.repositories import todo as todo_rows
from domain.dates import SHANGHAI
from domain.phases import Phase
from domain.rules import load_rules
from services.accounts import Role, Viewer
from services.todo_model import (
    ApplicationFacts,
    CycleFacts,
    Facts,
    HonorFacts,
    ObjectionFacts,
    Task,
    application_link,
    cycle_link,
)
from services.todo_roles import SEATED_PHASES, cycle_tasks, honor_tasks

__all__ = [
    "ApplicationFacts",
    "CycleFacts",
    "Facts",
    "HonorFacts",
    "ObjectionFacts",
    "Task",
    "application_link",
    "cycle_link",
    "for_viewer",
    "gather",
    "tasks",
]

# --- the pure part ----------------------------------------------------------------------------


def tasks(viewer: Viewer, facts: Facts, today: date) -> list[Task]:
    """The viewer's tasks: overdue first, then by due date, then by priority."""
    found: list[Task] = []
    for cycle in facts.cycles:
        found += cycle_tasks(viewer, cycle, today)
    found += honor_tasks(viewer, facts.honors, today)
    if viewer.role == Role.SUPERVISOR:
        found.append(
            Task(
                "audit",
                "核验审计日志（HMAC链与签名检查点）",
                None,
                "/console/audit",
                Role.SUPERVISOR,
                follow_up=today,
                priority=30,
            )
        )
    far = date.max
    return sorted(found, key=lambda t: (not t.overdue(today), t.due or far, -t.priority, t.key))


# --- reading the facts ------------------------------------------------------------------------


ACTIVE_PHASES = frozenset(Phase) - {Phase.CANCELLED, Phase.ANNOUNCED}


async def gather(session: AsyncSession) -> Facts:
    return await session.run_sync(gather_in)


def gather_in(session: Session) -> Facts:
    """What every role's list is computed from (in a sync session: the digest's activity)."""
    cycles = [c for c in reversed(cycle_rows.cycles(session)) if c.phase in ACTIVE_PHASES]
    found = [_cycle_facts(session, c) for c in cycles]
    honors = honor_reads.register(session)
    accidents = todo_rows.accident_days(session)
    assessed = honor_rows.assessed_days(session)
    return Facts(
        cycles=found,
        honors=[
            _honor_facts(h, o, tuple(accidents.get(o.id, ())), frozenset(assessed.get(h.id, ())))
            for h, o in honors
        ],
    )


def _cycle_facts(session: Session, cycle: Cycle) -> CycleFacts:
    rows = todo_rows.applications(session, cycle.id)
    open_tasks = todo_rows.open_verifications(session, cycle.id)
    materials = todo_rows.material_counts(session, cycle.id)
    seats = todo_rows.seats(session, cycle.id) if cycle.phase in SEATED_PHASES else []
    objections: list[Objection] = todo_rows.objections(session, cycle.id)
    apps = [
        ApplicationFacts(
            id=row.id,
            organization_id=row.organization_id,
            credit_code=row.credit_code,
            name=row.name,
            award=row.award,
            outcome=row.outcome,
            eligible=row.eligible,
            shortlisted=row.shortlisted,
            site_confirmed=bool(row.site_confirmed),
            document_consensus=row.document_consensus,
            site_consensus=row.site_consensus,
            materials=materials.get(row.id, 0),
            open_verifications=tuple(open_tasks.get(row.id, ())),
        )
        for row in rows
    ]
    closes = cycle.publicity_closes
    return CycleFacts(
        year=cycle.year,
        phase=Phase(cycle.phase),
        application_deadline=cycle.application_deadline,
        stage_due={k: date.fromisoformat(v) for k, v in (cycle.stage_due or {}).items()},
        publicity_closes=_shanghai_day(closes) if closes is not None else None,
        min_panel=load_rules(cycle.rules).panel.min_size,
        applications=apps,
        seats=seats,
        objections=[
            ObjectionFacts(o.number, o.application_id, o.finding, o.decision) for o in objections
        ],
    )


def _shanghai_day(moment: datetime) -> date:
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return (aware - timedelta(microseconds=1)).astimezone(SHANGHAI).date()


def _honor_facts(
    honor: Honor, org: Organization, accidents: tuple[date, ...], assessed: frozenset[date]
) -> HonorFacts:
    return HonorFacts(
        id=honor.id,
        organization_id=org.id,
        credit_code=org.credit_code,
        name=org.name,
        award=honor.award,
        year=honor.year,
        awarded_on=honor.awarded_on,
        valid_until=honor.valid_until,
        revoked_on=honor.revoked_on,
        pending_revocation=honor.pending_revocation,
        revocation_window_closes=honor.revocation_window_closes,
        accidents=accidents,
        assessed=assessed,
    )


async def for_viewer(session: AsyncSession, viewer: Viewer, today: date) -> list[Task]:
    return tasks(viewer, await gather(session), today)
