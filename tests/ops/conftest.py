"""Helpers for running ``qaward`` commands as a user would: in a child process, own ports."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.ops.stacks import QAWARD, Stack

__all__ = ["QAWARD", "REPO", "free_ports"]

REPO = Path(__file__).resolve().parents[2]


def free_ports(count: int) -> list[int]:
    """Distinct ports free right now (all probes held open together, so none repeats)."""
    probes = [socket.socket() for _ in range(count)]
    try:
        for probe in probes:
            probe.bind(("127.0.0.1", 0))
        return [int(probe.getsockname()[1]) for probe in probes]
    finally:
        for probe in probes:
            probe.close()


@pytest.fixture
def ops_env(tmp_path: Path) -> dict[str, str]:
    """A clean ``QAWARD_*`` environment: a fresh data folder and four free ports."""
    temporal_port, ui_port, api_port, metrics_port = free_ports(4)
    env = {key: value for key, value in os.environ.items() if not key.startswith("QAWARD_")}
    env.update(
        PYTHONPATH=str(REPO),
        QAWARD_DATA_DIR=str(tmp_path / "data"),
        QAWARD_TEMPORAL_ADDRESS=f"127.0.0.1:{temporal_port}",
        QAWARD_TEMPORAL_UI_PORT=str(ui_port),
        QAWARD_API_PORT=str(api_port),
        QAWARD_METRICS_PORT=str(metrics_port),
    )
    return env


@pytest.fixture
def stacks() -> Iterator[list[Stack]]:
    """The ``qaward up`` processes a test starts, killed at its end if still running."""
    started: list[Stack] = []
    yield started
    for stack in started:
        stack.kill()
