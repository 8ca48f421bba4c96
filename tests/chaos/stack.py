"""The embedded stack of the chaos run as separate OS processes (issue #17 item 1).

First stage: one Temporal dev server (its SQLite file in the run's folder, so timers
survive its kill), two `qaward worker` and two `qaward api` processes on one throwaway
PostgreSQL database, and a tiny asyncio TCP proxy in this process that round-robins
connections over the APIs that are up: the client sees one address. Second stage
(`test_server`): the time-skipping test server instead, which the run holds in its own
process (it keeps its state in memory, so it is not killed), the same workers, and APIs
whose clock follows the test server (`tests.chaos.api_process`). Every process is in its
own session, so a SIGKILL takes it and nothing else; `start` starts the same command again.

The workers deliver notices by e-mail over SMTP to the run's own relay (aiosmtpd,
`tests.support.smtp`) on `smtp_port`; a worker killed mid-delivery is one of the kills.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from qaward.temporal import dev_server_path
from tests.support import postgres

OFFICE_PASSWORD = "chaos-office-password"
HELD_KEY_SECONDS = 15
"""A killed API leaves its request's key held; a retry takes it over after this (default 600)."""


LIVE: list[Stack] = []
"""Stacks whose processes run: stopped on the way out, however the run ends."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_port(port: int, seconds: float = 60) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listens on {port}")


def create_database() -> tuple[str, str]:
    """A fresh database on the machine's cluster: (name, async URL)."""
    postgres._ensure_server()
    postgres._psql(
        f"DO \\$\\$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{postgres.ROLE}') "
        f"THEN CREATE ROLE {postgres.ROLE} LOGIN CREATEDB PASSWORD '{postgres.PASSWORD}'; "
        "END IF; END\\$\\$;"
    )
    name = f"qaward_chaos_{uuid.uuid4().hex[:10]}"
    postgres._psql(f"CREATE DATABASE {name} OWNER {postgres.ROLE}")
    auth = f"{postgres.ROLE}:{postgres.PASSWORD}@{postgres.HOST}:{postgres.PORT}"
    return name, f"postgresql+asyncpg://{auth}/{name}"


def drop_database(name: str) -> None:
    postgres._psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@dataclass
class Stack:
    folder: Path
    database_url: str
    offset_seconds: float
    smtp_port: int
    test_server: str | None = None
    """The time-skipping test server's address (second stage); None: run a dev server."""
    temporal_port: int = field(default_factory=free_port)
    api_ports: list[int] = field(default_factory=lambda: [free_port(), free_port()])
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    starts: dict[str, int] = field(default_factory=dict)

    def env(self, api_port: int | None = None) -> dict[str, str]:
        env = {
            **os.environ,
            "QAWARD_ENVIRONMENT": "test",
            "QAWARD_DATABASE_URL": self.database_url,
            "QAWARD_DATA_DIR": str(self.folder),
            "QAWARD_TEMPORAL_ADDRESS": self.test_server or f"127.0.0.1:{self.temporal_port}",
            "QAWARD_TEMPORAL_TASK_QUEUE": "chaos",
            "QAWARD_CLOCK_OFFSET_SECONDS": str(self.offset_seconds),
            "QAWARD_BOOTSTRAP_OFFICE_PASSWORD": OFFICE_PASSWORD,
            "QAWARD_LOG_LEVEL": "WARNING",
            "QAWARD_IDEMPOTENCY_STALE_SECONDS": str(HELD_KEY_SECONDS),
            "QAWARD_SMTP_HOST": "127.0.0.1",
            "QAWARD_SMTP_PORT": str(self.smtp_port),
            "QAWARD_SMTP_SENDER": "qaward@qingyuan.example",
            "QAWARD_SMTP_TIMEOUT_SECONDS": "5",
            "QAWARD_METRICS_PORT": "0",
        }
        if self.test_server is not None:
            # Three skipped years would be a thousand daily digests; nobody asked for one.
            env["QAWARD_DIGEST_HOUR"] = ""
        if api_port is not None:
            env["QAWARD_API_PORT"] = str(api_port)
        return env

    def commands(self) -> dict[str, tuple[list[str], dict[str, str]]]:
        qaward = str(Path(sys.executable).parent / "qaward")
        server = [
            str(dev_server_path()),
            "server",
            "start-dev",
            "--headless",
            "--db-filename",
            str(self.folder / "temporal.sqlite3"),
            "--ip",
            "127.0.0.1",
            "--port",
            str(self.temporal_port),
            "--log-level",
            "error",
        ]
        api, worker, second = [qaward, "api"], [qaward, "worker"], [qaward, "worker"]
        if self.test_server is not None:
            api = [sys.executable, "-m", "tests.chaos.api_process"]
            second = [sys.executable, "-m", "tests.chaos.worker_process"]  # no sticky queue
        commands = {
            "temporal": (server, dict(os.environ)),
            "worker-1": (worker, self.env()),
            "worker-2": (second, self.env()),
            "api-1": (api, self.env(self.api_ports[0])),
            "api-2": (api, self.env(self.api_ports[1])),
        }
        if self.test_server is not None:
            del commands["temporal"]
        return commands

    def migrate(self) -> None:
        qaward = str(Path(sys.executable).parent / "qaward")
        subprocess.run([qaward, "migrate"], env=self.env(), check=True, capture_output=True)

    def start(self, name: str) -> None:
        command, env = self.commands()[name]
        log = (self.folder / f"{name}.log").open("ab")
        self.processes[name] = subprocess.Popen(
            command,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.starts[name] = self.starts.get(name, 0) + 1
        if name == "temporal":
            wait_port(self.temporal_port)

    def start_all(self) -> None:
        self.start_backend()
        self.start_apis()

    def start_backend(self) -> None:
        """The database's schema, the server and the workers: everything but the APIs."""
        if self not in LIVE:
            LIVE.append(self)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.migrate()
        for name in self.commands():
            if not name.startswith("api-"):
                self.start(name)

    def start_apis(self) -> None:
        """The APIs (their business clock is `offset_seconds` as it is now)."""
        for name in self.commands():
            if name.startswith("api-"):
                self.start(name)
        for port in self.api_ports:
            wait_port(port)

    def kill(self, name: str) -> None:
        process = self.processes[name]
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
        process.wait()

    def stop_all(self) -> None:
        for name in self.processes:
            self.kill(name)
        if self in LIVE:
            LIVE.remove(self)

    def alive(self, name: str) -> bool:
        return self.processes[name].poll() is None


class Proxy:
    """One address for the two APIs: each new connection goes to the next API that accepts."""

    def __init__(self, ports: list[int]) -> None:
        self.ports = ports
        self.port = free_port()
        self._next = 0
        self._server: asyncio.Server | None = None

    async def __aenter__(self) -> Proxy:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", self.port)
        return self

    async def __aexit__(self, *_: object) -> None:
        assert self._server is not None
        self._server.close()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        upstream = None
        for _ in self.ports:
            port = self.ports[self._next % len(self.ports)]
            self._next += 1
            with contextlib.suppress(OSError):
                upstream = await asyncio.open_connection("127.0.0.1", port)
                break
        if upstream is None:  # both down: the client sees a dropped connection and retries
            writer.close()
            return
        up_reader, up_writer = upstream
        await asyncio.gather(_pipe(reader, up_writer), _pipe(up_reader, writer))


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        with contextlib.suppress(Exception):
            writer.close()
