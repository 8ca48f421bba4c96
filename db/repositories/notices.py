"""Notices and outbox: insert-if-absent by key."""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from contracts.notices import NoticeDraft
from db.models import Notice, OutboxMessage
from db.repositories.lookups import organization_ids, reviewer_ids

_NOTICES = cast(Table, Notice.__table__)
_OUTBOX = cast(Table, OutboxMessage.__table__)


def insert_notices(session: Session, drafts: Sequence[NoticeDraft]) -> int:
    """Write each draft whose key is new, with its outbox entry, in draft order."""
    unrendered = [d.key for d in drafts if d.listing is not None]
    if unrendered:  # its body is rendered by the write that publishes it
        raise ValueError(f"notices without their body: {unrendered}")
    existing = set(
        session.scalars(select(_NOTICES.c.key).where(_NOTICES.c.key.in_([d.key for d in drafts])))
    )
    fresh: list[NoticeDraft] = []
    for draft in drafts:
        if draft.key not in existing:
            existing.add(draft.key)
            fresh.append(draft)
    if not fresh:
        return 0
    orgs = organization_ids(session, [d.credit_code for d in fresh if d.credit_code])
    reviewers = reviewer_ids(session, [d.reviewer for d in fresh if d.reviewer])
    inserted = session.execute(
        insert(_NOTICES).returning(_NOTICES.c.id, sort_by_parameter_order=True),
        [
            {
                "key": d.key,
                "kind": d.kind,
                "audience": d.audience,
                "organization_id": orgs.get(d.credit_code or ""),
                "reviewer_id": reviewers.get(d.reviewer or ""),
                "cycle_year": d.cycle_year,
                "on": d.on,
                "published_at": d.at,
                "title": d.title,
                "body": d.body,
            }
            for d in fresh
        ],
    )
    ids = list(inserted.scalars())
    session.execute(
        insert(_OUTBOX),
        [
            {"notice_id": notice_id, "channel": _channel(d.audience)}
            for notice_id, d in zip(ids, fresh, strict=True)
        ],
    )
    return len(fresh)


def _channel(audience: str) -> str:
    return "portal" if audience == "public" else "message"
