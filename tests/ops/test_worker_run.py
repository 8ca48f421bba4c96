"""``qaward worker`` pieces: graceful stop, and the container healthcheck."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator

import pytest
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from qaward.settings import get_settings
from tests.ops.sleeper import SleeperWorkflow
from worker.run import healthcheck, run_worker


@pytest.fixture
def task_queue(local_env: WorkflowEnvironment, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh task queue, with the settings pointing at the local test server."""
    queue = f"ops-{uuid.uuid4()}"
    monkeypatch.setenv(
        "QAWARD_TEMPORAL_ADDRESS", local_env.client.service_client.config.target_host
    )
    monkeypatch.setenv("QAWARD_TEMPORAL_TASK_QUEUE", queue)
    get_settings.cache_clear()
    yield queue
    get_settings.cache_clear()


def _worker(env: WorkflowEnvironment, task_queue: str) -> Worker:
    return Worker(env.client, task_queue=task_queue, workflows=[SleeperWorkflow])


async def _healthcheck_until(expected: int, within: float = 10.0) -> int:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while (status := await asyncio.to_thread(healthcheck)) != expected and loop.time() < deadline:
        await asyncio.sleep(0.2)
    return status


async def test_run_worker_shuts_the_worker_down_when_stop_is_set(
    local_env: WorkflowEnvironment, task_queue: str
) -> None:
    worker = _worker(local_env, task_queue)
    stop = asyncio.Event()
    running = asyncio.create_task(run_worker(worker, stop))
    await asyncio.sleep(0.5)
    assert worker.is_running

    stop.set()
    await asyncio.wait_for(running, timeout=10)

    assert worker.is_shutdown


async def test_healthcheck_fails_until_a_worker_of_this_host_polls(
    local_env: WorkflowEnvironment, task_queue: str
) -> None:
    assert await asyncio.to_thread(healthcheck) == 1

    async with _worker(local_env, task_queue):
        assert await _healthcheck_until(0) == 0


async def test_healthcheck_fails_when_temporal_is_unreachable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("QAWARD_TEMPORAL_ADDRESS", "127.0.0.1:1")
    get_settings.cache_clear()
    try:
        assert await asyncio.to_thread(healthcheck) == 1
    finally:
        get_settings.cache_clear()
