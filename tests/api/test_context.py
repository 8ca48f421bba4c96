"""The request's database session (`api.context.SessionDep`) owns the transaction."""

from __future__ import annotations

from datetime import date

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from api.app import create_app
from api.context import SessionDep
from db.repositories import organizations
from domain.errors import DomainError, ErrorCode, http_status
from domain.types import Industry
from qaward.settings import Settings
from services import registry
from services.schemas import OrganizationCreate
from tests.support.organizations import credit_code

CODE = credit_code("9133112600", 1)


@pytest.mark.parametrize(("fail", "kept"), [(False, True), (True, False)])
async def test_a_request_keeps_its_writes_only_when_its_endpoint_succeeds(
    settings: Settings,
    engine: AsyncEngine,
    sessions: async_sessionmaker[AsyncSession],
    fail: bool,
    kept: bool,
) -> None:
    app = create_app(settings=settings, engine=engine)

    @app.get("/probe")
    async def probe(session: SessionDep) -> dict[str, str]:
        data = OrganizationCreate(
            credit_code=CODE,
            name="探针",
            county="庆元县",
            registered_on=date(2010, 1, 1),
            industry=Industry.SERVICES,
        )
        await registry.register_organization(session, data)
        if fail:
            raise DomainError(ErrorCode.INVALID_INPUT, "refused after the write")
        return {"written": CODE}

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        response = await client.get("/probe")

    assert response.status_code == (http_status(ErrorCode.INVALID_INPUT) if fail else 200)
    async with sessions() as session:
        found = await session.run_sync(organizations.by_credit_code, CODE)
    assert (found is not None) == kept
