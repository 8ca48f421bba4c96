"""A workflow's timer fires at its due instant, not up to a second after it.

The business clock counts whole seconds; a delay measured from that truncated `now` made
every timer late by the sub-second part of the moment it was set, and timers due together
(honors awarded on one day) fired apart, one after another.
"""

from __future__ import annotations

import contextlib
import math
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.api.enums.v1 import EventType
from temporalio.client import WorkflowExecutionStatus, WorkflowHandle, WorkflowHistory
from temporalio.service import RPCError
from temporalio.testing import WorkflowEnvironment

from contracts.cycle import CycleInput, CycleState
from domain.dates import SHANGHAI, end_of_day
from domain.phases import Phase
from domain.rules import default_rules
from worker.registry import build_worker
from workflows.cycle import AwardCycleWorkflow

T = TypeVar("T")


def _cycle_input(business_now: datetime, **fields: Any) -> CycleInput:
    """A cycle of the test's own (its id unique on the shared test server)."""
    return CycleInput(
        year=business_now.year,
        workflow_id=f"cycle-{business_now.year}-timers-{uuid.uuid4().hex[:6]}",
        committee_members=9,
        rules=default_rules(),
        **fields,
    )


async def _history_of(
    env: WorkflowEnvironment,
    sessions: async_sessionmaker[AsyncSession],
    inp: CycleInput,
    run: Callable[[WorkflowHandle[Any, Any]], Awaitable[T]],
) -> tuple[T, WorkflowHistory]:
    """Start the cycle on a worker of its own, `run` (its result is returned), then stop
    the cycle and return its history too."""
    task_queue = f"timers-{uuid.uuid4()}"
    async with build_worker(env.client, task_queue, sessions):
        handle = await env.client.start_workflow(
            AwardCycleWorkflow.run, inp, id=inp.workflow_id, task_queue=task_queue
        )
        try:
            result = await run(handle)
            history = await handle.fetch_history()
        finally:
            with contextlib.suppress(RPCError):
                await handle.terminate("test finished")
    return result, history


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
    inp = _cycle_input(
        business_now, application_deadline=deadline, clock_offset_seconds=offset.total_seconds()
    )
    _, history = await _history_of(env, sessions, inp, lambda _: env.sleep(timedelta(days=6)))
    due = (end_of_day(deadline) - offset).astimezone(UTC)
    assert any(e.event_type == EventType.EVENT_TYPE_TIMER_FIRED for e in history.events)
    # Where the workflow aimed the timer: its clock (the workflow task's start) plus the
    # delay it asked for. Unlike the fired event's time, this does not depend on how busy
    # the machine was when the server got round to firing it.
    clock = None
    for e in history.events:
        if e.event_type == EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED:
            clock = e.event_time.ToDatetime(tzinfo=UTC)
        if e.event_type == EventType.EVENT_TYPE_TIMER_STARTED:
            break
    assert clock is not None
    delay = e.timer_started_event_attributes.start_to_fire_timeout.ToTimedelta()
    aimed = clock + delay
    assert abs(aimed - due) < timedelta(milliseconds=50), (aimed, due)


async def test_a_timer_due_within_a_second_fires_once_and_is_handled(
    time_skipping_env: WorkflowEnvironment, sessions: async_sessionmaker[AsyncSession]
) -> None:
    """A due instant that is not a whole second (a state carried over continue-as-new may
    hold one): once its timer has fired it is due, not waited for again within the second."""
    env = time_skipping_env
    server_now = await env.get_current_time()
    business_now = server_now.astimezone(SHANGHAI)
    due = business_now + timedelta(days=1, milliseconds=500)
    state = CycleState(
        phase=Phase.ANNOUNCED,
        opened_at=business_now.replace(microsecond=0),
        timers={"next_cycle_due": due},
    )
    inp = _cycle_input(business_now, application_deadline=business_now.date(), state=state)

    async def finish(handle: WorkflowHandle[Any, Any]) -> None:
        # Not `handle.result()`: waiting for a result lets the shared test server skip
        # time, and once the cycle is done it would leap to the next workflow's timeout.
        await env.sleep(timedelta(days=2))
        # An announced cycle completes once its last timer has fired.
        assert (await handle.describe()).status == WorkflowExecutionStatus.COMPLETED

    _, history = await _history_of(env, sessions, inp, finish)
    kinds = [e.event_type for e in history.events]
    assert kinds.count(EventType.EVENT_TYPE_TIMER_STARTED) == 1
    # Waiting again for an instant already passed would spin the workflow task until the
    # SDK's deadlock detector failed it.
    assert EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED not in kinds
