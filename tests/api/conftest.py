"""Fixtures for the HTTP API: the app over the real database and real workflows.

Each test gets empty tables, a fresh task queue with a worker, and its own cycle-id
suffix (workflow ids stay unique on the session's time-skipping server). The API's clock
follows the test server's, so token expiry, lockouts and rate limits see skipped time.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from pydantic import SecretStr
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from temporalio.service import RPCError
from temporalio.testing import WorkflowEnvironment

from api.app import create_app, startup
from db.models import Cycle, Honor
from qaward.settings import Settings
from services import accounts
from services.awards import AwardService
from tests.api.support import Api, EnvClock
from worker.registry import build_worker


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Same algorithm (argon2id), test-sized cost: the suite logs in hundreds of times."""
    monkeypatch.setattr(
        accounts, "HASHER", PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)
    )


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        environment="test",
        data_dir=tmp_path / "data",
        secret_key=SecretStr("test-secret"),
        bootstrap_office_username="office",
        bootstrap_office_password=SecretStr("office-password"),
        token_ttl_minutes=60,
        login_max_failures=6,
        login_lockout_minutes=15,
        login_client_max_failures=3,
        login_client_delay_seconds=60,
        trusted_proxies=["127.0.0.1"],  # the ASGI test client: tests may name other callers
        max_material_bytes=64 * 1024,
        objection_rate_limit_per_hour=5,
    )


@pytest.fixture
async def clock(time_skipping_env: WorkflowEnvironment) -> EnvClock:
    clock = EnvClock(time_skipping_env)
    await clock.sync()
    return clock


@pytest.fixture
async def app(
    settings: Settings,
    engine: AsyncEngine,
    sessions: async_sessionmaker[AsyncSession],
    time_skipping_env: WorkflowEnvironment,
    clock: EnvClock,
) -> AsyncIterator[FastAPI]:
    env = time_skipping_env
    app = await started_app(settings, engine, sessions, env, clock)
    async with build_worker(env.client, app.state.ctx.task_queue, sessions):
        yield app
    await _terminate_workflows(env, sessions)


async def started_app(
    settings: Settings,
    engine: AsyncEngine,
    sessions: async_sessionmaker[AsyncSession],
    env: WorkflowEnvironment,
    clock: EnvClock,
) -> FastAPI:
    """The app on a fresh task queue (`app.state.ctx.task_queue`), started, no worker."""
    task_queue = f"api-{uuid.uuid4()}"
    service = AwardService(
        env.client, sessions, task_queue, cycle_suffix=f"-t{uuid.uuid4().hex[:8]}", clock=clock
    )
    app = create_app(
        settings=settings,
        engine=engine,
        client=env.client,
        task_queue=task_queue,
        service=service,
        clock=clock,
    )
    await startup(app)
    return app


async def _terminate_workflows(
    env: WorkflowEnvironment, sessions: async_sessionmaker[AsyncSession]
) -> None:
    """Stop this test's cycles and honors: on the shared server, with no worker left,
    their timers would otherwise hold up time skipping in later tests."""
    async with sessions() as session:
        ids = [*await session.scalars(select(Cycle.workflow_id))]
        ids += [i for i in await session.scalars(select(Honor.workflow_id)) if i]
    for workflow_id in ids:
        with contextlib.suppress(RPCError):
            await env.client.get_workflow_handle(workflow_id).terminate("test finished")


@pytest.fixture
async def http(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


@pytest.fixture
async def api(http: httpx.AsyncClient, clock: EnvClock) -> Api:
    return Api(http, clock)
