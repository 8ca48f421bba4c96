"""Health checks (运行状态): liveness, readiness, and the combined ``/health``.

- ``/health/live``: the process answers. Restart it when this fails; it touches nothing
  else, so a database or Temporal outage never gets a healthy API restarted.
- ``/health/ready``: it can do its work: the database and Temporal answer, a worker polls
  the task queue, and the e-mail delivery backlog is under its limit. Send it traffic
  only when this is 200.
- ``/health``: the database and Temporal (what ``qaward up`` and the compose healthcheck
  wait for at start-up; a worker is not required, since the stack starts them together).
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import timedelta
from typing import Literal

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.context import AppContext, Ctx
from api.schemas.system import HealthOut, LiveOut, ReadyOut
from db.repositories.health import delivery_backlog, ping
from domain.errors import DomainError
from qaward.temporal import recent_pollers

router = APIRouter(tags=["运行状态"])
HEALTH_TIMEOUT = 3.0
Status = Literal["ok", "error"]


def _status(ok: bool) -> Status:
    return "ok" if ok else "error"


async def _database(ctx: AppContext) -> bool:
    if ctx.sessions is None:
        return False
    try:
        async with asyncio.timeout(HEALTH_TIMEOUT), ctx.sessions() as session:
            await session.run_sync(ping)
    except Exception:  # any failure means: not healthy
        return False
    return True


async def _temporal(ctx: AppContext) -> bool:
    if ctx.client is None:
        with contextlib.suppress(DomainError):
            await ctx.award_service()  # start-up could not connect: try again
    if ctx.client is None:
        return False
    try:
        return await ctx.client.service_client.check_health(
            timeout=timedelta(seconds=HEALTH_TIMEOUT)
        )
    except Exception:  # any failure means: not healthy
        return False


async def _pollers(ctx: AppContext) -> int:
    if ctx.client is None:
        return 0
    try:
        async with asyncio.timeout(HEALTH_TIMEOUT):
            return len(await recent_pollers(ctx.client, ctx.task_queue))
    except Exception:  # any failure means: no worker seen
        return 0


async def _backlog(ctx: AppContext) -> tuple[bool, int | None]:
    if ctx.sessions is None:
        return False, None
    try:
        async with asyncio.timeout(HEALTH_TIMEOUT), ctx.sessions() as session:
            waiting = await session.run_sync(delivery_backlog)
    except Exception:  # any failure means: cannot tell, so not ready
        return False, None
    return waiting is None or waiting <= ctx.settings.ready_max_delivery_backlog, waiting


@router.get(
    "/health",
    summary="健康检查（数据库与流程引擎）",
    responses={503: {"model": HealthOut, "description": "有组件不可用"}},
)
async def health(ctx: Ctx) -> JSONResponse:
    database, temporal = await asyncio.gather(_database(ctx), _temporal(ctx))
    body = HealthOut(database=_status(database), temporal=_status(temporal))
    return JSONResponse(body.model_dump(), status_code=200 if database and temporal else 503)


@router.get("/health/live", summary="存活检查（进程能应答）")
async def live() -> LiveOut:
    return LiveOut(status="ok")


@router.get(
    "/health/ready",
    summary="就绪检查（数据库、流程引擎、worker 轮询、投递积压）",
    responses={503: {"model": ReadyOut, "description": "尚未就绪：有组件不可用"}},
)
async def ready(ctx: Ctx) -> JSONResponse:
    database, temporal, (delivery, waiting) = await asyncio.gather(
        _database(ctx), _temporal(ctx), _backlog(ctx)
    )
    pollers = await _pollers(ctx) if temporal else 0
    body = ReadyOut(
        database=_status(database),
        temporal=_status(temporal),
        worker=_status(pollers > 0),
        pollers=pollers,
        delivery=_status(delivery),
        delivery_backlog=waiting,
    )
    ok = database and temporal and pollers > 0 and delivery
    return JSONResponse(body.model_dump(), status_code=200 if ok else 503)
