"""`qaward bench`'s public speed: requests per second of the public pages and JSON against a
bare FastAPI hello-world served the same way in the same run (issue #14, "Speed"), and the
p95 of console pages.

The data is real: the generated scenario (`sim.bench_scenario`, `PUBLIC_SIZE` applications
or ``QAWARD_BENCH_PUBLIC_SIZE``) runs through the simulator into a throwaway SQLite database
first, so there are notices, a publicity list and an honors register to serve. Then two
servers run side by side, each in a process of its own and each exactly as production
serves (`api.serve.server_config`: uvicorn, uvloop, httptools, no access log, one worker):
the hello-world app (one route answering a small JSON object) and our app on that database.
The load generator (`sim.loadgen`, in this process) keeps `CONNECTIONS` keep-alive
connections busy for `seconds` per run. Runs alternate (hello, a public path, hello, the
next path, ..., hello) and each path is held against the mean of the two hello runs around
it, so a machine that slows down meanwhile slows both. A last run sends ``If-None-Match``
with the first path's ETag (answered 304).

Console pages (`CONSOLE_PAGES`, paths of the `web/` console) are then fetched one after
another, signed in as the office, `PAGE_REQUESTS` times each; their p95 is printed
(target: < 150 ms, issue #14). The list is where pages are added.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import uvicorn
from fastapi import FastAPI
from pydantic import SecretStr

from api.serve import server_config
from db.migrate import upgrade
from db.session import create_engine, session_factory
from domain.rules import load_rules
from qaward.settings import Settings
from sim import loadgen
from sim.bench_public_report import CONNECTIONS, PageTime, PathSpeed, PublicSpeed
from sim.bench_scenario import generate_scenario

PUBLIC_PATHS = ("/public/notices", "/public/publicity", "/public/honors", "/public/objection")
CONSOLE_PAGES: list[str] = [
    "/",
    "/console/cycles",
    "/console/cycles/2025",
    "/console/cycles/2025/applications",
    "/console/cycles/2025/applications?award=quality&page=2",
    "/console/cycles/2025/applications/{application}",
    "/console/cycles/2025/shortlist",
    "/console/cycles/2025/votes",
    "/console/cycles/2025/votes/quality/rounds/1",
    "/console/cycles/2025/publicity",
    "/console/cycles/2025/approval",
    "/console/honors",
    "/console/honors/{honor}",
    "/console/organizations",
    "/console/organizations?q=2&page=2",
    "/console/organizations/{organization}",
]
"""Console pages whose p95 the bench prints (2025: `sim.bench_scenario`'s cycle); add more.
``{application}`` / ``{organization}`` is the first application's credit code of the
cycle and ``{honor}`` the first honor's id, read from the JSON API before timing. Signed in
as the office: the session cookie `SESSION_COOKIE` and the bearer header both carry the
API's token."""
SESSION_COOKIE = "qaward_session"
PAGE_REQUESTS = 50
HELLO_PATH = "/hello"
PUBLIC_SIZE = 100
"""Applications of the scenario that fills the database (`QAWARD_BENCH_PUBLIC_SIZE`)."""
OFFICE_PASSWORD = "bench-office-password"  # a throwaway database's only account
HOST = "127.0.0.1"
READY_S = 60.0


def hello_app() -> FastAPI:
    """The bare FastAPI hello-world the public pages are held against."""
    app = FastAPI()

    @app.get(HELLO_PATH)
    async def hello() -> dict[str, str]:
        return {"message": "hello"}

    return app


def _settings(url: str, data_dir: Path, port: int) -> Settings:
    return Settings(
        environment="test",
        data_dir=data_dir,
        database_url=url,
        secret_key=SecretStr("bench-secret"),
        bootstrap_office_password=SecretStr(OFFICE_PASSWORD),
        temporal_address=f"{HOST}:{_free_port()}",  # nothing there: public pages need no Temporal
        api_host=HOST,
        api_port=port,
        log_level="WARNING",
    )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP) as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def serve(which: str, url: str, data_dir: str, port: int) -> None:
    """The server process: `which` is ``hello`` or ``app``."""
    logging.basicConfig(level=logging.ERROR)  # the app's "Temporal unreachable" is expected
    settings = _settings(url, Path(data_dir), port)
    if which == "hello":
        app = hello_app()
    else:
        from api.app import create_app  # the hello-world's process does not load it

        app = create_app(settings=settings)
    uvicorn.Server(server_config(app, settings)).run()


async def _fill(url: str) -> None:
    """The generated scenario through the simulator: notices, a publicity list, honors."""
    from sim import runner
    from sim.bench import _time_skipping_server as time_skipping_server

    scenario = generate_scenario(int(os.environ.get("QAWARD_BENCH_PUBLIC_SIZE", PUBLIC_SIZE)))
    engine = create_engine(url)
    env = await time_skipping_server()
    try:
        await runner._run(env, session_factory(engine), scenario, load_rules(scenario.rules), False)
    finally:
        await env.shutdown()
        await engine.dispose()


def _start(which: str, url: str, data_dir: Path, port: int) -> subprocess.Popen[bytes]:
    args = [sys.executable, "-m", "sim.bench_public", which, url, str(data_dir), str(port)]
    return subprocess.Popen(args, start_new_session=True)


async def _ready(port: int, path: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + READY_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the {path} server exited ({process.returncode})")
        try:
            status, _, _ = await loadgen.fetch(HOST, port, path)
            if status == 200:
                return
        except OSError:
            pass
        await asyncio.sleep(0.1)
    raise RuntimeError(f"the {path} server did not answer within {READY_S:g} s")


async def _rate(
    port: int, path: str, seconds: float, headers: dict[str, str] | None = None
) -> tuple[float, int]:
    load = await loadgen.hammer(
        HOST, port, path, seconds=seconds, connections=CONNECTIONS, headers=headers
    )
    expected = 304 if headers else 200
    others = sum(n for status, n in load.statuses.items() if status != expected)
    return load.rate(expected), load.errors + others


async def _placeholders(http: httpx.AsyncClient, headers: dict[str, str]) -> dict[str, str]:
    """Values for `CONSOLE_PAGES`' ``{application}``, ``{organization}`` and ``{honor}``."""
    if not any("{" in page for page in CONSOLE_PAGES):
        return {}
    listed = await http.get("/cycles/2025/applications", headers=headers)
    apps = listed.json() if listed.status_code == 200 else []
    register = (await http.get("/console/honors", headers=headers)).text
    honor = re.search(r'href="/console/honors/(\d+)"', register)  # the JSON has no row id
    code = apps[0]["credit_code"] if apps else ""
    return {"application": code, "organization": code, "honor": honor.group(1) if honor else "0"}


async def _pages(port: int) -> list[PageTime]:
    if not CONSOLE_PAGES:
        return []
    async with httpx.AsyncClient(base_url=f"http://{HOST}:{port}", timeout=60) as http:
        login = await http.post(
            "/auth/login", json={"username": "office", "password": OFFICE_PASSWORD}
        )
        login.raise_for_status()
        token = login.json()["access_token"]
        headers = {"Authorization": f"Bearer {token}", "Cookie": f"{SESSION_COOKIE}={token}"}
        names = await _placeholders(http, headers)
        found = []
        for pattern in CONSOLE_PAGES:
            path = pattern.format(**names)
            took = []
            for _ in range(PAGE_REQUESTS):
                started = time.perf_counter()
                response = await http.get(path, headers=headers)
                took.append((time.perf_counter() - started) * 1000)
                if response.status_code != 200:
                    raise RuntimeError(f"GET {path}: {response.status_code}")
            ordered = sorted(took)
            p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
            found.append(PageTime(path, statistics.median(took), p95))
    return found


async def measure_public(seconds: float) -> PublicSpeed:
    with tempfile.TemporaryDirectory(prefix="qaward-bench-public-") as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'public.sqlite3'}"
        await asyncio.to_thread(upgrade, url)
        await _fill(url)
        hello_port, app_port = _free_port(), _free_port()
        processes = [
            _start("hello", url, Path(tmp) / "data", hello_port),
            _start("app", url, Path(tmp) / "data", app_port),
        ]
        try:
            await _ready(hello_port, HELLO_PATH, processes[0])
            await _ready(app_port, PUBLIC_PATHS[0], processes[1])
            for path in PUBLIC_PATHS:  # warm both up: imports, first renders
                await _rate(app_port, path, 0.3)
            await _rate(hello_port, HELLO_PATH, 0.3)
            speed = PublicSpeed(seconds=seconds)
            before, _ = await _rate(hello_port, HELLO_PATH, seconds)
            for path in PUBLIC_PATHS:
                rate, errors = await _rate(app_port, path, seconds)
                after, _ = await _rate(hello_port, HELLO_PATH, seconds)
                speed.paths.append(PathSpeed(path, rate, (before + after) / 2, errors))
                before = after
            _, answered, _ = await loadgen.fetch(HOST, app_port, PUBLIC_PATHS[0])
            tag = {"If-None-Match": answered.get("etag", "")}
            rate, errors = await _rate(app_port, PUBLIC_PATHS[0], seconds, tag)
            after, _ = await _rate(hello_port, HELLO_PATH, seconds)
            label = f"{PUBLIC_PATHS[0]} (If-None-Match → 304)"
            speed.conditional = PathSpeed(label, rate, (before + after) / 2, errors)
            speed.pages = await _pages(app_port)
            return speed
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()


if __name__ == "__main__":
    which, url, data_dir, port = sys.argv[1:5]
    serve(which, url, data_dir, int(port))
