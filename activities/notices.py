"""`publish-notices`: write each notice once, with its outbox entry (DESIGN.md §3.5)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio import activity

from db.repositories.notices import insert_notices
from db.session import transaction
from workflows.messages import NoticeBatch


class NoticeActivities:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    @activity.defn(name="publish-notices")
    async def publish_notices(self, batch: NoticeBatch) -> int:
        """Idempotent by notice key: a retry or a replayed step writes nothing new."""
        async with transaction(self._sessions) as session:
            return await insert_notices(session, batch.notices)
