"""Stand-ins for ``worker.registry`` and ``api.app``, used only by ``tests/ops/test_stack.py``.

The stack test runs the real ``qaward up`` (dev server, migrations, signals, shutdown) with
these in place of the product's worker and app, so it checks the stack's own behaviour.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client
from temporalio.worker import Worker

from tests.ops.sleeper import SleeperWorkflow


def build_worker(
    client: Client,
    task_queue: str,
    sessions: async_sessionmaker[AsyncSession],
    *,
    delivery: object = None,
    **options: Any,
) -> Worker:
    """`delivery` is None in these tests (no SMTP relay), as the product's accepts it."""
    return Worker(client, task_queue=task_queue, workflows=[SleeperWorkflow], **options)


def create_app() -> FastAPI:
    app = FastAPI()

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    return app
