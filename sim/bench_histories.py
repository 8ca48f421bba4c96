"""What `qaward bench` reads from the histories of a run: the operations of every workflow
(all its runs, back along the continue-as-new chain), the largest history and the largest
payload (`sim.bench_payloads`), and the floor's plan for the same load."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client

from contracts.cycle import CycleInput
from db.models import Cycle, Honor
from sim.bench_payloads import PayloadSize, largest_payload
from sim.floor import ChildPlan, FloorPlan


def history_limit() -> int:
    """The real workflows' continue-as-new threshold, which the floor applies too."""
    found = CycleInput.model_fields.get("history_limit")
    return int(found.default) if found is not None and found.default is not None else 7_000


_COUNTED = {
    EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED: "updates",
    EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED: "signals",
    EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED: "activities",
    # The workflows' database work runs as local activities: one marker each (a
    # `workflow.patched` marker is no activity: `_LOCAL_ACTIVITY`).
    EventType.EVENT_TYPE_MARKER_RECORDED: "activities",
    EventType.EVENT_TYPE_TIMER_STARTED: "timers",
    EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED: "children",
}
_LOCAL_ACTIVITY = "core_local_activity"
"""The marker name the SDK gives a local activity's result."""


_SUMMED = ("updates", "signals", "activities", "timers", "children", "update_input_bytes")


@dataclass
class Counts:
    """Operations of one workflow (all its runs), read from its histories."""

    runs: int = 0
    largest: int = 0
    updates: int = 0
    signals: int = 0
    activities: int = 0
    timers: int = 0
    children: int = 0
    update_input_bytes: int = 0
    """The updates' arguments, in bytes (as the codec sealed them): the floor's updates carry
    as much (`FloorPlan.update_argument`)."""
    payload: PayloadSize = field(default_factory=PayloadSize)
    """The largest single payload in any of its histories."""

    def add(self, other: Counts) -> None:
        self.runs += other.runs
        self.largest = max(self.largest, other.largest)
        self.payload = self.payload.larger(other.payload)
        for name in _SUMMED:
            setattr(self, name, getattr(self, name) + getattr(other, name))


async def workflow_counts(client: Client, workflow_id: str) -> Counts:
    """Every run of `workflow_id`, latest first, back along the continue-as-new chain.

    The time-skipping server has no visibility queries, so the chain is followed through
    each run's first event (`continued_execution_run_id` names the run before it).
    """
    counts = Counts()
    run_id: str | None = None
    while True:
        history = await client.get_workflow_handle(workflow_id, run_id=run_id).fetch_history()
        events = history.events
        counts.runs += 1
        counts.largest = max(counts.largest, len(events))
        counts.payload = counts.payload.larger(largest_payload(events, workflow_id))
        for event in events:
            name = _COUNTED.get(event.event_type)
            marker = event.marker_recorded_event_attributes.marker_name
            if (
                event.event_type == EventType.EVENT_TYPE_MARKER_RECORDED
                and marker != _LOCAL_ACTIVITY
            ):
                continue
            if name is not None:
                setattr(counts, name, getattr(counts, name) + 1)
            if event.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED:
                args = event.workflow_execution_update_accepted_event_attributes.accepted_request
                counts.update_input_bytes += sum(len(p.data) for p in args.input.args.payloads)
        started = events[0].workflow_execution_started_event_attributes
        if not started.continued_execution_run_id:
            return counts
        run_id = started.continued_execution_run_id


@dataclass
class Load:
    """The measured load: the cycle(s) as the floor's root, each honor as one child."""

    root: Counts = field(default_factory=Counts)
    children: dict[str, Counts] = field(default_factory=dict)

    @property
    def total(self) -> Counts:
        total = Counts()
        total.add(self.root)
        for child in self.children.values():
            total.add(child)
        return total

    @property
    def starts(self) -> int:
        return 1 + len(self.children)

    def plan(self, prefix: str) -> FloorPlan:
        return FloorPlan(
            history_limit=history_limit(),
            updates=self.total.updates,
            update_argument=_argument_length(self.total),
            signals=self.total.signals,
            activities=self.root.activities,
            timers=self.root.timers,
            children=[
                ChildPlan(workflow_id=f"{prefix}-{n}", activities=c.activities, timers=c.timers)
                for n, c in enumerate(self.children.values())
            ],
        )


SEALING = 56
"""A sealed string argument's bytes beyond the string's (measured with the default key id)."""


def _argument_length(total: Counts) -> int:
    """The length of the floor's update argument (a string): as many bytes, once sealed, as
    the measured updates' arguments had on average. A sealed string argument is about
    `SEALING` bytes longer than the string (JSON quotes, the inner payload's encoding, the
    codec's nonce, tag and key id)."""
    if not total.updates:
        return 0
    return max(0, total.update_input_bytes // total.updates - SEALING)


async def measured_load(
    client: Client, sessions: async_sessionmaker[AsyncSession], root_ids: Sequence[str] = ()
) -> Load:
    load = Load()
    async with sessions() as session:
        cycles = list(await session.scalars(select(Cycle.workflow_id)))
        honors = [h for h in await session.scalars(select(Honor.workflow_id)) if h]
    for workflow_id in [*cycles, *root_ids]:
        load.root.add(await workflow_counts(client, workflow_id))
    for workflow_id in honors:
        load.children[workflow_id] = await workflow_counts(client, workflow_id)
    return load
