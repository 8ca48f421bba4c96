"""`qaward bench` (`make bench`): generated cycles of 10, 100 and 1,000 applications.

Each size runs in its own process (so peak RSS is that size's), on its own time-skipping
server and throwaway SQLite database: the generated scenario goes through the simulator's
runner end to end — intake, qualification, 3-member panels scoring both review stages,
automatic shortlist (everyone, so the load grows with the size), site-report confirmations,
votes, 7 days of publicity, approval, then five years of honor timers. The histories of every
run of every workflow give the largest history and the operation counts (updates, signals,
activities, timers, workflow starts); then the engine floor (`sim.floor`) repeats those
operations on a minimal workflow, in the same process, with the same server binary.

The floor gets a fresh server of its own by default. The time-skipping server keeps every
history in memory and slows down as they pile up: on the server our 1,000-application run
had just used, the floor took about three times as long as on a fresh one, which would credit
our code with the engine's slowdown. `QAWARD_BENCH_FLOOR=same` runs it on our server instead.

Small sizes repeat (`repeats`): ours and the floor take turns, each time on fresh servers,
and the table gives the medians, so one slow second on a shared machine does not decide
the ratio.

Printed: a Markdown table per size — wall time, peak RSS (our process + the test server),
largest history, floor wall time and the ratio — and the operation counts. Exit status 1
when a target is missed (each miss is named), 0 otherwise.
"""

from __future__ import annotations

import argparse
import asyncio
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
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client, Interceptor, WorkflowHandle
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker
from temporalio.worker._worker import load_default_build_id

from contracts.cycle import CycleInput
from db.migrate import upgrade
from db.models import Cycle, Honor
from db.session import create_engine, session_factory
from domain.credit_code import check_character
from domain.dates import SHANGHAI
from domain.rules import load_rules
from domain.types import Award, Industry
from qaward.temporal import runtime, test_server_path
from sim import runner
from sim.bench_payloads import PayloadSize, QueryResults, largest_payload
from sim.floor import ChildPlan, FloorChildWorkflow, FloorPlan, FloorWorkflow, noop
from sim.scenario import Action, Scenario
from worker.registry import workflow_runner

WALL_TARGET_S = 120.0
WALL_TARGET_SIZE = 1000
HISTORY_TARGET = 10_240
RATIO_TARGET = 1.5
RATIO_TARGET_SIZE = 1000
PAYLOAD_TARGET_BYTES = 256 * 1024
HTTP_RATIO_TARGET = 1.3
FLOOR_MAX_SIZE = 1_000_000
COMMANDS = 200
"""HTTP commands timed (and as many raw updates), after a warm-up."""
SIZE_TIMEOUT_S = 3600.0
"""A size still running after this long is stopped and reported as a miss
(`QAWARD_BENCH_TIMEOUT`, seconds, overrides it)."""
REVIEWERS_PER_INDUSTRY = 10
PANEL = 3
COMMITTEE = 9
WINNERS_PER_AWARD = 3

_ACTION: TypeAdapter[Any] = TypeAdapter(Action)


def history_limit() -> int:
    """The real workflows' continue-as-new threshold, which the floor applies too."""
    found = CycleInput.model_fields.get("history_limit")
    return int(found.default) if found is not None and found.default is not None else 7_000


# --- the generated scenario ---------------------------------------------------------------


def credit_code(prefix: str, serial: int) -> str:
    """A valid 统一社会信用代码: 10-character prefix, 7-digit serial, GB 32100 check character."""
    first17 = f"{prefix}{serial:07d}"
    return first17 + check_character(first17)


def _at(day: date, hour: int = 9, minute: int = 0) -> str:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI).isoformat()


def _points(serial: int, salt: int) -> int:
    """A reviewer-independent base score in 500..899, spread over the applications."""
    return 500 + (serial * salt) % 400


def scenario_data(size: int, year: int = 2025) -> dict[str, Any]:
    """The scenario of one generated cycle with `size` applications, as a YAML-able mapping.

    Every organization is eligible (registered long ago, excellence since 2015, industrial
    ones graded A), applications alternate between the awards and run over all industries,
    each industry has `REVIEWERS_PER_INDUSTRY` expert reviewers, and panels rotate among
    them. The committee passes the best `WINNERS_PER_AWARD` of each award by total score.
    """
    industries = list(Industry)
    keys = [f"O{i:04d}" for i in range(size)]
    organizations: dict[str, Any] = {}
    for i, key in enumerate(keys):
        industrial = i % 3 == 0
        organizations[key] = {
            "name": f"庆元县基准测试{i:04d}号有限公司",
            "credit_code": credit_code("91331126MA", i + 1),
            "county": "庆元县",
            "registered_on": "2010-01-01",
            "industry": industries[i % len(industries)].value,
            "industrial": industrial,
            "excellence_since": "2015-01-01",
            "mu_efficiency": {year - 1: "A"} if industrial else {},
        }
    reviewers: dict[str, Any] = {}
    for k, industry in enumerate(industries):
        for j in range(REVIEWERS_PER_INDUSTRY):
            reviewers[f"R{k}{j}"] = {
                "name": f"评审员{k}{j}",
                "industries": [industry.value],
                "employer": credit_code("91331126MB", k * 100 + j + 1),
            }

    def award(i: int) -> str:
        return (Award.QUALITY if i % 2 == 0 else Award.INNOVATION).value

    def panel(i: int) -> list[str]:
        k = i % len(industries)
        start = (i // len(industries)) % REVIEWERS_PER_INDUSTRY
        return [f"R{k}{(start + n) % REVIEWERS_PER_INDUSTRY}" for n in range(PANEL)]

    opened = date(year, 3, 3)
    deadline = date(year, 5, 15)
    timeline: list[dict[str, Any]] = [
        {
            "at": _at(opened),
            "do": "open_cycle",
            "year": year,
            "application_deadline": deadline.isoformat(),
        }
    ]
    intake_days = 60
    for i, key in enumerate(keys):
        day = date(year, 3, 10) + timedelta(days=i * intake_days // max(size, 1))
        timeline.append({"at": _at(day), "do": "apply", "organization": key, "award": award(i)})
    timeline.append({"at": _at(date(year, 5, 16)), "do": "close_qualification"})

    totals: dict[str, float] = {}
    for stage, assign_day, score_day, salt in (
        ("document", date(year, 5, 19), date(year, 6, 1), 7919),
        ("site", date(year, 6, 3), date(year, 6, 20), 104729),
    ):
        if stage == "site":
            timeline.append({"at": _at(date(year, 6, 2)), "do": "shortlist", "auto": True})
        timeline.append({"at": _at(assign_day), "do": "_mark"})
        for i, key in enumerate(keys):
            members = panel(i)
            timeline.append(
                {
                    "do": "assign_panel",
                    "stage": stage,
                    "organization": key,
                    "reviewers": members,
                    "leader": members[0],
                }
            )
        timeline.append({"at": _at(score_day), "do": "_mark"})
        for i, key in enumerate(keys):
            base = _points(i + 1, salt)
            weight = 0.4 if stage == "document" else 0.6
            totals[key] = totals.get(key, 0.0) + weight * (base + 10)
            for n, reviewer in enumerate(panel(i)):
                timeline.append(
                    {
                        "do": "score",
                        "stage": stage,
                        "organization": key,
                        "reviewer": reviewer,
                        "points": base + 10 * n,
                    }
                )
    timeline.append({"at": _at(date(year, 6, 25)), "do": "_mark"})
    timeline.extend({"do": "confirm_site_report", "organization": key} for key in keys)

    for n, which in enumerate(Award):
        entrants = sorted(
            (k for i, k in enumerate(keys) if award(i) == which.value),
            key=lambda k: (-totals[k], k),
        )
        if not entrants:
            continue
        winners = set(entrants[:WINNERS_PER_AWARD])
        ballots = {
            k: {"yes": COMMITTEE, "no": 0, "abstain": 0}
            if k in winners
            else {"yes": COMMITTEE // 2, "no": COMMITTEE - COMMITTEE // 2, "abstain": 0}
            for k in entrants
        }
        timeline.append(
            {
                "at": _at(date(year, 7, 10), 15, 30 * n),
                "do": "vote",
                "award": which.value,
                "present": COMMITTEE,
                "ballots": ballots,
            }
        )
    timeline.append({"at": _at(date(year, 7, 20)), "do": "approve", "strike": []})
    timeline.append({"at": _at(date(year + 5, 7, 21)), "do": "snapshot"})
    return {
        "rules": {"shortlist": {"max_per_award": max(size, 1)}},
        "committee": {"members": COMMITTEE},
        "organizations": organizations,
        "honors": [],
        "reviewers": reviewers,
        "timeline": _fold_marks(timeline),
    }


def _fold_marks(timeline: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`_mark` entries only carry a time: move it onto the next real action."""
    folded: list[dict[str, Any]] = []
    pending: str | None = None
    for entry in timeline:
        if entry["do"] == "_mark":
            pending = entry["at"]
            continue
        if pending is not None:
            entry = {"at": pending, **entry}
            pending = None
        folded.append(entry)
    return folded


def generate_scenario(size: int) -> Scenario:
    """The parsed scenario (validated action by action, without a YAML round trip)."""
    data = scenario_data(size)
    scenario = Scenario.model_validate(data)
    scenario.actions = [_ACTION.validate_python(entry) for entry in data["timeline"]]
    return scenario


# --- histories ----------------------------------------------------------------------------

_COUNTED = {
    EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED: "updates",
    EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED: "signals",
    EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED: "activities",
    EventType.EVENT_TYPE_TIMER_STARTED: "timers",
    EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED: "children",
}


@dataclass
class Counts:
    """Operations of one workflow (all its runs), read from its histories."""

    runs: int = 0
    largest: int = 0
    updates: int = 0
    signals: int = 0
    activities: int = 0
    timers: int = 0
    children: int = 0
    payload: PayloadSize = field(default_factory=PayloadSize)
    """The largest single payload in any of its histories."""

    def add(self, other: Counts) -> None:
        self.runs += other.runs
        self.largest = max(self.largest, other.largest)
        self.payload = self.payload.larger(other.payload)
        for name in ("updates", "signals", "activities", "timers", "children"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


async def workflow_counts(client: Client, workflow_id: str) -> Counts:
    """Every run of `workflow_id`, latest first, back along the continue-as-new chain.

    The time-skipping server has no visibility queries, so the chain is followed through
    each run's first event (`continued_execution_run_id` names the run before it).
    """
    counts = Counts()
    run_id: str | None = None
    while True:
        history = await client.get_workflow_handle(workflow_id, run_id=run_id).fetch_history()
        events = history.events
        counts.runs += 1
        counts.largest = max(counts.largest, len(events))
        counts.payload = counts.payload.larger(largest_payload(events, workflow_id))
        for event in events:
            name = _COUNTED.get(event.event_type)
            if name is not None:
                setattr(counts, name, getattr(counts, name) + 1)
        started = events[0].workflow_execution_started_event_attributes
        if not started.continued_execution_run_id:
            return counts
        run_id = started.continued_execution_run_id


@dataclass
class Load:
    """The measured load: the cycle(s) as the floor's root, each honor as one child."""

    root: Counts = field(default_factory=Counts)
    children: dict[str, Counts] = field(default_factory=dict)

    @property
    def total(self) -> Counts:
        total = Counts()
        total.add(self.root)
        for child in self.children.values():
            total.add(child)
        return total

    @property
    def starts(self) -> int:
        return 1 + len(self.children)

    def plan(self, prefix: str) -> FloorPlan:
        return FloorPlan(
            history_limit=history_limit(),
            updates=self.total.updates,
            signals=self.total.signals,
            activities=self.root.activities,
            timers=self.root.timers,
            children=[
                ChildPlan(workflow_id=f"{prefix}-{n}", activities=c.activities, timers=c.timers)
                for n, c in enumerate(self.children.values())
            ],
        )


async def measured_load(
    client: Client, sessions: async_sessionmaker[AsyncSession], root_ids: Sequence[str] = ()
) -> Load:
    load = Load()
    async with sessions() as session:
        cycles = list(await session.scalars(select(Cycle.workflow_id)))
        honors = [h for h in await session.scalars(select(Honor.workflow_id)) if h]
    for workflow_id in [*cycles, *root_ids]:
        load.root.add(await workflow_counts(client, workflow_id))
    for workflow_id in honors:
        load.children[workflow_id] = await workflow_counts(client, workflow_id)
    return load


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
        for n in range(plan.updates):
            done: int = await handle.execute_update(step)
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


@dataclass
class SizeResult:
    """One size's figures (zero where a failed run had none); the JSON a size's process prints."""

    size: int
    wall_s: float = 0.0
    setup_s: float = 0.0
    peak_rss_mb: float = 0.0
    python_rss_mb: float = 0.0
    server_rss_mb: float = 0.0
    largest_history: int = 0
    runs: int = 0
    floor_s: float = 0.0
    starts: int = 0
    updates: int = 0
    signals: int = 0
    activities: int = 0
    timers: int = 0
    floor_updates: int = 0
    floor_activities: int = 0
    floor_timers: int = 0
    floor_largest_history: int = 0
    rejected: int = 0
    honors: int = 0
    load_avg: float = 0.0
    """1-minute load average at the end: other work on the machine slows every figure."""
    wall_runs: list[float] = field(default_factory=list)
    floor_runs: list[float] = field(default_factory=list)
    """Each repetition's wall time, ours and the floor's (`wall_s`, `floor_s`: their medians)."""
    largest_payload_bytes: int = 0
    largest_payload_kind: str = ""
    largest_payload_workflow: str = ""
    """The largest single payload in any history of the run (`sim.bench_payloads`)."""
    error: str = ""
    """Why the size failed (our run raised, the process died or ran out of time): the figures
    are then what the histories showed up to that point, or zero when there were none."""

    @classmethod
    def failed(cls, size: int, error: str) -> SizeResult:
        """A size whose process gave no result: every figure zero."""
        return cls(size=size, error=error)

    @property
    def has_floor(self) -> bool:
        return self.floor_s > 0

    @property
    def ratio(self) -> float:
        return self.wall_s / self.floor_s if self.has_floor else float("inf")

    def misses(self) -> list[str]:
        found = []
        if self.error:
            found.append(f"{self.size}: 运行失败 / the run failed: {self.error}")
        if not self.error and self.size == WALL_TARGET_SIZE and self.wall_s >= WALL_TARGET_S:
            found.append(
                f"{self.size}: 用时 {self.wall_s:.1f} s ≥ {WALL_TARGET_S:.0f} s / wall time target"
            )
        if self.largest_history >= HISTORY_TARGET:
            found.append(
                f"{self.size}: 最大历史 {self.largest_history} ≥ {HISTORY_TARGET} 事件"
                " / largest history target"
            )
        if self.largest_payload_bytes > PAYLOAD_TARGET_BYTES:
            found.append(
                f"{self.size}: 最大载荷 {self.largest_payload_bytes} 字节 > "
                f"{PAYLOAD_TARGET_BYTES} ({self.largest_payload_kind}, "
                f"{self.largest_payload_workflow}) / largest payload target"
            )
        if self.size == RATIO_TARGET_SIZE and not self.error and self.ratio > RATIO_TARGET:
            found.append(
                f"{self.size}: 与引擎下限之比 {self.ratio:.2f} > {RATIO_TARGET}"
                " / ratio to the engine floor target"
            )
        if self.rejected:
            found.append(f"{self.size}: {self.rejected} 个动作被拒绝 / actions refused")
        return found


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
        data_converter=pydantic_data_converter,
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
    text = " ".join(str(err).split())
    return f"{type(err).__name__}: {text}"[:300]


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
            started = time.perf_counter()
            try:
                seen = _WithInterceptor(env, queries)
                outcome = await runner._run(seen, sessions, scenario, rules, False)
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


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (1 ≤ q ≤ 99), interpolated between the nearest ranks."""
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(q) - 1]


@dataclass
class Latency:
    """An HTTP cycle command against a raw update round trip, measured side by side (ms)."""

    count: int = 0
    http_p50_ms: float = 0.0
    http_p95_ms: float = 0.0
    raw_p50_ms: float = 0.0
    raw_p95_ms: float = 0.0
    command: str = ""
    error: str = ""

    @classmethod
    def of(cls, command: str, http_ms: Sequence[float], raw_ms: Sequence[float]) -> Latency:
        return cls(
            count=len(http_ms),
            http_p50_ms=statistics.median(http_ms),
            http_p95_ms=percentile(http_ms, 95),
            raw_p50_ms=statistics.median(raw_ms),
            raw_p95_ms=percentile(raw_ms, 95),
            command=command,
        )

    @property
    def ratio(self) -> float:
        return self.http_p50_ms / self.raw_p50_ms if self.raw_p50_ms > 0 else float("inf")

    def misses(self) -> list[str]:
        if self.error:
            return [f"HTTP 命令延迟测量失败 / the command latency run failed: {self.error}"]
        if self.ratio > HTTP_RATIO_TARGET:
            return [
                f"HTTP 命令 p50 {self.http_p50_ms:.1f} ms 为原始更新 {self.raw_p50_ms:.1f} ms 的"
                f" {self.ratio:.2f} 倍 > {HTTP_RATIO_TARGET} / HTTP command latency target"
            ]
        return []


async def command_latency(commands: int) -> Latency:
    """`commands` HTTP commands and raw updates on a fresh time-skipping server."""
    from sim import bench_http  # uvicorn and the API: not loaded by the size processes

    load_default_build_id()  # as in `measure`: no first request pays for it
    env = await _time_skipping_server()
    try:
        warmup = min(bench_http.WARMUP, commands)
        http_ms, raw_ms = await bench_http.measure_latency(env.client, commands, warmup)
    finally:
        await env.shutdown()
    return Latency.of(bench_http.COMMAND, http_ms, raw_ms)


# --- the command ----------------------------------------------------------------------------


def size_timeout() -> float:
    """How long one size may run (`QAWARD_BENCH_TIMEOUT`, seconds; `SIZE_TIMEOUT_S`)."""
    return float(os.environ.get("QAWARD_BENCH_TIMEOUT", SIZE_TIMEOUT_S))


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
        return None, f"{timeout:g} s 内未完成 / still running after {timeout:g} s, stopped"
    except BaseException:
        os.killpg(process.pid, signal.SIGKILL)
        raise
    lines = out.strip().splitlines()
    if process.returncode != 0 or not lines:
        return None, f"进程退出码 {process.returncode} / the process exited ({process.returncode})"
    return json.loads(lines[-1]), ""


def _run_size(size: int) -> SizeResult:
    data, why = _in_own_process(["--size", str(size)], size_timeout())
    return SizeResult(**data) if data is not None else SizeResult.failed(size, why)


def _run_latency(commands: int) -> Latency:
    data, why = _in_own_process(["--http", str(commands)], size_timeout())
    return Latency(**data) if data is not None else Latency(error=why)


def _cell(value: float, digits: int, present: bool = True) -> str:
    return f"{value:.{digits}f}" if present else "—"


def render(results: Sequence[SizeResult], latency: Latency | None = None) -> str:
    lines = [
        "## 性能基准 / qaward bench",
        "",
        "| 申报数 size | 用时 wall s | 峰值内存 peak RSS MB | 最大历史 largest history"
        " events | 最大载荷 largest payload bytes | 引擎下限 floor s | 比值 ratio |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        ran = not r.error
        lines.append(
            f"| {r.size} | {_cell(r.wall_s, 1, ran)} | {_cell(r.peak_rss_mb, 0, ran)} "
            f"| {r.largest_history} | {r.largest_payload_bytes} "
            f"| {_cell(r.floor_s, 1, r.has_floor)} | {_cell(r.ratio, 2, r.has_floor)} |"
        )
    lines += ["", "| 申报数 size | 最大载荷来源 largest payload: kind | 工作流 workflow |"]
    lines.append("|---:|---|---|")
    for r in results:
        lines.append(f"| {r.size} | {r.largest_payload_kind} | {r.largest_payload_workflow} |")
    lines += [
        "",
        "| 申报数 size | 工作流启动 starts | 运行数 runs | 更新 updates | 信号 signals"
        " | 活动 activities | 计时器 timers | Python RSS MB | 测试服务器 server RSS MB"
        " | 负载 load avg |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r.size} | {r.starts} | {r.runs} | {r.updates} | {r.signals} | {r.activities} "
            f"| {r.timers} | {r.python_rss_mb:.0f} | {r.server_rss_mb:.0f} | {r.load_avg:.1f} |"
        )
    failed = [r for r in results if r.error]
    if failed:
        lines += ["", "失败 / failed (figures are what its histories showed):"]
        lines += [f"- {r.size}: {r.error}" for r in failed]
    if latency is not None:
        lines += ["", _render_latency(latency)]
    lines += [
        "",
        f"目标 / targets: {WALL_TARGET_SIZE} 个申报 < {WALL_TARGET_S:.0f} s，"
        f"与引擎下限之比 ≤ {RATIO_TARGET}；每个规模最大历史 < {HISTORY_TARGET} 事件，"
        f"最大载荷 ≤ {PAYLOAD_TARGET_BYTES} 字节；"
        f"HTTP 命令 p50 ≤ {HTTP_RATIO_TARGET} × 原始更新 p50",
        "引擎下限运行于"
        + (
            "同一测试服务器 / floor on our server"
            if floor_on_same_server()
            else "全新测试服务器 / floor on a fresh test server"
        )
        + "；用时不含服务器启动与建库 / wall time excludes server start and migrations",
        "用时与引擎下限为交替运行的中位数（10 个申报 5 次，100 个 3 次，更大规模 1 次）"
        " / wall and floor: medians of alternating runs (5 at size 10, 3 at 100, 1 above)",
    ]
    return "\n".join(lines)


def _render_latency(latency: Latency) -> str:
    if latency.error:
        return f"命令延迟 / command latency: 失败 / failed: {latency.error}"
    return "\n".join(
        [
            f"命令延迟 / command latency ({latency.count} 次，交替 / alternating)：",
            "",
            "| 往返 round trip | p50 ms | p95 ms |",
            "|---|---:|---:|",
            f"| HTTP {latency.command} | {latency.http_p50_ms:.1f} | {latency.http_p95_ms:.1f} |",
            f"| 原始更新 raw update | {latency.raw_p50_ms:.1f} | {latency.raw_p95_ms:.1f} |",
            "",
            f"p50 比值 / ratio: {latency.ratio:.2f}",
        ]
    )


def bench_command(sizes: list[int], http_commands: int | None = None) -> int:
    """Every size, then the command latency (`http_commands` requests; 0 skips it): the
    tables on stdout, exit status 1 when a target is missed."""
    commands = COMMANDS if http_commands is None else http_commands
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
    print(render(results, latency))
    misses = [miss for r in results for miss in r.misses()]
    misses += latency.misses() if latency is not None else []
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
    args = parser.parse_args(argv)
    result: SizeResult | Latency
    if args.http is not None:
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
