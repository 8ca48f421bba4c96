"""`qaward bench`'s command latency: one cycle command through the real HTTP API, against the
raw update round trip of the same command, measured side by side on the same server.

The API (`api.app.create_app`) is served for real by uvicorn on 127.0.0.1 (a free port), with
a real worker (`worker.registry.build_worker`) on a fresh time-skipping server and a throwaway
SQLite database, all in this process and event loop, as `qaward up` runs them. The office
signs in, registers one organization, opens a cycle and applies for it; the command timed is
then `POST …/applications/{code}/findings` (a department's finding, repeatable while the
cycle is open: each is appended), sent sequentially over one keep-alive connection as a
prepared request (`sim.loadgen`; httpx prepares the office's setup requests). It is
what the office's page sends: authentication, the audit record, the service's reads, the
`record-finding` update and the projection write it waits for (`read_your_writes`).

The raw round trip is the same `record-finding` update sent straight to the cycle's workflow
by the Temporal client: the HTTP command over it (the target, ≤ 1.3) is what HTTP and the
API add (authentication, the audit entry, FastAPI, uvicorn). Beside them, for information,
`FloorWorkflow`'s no-op update (`sim.floor`) on a worker of its own in the same process: the
raw update over it is the workflow's part (its write). The three alternate, one of each in
turn, so a slow second on a shared machine slows all; each starts with a warm-up that is
not counted.
"""

from __future__ import annotations

import asyncio
import json
import socket
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from pydantic import SecretStr
from temporalio.client import Client
from temporalio.worker import Worker

from api.app import create_app, startup
from contracts.commands import FindingCommand
from db.migrate import upgrade
from db.repositories import cycles
from db.session import Database, create_engine, session_factory
from domain.credit_code import check_character
from domain.dates import SHANGHAI
from qaward.settings import Settings
from sim import loadgen
from sim.floor import FloorPlan, FloorWorkflow, noop
from worker.registry import build_worker, workflow_runner
from workflows.cycle import AwardCycleWorkflow

WARMUP = 20
COMMAND = "POST /cycles/{year}/applications/{code}/findings"
OFFICE = "office"
OFFICE_PASSWORD = "bench-office-password"  # a throwaway database's only account
CREDIT_CODE_PREFIX = "91331126MC"
FINDING = {"passed": True, "note": "基准测试核查", "department": "market_supervision"}


def _free_socket() -> socket.socket:
    """A listening socket on a free port. Made with ``IPPROTO_TCP`` as its protocol: asyncio
    turns Nagle's algorithm off (``TCP_NODELAY``) only on sockets that say so, and with it on
    every response waited about 40 ms for the client's delayed ACK (uvicorn writes a
    response's head and body separately)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


def _credit_code(serial: int) -> str:
    first17 = f"{CREDIT_CODE_PREFIX}{serial:07d}"
    return first17 + check_character(first17)


async def _timed(call: Callable[[], Awaitable[None]]) -> float:
    started = time.perf_counter()
    await call()
    return (time.perf_counter() - started) * 1000


async def _open_cycle_and_apply(http: httpx.AsyncClient, today: date) -> tuple[str, dict[str, str]]:
    """Signed in as the office: one organization, a cycle open for 30 days, its application.
    Returns the finding's path and the office's headers."""

    async def post(path: str, body: dict[str, Any], headers: dict[str, str]) -> httpx.Response:
        response = await http.post(path, json=body, headers=headers)
        if response.status_code >= 300:
            raise RuntimeError(f"POST {path}: {response.status_code} {response.text}")
        return response

    login = await post("/auth/login", {"username": OFFICE, "password": OFFICE_PASSWORD}, {})
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    code = _credit_code(1)
    organization = {
        "credit_code": code,
        "name": "庆元县基准测试延迟有限公司",
        "county": "庆元县",
        "registered_on": "2010-01-01",
        "industry": "manufacturing",
        "industrial": False,
        "excellence_since": "2015-01-01",
    }
    await post("/organizations", organization, headers)
    deadline = today + timedelta(days=30)
    cycle = {
        "year": today.year,
        "application_deadline": deadline.isoformat(),
        "committee_members": 9,
    }
    await post("/cycles", cycle, headers)
    base = f"/cycles/{today.year}/applications"
    await post(base, {"award": "quality", "credit_code": code}, headers)
    return f"{base}/{code}/findings", headers


async def measure_latency(
    client: Client, count: int, warmup: int = WARMUP
) -> tuple[list[float], list[float], list[float]]:
    """`count` HTTP commands, as many direct updates of the same command and as many raw
    updates, alternating, after `warmup` of each: their latencies in milliseconds.

    `client`: a client of a fresh server (a time-skipping one is fine: nothing here waits
    on a timer)."""
    with tempfile.TemporaryDirectory(prefix="qaward-bench-http-") as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'bench.sqlite3'}"
        await asyncio.to_thread(upgrade, url)
        engine = create_engine(url)
        sessions = session_factory(engine)
        settings = Settings(
            environment="test",
            data_dir=Path(tmp) / "data",
            secret_key=SecretStr(uuid.uuid4().hex),
            bootstrap_office_username=OFFICE,
            bootstrap_office_password=SecretStr(OFFICE_PASSWORD),
            log_level="WARNING",
        )
        task_queue = f"bench-http-{uuid.uuid4()}"
        app = create_app(settings=settings, engine=engine, client=client, task_queue=task_queue)
        await startup(app)
        sock = _free_socket()
        port = sock.getsockname()[1]
        server = uvicorn.Server(
            uvicorn.Config(
                app, lifespan="off", log_config=None, log_level="warning", access_log=False
            )
        )
        serving = asyncio.create_task(server.serve(sockets=[sock]))
        raw_queue = f"bench-raw-{uuid.uuid4()}"
        try:
            async with (
                build_worker(client, task_queue, sessions),
                Worker(
                    client,
                    task_queue=raw_queue,
                    workflows=[FloorWorkflow],
                    activities=[noop],
                    workflow_runner=workflow_runner(),
                ),
                httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=60) as http,
            ):
                while not server.started:
                    if serving.done():  # uvicorn gave up (it has logged why)
                        raise RuntimeError("uvicorn did not start")
                    await asyncio.sleep(0.01)
                # The service's clock is the wall clock; the server's has not skipped yet.
                today = datetime.now(SHANGHAI).date()
                path, headers = await _open_cycle_and_apply(http, today)
                raw = await client.start_workflow(
                    FloorWorkflow.run,
                    FloorPlan(updates=count + warmup),
                    id=f"bench-raw-{uuid.uuid4()}",
                    task_queue=raw_queue,
                )
                # The SDK's overloads type an async update handler's result as a coroutine.
                step: Any = FloorWorkflow.step

                # The timed command is a prepared request on one keep-alive connection of
                # its own (`sim.loadgen`): httpx, in this process and loop, spent about as
                # long building and parsing it as the API took to serve it, which a browser
                # elsewhere does not charge the server.
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                request = loadgen.request_bytes(
                    "127.0.0.1",
                    port,
                    path,
                    headers | {"Content-Type": "application/json"},
                    method="POST",
                    body=json.dumps(FINDING).encode(),
                )

                async def command() -> None:
                    writer.write(request)
                    status, _, body = await loadgen.read_answer(reader)
                    if status != 201:
                        raise RuntimeError(f"finding: {status} {body.decode(errors='replace')}")

                async def update() -> None:
                    await raw.execute_update(step)

                cycle = await Database.of(sessions).run(cycles.latest_workflow, today.year)
                assert cycle is not None
                finding = FindingCommand(credit_code=path.split("/")[-2], **FINDING)
                own = client.get_workflow_handle(cycle[0])
                record: Any = AwardCycleWorkflow.record_finding

                async def direct() -> None:
                    await own.execute_update(record, finding)

                http_ms: list[float] = []
                direct_ms: list[float] = []
                raw_ms: list[float] = []
                for n in range(warmup + count):
                    took = [await _timed(command), await _timed(direct), await _timed(update)]
                    if n >= warmup:
                        http_ms.append(took[0])
                        direct_ms.append(took[1])
                        raw_ms.append(took[2])
                await raw.result()
                writer.close()
        finally:
            server.should_exit = True
            await serving
            await engine.dispose()
    return http_ms, direct_ms, raw_ms
