"""Process plumbing the commands share: stopping on signals, running jobs side by side.

`qaward up` (`qaward.stack`), `qaward worker` (`worker.run`) and `qaward api`
(`api.serve`) all use it; it imports none of them, so the imports go one way.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


def stop_on_signals(stop: asyncio.Event) -> None:
    """SIGINT (Ctrl-C) and SIGTERM (``docker stop``) ask for a graceful stop."""
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)


async def run_together(stop: asyncio.Event, *jobs: Coroutine[Any, Any, None]) -> None:
    """Run the jobs to the end; the first one to fail sets ``stop`` for all the others."""

    def stop_on_failure(task: asyncio.Task[None]) -> None:
        if task.cancelled() or task.exception() is not None:
            stop.set()

    tasks = [asyncio.create_task(job) for job in jobs]
    for task in tasks:
        task.add_done_callback(stop_on_failure)
    results = await asyncio.gather(*tasks, return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException):
            raise result


async def unless_stopped(stop: asyncio.Event, job: Coroutine[Any, Any, T]) -> T | None:
    """The job's result, or ``None`` when ``stop`` is set first (Ctrl-C during start-up)."""
    running = asyncio.create_task(job)
    stopping = asyncio.create_task(stop.wait())
    await asyncio.wait({running, stopping}, return_when=asyncio.FIRST_COMPLETED)
    stopping.cancel()
    if running.done():
        return running.result()
    running.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await running
    return None
