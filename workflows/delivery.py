"""`notice-delivery`: the one long-running workflow that e-mails what the outbox holds
(issue #15 item 2), and the daily digest (item 3).

Why a workflow woken by a signal rather than a Temporal schedule: a notice should leave
within seconds of being published, not at the next tick of a schedule; a single workflow
sends one batch at a time, so two runs never send the same row at once; and it needs no
polling — the activities that write notices signal it after their commit
(`activities.delivery.DeliveryWaker`), the worker signals it at start, and it wakes on
its own at the digest hour. It is separate from the cycles: nothing it does (or fails to
do) can hold up or fail a cycle, and its failures stay in the `deliveries` rows.

Each round: prepare today's digests once the hour has come, then route and send batches
until the outbox is drained; then sleep until woken or the next digest hour. It continues
as new every `ROUNDS` rounds, carrying only the digest day.
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RetryPolicy, WorkflowIDConflictPolicy
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from activities.delivery import SEND_ATTEMPTS, DeliveryActivities
    from contracts.delivery import (
        DeliveryIds,
        DeliveryInput,
        DeliveryRef,
        DigestRequest,
        RouteRequest,
    )
    from domain.delivery import digest_day, next_digest_at

ROUNDS = 100
"""Rounds (a wake-up each) before the workflow continues as new."""
DB_TIMEOUT = timedelta(seconds=60)
DB_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=1),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(seconds=60),
    maximum_attempts=10,
)
SEND_TIMEOUT = timedelta(seconds=120)
"""Longer than one SMTP transaction may take (`QAWARD_SMTP_TIMEOUT_SECONDS`, at most 300
s per step is refused by the settings well before)."""
SEND_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=2),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(minutes=2),
    maximum_attempts=SEND_ATTEMPTS,
    non_retryable_error_types=["PermanentRefusal"],
)


def start_options(workflow_id: str, task_queue: str) -> dict[str, Any]:
    """Signal-with-start: wake the running delivery workflow, or start it."""
    return {
        "id": workflow_id,
        "task_queue": task_queue,
        "start_signal": "wake",
        "id_conflict_policy": WorkflowIDConflictPolicy.USE_EXISTING,
    }


@workflow.defn(name="notice-delivery")
class DeliveryWorkflow:
    def __init__(self) -> None:
        self._woken = False

    @workflow.signal(name="wake")
    def wake(self) -> None:
        """New notices were committed (or the office asked for a resend)."""
        self._woken = True

    @workflow.run
    async def run(self, state: DeliveryInput) -> None:
        for _ in range(ROUNDS):
            self._woken = False
            await self._digests(state)
            await self._drain(state.batch)
            if workflow.info().is_continue_as_new_suggested():
                break
            await self._sleep(state)
        workflow.continue_as_new(state)

    async def _digests(self, state: DeliveryInput) -> None:
        if state.digest_hour is None:
            return
        now = workflow.now()
        day = digest_day(now, state.digest_hour)
        if day is None or day == state.last_digest_day:
            return
        await workflow.execute_activity_method(
            DeliveryActivities.prepare_digests,
            DigestRequest(day=day, at=now),
            start_to_close_timeout=DB_TIMEOUT,
            retry_policy=DB_RETRY,
        )
        state.last_digest_day = day

    async def _drain(self, batch: int) -> None:
        while True:
            found: DeliveryIds = await workflow.execute_activity_method(
                DeliveryActivities.route_deliveries,
                RouteRequest(limit=batch),
                start_to_close_timeout=DB_TIMEOUT,
                retry_policy=DB_RETRY,
            )
            await asyncio.gather(*(self._send(i) for i in found.ids))
            if len(found.ids) < batch:
                return

    async def _send(self, delivery_id: int) -> None:
        # A mail that still fails after its retries stays in its row (`sending` or
        # `pending`); the next round picks it up again, up to the row's attempt ceiling.
        with contextlib.suppress(ActivityError):
            await workflow.execute_activity_method(
                DeliveryActivities.send_delivery,
                DeliveryRef(id=delivery_id),
                start_to_close_timeout=SEND_TIMEOUT,
                retry_policy=SEND_RETRY,
            )

    async def _sleep(self, state: DeliveryInput) -> None:
        timeout = None
        if state.digest_hour is not None:
            now = workflow.now()
            timeout = next_digest_at(now, state.digest_hour) - now
        with contextlib.suppress(asyncio.TimeoutError):
            await workflow.wait_condition(lambda: self._woken, timeout=timeout)
