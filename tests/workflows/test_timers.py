"""A workflow's timer fires at its due instant, not up to a second after it.

The business clock counts whole seconds; a delay measured from that truncated `now` made
every timer late by the sub-second part of the moment it was set, and timers due together
(honors awarded on one day) fired apart, one after another.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import uuid
from datetime import UTC, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.api.enums.v1 import EventType
from temporalio.service import RPCError
from temporalio.testing import WorkflowEnvironment

from domain.dates import SHANGHAI, end_of_day
from domain.rules import default_rules
from worker.registry import build_worker
from workflows.cycle import AwardCycleWorkflow
from workflows.messages import CycleInput, CycleState, Phase


async def test_the_deadline_fires_at_its_instant_whatever_the_sub_second_of_now(
    time_skipping_env: WorkflowEnvironment, sessions: async_sessionmaker[AsyncSession]
) -> None:
    env = time_skipping_env
    server_now = await env.get_current_time()
    # A business clock half a second past a whole second: a delay counted from the
    # truncated `now` would fire the deadline about 0.5 s late.
    whole = math.ceil(server_now.timestamp()) + 0.5
    offset = timedelta(days=3, seconds=whole - server_now.timestamp())
    business_now = (server_now + offset).astimezone(SHANGHAI)
    deadline = business_now.date() + timedelta(days=5)
    workflow_id = f"cycle-{business_now.year}-timer-{uuid.uuid4().hex[:6]}"
    task_queue = f"timers-{uuid.uuid4()}"
    async with build_worker(env.client, task_queue, sessions):
        handle = await env.client.start_workflow(
            AwardCycleWorkflow.run,
            CycleInput(
                year=business_now.year,
                workflow_id=workflow_id,
                application_deadline=deadline,
                committee_members=9,
                rules=default_rules(),
                clock_offset_seconds=offset.total_seconds(),
            ),
            id=workflow_id,
            task_queue=task_queue,
        )
        try:
            await env.sleep(timedelta(days=6))
            history = await handle.fetch_history()
        finally:
            with contextlib.suppress(RPCError):
                await handle.terminate("test finished")
    fired = [
        e.event_time.ToDatetime(tzinfo=UTC)
        for e in history.events
        if e.event_type == EventType.EVENT_TYPE_TIMER_FIRED
    ]
    due = (end_of_day(deadline) - offset).astimezone(UTC)
    assert fired, "the deadline timer should have fired"
    late = fired[0] - due
    assert timedelta(0) <= late < timedelta(milliseconds=200), (fired[0], due)


async def test_a_timer_due_within_a_second_fires_once_and_is_handled(
    time_skipping_env: WorkflowEnvironment, sessions: async_sessionmaker[AsyncSession]
) -> None:
    """A due instant that is not a whole second (a state carried over continue-as-new may
    hold one): once its timer has fired it is due, not waited for again within the second."""
    env = time_skipping_env
    server_now = await env.get_current_time()
    business_now = server_now.astimezone(SHANGHAI)
    due = business_now + timedelta(days=1, milliseconds=500)
    workflow_id = f"cycle-{business_now.year}-fraction-{uuid.uuid4().hex[:6]}"
    task_queue = f"timers-{uuid.uuid4()}"
    state = CycleState(
        phase=Phase.ANNOUNCED,
        opened_at=business_now.replace(microsecond=0),
        timers={"next_cycle_due": due},
    )
    async with build_worker(env.client, task_queue, sessions):
        handle = await env.client.start_workflow(
            AwardCycleWorkflow.run,
            CycleInput(
                year=business_now.year,
                workflow_id=workflow_id,
                application_deadline=business_now.date(),
                committee_members=9,
                rules=default_rules(),
                state=state,
            ),
            id=workflow_id,
            task_queue=task_queue,
        )
        try:
            final = await asyncio.wait_for(handle.result(), timeout=30)
            history = await handle.fetch_history()
        finally:
            with contextlib.suppress(RPCError):
                await handle.terminate("test finished")
    assert isinstance(final, CycleState)
    assert final.timers == {}
    kinds = [e.event_type for e in history.events]
    assert kinds.count(EventType.EVENT_TYPE_TIMER_STARTED) == 1
    # Waiting again for an instant already passed would spin the workflow task until the
    # SDK's deadlock detector failed it.
    assert EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED not in kinds
