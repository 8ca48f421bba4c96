"""``qaward api``: the HTTP API under uvicorn, against an external Temporal (DESIGN.md §8).

``qaward up`` runs the same server next to the worker, through :func:`api_server` and
:func:`serve_until`.
"""

from __future__ import annotations

import asyncio

import uvicorn

from api.app import create_app
from qaward.logging import configure_logging
from qaward.preflight import (
    ConfigError,
    check_database,
    check_port,
    load_settings,
    reach_temporal,
)
from qaward.process import stop_on_signals
from qaward.settings import Settings

GRACEFUL_SHUTDOWN_SECONDS = 10


def api_server(settings: Settings) -> uvicorn.Server:
    """The uvicorn server; logging goes through the process's own configuration."""
    config = uvicorn.Config(
        create_app,
        factory=True,
        host=settings.api_host,
        port=settings.api_port,
        log_config=None,
        log_level=settings.log_level.lower(),
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
    )
    return uvicorn.Server(config)


async def serve(server: uvicorn.Server) -> None:
    """Serve until the server is told to exit; a failed start-up becomes a :class:`ConfigError`."""
    try:
        await server.serve()
    except SystemExit:
        # uvicorn exits the process when the lifespan or the bind fails; it has logged why.
        where = f"{server.config.host}:{server.config.port}"
        raise ConfigError(
            f"API 未能在 {where} 启动（原因见上方日志）",
            f"the API did not start on {where} (see the log above)",
        ) from None


async def serve_until(server: uvicorn.Server, stop: asyncio.Event) -> None:
    """Serve until ``stop`` is set.

    uvicorn also catches SIGINT/SIGTERM while it serves, and re-raises them when done; the
    handlers of :func:`qaward.process.stop_on_signals` are then the ones that receive them, so
    the process ends through ``stop`` with status 0 rather than being killed by the signal.
    """
    serving = asyncio.create_task(serve(server), name="api")
    stopping = asyncio.create_task(stop.wait())
    try:
        await asyncio.wait({serving, stopping}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopping.cancel()
        server.should_exit = True
    await serving


async def _serve_alone(settings: Settings) -> None:
    stop = asyncio.Event()
    stop_on_signals(stop)
    await reach_temporal(settings)  # the app's lifespan connects too; fail here with one line
    await serve_until(api_server(settings), stop)


def run_api_command() -> int:
    settings = load_settings()
    configure_logging(settings.log_level, json=settings.log_json)
    check_port(settings.api_host, settings.api_port, "QAWARD_API_PORT")
    check_database(settings)
    asyncio.run(_serve_alone(settings))
    return 0
