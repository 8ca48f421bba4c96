"""Backup and restore of the embedded stack (issue #17, item 3), on the real product.

``qaward up`` runs a cycle into publicity; ``qaward backup`` copies it while it runs; the
original goes on to approval and honors. The backup is restored into a fresh data folder
(refused while the stack runs, or when a file does not match its digest), a new
``qaward up`` starts on it, publicity's timer fires there, and the approval gives the same
winners, honors and notices as the original.
"""

from __future__ import annotations

import json
import shutil
import signal
from pathlib import Path

import httpx

from tests.ops.stacks import (
    CLOSES,
    PRODUCT,
    PRODUCT_STACK,
    QUEUE,
    Stack,
    StackView,
    run_qaward,
    stack_in_publicity,
)
from tests.support.durable_cycle import ORGS

pytestmark = PRODUCT_STACK


async def test_a_backup_taken_mid_cycle_restores_and_the_cycle_finishes_the_same(
    ops_env: dict[str, str], tmp_path: Path, stacks: list[Stack]
) -> None:
    env = {**ops_env, "QAWARD_ENVIRONMENT": "test"}
    first, original, service = await stack_in_publicity(env, tmp_path, stacks)

    backup = tmp_path / "backup"
    taken = run_qaward(env, tmp_path, "backup", str(backup))
    assert taken.returncode == 0, taken.stderr
    assert service.now() < CLOSES, "the backup must catch publicity open, its timer pending"
    files = json.loads((backup / "manifest.json").read_text())["files"]
    assert {"temporal.sqlite3", "qaward.sqlite3"} <= set(files)
    assert all(len(f["sha256"]) == 64 for f in files.values())
    refused = run_qaward(env, tmp_path, "restore", str(backup))
    assert refused.returncode == 2
    assert refused.stderr.strip().splitlines() == [
        f"错误：数据目录 {Path(env['QAWARD_DATA_DIR']).resolve()} 正被运行中的 qaward up 使用，"
        "请先停止服务再恢复 / error: a running qaward up uses the data folder "
        f"{Path(env['QAWARD_DATA_DIR']).resolve()}; stop it before restoring"
    ]

    await original.until_approval(service)
    assert sorted(await service.approve(2030, [])) == sorted(ORGS)
    expected = await original.outcome()
    assert len(expected["honors"]) == len(ORGS)  # type: ignore[arg-type]
    assert await first.stop(signal.SIGTERM) == 0
    await original.engine.dispose()

    restored_env = {**env, "QAWARD_DATA_DIR": str(tmp_path / "restored")}
    tampered = tmp_path / "tampered"
    shutil.copytree(backup, tampered)
    with (tampered / "qaward.sqlite3").open("r+b") as database:
        database.seek(200)
        database.write(b"\xff")
    bad = run_qaward(restored_env, tmp_path, "restore", str(tampered))
    assert (bad.returncode, "SHA-256" in bad.stderr) == (2, True), bad.stderr
    assert not (tmp_path / "restored").exists()
    done = run_qaward(restored_env, tmp_path, "restore", str(backup))
    assert done.returncode == 0, done.stderr

    second = Stack(restored_env, tmp_path, PRODUCT)
    stacks.append(second)
    await second.started()
    restored = StackView(restored_env, original.offset)
    service = await restored.service()
    await restored.until_approval(service)  # the timer, overdue, fires on the restored copy
    assert sorted(await service.approve(2030, [])) == sorted(ORGS)
    assert await restored.outcome() == expected
    await _ready_and_metrics(restored_env)
    assert await second.stop(signal.SIGTERM) == 0
    await restored.engine.dispose()


async def _ready_and_metrics(env: dict[str, str]) -> None:
    """The running stack is ready (a worker polls) and its worker serves SDK metrics."""
    async with httpx.AsyncClient(trust_env=False, timeout=10) as http:
        ready = await http.get(f"http://127.0.0.1:{env['QAWARD_API_PORT']}/health/ready")
        metrics = await http.get(f"http://127.0.0.1:{env['QAWARD_METRICS_PORT']}/metrics")
    assert ready.status_code == 200, ready.text
    assert ready.json()["pollers"] >= 1
    assert metrics.status_code == 200
    assert "temporal_worker_task_slots_available" in metrics.text  # the SDK's worker gauges
    assert f'task_queue="{QUEUE}"' in metrics.text
