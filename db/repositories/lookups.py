"""Id lookups by natural key (credit code, reviewer code).

Plain column reads on the transaction's connection: Core statements skip the ORM's
per-execution work, and these run on every command's and notice's path.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import NamedTuple, cast

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from db.models import Organization, Reviewer

ORGANIZATIONS = cast(Table, Organization.__table__)
REVIEWERS = cast(Table, Reviewer.__table__)


class OrganizationRef(NamedTuple):
    """What a command needs of a registered organization."""

    id: int
    credit_code: str
    name: str
    industry: str


_ORGANIZATION_REF = select(
    ORGANIZATIONS.c.id, ORGANIZATIONS.c.credit_code, ORGANIZATIONS.c.name, ORGANIZATIONS.c.industry
)


def organization_ref(session: Session, credit_code: str) -> OrganizationRef | None:
    row = (
        session.connection()
        .execute(_ORGANIZATION_REF.where(ORGANIZATIONS.c.credit_code == credit_code))
        .first()
    )
    return None if row is None else OrganizationRef(*row)


def organization_ids(session: Session, codes: Collection[str]) -> dict[str, int]:
    if not codes:
        return {}
    rows = session.connection().execute(
        select(ORGANIZATIONS.c.credit_code, ORGANIZATIONS.c.id).where(
            ORGANIZATIONS.c.credit_code.in_(set(codes))
        )
    )
    return {row[0]: row[1] for row in rows}


def reviewer_ids(session: Session, codes: Collection[str]) -> dict[str, int]:
    if not codes:
        return {}
    rows = session.connection().execute(
        select(REVIEWERS.c.code, REVIEWERS.c.id).where(REVIEWERS.c.code.in_(set(codes)))
    )
    return {row[0]: row[1] for row in rows}
