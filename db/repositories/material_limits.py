"""How many materials an application has, and their total size (for the per-application caps)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Material


async def count_and_size(session: AsyncSession, application_id: int) -> tuple[int, int]:
    row = (
        await session.execute(
            select(func.count(Material.id), func.coalesce(func.sum(Material.size), 0)).where(
                Material.application_id == application_id
            )
        )
    ).one()
    return int(row[0]), int(row[1])
