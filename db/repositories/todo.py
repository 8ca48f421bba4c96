"""What the to-do lists read of a cycle in a few queries (`services.todo`): every panel
seat with its reviewer code and whether it has scored, open verification tasks, material
counts and objections, each keyed by application id."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import (
    Application,
    Honor,
    Material,
    Objection,
    Organization,
    OrganizationRecord,
    PanelMember,
    Reviewer,
    Score,
    VerificationTask,
)
from domain.types import RecordKind


@dataclass(frozen=True)
class SeatRow:
    application_id: int
    stage: str
    reviewer_id: int
    reviewer_code: str
    leader: bool
    withdrawn: bool
    scored: bool


def seats(session: Session, cycle_id: int) -> list[SeatRow]:
    """Every seat of the cycle's panels, withdrawn ones too, in the order named."""
    scored = {
        (a, s, r)
        for a, s, r in session.execute(
            select(Score.application_id, Score.stage, Score.reviewer_id)
            .join(Application, Application.id == Score.application_id)
            .where(Application.cycle_id == cycle_id)
        )
    }
    rows = session.execute(
        select(
            PanelMember.application_id,
            PanelMember.stage,
            PanelMember.reviewer_id,
            Reviewer.code,
            PanelMember.leader,
            PanelMember.withdrawn,
        )
        .join(Application, Application.id == PanelMember.application_id)
        .join(Reviewer, Reviewer.id == PanelMember.reviewer_id)
        .where(Application.cycle_id == cycle_id)
        .order_by(PanelMember.id)
    )  # columns, not entities: 6,000 seats at 1,000 applications
    return [
        SeatRow(app, stage, reviewer, code, leader, withdrawn, (app, stage, reviewer) in scored)
        for app, stage, reviewer, code, leader, withdrawn in rows
    ]


@dataclass(frozen=True)
class ApplicationRow:
    """What the to-do rules read of an application and its organization."""

    id: int
    organization_id: int
    credit_code: str
    name: str
    award: str
    outcome: str
    eligible: bool | None
    shortlisted: bool | None
    site_confirmed: bool
    document_consensus: float | None
    site_consensus: float | None


def applications(session: Session, cycle_id: int) -> list[ApplicationRow]:
    """The cycle's applications by award and credit code, as columns (no ORM entities, no
    carried state): the lists of 1,000 applications are read on every home page."""
    rows = session.execute(
        select(
            Application.id,
            Organization.id,
            Organization.credit_code,
            Organization.name,
            Application.award,
            Application.outcome,
            Application.eligible,
            Application.shortlisted,
            Application.site_report_confirmed_at.is_not(None),
            Application.document_consensus,
            Application.site_consensus,
        )
        .join(Organization, Organization.id == Application.organization_id)
        .where(Application.cycle_id == cycle_id)
        .order_by(Application.award, Organization.credit_code)
    )
    return [ApplicationRow(*row) for row in rows]


def open_verifications(session: Session, cycle_id: int) -> dict[int, list[str]]:
    """Departments still to report, by application (§4(1))."""
    found: dict[int, list[str]] = {}
    rows = session.execute(
        select(VerificationTask.application_id, VerificationTask.department)
        .join(Application, Application.id == VerificationTask.application_id)
        .where(Application.cycle_id == cycle_id, VerificationTask.done_at.is_(None))
        .order_by(VerificationTask.id)
    )
    for application_id, department in rows:
        found.setdefault(application_id, []).append(department)
    return found


def material_counts(session: Session, cycle_id: int) -> dict[int, int]:
    rows = session.execute(
        select(Material.application_id, func.count(Material.id))
        .join(Application, Application.id == Material.application_id)
        .where(Application.cycle_id == cycle_id)
        .group_by(Material.application_id)
    )
    return {application_id: int(count) for application_id, count in rows}


def objections(session: Session, cycle_id: int) -> list[Objection]:
    return list(
        session.scalars(
            select(Objection).where(Objection.cycle_id == cycle_id).order_by(Objection.number)
        )
    )


def accident_days(session: Session) -> dict[int, list[date]]:
    """Days of the major accidents on each organization's file (§6(6)), by organization id,
    for the organizations that hold an honor."""
    rows = session.execute(
        select(OrganizationRecord.organization_id, OrganizationRecord.on)
        .where(
            OrganizationRecord.kind == RecordKind.MAJOR_ACCIDENT.value,
            OrganizationRecord.organization_id.in_(select(Honor.organization_id)),
        )
        .order_by(OrganizationRecord.on)
    )
    found: dict[int, list[date]] = {}
    for organization_id, on in rows:
        found.setdefault(organization_id, []).append(on)
    return found
