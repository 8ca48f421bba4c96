"""Run a scenario through the real workflows, activities and services (DESIGN.md §6).

A time-skipping Temporal server and a throwaway SQLite database; a business-clock offset
maps the server's clock onto the scenario's dates. Before each action the clock advances
to its `at` and every timer due by then fires (the runner waits until each open workflow
reports that nothing is due and nothing is in flight). Actions go through `services/`
exactly as the HTTP API sends them; refusals are collected, not fatal.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session
from temporalio.client import Client, WorkflowExecutionStatus, WorkflowHandle
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from contracts.cycle import CycleStatus
from db.migrate import upgrade
from db.session import Database, create_engine, session_factory
from domain.credit_code import is_valid_credit_code
from domain.dates import SHANGHAI
from domain.errors import DomainError, ErrorCode
from domain.phases import Phase
from domain.rules import RulesError, load_rules
from qaward.codec import data_converter
from qaward.settings import get_settings
from qaward.temporal import runtime, test_server_path
from services import registry
from services.awards import AwardService, execution_status
from services.schemas import HistoricalHonorCreate, OrganizationCreate, RecordCreate, ReviewerCreate
from sim import actions, supervision
from sim.output import Outcome, collect, collect_notices
from sim.scenario import Scenario, ScenarioError
from sim.timelines import write_timelines
from worker.registry import build_worker

SETTLE_TIMEOUT = 60.0
_FINAL_PHASES = frozenset({Phase.ANNOUNCED.value, Phase.CANCELLED.value, "revoked"})
"""Status phases after which a workflow may complete (a cycle's last two; a revoked honor's,
for honors started before they stayed open after revocation)."""


@dataclass
class Context:
    """What actions need: the service, key ↔ credit code maps, objection numbering."""

    scenario: Scenario
    service: AwardService
    sessions: async_sessionmaker[AsyncSession]
    codes: dict[str, str] = field(default_factory=dict)
    invalid: dict[str, str] = field(default_factory=dict)
    objections: dict[int, tuple[int | None, int]] = field(default_factory=dict)
    latest_year: int | None = None

    def code(self, key: str) -> str:
        if key in self.invalid:
            raise DomainError(ErrorCode.INVALID_CREDIT_CODE, self.invalid[key])
        return self.codes[key]


@asynccontextmanager
async def _environment(sealed: bool) -> AsyncIterator[WorkflowEnvironment]:
    env = await WorkflowEnvironment.start_time_skipping(
        data_converter=data_converter(get_settings()) if sealed else pydantic_data_converter,
        test_server_existing_path=str(test_server_path()),
        runtime=runtime(),
    )
    try:
        yield env
    finally:
        await env.shutdown()


@dataclass(frozen=True)
class Finished:
    """What an inspector sees once the run is done, before the server stops."""

    client: Client
    sessions: async_sessionmaker[AsyncSession]
    now: datetime
    """The run's business time at its end (its last action's)."""


Inspector = Callable[[Finished], Awaitable[None]]


async def run_scenario(
    scenario: Scenario,
    *,
    progress: bool = True,
    inspect: Inspector | None = None,
    timeline: Path | None = None,
    throwaway: bool = False,
) -> Outcome:
    """Run `scenario`; `inspect` (tests, tools) sees the client before the server stops;
    `timeline`: a directory to draw the cycles' and honors' timelines in.

    `throwaway`: a what-if run (a rehearsal, `--compare`) whose server and history are
    gone once it answers, so its workflows run without the SDK's sandbox and its payloads
    without the codec — the same workflow code, about a third less time (README, 规则预演).
    Nothing else uses it: `qaward simulate` and the scenario suite run as production does."""
    try:
        rules = load_rules(scenario.rules)
    except RulesError as err:
        raise ScenarioError(f"rules: {err}") from None
    with tempfile.TemporaryDirectory(prefix="qaward-sim-") as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'sim.sqlite3'}"
        await asyncio.to_thread(upgrade, url)
        engine = create_engine(url)
        sessions = session_factory(engine)
        try:
            async with _environment(sealed=not throwaway) as env:
                outcome = await _run(env, sessions, scenario, rules, progress, throwaway)
                if timeline is not None:
                    await write_timelines(sessions, timeline, outcome.now.date())
                if inspect is not None:
                    await inspect(Finished(env.client, sessions, outcome.now))
                return outcome
        finally:
            await engine.dispose()


async def _run(
    env: WorkflowEnvironment,
    sessions: async_sessionmaker[AsyncSession],
    scenario: Scenario,
    rules: Any,
    progress: bool,
    throwaway: bool = False,
) -> Outcome:
    task_queue = f"sim-{uuid.uuid4()}"
    start = scenario.actions[0].at if scenario.actions else datetime.now(SHANGHAI)
    assert start is not None
    offset = start - await env.get_current_time()
    outcome = Outcome(now=start)
    service = AwardService(
        env.client,
        sessions,
        task_queue,
        clock_offset=offset,
        read_your_writes=False,
        # The service's "today" is the action's instant: the wall clock stands still
        # while the server skips months.
        clock=lambda: outcome.now,
    )
    ctx = Context(scenario=scenario, service=service, sessions=sessions)
    clock = _Clock(env, offset, service)
    async with build_worker(env.client, task_queue, sessions, sandboxed=not throwaway):
        await _register(ctx, rules)
        for index, action in enumerate(scenario.actions):
            at = action.at or outcome.now
            await clock.advance_to(at)
            outcome.now = at
            if progress:
                print(f"[{index}] {at.isoformat()} {action.do}", file=sys.stderr, flush=True)
            if action.do == "snapshot":
                await clock.settle(at, for_reading=True)
                outcome.snapshots.append(await collect(ctx, at, snapshot=True))
                continue
            if action.do in supervision.READS_DATABASE:
                await clock.settle(at, for_reading=True)
            clock.touched = True
            try:
                await actions.perform(ctx, action, rules)
            except DomainError as err:
                outcome.rejected.append({"index": index, "do": action.do, "error": err.code.value})
                if progress:
                    print(f"    refused: {err.code.value} {err.message}", file=sys.stderr)
        if scenario.actions and scenario.actions[-1].do == "snapshot":
            # Nothing has happened since that snapshot: its cycles and honors are the final ones.
            last = outcome.snapshots[-1]
            final = {**last, "notices": await collect_notices(ctx)}
        else:
            await clock.settle(outcome.now, for_reading=True)
            final = await collect(ctx, outcome.now, snapshot=False)
        if supervision.used_by(scenario):
            outcome.supervision = await supervision.collect(ctx, outcome.now.date())
    outcome.cycles, outcome.honors, outcome.notices = (
        final["cycles"],
        final["honors"],
        final["notices"],
    )
    return outcome


async def _register(ctx: Context, rules: Any) -> None:
    """The office's records before the scenario starts: organizations, reviewers, honors."""
    scenario = ctx.scenario
    organizations: dict[str, OrganizationCreate] = {}
    for key, org in scenario.organizations.items():
        if not is_valid_credit_code(org.credit_code.strip().upper()):
            # Registered as the office would try to: refused, shown on first use (§6).
            ctx.invalid[key] = org.credit_code
            continue
        organizations[key] = OrganizationCreate(
            credit_code=org.credit_code,
            name=org.name,
            county=org.county,
            registered_on=org.registered_on,
            industry=org.industry,
            industrial=org.industrial,
            excellence_since=org.excellence_since,
            mu_efficiency=org.mu_efficiency,
            record=[RecordCreate(on=r.on, kind=r.kind, note=r.note) for r in org.record],
        )
    codes = await Database(ctx.sessions).run(_register_records, organizations, scenario)
    ctx.codes.update(codes)
    for honor in sorted(scenario.honors, key=lambda h: h.awarded_on):
        if honor.organization in ctx.codes:
            await ctx.service.register_historical_honor(
                HistoricalHonorCreate(
                    credit_code=ctx.codes[honor.organization],
                    award=honor.award,
                    year=honor.year,
                    awarded_on=honor.awarded_on,
                ),
                rules,
            )


def _register_records(
    session: Session, organizations: dict[str, OrganizationCreate], scenario: Scenario
) -> dict[str, str]:
    """One transaction: the organizations, then the reviewers with their ties."""
    created = registry.register_organizations(session, list(organizations.values()))
    codes = dict(zip(organizations, (o.credit_code for o in created), strict=True))
    registry.register_reviewers(
        session,
        [
            ReviewerCreate(
                code=key,
                name=reviewer.name,
                industries=reviewer.industries,
                employer_credit_code=reviewer.employer,
                ties=[codes[t] for t in reviewer.ties if t in codes],
            )
            for key, reviewer in scenario.reviewers.items()
        ],
    )
    supervision.register_pool(session, scenario)
    return codes


class _Clock:
    """Moves the time-skipping server to a business instant and lets due timers finish.

    It remembers the instant it last settled at, and whether an action has run since
    (`touched`): settling again with nothing new to wait for is skipped. Workflows found
    closed are not asked again (a query to a closed run makes the worker replay its
    whole history).
    """

    def __init__(self, env: WorkflowEnvironment, offset: timedelta, service: AwardService):
        self._env = env
        self._offset = offset
        self._service = service
        self._settled: datetime | None = None
        self._closed: set[str] = set()
        self._due: dict[str, datetime | None] = {}
        self._synced = False
        self.touched = False

    async def business_now(self) -> datetime:
        return (await self._env.get_current_time() + self._offset).astimezone(SHANGHAI)

    async def advance_to(self, at: datetime) -> None:
        """Move the clock; timers due by `at` fire first. Actions at an instant already
        settled need no wait: what they start is due later (or is the action's own work,
        finished when its update returns)."""
        if self._settled is not None and at <= self._settled:
            return
        now = await self.business_now()
        if at > now:
            await self._env.sleep(at - now)
        await self.settle(at)

    async def settle(self, at: datetime, *, for_reading: bool = False) -> None:
        """Wait until no open workflow has a timer due by `at` or work in flight.

        `for_reading`: the database is read next, so cycles that defer their writes
        (`CycleInput.defer_writes`) are asked to write what they hold (`sync`) first.
        """
        if (
            not self.touched
            and self._settled is not None
            and at <= self._settled
            and (self._synced or not for_reading)
        ):
            return
        deadline = asyncio.get_running_loop().time() + SETTLE_TIMEOUT
        for workflow_id in await self._service.open_workflow_ids():
            if workflow_id not in self._closed:
                handle = self._env.client.get_workflow_handle(workflow_id)
                await self._settle_one(handle, at, for_reading, deadline)
        self._settled = at
        self._synced = for_reading
        self.touched = False

    async def _settle_one(
        self, handle: WorkflowHandle[Any, Any], at: datetime, for_reading: bool, deadline: float
    ) -> None:
        """Wait until one workflow has nothing due by `at` and nothing in flight (and, when
        the database is read next, has written what it deferred)."""
        loop = asyncio.get_running_loop()
        due = self._due.get(handle.id)
        if due is not None and due <= at and await self._closed_now(handle):
            # A timer has fired since it was last seen: it may have finished (then a query
            # would only make the worker replay it), which describe tells cheaply.
            return
        while loop.time() < deadline:
            try:
                status = await handle.query("status", result_type=CycleStatus)
            except Exception:  # not started yet, or completed: nothing to wait for
                state = await execution_status(handle)
                if state == WorkflowExecutionStatus.RUNNING:
                    await asyncio.sleep(0.02)
                    continue
                if state is not None:
                    self._closed.add(handle.id)
                return
            if for_reading and status.unwritten and status.attention is None:
                await _sync(handle)  # the cycle writes what it deferred (`defer_writes`)
                continue
            if status.idle and (status.next_due is None or status.next_due > at):
                self._due[handle.id] = status.next_due
                if status.next_due is None and status.phase in _FINAL_PHASES:
                    await self._closed_now(handle)  # not asked again once finished
                return
            await asyncio.sleep(0.02)
        print(f"warning: {handle.id} did not settle", file=sys.stderr)

    async def _closed_now(self, handle: WorkflowHandle[Any, Any]) -> bool:
        """Whether the workflow has closed (remembered: a closed one is not asked again)."""
        if await execution_status(handle) in (WorkflowExecutionStatus.RUNNING, None):
            return False
        self._closed.add(handle.id)
        return True


async def _sync(handle: WorkflowHandle[Any, Any]) -> bool:
    """Ask a cycle to write what it has queued; False when it cannot take the update now."""
    try:
        await handle.execute_update("sync")
    except Exception:  # continuing as new, or closed: the next status query tells
        await asyncio.sleep(0.02)
        return False
    return True
