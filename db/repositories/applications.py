"""Applications (申报) of a cycle, as the projection writes them, and their department
verification tasks (§4(1))."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, defer

from db.models import Application, Cycle, Organization, VerificationTask

_NO_STATE = defer(Application.state, raiseload=True)
"""``carried=False``: without the workflow's carried state (about 1 KB of JSON an
application, a third of a 1,000-row list's read time); touching it on such rows raises
rather than loading it one row at a time. Lists for pages pass it; the documents and the
outcome explanations read the state and keep the default."""


def with_organizations(
    session: Session, cycle_id: int, credit_code: str | None = None, carried: bool = True
) -> list[tuple[Application, Organization]]:
    """A cycle's applications (or one organization's), by award and credit code."""
    query = (
        select(Application, Organization)
        .join(Organization, Organization.id == Application.organization_id)
        .where(Application.cycle_id == cycle_id)
        .order_by(Application.award, Organization.credit_code)
    )
    if not carried:
        query = query.options(_NO_STATE)
    if credit_code is not None:
        query = query.where(Organization.credit_code == credit_code)
    return [(app, org) for app, org in session.execute(query)]


def of_organization(session: Session, organization_id: int) -> list[tuple[Application, Cycle]]:
    """One organization's applications across cycles, newest cycle first."""
    rows = session.execute(
        select(Application, Cycle)
        .join(Cycle, Cycle.id == Application.cycle_id)
        .where(Application.organization_id == organization_id)
        .order_by(Cycle.year.desc(), Cycle.id.desc(), Application.award)
        .options(_NO_STATE)
    )
    return [(app, cycle) for app, cycle in rows]


def scored_candidates(
    session: Session, cycle_id: int, carried: bool = True
) -> list[tuple[Application, Organization]]:
    """Applications with a total score still in the running, best first per award."""
    query = (
        select(Application, Organization)
        .join(Organization, Organization.id == Application.organization_id)
        .where(
            Application.cycle_id == cycle_id,
            Application.total_score.is_not(None),
            Application.outcome.not_in(["not_candidate", "withdrawn", "cancelled"]),
        )
        .order_by(Application.award, Application.total_score.desc(), Organization.credit_code)
    )
    if not carried:
        query = query.options(_NO_STATE)
    return [(app, org) for app, org in session.execute(query)]


def verification_tasks(session: Session, application_id: int) -> list[VerificationTask]:
    return list(
        session.scalars(
            select(VerificationTask)
            .where(VerificationTask.application_id == application_id)
            .order_by(VerificationTask.id)
        )
    )
