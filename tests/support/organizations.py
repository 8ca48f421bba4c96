"""Eligible test organizations registered straight into the database (no API involved)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.session import transaction
from domain.credit_code import check_character
from domain.types import Industry
from services import registry
from services.schemas import OrganizationCreate


def credit_code(prefix: str, n: int) -> str:
    """A valid 统一社会信用代码: the 10-character `prefix`, serial `n`, check character."""
    body = f"{prefix}{n:07d}"
    return body + check_character(body)


async def register_organizations(
    sessions: async_sessionmaker[AsyncSession], codes: list[str], name: str
) -> None:
    """Service-industry organizations of the county, registered in 2010, with performance-
    excellence management since 2015: eligible for either award. Named `name` + code tail."""
    async with transaction(sessions) as session:
        await session.run_sync(
            registry.register_organizations,
            [
                OrganizationCreate(
                    credit_code=code,
                    name=f"{name}{code[-4:]}",
                    county="庆元县",
                    registered_on=date(2010, 1, 1),
                    industry=Industry.SERVICES,
                    excellence_since=date(2015, 1, 1),
                )
                for code in codes
            ],
        )
