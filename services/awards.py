"""Commands into the cycle and honor workflows, used by the HTTP API and the simulator.

A command reads what it needs from the database, commits its own records first, then
sends a workflow update (DESIGN.md §4). A refusal comes back as a `DomainError` with the
code the workflow's validator gave; nothing has changed then.

Sessions: the HTTP API hands each request's session in (`AwardService.using`), and the
command's reads go through it. The simulator has no request: its service reads in a short
transaction of its own (`Database.run`). Either way a record that a workflow start or
update depends on (a cycle, a declared tie, a historical honor) is written in its own short
transaction, committed before the workflow call (STYLE habit 5): the request's transaction
commits only when the endpoint returns, after the call, and on SQLite an open write
transaction would also hold the lock the workflow's activities need. The SQL is in
`db.repositories`.
"""

from __future__ import annotations

import asyncio
import copy
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any, Concatenate, ParamSpec, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session
from temporalio.client import (
    Client,
    WorkflowExecutionStatus,
    WorkflowHandle,
    WorkflowUpdateFailedError,
)
from temporalio.common import WorkflowIDReusePolicy
from temporalio.exceptions import ApplicationError, WorkflowAlreadyStartedError
from temporalio.service import RPCError

from contracts.commands import (
    ApplyCommand,
    ApproveCommand,
    AssignPanelCommand,
    CancelCommand,
    CloseStageCommand,
    CommitteeDecisionCommand,
    ConfirmSiteReportCommand,
    ConflictCommand,
    ConsensusCommand,
    DisqualifyCommand,
    ExtendDeadlineCommand,
    FindingCommand,
    InvestigateCommand,
    ObjectionCommand,
    ScoreCommand,
    ShortlistCommand,
    VoteCommand,
    WithdrawCommand,
)
from contracts.cycle import CycleInput
from contracts.honor import FollowUpCommand, FraudCommand, HonorGrant, HonorInput, IncidentCommand
from db.models import Cycle, Honor
from db.repositories import applications, cycles, honor_reads
from db.repositories.honors import upsert_honor
from db.repositories.lookups import OrganizationRef, open_workflow_ids
from db.session import Database
from domain.awards import bonus_cny, honor_dates
from domain.committee import Ballot
from domain.committee import takes_quota_place as quota_place
from domain.dates import SHANGHAI
from domain.eligibility import HeldHonor
from domain.errors import DomainError, ErrorCode
from domain.phases import Stage
from domain.rules import ProgramRules, RulesError, load_rules
from domain.scoring import shortlist_order
from domain.types import Award
from domain.workflow_ids import cycle_workflow_id, honor_workflow_id
from services import idempotency, registry
from services.documents import site_report_to_confirm
from services.errors import from_temporal
from services.schemas import CycleCreate, HistoricalHonorCreate
from services.supervision import panel_facts
from workflows.base import CONTINUING_AS_NEW
from workflows.cycle import AwardCycleWorkflow
from workflows.honor import HonorWorkflow

R = TypeVar("R")
T = TypeVar("T")
P = ParamSpec("P")

log = logging.getLogger(__name__)

HANDOVER_WAIT_S = 30.0
"""How long a command waits for a cycle that is continuing as new (a second or two)."""


class AwardService:
    def __init__(
        self,
        client: Client,
        sessions: async_sessionmaker[AsyncSession],
        task_queue: str,
        *,
        clock_offset: timedelta = timedelta(0),
        cycle_suffix: str = "",
        read_your_writes: bool = True,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        """`clock`: the business now, when it is not the wall clock plus `clock_offset` (the
        simulator's time-skipping server moves on without the wall clock).

        `read_your_writes`: a cycle command returns once the database shows its change (the
        cycle's update returns once the write carrying it is done: `workflows.writer`). The
        simulator opens its cycles with deferred writes instead, and reads the database only
        after `sync`.
        """
        self._client = client
        self._read_your_writes = read_your_writes
        self._cycle_ids: dict[int, str] = {}
        self._sessions = sessions
        self._db = Database(sessions)
        self._task_queue = task_queue
        self._offset = clock_offset
        self._suffix = cycle_suffix
        self._clock = clock
        self._session: AsyncSession | None = None

    def using(self, session: AsyncSession) -> AwardService:
        """This service reading through a request's session (the HTTP API's dependency); it
        shares the client and the remembered workflow ids with this one."""
        bound = copy.copy(self)
        bound._session = session
        return bound

    async def _read(
        self, work: Callable[Concatenate[Session, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """A read on a command's path: in the request's session when there is one, else in a
        short transaction of its own."""
        if self._session is not None:
            return await self._session.run_sync(work, *args, **kwargs)
        return await self._db.run(work, *args, **kwargs)

    async def _write_first(
        self, work: Callable[Concatenate[Session, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """A write a workflow call depends on: its own short transaction, committed on return,
        before the call (see the module's docstring)."""
        return await self._db.run(work, *args, **kwargs)

    def now(self) -> datetime:
        """Business now (Asia/Shanghai); the simulator's offset makes scenario dates real."""
        if self._clock is not None:
            return self._clock().astimezone(SHANGHAI)
        return (datetime.now(UTC) + self._offset).astimezone(SHANGHAI)

    # --- plumbing ---------------------------------------------------------------------------

    async def _send(
        self, call: Callable[[], Awaitable[R]], *, closed: ErrorCode = ErrorCode.CYCLE_CLOSED
    ) -> R:
        try:
            return await call()
        except Exception as err:  # translated below, or re-raised untouched
            domain = from_temporal(err, closed)
            if domain is None:
                raise
            raise domain from None

    async def _cycle(self, year: int | None) -> WorkflowHandle[Any, Any]:
        if year is not None and year in self._cycle_ids:
            return self._client.get_workflow_handle(self._cycle_ids[year])
        cycle = await self._read(cycles.latest_workflow, year)
        if cycle is None:
            raise DomainError(ErrorCode.NOT_FOUND, f"没有{year or ''}年度的评审周期")
        workflow_id, phase = cycle
        if phase == "cancelled":
            raise DomainError(ErrorCode.CYCLE_CLOSED)
        if year is not None:
            self._cycle_ids[year] = workflow_id
        return self._client.get_workflow_handle(workflow_id)

    async def _update(self, year: int | None, update: Any, *args: Any) -> Any:
        """Send a cycle command. The year's workflow id is remembered; when that workflow
        turns out closed, the database is asked again (the cycle may have been cancelled
        and opened anew, by another process too) before the command is refused."""
        cached = year is not None and year in self._cycle_ids
        try:
            return await self._update_on(await self._cycle(year), update, args)
        except DomainError as err:
            if not cached or err.code != ErrorCode.CYCLE_CLOSED:
                raise
            assert year is not None
            del self._cycle_ids[year]
            return await self._update_on(await self._cycle(year), update, args)

    async def _update_on(
        self, handle: WorkflowHandle[Any, Any], update: Any, args: tuple[Any, ...]
    ) -> Any:
        """Send an update; again when the run was handing over to its next one (it turned
        the command away, or continued as new before it took it: the command never ran)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + HANDOVER_WAIT_S
        resent = 0
        # A request retried with its Idempotency-Key sends the same update id: a run that
        # has taken the update answers with its outcome instead of running it again.
        update_id = idempotency.update_id(update)
        while True:
            try:
                return await handle.execute_update(update, *args, id=update_id)
            except Exception as err:  # translated below, or re-raised untouched
                if _turned_away(err) and loop.time() < deadline:
                    await asyncio.sleep(0.02)
                    continue
                domain = from_temporal(err, ErrorCode.CYCLE_CLOSED)
                if domain is None:
                    raise
                if isinstance(err, RPCError) and resent < 2 and await self._running(handle):
                    log.info("update %s sent again to the new run of %s", update, handle.id)
                    resent += 1
                    continue
                raise domain from None

    @staticmethod
    async def _running(handle: WorkflowHandle[Any, Any]) -> bool:
        return await execution_status(handle) == WorkflowExecutionStatus.RUNNING

    # --- cycle ------------------------------------------------------------------------------

    async def open_cycle(self, data: CycleCreate) -> str:
        """Open a cycle: the record first, then workflow `cycle-{year}` (§3(2))."""
        try:
            rules = load_rules(data.rules)
        except RulesError as err:
            raise DomainError(ErrorCode.INVALID_RULES, f"{err.key}：{err.problem}") from None
        today = self.now().date()
        if data.application_deadline < today:
            raise DomainError(
                ErrorCode.INVALID_INPUT, f"申报截止日期不能早于今天（{today.isoformat()}）"
            )
        workflow_id = await self._write_first(self._add_cycle, data, rules, self.now())
        try:
            await self._client.start_workflow(
                AwardCycleWorkflow.run,
                CycleInput(
                    year=data.year,
                    workflow_id=workflow_id,
                    application_deadline=data.application_deadline,
                    committee_members=data.committee_members,
                    rules=rules,
                    clock_offset_seconds=self._offset.total_seconds(),
                    # A caller that does not read its own writes reads once the cycle is
                    # idle, after `sync`: the cycle may batch its commands' writes.
                    defer_writes=not self._read_your_writes,
                ),
                id=workflow_id,
                task_queue=self._task_queue,
                id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
            )
        except WorkflowAlreadyStartedError:
            raise DomainError(ErrorCode.CYCLE_EXISTS) from None
        if self._read_your_writes:
            # The cycle writes its first projection (and the call for applications) itself.
            handle = self._client.get_workflow_handle(workflow_id)
            await self._update_on(handle, AwardCycleWorkflow.sync, ())
        return workflow_id

    def _add_cycle(
        self, session: Session, data: CycleCreate, rules: ProgramRules, opened_at: datetime
    ) -> str:
        """The cycle's record (§3(2)); a year's cycle opened again gets a numbered id."""
        previous = cycles.cycles(session, data.year)
        if any(c.phase != "cancelled" for c in previous):
            raise DomainError(ErrorCode.CYCLE_EXISTS)
        workflow_id = cycle_workflow_id(data.year, self._suffix, opening=len(previous) + 1)
        cycle = Cycle(
            year=data.year,
            workflow_id=workflow_id,
            phase="open",
            opened_at=opened_at,
            application_deadline=data.application_deadline,
            committee_members=data.committee_members,
            rules=rules.model_dump(mode="json"),
        )
        cycles.add(session, cycle)
        return workflow_id

    async def cancel_cycle(self, year: int | None, reason: str) -> None:
        await self._update(year, AwardCycleWorkflow.cancel, CancelCommand(reason=reason))

    async def apply(self, year: int | None, credit_code: str, award: Award) -> None:
        org = await self._read(registry.organization_reference, credit_code)
        await self._update(
            year,
            AwardCycleWorkflow.apply,
            ApplyCommand(
                credit_code=org.credit_code,
                organization_id=org.id,
                name=org.name,
                award=award,
                industry=org.industry,
            ),
        )

    async def withdraw(self, year: int | None, credit_code: str) -> None:
        await self._update(
            year, AwardCycleWorkflow.withdraw, WithdrawCommand(credit_code=credit_code)
        )

    async def record_finding(
        self,
        year: int | None,
        credit_code: str,
        *,
        passed: bool,
        reason: str | None = None,
        note: str = "",
        department: str = "",
    ) -> None:
        await self._update(
            year,
            AwardCycleWorkflow.record_finding,
            FindingCommand(
                credit_code=credit_code,
                passed=passed,
                reason=reason,
                note=note,
                department=department,
            ),
        )

    async def close_qualification(self, year: int | None) -> None:
        await self._update(year, AwardCycleWorkflow.close_qualification)

    async def assign_panel(
        self, year: int | None, credit_code: str, stage: Stage, reviewers: list[str], leader: str
    ) -> None:
        infos = await self._read(panel_facts, reviewers, self.now().date())  # §2(3)3, §6(7)
        await self._update(
            year,
            AwardCycleWorkflow.assign_panel,
            AssignPanelCommand(
                stage=stage, credit_code=credit_code, reviewers=infos, leader=leader
            ),
        )

    async def declare_conflict(self, year: int | None, reviewer: str, credit_code: str) -> None:
        """§6(1): recorded in the pool first (future panels), then the open cycle withdraws."""
        registered = await self._write_first(registry.declare_tie, reviewer, credit_code)
        await self._update(
            year,
            AwardCycleWorkflow.declare_conflict,
            ConflictCommand(reviewer=reviewer, credit_code=registered),
        )

    async def disqualify_reviewer(self, year: int, reviewer: str, reason: str, on: date) -> None:
        """§6(7): the cycle withdraws the reviewer from every open panel (see
        `services.supervision.record_discipline`, which records it first)."""
        await self._update(
            year,
            AwardCycleWorkflow.disqualify_reviewer,
            DisqualifyCommand(reviewer=reviewer, reason=reason, on=on),
        )

    async def read(
        self, work: Callable[Concatenate[Session, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """A read for a command of another service module (see `_read`)."""
        return await self._read(work, *args, **kwargs)

    async def write_first(
        self, work: Callable[Concatenate[Session, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """A record a workflow call then depends on (see `_write_first`)."""
        return await self._write_first(work, *args, **kwargs)

    async def register_tie(self, reviewer: str, credit_code: str) -> str:
        """The office registers a tie (§6(1)): recorded in the pool, and in an open cycle it
        withdraws the reviewer exactly as a declared conflict does (their scores for that
        applicant are dropped; the office is told to appoint a replacement). Returns the
        organization's credit code as registered."""
        registered = await self._write_first(registry.register_tie, reviewer, credit_code)
        try:
            await self._update(
                None,
                AwardCycleWorkflow.declare_conflict,
                ConflictCommand(reviewer=reviewer, credit_code=registered),
            )
        except DomainError as err:
            if err.code not in (ErrorCode.NOT_FOUND, ErrorCode.CYCLE_CLOSED):
                raise  # no open cycle: the pool is all there is to change
        return registered

    async def score(
        self,
        year: int | None,
        credit_code: str,
        stage: Stage,
        reviewer: str,
        *,
        points: float | None = None,
        items: dict[str, int] | None = None,
        comments: dict[str, dict[str, str]] | None = None,
    ) -> float:
        """`comments`: per category code, `strengths` and `improvements` (DESIGN 3.2)."""
        result: float = await self._update(
            year,
            AwardCycleWorkflow.score,
            ScoreCommand.model_validate(
                {
                    "stage": stage,
                    "credit_code": credit_code,
                    "reviewer": reviewer,
                    "points": points,
                    "items": items,
                    "comments": comments or {},
                }
            ),
        )
        return result

    async def consensus(
        self,
        year: int | None,
        credit_code: str,
        stage: Stage,
        points: float,
        reviewer: str | None = None,
    ) -> None:
        await self._update(
            year,
            AwardCycleWorkflow.record_consensus,
            ConsensusCommand(
                stage=stage, credit_code=credit_code, points=points, reviewer=reviewer
            ),
        )

    async def close_stage(self, year: int | None, stage: Stage, reason: str) -> None:
        await self._update(
            year, AwardCycleWorkflow.close_stage, CloseStageCommand(stage=stage, reason=reason)
        )

    async def extend_deadline(self, year: int | None, what: str, until: date, reason: str) -> None:
        """DESIGN §2: the application deadline (before it passes) or a stage's due date, later
        only, with a reason; the cycle's timers follow."""
        await self._update(
            year,
            AwardCycleWorkflow.extend_deadline,
            ExtendDeadlineCommand.model_validate({"what": what, "until": until, "reason": reason}),
        )

    async def shortlist(
        self, year: int | None, credit_codes: list[str] | None, *, auto: bool = False
    ) -> list[str]:
        """§4(2): the site-review list, named or as recommended (`auto`); the codes on it
        (a recommended list in the recommendation's order). The cycle answers only the
        number, which stays small at any size; the codes are read back from the rows its
        write produced — or, when that write has not reached the database (it is stuck and
        waits for the office; the command returned without it), asked of the cycle."""
        count: int = await self._update(
            year,
            AwardCycleWorkflow.shortlist,
            ShortlistCommand(credit_codes=credit_codes, auto=auto),
        )
        if credit_codes is not None:
            return credit_codes  # as the office named them
        if not self._read_your_writes:
            return []  # the simulator reads once the cycle is idle
        handle = await self._cycle(year)
        rows = await self._db.run(applications.shortlisted, handle.id)
        if len(rows) == count:
            return shortlist_order(rows)
        codes: list[str] = await self._send(lambda: handle.query(AwardCycleWorkflow.shortlisted))
        return codes

    async def confirm_site_report(
        self, year: int | None, credit_code: str, report_sha256: str | None = None
    ) -> None:
        """§4(3): the applicant confirms the site review report by its SHA-256 digest: the
        current report (archived now, in its own transaction, if it was not) must have it,
        and the cycle refuses it when a score changed meanwhile (`report_digest_mismatch`).
        None: the simulator's confirmation of a scenario that names no digest."""
        report = None
        if report_sha256 is not None:
            cycle_year = year if year is not None else await self._read(_latest_year)
            # Made (if need be) in transactions of its own, committed before the update.
            report = await site_report_to_confirm(
                self._db.run, cycle_year, credit_code, report_sha256
            )
        await self._update(
            year,
            AwardCycleWorkflow.confirm_site_report,
            ConfirmSiteReportCommand(
                credit_code=credit_code,
                report_sha256=report.sha256 if report else None,
                report_fingerprint=report.fingerprint if report else None,
            ),
        )

    async def record_vote(
        self,
        year: int | None,
        award: Award,
        present: int,
        ballots: dict[str, Ballot],
        *,
        replaces_reason: str | None = None,
    ) -> list[str]:
        """Returns the candidates of a required runoff (empty when the vote decided)."""
        result: list[str] = await self._update(
            year,
            AwardCycleWorkflow.record_vote,
            VoteCommand(
                award=award, present=present, ballots=ballots, replaces_reason=replaces_reason
            ),
        )
        return result

    async def object(
        self, year: int | None, credit_code: str, name: str, contact: str, content: str
    ) -> int:
        number: int = await self._update(
            year,
            AwardCycleWorkflow.file_objection,
            ObjectionCommand(credit_code=credit_code, name=name, contact=contact, content=content),
        )
        return number

    async def investigate(self, year: int | None, number: int, finding: str, report: str) -> None:
        await self._update(
            year,
            AwardCycleWorkflow.investigate,
            InvestigateCommand(number=number, finding=finding, report=report),
        )

    async def committee_decision(self, year: int | None, credit_code: str, remove: bool) -> None:
        await self._update(
            year,
            AwardCycleWorkflow.committee_decision,
            CommitteeDecisionCommand(credit_code=credit_code, remove=remove),
        )

    async def approve(self, year: int | None, strike: list[str]) -> list[str]:
        result: list[str] = await self._update(
            year, AwardCycleWorkflow.approve, ApproveCommand(strike=strike)
        )
        return result

    async def resume_cycle(self, year: int | None) -> None:
        await self._update(year, AwardCycleWorkflow.resume)

    # --- honors -----------------------------------------------------------------------------

    async def _honor(
        self, credit_code: str, award: Award, year: int | None
    ) -> WorkflowHandle[Any, Any]:
        honor = await self._read(_latest_honor, credit_code, award, year)
        if honor is None or honor.workflow_id is None:
            raise DomainError(ErrorCode.HONOR_NOT_FOUND)
        if honor.revoked_on is not None:
            raise DomainError(ErrorCode.ALREADY_REVOKED)
        return self._client.get_workflow_handle(honor.workflow_id)

    async def _honor_update(
        self, credit_code: str, award: Award, year: int | None, update: Any, *args: Any
    ) -> Any:
        handle = await self._honor(credit_code, award, year)
        update_id = idempotency.update_id(update)
        return await self._send(
            lambda: handle.execute_update(update, *args, id=update_id),
            closed=ErrorCode.ALREADY_REVOKED,
        )

    async def report_incident(
        self, credit_code: str, award: Award, year: int | None, cmd: IncidentCommand
    ) -> bool:
        """§6(6): returns whether the report is a revocation proposal."""
        proposal: bool = await self._honor_update(
            credit_code, award, year, HonorWorkflow.report_incident, cmd
        )
        return proposal

    async def report_fraud(
        self, credit_code: str, award: Award, year: int | None, note: str
    ) -> None:
        await self._honor_update(
            credit_code, award, year, HonorWorkflow.report_fraud, FraudCommand(note=note)
        )

    async def submit_follow_up(
        self, credit_code: str, award: Award, year: int | None, number: int
    ) -> None:
        """§2(3)4, §6(3): the honor workflow learns the yearly report is in."""
        await self._honor_update(
            credit_code, award, year, HonorWorkflow.submit_follow_up, FollowUpCommand(number=number)
        )

    async def resume_honor(self, credit_code: str, award: Award, year: int | None) -> None:
        """The office retries an honor's background task that kept failing (as for a cycle:
        `TimedWorkflow.call` waits for this); harmless when nothing waits."""
        await self._honor_update(credit_code, award, year, HonorWorkflow.resume)

    async def approve_revocation(self, credit_code: str, award: Award, year: int | None) -> None:
        await self._honor_update(credit_code, award, year, HonorWorkflow.approve_revocation)

    async def register_historical_honor(
        self, data: HistoricalHonorCreate, rules: ProgramRules | None = None
    ) -> str:
        """An honor won before the service existed: it counts for E8, bonuses and quota."""
        rules = rules or load_rules()
        org, earlier = await self._read(_held_before, data.credit_code, data.awarded_on)
        name = org.name
        org_id = org.id
        dates = honor_dates(data.award, data.year, data.awarded_on, rules)
        grant = HonorGrant(
            credit_code=data.credit_code,
            organization_id=org_id,
            award=data.award,
            year=data.year,
            awarded_on=data.awarded_on,
            bonus_cny=bonus_cny(data.award, earlier, rules),
            takes_quota_place=quota_place(data.award, earlier),
            valid_until=dates.valid_until,
            revocation_window_closes=dates.revocation_window_closes,
            reapply_from=dates.reapply_from,
            historical=True,
            workflow_id=honor_workflow_id(data.credit_code, data.award, data.year, self._suffix),
        )
        workflow_id = grant.workflow_id
        assert workflow_id is not None
        await self._write_first(upsert_honor, grant)
        await self._client.start_workflow(
            HonorWorkflow.run,
            HonorInput(
                workflow_id=workflow_id,
                grant=grant,
                name=name,
                rules=rules,
                clock_offset_seconds=self._offset.total_seconds(),
            ),
            id=workflow_id,
            task_queue=self._task_queue,
        )
        return workflow_id

    async def open_workflow_ids(self) -> list[str]:
        """Workflows that may still have timers: open cycles and honors (for the simulator)."""
        return await self._db.run(open_workflow_ids)


def _latest_year(session: Session) -> int:
    found = cycles.cycles(session)
    if not found:
        raise DomainError(ErrorCode.NOT_FOUND, "没有评审周期")
    return max(c.year for c in found)


def _latest_honor(
    session: Session, credit_code: str, award: Award, year: int | None
) -> Honor | None:
    org = registry.find_organization(session, credit_code)
    return honor_reads.latest(session, org.id, award.value, year)


def _held_before(
    session: Session, credit_code: str, on: date
) -> tuple[OrganizationRef, list[HeldHonor]]:
    """The registered organization and the honors it held before `on` (E8, bonuses, quota)."""
    org = registry.organization_reference(session, credit_code)
    earlier = [
        HeldHonor(
            award=Award(h.award),
            year=h.year,
            awarded_on=h.awarded_on,
            revoked=h.revoked_on is not None,
        )
        for h in honor_reads.awarded_before(session, org.id, on)
    ]
    return org, earlier


def _turned_away(err: Exception) -> bool:
    cause = err.cause if isinstance(err, WorkflowUpdateFailedError) else None
    return isinstance(cause, ApplicationError) and cause.type == CONTINUING_AS_NEW


async def execution_status(handle: WorkflowHandle[Any, Any]) -> WorkflowExecutionStatus | None:
    """The latest run's status, or None when the server does not know the workflow (yet)."""
    try:
        description = await handle.describe()
    except RPCError:
        return None
    return description.status
