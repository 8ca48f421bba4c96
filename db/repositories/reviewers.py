"""The reviewer pool (评审员专家库) and reviewers' ties to organizations (回避, §6(1))."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import cast

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from contracts.commands import ReviewerInfo
from db.models import Organization, Reviewer, ReviewerTie
from db.repositories.lookups import ORGANIZATIONS, REVIEWERS

_TIES = cast(Table, ReviewerTie.__table__)


def by_code(session: Session, code: str) -> Reviewer | None:
    return session.scalar(select(Reviewer).where(Reviewer.code == code))


def by_codes(session: Session, codes: Collection[str]) -> dict[str, Reviewer]:
    return {r.code: r for r in session.scalars(select(Reviewer).where(Reviewer.code.in_(codes)))}


def ids_by_code(session: Session, codes: Collection[str]) -> dict[str, int]:
    """Code → id of the codes that are in the pool (plain columns: a panel check's lookup)."""
    rows = session.execute(
        select(REVIEWERS.c.code, REVIEWERS.c.id).where(REVIEWERS.c.code.in_(codes))
    )
    return {row.code: row.id for row in rows}


def by_ids(session: Session, ids: Collection[int]) -> dict[int, Reviewer]:
    return {r.id: r for r in session.scalars(select(Reviewer).where(Reviewer.id.in_(ids)))}


def all_reviewers(session: Session) -> list[Reviewer]:
    return list(session.scalars(select(Reviewer).order_by(Reviewer.code)))


def employer_of(session: Session, reviewer_id: int) -> str | None:
    return session.scalar(select(Reviewer.employer_credit_code).where(Reviewer.id == reviewer_id))


def add(session: Session, reviewers: Iterable[Reviewer]) -> None:
    """New or changed reviewers, flushed: their ids are known on return."""
    session.add_all(reviewers)
    session.flush()


def has_tie(session: Session, reviewer_id: int, organization_id: int) -> bool:
    found = session.scalar(
        select(ReviewerTie.id).where(
            ReviewerTie.reviewer_id == reviewer_id, ReviewerTie.organization_id == organization_id
        )
    )
    return found is not None


def tied_organization_ids(session: Session, reviewer_id: int) -> set[int]:
    """Organizations the reviewer has a registered or declared tie with (one query)."""
    return set(
        session.scalars(
            select(ReviewerTie.organization_id).where(ReviewerTie.reviewer_id == reviewer_id)
        )
    )


def add_tie(session: Session, reviewer_id: int, organization_id: int, source: str) -> None:
    session.add(
        ReviewerTie(reviewer_id=reviewer_id, organization_id=organization_id, source=source)
    )
    session.flush()


def ties_of(session: Session, reviewer_id: int) -> list[tuple[str, str, str]]:
    """(credit code, organization name, source) of a reviewer's ties, by credit code."""
    rows = session.execute(
        select(Organization.credit_code, Organization.name, ReviewerTie.source)
        .join(ReviewerTie, ReviewerTie.organization_id == Organization.id)
        .where(ReviewerTie.reviewer_id == reviewer_id)
        .order_by(Organization.credit_code)
    )
    return [(code, name, source) for code, name, source in rows]


def panel_facts(session: Session, codes: Collection[str]) -> dict[str, ReviewerInfo]:
    """What the cycle needs to check a panel, for the codes that are in the pool: expertise,
    employer and ties (two queries, plain column reads: this runs for every assignment)."""
    connection = session.connection()
    found = {
        row.code: row
        for row in connection.execute(
            select(
                REVIEWERS.c.id,
                REVIEWERS.c.code,
                REVIEWERS.c.employer_credit_code,
                REVIEWERS.c.industries,
            ).where(REVIEWERS.c.code.in_(codes))
        )
    }
    ties: dict[int, list[str]] = {row.id: [] for row in found.values()}
    rows = connection.execute(
        select(_TIES.c.reviewer_id, ORGANIZATIONS.c.credit_code)
        .join(ORGANIZATIONS, _TIES.c.organization_id == ORGANIZATIONS.c.id)
        .where(_TIES.c.reviewer_id.in_(ties))
        .order_by(_TIES.c.id)
    )
    for reviewer_id, credit_code in rows:
        ties[reviewer_id].append(credit_code)
    return {
        code: ReviewerInfo(
            code=row.code,
            employer_credit_code=row.employer_credit_code,
            industries=list(row.industries),
            tied_credit_codes=ties[row.id],
        )
        for code, row in found.items()
    }
