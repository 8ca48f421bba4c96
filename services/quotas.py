"""The public objection limit (§4(5)): accepted objections per client address and hour.

A slot is taken — under the lock of the address's throttle row, so concurrent requests
count one after another — before the objection is sent to the cycle, and given back when
the cycle refuses it: only accepted objections use up the limit.

Both steps are their own short transactions, not the request's: the slot must be
committed before the objection goes to the cycle's workflow (so that concurrent requests
count it while the workflow call runs), and the give-back must stay committed although
the refusal then rolls the request's transaction back. The SQL is in
`db.repositories.throttles`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.repositories import throttles
from db.session import transaction
from domain.errors import DomainError, ErrorCode

WINDOW = timedelta(hours=1)


async def take_objection_slot(
    sessions: async_sessionmaker[AsyncSession], client: str, now: datetime, per_hour: int
) -> int:
    """A slot for one objection from `client`, or `rate_limited` when the hour is full."""
    async with transaction(sessions) as session:
        await session.run_sync(throttles.lock, [f"objection:{client}"])
        await session.run_sync(throttles.forget_objections_before, client, now - WINDOW)
        if await session.run_sync(throttles.objections_since, client, now - WINDOW) >= per_hour:
            raise DomainError(ErrorCode.RATE_LIMITED, "每小时提交异议次数已达上限")
        return await session.run_sync(throttles.take_objection_slot, client, now)


async def give_back_objection_slot(sessions: async_sessionmaker[AsyncSession], slot: int) -> None:
    async with transaction(sessions) as session:
        await session.run_sync(throttles.give_back_objection_slot, slot)
