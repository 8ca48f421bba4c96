"""Department verification tasks of an application (§4(1)), read from the projection."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import VerificationTask


async def tasks_of(session: AsyncSession, application_id: int) -> list[VerificationTask]:
    return list(
        await session.scalars(
            select(VerificationTask)
            .where(VerificationTask.application_id == application_id)
            .order_by(VerificationTask.id)
        )
    )
