"""Upgrade in place (issue #17, item 4): stop, migrate, start a new worker build, carry on.

``qaward up`` runs a cycle to its honors; the stack stops; ``qaward migrate`` runs; the
honors' recorded histories replay on the new build (`tests/ops/upgraded_build.py`: a
change to the honor workflow's commands behind `workflow.patched`; without the guard they
do not); ``qaward up`` starts with that build, and the honors awarded before carry on (they
answer, take a fraud report, keep their timers) while a honor started now runs the new code.
"""

from __future__ import annotations

import signal
from datetime import date
from pathlib import Path

from sqlalchemy import select
from temporalio.client import WorkflowExecutionStatus, WorkflowHistory
from temporalio.worker import Replayer

from contracts.honor import HonorState
from db.models import Honor
from domain.types import Award
from services.schemas import HistoricalHonorCreate
from tests.ops.stacks import PRODUCT_STACK, Stack, run_qaward, stack_in_publicity
from tests.ops.upgraded_build import (
    BUILD,
    LAUNCH,
    UnguardedHonorWorkflow,
    UpgradedHonorWorkflow,
)
from tests.support.codec import CONVERTER
from tests.support.durable_cycle import ORGS
from workflows.cycle import AwardCycleWorkflow
from workflows.honor import HonorWorkflow

pytestmark = PRODUCT_STACK


async def _replays(workflow: type, histories: list[WorkflowHistory]) -> list[bool]:
    replayer = Replayer(workflows=[AwardCycleWorkflow, workflow], data_converter=CONVERTER)
    results = [await replayer.replay_workflow(h, raise_on_replay_failure=False) for h in histories]
    return [r.replay_failure is None for r in results]


async def test_honors_carry_on_after_a_migration_and_a_new_worker_build(
    ops_env: dict[str, str], tmp_path: Path, stacks: list[Stack]
) -> None:
    env = {**ops_env, "QAWARD_ENVIRONMENT": "test"}
    old, view, service = await stack_in_publicity(env, tmp_path, stacks)
    await view.until_approval(service)
    assert sorted(await service.approve(2030, [])) == sorted(ORGS)
    async with view.sessions() as session:
        honor_ids = sorted(i for i in await session.scalars(select(Honor.workflow_id)) if i)
    assert len(honor_ids) == len(ORGS)
    recorded = [await view.client.get_workflow_handle(i).fetch_history() for i in honor_ids]
    assert await old.stop(signal.SIGTERM) == 0

    migrated = run_qaward(env, tmp_path, "migrate")
    assert migrated.returncode == 0, migrated.stderr
    assert await _replays(UpgradedHonorWorkflow, recorded) == [True] * len(ORGS)
    # Without the guard the same change breaks honors already running (those with a timer
    # after their first task: a history that ends at its first task has nothing to differ).
    assert False in await _replays(UnguardedHonorWorkflow, recorded)

    new = Stack(env, tmp_path, LAUNCH)
    stacks.append(new)
    await new.started()
    service = await view.service()
    for workflow_id in honor_ids:
        handle = view.client.get_workflow_handle(workflow_id)
        state = await handle.query(HonorWorkflow.state)  # a full replay on the new build
        assert isinstance(state, HonorState)
        description = await handle.describe()
        assert description.status == WorkflowExecutionStatus.RUNNING
        assert await description.memo() == {}  # started on the old build: no new step
    code = next(iter(ORGS))
    award = ORGS[code][0]
    await service.report_fraud(code, award, 2030, "升级后受理的举报")  # §6(2), a new task
    async with view.sessions() as session:
        reported = await session.scalar(
            select(Honor.pending_revocation).where(Honor.workflow_id.contains(code))
        )
    assert reported is not None

    started = await service.register_historical_honor(
        HistoricalHonorCreate(
            credit_code=code, award=Award.INNOVATION, year=2022, awarded_on=date(2022, 12, 1)
        )
    )
    fresh = view.client.get_workflow_handle(started)
    await fresh.query(HonorWorkflow.state)  # answered after its first task has run
    assert await (await fresh.describe()).memo() == BUILD  # new honors run the new code
    assert await new.stop(signal.SIGTERM) == 0
    await view.engine.dispose()
