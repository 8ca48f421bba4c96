"""Applications (申报) of a cycle, as the projection writes them, and their department
verification tasks (§4(1))."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, defer

from db.models import Application, Organization, VerificationTask

_NO_STATE = defer(Application.state, raiseload=True)
"""The workflow's carried state (about 1 KB of JSON an application) is the projection's
alone (`db.repositories.projection` reads it with Core); reads for pages and lists skip it,
and touching it on these rows raises rather than loading it one row at a time."""


def with_organizations(
    session: Session, cycle_id: int, credit_code: str | None = None
) -> list[tuple[Application, Organization]]:
    """A cycle's applications (or one organization's), by award and credit code."""
    query = (
        select(Application, Organization)
        .join(Organization, Organization.id == Application.organization_id)
        .where(Application.cycle_id == cycle_id)
        .order_by(Application.award, Organization.credit_code)
        .options(_NO_STATE)
    )
    if credit_code is not None:
        query = query.where(Organization.credit_code == credit_code)
    return [(app, org) for app, org in session.execute(query)]


def scored_candidates(session: Session, cycle_id: int) -> list[tuple[Application, Organization]]:
    """Applications with a total score still in the running, best first per award."""
    rows = session.execute(
        select(Application, Organization)
        .join(Organization, Organization.id == Application.organization_id)
        .where(
            Application.cycle_id == cycle_id,
            Application.total_score.is_not(None),
            Application.outcome.not_in(["not_candidate", "withdrawn", "cancelled"]),
        )
        .order_by(Application.award, Application.total_score.desc(), Organization.credit_code)
        .options(_NO_STATE)
    )
    return [(app, org) for app, org in rows]


def verification_tasks(session: Session, application_id: int) -> list[VerificationTask]:
    return list(
        session.scalars(
            select(VerificationTask)
            .where(VerificationTask.application_id == application_id)
            .order_by(VerificationTask.id)
        )
    )
