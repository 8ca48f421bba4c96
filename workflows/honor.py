"""HonorWorkflow (`honor`, id `honor-{credit_code}-{award}-{year}`): an honor's years (§5, §6).

Started by the cycle as a child with ParentClosePolicy.ABANDON (or by the service for an
honor won before the service existed). A thin shell around `HonorTransitions`: it keeps the
reapplication, revocation-window, expiry-warning, expiry and yearly follow-up timers, takes
incident and fraud reports and the government's approval of a revocation, and completes once
the honor is revoked. Until then it stays open, also after its last timer: fraud (§6(2))
can be reported at any time.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from temporalio import workflow

from contracts.cycle import CycleStatus
from contracts.honor import FollowUpCommand, FraudCommand, HonorInput, HonorState, IncidentCommand
from contracts.notices import NoticeBatch, NoticeDraft
from contracts.records import HonorProjection
from domain.errors import DomainError
from workflows.base import TimedWorkflow, check_or_refuse, refuse
from workflows.honor_transitions import HonorTransitions

with workflow.unsafe.imports_passed_through():
    from activities.notices import NoticeActivities
    from activities.records import RecordsActivities

R = TypeVar("R")

INCIDENT_RECORDS = "incident-records"
"""Patch: every incident report is written to the register (`honor_incidents`), also one
without major adverse impact, which before was kept in the workflow's state only."""

FOLLOW_UP_TASKS = "follow-up-tasks"
"""Patch: the yearly follow-up reminder opens a task with a due date and an overdue check
(§2(3)4, §6(3)); histories from before it replay the plain reminder."""


@workflow.defn(name="honor")
class HonorWorkflow(TimedWorkflow):
    @workflow.init
    def __init__(self, inp: HonorInput) -> None:
        self._input = inp
        self._setup_clock(inp.clock_offset_seconds, inp.history_limit)
        self._state = inp.state or HonorState()
        self._honor = HonorTransitions(inp, self._state)
        if inp.state is None:
            self._state.timers = self._honor.initial_timers(self.now())
        self._timers = self._state.timers
        self._lock = asyncio.Lock()

    @workflow.run
    async def run(self, inp: HonorInput) -> HonorState:
        while not self._honor.finished():
            if self.history_too_long():
                await workflow.wait_condition(workflow.all_handlers_finished)
                workflow.continue_as_new(self._input.model_copy(update={"state": self._state}))
            await self.sleep_until_due_or_woken()
            async with self._lock:
                for name in self.pop_due():
                    await self._fire(name)
        await workflow.wait_condition(workflow.all_handlers_finished)
        return self._state

    async def _fire(self, name: str) -> None:
        now = self.now()
        projection: HonorProjection | None
        if self._honor.is_follow_up(name) and workflow.patched(FOLLOW_UP_TASKS):
            projection = self._honor.open_follow_up(name, now)
        elif name.startswith("follow_up_") and name.endswith("_overdue"):
            projection = self._honor.follow_up_overdue(name, now)
        else:
            await self._notify(self._honor.fire(name, now))
            return
        if projection is not None:
            await self.call(RecordsActivities.project_honor, projection)

    async def _notify(self, drafts: list[NoticeDraft]) -> None:
        if drafts:
            await self.call(NoticeActivities.publish_notices, NoticeBatch(notices=drafts))

    async def _command(self, decide: Callable[[datetime], tuple[R, HonorProjection | None]]) -> R:
        """Serialised like the cycle's commands; the transition checks its command again."""
        async with self._lock:
            try:
                result, projection = decide(self.now())
            except DomainError as err:
                raise refuse(err) from None
            if projection is not None:
                await self.call(RecordsActivities.project_honor, projection)
        self.wake()
        return result

    @workflow.query(name="state")
    def state(self) -> HonorState:
        return self._state

    @workflow.query(name="status")
    def status(self) -> CycleStatus:
        return CycleStatus(
            phase="revoked" if self._state.revoked_on else "active",
            next_due=self.next_due(),
            idle=self._busy == 0 and not self._wake and not self._lock.locked(),
            business_now=self.now(),
            attention=self._attention,
        )

    @workflow.update(name="report-incident")
    async def report_incident(self, cmd: IncidentCommand) -> bool:
        """§6(6): returns whether the report is a revocation proposal."""

        def decide(now: datetime) -> tuple[bool, HonorProjection | None]:
            proposal, projection = self._honor.report_incident(cmd, now)
            if workflow.patched(INCIDENT_RECORDS):
                projection = self._honor.incident_record(projection)
            return proposal, projection

        return await self._command(decide)

    @report_incident.validator
    def _validate_incident(self, cmd: IncidentCommand) -> None:
        check_or_refuse(lambda: self._honor.check_incident(cmd, self.now()))

    @workflow.update(name="report-fraud")
    async def report_fraud(self, cmd: FraudCommand) -> None:
        await self._command(lambda now: (None, self._honor.report_fraud(cmd)))

    @report_fraud.validator
    def _validate_fraud(self, cmd: FraudCommand) -> None:
        check_or_refuse(lambda: self._honor.check_fraud(cmd))

    @workflow.update(name="approve-revocation")
    async def approve_revocation(self) -> None:
        await self._command(lambda now: (None, self._honor.approve_revocation(now)))

    @approve_revocation.validator
    def _validate_approve_revocation(self) -> None:
        check_or_refuse(self._honor.check_approve_revocation)

    @workflow.update(name="submit-follow-up")
    async def submit_follow_up(self, cmd: FollowUpCommand) -> None:
        """§2(3)4, §6(3): the yearly report is in; no overdue reminder for it then."""
        await self._command(lambda now: self._honor.submit_follow_up(cmd))

    @submit_follow_up.validator
    def _validate_follow_up(self, cmd: FollowUpCommand) -> None:
        check_or_refuse(lambda: self._honor.check_follow_up(cmd))

    @workflow.update(name="resume")
    async def resume(self) -> None:
        """The office retries a write that kept failing (see `TimedWorkflow.call`)."""
        self._resume = True
