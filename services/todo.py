"""Each role's to-do list (待办), in the shape of a Camunda Tasklist task (issue #14).

A `Task` says what to do, for which cycle and applicant, who: an `assignee` (a username:
the reviewer on a seat, the applicant's own account) or a `candidate_role` anyone of that
role may take, its `due` date (end of that day, Asia/Shanghai), a `follow_up` date from
which it wants attention, a `priority` (0–100, 50 the default, as in Camunda) and a link
to its page. `gather` reads the facts (the cycle projection, panels, verification tasks,
materials, objections and honors: `db.repositories.todo`); `tasks` is a pure function of
(viewer, facts, today), tested phase by phase without a server.

A task disappears when the state it waits for changes (a finding recorded, a score given);
nothing is stored. The console's pages enforce who may see and do what (`services.views`,
the role gates); a task only points there.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import TypedDict

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Cycle, Honor, Objection, Organization
from db.repositories import applications as application_rows
from db.repositories import honor_reads
from db.repositories import todo as todo_rows
from db.repositories.todo import SeatRow
from domain.dates import SHANGHAI
from domain.departments import DEPARTMENT_NAMES, Department
from domain.names import AWARD_NAMES, STAGE_NAMES, name_of
from domain.phases import Phase, Stage
from domain.rules import load_rules
from services import listings
from services.accounts import Role, Viewer

FOLLOW_UP_REPORT_DAYS = 30
"""A yearly follow-up report (§2(3)4, §6(3)) is due this many days after the anniversary."""
DECIDED = frozenset({"ineligible", "not_shortlisted", "not_candidate", "not_elected"})
FINAL = frozenset({"removed_after_publicity", "not_approved", "awarded"})
"""Outcomes an applicant is told about (read feedback); the second set ends the cycle."""


@dataclass(frozen=True)
class Task:
    key: str
    title: str
    year: int | None
    link: str
    candidate_role: Role
    assignee: str | None = None
    applicant: str | None = None
    credit_code: str | None = None
    due: date | None = None
    follow_up: date | None = None
    priority: int = 50

    def overdue(self, today: date) -> bool:
        return self.due is not None and self.due < today


class _Who(TypedDict, total=False):
    """The parts of a `Task` many of one kind share."""

    assignee: str | None
    applicant: str | None
    credit_code: str | None


@dataclass(frozen=True)
class ApplicationFacts:
    id: int
    organization_id: int
    credit_code: str
    name: str
    award: str
    outcome: str
    eligible: bool | None
    shortlisted: bool | None
    site_confirmed: bool
    document_consensus: float | None = None
    site_consensus: float | None = None
    materials: int = 0
    open_verifications: tuple[str, ...] = ()


@dataclass(frozen=True)
class ObjectionFacts:
    number: int
    application_id: int
    finding: str | None
    decision: str | None


@dataclass(frozen=True)
class CycleFacts:
    year: int
    phase: Phase
    application_deadline: date
    stage_due: dict[str, date] = field(default_factory=dict)
    publicity_closes: date | None = None
    min_panel: int = 3
    applications: list[ApplicationFacts] = field(default_factory=list)
    seats: list[SeatRow] = field(default_factory=list)
    objections: list[ObjectionFacts] = field(default_factory=list)


@dataclass(frozen=True)
class HonorFacts:
    id: int
    organization_id: int
    credit_code: str
    name: str
    award: str
    year: int
    awarded_on: date
    valid_until: date | None
    revoked_on: date | None
    pending_revocation: str | None


@dataclass(frozen=True)
class Facts:
    cycles: list[CycleFacts] = field(default_factory=list)
    honors: list[HonorFacts] = field(default_factory=list)


# --- links (the console's routes, `web`) ------------------------------------------------------


def cycle_link(year: int, tail: str = "") -> str:
    return f"/console/cycles/{year}{tail}"


def application_link(year: int, code: str, tail: str = "") -> str:
    return cycle_link(year, f"/applications/{code}{tail}")


# --- the pure part ----------------------------------------------------------------------------


def tasks(viewer: Viewer, facts: Facts, today: date) -> list[Task]:
    """The viewer's tasks: overdue first, then by due date, then by priority."""
    found: list[Task] = []
    for cycle in facts.cycles:
        found += _cycle_tasks(viewer, cycle, today)
    found += _honor_tasks(viewer, facts.honors, today)
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


def _cycle_tasks(viewer: Viewer, cycle: CycleFacts, today: date) -> list[Task]:
    if viewer.role == Role.OFFICE:
        return list(_office(cycle, today))
    if viewer.role == Role.REVIEWER:
        return list(_reviewer(viewer, cycle))
    if viewer.role == Role.APPLICANT:
        return list(_applicant(viewer, cycle))
    if viewer.role == Role.COMMITTEE:
        return list(_committee(cycle))
    if viewer.role == Role.GOVERNMENT and cycle.phase == Phase.APPROVAL:
        return [
            Task(
                f"approve:{cycle.year}",
                f"审定{cycle.year}年度拟授奖名单（§4(6)）",
                cycle.year,
                cycle_link(cycle.year, "/approval"),
                Role.GOVERNMENT,
                follow_up=today,
                priority=70,
            )
        ]
    return []


def _stage_open(cycle: CycleFacts, app: ApplicationFacts, stage: Stage) -> bool:
    """The stage in which a panel still scores this application."""
    if app.outcome != "pending":
        return False
    if stage == Stage.DOCUMENT:
        return cycle.phase == Phase.DOCUMENT_REVIEW and app.eligible is True
    return cycle.phase == Phase.SITE_REVIEW and app.shortlisted is True and not app.site_confirmed


def _panel(cycle: CycleFacts, app: ApplicationFacts, stage: Stage) -> list[SeatRow]:
    return [s for s in cycle.seats if s.application_id == app.id and s.stage == stage.value]


def _office(cycle: CycleFacts, today: date) -> Iterator[Task]:
    y = cycle.year
    if cycle.phase == Phase.QUALIFICATION:
        waiting = 0
        for app in cycle.applications:
            if app.open_verifications and app.outcome == "pending":
                waiting += 1
                names = "、".join(
                    DEPARTMENT_NAMES.get(Department(d), d) for d in app.open_verifications
                )
                yield Task(
                    f"finding:{y}:{app.credit_code}",
                    f"录入职能部门核查意见（{names}，§4(1)）",
                    y,
                    application_link(y, app.credit_code, "#findings"),
                    Role.OFFICE,
                    applicant=app.name,
                    credit_code=app.credit_code,
                    follow_up=today,
                    priority=60,
                )
        yield Task(
            f"close-qualification:{y}",
            "结束资格审查并通知审查结果（§4(1)）",
            y,
            cycle_link(y),
            Role.OFFICE,
            follow_up=today,
            priority=40 if waiting else 70,
        )
    for stage in Stage:
        due = cycle.stage_due.get(stage.value)
        for app in cycle.applications:
            if not _stage_open(cycle, app, stage):
                continue
            seats = _panel(cycle, app, stage)
            current = [s for s in seats if not s.withdrawn]
            base = _Who(applicant=app.name, credit_code=app.credit_code)
            link = application_link(y, app.credit_code, f"/panels/{stage.value}")
            stage_name = STAGE_NAMES[stage]
            if not current:
                yield Task(
                    f"panel:{y}:{app.credit_code}:{stage}",
                    f"组建{stage_name}评审组（§2(4)）",
                    y,
                    link,
                    Role.OFFICE,
                    priority=70,
                    due=due,
                    **base,
                )
            elif len(current) < cycle.min_panel:
                yield Task(
                    f"replace:{y}:{app.credit_code}:{stage}",
                    f"更换已回避的评审员（{stage_name}，§6(1)）",
                    y,
                    link,
                    Role.OFFICE,
                    priority=80,
                    due=due,
                    **base,
                )
            elif due is not None and due < today and not all(s.scored for s in current):
                yield Task(
                    f"chase:{y}:{app.credit_code}:{stage}",
                    f"催办逾期未完成的{stage_name}评分",
                    y,
                    link,
                    Role.OFFICE,
                    priority=75,
                    due=due,
                    **base,
                )
    if cycle.phase == Phase.SHORTLIST or (
        cycle.phase == Phase.DOCUMENT_REVIEW and _all_document_panels_complete(cycle)
    ):
        yield Task(
            f"shortlist:{y}",
            "确定现场评审名单（§4(2)）",
            y,
            cycle_link(y, "/shortlist"),
            Role.OFFICE,
            due=cycle.stage_due.get(Stage.DOCUMENT.value),
            priority=70,
        )
    for objection in cycle.objections:
        if objection.finding is None:
            found = _by_id(cycle, objection.application_id)
            yield Task(
                f"investigate:{y}:{objection.number}",
                f"调查核实第{objection.number}号异议（§4(5)）",
                y,
                cycle_link(y, f"/objections/{objection.number}"),
                Role.OFFICE,
                applicant=found.name if found else None,
                credit_code=found.credit_code if found else None,
                due=cycle.publicity_closes,
                priority=70,
            )
    if cycle.phase == Phase.APPROVAL:
        yield Task(
            f"government-decision:{y}",
            "跟进县政府审定结果（§4(6)）",
            y,
            cycle_link(y, "/approval"),
            Role.OFFICE,
            follow_up=today,
            priority=30,
        )


def _by_id(cycle: CycleFacts, application_id: int) -> ApplicationFacts | None:
    return next((a for a in cycle.applications if a.id == application_id), None)


def _all_document_panels_complete(cycle: CycleFacts) -> bool:
    apps = [a for a in cycle.applications if _stage_open(cycle, a, Stage.DOCUMENT)]
    for app in apps:
        current = [s for s in _panel(cycle, app, Stage.DOCUMENT) if not s.withdrawn]
        if len(current) < cycle.min_panel or not all(s.scored for s in current):
            return False
    return bool(apps)


def _reviewer(viewer: Viewer, cycle: CycleFacts) -> Iterator[Task]:
    y = cycle.year
    unscored = False
    for app in cycle.applications:
        for stage in Stage:
            if not _stage_open(cycle, app, stage):
                continue
            seats = [s for s in _panel(cycle, app, stage) if not s.withdrawn]
            mine = next((s for s in seats if s.reviewer_id == viewer.reviewer_id), None)
            if mine is None:
                continue
            due = cycle.stage_due.get(stage.value)
            base = _Who(applicant=app.name, credit_code=app.credit_code, assignee=viewer.username)
            link = application_link(y, app.credit_code, f"/scores/{stage.value}")
            if not mine.scored:
                unscored = True
                yield Task(
                    f"score:{y}:{app.credit_code}:{stage}",
                    f"{STAGE_NAMES[stage]}评分（GB/T 19580，§1(4)）",
                    y,
                    link,
                    Role.REVIEWER,
                    priority=60,
                    due=due,
                    **base,
                )
            consensus = app.document_consensus if stage == Stage.DOCUMENT else app.site_consensus
            if mine.leader and all(s.scored for s in seats) and consensus is None:
                yield Task(
                    f"consensus:{y}:{app.credit_code}:{stage}",
                    f"组长合议：录入{STAGE_NAMES[stage]}合议分（可选，§2(4)）",
                    y,
                    link + "#consensus",
                    Role.REVIEWER,
                    priority=40,
                    due=due,
                    **base,
                )
    if unscored:
        yield Task(
            f"conflicts:{y}",
            "核对利害关系：与受评组织有利害关系的须申报回避（§6(1)）",
            y,
            cycle_link(y, "/conflicts"),
            Role.REVIEWER,
            assignee=viewer.username,
            priority=55,
        )


def _applicant(viewer: Viewer, cycle: CycleFacts) -> Iterator[Task]:
    y = cycle.year
    own = next((a for a in cycle.applications if a.organization_id == viewer.organization_id), None)
    who = _Who(assignee=viewer.username)
    if own is None:
        if cycle.phase == Phase.OPEN:
            yield Task(
                f"apply:{y}",
                f"提交{y}年度质量奖申报（§3(2)）",
                y,
                cycle_link(y, "/apply"),
                Role.APPLICANT,
                due=cycle.application_deadline,
                priority=60,
                **who,
            )
        return
    base = _Who(applicant=own.name, credit_code=own.credit_code, **who)
    link = application_link(y, own.credit_code)
    if cycle.phase == Phase.OPEN and own.materials == 0 and own.outcome == "pending":
        yield Task(
            f"materials:{y}",
            "上传申报材料（PDF，§3(2)）",
            y,
            link + "#materials",
            Role.APPLICANT,
            due=cycle.application_deadline,
            priority=70,
            **base,
        )
    site = [s for s in _panel(cycle, own, Stage.SITE) if not s.withdrawn]
    if _stage_open(cycle, own, Stage.SITE) and site and all(s.scored for s in site):
        yield Task(
            f"site-report:{y}",
            "确认现场评审报告（§4(3)）",
            y,
            link + "#site-report",
            Role.APPLICANT,
            due=cycle.stage_due.get(Stage.SITE.value),
            priority=70,
            **base,
        )
    if own.outcome in DECIDED or own.outcome in FINAL:
        yield Task(
            f"feedback:{y}", "查看评审结果与反馈意见", y, link, Role.APPLICANT, priority=20, **base
        )


def _committee(cycle: CycleFacts) -> Iterator[Task]:
    y = cycle.year
    if cycle.phase == Phase.COMMITTEE:
        yield Task(
            f"votes:{y}",
            "录入评委会表决结果（§4(4)）",
            y,
            cycle_link(y, "/votes"),
            Role.COMMITTEE,
            priority=70,
        )
    for objection in cycle.objections:
        if objection.finding == "substantiated" and objection.decision is None:
            yield Task(
                f"decide:{y}:{objection.number}",
                f"审查属实的第{objection.number}号异议并作出决定（§4(5)）",
                y,
                cycle_link(y, f"/objections/{objection.number}"),
                Role.COMMITTEE,
                priority=70,
            )


def _honor_tasks(viewer: Viewer, honors: list[HonorFacts], today: date) -> Iterator[Task]:
    for honor in honors:
        if honor.revoked_on is not None:
            continue
        award = name_of(honor.award, AWARD_NAMES) or honor.award
        base = _Who(applicant=honor.name, credit_code=honor.credit_code)
        link = f"/console/honors/{honor.id}"
        if honor.pending_revocation and viewer.role == Role.GOVERNMENT:
            yield Task(
                f"revoke:{honor.id}",
                f"审批撤销{honor.year}年度{award}（§6(2)、§6(6)）",
                honor.year,
                link,
                Role.GOVERNMENT,
                priority=80,
                **base,
            )
        if viewer.role == Role.OFFICE:
            anniversary = _anniversary(honor.awarded_on, today.year)
            in_force = honor.valid_until is None or anniversary <= honor.valid_until
            if today.year > honor.awarded_on.year and in_force and anniversary <= today:
                due = anniversary + timedelta(days=FOLLOW_UP_REPORT_DAYS)
                if today <= due + timedelta(days=FOLLOW_UP_REPORT_DAYS):
                    yield Task(
                        f"follow-up:{honor.id}:{today.year}",
                        f"收集{award}获奖组织{today.year}年度持续开展卓越绩效管理的报告"
                        "（§2(3)4、§6(3)）",
                        honor.year,
                        link,
                        Role.OFFICE,
                        due=due,
                        follow_up=anniversary,
                        priority=40,
                        **base,
                    )


def _anniversary(on: date, year: int) -> date:
    try:
        return on.replace(year=year)
    except ValueError:  # 29 February in a common year
        return on.replace(year=year, day=28)


# --- reading the facts ------------------------------------------------------------------------


ACTIVE_PHASES = frozenset(Phase) - {Phase.CANCELLED, Phase.ANNOUNCED}


async def gather(session: AsyncSession) -> Facts:
    cycles = [c for c in await listings.cycles(session) if c.phase in ACTIVE_PHASES]
    found = [await _cycle_facts(session, c) for c in cycles]
    honors = await session.run_sync(honor_reads.register)
    return Facts(cycles=found, honors=[_honor_facts(h, o) for h, o in honors])


async def _cycle_facts(session: AsyncSession, cycle: Cycle) -> CycleFacts:
    rows = await session.run_sync(application_rows.with_organizations, cycle.id)
    open_tasks = await session.run_sync(todo_rows.open_verifications, cycle.id)
    materials = await session.run_sync(todo_rows.material_counts, cycle.id)
    seats = await session.run_sync(todo_rows.seats, cycle.id)
    objections: list[Objection] = await session.run_sync(todo_rows.objections, cycle.id)
    apps = [
        ApplicationFacts(
            id=app.id,
            organization_id=org.id,
            credit_code=org.credit_code,
            name=org.name,
            award=app.award,
            outcome=app.outcome,
            eligible=app.eligible,
            shortlisted=app.shortlisted,
            site_confirmed=app.site_report_confirmed_at is not None,
            document_consensus=app.document_consensus,
            site_consensus=app.site_consensus,
            materials=materials.get(app.id, 0),
            open_verifications=tuple(open_tasks.get(app.id, ())),
        )
        for app, org in rows
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


def _honor_facts(honor: Honor, org: Organization) -> HonorFacts:
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
    )


async def for_viewer(session: AsyncSession, viewer: Viewer, today: date) -> list[Task]:
    return tasks(viewer, await gather(session), today)
