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
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client

from contracts.cycle import ApplicationState, CycleInput, CycleState, CycleStatus
from db.models import Cycle, Honor, Notice
from db.session import transaction
from domain.committee import Ballot
from domain.dates import SHANGHAI
from domain.phases import Phase, Stage
from domain.rules import load_rules
from domain.types import Award, Industry
from qaward.temporal import dev_server_path, runtime
from services import registry
from services.awards import AwardService
from services.schemas import OrganizationCreate, ReviewerCreate
from tests.support.codec import CONVERTER
from workflows.cycle import AwardCycleWorkflow

pytestmark = pytest.mark.sqlite_only

ORGS = {
    "91331126MA0000501X": (Award.INNOVATION, Industry.AGRICULTURE),
    "91331126MA00005021": (Award.QUALITY, Industry.MANUFACTURING),
    "91331126MA00005047": (Award.QUALITY, Industry.SERVICES),
}
REVIEWERS = ["R1", "R2", "R3"]


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


async def _register(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with transaction(sessions) as session:
        for code, (_, industry) in ORGS.items():
            await registry.register_organization(
                session,
                OrganizationCreate(
                    credit_code=code,
                    name=f"庆元县{code[-4:]}公司",
                    county="庆元县",
                    registered_on=date(2010, 1, 1),
                    industry=industry,
                    excellence_since=date(2015, 1, 1),
                ),
            )
        for code in REVIEWERS:
            await registry.register_reviewer(
                session,
                ReviewerCreate(code=code, name=f"评审员{code}", industries=list(Industry)),
            )


async def _start_in_qualification(
    client: Client,
    sessions: async_sessionmaker[AsyncSession],
    task_queue: str,
    offset: timedelta,
    now: datetime,
) -> None:
    """A cycle whose intake is over: the state continue-as-new would carry."""
    async with transaction(sessions) as session:
        apps = {}
        for code, (award, industry) in ORGS.items():
            org = await registry.get_organization(session, code)
            apps[code] = ApplicationState(
                credit_code=code,
                organization_id=org.id,
                name=org.name,
                award=award,
                industry=industry.value,
                submitted_at=now - timedelta(days=20),
            )
        rules = load_rules({"publicity": {"days": 1}})
        session.add(
            Cycle(
                year=2030,
                workflow_id="cycle-2030",
                phase="qualification",
                opened_at=now - timedelta(days=40),
                application_deadline=now.date() - timedelta(days=10),
                committee_members=9,
                rules=rules.model_dump(mode="json"),
            )
        )
    await client.start_workflow(
        AwardCycleWorkflow.run,
        CycleInput(
            year=2030,
            workflow_id="cycle-2030",
            application_deadline=now.date() - timedelta(days=10),
            committee_members=9,
            rules=rules,
            clock_offset_seconds=offset.total_seconds(),
            state=CycleState(
                phase=Phase.QUALIFICATION, opened_at=now - timedelta(days=40), applications=apps
            ),
        ),
        id="cycle-2030",
        task_queue=task_queue,
    )


async def _drive_into_publicity(service: AwardService) -> None:
    await service.close_qualification(2030)
    for stage in (Stage.DOCUMENT, Stage.SITE):
        for code in ORGS:
            await service.assign_panel(2030, code, stage, REVIEWERS, "R1")
            for n, reviewer in enumerate(REVIEWERS):
                await service.score(2030, code, stage, reviewer, points=600 + 10 * n)
        if stage == Stage.DOCUMENT:
            await service.shortlist(2030, None, auto=True)
    for code in ORGS:
        await service.confirm_site_report(2030, code)
    for award in Award:
        ballots = {c: Ballot(yes=7, no=0, abstain=0) for c, (a, _) in ORGS.items() if a == award}
        await service.record_vote(2030, award, 7, ballots)


async def _status(client: Client) -> CycleStatus:
    handle = client.get_workflow_handle("cycle-2030")
    status = await handle.query(AwardCycleWorkflow.status)
    assert isinstance(status, CycleStatus)
    return status


async def _count(sessions: async_sessionmaker[AsyncSession], model: type, **where: object) -> int:
    async with sessions() as session:
        query = select(func.count()).select_from(model)
        for column, value in where.items():
            query = query.where(getattr(model, column) == value)
        return int(await session.scalar(query) or 0)


async def test_publicity_closes_on_time_after_worker_and_server_are_killed(
    tmp_path: Path, database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    stack = _Stack(tmp_path, database_url)
    business_start = datetime(2030, 6, 10, 23, 59, 0, tzinfo=SHANGHAI)
    offset = business_start - datetime.now(UTC)
    closes = datetime(2030, 6, 11, 0, 0, 0, tzinfo=SHANGHAI)
    await _register(sessions)

    with _process(stack.server()) as server:
        _wait_port(stack.port)
        with _process(stack.worker(), stack.env) as worker:
            client = await stack.client()
            service = AwardService(client, sessions, stack.task_queue, clock_offset=offset)
            await _start_in_qualification(client, sessions, stack.task_queue, offset, service.now())
            await _drive_into_publicity(service)
            status = await _status(client)
            assert status.phase == "publicity"
            assert status.next_due == closes
            notices_before = await _count(sessions, Notice)
            assert await _count(sessions, Notice, kind="publicity") == 1
            _kill(worker)
        _kill(server)

    assert service.now() < closes, "the test machine was too slow to kill before closing"
    with _process(stack.server()), _process(stack.worker(), stack.env):
        _wait_port(stack.port)
        client = await stack.client()
        service = AwardService(client, sessions, stack.task_queue, clock_offset=offset)
        status = await _status(client)
        assert status.phase == "publicity", "publicity must not close early after a restart"
        while status.phase == "publicity":
            assert service.now() < closes + timedelta(seconds=30), "publicity did not close"
            await asyncio.sleep(0.25)
            status = await _status(client)
        assert status.phase == "approval"
        assert closes <= status.business_now < closes + timedelta(seconds=10)

        winners = await service.approve(2030, [])
        assert sorted(winners) == sorted(ORGS)
        assert await _count(sessions, Honor) == 3
        assert await _count(sessions, Notice, kind="publicity") == 1
        assert await _count(sessions, Notice, kind="award_bulletin") == 1
        # Nothing written twice across the kills: the government was asked once to approve,
        # then one bulletin and one award notice per winner.
        assert await _count(sessions, Notice, kind="approval_due") == 1
        assert await _count(sessions, Notice, kind="awarded") == len(ORGS)
        assert await _count(sessions, Notice) == notices_before + 2 + len(ORGS)
