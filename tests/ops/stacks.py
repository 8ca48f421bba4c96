"""``qaward up`` as a child process of a test, its output in a file (tests/ops).

`LAUNCH` runs the stack with the stand-ins of ``tests/ops/stack_double.py``;
`PRODUCT` runs the real worker and app.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine
from temporalio.client import Client

from db.models import Honor, Notice
from db.session import create_engine, session_factory
from domain.dates import SHANGHAI
from qaward.temporal import runtime
from services.awards import AwardService
from tests.support.codec import CONVERTER
from tests.support.durable_cycle import (
    cycle_status,
    drive_into_publicity,
    register,
    start_in_qualification,
)

LAUNCH = (
    "import sys\n"
    "from tests.ops import stack_double\n"
    "sys.modules['worker.registry'] = sys.modules['api.app'] = stack_double\n"
    "from qaward.cli import main\n"
    "sys.exit(main(['up']))\n"
)
QAWARD = Path(sys.executable).parent / "qaward"
PRODUCT_STACK = [
    pytest.mark.sqlite_only,  # the embedded stack is SQLite by definition
    pytest.mark.skipif(sys.platform != "linux", reason="the stack tests read /proc"),
]
"""The marks of a test module that runs the real product's ``qaward up``."""
PRODUCT = "import sys\nfrom qaward.cli import main\nsys.exit(main(['up']))\n"
STARTED = "服务已启动"


def dev_server_pids(data_dir: Path) -> list[int]:
    """Live (not zombie) processes started with this test's Temporal database file."""
    marker = str(data_dir.resolve() / "temporal.sqlite3").encode()
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if marker in cmdline and state != "Z":
            pids.append(int(entry.name))
    return pids


class Stack:
    """One ``qaward up`` child process, its output in a file."""

    def __init__(self, env: dict[str, str], cwd: Path, launch: str = LAUNCH) -> None:
        self.output = cwd / f"stack-{len(list(cwd.glob('stack-*.log')))}.log"
        with self.output.open("wb") as sink:
            self.process = subprocess.Popen(
                [sys.executable, "-c", launch],
                env=env,
                cwd=cwd,
                stdout=sink,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def text(self) -> str:
        return self.output.read_text(errors="replace")

    async def started(self, within: float = 90.0) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while STARTED not in self.text():
            assert self.process.poll() is None, f"qaward up exited early:\n{self.text()}"
            assert loop.time() < deadline, f"qaward up did not start:\n{self.text()}"
            await asyncio.sleep(0.2)

    async def stop(self, signum: int, within: float = 30.0) -> int:
        self.process.send_signal(signum)
        return await asyncio.to_thread(self.process.wait, within)

    def kill(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


QUEUE = "quality-award"
CLOSES = datetime(2030, 6, 11, 0, 0, 0, tzinfo=SHANGHAI)


def _qaward(env: dict[str, str], cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(QAWARD), *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=120
    )


def run_qaward(env: dict[str, str], cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """A one-shot ``qaward`` command (migrate, backup, restore) as the operator runs it."""
    return subprocess.run(
        [str(QAWARD), *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=120
    )


class StackView:
    """The test's own view of a running stack: its database and a client with the codec."""

    def __init__(self, env: dict[str, str], offset: timedelta) -> None:
        data = Path(env["QAWARD_DATA_DIR"]).resolve()
        self.engine: AsyncEngine = create_engine(f"sqlite+aiosqlite:///{data / 'qaward.sqlite3'}")
        self.sessions = session_factory(self.engine)
        self.address = env["QAWARD_TEMPORAL_ADDRESS"]
        self.offset = offset

    async def service(self) -> AwardService:
        client = await Client.connect(self.address, data_converter=CONVERTER, runtime=runtime())
        self.client = client
        return AwardService(client, self.sessions, QUEUE, clock_offset=self.offset)

    async def until_approval(self, service: AwardService) -> None:
        while (await cycle_status(self.client)).phase == "publicity":
            assert service.now() < CLOSES + timedelta(seconds=60), "publicity did not close"
            await asyncio.sleep(0.25)
        assert (await cycle_status(self.client)).phase == "approval"

    async def outcome(self) -> dict[str, object]:
        async with self.sessions() as session:
            honors = sorted(
                (h.workflow_id or "", h.award, h.bonus_cny, str(h.valid_until), str(h.awarded_on))
                for h in await session.scalars(select(Honor))
            )
            notices = sorted(n for n in await session.scalars(select(Notice.kind)))
        return {"honors": honors, "notices": notices}


async def stack_in_publicity(
    env: dict[str, str], cwd: Path, stacks: list[Stack]
) -> tuple[Stack, StackView, AwardService]:
    """``qaward up`` (the product) with the test cycle in publicity, which closes at
    `CLOSES`, about a minute of real time after this starts."""
    offset = datetime(2030, 6, 10, 23, 59, 0, tzinfo=SHANGHAI) - datetime.now(UTC)
    stack = Stack(env, cwd, PRODUCT)
    stacks.append(stack)
    await stack.started()
    view = StackView(env, offset)
    service = await view.service()
    await register(view.sessions)
    await start_in_qualification(view.client, view.sessions, QUEUE, offset, service.now())
    await drive_into_publicity(service)
    return stack, view, service
