"""`CycleInput.defer_writes` (`workflows.writer`): changes wait for `sync`.

The simulator opens its cycles this way (its service does not read its own writes); the
HTTP API does not, and every command returns once its change is written.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import WorkflowHandle
from temporalio.service import RPCError
from temporalio.testing import WorkflowEnvironment

from contracts.cycle import CycleStatus
from db.models import Application, Cycle, Notice, VerificationTask
from domain.dates import SHANGHAI
from domain.types import Award
from services.awards import AwardService
from services.schemas import CycleCreate
from tests.support.organizations import credit_code, register_organizations
from worker.registry import build_worker
from workflows.cycle import AwardCycleWorkflow


@asynccontextmanager
async def _terminated(
    env: WorkflowEnvironment, sessions: async_sessionmaker[AsyncSession]
) -> AsyncIterator[None]:
    """Stop the test's cycle afterwards: on the shared server, with no worker left, its
    timers would hold up time skipping in later tests."""
    try:
        yield
    finally:
        async with sessions() as session:
            ids = list(await session.scalars(select(Cycle.workflow_id)))
        for workflow_id in ids:
            with contextlib.suppress(RPCError):
                await env.client.get_workflow_handle(workflow_id).terminate("test finished")


async def _rows(sessions: async_sessionmaker[AsyncSession], workflow_id: str) -> tuple[str, int]:
    async with sessions() as session:
        cycle = await session.scalar(select(Cycle).where(Cycle.workflow_id == workflow_id))
        assert cycle is not None
        applications = list(
            await session.scalars(select(Application.id).where(Application.cycle_id == cycle.id))
        )
        return cycle.phase, len(applications)


async def _idle(handle: WorkflowHandle[Any, Any]) -> CycleStatus:
    for _ in range(500):
        status = await handle.query(AwardCycleWorkflow.status)
        if status.idle:
            return status
        await asyncio.sleep(0.02)
    raise AssertionError("the cycle never settled")


async def test_changes_wait_for_sync(
    time_skipping_env: WorkflowEnvironment, sessions: async_sessionmaker[AsyncSession]
) -> None:
    env = time_skipping_env
    codes = [credit_code("91331126MD", n) for n in range(1, 4)]
    await register_organizations(sessions, codes, "延迟写入测试")
    task_queue = f"defer-{uuid.uuid4()}"
    service = AwardService(
        env.client,
        sessions,
        task_queue,
        cycle_suffix=f"-defer-{uuid.uuid4().hex[:6]}",
        read_your_writes=False,
    )
    today = (await env.get_current_time()).astimezone(SHANGHAI).date()
    async with build_worker(env.client, task_queue, sessions), _terminated(env, sessions):
        workflow_id = await service.open_cycle(
            CycleCreate(year=today.year, application_deadline=today + timedelta(days=5))
        )
        handle = env.client.get_workflow_handle(workflow_id)
        for code in codes:
            await service.apply(today.year, code, Award.QUALITY)

        # Idle, with the three applications still queued: nothing in flight, nothing due.
        status = await _idle(handle)
        assert status.unwritten
        assert await _rows(sessions, workflow_id) == ("open", 0)

        _ = await handle.execute_update(AwardCycleWorkflow.sync)
        assert not (await handle.query(AwardCycleWorkflow.status)).unwritten
        assert await _rows(sessions, workflow_id) == ("open", 3)
        async with sessions() as session:
            notices = list(await session.scalars(select(Notice.kind)))
        assert notices == ["call_for_applications"]

        # The deadline passes: the cycle's own change waits for the next reader too.
        await env.sleep(timedelta(days=6))
        assert (await _idle(handle)).unwritten
        assert await _rows(sessions, workflow_id) == ("open", 3)
        _ = await handle.execute_update(AwardCycleWorkflow.sync)
        assert await _rows(sessions, workflow_id) == ("qualification", 3)
        async with sessions() as session:
            tasks = list(await session.scalars(select(VerificationTask.id)))
        assert len(tasks) >= 3 * 3  # three departments at least for each application


async def test_the_api_service_writes_each_command_before_it_returns(
    time_skipping_env: WorkflowEnvironment, sessions: async_sessionmaker[AsyncSession]
) -> None:
    env = time_skipping_env
    code = credit_code("91331126MD", 9)
    await register_organizations(sessions, [code], "延迟写入测试")
    task_queue = f"defer-{uuid.uuid4()}"
    service = AwardService(
        env.client, sessions, task_queue, cycle_suffix=f"-api-{uuid.uuid4().hex[:6]}"
    )
    today = (await env.get_current_time()).astimezone(SHANGHAI).date()
    async with build_worker(env.client, task_queue, sessions), _terminated(env, sessions):
        workflow_id = await service.open_cycle(
            CycleCreate(year=today.year, application_deadline=today + timedelta(days=5))
        )
        await service.apply(today.year, code, Award.QUALITY)
        assert await _rows(sessions, workflow_id) == ("open", 1)
