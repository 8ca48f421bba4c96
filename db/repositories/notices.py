"""Notices and outbox: insert-if-absent by key."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Notice, OutboxMessage
from db.repositories.lookups import organization_ids, reviewer_ids
from workflows.messages import NoticeDraft


async def insert_notices(session: AsyncSession, drafts: Sequence[NoticeDraft]) -> int:
    keys = [d.key for d in drafts]
    existing = set((await session.scalars(select(Notice.key).where(Notice.key.in_(keys)))).all())
    orgs = await organization_ids(session, [d.credit_code for d in drafts if d.credit_code])
    reviewers = await reviewer_ids(session, [d.reviewer for d in drafts if d.reviewer])
    written = 0
    for draft in drafts:
        if draft.key in existing:
            continue
        existing.add(draft.key)
        notice = Notice(
            key=draft.key,
            kind=draft.kind,
            audience=draft.audience,
            organization_id=orgs.get(draft.credit_code or ""),
            reviewer_id=reviewers.get(draft.reviewer or ""),
            cycle_year=draft.cycle_year,
            on=draft.on,
            published_at=draft.at,
            title=draft.title,
            body=draft.body,
        )
        session.add(notice)
        await session.flush()
        session.add(OutboxMessage(notice_id=notice.id, channel=_channel(draft.audience)))
        written += 1
    return written


def _channel(audience: str) -> str:
    return "portal" if audience == "public" else "message"
