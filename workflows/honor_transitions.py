"""The honor's decisions as plain functions (§5, §6): (state, command, now) → effects.

`HonorTransitions` holds an honor's input and state. Each method checks its command
(raising `DomainError`, changing nothing) and then changes the state; what must reach the
database comes back as an `HonorProjection` (a revocation) or notices (a timer). No
Temporal, no I/O (`tests/workflows/test_honor_transitions.py`).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from contracts.honor import (
    FollowUpCommand,
    FollowUpState,
    FollowUpTask,
    FraudCommand,
    HonorInput,
    HonorState,
    Incident,
    IncidentCommand,
)
from contracts.notices import NoticeDraft
from contracts.records import CreditRecordEntry, HonorProjection, IncidentRecord
from domain.awards import HonorDates, follow_up_dates, honor_dates, incident_in_window
from domain.dates import end_of_day, start_of_day
from domain.errors import DomainError, ErrorCode
from workflows import honor_texts as texts


class HonorTransitions:
    def __init__(self, inp: HonorInput, state: HonorState) -> None:
        self.inp = inp
        self.state = state
        self.grant = inp.grant
        self.dates: HonorDates = honor_dates(
            inp.grant.award, inp.grant.year, inp.grant.awarded_on, inp.rules
        )

    def initial_timers(self, now: datetime) -> dict[str, datetime]:
        """Every dated event of the honor still ahead (an earlier honor skips its past)."""
        d = self.dates
        timers = {
            "reapply_open": start_of_day(d.reapply_from),
            "revocation_window_close": end_of_day(d.revocation_window_closes),
        }
        if d.valid_until is not None and d.validity_expiring_on is not None:
            timers["validity_expiring"] = start_of_day(d.validity_expiring_on)
            timers["expiry"] = end_of_day(d.valid_until)
        for n, day in enumerate(follow_up_dates(self.grant.awarded_on, d.valid_until), 1):
            timers[f"follow_up_{n}"] = start_of_day(day)
        return {name: at for name, at in timers.items() if at > now}

    def finished(self) -> bool:
        return self.state.revoked_on is not None

    def fire(self, name: str, now: datetime) -> list[NoticeDraft]:
        """A timer came due: the notices it sends. The window's close and the expiry send
        none; the register derives an honor's status from its dates."""
        wf, grant, org = self.inp.workflow_id, self.grant, self.inp.name
        if name == "reapply_open":
            return texts.reapply_open(wf, grant, org, now)
        if name == "validity_expiring":
            assert self.dates.valid_until is not None
            return [texts.validity_expiring(wf, grant, org, self.dates.valid_until, now)]
        if name.startswith("follow_up_"):
            return [texts.follow_up_due(wf, grant, org, name, now)]
        return []

    @staticmethod
    def is_follow_up(name: str) -> bool:
        """A yearly follow-up timer (`follow_up_N`), not its overdue check."""
        return name.startswith("follow_up_") and not name.endswith("_overdue")

    def open_follow_up(self, name: str, now: datetime) -> HonorProjection:
        """§2(3)4, §6(3): the yearly reminder opens a task for the holder, due in
        `honor.follow_up_days`; an overdue check is armed for the end of its due day."""
        number = int(name.removeprefix("follow_up_"))
        due = now.date() + timedelta(days=self.inp.rules.honor.follow_up_days)
        self.state.follow_ups[number] = FollowUpState(due_on=due)
        self.state.timers[f"{name}_overdue"] = end_of_day(due)
        wf, grant, org = self.inp.workflow_id, self.grant, self.inp.name
        notices = [
            texts.follow_up_due(wf, grant, org, name, now),
            texts.follow_up_task(wf, grant, org, name, due, now),
        ]
        task = FollowUpTask(number=number, reminded_on=now.date(), due_on=due)
        return self.projection(notices=notices, follow_ups=[task])

    def follow_up_overdue(self, name: str, now: datetime) -> HonorProjection | None:
        """The due day has passed: a missing report is overdue, the office is told and the
        holder reminded once more; a submitted one needs nothing."""
        step = name.removesuffix("_overdue")
        number = int(step.removeprefix("follow_up_"))
        task = self.state.follow_ups[number]
        if task.submitted:
            return None
        task.overdue = True
        wf, grant, org = self.inp.workflow_id, self.grant, self.inp.name
        reminded = task.due_on - timedelta(days=self.inp.rules.honor.follow_up_days)
        row = FollowUpTask(number=number, reminded_on=reminded, due_on=task.due_on, overdue=True)
        notices = texts.follow_up_overdue(wf, grant, org, step, task.due_on, now)
        return self.projection(notices=notices, follow_ups=[row])

    def check_follow_up(self, cmd: FollowUpCommand) -> None:
        self._require_not_revoked()
        if cmd.number not in self.state.follow_ups:
            raise DomainError(ErrorCode.FOLLOW_UP_NOT_FOUND, f"第{cmd.number}年")

    def submit_follow_up(self, cmd: FollowUpCommand) -> tuple[None, None]:
        """The holder's report is in (the service keeps its text and PDF): nothing to
        write from here."""
        self.check_follow_up(cmd)
        self.state.follow_ups[cmd.number].submitted = True
        return None, None

    def _require_not_revoked(self) -> None:
        if self.state.revoked_on is not None:
            raise DomainError(ErrorCode.ALREADY_REVOKED)

    def check_incident(self, cmd: IncidentCommand, now: datetime) -> None:
        """§6(6): an accident with major adverse impact inside the 2-year window is a proposal."""
        self._require_not_revoked()
        if cmd.occurred_on > now.date():
            raise DomainError(ErrorCode.INVALID_INPUT, "事故发生日期不能晚于今天")
        if cmd.major_adverse_impact and not incident_in_window(
            cmd.occurred_on, self.grant.awarded_on, self.inp.rules
        ):
            raise DomainError(ErrorCode.INCIDENT_OUTSIDE_WINDOW)

    def report_incident(
        self, cmd: IncidentCommand, now: datetime
    ) -> tuple[bool, HonorProjection | None]:
        """Whether the report is a revocation proposal, and the register's change if any."""
        self.check_incident(cmd, now)
        s = self.state
        s.incidents.append(
            Incident(
                occurred_on=cmd.occurred_on,
                kind=cmd.kind,
                major_adverse_impact=cmd.major_adverse_impact,
                note=cmd.note,
                reported_at=now,
            )
        )
        if cmd.major_adverse_impact and s.pending_revocation is None:
            s.pending_revocation = "incident"
            s.pending_note = cmd.note
            return True, self.projection()
        return cmd.major_adverse_impact, None

    def incident_record(self, projection: HonorProjection | None) -> HonorProjection:
        """`projection` (the report's change, if any) with the incident just reported: the
        register keeps every report, so the office's to-do knows an accident was assessed
        even when it had no major adverse impact (no revocation proposed)."""
        latest = self.state.incidents[-1]
        record = IncidentRecord(number=len(self.state.incidents), **latest.model_dump())
        return (projection or self.projection()).model_copy(update={"incidents": [record]})

    def check_fraud(self, cmd: FraudCommand) -> None:
        """§6(2): fraud can be reported at any time, also after expiry."""
        self._require_not_revoked()

    def report_fraud(self, cmd: FraudCommand) -> HonorProjection:
        self.check_fraud(cmd)
        self.state.pending_revocation = "fraud"
        self.state.pending_note = cmd.note
        return self.projection()

    def check_approve_revocation(self) -> None:
        self._require_not_revoked()
        if self.state.pending_revocation is None:
            raise DomainError(ErrorCode.REVOCATION_NOT_PENDING)

    def approve_revocation(self, now: datetime) -> HonorProjection:
        """The government approves: revoked, bonus recovered, notice; fraud → credit record."""
        self.check_approve_revocation()
        s = self.state
        reason = s.pending_revocation
        assert reason is not None
        today = now.date()
        s.revoked_on = today
        s.revocation_reason = reason
        s.pending_revocation = None
        s.bonus_recovered_cny = self.grant.bonus_cny
        s.timers.clear()
        wf = self.inp.workflow_id
        credit = (
            CreditRecordEntry(
                key=f"{wf}:fraud",
                credit_code=self.grant.credit_code,
                on=today,
                note=s.pending_note or "以不正当手段骗取质量奖，撤销称号",
            )
            if reason == "fraud"
            else None
        )
        notice = texts.revocation(wf, self.grant, self.inp.name, reason, now)
        return self.projection(notices=[notice], credit_record=credit)

    def projection(
        self,
        *,
        notices: list[NoticeDraft] | None = None,
        credit_record: CreditRecordEntry | None = None,
        follow_ups: list[FollowUpTask] | None = None,
    ) -> HonorProjection:
        s = self.state
        return HonorProjection(
            workflow_id=self.inp.workflow_id,
            grant=self.grant,
            pending_revocation=s.pending_revocation,
            revoked_on=s.revoked_on,
            revocation_reason=s.revocation_reason,
            bonus_recovered_cny=s.bonus_recovered_cny,
            notices=notices or [],
            credit_record=credit_record,
            follow_ups=follow_ups or [],
        )
