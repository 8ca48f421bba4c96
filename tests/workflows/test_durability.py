"""Durability on the dev server with its SQLite file (issue #4, item 8).

A cycle is driven into publicity; the worker and the Temporal server are then SIGKILLed
and started again. Publicity must still close at 24:00 of its last day (to the second,
within polling slack), and nothing may be duplicated (notices, honors) or lost.

The business clock is set just before midnight so that the 1-day publicity window
(`publicity.days: 1`) closes within a minute of real time. The intake phase is skipped by
starting the workflow from a continue-as-new state that holds the applications; every
later step goes through `services/` as the office would.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client

from db.models import Honor, Notice
from domain.dates import SHANGHAI
from qaward.temporal import dev_server_path, runtime
from services.awards import AwardService
from tests.support.codec import CONVERTER
from tests.support.durable_cycle import (
    ORGS,
    count,
    cycle_status,
    drive_into_publicity,
    register,
    start_in_qualification,
)

pytestmark = pytest.mark.sqlite_only


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_port(port: int, seconds: float = 30) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise TimeoutError(f"nothing listens on {port}")


@contextmanager
def _process(
    command: list[str], env: dict[str, str] | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    process = subprocess.Popen(
        command,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        yield process
    finally:
        _kill(process)


def _kill(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


class _Stack:
    def __init__(self, tmp: Path, database_url: str) -> None:
        self.port = _free_port()
        self.ui_port = _free_port()
        self.db_file = tmp / "temporal.sqlite3"
        self.task_queue = f"durable-{uuid.uuid4()}"
        self.env = {
            **os.environ,
            "QAWARD_TEMPORAL_ADDRESS": f"127.0.0.1:{self.port}",
            "QAWARD_DATABASE_URL": database_url,
            "QAWARD_TEMPORAL_TASK_QUEUE": self.task_queue,
            "QAWARD_DATA_DIR": str(tmp),
            "QAWARD_ENVIRONMENT": "test",
            "QAWARD_METRICS_PORT": "0",  # a second worker of the machine must not collide
        }

    def server(self) -> list[str]:
        return [
            str(dev_server_path()),
            "server",
            "start-dev",
            "--headless",
            "--db-filename",
            str(self.db_file),
            "--ip",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--ui-port",
            str(self.ui_port),
            "--log-level",
            "error",
        ]

    def worker(self) -> list[str]:
        return [str(Path(sys.executable).parent / "qaward"), "worker"]

    async def client(self) -> Client:
        return await Client.connect(
            f"127.0.0.1:{self.port}", data_converter=CONVERTER, runtime=runtime()
        )


async def test_publicity_closes_on_time_after_worker_and_server_are_killed(
    tmp_path: Path, database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    stack = _Stack(tmp_path, database_url)
    business_start = datetime(2030, 6, 10, 23, 59, 0, tzinfo=SHANGHAI)
    offset = business_start - datetime.now(UTC)
    closes = datetime(2030, 6, 11, 0, 0, 0, tzinfo=SHANGHAI)
    await register(sessions)

    with _process(stack.server()) as server:
        _wait_port(stack.port)
        with _process(stack.worker(), stack.env) as worker:
            client = await stack.client()
            service = AwardService(client, sessions, stack.task_queue, clock_offset=offset)
            await start_in_qualification(client, sessions, stack.task_queue, offset, service.now())
            await drive_into_publicity(service)
            status = await cycle_status(client)
            assert status.phase == "publicity"
            assert status.next_due == closes
            notices_before = await count(sessions, Notice)
            assert await count(sessions, Notice, kind="publicity") == 1
            _kill(worker)
        _kill(server)

    assert service.now() < closes, "the test machine was too slow to kill before closing"
    with _process(stack.server()), _process(stack.worker(), stack.env):
        _wait_port(stack.port)
        client = await stack.client()
        service = AwardService(client, sessions, stack.task_queue, clock_offset=offset)
        status = await cycle_status(client)
        assert status.phase == "publicity", "publicity must not close early after a restart"
        while status.phase == "publicity":
            assert service.now() < closes + timedelta(seconds=30), "publicity did not close"
            await asyncio.sleep(0.25)
            status = await cycle_status(client)
        assert status.phase == "approval"
        assert closes <= status.business_now < closes + timedelta(seconds=10)

        winners = await service.approve(2030, [])
        assert sorted(winners) == sorted(ORGS)
        assert await count(sessions, Honor) == 3
        assert await count(sessions, Notice, kind="publicity") == 1
        assert await count(sessions, Notice, kind="award_bulletin") == 1
        # Nothing written twice across the kills: the government was asked once to approve,
        # then one bulletin and one award notice per winner
        assert await count(sessions, Notice, kind="approval_due") == 1
        assert await count(sessions, Notice, kind="awarded") == len(ORGS)
        # and each applicant's feedback report after the cycle (§4(2)), once
        assert await count(sessions, Notice, kind="feedback_report") == len(ORGS)
        assert await count(sessions, Notice) == notices_before + 2 + 2 * len(ORGS)
