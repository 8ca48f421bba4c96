"""A write that fails for good raises the office's attention and waits for `resume`
(`workflows.base.TimedWorkflow.call`); a command meanwhile returns without its write, and
what it answers must still be true. The recommended shortlist is read back from the rows
the write produced — absent then — so the service asks the cycle instead."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.testing import WorkflowEnvironment

from contracts.cycle import ApplicationState, CycleState, StageState
from contracts.honor import FraudCommand, HonorGrant, HonorInput
from domain.phases import Phase
from domain.rules import default_rules
from domain.scoring import recommend_shortlist, shortlist_order
from domain.types import Award
from qaward import temporal
from services.awards import AwardService
from tests.support.codec import CONVERTER
from tests.workflows.mock_activities import Recorder, mock_worker
from tests.workflows.test_concurrency import application, business_now, start
from workflows.cycle import AwardCycleWorkflow
from workflows.honor import HonorWorkflow


@pytest.fixture
async def env() -> AsyncIterator[WorkflowEnvironment]:
    env = await WorkflowEnvironment.start_time_skipping(
        data_converter=CONVERTER,
        test_server_existing_path=str(temporal.test_server_path()),
        runtime=temporal.runtime(),
    )
    yield env
    await env.shutdown()


async def test_a_recommended_shortlist_whose_write_is_stuck_is_answered_by_the_cycle(
    env: WorkflowEnvironment, sessions: async_sessionmaker[AsyncSession]
) -> None:
    recorder = Recorder()
    task_queue = f"stuck-{uuid.uuid4()}"
    async with mock_worker(env.client, task_queue, recorder):
        now = await business_now(env)
        panel = ["R1", "R2", "R3"]

        def scored(code: str, award: Award, score: float) -> ApplicationState:
            sheet = StageState(members=panel, leader="R1", scores=dict.fromkeys(panel, score))
            return application(
                code, award=award, eligible=True, document=sheet, document_score=score
            )

        ranked = [
            ("I1", Award.INNOVATION, 760.0),
            ("Q3", Award.QUALITY, 500.0),
            ("Q1", Award.QUALITY, 820.0),
            ("Q2", Award.QUALITY, 780.0),
        ]
        expected = shortlist_order(
            (code, award, score)
            for code, award, score in ranked
            if code in recommend_shortlist(ranked, default_rules())
        )
        assert len(expected) >= 2  # a list worth ordering
        state = CycleState(
            phase=Phase.DOCUMENT_REVIEW,
            opened_at=now - timedelta(days=60),
            applications={code: scored(code, award, s) for code, award, s in ranked},
        )
        handle = await start(env, task_queue, state)
        service = AwardService(env.client, sessions, task_queue)
        service._cycle_ids[2025] = handle.id  # no cycle row: this test has no database cycle

        recorder.fail_cycle_writes = True
        codes = await asyncio.wait_for(service.shortlist(2025, None, auto=True), 20)

        status = await handle.query(AwardCycleWorkflow.status)
        assert status.attention is not None  # stuck: the office is asked to resume
        assert status.phase == Phase.SITE_REVIEW.value
        assert recorder.applications(handle.id) == {}  # nothing of it reached the rows
        assert codes == expected  # not the empty list the missing rows would have given

        # The office resumes once the database is back: the write lands, nothing lost.
        recorder.fail_cycle_writes = False
        await service.resume_cycle(2025)
        for _ in range(200):
            if (await handle.query(AwardCycleWorkflow.status)).idle:
                break
            await asyncio.sleep(0.02)
        status = await handle.query(AwardCycleWorkflow.status)
        assert status.attention is None
        assert status.idle
        written = recorder.applications(handle.id)
        assert sorted(c for c, a in written.items() if a.shortlisted) == sorted(expected)
        assert recorder.last(handle.id).phase == Phase.SITE_REVIEW
        await handle.terminate("test finished")


async def test_an_honor_command_whose_write_is_stuck_completes_once_the_office_resumes(
    env: WorkflowEnvironment,
) -> None:
    """An honor's command writes before it answers: with its write stuck it waits, the
    honor shows the attention, and the office's `resume` lets the write land."""
    recorder = Recorder()
    task_queue = f"stuck-honor-{uuid.uuid4()}"
    async with mock_worker(env.client, task_queue, recorder):
        today = (await business_now(env)).date()
        workflow_id = f"honor-stuck-{uuid.uuid4().hex[:8]}"
        grant = HonorGrant(
            credit_code="91331126MA0000001H",
            organization_id=1,
            award=Award.QUALITY,
            year=today.year,
            awarded_on=today,
            bonus_cny=200_000,
            takes_quota_place=True,
            valid_until=today + timedelta(days=5 * 365),
            revocation_window_closes=today + timedelta(days=2 * 365),
            reapply_from=today + timedelta(days=4 * 365),
            workflow_id=workflow_id,
        )
        handle = await env.client.start_workflow(
            HonorWorkflow.run,
            HonorInput(workflow_id=workflow_id, grant=grant, name="甲", rules=default_rules()),
            id=workflow_id,
            task_queue=task_queue,
        )
        recorder.fail_honor_writes = True
        report = asyncio.create_task(
            handle.execute_update(HonorWorkflow.report_fraud, FraudCommand(note="虚报数据"))
        )
        for _ in range(200):
            if (await handle.query(HonorWorkflow.status)).attention is not None:
                break
            await asyncio.sleep(0.02)
        assert (await handle.query(HonorWorkflow.status)).attention is not None
        assert not report.done()
        assert recorder.honors == []

        recorder.fail_honor_writes = False
        await handle.execute_update("resume")
        _ = await asyncio.wait_for(report, 10)  # its answer (typed by the SDK as a coroutine)
        assert (await handle.query(HonorWorkflow.status)).attention is None
        assert [p.pending_revocation for p in recorder.honors] == ["fraud"]
        await handle.terminate("test finished")
