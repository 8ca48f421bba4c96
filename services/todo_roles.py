"""Each role's tasks in one cycle, and the honors' (the rules of `services.todo`): pure
functions of the facts and the day."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from db.repositories.todo import SeatRow
from domain.dates import add_years
from domain.departments import DEPARTMENT_NAMES, Department
from domain.names import AWARD_NAMES, STAGE_NAMES, name_of
from domain.phases import Phase, Stage
from services.accounts import Role, Viewer
from services.todo_model import (
    DECIDED,
    FINAL,
    FOLLOW_UP_REPORT_DAYS,
    ApplicationFacts,
    CycleFacts,
    HonorFacts,
    Task,
    Who,
    application_link,
    cycle_link,
)


def cycle_tasks(viewer: Viewer, cycle: CycleFacts, today: date) -> list[Task]:
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


SEATED_PHASES = frozenset({Phase.DOCUMENT_REVIEW, Phase.SITE_REVIEW})
"""The phases in which a rule reads the panels' seats: every read of them is behind
`_stage_open` (or, for the shortlist's task, `_all_document_panels_complete` in the document
review). In any other phase `gather` leaves them unread (6,000 at 1,000 applications)."""


def _stage_open(cycle: CycleFacts, app: ApplicationFacts, stage: Stage) -> bool:
    """The stage in which a panel still scores this application."""
    if app.outcome != "pending":
        return False
    if stage == Stage.DOCUMENT:
        return cycle.phase == Phase.DOCUMENT_REVIEW and app.eligible is True
    return cycle.phase == Phase.SITE_REVIEW and app.shortlisted is True and not app.site_confirmed


def _panel(cycle: CycleFacts, app: ApplicationFacts, stage: Stage) -> list[SeatRow]:
    return cycle.panels.get((app.id, stage.value), [])


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
            base = Who(applicant=app.name, credit_code=app.credit_code)
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
    return cycle.by_id.get(application_id)


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
            base = Who(applicant=app.name, credit_code=app.credit_code, assignee=viewer.username)
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
    who = Who(assignee=viewer.username)
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
    base = Who(applicant=own.name, credit_code=own.credit_code, **who)
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


def honor_tasks(viewer: Viewer, honors: list[HonorFacts], today: date) -> Iterator[Task]:
    for honor in honors:
        if honor.revoked_on is not None:
            continue
        award = name_of(honor.award, AWARD_NAMES) or honor.award
        base = Who(applicant=honor.name, credit_code=honor.credit_code)
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
            yield from _propose_revocation(honor, award, link, base)
            anniversary = add_years(honor.awarded_on, today.year - honor.awarded_on.year)
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


def _propose_revocation(honor: HonorFacts, award: str, link: str, base: Who) -> Iterator[Task]:
    """§6(6): a major accident on the holder's file inside the revocation window and no
    proposal yet: the office checks its social impact and, if major, proposes the revocation
    on the honor's page (the incident report). Gone once a revocation is pending or done, or
    once the office has reported the accident on the honor (of that day), also as without
    major adverse impact: then it was assessed, and no revocation follows."""
    if honor.pending_revocation is not None or honor.revocation_window_closes is None:
        return
    inside = [
        day
        for day in honor.accidents
        if honor.awarded_on <= day <= honor.revocation_window_closes and day not in honor.assessed
    ]
    if not inside:
        return
    yield Task(
        f"propose-revocation:{honor.id}",
        f"{honor.year}年度{award}获奖组织于{inside[-1].isoformat()}发生重大事故："
        "核实是否造成重大不良社会影响，是则提请县政府撤销称号（§6(6)）",
        honor.year,
        link + "#incident",
        Role.OFFICE,
        follow_up=inside[-1],
        priority=80,
        **base,
    )
