"""Id lookups by natural key (credit code, reviewer code).

Plain column reads on the transaction's connection: Core statements skip the ORM's
per-execution work, and these run on every command's and notice's path.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import NamedTuple, cast

from sqlalchemy import Table, select, union_all
from sqlalchemy.orm import Session

from db.models import Cycle, Honor, Organization, Reviewer

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


_CYCLES = cast(Table, Cycle.__table__)
_HONORS = cast(Table, Honor.__table__)
_OPEN_WORKFLOW_IDS = union_all(
    select(_CYCLES.c.workflow_id).where(_CYCLES.c.phase != "cancelled"),
    select(_HONORS.c.workflow_id).where(
        _HONORS.c.workflow_id.is_not(None), _HONORS.c.revoked_on.is_(None)
    ),
)


def open_workflow_ids(session: Session) -> list[str]:
    """Workflows that may still have timers: cycles not cancelled, honors not revoked."""
    return list(session.connection().scalars(_OPEN_WORKFLOW_IDS))
