"""The largest payload in a run, read from the histories `qaward bench` already fetches.

Every payload that crossed Temporal and was recorded is in some history event: workflow
inputs (a continued run's too), activity inputs and results, update inputs and results,
signal inputs, local-activity markers, child workflow inputs and results, workflow results,
and also headers, memos and failure details. Rather than name each field, each event's
attributes are walked for every `Payload` message, so a field added later is not missed.
Query results are never recorded in a history: `QueryResults`, a client interceptor, sees
them as the client receives them.

The size is `Payload.ByteSize()` of one payload (metadata and data), the unit that the
256 KB target of STYLE habit 23 bounds; the kind says where it was, e.g.
"activity input project-cycle".
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.message import Message
from temporalio.api.common.v1 import Payload
from temporalio.api.history.v1 import HistoryEvent
from temporalio.client import Interceptor, OutboundInterceptor, QueryWorkflowInput
from temporalio.converter import PayloadConverter

_PAYLOAD = Payload.DESCRIPTOR.full_name

_LABELS = {
    "workflow_execution_started_event_attributes": "workflow input",
    "workflow_execution_continued_as_new_event_attributes": "continue-as-new input",
    "workflow_execution_completed_event_attributes": "workflow result",
    "activity_task_scheduled_event_attributes": "activity input",
    "activity_task_completed_event_attributes": "activity result",
    "workflow_execution_update_accepted_event_attributes": "update input",
    "workflow_execution_update_completed_event_attributes": "update result",
    "workflow_execution_signaled_event_attributes": "signal input",
    "signal_external_workflow_execution_initiated_event_attributes": "signal sent",
    "marker_recorded_event_attributes": "marker",
    "start_child_workflow_execution_initiated_event_attributes": "child workflow input",
    "child_workflow_execution_completed_event_attributes": "child workflow result",
}
_MAIN_FIELDS = frozenset({"input", "result", "accepted_request", "outcome", "details"})
"""Where an event keeps its own payloads; any other field (header, memo, failure) is named."""


@dataclass(frozen=True)
class PayloadSize:
    """One payload: its size in bytes, what it was, and the workflow whose history held it."""

    bytes: int = 0
    kind: str = ""
    workflow_id: str = ""

    def larger(self, other: PayloadSize) -> PayloadSize:
        return other if other.bytes > self.bytes else self


def _payloads(message: Message, path: str = "") -> Iterator[tuple[str, Payload]]:
    """Every `Payload` inside `message`, with the dotted path of fields that leads to it."""
    for field, value in message.ListFields():
        if field.type != FieldDescriptor.TYPE_MESSAGE:
            continue
        where = f"{path}.{field.name}" if path else field.name
        entry = field.message_type
        assert entry is not None
        if entry.GetOptions().map_entry:
            if entry.fields_by_name["value"].type == FieldDescriptor.TYPE_MESSAGE:
                for key, item in value.items():
                    yield from _one(item, f"{where}.{key}")
        elif field.is_repeated:
            for item in value:
                yield from _one(item, where)
        else:
            yield from _one(value, where)


def _one(message: Message, path: str) -> Iterator[tuple[str, Payload]]:
    if message.DESCRIPTOR.full_name == _PAYLOAD:
        assert isinstance(message, Payload)
        yield path, message
    else:
        yield from _payloads(message, path)


def largest_payload(events: Iterable[HistoryEvent], workflow_id: str = "") -> PayloadSize:
    """The largest single payload in one history (a run's events, in order)."""
    best = PayloadSize(workflow_id=workflow_id)
    names: dict[int, str] = {}
    """Scheduled activities, accepted updates and initiated children by event id: the
    events that complete them name them only by that id."""
    workflow_type = ""
    for event in events:
        which = event.WhichOneof("attributes")
        if which is None:
            continue
        attrs: Any = getattr(event, which)
        name = _name(event, which, attrs, names)
        if which == "workflow_execution_started_event_attributes":
            workflow_type = name
        elif which == "workflow_execution_completed_event_attributes":
            name = workflow_type
        for path, payload in _payloads(attrs):
            size = payload.ByteSize()
            if size <= best.bytes:
                continue
            label = _LABELS.get(which, which.removesuffix("_event_attributes").replace("_", " "))
            kind = f"{label} {name}".strip()
            if path.split(".")[0] not in _MAIN_FIELDS:
                kind += f" ({path})"
            best = PayloadSize(size, kind, workflow_id)
    return best


def _name(event: HistoryEvent, which: str, attrs: Any, names: dict[int, str]) -> str:
    """What the event is about: the workflow, activity, update, signal or marker name (for an
    event that completes another, the name its initiating event gave)."""
    fields = attrs.DESCRIPTOR.fields_by_name
    name = ""
    if which == "workflow_execution_update_accepted_event_attributes":
        name = attrs.accepted_request.input.name
    elif "signal_name" in fields:
        name = attrs.signal_name
    elif "marker_name" in fields:
        name = attrs.marker_name
    elif "activity_type" in fields:
        name = attrs.activity_type.name
    elif "workflow_type" in fields:
        name = attrs.workflow_type.name
    if name:
        names[event.event_id] = name
        return str(name)
    for ref in ("scheduled_event_id", "accepted_event_id", "initiated_event_id"):
        if ref in fields:
            return names.get(int(getattr(attrs, ref)), "")
    return ""


class QueryResults(Interceptor):
    """The largest query result a client received.

    The interceptor sees the decoded result, so it is encoded again with the client's own
    payload converter: for the pydantic converter, the same JSON the worker sent.
    """

    def __init__(self, converter: PayloadConverter) -> None:
        self.largest = PayloadSize()
        self._converter = converter

    def intercept_client(self, next: OutboundInterceptor) -> OutboundInterceptor:
        return _QueryOutbound(next, self)

    def record(self, query: QueryWorkflowInput, result: object) -> None:
        (payload,) = self._converter.to_payloads([result])
        if payload.ByteSize() > self.largest.bytes:
            kind = f"query result {query.query}"
            self.largest = PayloadSize(payload.ByteSize(), kind, query.id)


class _QueryOutbound(OutboundInterceptor):
    def __init__(self, next: OutboundInterceptor, recorder: QueryResults) -> None:
        super().__init__(next)
        self._recorder = recorder

    async def query_workflow(self, input: QueryWorkflowInput) -> Any:
        result = await super().query_workflow(input)
        self._recorder.record(input, result)
        return result
