"""AwardCycleWorkflow (`award-cycle`, id `cycle-{year}`): one evaluation cycle, §3(2)–§5(1).

A thin shell around `CycleTransitions`, where every decision is made. Commands enter as
updates: the validator refuses bad input before it reaches history (the refusal's `type` is
the error code of DESIGN.md §3); the handler then takes the command lock, checks again
(another command may have changed the state since the validator ran), fetches the facts an
activity must fetch, applies the transition and hands its effects to the projection writer.
Handlers are serialised by that lock (samples-python `safe_message_handlers`), so commands
that contradict each other (approve and cancel at one instant) have exactly one winner; the
other is refused with its code. Deadlines are named timers in the state, so they survive
restarts and continue-as-new.

Its size is the number of commands: each is an update and its validator, two lines each.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from temporalio import workflow

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
from contracts.cycle import (
    ApplicationState,
    CycleInput,
    CycleResult,
    CycleState,
    CycleStatus,
    VoteRecord,
)
from contracts.honor import HonorInput
from contracts.records import (
    ApplicationsPage,
    CycleProjection,
    FactsRequest,
    FactsResponse,
    VoteKey,
)
from domain.errors import DomainError
from domain.scoring import shortlist_order
from workflows import cycle_carry
from workflows.base import (
    OWN_HISTORY_LIMITS,
    TimedWorkflow,
    check_or_refuse,
    continuing,
    refuse,
)
from workflows.cycle_transitions import CycleTransitions
from workflows.effects import Effects
from workflows.writer import ProjectionWriter

with workflow.unsafe.imports_passed_through():
    from activities.records import RecordsActivities

R = TypeVar("R")

FEEDBACK_AFTER_CYCLE = "feedback-after-cycle"
"""Patch: at approval, feedback notices (with their reports) to the shortlisted (#15)."""

FACTS_PER_REQUEST = 200
"""An organization's facts, records and honors are well under 1 KB."""
APPLICATIONS_PER_PAGE = 100
"""An application's state with both panels is 1–2 KB: a page stays far under 256 KB."""


@workflow.defn(name="award-cycle")
class AwardCycleWorkflow(TimedWorkflow):
    @workflow.init
    def __init__(self, inp: CycleInput) -> None:
        self._input = inp
        self._setup_clock(inp.clock_offset_seconds, inp.history_limit)
        self._state = inp.state or CycleState(opened_at=self.now())
        self._timers = self._state.timers
        self._cycle = CycleTransitions(inp, self._state)
        self._lock = asyncio.Lock()
        self._loaded = not self._state.applications_in_database
        self._continuing = False
        self._writer = ProjectionWriter(
            self._projection,
            lambda p: self.call(RecordsActivities.project_cycle, p),
            self._state,
            deferred=inp.defer_writes,
            stuck=lambda: self._attention is not None,
        )

    @workflow.run
    async def run(self, inp: CycleInput) -> CycleResult:
        writing = asyncio.create_task(self._writer.run())
        own_limits = workflow.patched(OWN_HISTORY_LIMITS)
        if inp.state is None:
            self._writer.queue(self._cycle.open())
        elif not self._loaded:
            await self._load_applications()
            await self._load_results()
            self._loaded = True
        if own_limits:
            self.use_own_history_limits(inp.history_bytes_limit)
        while not self._cycle.finished():
            if self.history_too_long():
                # New commands are turned away (the service sends them again to the new
                # run): under a steady stream of them the hand-over would never be quiet.
                self._continuing = True
                await self._quiesce()
                carried = cycle_carry.carried(self._state)
                workflow.continue_as_new(self._input.model_copy(update={"state": carried}))
            await self.sleep_until_due_or_woken()
            async with self._lock:
                for name in self.pop_due():
                    before, now = self._state.phase, self.now()
                    effects = self._cycle.fire(name, now)
                    self._cycle.note_phase(before, now)
                    self._writer.queue(effects)
        await self._quiesce()
        writing.cancel()
        return CycleResult(phase=self._state.phase, revision=self._state.revision)

    async def _quiesce(self) -> None:
        """Before the run ends: every handler done and everything queued written (a handler
        that finishes during the last write may have queued more)."""
        while True:
            await workflow.wait_condition(workflow.all_handlers_finished)
            await self._writer.flush(until_written=True)
            if workflow.all_handlers_finished() and not self._writer.unwritten():
                return

    async def _load_applications(self) -> None:
        """Read the applications back, a page at a time; commands wait until then."""
        offset = 0
        while True:
            page = await self.call(
                RecordsActivities.load_cycle_applications,
                ApplicationsPage(
                    workflow_id=self._input.workflow_id, offset=offset, limit=APPLICATIONS_PER_PAGE
                ),
            )
            for app in page.applications:
                self._state.applications[app.credit_code] = app
            if len(page.applications) < APPLICATIONS_PER_PAGE:
                break
            offset += APPLICATIONS_PER_PAGE
        self._state.applications_in_database = False

    async def _load_results(self) -> None:
        """The candidate lists from the applications, and each vote's ballots, one vote at a
        time (`workflows.cycle_carry`)."""
        cycle_carry.restore_candidates(self._state)
        for award, round in cycle_carry.votes_to_restore(self._state):
            key = VoteKey(workflow_id=self._input.workflow_id, award=award, round=round)
            found = await self.call(RecordsActivities.load_vote_ballots, key)
            cycle_carry.restore_ballots(self._state, award, round, found.ballots)
        self._state.results_in_database = False

    # --- the command path ---------------------------------------------------------------------

    def _decide(self, decide: Callable[[datetime], tuple[R, Effects]]) -> tuple[R, int, bool]:
        """Apply a transition (which checks its command first) and queue its effects; the
        write that will carry them, and whether they create honors."""
        due, before, now = self.next_due(), self._state.phase, self.now()
        try:
            result, effects = decide(now)
        except DomainError as err:
            raise refuse(err) from None
        self._cycle.note_phase(before, now)
        write = self._writer.queue(effects)
        if self.next_due() != due:
            self.wake()
        return result, write, bool(effects.grants)

    async def _command(self, decide: Callable[[datetime], tuple[R, Effects]]) -> R:
        await workflow.wait_condition(lambda: self._loaded)
        async with self._lock:
            result, write, honors = self._decide(decide)
        await self._writer.wait_written(write, always=honors)
        return result

    async def _command_with_facts(
        self,
        check: Callable[[], object],
        codes: Callable[[], list[str]],
        decide: Callable[[FactsResponse, datetime], tuple[R, Effects]],
    ) -> R:
        """A command that needs the applicants' facts: checked under the lock before they
        are fetched, so a conflicting command waiting for the lock meets the new phase."""
        await workflow.wait_condition(lambda: self._loaded)
        async with self._lock:
            check_or_refuse(check)
            facts = await self._facts(codes())
            result, write, honors = self._decide(lambda now: decide(facts, now))
        await self._writer.wait_written(write, always=honors)
        return result

    async def _facts(self, codes: list[str]) -> FactsResponse:
        """The applicants' facts, a page at a time (each answer stays far under 256 KB)."""
        facts = FactsResponse(organizations={})
        for i in range(0, len(codes), FACTS_PER_REQUEST):
            page = FactsRequest(credit_codes=codes[i : i + FACTS_PER_REQUEST])
            answer = await self.call(RecordsActivities.load_eligibility_facts, page)
            facts.organizations.update(answer.organizations)
        return facts

    def _validate(self, check: Callable[[], object]) -> None:
        """An update's early refusal. Until a new run has read its applications back, the
        command is let in: its handler waits for them and checks it then. While this run
        hands over to the next, commands are turned away to be sent again."""
        if self._continuing:
            raise continuing()
        if self._loaded:
            check_or_refuse(check)

    @staticmethod
    def _effects(effects: Effects) -> tuple[None, Effects]:
        return None, effects

    def _projection(self, effects: Effects, revision: int) -> CycleProjection:
        s = self._state
        apps = [s.applications[c] for c in effects.codes]
        return CycleProjection(
            workflow_id=self._input.workflow_id,
            revision=revision,
            year=self._input.year,
            application_deadline=self._cycle.deadline,
            committee_members=self._input.committee_members,
            rules=self._input.rules.model_dump(mode="json") if revision == 1 else None,
            phase=s.phase,
            opened_at=s.opened_at,
            publicity_opens=s.publicity_opens,
            publicity_closes=s.publicity_closes,
            awarded_on=s.awarded_on,
            cancel_reason=s.cancel_reason,
            document_closed_early_reason=s.document_closed_early_reason,
            attention=self._attention,
            winners={award: r.winners for award, r in s.results.items()},
            stage_due=s.stage_due,
            extensions=s.extensions,
            entered=s.entered,
            applications=apps,
            objections=s.objections,
            votes=_by_award(effects.votes),
            score_items=effects.score_items,
            panels=bool(effects.panel_codes),
            panel_codes=effects.panel_codes,
            notices=effects.notices,
            verification=effects.verification,
            honors=[
                HonorInput(
                    workflow_id=g.workflow_id,
                    grant=g,
                    name=s.applications[g.credit_code].name,
                    rules=self._input.rules,
                    clock_offset_seconds=self._input.clock_offset_seconds,
                )
                for g in effects.grants
            ],
        )

    # --- queries and sync ---------------------------------------------------------------------

    @workflow.query(name="status")
    def status(self) -> CycleStatus:
        return CycleStatus(
            phase=self._state.phase.value,
            next_due=self.next_due(),
            idle=(
                self._busy == 0
                and not self._wake
                and self._loaded
                and not self._lock.locked()
                and self._writer.settled()
            ),
            business_now=self.now(),
            attention=self._attention,
            unwritten=self._writer.unwritten(),
        )

    @workflow.query(name="shortlisted")
    def shortlisted(self) -> list[str]:
        """The site-review list as this run holds it, in the recommendation's order: for a
        caller whose command returned while the write is stuck (the rows not yet there)."""
        return shortlist_order(
            (a.credit_code, a.award, a.document_score or 0.0)
            for a in self._state.applications.values()
            if a.shortlisted
        )

    @workflow.update(name="sync")
    async def sync(self) -> None:
        """Return once the database holds every change so far (see `workflows.writer`)."""
        await self._writer.flush()

    @workflow.update(name="resume")
    async def resume(self) -> None:
        """The office retries a background task that kept failing (see `TimedWorkflow.call`)."""
        self._resume = True

    # --- intake and qualification (§3(2), §4(1)) ----------------------------------------------

    @workflow.update(name="apply")
    async def apply(self, cmd: ApplyCommand) -> ApplicationState:
        return await self._command(lambda now: self._cycle.apply(cmd, now))

    @apply.validator
    def _validate_apply(self, cmd: ApplyCommand) -> None:
        self._validate(lambda: self._cycle.check_apply(cmd, self.now()))

    @workflow.update(name="record-finding")
    async def record_finding(self, cmd: FindingCommand) -> None:
        await self._command(lambda now: self._effects(self._cycle.record_finding(cmd)))

    @record_finding.validator
    def _validate_finding(self, cmd: FindingCommand) -> None:
        self._validate(lambda: self._cycle.check_finding(cmd))

    @workflow.update(name="close-qualification")
    async def close_qualification(self) -> None:
        """A page of facts, then that page's decisions, and so on: each page is its own
        workflow task however many applications there are (the SDK fails a task that runs
        for seconds without yielding). Commands wait for the lock meanwhile."""
        await workflow.wait_condition(lambda: self._loaded)
        async with self._lock:
            check_or_refuse(self._cycle.check_close_qualification)
            codes = self._cycle.qualification_pending()
            for i in range(0, len(codes), FACTS_PER_REQUEST):
                page = codes[i : i + FACTS_PER_REQUEST]
                facts = await self._facts(page)
                self._decide(
                    lambda now, page=page, facts=facts: self._effects(  # type: ignore[misc]
                        self._cycle.qualify(page, facts, now)
                    )
                )
            _, write, _ = self._decide(
                lambda now: self._effects(self._cycle.end_qualification(now))
            )
        await self._writer.wait_written(write)

    @close_qualification.validator
    def _validate_close_qualification(self) -> None:
        self._validate(self._cycle.check_close_qualification)

    # --- review (§4(2), §4(3)) -----------------------------------------------------------------

    @workflow.update(name="assign-panel")
    async def assign_panel(self, cmd: AssignPanelCommand) -> None:
        await self._command(lambda now: self._effects(self._cycle.assign_panel(cmd, now)))

    @assign_panel.validator
    def _validate_assign_panel(self, cmd: AssignPanelCommand) -> None:
        self._validate(lambda: self._cycle.check_assign_panel(cmd))

    @workflow.update(name="declare-conflict")
    async def declare_conflict(self, cmd: ConflictCommand) -> None:
        await self._command(lambda now: self._effects(self._cycle.declare_conflict(cmd, now)))

    @declare_conflict.validator
    def _validate_declare_conflict(self, cmd: ConflictCommand) -> None:
        self._validate(lambda: self._cycle.check_declare_conflict(cmd))

    @workflow.update(name="disqualify-reviewer")
    async def disqualify_reviewer(self, cmd: DisqualifyCommand) -> None:
        """§6(7): the reviewer leaves every open panel, as after a declared conflict."""
        await self._command(lambda now: self._effects(self._cycle.disqualify(cmd, now)))

    @disqualify_reviewer.validator
    def _validate_disqualify(self, cmd: DisqualifyCommand) -> None:
        self._validate(lambda: self._cycle.check_disqualify(cmd))

    @workflow.update(name="score")
    async def score(self, cmd: ScoreCommand) -> float:
        return await self._command(lambda now: self._cycle.score(cmd, now))

    @score.validator
    def _validate_score(self, cmd: ScoreCommand) -> None:
        self._validate(lambda: self._cycle.check_score(cmd))

    @workflow.update(name="record-consensus")
    async def record_consensus(self, cmd: ConsensusCommand) -> None:
        await self._command(lambda now: self._effects(self._cycle.consensus(cmd, now)))

    @record_consensus.validator
    def _validate_consensus(self, cmd: ConsensusCommand) -> None:
        self._validate(lambda: self._cycle.check_consensus(cmd))

    @workflow.update(name="close-stage")
    async def close_stage(self, cmd: CloseStageCommand) -> None:
        await self._command(lambda now: self._effects(self._cycle.close_stage(cmd)))

    @close_stage.validator
    def _validate_close_stage(self, cmd: CloseStageCommand) -> None:
        self._validate(lambda: self._cycle.check_close_stage(cmd))

    @workflow.update(name="extend-deadline")
    async def extend_deadline(self, cmd: ExtendDeadlineCommand) -> None:
        await self._command(lambda now: self._effects(self._cycle.extend_deadline(cmd, now)))

    @extend_deadline.validator
    def _validate_extend_deadline(self, cmd: ExtendDeadlineCommand) -> None:
        self._validate(lambda: self._cycle.check_extend(cmd, self.now()))

    @workflow.update(name="shortlist")
    async def shortlist(self, cmd: ShortlistCommand) -> int:
        """The number shortlisted: the codes are in the rows its write produced (every code
        was 105 KB of answer at 5,000 shortlisted; `AwardService.shortlisted` reads them)."""

        def decide(now: datetime) -> tuple[int, Effects]:
            chosen, effects = self._cycle.shortlist(cmd, now)
            return len(chosen), effects

        return await self._command(decide)

    @shortlist.validator
    def _validate_shortlist(self, cmd: ShortlistCommand) -> None:
        self._validate(lambda: self._cycle.check_shortlist(cmd))

    @workflow.update(name="confirm-site-report")
    async def confirm_site_report(self, cmd: ConfirmSiteReportCommand) -> None:
        await self._command(lambda now: self._effects(self._cycle.confirm_site_report(cmd, now)))

    @confirm_site_report.validator
    def _validate_confirm(self, cmd: ConfirmSiteReportCommand) -> None:
        self._validate(lambda: self._cycle.check_confirm_site_report(cmd))

    @workflow.update(name="withdraw")
    async def withdraw(self, cmd: WithdrawCommand) -> None:
        await self._command(lambda now: self._effects(self._cycle.withdraw(cmd, now)))

    @withdraw.validator
    def _validate_withdraw(self, cmd: WithdrawCommand) -> None:
        self._validate(lambda: self._cycle.check_withdraw(cmd))

    # --- committee, publicity, approval (§4(4)–§4(6)) ------------------------------------------

    @workflow.update(name="record-vote")
    async def record_vote(self, cmd: VoteCommand) -> list[str]:
        return await self._command(lambda now: self._cycle.vote(cmd, now))

    @record_vote.validator
    def _validate_vote(self, cmd: VoteCommand) -> None:
        self._validate(lambda: self._cycle.check_vote(cmd))

    @workflow.update(name="object")
    async def file_objection(self, cmd: ObjectionCommand) -> int:
        return await self._command(lambda now: self._cycle.file_objection(cmd, now))

    @file_objection.validator
    def _validate_object(self, cmd: ObjectionCommand) -> None:
        self._validate(lambda: self._cycle.check_objection(cmd, self.now()))

    @workflow.update(name="investigate")
    async def investigate(self, cmd: InvestigateCommand) -> None:
        await self._command(lambda now: self._effects(self._cycle.investigate(cmd, now)))

    @investigate.validator
    def _validate_investigate(self, cmd: InvestigateCommand) -> None:
        self._validate(lambda: self._cycle.check_investigate(cmd))

    @workflow.update(name="committee-decision")
    async def committee_decision(self, cmd: CommitteeDecisionCommand) -> None:
        await self._command(lambda now: self._effects(self._cycle.committee_decision(cmd, now)))

    @committee_decision.validator
    def _validate_committee_decision(self, cmd: CommitteeDecisionCommand) -> None:
        self._validate(lambda: self._cycle.check_committee_decision(cmd))

    @workflow.update(name="approve")
    async def approve(self, cmd: ApproveCommand) -> list[str]:
        return await self._command_with_facts(
            lambda: self._cycle.check_approve(cmd),
            self._cycle.approval_list,
            lambda facts, now: self._cycle.approve(
                cmd, facts, now, feedback=workflow.patched(FEEDBACK_AFTER_CYCLE)
            ),
        )

    @approve.validator
    def _validate_approve(self, cmd: ApproveCommand) -> None:
        self._validate(lambda: self._cycle.check_approve(cmd))

    @workflow.update(name="cancel")
    async def cancel(self, cmd: CancelCommand) -> None:
        await self._command(lambda now: self._effects(self._cycle.cancel(cmd)))

    @cancel.validator
    def _validate_cancel(self, cmd: CancelCommand) -> None:
        self._validate(lambda: self._cycle.check_cancel(cmd))


def _by_award(votes: list[tuple[str, VoteRecord]]) -> dict[str, list[VoteRecord]]:
    found: dict[str, list[VoteRecord]] = {}
    for award, vote in votes:
        found.setdefault(award, []).append(vote)
    return found
