"""A cycle with many applications continues as new and keeps its state and timers."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.testing import WorkflowEnvironment

from db.session import transaction
from domain.credit_code import check_character
from domain.dates import SHANGHAI
from domain.rules import default_rules
from domain.types import Award, Industry
from services import registry
from services.schemas import OrganizationCreate
from worker.registry import build_worker
from workflows.cycle import AwardCycleWorkflow
from workflows.messages import ApplyCommand, CycleInput, CycleState, CycleStatus


def _code(n: int) -> str:
    body = f"91331126MA{n:07d}"
    return body + check_character(body)


async def test_cycle_continues_as_new_and_keeps_applications_and_deadline(
    time_skipping_env: WorkflowEnvironment, sessions: async_sessionmaker[AsyncSession]
) -> None:
    env = time_skipping_env
    task_queue = f"can-{uuid.uuid4()}"
    now = (await env.get_current_time()).astimezone(SHANGHAI)
    deadline = now.date() + timedelta(days=10)
    codes = [_code(n) for n in range(1, 31)]
    async with transaction(sessions) as session:
        for code in codes:
            await registry.register_organization(
                session,
                OrganizationCreate(
                    credit_code=code,
                    name=f"组织{code[-4:]}",
                    county="庆元县",
                    registered_on=date(2010, 1, 1),
                    industry=Industry.SERVICES,
                    excellence_since=date(2015, 1, 1),
                ),
            )
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
                history_limit=60,
            ),
            id=workflow_id,
            task_queue=task_queue,
        )
        first_run = started.result_run_id
        handle = env.client.get_workflow_handle(workflow_id)
        for n, code in enumerate(codes):
            _ = await handle.execute_update(
                AwardCycleWorkflow.apply,
                ApplyCommand(
                    credit_code=code,
                    organization_id=n + 1,
                    name=code,
                    award=Award.QUALITY,
                    industry="services",
                ),
            )
        # The projection trails the commands; the run continues as new once it is idle.
        for _ in range(500):
            description = await handle.describe()
            if description.run_id != first_run:
                break
            await asyncio.sleep(0.02)
        assert description.run_id != first_run, "the cycle should have continued as new"
        await env.sleep(timedelta(days=11))
        status = await handle.query(AwardCycleWorkflow.status)
        assert isinstance(status, CycleStatus)
        assert status.phase == "qualification"
        state = await handle.query(AwardCycleWorkflow.state)
        assert isinstance(state, CycleState)
        assert sorted(state.applications) == sorted(codes)
