"""Reads of published notices (通知公告); `notices.py` is the write side, the activities'."""

from __future__ import annotations

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from db.models import Notice, Organization


def visible(
    session: Session,
    *,
    everything: bool = False,
    organization_id: int | None = None,
    reviewer_id: int | None = None,
    audience: str | None = None,
) -> list[Notice]:
    """Newest first: public notices, plus those addressed to the organization or the
    reviewer given, or to a body as a whole (`audience`: the committee, the government);
    every notice when `everything`."""
    query = select(Notice).order_by(Notice.published_at.desc(), Notice.id.desc())
    if not everything:
        shown = Notice.audience == "public"
        if audience is not None:
            shown = or_(shown, Notice.audience == audience)
        if organization_id is not None:
            mine = and_(Notice.audience == "applicant", Notice.organization_id == organization_id)
            shown = or_(shown, mine)
        if reviewer_id is not None:
            mine = and_(Notice.audience == "reviewer", Notice.reviewer_id == reviewer_id)
            shown = or_(shown, mine)
        query = query.where(shown)
    return list(session.scalars(query))


def with_credit_codes(session: Session) -> list[tuple[Notice, str | None]]:
    """Every notice with the credit code it is addressed to, in publication order (the
    simulator's outcome)."""
    query = (
        select(Notice, Organization.credit_code)
        .outerjoin(Organization, Organization.id == Notice.organization_id)
        .order_by(
            Notice.published_at, Notice.kind, Notice.audience, Organization.credit_code, Notice.id
        )
    )
    return [(notice, code) for notice, code in session.execute(query)]
