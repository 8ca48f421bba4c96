"""`qaward bench` (`make bench`): generated cycles of 10, 100 and 1,000 applications (by
default) and the latency of one HTTP command.

Each size runs in its own process (so peak RSS is that size's), on its own time-skipping
server and throwaway SQLite database: the generated scenario (`sim.bench_scenario`) goes
through the simulator's runner end to end — intake, qualification, 3-member panels scoring
both review stages, automatic shortlist (everyone, so the load grows with the size),
site-report confirmations, votes, 7 days of publicity, approval, then five years of honor
timers. The histories of every run of every workflow (`sim.bench_histories`) give the
largest history, the largest payload (`sim.bench_payloads`; query results, which no
history records, through a client interceptor) and the operation counts (updates, signals,
activities, timers, workflow starts); then the engine floor (`sim.floor`) repeats those
operations on a minimal workflow, in the same process, with the same server binary.

Size 5,000 (`qaward bench --sizes 5000`) is not among the defaults: measured 2026-12-01 on
this 2-core machine, its run had not finished after ten minutes (1,000 took about a minute
on 2026-11-27's code and over half an hour on that day's). Above 1,000 applications the
floor is skipped (`FLOOR_MAX_SIZE`), so there is no ratio there. A size whose run raises or
outlasts `QAWARD_BENCH_TIMEOUT` (seconds, default `SIZE_TIMEOUT_S`) is stopped and reported
as a miss with what its histories held by then; the other sizes still run.

The floor gets a fresh server of its own by default. The time-skipping server keeps every
history in memory and slows down as they pile up: on the server our 1,000-application run
had just used, the floor took about three times as long as on a fresh one, which would credit
our code with the engine's slowdown. `QAWARD_BENCH_FLOOR=same` runs it on our server instead.

Small sizes repeat (`repeats`): ours and the floor take turns, each time on fresh servers,
and the table gives the medians, so one slow second on a shared machine does not decide
the ratio.

After the sizes, one more process measures the command latency (`sim.bench_http`): a
department finding posted 200 times through the real API served by uvicorn, alternating
with a no-op update of the floor's workflow on the same server and worker process. Last,
the rehearsal time (`sim.bench_rehearsal`): a rehearsal of a 100-application cycle, base and
variant, through `services.rehearsals` in a process of its own (target < 30 s).

Printed (`sim.bench_report`): a Markdown table per size — wall time, peak RSS (our process +
the test server), largest history, largest payload in bytes, floor wall time and the ratio —
the largest payload's kind and workflow, the operation counts, and the p50/p95 of the HTTP
command, of the raw update (the same command sent straight to its workflow) and of a no-op
update, with the ratio of the first two p50s. Exit status 1 when a target is
missed (each miss is named: ratio ≤ 1.5 and wall < 120 s at 1,000; largest history < 10,240
events and largest payload ≤ 256 KB at every size; HTTP p50 ≤ 1.3 × raw p50), 0 otherwise.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Coroutine, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from temporalio.client import Client, Interceptor, WorkflowHandle
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker
from temporalio.worker._worker import load_default_build_id

from db.migrate import upgrade
from db.session import create_engine, session_factory
from domain.rules import load_rules
from qaward.codec import data_converter
from qaward.settings import get_settings
from qaward.temporal import runtime, test_server_path
from sim import runner
from sim.bench_histories import Counts, Load, measured_load, workflow_counts
from sim.bench_payloads import PayloadSize, QueryResults
from sim.bench_public_report import PublicSpeed
from sim.bench_rehearsal import RehearsalTime, measure_rehearsal
from sim.bench_report import COMMANDS, Latency, SizeResult, render
from sim.bench_scenario import generate_scenario
from sim.floor import FloorChildWorkflow, FloorPlan, FloorWorkflow, noop
from sim.scenario import Scenario
from worker.registry import workflow_runner

FLOOR_MAX_SIZE = 1000
"""Above this size the floor is skipped: a 5,000-application run alone takes well over ten
minutes here, the floor would add several more, and the ratio target is set at 1,000."""
SIZE_TIMEOUT_S = 3600.0
"""Our run of a size still going after this long is stopped, and reported as a miss with
what its histories show so far (`QAWARD_BENCH_TIMEOUT`, seconds, overrides it)."""
BACKSTOP_S = 600.0
PUBLIC_SECONDS = 3.0
"""Length of each load run of the public speed (`sim.bench_public`)."""

T = TypeVar("T")


# --- the engine floor ---------------------------------------------------------------------


async def run_floor(env: WorkflowEnvironment, plan: FloorPlan) -> tuple[float, Counts]:
    """The floor's wall time for `plan`, and the counts of what it actually did."""
    task_queue = f"bench-floor-{uuid.uuid4()}"
    workflow_id = f"bench-floor-{uuid.uuid4()}"
    plan = plan.model_copy(
        update={
            "children": [
                c.model_copy(update={"workflow_id": f"{workflow_id}-{n}"})
                for n, c in enumerate(plan.children)
            ]
        }
    )
    client = env.client
    started = time.perf_counter()  # the worker's start counts, as it does for our run
    async with Worker(
        client,
        task_queue=task_queue,
        workflows=[FloorWorkflow, FloorChildWorkflow],
        activities=[noop],
        workflow_runner=workflow_runner(),
    ):
        handle = await client.start_workflow(
            FloorWorkflow.run, plan, id=workflow_id, task_queue=task_queue
        )
        # The SDK's overloads type an async update handler's result as a coroutine.
        step: Any = FloorWorkflow.step
        argument = "x" * plan.update_argument
        for n in range(plan.updates):
            done: int = await handle.execute_update(step, argument)
            assert done == n + 1
        for _ in range(plan.signals):
            await handle.signal(FloorWorkflow.poke)
        await handle.result()
    wall = time.perf_counter() - started  # the worker's shutdown counts, as it does for ours
    counts = await workflow_counts(client, workflow_id)
    for child in plan.children:
        counts.add(await workflow_counts(client, child.workflow_id))
    return wall, counts


# --- one size, in its own process -----------------------------------------------------------


# --- one size, in its own process -----------------------------------------------------------


def _server_hwm_kb() -> int:
    """Peak RSS (VmHWM) of this process's child processes (the test server), from /proc."""
    best = 0
    try:
        tasks = list(Path(f"/proc/{os.getpid()}/task").iterdir())
    except OSError:
        return 0
    for task in tasks:
        try:
            children = (task / "children").read_text().split()
        except OSError:
            continue
        for pid in children:
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            for line in status.splitlines():
                if line.startswith("VmHWM:"):
                    best = max(best, int(line.split()[1]))
    return best


async def _time_skipping_server() -> WorkflowEnvironment:
    return await WorkflowEnvironment.start_time_skipping(
        data_converter=data_converter(get_settings()),
        test_server_existing_path=str(test_server_path()),
        runtime=runtime(),
    )


def floor_on_same_server() -> bool:
    """`QAWARD_BENCH_FLOOR=same`: run the floor on the server our run used (see module doc)."""
    return os.environ.get("QAWARD_BENCH_FLOOR", "fresh") == "same"


def runs_floor(size: int) -> bool:
    """Whether the floor runs at this size (see `FLOOR_MAX_SIZE`)."""
    return size <= FLOOR_MAX_SIZE


def repeats(size: int) -> int:
    """How many times a size runs, ours and the floor taking turns: a small run lasts about a
    second, where the machine's own swings (a third either way between two runs here) would
    decide the ratio; the medians of five (three at 100) do not swing with one slow run."""
    return 5 if size <= 10 else 3 if size <= 100 else 1


@dataclass
class _Run:
    wall: float
    rejected: int
    honors: int
    load: Load
    server_kb: int
    error: str = ""


def _describe(err: BaseException) -> str:
    """One line for a miss: the exception's type and the start of its message."""
    if isinstance(err, _OutOfTime):
        return str(err)
    text = " ".join(str(err).split())
    return f"{type(err).__name__}: {text}"[:300]


class _OutOfTime(Exception):
    def __str__(self) -> str:
        limit = self.args[0]
        return f"{limit:g} s 内未完成 / still running after {limit:g} s, stopped"


async def _within(limit: float, work: Coroutine[Any, Any, T]) -> T:
    """`work`'s result, or `_OutOfTime` once it has run `limit` seconds (it is cancelled
    then: the SDK turns the cancellation of an update call into an error of its own, which
    `asyncio.wait_for` would raise instead of its timeout)."""
    task = asyncio.ensure_future(work)
    done, _ = await asyncio.wait({task}, timeout=limit)
    if task in done:
        return task.result()
    task.cancel()
    with contextlib.suppress(Exception, asyncio.CancelledError):
        await task
    raise _OutOfTime(limit)


class _WithInterceptor(WorkflowEnvironment):
    """`env` through a client with one more interceptor (the same connection and time
    skipping: the SDK's own environments wrap their clients this way)."""

    def __init__(self, env: WorkflowEnvironment, interceptor: Interceptor) -> None:
        config = env.client.config()
        config["interceptors"] = [*config["interceptors"], interceptor]
        super().__init__(Client(**config))
        self._env = env

    async def sleep(self, duration: timedelta | float) -> None:
        await self._env.sleep(duration)

    async def get_current_time(self, handle: WorkflowHandle[Any, Any] | None = None) -> datetime:
        return await self._env.get_current_time(handle)

    @property
    def supports_time_skipping(self) -> bool:
        return self._env.supports_time_skipping


async def _our_run(
    scenario: Scenario, rules: Any, same_server: bool
) -> tuple[_Run, tuple[float, Counts] | None]:
    """Our run on a fresh server and database (and the floor after it, on that server, when
    `QAWARD_BENCH_FLOOR=same`)."""
    floor = None
    with tempfile.TemporaryDirectory(prefix="qaward-bench-") as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'bench.sqlite3'}"
        await asyncio.to_thread(upgrade, url)
        engine = create_engine(url)
        sessions = session_factory(engine)
        env = await _time_skipping_server()
        queries = QueryResults(env.client.data_converter.payload_converter)
        error = ""
        rejected = honors = 0
        try:
            seen = _WithInterceptor(env, queries)
            started = time.perf_counter()
            try:
                outcome = await _within(
                    size_timeout(), runner._run(seen, sessions, scenario, rules, False)
                )
                rejected, honors = len(outcome.rejected), len(outcome.honors)
            except Exception as err:  # a miss of this size; its histories still tell
                error = _describe(err)
            wall = time.perf_counter() - started
            try:
                load = await measured_load(env.client, sessions)
            except Exception as err:
                load = Load()
                error = error or f"histories: {_describe(err)}"
            load.root.payload = load.root.payload.larger(queries.largest)
            server_kb = _server_hwm_kb()
            if same_server and not error:
                floor = await run_floor(env, load.plan("floor"))
        finally:
            await env.shutdown()
            await engine.dispose()
    return _Run(wall, rejected, honors, load, server_kb, error), floor


async def _floor_run(plan: FloorPlan) -> tuple[float, Counts]:
    env = await _time_skipping_server()
    try:
        return await run_floor(env, plan)
    finally:
        await env.shutdown()


async def measure(size: int) -> SizeResult:
    scenario = generate_scenario(size)
    rules = load_rules(scenario.rules)
    same_server = floor_on_same_server()
    setup_started = time.perf_counter()
    # A worker's first start hashes the bytecode of every loaded module for its default
    # build id (memoized per process, ~0.2 s); done here, so neither our run nor the floor,
    # which starts its worker later in this process, is charged for it.
    load_default_build_id()
    setup = time.perf_counter() - setup_started
    runs: list[_Run] = []
    floor_walls: list[float] = []
    floor = Counts()
    for _ in range(repeats(size)):
        run, on_our_server = await _our_run(scenario, rules, same_server)
        runs.append(run)
        if run.error:  # no floor for a failed run: there is no ratio to give
            break
        if runs_floor(size):
            floor_wall, floor = on_our_server or await _floor_run(run.load.plan("floor"))
            floor_walls.append(floor_wall)
    server_kb = max(r.server_kb for r in runs)
    if not server_kb:  # no /proc: the largest child that has exited (ours or the floor's)
        server_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    python_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    load = runs[0].load
    total = load.total
    payload = PayloadSize()
    for r in runs:
        payload = payload.larger(r.load.total.payload)
    return SizeResult(
        size=size,
        wall_s=statistics.median(r.wall for r in runs),
        setup_s=setup,
        peak_rss_mb=(python_kb + server_kb) / 1024,
        python_rss_mb=python_kb / 1024,
        server_rss_mb=server_kb / 1024,
        largest_history=max(r.load.total.largest for r in runs),
        runs=total.runs,
        floor_s=statistics.median(floor_walls) if floor_walls else 0.0,
        starts=load.starts,
        updates=total.updates,
        signals=total.signals,
        activities=total.activities,
        timers=total.timers,
        floor_updates=floor.updates,
        floor_activities=floor.activities,
        floor_timers=floor.timers,
        floor_largest_history=floor.largest,
        rejected=max(r.rejected for r in runs),
        honors=runs[0].honors,
        load_avg=os.getloadavg()[0],
        wall_runs=[round(r.wall, 3) for r in runs],
        floor_runs=[round(w, 3) for w in floor_walls],
        largest_payload_bytes=payload.bytes,
        largest_payload_kind=payload.kind,
        largest_payload_workflow=payload.workflow_id,
        error=next((r.error for r in runs if r.error), ""),
    )


# --- command latency (`sim.bench_http`) ---------------------------------------------------


async def command_latency(commands: int) -> Latency:
    """`commands` HTTP commands and raw updates on a fresh time-skipping server."""
    from sim import bench_http  # uvicorn and the API: not loaded by the size processes

    load_default_build_id()  # as in `measure`: no first request pays for it
    env = await _time_skipping_server()
    try:
        warmup = min(bench_http.WARMUP, commands)
        http_ms, direct_ms, raw_ms = await bench_http.measure_latency(env.client, commands, warmup)
    finally:
        await env.shutdown()
    return Latency.of(bench_http.COMMAND, http_ms, raw_ms, direct_ms)


async def public_speed(seconds: float) -> PublicSpeed:
    """The public pages against a hello-world (`sim.bench_public`)."""
    from sim import bench_public  # uvicorn and the API: not loaded by the size processes

    load_default_build_id()
    try:
        return await bench_public.measure_public(seconds)
    except Exception as err:  # a named miss in the report, like a failed size
        return PublicSpeed(error=_describe(err))


# --- the command ----------------------------------------------------------------------------


def size_timeout() -> float:
    """How long our run of one size may take (`QAWARD_BENCH_TIMEOUT`, seconds, or
    `SIZE_TIMEOUT_S`): then it is stopped and its histories so far are read."""
    return float(os.environ.get("QAWARD_BENCH_TIMEOUT", SIZE_TIMEOUT_S))


def _backstop(timeout: float) -> float:
    """How long a size's process may take in all before it is killed without a result: its
    own deadline, the floor's time and a stop that hangs."""
    return 2 * timeout + BACKSTOP_S


def _in_own_process(args: Sequence[str], timeout: float) -> tuple[dict[str, Any] | None, str]:
    """`python -m sim.bench ARGS` in a fresh interpreter; its JSON result is the last line of
    stdout. It gets a process group of its own, so that stopping it on a timeout (or when
    this process is interrupted) stops its test server too. Returns the result, or None and
    why there is none."""
    process = subprocess.Popen(
        [sys.executable, "-m", "sim.bench", *args],
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        out, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        return None, f"{timeout:g} s 后仍无结果 / no result after {timeout:g} s, killed"
    except BaseException:
        os.killpg(process.pid, signal.SIGKILL)
        raise
    lines = out.strip().splitlines()
    if process.returncode != 0 or not lines:
        return None, f"进程退出码 {process.returncode} / the process exited ({process.returncode})"
    return json.loads(lines[-1]), ""


def _run_size(size: int) -> SizeResult:
    data, why = _in_own_process(["--size", str(size)], _backstop(size_timeout()))
    return SizeResult(**data) if data is not None else SizeResult.failed(size, why)


def _run_latency(commands: int) -> Latency:
    data, why = _in_own_process(["--http", str(commands)], _backstop(size_timeout()))
    return Latency(**data) if data is not None else Latency(error=why)


def _run_public(seconds: float) -> PublicSpeed:
    data, why = _in_own_process(["--public", str(seconds)], _backstop(size_timeout()))
    return PublicSpeed.from_json(data) if data is not None else PublicSpeed(error=why)


def _run_rehearsal(size: int) -> RehearsalTime:
    data, why = _in_own_process(["--rehearsal", str(size)], _backstop(size_timeout()))
    return RehearsalTime.from_json(data) if data is not None else RehearsalTime(size, error=why)


def bench_command(
    sizes: list[int],
    http_commands: int | None = None,
    public_seconds: float | None = None,
    rehearsal: int | None = None,
) -> int:
    """Every size, then the command latency (`http_commands` requests; 0 skips it), then the
    public speed (`public_seconds` per run; 0 skips it), then the rehearsal time
    (`sim.bench_rehearsal`, a cycle of `rehearsal` applications; `qaward bench` passes 100,
    0 or None skips it):
    the tables on stdout, exit status 1 when a target is missed."""
    commands = COMMANDS if http_commands is None else http_commands
    seconds = PUBLIC_SECONDS if public_seconds is None else public_seconds
    results = []
    for size in sizes:
        print(f"bench: {size} 个申报 / applications …", file=sys.stderr, flush=True)
        started = time.perf_counter()
        results.append(_run_size(size))
        took = time.perf_counter() - started
        print(f"bench: {size} done in {took:.0f} s", file=sys.stderr, flush=True)
    latency = None
    if commands > 0:
        print(f"bench: HTTP 命令 / commands ×{commands} …", file=sys.stderr, flush=True)
        started = time.perf_counter()
        latency = _run_latency(commands)
        took = time.perf_counter() - started
        print(f"bench: HTTP commands done in {took:.0f} s", file=sys.stderr, flush=True)
    public = None
    if seconds > 0:
        print(f"bench: 公开页面 / public pages, {seconds:g} s each …", file=sys.stderr, flush=True)
        started = time.perf_counter()
        public = _run_public(seconds)
        took = time.perf_counter() - started
        print(f"bench: public pages done in {took:.0f} s", file=sys.stderr, flush=True)
    rehearsed = None
    if rehearsal:
        print(f"bench: 规则预演 / rehearsal of {rehearsal} …", file=sys.stderr, flush=True)
        started = time.perf_counter()
        rehearsed = _run_rehearsal(rehearsal)
        took = time.perf_counter() - started
        print(f"bench: rehearsal done in {took:.0f} s", file=sys.stderr, flush=True)
    if results or latency is not None:
        print(render(results, latency, floor_same=floor_on_same_server()))
    if public is not None:
        print("\n" + public.render())
    if rehearsed is not None:
        print("\n" + rehearsed.render())
    misses = [miss for r in results for miss in r.misses()]
    misses += latency.misses() if latency is not None else []
    misses += public.misses() if public is not None else []
    misses += rehearsed.misses() if rehearsed is not None else []
    if misses:
        print("\n未达标 / targets missed:")
        for miss in misses:
            print(f"- {miss}")
        return 1
    return 0


def _main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m sim.bench")
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--size", type=int)
    which.add_argument("--http", type=int, metavar="COMMANDS")
    which.add_argument("--public", type=float, metavar="SECONDS")
    which.add_argument("--rehearsal", type=int, metavar="APPLICATIONS")
    args = parser.parse_args(argv)
    result: SizeResult | Latency | PublicSpeed | RehearsalTime
    if args.rehearsal is not None:
        load_default_build_id()
        result = asyncio.run(measure_rehearsal(args.rehearsal))
    elif args.public is not None:
        result = asyncio.run(public_speed(args.public))
    elif args.http is not None:
        result = asyncio.run(command_latency(args.http))
    else:
        result = asyncio.run(measure(args.size))
    print(json.dumps(asdict(result)), flush=True)
    return 0


if __name__ == "__main__":
    code = _main(sys.argv[1:])
    sys.stderr.flush()
    # The result is out; skip interpreter teardown, where the SDK's native threads can abort
    # the process (`PyGILState_Release` at finalization) and turn a good run into a failure.
    os._exit(code)
