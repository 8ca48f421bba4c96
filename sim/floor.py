"""The engine floor of `qaward bench`: the same Temporal operations on a minimal workflow.

`FloorWorkflow` takes as many updates and signals as the measured cycle did, runs as many
no-op activities (in the background, as the cycle writes its projection) and timers, and
starts one `FloorChildWorkflow` per honor, each with that honor's activities and timers.
It continues as new past the same history limit as the real workflows
(`FloorPlan.history_limit`), and its worker runs workflow code as ours does
(`worker.registry.workflow_runner`). What remains is what the engine itself costs for that
load; the bench reports our wall time as a multiple of it.

Registered only by the bench's own worker (never by `worker.registry`).
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from pydantic import BaseModel, ConfigDict, Field
from temporalio import activity, workflow
from temporalio.common import RetryPolicy
from temporalio.workflow import ParentClosePolicy

FLOOR_TIMEOUT = timedelta(seconds=60)
FLOOR_RETRY = RetryPolicy(maximum_attempts=3)
TIMER_STEP = timedelta(minutes=1)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ChildPlan(_Model):
    workflow_id: str
    activities: int = 0
    timers: int = 0


class FloorPlan(_Model):
    """The load to reproduce, and (across continue-as-new) how much of it is done."""

    history_limit: int = 7_000
    updates: int = 0
    update_argument: int = 0
    """Each update's argument: a string of this length (the measured updates' arguments'
    mean size: a command's argument costs the engine its encoding, the codec and the SDK's
    payload visits, whatever it holds)."""
    signals: int = 0
    activities: int = 0
    timers: int = 0
    children: list[ChildPlan] = Field(default_factory=list)
    updates_done: int = 0
    signals_done: int = 0
    owed: int = 0
    """Activities the updates so far have asked for and the writer has not yet run."""

    def activities_of_update(self, index: int) -> int:
        """The activities spread evenly over the updates (the first ones when there are none)."""
        if not self.updates:
            return self.activities if index == 0 else 0
        done_after = self.activities * (index + 1) // self.updates
        return done_after - self.activities * index // self.updates


@activity.defn(name="bench-floor-noop")
async def noop() -> None:
    return None


async def _noops(count: int) -> None:
    """Local activities, as the workflows' own database work is."""
    for _ in range(count):
        await workflow.execute_local_activity(
            noop, start_to_close_timeout=FLOOR_TIMEOUT, retry_policy=FLOOR_RETRY
        )


async def _timers(count: int) -> None:
    for _ in range(count):
        await workflow.sleep(TIMER_STEP)


@workflow.defn(name="bench-floor")
class FloorWorkflow:
    """Updates that only change state; a writer task runs the activities they owe.

    The same shape as the cycle workflow (its handlers queue, a writer writes), with
    nothing else: no domain logic, no database, and each update's argument a string as long
    as the measured commands' arguments were on average.
    """

    @workflow.init
    def __init__(self, plan: FloorPlan) -> None:
        self._plan = plan
        self._running = False
        self._stopping = False

    @workflow.run
    async def run(self, plan: FloorPlan) -> int:
        p = self._plan
        if not p.updates and not p.updates_done and not p.owed:
            p.owed = p.activities_of_update(0)
        writer = asyncio.create_task(self._writer())
        while p.updates_done < p.updates or p.signals_done < p.signals:
            await workflow.wait_condition(
                lambda: (
                    (p.updates_done >= p.updates and p.signals_done >= p.signals)
                    or self._too_long()
                )
            )
            if self._too_long():
                self._stopping = True
                await workflow.wait_condition(
                    lambda: workflow.all_handlers_finished() and not self._running
                )
                workflow.continue_as_new(p)
        await workflow.wait_condition(lambda: p.owed == 0 and not self._running)
        writer.cancel()
        await _timers(p.timers)
        children = [
            await workflow.start_child_workflow(
                FloorChildWorkflow.run,
                child,
                id=child.workflow_id,
                parent_close_policy=ParentClosePolicy.ABANDON,
            )
            for child in p.children
        ]
        # Waiting here lets the client's wait for this result skip time for the children too.
        for handle in children:
            await handle
        await workflow.wait_condition(workflow.all_handlers_finished)
        return p.updates_done

    async def _writer(self) -> None:
        p = self._plan
        while True:
            await workflow.wait_condition(lambda: p.owed > 0 and not self._stopping)
            self._running = True
            try:
                await _noops(1)
            finally:
                self._running = False
            p.owed -= 1

    def _too_long(self) -> bool:
        return workflow.info().get_current_history_length() > self._plan.history_limit

    @workflow.update(name="bench-floor-step")
    def step(self, argument: str = "") -> int:
        # The client sends one update at a time, so the count done is this update's index.
        self._plan.owed += self._plan.activities_of_update(self._plan.updates_done)
        self._plan.updates_done += 1
        return self._plan.updates_done

    @workflow.signal(name="bench-floor-poke")
    def poke(self) -> None:
        self._plan.signals_done += 1


@workflow.defn(name="bench-floor-child")
class FloorChildWorkflow:
    @workflow.run
    async def run(self, plan: ChildPlan) -> None:
        await _noops(plan.activities)
        await _timers(plan.timers)
