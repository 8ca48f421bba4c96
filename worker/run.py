"""``qaward worker``: the Temporal worker alone, against an external Temporal (DESIGN.md §8).

Also the worker's container healthcheck, and :func:`run_worker`, which ``qaward up`` uses to
run the same worker next to the API.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Coroutine
from datetime import timedelta
from typing import Any

import structlog
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client
from temporalio.worker import Worker

from db.session import Database, create_engine, session_factory
from qaward.logging import configure_logging
from qaward.preflight import check_database, check_metrics_port, load_settings, reach_temporal
from qaward.process import run_together, stop_on_signals
from qaward.settings import Settings
from qaward.temporal import connect, recent_pollers
from worker.delivery import DeliveryConfig, start_delivery, watch_backlog
from worker.registry import build_worker

log = structlog.get_logger(__name__)

GRACEFUL_SHUTDOWN = timedelta(seconds=20)
"""Activities running at a stop get this long to finish before they are cancelled (retried)."""


async def run_worker(worker: Worker, stop: asyncio.Event) -> None:
    """Run until ``stop`` is set, then shut down gracefully; a fatal worker error propagates."""
    running = asyncio.create_task(worker.run(), name="worker")
    stopping = asyncio.create_task(stop.wait())
    try:
        await asyncio.wait({running, stopping}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopping.cancel()
        if not running.done():
            await worker.shutdown()
    await running


async def worker_jobs(
    settings: Settings,
    client: Client,
    sessions: async_sessionmaker[AsyncSession],
    stop: asyncio.Event,
    **worker_options: Any,
) -> list[Coroutine[Any, Any, None]]:
    """The worker and its look at the delivery's backlog, to run together until `stop`
    (`qaward worker`, and `qaward up` beside the API); the delivery is woken first, so what
    was left while no worker ran goes out."""
    queue = settings.temporal_task_queue
    delivery = DeliveryConfig.from_settings(settings)
    worker = build_worker(
        client,
        queue,
        sessions,
        delivery=delivery,
        graceful_shutdown_timeout=GRACEFUL_SHUTDOWN,
        **worker_options,
    )
    await start_delivery(client, delivery, queue)
    watch = watch_backlog(client, delivery, queue, Database.of(sessions), stop)
    return [run_worker(worker, stop), watch]


async def serve(settings: Settings, **worker_options: Any) -> None:
    """Run the worker until SIGINT/SIGTERM; `worker_options` go to `temporalio`'s `Worker`
    (the chaos run's killed worker passes ``max_cached_workflows=0``)."""
    stop = asyncio.Event()
    stop_on_signals(stop)
    client = await reach_temporal(settings, for_worker=True)
    engine = create_engine(settings.effective_database_url)
    try:
        jobs = await worker_jobs(settings, client, session_factory(engine), stop, **worker_options)
        log.info("worker 已启动", task_queue=settings.temporal_task_queue)
        await run_together(stop, *jobs)
    finally:
        await engine.dispose()
    log.info("worker 已停止")


def run_worker_command() -> int:
    settings = load_settings()
    configure_logging(settings.log_level, json=settings.log_json)
    check_database(settings)
    check_metrics_port(settings)
    asyncio.run(serve(settings))
    return 0


async def _polls_from_here(settings: Settings) -> bool:
    """Whether a worker in this container polled the task queue recently.

    The SDK's default worker identity is ``pid@hostname`` and every container has its own
    hostname, so this checks this replica, not just any worker of the deployment.
    """
    suffix = f"@{socket.gethostname()}"
    pollers = await recent_pollers(await connect(settings), settings.temporal_task_queue)
    return any(identity.endswith(suffix) for identity in pollers)


def healthcheck() -> int:
    """Container healthcheck: 0 when this replica's worker is polling, else 1."""
    try:
        return 0 if asyncio.run(_polls_from_here(load_settings())) else 1
    except Exception:
        return 1
