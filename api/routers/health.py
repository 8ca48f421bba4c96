"""Health check: can the API reach its database and Temporal? (200, or 503 with which.)"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import timedelta
from typing import Literal

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.context import Ctx
from api.schemas.system import HealthOut
from db.repositories.health import ping
from domain.errors import DomainError

router = APIRouter(tags=["运行状态"])
HEALTH_TIMEOUT = 3.0
Status = Literal["ok", "error"]


@router.get(
    "/health",
    summary="健康检查（数据库与流程引擎）",
    responses={503: {"model": HealthOut, "description": "有组件不可用"}},
)
async def health(ctx: Ctx) -> JSONResponse:
    database: Status = "error"
    temporal: Status = "error"
    if ctx.sessions is not None:
        try:
            async with asyncio.timeout(HEALTH_TIMEOUT), ctx.sessions() as session:
                await session.run_sync(ping)
            database = "ok"
        except Exception:  # any failure means: not healthy
            database = "error"
    if ctx.client is None:
        with contextlib.suppress(DomainError):
            await ctx.award_service()  # start-up could not connect: try again
    client = ctx.client
    if client is not None:
        try:
            healthy = await client.service_client.check_health(
                timeout=timedelta(seconds=HEALTH_TIMEOUT)
            )
            temporal = "ok" if healthy else "error"
        except Exception:  # any failure means: not healthy
            temporal = "error"
    body = HealthOut(database=database, temporal=temporal)
    ok = database == "ok" and temporal == "ok"
    return JSONResponse(body.model_dump(), status_code=200 if ok else 503)
