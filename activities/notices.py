"""`publish-notices`: write each notice once, with its outbox entry (DESIGN.md §3.5)."""

from __future__ import annotations

from temporalio import activity

from activities.delivery import DeliveryWaker
from contracts.notices import NoticeBatch
from db.repositories.notices import insert_notices
from db.session import Database


class NoticeActivities:
    def __init__(self, db: Database, waker: DeliveryWaker | None = None) -> None:
        self._db = db
        self._waker = waker

    @activity.defn(name="publish-notices")
    async def publish_notices(self, batch: NoticeBatch) -> int:
        """Idempotent by notice key: a retry or a replayed step writes nothing new. After
        the commit the delivery is woken to e-mail what was written (issue #15)."""
        written = await self._db.run(insert_notices, batch.notices)
        if written and self._waker is not None:
            await self._waker.wake(activity.info().task_queue)
        return written
