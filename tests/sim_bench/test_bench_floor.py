"""The engine floor's updates carry the measured commands' arguments (`sim.floor`)."""

from __future__ import annotations

import pytest
from temporalio.testing import WorkflowEnvironment

from sim.bench import run_floor
from sim.bench_histories import SEALING, Counts, Load
from sim.floor import FloorPlan

pytestmark = pytest.mark.sqlite_only


def test_the_floor_plan_asks_for_the_mean_argument_of_the_measured_updates() -> None:
    load = Load(root=Counts(updates=4, update_input_bytes=4 * (SEALING + 300)))
    assert load.plan("floor").update_argument == 300
    assert Load(root=Counts(updates=2, update_input_bytes=10)).plan("f").update_argument == 0
    assert Load().plan("floor").update_argument == 0


async def test_the_floor_sends_arguments_as_large_as_its_plan_asks(
    time_skipping_env: WorkflowEnvironment,
) -> None:
    """Run as the bench runs it (the service's data converter, codec included): its own
    histories, read as ours are, give back the plan's argument length."""
    plan = FloorPlan(updates=5, update_argument=200)
    _, counts = await run_floor(time_skipping_env, plan)
    assert counts.updates == 5
    # `SEALING` is the overhead with the default key id; another key id moves it a little
    assert abs(Load(root=counts).plan("again").update_argument - 200) <= 8
