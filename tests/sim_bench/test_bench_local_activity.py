"""The local-activity floor of a command's round trip is measured for every kind, on a real
(time-skipping) server: each update really ran (its round trips are timed and positive)."""

from __future__ import annotations

from temporalio.testing import WorkflowEnvironment

from sim.bench_local_activity import KINDS, measure


async def test_each_kind_of_round_trip_is_timed(time_skipping_env: WorkflowEnvironment) -> None:
    found = await measure(time_skipping_env.client, 3, warmup=1)
    assert set(found) == set(KINDS)
    for took in found.values():
        assert len(took) == 3
        assert all(ms > 0 for ms in took)
