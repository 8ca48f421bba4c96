"""What a local activity adds to an update's round trip, on the engine alone
(`python -m sim.bench_local_activity 100`).

An HTTP cycle command returns once its own write is in the database, and the write is a
local activity in the same workflow task as the update's answer (`workflows.writer`). So
its floor is not a no-op update but a no-op update that awaits one no-op local activity:
the engine's own cost of "answer after a write", before any SQL. This measures the two side
by side on one worker and a fresh time-skipping server (and a third that also hops to a
worker thread, as `db.session.Database` does on SQLite), alternating, after a warm-up.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
import uuid
from datetime import timedelta

from temporalio import activity, workflow
from temporalio.client import Client
from temporalio.worker import Worker

KINDS = ("raw", "local_activity", "local_activity_thread")


@activity.defn(name="bench-la-noop")
async def noop() -> None:
    return None


@activity.defn(name="bench-la-thread")
async def in_thread() -> None:
    await asyncio.to_thread(lambda: None)


@workflow.defn(name="bench-local-activity")
class LocalActivityWorkflow:
    def __init__(self) -> None:
        self._done = False

    @workflow.run
    async def run(self) -> None:
        await workflow.wait_condition(lambda: self._done)

    @workflow.update(name="raw")
    async def raw(self) -> None:
        return None

    @workflow.update(name="local_activity")
    async def local_activity(self) -> None:
        await workflow.execute_local_activity(noop, start_to_close_timeout=timedelta(seconds=30))

    @workflow.update(name="local_activity_thread")
    async def local_activity_thread(self) -> None:
        await workflow.execute_local_activity(
            in_thread, start_to_close_timeout=timedelta(seconds=30)
        )

    @workflow.update(name="stop")
    async def stop(self) -> None:
        self._done = True


async def measure(client: Client, count: int, warmup: int = 20) -> dict[str, list[float]]:
    """`count` round trips of each kind (milliseconds), alternating, after `warmup` each."""
    # Imported here: the sandbox imports this module again for each run of the workflow.
    from worker.registry import workflow_runner

    queue = f"bench-la-{uuid.uuid4()}"
    found: dict[str, list[float]] = {kind: [] for kind in KINDS}
    async with Worker(
        client,
        task_queue=queue,
        workflows=[LocalActivityWorkflow],
        activities=[noop, in_thread],
        workflow_runner=workflow_runner(),
    ):
        handle = await client.start_workflow(LocalActivityWorkflow.run, id=queue, task_queue=queue)
        for n in range(warmup + count):
            for kind in KINDS:
                started = time.perf_counter()
                await handle.execute_update(kind)
                if n >= warmup:
                    found[kind].append((time.perf_counter() - started) * 1000)
        await handle.execute_update("stop")
        await handle.result()
    return found


def main() -> None:  # pragma: no cover - a measuring tool, tested through `measure`
    from sim.bench import _time_skipping_server

    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100

    async def run() -> dict[str, list[float]]:
        env = await _time_skipping_server()
        async with env:
            return await measure(env.client, count)

    for kind, took in asyncio.run(run()).items():
        p95 = sorted(took)[max(0, int(len(took) * 0.95) - 1)]
        print(f"{kind}: p50 {statistics.median(took):.1f} ms, p95 {p95:.1f} ms")


if __name__ == "__main__":  # pragma: no cover
    main()
