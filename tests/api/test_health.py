"""Liveness and readiness (issue #17, item 5): ``/health/live`` answers while the process
runs; ``/health/ready`` also needs the database, Temporal and a worker polling the queue."""

from __future__ import annotations

import asyncio
import uuid

import httpx
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from temporalio.testing import WorkflowEnvironment

from api.app import create_app
from db.session import create_engine
from qaward.settings import Settings
from worker.registry import build_worker


async def _get(app: FastAPI, path: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        return await client.get(path)


async def test_ready_needs_a_polling_worker_and_live_needs_nothing(
    settings: Settings,
    engine: AsyncEngine,
    sessions: async_sessionmaker[AsyncSession],
    local_env: WorkflowEnvironment,
) -> None:
    queue = f"health-{uuid.uuid4()}"
    app = create_app(settings=settings, engine=engine, client=local_env.client, task_queue=queue)

    idle = await _get(app, "/health/ready")
    assert idle.status_code == 503
    assert idle.json() == {
        "database": "ok",
        "temporal": "ok",
        "worker": "error",
        "pollers": 0,
        "delivery": "ok",
        "delivery_backlog": None,
    }
    assert (await _get(app, "/health")).status_code == 200  # what start-up waits for

    async with build_worker(local_env.client, queue, sessions):
        # The server lists a poller once the worker's first poll reached it: a moment after
        # the worker starts, longer on a busy machine.
        for _ in range(100):
            ready = await _get(app, "/health/ready")
            if ready.status_code == 200:
                break
            await asyncio.sleep(0.1)
    assert ready.status_code == 200, ready.text
    assert (ready.json()["worker"], ready.json()["pollers"]) == ("ok", 1)


async def test_live_answers_when_database_and_temporal_are_gone(settings: Settings) -> None:
    dead = create_engine("postgresql+asyncpg://nobody:nothing@127.0.0.1:1/none")
    nowhere = settings.model_copy(update={"temporal_address": "127.0.0.1:1"})
    app = create_app(settings=nowhere, engine=dead)

    live = await _get(app, "/health/live")
    ready = await _get(app, "/health/ready")
    await dead.dispose()

    assert (live.status_code, live.json()) == (200, {"status": "ok"})
    assert ready.status_code == 503
    body = ready.json()
    assert (body["database"], body["temporal"], body["worker"]) == ("error", "error", "error")
    # No delivery table yet (`db.repositories.health.delivery_backlog` is the hook).
    assert (body["delivery"], body["delivery_backlog"]) == ("ok", None)
