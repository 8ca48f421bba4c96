"""``qaward api``: the HTTP API under uvicorn, against an external Temporal (DESIGN.md §8).

``qaward up`` runs the same server next to the worker, through :func:`api_server` and
:func:`serve_until`.

The server settings of a production deployment are in one place, :func:`server_config`
(``qaward bench`` serves its hello-world and our public pages with them too): the
``httptools`` HTTP parser, no access log (the audit trail records every command; a
reverse proxy logs requests), and for ``qaward api`` the ``uvloop`` event loop and
``QAWARD_API_WORKERS`` processes on one socket. uvloop also turns Nagle's algorithm off
on every connection; asyncio does so only for sockets created as ``IPPROTO_TCP``, which
uvicorn's own socket for several workers is not, and there every response waited about
40 ms for the client's delayed ACK.
"""

from __future__ import annotations

import asyncio
from typing import Any

import uvicorn
import uvloop
from fastapi import FastAPI
from uvicorn.supervisors import Multiprocess

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
WORKER_START_SECONDS = 60


def server_config(app: Any, settings: Settings, **overrides: Any) -> uvicorn.Config:
    """uvicorn as production runs it; logging goes through the process's own configuration."""
    options: dict[str, Any] = {
        "host": settings.api_host,
        "port": settings.api_port,
        "http": "httptools",
        "loop": "uvloop",
        "access_log": False,
        "log_config": None,
        "log_level": settings.log_level.lower(),
        "timeout_graceful_shutdown": GRACEFUL_SHUTDOWN_SECONDS,
    }
    return uvicorn.Config(app, **(options | overrides))


def api_server(settings: Settings) -> uvicorn.Server:
    """The server of one process (``qaward up`` and ``qaward api`` with one worker)."""
    return uvicorn.Server(server_config(create_app, settings, factory=True))


def worker_app() -> FastAPI:
    """The app of one of several ``qaward api`` processes: each configures its own logging."""
    settings = load_settings()
    configure_logging(settings.log_level, json=settings.log_json)
    return create_app(settings=settings)


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
    if settings.api_workers == 1:
        with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
            runner.run(_serve_alone(settings))
        return 0
    asyncio.run(reach_temporal(settings))
    config = server_config(
        "api.serve:worker_app",
        settings,
        factory=True,
        workers=settings.api_workers,
        # A worker answers the supervisor's pings once it is up; a loaded machine takes
        # longer than uvicorn's 5 s to import and start it, and it would be killed and
        # started again, over and over.
        timeout_worker_healthcheck=WORKER_START_SECONDS,
    )
    # uvicorn's supervisor: it binds once, restarts a worker that dies, and stops them all
    # on SIGINT/SIGTERM.
    Multiprocess(config, sockets=[config.bind_socket()]).run()
    return 0
