"""`python -m tests.chaos.worker_process`: the worker that the second stage kills.

`qaward worker` (`worker.run`) with one difference: no workflow cache, so no sticky task
queue. The time-skipping test server does not hand a workflow task that waits on a dead
worker's sticky queue back to the shared queue (seen in this run: the delivery workflow's
task stayed scheduled for a skipped year after its cached worker was killed; the test
server does not implement `ResetStickyTaskQueue` either), where the dev server and a
cluster do so within seconds. This worker's tasks are all on the shared queue, so killing
it strands nothing. The other worker of the stage is a plain `qaward worker` (cached,
fast), which the stage does not kill; cached workers are killed in the first stage.
"""

from __future__ import annotations

import asyncio

from qaward.logging import configure_logging
from qaward.preflight import load_settings
from worker.run import serve


async def main() -> None:
    settings = load_settings()
    configure_logging(settings.log_level, json=settings.log_json)
    await serve(settings, max_cached_workflows=0)


if __name__ == "__main__":
    asyncio.run(main())
