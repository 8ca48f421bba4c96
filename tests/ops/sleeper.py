"""A workflow that only waits: proof that open workflows survive a restart of ``qaward up``."""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow


@workflow.defn(name="ops-test-sleeper")
class SleeperWorkflow:
    @workflow.run
    async def run(self) -> None:
        await workflow.sleep(timedelta(days=1))
