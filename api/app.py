"""The FastAPI application factory (DESIGN §7).

`create_app()` opens nothing. The lifespan connects what was not handed in — the database
engine (``settings.effective_database_url``), the Temporal client and the award service —
and creates the first office account from the bootstrap settings. Tests pass their own
engine and client (ASGI transports do not run the lifespan) and call `startup` themselves.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime, timedelta

from fastapi import FastAPI
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine
from temporalio.client import Client

from api import docs, errors, openapi
from api.context import AppContext, utc_now
from api.middleware.audit import AuditMiddleware
from api.middleware.body_limit import BodyLimitMiddleware
from api.middleware.codec_cors import CodecCorsMiddleware
from api.middleware.idempotency import IdempotencyMiddleware
from api.middleware.public_cache import PublicCacheMiddleware
from api.middleware.security_headers import SecurityHeadersMiddleware
from api.routers import ROUTERS
from db.session import create_engine, transaction
from qaward.settings import Settings, get_settings
from qaward.temporal import connect
from services import accounts
from services.awards import AwardService
from web import console

log = logging.getLogger(__name__)

DESCRIPTION = """庆元县人民政府质量奖评审管理服务。

除 `/public/...` 和 `/health` 外，所有接口都需要登录：先调用 `POST /auth/login` 取得访问令牌，
再在请求头中携带 `Authorization: Bearer <令牌>`。命令类接口（POST）可携带 `Idempotency-Key`
请求头，重复提交只执行一次并返回首次结果。错误统一为
`{"error": {"code": "…", "message": "…", "rule": "…"}}`。
"""


def create_app(
    *,
    settings: Settings | None = None,
    engine: AsyncEngine | None = None,
    client: Client | None = None,
    task_queue: str | None = None,
    service: AwardService | None = None,
    clock: Callable[[], datetime] | None = None,
) -> FastAPI:
    settings = settings or get_settings()
    offset = timedelta(seconds=settings.clock_offset_seconds)
    if clock is None and offset:
        clock = lambda: utc_now() + offset  # noqa: E731
    ctx = AppContext(
        settings=settings,
        clock=clock or utc_now,
        clock_offset=offset,
        service=service,
        task_queue=task_queue or settings.temporal_task_queue,
    )
    if engine is not None:
        ctx.use_engine(engine)
    if client is not None:
        ctx.use_client(client)
    owns_engine = engine is None

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await startup(app)
        try:
            yield
        finally:
            rehearsals = getattr(app.state, "rehearsals", None)  # web.pages.rehearsal's
            if rehearsals is not None:
                await rehearsals.close()
            if owns_engine and ctx.engine is not None:
                await ctx.engine.dispose()

    app = FastAPI(
        title=docs.TITLE,
        description=DESCRIPTION,
        version="0.1.0",
        lifespan=lifespan,
        openapi_url=docs.OPENAPI_URL,
        docs_url=None,  # served from installed assets, not a CDN (`api.docs`)
        redoc_url=None,
    )
    app.state.ctx = ctx
    errors.install(app)
    docs.install(app)
    for router in ROUTERS:
        app.include_router(router)
    openapi.install(app)
    console.install(app)  # the HTML console (web/), after the API's error handlers
    # Outermost last: headers, the public cache, size limit, audit, idempotency, the routes.
    app.add_middleware(IdempotencyMiddleware, ctx=ctx)
    app.add_middleware(AuditMiddleware, ctx=ctx)
    app.add_middleware(
        BodyLimitMiddleware,
        max_json_bytes=settings.max_json_bytes,
        max_upload_bytes=settings.max_material_bytes,
    )
    app.add_middleware(
        PublicCacheMiddleware, ttl_seconds=settings.public_cache_seconds, today=ctx.today
    )
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(CodecCorsMiddleware, origin=settings.ui_origin)
    return app


async def startup(app: FastAPI) -> None:
    """Connect what is missing and make sure an office account exists."""
    ctx: AppContext = app.state.ctx
    if ctx.engine is None:
        ctx.use_engine(create_engine(ctx.settings.effective_database_url))
    if ctx.service is None and ctx.client is None:
        try:
            ctx.use_client(await connect(ctx.settings))
        except Exception as err:  # the API still serves reads; commands retry the connection
            log.warning("Temporal unreachable at start-up: %s", err)
    elif ctx.service is None and ctx.client is not None:
        ctx.use_client(ctx.client)
    assert ctx.sessions is not None
    s = ctx.settings
    try:
        async with transaction(ctx.sessions) as session:
            made = await accounts.ensure_bootstrap_office(
                session,
                s.bootstrap_office_username,
                s.bootstrap_office_password.get_secret_value(),
                must_change_password=s.bootstrap_must_change_password,
            )
    except IntegrityError:  # another replica made it at the same moment
        made = False
    if made:
        log.info("bootstrap office account %s created", s.bootstrap_office_username)
    # Everything loaded so far (modules, the engine, the client) lives as long as the process:
    # out of the collector's sight, a full collection no longer walks it. Without this, one
    # request in ten or so paid ~100 ms for such a walk (console pages at 1,000 applications).
    gc.freeze()
