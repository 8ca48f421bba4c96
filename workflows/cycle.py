"""AwardCycleWorkflow (`award-cycle`, id `cycle-{year}`): one evaluation cycle, §3(2)–§5(1).

Commands enter as updates whose validators refuse bad input before it reaches history
(the refusal's `type` is the error code of DESIGN.md §3). Every decision is made by
`domain/`; activities write the projection and notices. Deadlines are named timers in
the state, so they survive restarts and continue-as-new.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from temporalio import workflow
from temporalio.workflow import ParentClosePolicy

from domain.dates import end_of_day
from domain.errors import DomainError
from workflows import cycle_checks as checks
from workflows import notice_texts as texts
from workflows.base import refuse
from workflows.cycle_transitions import Transitions
from workflows.messages import (
    ApplicationState,
    ApplyCommand,
    ApproveCommand,
    AssignPanelCommand,
    CancelCommand,
    CloseStageCommand,
    CommitteeDecisionCommand,
    ConfirmSiteReportCommand,
    ConflictCommand,
    ConsensusCommand,
    CycleInput,
    CycleState,
    CycleStatus,
    FindingCommand,
    InvestigateCommand,
    ObjectionCommand,
    ObjectionState,
    Outcome,
    Phase,
    ScoreCommand,
    ScoreItems,
    ShortlistCommand,
    Stage,
    VoteCommand,
    VoteRecord,
    WithdrawCommand,
)

with workflow.unsafe.imports_passed_through():
    from workflows.honor import HonorWorkflow


@workflow.defn(name="award-cycle")
class AwardCycleWorkflow(Transitions):
    @workflow.init
    def __init__(self, inp: CycleInput) -> None:
        self._input = inp
        self._rules = inp.rules
        self._setup_clock(inp.clock_offset_seconds, inp.history_limit)
        self._state = inp.state or CycleState(opened_at=self.now())
        self._timers = self._state.timers

    @workflow.run
    async def run(self, inp: CycleInput) -> CycleState:
        writer = asyncio.create_task(self.writer())
        if inp.state is None:
            await self._open()
        while not self._finished():
            if self.history_too_long():
                await self.quiesce(keep_queue=True)
                workflow.continue_as_new(self._input.model_copy(update={"state": self._state}))
            await self.sleep_until_due_or_woken()
            for name in self.pop_due():
                await self._fire(name)
        await self.quiesce(keep_queue=False)
        writer.cancel()
        return self._state

    def _finished(self) -> bool:
        return self._state.phase == Phase.CANCELLED or (
            self._state.phase == Phase.ANNOUNCED and not self._timers
        )

    async def _open(self) -> None:
        deadline = self._input.application_deadline
        self._timers["deadline"] = end_of_day(deadline)
        await self.notify(
            [texts.call_for_applications(self._wf, self._year, deadline, self._state.opened_at)]
        )
        await self.project(None)

    async def _fire(self, name: str) -> None:
        if name == "deadline":
            await self.deadline_passed()
        elif name.endswith("_reminder"):
            await self.remind(Stage(name.removesuffix("_reminder")))
        elif name.endswith("_overdue"):
            await self.escalate(Stage(name.removesuffix("_overdue")))
        elif name == "publicity_close":
            await self.publicity_closed()
        elif name == "next_cycle_due":
            await self.notify([texts.next_cycle_due(self._wf, self._year, self.now())])

    # --- queries ------------------------------------------------------------------------

    @workflow.query(name="state")
    def state(self) -> CycleState:
        return self._state

    @workflow.query(name="status")
    def status(self) -> CycleStatus:
        return CycleStatus(
            phase=self._state.phase.value,
            next_due=self.next_due(),
            idle=self._busy == 0 and not self._wake and self.writes_settled(),
            business_now=self.now(),
            attention=self._attention,
            changes=self._state.changes,
            written=self._state.written,
        )

    @workflow.update(name="sync")
    async def sync_projection(self) -> None:
        """Return once the database holds every change so far (see `defer_writes`)."""
        await self.sync()

    # --- intake and qualification (§3(2), §4(1)) ----------------------------------------

    @workflow.update(name="apply")
    async def apply(self, cmd: ApplyCommand) -> ApplicationState:
        app = ApplicationState(
            credit_code=cmd.credit_code,
            organization_id=cmd.organization_id,
            name=cmd.name,
            award=cmd.award,
            industry=cmd.industry,
            submitted_at=self.now(),
        )
        self._state.applications[cmd.credit_code] = app
        await self.project([cmd.credit_code])
        return app

    @apply.validator
    def _validate_apply(self, cmd: ApplyCommand) -> None:
        self._check(checks.check_apply, self._state, cmd, self._input, self.now())

    @workflow.update(name="record-finding")
    async def record_finding(self, cmd: FindingCommand) -> None:
        self._state.applications[cmd.credit_code].findings.append(cmd)
        await self.project([cmd.credit_code])

    @record_finding.validator
    def _validate_finding(self, cmd: FindingCommand) -> None:
        self._check(checks.check_finding, self._state, cmd)

    @workflow.update(name="close-qualification")
    async def close_qualification(self) -> None:
        await self.qualify()

    @close_qualification.validator
    def _validate_close_qualification(self) -> None:
        self._check(checks.require_phase, self._state, Phase.QUALIFICATION)

    # --- review (§4(2), §4(3)) -------------------------------------------------------------

    @workflow.update(name="assign-panel")
    async def assign_panel(self, cmd: AssignPanelCommand) -> None:
        app = self._state.applications[cmd.credit_code]
        panel = app.stage(cmd.stage)
        codes = [r.code for r in cmd.reviewers]
        added = [c for c in codes if c not in panel.members]
        panel.members = codes
        panel.leader = cmd.leader
        panel.scores = {k: v for k, v in panel.scores.items() if k in codes}
        seq = len(added)
        await self.notify(
            [
                texts.review_assignment(
                    self._wf, self._year, cmd.stage.value, cmd.credit_code, c, self.now(), seq
                )
                for c in added
            ]
        )
        await self.project([cmd.credit_code], panels=True)

    @assign_panel.validator
    def _validate_assign_panel(self, cmd: AssignPanelCommand) -> None:
        self._check(checks.check_assign_panel, self._state, cmd, self._rules)

    @workflow.update(name="declare-conflict")
    async def declare_conflict(self, cmd: ConflictCommand) -> None:
        """§6(1): a declared tie withdraws any open assignment; the office must replace it."""
        declared = self._state.declared_conflicts.setdefault(cmd.reviewer, [])
        if cmd.credit_code not in declared:
            declared.append(cmd.credit_code)
        app = self._state.applications.get(cmd.credit_code)
        if app is None:
            return
        withdrawn = False
        for stage in Stage:
            panel = app.stage(stage)
            if cmd.reviewer in panel.members and not panel.closed:
                panel.members.remove(cmd.reviewer)
                panel.scores.pop(cmd.reviewer, None)
                if panel.leader == cmd.reviewer:
                    panel.leader = None
                self.refresh_stage_score(app, stage)
                withdrawn = True
        if withdrawn:
            await self.notify(
                [
                    texts.reviewer_withdrawn(
                        self._wf, self._year, cmd.credit_code, cmd.reviewer, self.now()
                    )
                ]
            )
            await self.project([cmd.credit_code], panels=True)

    @declare_conflict.validator
    def _validate_declare_conflict(self, cmd: ConflictCommand) -> None:
        self._check(checks.check_cancel, self._state)

    @workflow.update(name="score")
    async def score(self, cmd: ScoreCommand) -> float:
        points = checks.check_score(self._state, cmd, self._rules)
        app = self._state.applications[cmd.credit_code]
        app.stage(cmd.stage).scores[cmd.reviewer] = points
        items = (
            [
                ScoreItems(
                    credit_code=cmd.credit_code,
                    stage=cmd.stage,
                    reviewer=cmd.reviewer,
                    items=cmd.items,
                )
            ]
            if cmd.items is not None
            else []
        )
        await self.scores_changed(app, cmd.stage, items)
        return points

    @score.validator
    def _validate_score(self, cmd: ScoreCommand) -> None:
        self._check(checks.check_score, self._state, cmd, self._rules)

    @workflow.update(name="record-consensus")
    async def record_consensus(self, cmd: ConsensusCommand) -> None:
        app = self._state.applications[cmd.credit_code]
        app.stage(cmd.stage).consensus = cmd.points
        await self.scores_changed(app, cmd.stage, [])

    @record_consensus.validator
    def _validate_consensus(self, cmd: ConsensusCommand) -> None:
        self._check(checks.check_consensus, self._state, cmd)

    @workflow.update(name="close-stage")
    async def close_stage(self, cmd: CloseStageCommand) -> None:
        self._state.document_closed_early_reason = cmd.reason
        self._state.phase = Phase.SHORTLIST
        if workflow.patched("close-stage-cancels-reminders"):
            for name in ("document_reminder", "document_overdue"):
                self._timers.pop(name, None)
        await self.project([])

    @close_stage.validator
    def _validate_close_stage(self, cmd: CloseStageCommand) -> None:
        self._check(checks.check_close_stage, self._state, cmd.stage)

    @workflow.update(name="shortlist")
    async def shortlist(self, cmd: ShortlistCommand) -> list[str]:
        return await self.fix_shortlist(cmd)

    @shortlist.validator
    def _validate_shortlist(self, cmd: ShortlistCommand) -> None:
        self._check(checks.check_shortlist, self._state, cmd, self._rules)

    @workflow.update(name="confirm-site-report")
    async def confirm_site_report(self, cmd: ConfirmSiteReportCommand) -> None:
        app = self._state.applications[cmd.credit_code]
        app.site.closed = True
        app.site_report_confirmed_at = self.now()
        await self.project([cmd.credit_code])
        await self.maybe_start_committee()

    @confirm_site_report.validator
    def _validate_confirm(self, cmd: ConfirmSiteReportCommand) -> None:
        self._check(checks.check_confirm_site_report, self._state, cmd, self._rules)

    # --- committee, publicity, approval (§4(4)–§4(6)) ---------------------------------------

    @workflow.update(name="record-vote")
    async def record_vote(self, cmd: VoteCommand) -> list[str]:
        result = self._state.results[cmd.award.value]
        result.votes.append(
            VoteRecord(
                round=len(result.votes) + 1,
                present=cmd.present,
                ballots=cmd.ballots,
                at=self.now(),
            )
        )
        await self.decide_award(cmd.award)
        return result.runoff

    @record_vote.validator
    def _validate_vote(self, cmd: VoteCommand) -> None:
        self._check(checks.check_vote, self._state, cmd, self._input.committee_members, self._rules)

    @workflow.update(name="object")
    async def file_objection(self, cmd: ObjectionCommand) -> int:
        number = len(self._state.objections) + 1
        self._state.objections.append(
            ObjectionState(
                number=number,
                credit_code=cmd.credit_code,
                name=cmd.name.strip(),
                contact=cmd.contact.strip(),
                content=cmd.content,
                received_at=self.now(),
            )
        )
        await self.notify(
            [texts.objection_received(self._wf, self._year, number, cmd.credit_code, self.now())]
        )
        await self.project([])
        return number

    @file_objection.validator
    def _validate_object(self, cmd: ObjectionCommand) -> None:
        self._check(checks.check_objection, self._state, cmd, self.now())

    @workflow.update(name="investigate")
    async def investigate(self, cmd: InvestigateCommand) -> None:
        objection = self._state.objections[cmd.number - 1]
        objection.finding = cmd.finding
        objection.report = cmd.report
        await self.project([])
        await self.maybe_close_publicity()

    @investigate.validator
    def _validate_investigate(self, cmd: InvestigateCommand) -> None:
        self._check(checks.check_investigate, self._state, cmd)

    @workflow.update(name="committee-decision")
    async def committee_decision(self, cmd: CommitteeDecisionCommand) -> None:
        await self.decide_objections(cmd)

    @committee_decision.validator
    def _validate_committee_decision(self, cmd: CommitteeDecisionCommand) -> None:
        self._check(checks.check_committee_decision, self._state, cmd)

    @workflow.update(name="approve")
    async def approve(self, cmd: ApproveCommand) -> list[str]:
        grants = await self.grant_awards(cmd.strike)
        starts = [
            workflow.start_child_workflow(
                HonorWorkflow.run,
                self.honor_input(grant),
                id=self.honor_input(grant).workflow_id,
                parent_close_policy=ParentClosePolicy.ABANDON,
            )
            for grant in grants
        ]
        if workflow.patched("honors-started-together"):
            await asyncio.gather(*starts)  # one workflow task for all the starts
        else:
            for start in starts:
                await start
        self.wake()
        return [g.credit_code for g in grants]

    @approve.validator
    def _validate_approve(self, cmd: ApproveCommand) -> None:
        self._check(checks.check_approve, self._state, cmd.strike)

    @workflow.update(name="cancel")
    async def cancel(self, cmd: CancelCommand) -> None:
        self._state.phase = Phase.CANCELLED
        self._state.cancel_reason = cmd.reason
        for app in self._state.applications.values():
            if app.outcome == Outcome.PENDING:
                app.outcome = Outcome.CANCELLED
        self._timers.clear()
        await self.project(None)
        self.wake()

    @cancel.validator
    def _validate_cancel(self, cmd: CancelCommand) -> None:
        self._check(checks.check_cancel, self._state)

    @workflow.update(name="withdraw")
    async def withdraw(self, cmd: WithdrawCommand) -> None:
        self._state.applications[cmd.credit_code].outcome = Outcome.WITHDRAWN
        await self.project([cmd.credit_code])
        await self.after_withdrawal()

    @withdraw.validator
    def _validate_withdraw(self, cmd: WithdrawCommand) -> None:
        self._check(checks.check_withdraw, self._state, cmd.credit_code)

    @workflow.update(name="resume")
    async def resume(self) -> None:
        """The office retries a background task that kept failing (see `TimedWorkflow.call`)."""
        self._resume = True

    # --- helpers ------------------------------------------------------------------------

    @staticmethod
    def _check(fn: Callable[..., object], *args: object) -> None:
        try:
            fn(*args)
        except DomainError as err:
            raise refuse(err) from None
