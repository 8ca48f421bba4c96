"""Supervision records (§2(3)3–4, §6(1), §6(3), §6(7)): every SQL statement about them.

Appointments, training and discipline of reviewers; irregularity records; panel draws;
winners' yearly follow-up tasks. Synchronous, in the caller's session; nothing commits.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from contracts.honor import FollowUpTask
from db.models import (
    Application,
    FollowUp,
    Honor,
    Irregularity,
    Organization,
    PanelDraw,
    PanelMember,
    Reviewer,
    ReviewerAppointment,
    ReviewerDiscipline,
    ReviewerTraining,
    Score,
)


def add(session: Session, row: object) -> None:
    session.add(row)
    session.flush()


# --- the reviewer pool (§2(3)3, §6(7)) ---------------------------------------------------------


def appointments(
    session: Session, reviewer_ids: Collection[int]
) -> dict[int, list[ReviewerAppointment]]:
    found: dict[int, list[ReviewerAppointment]] = {i: [] for i in reviewer_ids}
    rows = session.scalars(
        select(ReviewerAppointment)
        .where(ReviewerAppointment.reviewer_id.in_(reviewer_ids))
        .order_by(ReviewerAppointment.term_from, ReviewerAppointment.id)
    )
    for row in rows:
        found[row.reviewer_id].append(row)
    return found


def trainings(session: Session, reviewer_id: int) -> list[ReviewerTraining]:
    return list(
        session.scalars(
            select(ReviewerTraining)
            .where(ReviewerTraining.reviewer_id == reviewer_id)
            .order_by(ReviewerTraining.on, ReviewerTraining.id)
        )
    )


def discipline(
    session: Session, reviewer_ids: Collection[int]
) -> dict[int, list[ReviewerDiscipline]]:
    found: dict[int, list[ReviewerDiscipline]] = {i: [] for i in reviewer_ids}
    rows = session.scalars(
        select(ReviewerDiscipline)
        .where(ReviewerDiscipline.reviewer_id.in_(reviewer_ids))
        .order_by(ReviewerDiscipline.on, ReviewerDiscipline.id)
    )
    for row in rows:
        found[row.reviewer_id].append(row)
    return found


def disqualified_ids(session: Session) -> dict[int, date]:
    """Reviewer id → the earliest disqualification date."""
    rows = session.execute(
        select(ReviewerDiscipline.reviewer_id, func.min(ReviewerDiscipline.on))
        .where(ReviewerDiscipline.kind == "disqualification")
        .group_by(ReviewerDiscipline.reviewer_id)
    )
    return {key: value for key, value in rows.all()}  # noqa: C416 - rows, not pairs


def workload(session: Session, cycle_id: int) -> list[tuple[str, str, str, bool, bool]]:
    """(reviewer code, credit code, stage, withdrawn, scored) of every seat of a cycle."""
    scored = select(Score.id).where(
        Score.application_id == PanelMember.application_id,
        Score.stage == PanelMember.stage,
        Score.reviewer_id == PanelMember.reviewer_id,
    )
    rows = session.execute(
        select(
            Reviewer.code,
            Organization.credit_code,
            PanelMember.stage,
            PanelMember.withdrawn,
            scored.exists(),
        )
        .join(Application, Application.id == PanelMember.application_id)
        .join(Organization, Organization.id == Application.organization_id)
        .join(Reviewer, Reviewer.id == PanelMember.reviewer_id)
        .where(Application.cycle_id == cycle_id)
        .order_by(Reviewer.code, Organization.credit_code, PanelMember.stage)
    )
    return [(r, c, s, bool(w), bool(x)) for r, c, s, w, x in rows]


# --- irregularities (§6(1)) ------------------------------------------------------------------


def irregularities(session: Session, cycle_id: int) -> list[Irregularity]:
    return list(
        session.scalars(
            select(Irregularity)
            .where(Irregularity.cycle_id == cycle_id)
            .order_by(Irregularity.number)
        )
    )


def irregularity(session: Session, cycle_id: int, number: int) -> Irregularity | None:
    return session.scalar(
        select(Irregularity).where(Irregularity.cycle_id == cycle_id, Irregularity.number == number)
    )


def next_irregularity_number(session: Session, cycle_id: int) -> int:
    top = session.scalar(
        select(func.max(Irregularity.number)).where(Irregularity.cycle_id == cycle_id)
    )
    return (top or 0) + 1


def open_irregularities(session: Session, cycle_id: int) -> list[Irregularity]:
    return [i for i in irregularities(session, cycle_id) if i.status != "closed"]


# --- panel draws (随机抽取) -----------------------------------------------------------------


def draws(session: Session, cycle_id: int) -> list[tuple[PanelDraw, str]]:
    """A cycle's draws with the applicant's credit code, in the order drawn."""
    rows = session.execute(
        select(PanelDraw, Organization.credit_code)
        .join(Application, Application.id == PanelDraw.application_id)
        .join(Organization, Organization.id == Application.organization_id)
        .where(PanelDraw.cycle_id == cycle_id)
        .order_by(PanelDraw.id)
    )
    return [(draw, code) for draw, code in rows]


def draw(session: Session, cycle_id: int, draw_id: int) -> tuple[PanelDraw, str] | None:
    for found, code in draws(session, cycle_id):
        if found.id == draw_id:
            return found, code
    return None


def seat_loads(session: Session, cycle_id: int) -> dict[int, int]:
    """Reviewer id → current seats on the cycle's panels (the draw prefers the least loaded)."""
    rows = session.execute(
        select(PanelMember.reviewer_id, func.count(PanelMember.id))
        .join(Application, Application.id == PanelMember.application_id)
        .where(Application.cycle_id == cycle_id, PanelMember.withdrawn.is_(False))
        .group_by(PanelMember.reviewer_id)
    )
    return {key: value for key, value in rows.all()}  # noqa: C416 - rows, not pairs


# --- winners' follow-up (§2(3)4, §6(3)) ------------------------------------------------------


def write_follow_ups(session: Session, honor_id: int, tasks: Iterable[FollowUpTask]) -> None:
    """The honor workflow's tasks, idempotently: opened once, marked overdue later."""
    for task in tasks:
        row = session.scalar(
            select(FollowUp).where(FollowUp.honor_id == honor_id, FollowUp.number == task.number)
        )
        if row is None:
            row = FollowUp(
                honor_id=honor_id,
                number=task.number,
                reminded_on=task.reminded_on,
                due_on=task.due_on,
            )
            session.add(row)
        row.overdue_notified = row.overdue_notified or task.overdue
    session.flush()


def follow_ups(
    session: Session, honor_id: int | None = None
) -> list[tuple[FollowUp, Honor, Organization]]:
    query = (
        select(FollowUp, Honor, Organization)
        .join(Honor, Honor.id == FollowUp.honor_id)
        .join(Organization, Organization.id == Honor.organization_id)
        .order_by(Honor.year, Organization.credit_code, Honor.award, FollowUp.number)
    )
    if honor_id is not None:
        query = query.where(FollowUp.honor_id == honor_id)
    return [(f, h, o) for f, h, o in session.execute(query)]


# --- review quality (§6(1)) ------------------------------------------------------------------


def stage_scores(
    session: Session, cycle_id: int, stage: str
) -> list[tuple[str, str, float, dict[str, int] | None]]:
    """(credit code, reviewer code, total, item percentages) of a stage's current scores."""
    rows = session.execute(
        select(Organization.credit_code, Reviewer.code, Score.total, Score.items)
        .join(Application, Application.id == Score.application_id)
        .join(Organization, Organization.id == Application.organization_id)
        .join(Reviewer, Reviewer.id == Score.reviewer_id)
        .where(Application.cycle_id == cycle_id, Score.stage == stage)
        .order_by(Organization.credit_code, Reviewer.code)
    )
    return [(code, reviewer, total, items) for code, reviewer, total, items in rows]
