"""Review panels (评审组): their seats and the scores given (§2(4), §4(2), §4(3))."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Application, Organization, PanelMember, Reviewer, Score


def seats(
    session: Session, application_id: int, stage: str, *, withdrawn: bool = True
) -> list[PanelMember]:
    """A stage's seats in the order they were named; `withdrawn=False` leaves those out."""
    query = (
        select(PanelMember)
        .where(PanelMember.application_id == application_id, PanelMember.stage == stage)
        .order_by(PanelMember.id)
    )
    if not withdrawn:
        query = query.where(PanelMember.withdrawn.is_(False))
    return list(session.scalars(query))


def stages_of(session: Session, application_id: int, reviewer_id: int) -> list[str]:
    """Stages of an application where the reviewer holds a current seat."""
    return list(
        session.scalars(
            select(PanelMember.stage).where(
                PanelMember.application_id == application_id,
                PanelMember.reviewer_id == reviewer_id,
                PanelMember.withdrawn.is_(False),
            )
        )
    )


def seated_applications(session: Session, cycle_id: int, reviewer_id: int) -> set[int]:
    """Applications of the cycle where the reviewer holds a current seat (one query)."""
    return set(
        session.scalars(
            select(PanelMember.application_id)
            .join(Application, Application.id == PanelMember.application_id)
            .where(
                Application.cycle_id == cycle_id,
                PanelMember.reviewer_id == reviewer_id,
                PanelMember.withdrawn.is_(False),
            )
        )
    )


def scores(session: Session, application_id: int, stage: str) -> list[Score]:
    return list(
        session.scalars(
            select(Score).where(Score.application_id == application_id, Score.stage == stage)
        )
    )


def open_seats(
    session: Session, cycle_id: int, reviewer_id: int | None = None
) -> list[tuple[PanelMember, Application, Organization, Reviewer]]:
    """Current seats on a cycle's panels (one reviewer's, or all), by organization, stage
    and reviewer."""
    query = (
        select(PanelMember, Application, Organization, Reviewer)
        .join(Application, Application.id == PanelMember.application_id)
        .join(Organization, Organization.id == Application.organization_id)
        .join(Reviewer, Reviewer.id == PanelMember.reviewer_id)
        .where(Application.cycle_id == cycle_id, PanelMember.withdrawn.is_(False))
        .order_by(Organization.credit_code, PanelMember.stage, Reviewer.code)
    )
    if reviewer_id is not None:
        query = query.where(PanelMember.reviewer_id == reviewer_id)
    return [(seat, app, org, reviewer) for seat, app, org, reviewer in session.execute(query)]


def scored_seats(session: Session, cycle_id: int) -> set[tuple[int, str, int]]:
    """(application id, stage, reviewer id) of every score given in a cycle."""
    rows = session.execute(
        select(Score.application_id, Score.stage, Score.reviewer_id)
        .join(Application, Application.id == Score.application_id)
        .where(Application.cycle_id == cycle_id)
    )
    return {(application_id, stage, reviewer_id) for application_id, stage, reviewer_id in rows}
