"""The largest payload of a hand-built history, found wherever it is and named; the largest
query result, which no history records, from a real one."""

from __future__ import annotations

import uuid

import pytest
from temporalio import workflow
from temporalio.api.common.v1 import Payload, Payloads
from temporalio.api.enums.v1 import EventType
from temporalio.api.history.v1 import HistoryEvent
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from sim.bench_payloads import QueryResults, largest_payload

E = EventType


def _payloads(size: int) -> Payloads:
    return Payloads(payloads=[_payload(size)])


def _payload(size: int) -> Payload:
    return Payload(metadata={"encoding": b"json/plain"}, data=b"x" * size)


def _history(big: str) -> list[HistoryEvent]:
    """A cycle's run: start, one activity, one update, a signal, a marker, a child, the end.
    Every payload has 10 bytes of data except the one named `big` (5,000)."""

    def size(name: str) -> int:
        return 5_000 if name == big else 10

    started = HistoryEvent(event_id=1, event_type=E.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED)
    attrs = started.workflow_execution_started_event_attributes
    attrs.workflow_type.name = "award-cycle"
    attrs.input.CopyFrom(_payloads(size("start")))
    attrs.header.fields["trace"].CopyFrom(_payload(size("header")))

    scheduled = HistoryEvent(event_id=5, event_type=E.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
    scheduled.activity_task_scheduled_event_attributes.activity_type.name = "project-cycle"
    scheduled.activity_task_scheduled_event_attributes.input.CopyFrom(_payloads(size("act-in")))
    completed = HistoryEvent(event_id=7, event_type=E.EVENT_TYPE_ACTIVITY_TASK_COMPLETED)
    completed.activity_task_completed_event_attributes.scheduled_event_id = 5
    completed.activity_task_completed_event_attributes.result.CopyFrom(_payloads(size("act-out")))

    accepted = HistoryEvent(event_id=9, event_type=E.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED)
    request = accepted.workflow_execution_update_accepted_event_attributes.accepted_request
    request.input.name = "score"
    request.input.args.CopyFrom(_payloads(size("upd-in")))
    done = HistoryEvent(event_id=10, event_type=E.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED)
    done.workflow_execution_update_completed_event_attributes.accepted_event_id = 9
    outcome = done.workflow_execution_update_completed_event_attributes.outcome
    outcome.success.CopyFrom(_payloads(size("upd-out")))

    signaled = HistoryEvent(event_id=11, event_type=E.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED)
    signaled.workflow_execution_signaled_event_attributes.signal_name = "incident"
    signaled.workflow_execution_signaled_event_attributes.input.CopyFrom(_payloads(size("sig")))

    marker = HistoryEvent(event_id=12, event_type=E.EVENT_TYPE_MARKER_RECORDED)
    marker.marker_recorded_event_attributes.marker_name = "core_local_activity"
    marker.marker_recorded_event_attributes.details["data"].CopyFrom(_payloads(size("marker")))

    child = HistoryEvent(
        event_id=13, event_type=E.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED
    )
    child.start_child_workflow_execution_initiated_event_attributes.workflow_type.name = "honor"
    child.start_child_workflow_execution_initiated_event_attributes.input.CopyFrom(
        _payloads(size("child"))
    )

    again = HistoryEvent(event_id=14, event_type=E.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW)
    again.workflow_execution_continued_as_new_event_attributes.workflow_type.name = "award-cycle"
    again.workflow_execution_continued_as_new_event_attributes.input.CopyFrom(
        _payloads(size("can"))
    )
    end = HistoryEvent(event_id=15, event_type=E.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED)
    end.workflow_execution_completed_event_attributes.result.CopyFrom(_payloads(size("end")))
    return [started, scheduled, completed, accepted, done, signaled, marker, child, again, end]


@pytest.mark.parametrize(
    ("big", "kind"),
    [
        ("start", "workflow input award-cycle"),
        ("header", "workflow input award-cycle (header.fields.trace)"),
        ("act-in", "activity input project-cycle"),
        ("act-out", "activity result project-cycle"),
        ("upd-in", "update input score"),
        ("upd-out", "update result score"),
        ("sig", "signal input incident"),
        ("marker", "marker core_local_activity"),
        ("child", "child workflow input honor"),
        ("can", "continue-as-new input award-cycle"),
        ("end", "workflow result award-cycle"),
    ],
)
def test_the_largest_payload_is_found_and_named_wherever_it_is(big: str, kind: str) -> None:
    found = largest_payload(_history(big), "cycle-2025")
    assert found.kind == kind
    assert found.bytes == _payload(5_000).ByteSize()
    assert found.workflow_id == "cycle-2025"


def test_a_history_without_payloads_has_none() -> None:
    event = HistoryEvent(event_id=1, event_type=E.EVENT_TYPE_TIMER_STARTED)
    event.timer_started_event_attributes.timer_id = "1"
    assert largest_payload([event]).bytes == 0


@workflow.defn(name="bench-test-queried")
class _Queried:
    @workflow.run
    async def run(self) -> None:
        await workflow.wait_condition(lambda: False)

    @workflow.query(name="big")
    def big(self) -> str:
        return "x" * 3_000


async def test_query_results_are_measured_as_the_client_receives_them(
    time_skipping_env: WorkflowEnvironment,
) -> None:
    converter = time_skipping_env.client.data_converter.payload_converter
    queries = QueryResults(converter)
    config = time_skipping_env.client.config()
    config["interceptors"] = [*config["interceptors"], queries]
    client = Client(**config)
    task_queue = f"bench-test-{uuid.uuid4()}"
    async with Worker(client, task_queue=task_queue, workflows=[_Queried]):
        handle = await client.start_workflow(
            _Queried.run, id=f"queried-{uuid.uuid4()}", task_queue=task_queue
        )
        assert await handle.query(_Queried.big) == "x" * 3_000
        await handle.terminate()
    (expected,) = converter.to_payloads(["x" * 3_000])
    assert queries.largest.bytes == expected.ByteSize()
    assert queries.largest.kind == "query result big"
    assert queries.largest.workflow_id == handle.id
