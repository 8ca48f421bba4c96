"""Award cycles (评审周期) as the office opens them and the projection keeps them, with what
belongs to a whole cycle: the committee's votes and the objections during publicity."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Application, Cycle, Objection, Organization, Vote


def cycles(session: Session, year: int | None = None) -> list[Cycle]:
    """Oldest first; a year opened again after a cancellation has several cycles."""
    query = select(Cycle).order_by(Cycle.year, Cycle.id)
    if year is not None:
        query = query.where(Cycle.year == year)
    return list(session.scalars(query))


def latest(session: Session, year: int) -> Cycle | None:
    """The cycle of `year` (the latest, when a cancelled one was opened again)."""
    return session.scalar(
        select(Cycle).where(Cycle.year == year).order_by(Cycle.id.desc()).limit(1)
    )


def latest_workflow(session: Session, year: int | None) -> tuple[str, str] | None:
    """(workflow id, phase) of the year's latest cycle, or of the newest cycle of all."""
    query = select(Cycle.workflow_id, Cycle.phase).order_by(Cycle.year.desc(), Cycle.id.desc())
    if year is not None:
        query = query.where(Cycle.year == year)
    row = session.execute(query.limit(1)).first()
    return None if row is None else (row[0], row[1])


def latest_in_phases(session: Session, year: int | None, phases: Collection[str]) -> Cycle | None:
    query = select(Cycle).where(Cycle.phase.in_(phases))
    if year is not None:
        query = query.where(Cycle.year == year)
    return session.scalar(query.order_by(Cycle.year.desc(), Cycle.id.desc()).limit(1))


def add(session: Session, cycle: Cycle) -> None:
    session.add(cycle)
    session.flush()


def votes(session: Session, cycle_id: int, award: str | None = None) -> list[Vote]:
    """The cycle's recorded votes by award and round (one award's: each names its 500
    candidates' ballots)."""
    query = select(Vote).where(Vote.cycle_id == cycle_id).order_by(Vote.award, Vote.round)
    if award is not None:
        query = query.where(Vote.award == award)
    return list(session.scalars(query))


def vote(session: Session, cycle_id: int, award: str, round: int) -> Vote | None:
    """One recorded vote: a round is numbered per award across its series."""
    return session.scalar(
        select(Vote).where(Vote.cycle_id == cycle_id, Vote.award == award, Vote.round == round)
    )


def objections(session: Session, cycle_id: int) -> list[tuple[Objection, Organization]]:
    """Objections by number, each with the organization it is about."""
    rows = session.execute(
        select(Objection, Organization)
        .join(Application, Application.id == Objection.application_id)
        .join(Organization, Organization.id == Application.organization_id)
        .where(Objection.cycle_id == cycle_id)
        .order_by(Objection.number)
    )
    return [(objection, org) for objection, org in rows]
