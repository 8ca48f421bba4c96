"""`publish-notices`: write each notice once, with its outbox entry (DESIGN.md §3.5)."""

from __future__ import annotations

from temporalio import activity

from contracts.notices import NoticeBatch
from db.repositories.notices import insert_notices
from db.session import Database


class NoticeActivities:
    def __init__(self, db: Database) -> None:
        self._db = db

    @activity.defn(name="publish-notices")
    async def publish_notices(self, batch: NoticeBatch) -> int:
        """Idempotent by notice key: a retry or a replayed step writes nothing new."""
        return await self._db.run(insert_notices, batch.notices)
