"""``qaward up`` end to end: dev server, /health, clean stop on signals, resume after restart.

The worker and the app are the stand-ins of ``tests/ops/stack_double.py``: these tests check
the stack itself (start-up order, signals, process groups), not the product's workflows.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from temporalio.client import Client, WorkflowExecutionStatus

from qaward.preflight import check_port
from tests.ops.conftest import QAWARD
from tests.ops.sleeper import SleeperWorkflow
from tests.ops.stacks import Stack, dev_server_pids

pytestmark = [
    pytest.mark.sqlite_only,  # the stack brings its own SQLite database; once is enough
    pytest.mark.skipif(sys.platform != "linux", reason="process checks read /proc"),
]


@pytest.fixture
def data_dir(ops_env: dict[str, str]) -> Iterator[Path]:
    path = Path(ops_env["QAWARD_DATA_DIR"])
    yield path
    for pid in dev_server_pids(path):  # only if a test failed half-way
        os.kill(pid, signal.SIGKILL)


async def _wait_until_gone(data_dir: Path, within: float = 15.0) -> list[int]:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while (pids := dev_server_pids(data_dir)) and loop.time() < deadline:
        await asyncio.sleep(0.2)
    return pids


async def test_up_serves_health_stops_on_signals_and_resumes_open_workflows(
    ops_env: dict[str, str], tmp_path: Path, data_dir: Path, stacks: list[Stack]
) -> None:
    api = f"http://127.0.0.1:{ops_env['QAWARD_API_PORT']}"
    temporal = ops_env["QAWARD_TEMPORAL_ADDRESS"]

    first = Stack(ops_env, tmp_path)
    stacks.append(first)
    await first.started()
    async with httpx.AsyncClient(trust_env=False) as http:
        assert (await http.get(f"{api}/health")).status_code == 200
    assert len(dev_server_pids(data_dir)) == 1
    client = await Client.connect(temporal)
    handle = await client.start_workflow(
        SleeperWorkflow.run, id="ops-sleeper", task_queue="quality-award"
    )

    assert await first.stop(signal.SIGTERM) == 0
    assert dev_server_pids(data_dir) == []
    check_port("127.0.0.1", int(temporal.rsplit(":", 1)[1]), "QAWARD_TEMPORAL_ADDRESS")
    check_port("127.0.0.1", int(ops_env["QAWARD_API_PORT"]), "QAWARD_API_PORT")
    assert "Traceback" not in first.text()

    second = Stack(ops_env, tmp_path)
    stacks.append(second)
    await second.started()
    client = await Client.connect(temporal)
    description = await client.get_workflow_handle(handle.id).describe()
    assert description.status == WorkflowExecutionStatus.RUNNING

    assert await second.stop(signal.SIGINT) == 0
    assert dev_server_pids(data_dir) == []
    assert "Traceback" not in second.text()


async def test_dev_server_does_not_outlive_a_killed_qaward(
    ops_env: dict[str, str], tmp_path: Path, data_dir: Path, stacks: list[Stack]
) -> None:
    stack = Stack(ops_env, tmp_path)
    stacks.append(stack)
    await stack.started()
    assert len(dev_server_pids(data_dir)) == 1

    stack.process.kill()  # SIGKILL: no chance to clean up; the kernel must stop the child
    stack.process.wait()

    assert await _wait_until_gone(data_dir) == []


def test_migrate_command_creates_the_database(ops_env: dict[str, str], tmp_path: Path) -> None:
    result = subprocess.run(
        [str(QAWARD), "migrate"], env=ops_env, cwd=tmp_path, capture_output=True, timeout=60
    )

    assert result.returncode == 0, result.stderr
    assert (Path(ops_env["QAWARD_DATA_DIR"]) / "qaward.sqlite3").is_file()
