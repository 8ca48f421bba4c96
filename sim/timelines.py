"""`qaward simulate --timeline DIR`: the run's cycles and honors as SVG timelines."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.repositories import cycles, honor_reads
from services.timelines import cycle_svg, honor_picture


async def write_timelines(
    sessions: async_sessionmaker[AsyncSession], directory: Path, today: date
) -> list[Path]:
    """One file per cycle (`cycle-2025.svg`) and per honor (`honor-CODE-quality-2025.svg`)."""
    directory.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    async with sessions() as session:
        for cycle in await session.run_sync(cycles.cycles):
            path = directory / f"cycle-{cycle.year}-{cycle.id}.svg"
            path.write_text(cycle_svg(cycle, today), encoding="utf-8")
            written.append(path)
        for honor, org in await session.run_sync(honor_reads.register):
            path = directory / f"honor-{org.credit_code}-{honor.award}-{honor.year}.svg"
            path.write_text(honor_picture(honor, org, today), encoding="utf-8")
            written.append(path)
    return written
