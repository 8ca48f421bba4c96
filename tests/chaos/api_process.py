"""`python -m tests.chaos.api_process`: one API process of the chaos run's second stage.

The same app as `qaward api` (`api.app.create_app`, the same middlewares and routes, on
uvicorn), with one difference: its business clock is the time-skipping test server's
clock, read before every request (`TestService.GetCurrentTime`), as the API tests' clock
follows the test server (`tests.api.support.EnvClock`). A fixed `QAWARD_CLOCK_OFFSET_SECONDS`
cannot follow a clock that jumps by months while the process runs.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import google.protobuf.empty_pb2
import uvicorn
from starlette.types import ASGIApp, Receive, Scope, Send
from temporalio.client import Client

from api.app import create_app
from qaward.logging import configure_logging
from qaward.preflight import load_settings
from qaward.temporal import connect


class ServerClock:
    """Wall clock plus the test server's lead over it, refreshed before each request."""

    def __init__(self, address: str) -> None:
        self.address = address
        self.skew = timedelta(0)
        self.client: Client | None = None

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.skew

    async def sync(self) -> None:
        if self.client is None:
            self.client = await Client.connect(self.address)
        reply = await self.client.test_service.get_current_time(google.protobuf.empty_pb2.Empty())
        self.skew = reply.time.ToDatetime().replace(tzinfo=UTC) - datetime.now(UTC)


class SyncFirst:
    def __init__(self, app: ASGIApp, clock: ServerClock) -> None:
        self.app, self.clock = app, clock

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            await self.clock.sync()
        await self.app(scope, receive, send)


async def main() -> None:
    settings = load_settings()
    configure_logging(settings.log_level, json=settings.log_json)
    clock = ServerClock(settings.temporal_address)
    await clock.sync()
    app = create_app(settings=settings, client=await connect(settings), clock=clock)
    config = uvicorn.Config(
        SyncFirst(app, clock),
        host="127.0.0.1",
        port=settings.api_port,
        access_log=False,
        log_config=None,
        log_level="warning",
    )
    await uvicorn.Server(config).serve()


if __name__ == "__main__":
    asyncio.run(main())
