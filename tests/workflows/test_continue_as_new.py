"""A cycle with many applications continues as new and keeps its state and timers."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.testing import WorkflowEnvironment

from contracts.commands import ApplyCommand, FindingCommand
from contracts.cycle import CycleInput, CycleStatus
from domain.dates import SHANGHAI
from domain.rules import default_rules
from domain.types import Award
from services.awards import AwardService
from tests.support.organizations import credit_code, register_organizations
from worker.registry import build_worker
from workflows.cycle import AwardCycleWorkflow


async def test_cycle_continues_as_new_and_keeps_applications_and_deadline(
    time_skipping_env: WorkflowEnvironment, sessions: async_sessionmaker[AsyncSession]
) -> None:
    env = time_skipping_env
    task_queue = f"can-{uuid.uuid4()}"
    now = (await env.get_current_time()).astimezone(SHANGHAI)
    deadline = now.date() + timedelta(days=10)
    codes = [credit_code("91331126MA", n) for n in range(1, 31)]
    await register_organizations(sessions, codes, "组织")
    workflow_id = f"cycle-{now.year}-can-{uuid.uuid4().hex[:6]}"
    async with build_worker(env.client, task_queue, sessions):
        started = await env.client.start_workflow(
            AwardCycleWorkflow.run,
            CycleInput(
                year=now.year,
                workflow_id=workflow_id,
                application_deadline=deadline,
                committee_members=9,
                rules=default_rules(),
                history_limit=20,
            ),
            id=workflow_id,
            task_queue=task_queue,
        )
        first_run = started.result_run_id
        handle = env.client.get_workflow_handle(workflow_id)
        # Sent all at once, through the service: those that meet the hand-over to the next
        # run are turned away and sent again, so every one is taken exactly once.
        service = AwardService(env.client, sessions, task_queue)

        async def apply(n: int, code: str) -> None:
            await asyncio.sleep(0.01 * n)  # a stream, not one batch: some meet the hand-over
            cmd = ApplyCommand(
                credit_code=code,
                organization_id=n + 1,
                name=code,
                award=Award.QUALITY,
                industry="services",
            )
            await service._update_on(handle, AwardCycleWorkflow.apply, (cmd,))

        await asyncio.gather(*(apply(n, code) for n, code in enumerate(codes)))
        # The run continues as new at its next workflow task past the limit: at the latest
        # when the deadline fires (the history's length is read as each task starts).
        await env.sleep(timedelta(days=11))
        for _ in range(500):
            description = await handle.describe()
            if description.run_id != first_run:
                break
            await asyncio.sleep(0.02)
        assert description.run_id != first_run, "the cycle should have continued as new"
        status = await handle.query(AwardCycleWorkflow.status)
        assert isinstance(status, CycleStatus)
        assert status.phase == "qualification"
        # The new run still knows every application, and only those.
        for code in (codes[0], codes[-1]):
            _ = await handle.execute_update(
                AwardCycleWorkflow.record_finding, FindingCommand(credit_code=code, passed=True)
            )
        with pytest.raises(WorkflowUpdateFailedError) as refused:
            _ = await handle.execute_update(
                AwardCycleWorkflow.record_finding,
                FindingCommand(credit_code=credit_code("91331126MA", 99), passed=True),
            )
        assert isinstance(refused.value.cause, ApplicationError)
        assert refused.value.cause.type == "not_found"
