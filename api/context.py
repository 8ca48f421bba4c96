"""What a request needs from the app: settings, database, Temporal, the award service, a clock.

Created empty by `create_app`; the lifespan (or a test) fills it. Dependencies below give
routers typed access through `Annotated` aliases.

`SessionDep` is the request's one database session and its transaction (polar
`server/polar/postgres.py`): opened for the request, committed when the endpoint returns,
rolled back when it raises. Nothing below the router commits. It is function-scoped, so
the commit happens before the response is sent: a failed commit reaches the caller as an
error, never as a success that was not kept. `Service` is the award service reading
through that session.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from temporalio.client import Client

from db.session import session_factory
from domain.dates import SHANGHAI
from domain.errors import DomainError, ErrorCode
from qaward.settings import Settings
from qaward.temporal import connect
from services.awards import AwardService

log = logging.getLogger(__name__)


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class AppContext:
    settings: Settings
    clock: Callable[[], datetime] = utc_now
    engine: AsyncEngine | None = None
    sessions: async_sessionmaker[AsyncSession] | None = None
    client: Client | None = None
    service: AwardService | None = None
    task_queue: str = ""
    delivery_workflow_id: str = "notice-delivery"
    """The notice-delivery workflow a resend wakes (`worker.delivery.WORKFLOW_ID`)."""
    clock_offset: timedelta = timedelta(0)
    """Carried into the workflows the service starts (`QAWARD_CLOCK_OFFSET_SECONDS`)."""

    def use_engine(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.sessions = session_factory(engine)

    def use_client(self, client: Client) -> None:
        self.client = client
        if self.service is None and self.sessions is not None:
            self.service = AwardService(
                client,
                self.sessions,
                self.task_queue,
                clock=self.clock,
                clock_offset=self.clock_offset,
            )

    async def award_service(self) -> AwardService:
        """The service; connects to Temporal on first need if start-up could not."""
        if self.service is None:
            try:
                self.use_client(await connect(self.settings))
            except Exception as err:  # any failure to reach Temporal means: try later
                log.warning("Temporal unreachable: %s", err)
                raise DomainError(ErrorCode.ACTIVITY_FAILED, "无法连接流程引擎") from None
        assert self.service is not None
        return self.service

    @property
    def materials_root(self) -> Path:
        return self.settings.data_dir / "materials"

    def today(self) -> date:
        """Business date (Asia/Shanghai)."""
        return self.clock().astimezone(SHANGHAI).date()


# The dependencies are coroutines, even where they need not await: FastAPI runs a plain
# function in a worker thread, a round trip that cost each request more than their work.


async def context(request: Request) -> AppContext:
    ctx: AppContext = request.app.state.ctx
    return ctx


async def _sessions(
    ctx: Annotated[AppContext, Depends(context)],
) -> async_sessionmaker[AsyncSession]:
    if ctx.sessions is None:
        raise DomainError(ErrorCode.ACTIVITY_FAILED, "数据库尚未就绪")
    return ctx.sessions


async def _request_session(
    sessions: Annotated[async_sessionmaker[AsyncSession], Depends(_sessions)],
) -> AsyncIterator[AsyncSession]:
    async with sessions() as session:
        try:
            yield session
        except BaseException:
            await session.rollback()
            raise
        await session.commit()


SessionDep = Annotated[AsyncSession, Depends(_request_session, scope="function")]


async def _service(
    ctx: Annotated[AppContext, Depends(context)], session: SessionDep
) -> AwardService:
    return (await ctx.award_service()).using(session)


Ctx = Annotated[AppContext, Depends(context)]
Sessions = Annotated[async_sessionmaker[AsyncSession], Depends(_sessions)]
"""The sessionmaker itself, for the few writes that must be their own short transactions
(a counted login failure, an objection slot): they are committed before the request's work
and stay committed when its transaction is rolled back. Everything else takes `SessionDep`."""
Service = Annotated[AwardService, Depends(_service)]
