"""Id lookups by natural key (credit code, reviewer code)."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Organization, Reviewer


def organization_ids(session: Session, codes: Collection[str]) -> dict[str, int]:
    if not codes:
        return {}
    rows = session.execute(
        select(Organization.credit_code, Organization.id).where(
            Organization.credit_code.in_(set(codes))
        )
    )
    return {row[0]: row[1] for row in rows}


def reviewer_ids(session: Session, codes: Collection[str]) -> dict[str, int]:
    if not codes:
        return {}
    rows = session.execute(select(Reviewer.code, Reviewer.id).where(Reviewer.code.in_(set(codes))))
    return {row[0]: row[1] for row in rows}
