"""HonorWorkflow (`honor`, id `honor-{credit_code}-{award}-{year}`): an honor's years (§5, §6).

Started by the cycle as a child with ParentClosePolicy.ABANDON. Keeps the reapplication,
revocation-window, expiry-warning, expiry and yearly follow-up timers; takes incident and
fraud reports and the government's approval of a revocation.
"""

from __future__ import annotations

from datetime import datetime

from temporalio import workflow

from domain.awards import follow_up_dates, honor_dates, incident_in_window
from domain.dates import end_of_day, start_of_day
from domain.errors import DomainError, ErrorCode
from workflows import honor_texts as texts
from workflows.base import TimedWorkflow, refuse
from workflows.honor_messages import (
    CreditRecordEntry,
    FraudCommand,
    HonorInput,
    HonorProjection,
    HonorState,
    Incident,
    IncidentCommand,
)
from workflows.messages import CycleStatus

with workflow.unsafe.imports_passed_through():
    from activities.records import RecordsActivities


REGISTER_WRITTEN_BY_STARTER = "honor-register-written-by-starter"
"""Patch: whoever starts an honor has written its register row (the cycle's `register-honors`,
the service's historical honor), and the register derives the status from the dates; the
honor writes its row only when a revocation changes it."""


@workflow.defn(name="honor")
class HonorWorkflow(TimedWorkflow):
    @workflow.init
    def __init__(self, inp: HonorInput) -> None:
        self._input = inp
        self._grant = inp.grant
        self._setup_clock(inp.clock_offset_seconds, inp.history_limit)
        self._dates = honor_dates(
            self._grant.award, self._grant.year, self._grant.awarded_on, inp.rules
        )
        self._state = inp.state or HonorState(timers=self._initial_timers())
        self._timers = self._state.timers

    def _initial_timers(self) -> dict[str, datetime]:
        """Every dated event of the honor still ahead (history honors skip their past)."""
        d = self._dates
        timers = {
            "reapply_open": start_of_day(d.reapply_from),
            "revocation_window_close": end_of_day(d.revocation_window_closes),
        }
        if d.valid_until is not None and d.validity_expiring_on is not None:
            timers["validity_expiring"] = start_of_day(d.validity_expiring_on)
            timers["expiry"] = end_of_day(d.valid_until)
        for n, day in enumerate(follow_up_dates(self._grant.awarded_on, d.valid_until), 1):
            timers[f"follow_up_{n}"] = start_of_day(day)
        now = self.now()
        return {name: at for name, at in timers.items() if at > now}

    @workflow.run
    async def run(self, inp: HonorInput) -> HonorState:
        if inp.state is None and not workflow.patched(REGISTER_WRITTEN_BY_STARTER):
            await self._project()
        while self._state.revoked_on is None:
            if self.history_too_long():
                await workflow.wait_condition(workflow.all_handlers_finished)
                workflow.continue_as_new(self._input.model_copy(update={"state": self._state}))
            await self.sleep_until_due_or_woken()
            for name in self.pop_due():
                await self._fire(name)
        if workflow.patched("honor-open-after-revocation"):
            # A revoked honor stays open and idle (no timers). A child completing after
            # its abandoned parent has closed stalls the time-skipping test server, and
            # with it every rehearsal; an idle workflow costs nothing (README, Decisions).
            await workflow.wait_condition(lambda: False)
        await workflow.wait_condition(workflow.all_handlers_finished)
        return self._state

    async def _fire(self, name: str) -> None:
        wf, grant, now = self._input.workflow_id, self._grant, self.now()
        if name == "reapply_open":
            await self.notify(texts.reapply_open(wf, grant, self._input.name, now))
        elif name == "validity_expiring":
            assert self._dates.valid_until is not None
            await self.notify(
                [texts.validity_expiring(wf, grant, self._input.name, self._dates.valid_until, now)]
            )
        elif name.startswith("follow_up_"):
            await self.notify([texts.follow_up_due(wf, grant, self._input.name, name, now)])
        elif not workflow.patched(REGISTER_WRITTEN_BY_STARTER):
            # revocation_window_close, expiry: the register derives an honor's status from
            # its dates, so rewriting the unchanged row (as honors started before did) is idle.
            await self._project()

    async def _project(self) -> None:
        s = self._state
        await self.call(
            RecordsActivities.project_honor,
            HonorProjection(
                workflow_id=self._input.workflow_id,
                grant=self._grant,
                pending_revocation=s.pending_revocation,
                revoked_on=s.revoked_on,
                revocation_reason=s.revocation_reason,
                bonus_recovered_cny=s.bonus_recovered_cny,
            ),
        )

    @workflow.query(name="state")
    def state(self) -> HonorState:
        return self._state

    @workflow.query(name="status")
    def status(self) -> CycleStatus:
        return CycleStatus(
            phase="revoked" if self._state.revoked_on else "active",
            next_due=self.next_due(),
            idle=self._busy == 0 and not self._wake,
            business_now=self.now(),
            attention=self._attention,
        )

    @workflow.update(name="report-incident")
    async def report_incident(self, cmd: IncidentCommand) -> bool:
        """§6(6): returns whether the report is a revocation proposal."""
        self._state.incidents.append(
            Incident(
                occurred_on=cmd.occurred_on,
                kind=cmd.kind,
                major_adverse_impact=cmd.major_adverse_impact,
                note=cmd.note,
                reported_at=self.now(),
            )
        )
        if cmd.major_adverse_impact and self._state.pending_revocation is None:
            self._state.pending_revocation = "incident"
            self._state.pending_note = cmd.note
            await self._project()
        return cmd.major_adverse_impact

    @report_incident.validator
    def _validate_incident(self, cmd: IncidentCommand) -> None:
        if self._state.revoked_on is not None:
            raise refuse(DomainError(ErrorCode.ALREADY_REVOKED))
        if cmd.occurred_on > self.now().date():
            raise refuse(DomainError(ErrorCode.INVALID_INPUT, "事故发生日期不能晚于今天"))
        if cmd.major_adverse_impact and not incident_in_window(
            cmd.occurred_on, self._grant.awarded_on, self._input.rules
        ):
            raise refuse(DomainError(ErrorCode.INCIDENT_OUTSIDE_WINDOW))

    @workflow.update(name="report-fraud")
    async def report_fraud(self, cmd: FraudCommand) -> None:
        self._state.pending_revocation = "fraud"
        self._state.pending_note = cmd.note
        await self._project()

    @report_fraud.validator
    def _validate_fraud(self, cmd: FraudCommand) -> None:
        if self._state.revoked_on is not None:
            raise refuse(DomainError(ErrorCode.ALREADY_REVOKED))

    @workflow.update(name="approve-revocation")
    async def approve_revocation(self) -> None:
        """Government approval: revoked, bonus recovered, notice; fraud → credit record."""
        s = self._state
        reason = s.pending_revocation
        assert reason is not None
        today = self.now().date()
        s.revoked_on = today
        s.revocation_reason = reason
        s.pending_revocation = None
        s.bonus_recovered_cny = self._grant.bonus_cny
        self._timers.clear()
        if reason == "fraud":
            await self.call(
                RecordsActivities.add_credit_record,
                CreditRecordEntry(
                    key=f"{self._input.workflow_id}:fraud",
                    credit_code=self._grant.credit_code,
                    on=today,
                    note=s.pending_note or "以不正当手段骗取质量奖，撤销称号",
                ),
            )
        await self.notify(
            [
                texts.revocation(
                    self._input.workflow_id, self._grant, self._input.name, reason, self.now()
                )
            ]
        )
        await self._project()
        self.wake()

    @approve_revocation.validator
    def _validate_approve_revocation(self) -> None:
        if self._state.revoked_on is not None:
            raise refuse(DomainError(ErrorCode.ALREADY_REVOKED))
        if self._state.pending_revocation is None:
            raise refuse(DomainError(ErrorCode.REVOCATION_NOT_PENDING))
