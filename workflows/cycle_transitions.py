"""State transitions of the cycle: what happens when a phase ends (DESIGN.md §2).

Mixed into `AwardCycleWorkflow`; runs inside the workflow sandbox. Decisions come from
`domain/`; side effects (projection, notices, honors register) go through activities.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from temporalio import workflow

from domain.awards import bonus_cny, honor_dates
from domain.committee import Candidate, VoteResult, candidates_for_award, select_winners
from domain.committee import takes_quota_place as quota_place
from domain.dates import add_years, end_of_day, start_of_day
from domain.eligibility import DepartmentFinding, evaluate_eligibility, is_repeat_winner
from domain.errors import ErrorCode
from domain.publicity import publicity_closes
from domain.rules import ProgramRules
from domain.scoring import recommend_shortlist, stage_score, total_score
from domain.types import Award
from workflows import notice_texts as texts
from workflows.base import TimedWorkflow
from workflows.cycle_checks import document_complete, in_document_review, published_list
from workflows.honor_messages import HonorInput
from workflows.messages import (
    ApplicationState,
    AwardResult,
    CommitteeDecisionCommand,
    CycleInput,
    CycleProjection,
    CycleState,
    FactsRequest,
    HonorGrant,
    HonorGrants,
    NoticeDraft,
    Outbox,
    Outcome,
    Phase,
    Reason,
    ScoreItems,
    ShortlistCommand,
    Stage,
    VerificationRequest,
)

with workflow.unsafe.imports_passed_through():
    from activities.records import RecordsActivities


def add_years_instant(moment: datetime, years: int) -> datetime:
    """The same wall-clock instant `years` calendar years later (29 Feb → 28 Feb)."""
    shifted = add_years(moment.date(), years)
    return moment.replace(year=shifted.year, month=shifted.month, day=shifted.day)


DEFERRED_WRITE_LIMIT = 200
"""With `CycleInput.defer_writes`: a queue this long is written anyway (bounds one write)."""


class Transitions(TimedWorkflow):
    _input: CycleInput
    _rules: ProgramRules
    _state: CycleState

    @property
    def _wf(self) -> str:
        return self._input.workflow_id

    @property
    def _year(self) -> int:
        return self._input.year

    # --- projection -----------------------------------------------------------------------
    #
    # A handler changes the state and queues what the database must learn (`project`,
    # `notify`); a writer task writes everything queued in one activity (`flush`) while the
    # next commands are already being handled. A command therefore costs one workflow task
    # instead of a workflow task plus an activity, and a burst of commands costs one write.
    # Histories from before the outbox wrote each change inside its handler; they replay
    # through the same calls (`_outbox_on` is False for them, and the writer stays idle).

    _flushing: bool = False
    _stopping: bool = False
    _sync_wanted: bool = False
    _closing: bool = False

    def _outbox_on(self) -> bool:
        return workflow.patched("projection-outbox")

    def _queue(self) -> Outbox:
        s = self._state
        if s.outbox is None:
            s.outbox = Outbox()
        s.changes += 1
        if workflow.current_update_info() is None:
            s.outbox.urgent = True  # a timer's change, not a command's
        return s.outbox

    def _write_due(self) -> bool:
        """Whether the writer should write what is queued now."""
        box = self._state.outbox
        if box is None or self._stopping:
            return False
        return (
            not self._input.defer_writes
            or box.urgent
            or self._sync_wanted
            or self._closing
            or box.size() >= DEFERRED_WRITE_LIMIT
        )

    async def sync(self) -> None:
        """Write what is queued now; return once written (or when the run is ending, or a
        write keeps failing: the caller asks the status, and again if need be)."""
        self._sync_wanted = True
        await workflow.wait_condition(
            lambda: self.caught_up() or self._stopping or self._attention is not None
        )

    async def project(
        self,
        credit_codes: list[str] | None,
        score_items: list[ScoreItems] | None = None,
        *,
        panels: bool = False,
    ) -> None:
        """Queue the cycle and the named applications (None: all) for the database.

        `panels`: their panels and scores changed too (the costly part of the write).
        """
        if not self._outbox_on():
            await self._write(
                credit_codes, score_items or [], panels=panels, panel_codes=None, notices=[]
            )
            return
        box = self._queue()
        if credit_codes is None:
            box.everything = True
        else:
            box.codes.extend(c for c in credit_codes if c not in box.codes)
        if panels:
            box.panel_codes.extend(
                c
                for c in (credit_codes if credit_codes is not None else self._state.applications)
                if c not in box.panel_codes
            )
        box.score_items.extend(score_items or [])

    async def notify(self, drafts: list[NoticeDraft]) -> None:
        if not drafts:
            return
        if not self._outbox_on():
            await super().notify(drafts)
            return
        self._queue().notices.extend(drafts)

    async def writer(self) -> None:
        """The background task that writes whatever is queued, for the whole run."""
        while True:
            await workflow.wait_condition(self._write_due)
            await self.flush(all_queued=False)
            self._sync_wanted = False

    async def flush(self, *, all_queued: bool = True) -> None:
        """Write what is queued, one write at a time, until nothing is left (or, for the
        writer, until what is left may wait: `_write_due`).

        Writes never overlap: each carries a newer revision, and the database keeps a
        write only when its revision is newer than what it has.
        """
        s = self._state
        while s.outbox is not None and not self._stopping and (all_queued or self._write_due()):
            if self._flushing:
                await workflow.wait_condition(lambda: not self._flushing)
                continue
            box, s.outbox, changes = s.outbox, None, s.changes
            self._flushing = True
            try:
                await self._write(
                    None if box.everything else box.codes,
                    box.score_items,
                    panels=bool(box.panel_codes),
                    panel_codes=box.panel_codes,
                    notices=box.notices,
                )
            finally:
                self._flushing = False
            s.written = changes

    async def quiesce(self, *, keep_queue: bool) -> None:
        """Wait until no handler runs and no write is in flight (before the run ends).

        `keep_queue`: what is still queued travels in the state (continue-as-new);
        otherwise it is written first (the cycle is over).
        """
        if keep_queue:
            self._stopping = True
        else:
            self._closing = True
        await workflow.wait_condition(
            lambda: (
                workflow.all_handlers_finished()
                and not self._flushing
                and (keep_queue or self._state.outbox is None)
            )
        )

    def caught_up(self) -> bool:
        return self._state.outbox is None and not self._flushing

    def writes_settled(self) -> bool:
        """No write in flight or due: what is queued waits for `sync` (`defer_writes`)."""
        return self.caught_up() or (
            self._input.defer_writes and not self._flushing and not self._write_due()
        )

    async def _write(
        self,
        credit_codes: list[str] | None,
        score_items: list[ScoreItems],
        *,
        panels: bool,
        panel_codes: list[str] | None,
        notices: list[NoticeDraft],
    ) -> None:
        s = self._state
        s.revision += 1
        apps = (
            list(s.applications.values())
            if credit_codes is None
            else [s.applications[c] for c in credit_codes]
        )
        await self.call(
            RecordsActivities.project_cycle,
            CycleProjection(
                workflow_id=self._wf,
                revision=s.revision,
                year=self._year,
                application_deadline=self._input.application_deadline,
                committee_members=self._input.committee_members,
                rules=self._rules.model_dump(mode="json") if s.revision == 1 else None,
                phase=s.phase,
                opened_at=s.opened_at,
                publicity_opens=s.publicity_opens,
                publicity_closes=s.publicity_closes,
                awarded_on=s.awarded_on,
                cancel_reason=s.cancel_reason,
                document_closed_early_reason=s.document_closed_early_reason,
                attention=self._attention,
                winners={award: r.winners for award, r in s.results.items()},
                applications=apps,
                objections=s.objections,
                votes={award: r.votes for award, r in s.results.items()},
                score_items=score_items,
                panels=panels,
                panel_codes=panel_codes,
                notices=notices,
            ),
        )

    # --- qualification (§4(1)) --------------------------------------------------------------

    async def deadline_passed(self) -> None:
        """Intake closes; the departments are asked to verify every application (§4(1))."""
        if self._state.phase == Phase.OPEN:
            self._state.phase = Phase.QUALIFICATION
            await self.project([])
            if workflow.patched("verification-tasks"):
                await self.flush()  # the tasks refer to the applications' rows
                await self.call(
                    RecordsActivities.create_verification_tasks,
                    VerificationRequest(
                        workflow_id=self._wf,
                        credit_codes=[
                            a.credit_code
                            for a in self._state.applications.values()
                            if a.outcome == Outcome.PENDING
                        ],
                    ),
                )

    async def qualify(self) -> None:
        """Eligibility E1–E8 at the reference date (the deadline), plus department findings."""
        s = self._state
        pending = [a for a in s.applications.values() if a.outcome == Outcome.PENDING]
        data = await self.call(
            RecordsActivities.load_eligibility_facts,
            FactsRequest(credit_codes=[a.credit_code for a in pending]),
        )
        drafts: list[NoticeDraft] = []
        for app in pending:
            org = data.organizations[app.credit_code]
            findings = [
                DepartmentFinding(
                    passed=f.passed,
                    reason=ErrorCode(f.reason) if f.reason else None,
                    note=f.note,
                )
                for f in app.findings
            ]
            failures = evaluate_eligibility(
                org.facts,
                app.award,
                self._year,
                self._input.application_deadline,
                org.honors,
                findings,
                self._rules,
            )
            app.repeat_winner = is_repeat_winner(app.award, org.honors)
            app.eligible = not failures
            if failures:
                app.outcome = Outcome.INELIGIBLE
                app.reasons = [
                    Reason(reason=f.reason.value, rule=f.rule, clause=f.clause, message=f.message)
                    for f in failures
                ]
                drafts.append(
                    texts.qualification_result(
                        self._wf,
                        self._year,
                        app.credit_code,
                        [f.message for f in failures],
                        self.now(),
                    )
                )
        s.phase = Phase.DOCUMENT_REVIEW
        self._schedule_stage(Stage.DOCUMENT, self._rules.review.document_days)
        await self.notify(drafts)
        await self.project(None)
        await self.maybe_document_done()

    def _schedule_stage(self, stage: Stage, days: int) -> None:
        due = self.now().date() + timedelta(days=days)
        self._state.stage_due[stage.value] = due
        before = self._rules.review.reminder_days_before
        if before > 0:
            self._timers[f"{stage.value}_reminder"] = start_of_day(due - timedelta(days=before))
        self._timers[f"{stage.value}_overdue"] = end_of_day(due)
        self.wake()

    def _stage_apps(self, stage: Stage) -> list[ApplicationState]:
        if stage == Stage.DOCUMENT:
            return in_document_review(self._state)
        return [
            a
            for a in self._state.applications.values()
            if a.shortlisted and a.outcome == Outcome.PENDING and not a.site.closed
        ]

    async def remind(self, stage: Stage) -> None:
        reviewers = sorted(
            {
                m
                for a in self._stage_apps(stage)
                if not a.stage(stage).closed
                for m in a.stage(stage).members
                if m not in a.stage(stage).scores
            }
        )
        due = self._state.stage_due[stage.value]
        await self.notify(
            [
                texts.review_reminder(self._wf, self._year, stage.value, r, due, self.now())
                for r in reviewers
            ]
        )

    async def escalate(self, stage: Stage) -> None:
        size = self._rules.panel.min_size
        late = [a for a in self._stage_apps(stage) if not a.stage(stage).complete(size)]
        if late:
            await self.notify(
                [texts.review_overdue(self._wf, self._year, stage.value, len(late), self.now())]
            )

    # --- document and site review (§4(2), §4(3)) --------------------------------------------

    @staticmethod
    def refresh_stage_score(app: ApplicationState, stage: Stage) -> None:
        """Stage score = mean of the members' totals, unless a consensus stands (§3.2)."""
        panel = app.stage(stage)
        score = (
            stage_score(list(panel.scores.values()), panel.consensus)
            if panel.scores or panel.consensus is not None
            else None
        )
        if stage == Stage.DOCUMENT:
            app.document_score = score
        else:
            app.site_score = score

    async def scores_changed(
        self, app: ApplicationState, stage: Stage, items: list[ScoreItems]
    ) -> None:
        panel = app.stage(stage)
        self.refresh_stage_score(app, stage)
        if stage == Stage.SITE:
            if panel.complete(self._rules.panel.min_size) and not panel.report_notified:
                panel.report_notified = True
                await self.notify(
                    [texts.site_review_report(self._wf, self._year, app.credit_code, self.now())]
                )
        await self.project([app.credit_code], items, panels=True)
        reviewing = app.eligible and app.outcome == Outcome.PENDING
        if stage == Stage.DOCUMENT and (
            panel.complete(self._rules.panel.min_size) or not reviewing
        ):
            # While this panel still misses a score, document review cannot be complete.
            await self.maybe_document_done()

    async def maybe_document_done(self) -> None:
        if self._state.phase == Phase.DOCUMENT_REVIEW and document_complete(
            self._state, self._rules
        ):
            self._state.phase = Phase.SHORTLIST
            await self.project([])

    async def fix_shortlist(self, cmd: ShortlistCommand) -> list[str]:
        """§4(2): the site-review list; the others get their document-review feedback."""
        s = self._state
        eligible = in_document_review(s)
        if cmd.auto:
            chosen = recommend_shortlist(
                [
                    (a.credit_code, a.award, a.document_score)
                    for a in eligible
                    if a.document_score is not None
                ],
                self._rules,
            )
        else:
            chosen = list(cmd.credit_codes or [])
        drafts = []
        for app in eligible:
            app.document.closed = True
            app.shortlisted = app.credit_code in chosen
            if not app.shortlisted:
                app.outcome = Outcome.NOT_SHORTLISTED
                drafts.append(
                    texts.document_review_feedback(
                        self._wf, self._year, app.credit_code, self.now()
                    )
                )
        s.shortlist = chosen
        s.phase = Phase.SITE_REVIEW
        for name in ("document_reminder", "document_overdue"):
            self._timers.pop(name, None)
        self._schedule_stage(Stage.SITE, self._rules.review.site_days)
        await self.notify(drafts)
        await self.project(None)
        await self.maybe_start_committee()
        return chosen

    async def after_withdrawal(self) -> None:
        await self.maybe_document_done()
        await self.maybe_start_committee()

    # --- committee (§4(4)) ------------------------------------------------------------------

    async def maybe_start_committee(self) -> None:
        s = self._state
        if s.phase != Phase.SITE_REVIEW:
            return
        shortlisted = [
            a for a in s.applications.values() if a.shortlisted and a.outcome == Outcome.PENDING
        ]
        if not all(a.site.closed for a in shortlisted):
            return
        for name in ("site_reminder", "site_overdue"):
            self._timers.pop(name, None)
        for app in shortlisted:
            assert app.document_score is not None
            assert app.site_score is not None
            app.total_score = total_score(app.document_score, app.site_score, self._rules)
        for award in Award:
            scores = {a.credit_code: a.total_score or 0.0 for a in shortlisted if a.award == award}
            candidates = candidates_for_award(scores, self._rules)
            s.results[award.value] = AwardResult(candidates=candidates)
            for code in scores:
                if code not in candidates:
                    s.applications[code].outcome = Outcome.NOT_CANDIDATE
        s.phase = Phase.COMMITTEE
        await self.project(None)
        await self._maybe_publish()

    async def decide_award(self, award: Award) -> None:
        """Winners from the vote and any runoff votes (§4(4), §5(3) quota)."""
        s = self._state
        result = s.results[award.value]
        candidates = [
            Candidate(
                key=code,
                total_score=s.applications[code].total_score or 0.0,
                repeat_winner=s.applications[code].repeat_winner,
                takes_quota_place=not (
                    award == Award.QUALITY and s.applications[code].repeat_winner
                ),
            )
            for code in result.candidates
        ]
        votes = [VoteResult(present=v.present, ballots=v.ballots) for v in result.votes]
        selection = select_winners(award, candidates, votes[0], self._rules, runoff=votes[1:])
        result.winners = selection.winners
        result.runoff = selection.runoff
        result.decided = not selection.runoff
        await self.project([])
        await self._maybe_publish()

    async def _maybe_publish(self) -> None:
        """§4(5): the list is published as soon as every award with candidates is decided."""
        s = self._state
        if s.phase != Phase.COMMITTEE:
            return
        if not all(r.decided or not r.candidates for r in s.results.values()):
            return
        opens = self.now()
        closes = publicity_closes(opens, self._rules)
        s.publicity_opens, s.publicity_closes = opens, closes
        s.phase = Phase.PUBLICITY
        self._timers["publicity_close"] = closes
        for result in s.results.values():
            for code in result.candidates:
                if code not in result.winners:
                    s.applications[code].outcome = Outcome.NOT_ELECTED
        names = [s.applications[c].name for c in published_list(s)]
        await self.notify([texts.publicity(self._wf, self._year, names, opens, closes)])
        await self.project(None)
        self.wake()

    # --- publicity and approval (§4(5), §4(6), §5(1)) ---------------------------------------

    async def publicity_closed(self) -> None:
        await self.maybe_close_publicity()

    async def maybe_close_publicity(self) -> None:
        """Publicity ends when its window has closed and every objection is resolved."""
        s = self._state
        if s.phase != Phase.PUBLICITY or s.publicity_closes is None:
            return
        if self.now() < s.publicity_closes or not all(o.resolved() for o in s.objections):
            return
        s.phase = Phase.APPROVAL
        await self.project([])

    async def decide_objections(self, cmd: CommitteeDecisionCommand) -> None:
        s = self._state
        for objection in s.objections:
            if (
                objection.credit_code == cmd.credit_code
                and objection.finding == "substantiated"
                and objection.decision is None
            ):
                objection.decision = "remove" if cmd.remove else "keep"
        if cmd.remove:
            app = s.applications[cmd.credit_code]
            app.outcome = Outcome.REMOVED_AFTER_PUBLICITY
            result = s.results[app.award.value]
            result.winners = [c for c in result.winners if c != cmd.credit_code]
        await self.project([cmd.credit_code])
        await self.maybe_close_publicity()

    async def grant_awards(self, strike: list[str]) -> list[HonorGrant]:
        """§4(6), §5(1): the government's decision; bonuses from the honors register."""
        s = self._state
        today = self.now().date()
        listed = published_list(s)
        data = await self.call(
            RecordsActivities.load_eligibility_facts, FactsRequest(credit_codes=listed)
        )
        grants: list[HonorGrant] = []
        for code in listed:
            app = s.applications[code]
            if code in strike:
                app.outcome = Outcome.NOT_APPROVED
                continue
            app.outcome = Outcome.AWARDED
            held = data.organizations[code].honors
            dates = honor_dates(app.award, self._year, today, self._rules)
            grants.append(
                HonorGrant(
                    credit_code=code,
                    organization_id=app.organization_id,
                    award=app.award,
                    year=self._year,
                    awarded_on=today,
                    bonus_cny=bonus_cny(app.award, held, self._rules),
                    takes_quota_place=quota_place(app.award, held),
                    valid_until=dates.valid_until,
                    revocation_window_closes=dates.revocation_window_closes,
                    reapply_from=dates.reapply_from,
                    workflow_id=self._honor_id(code, app.award),
                )
            )
        for result in s.results.values():
            result.winners = [c for c in result.winners if c not in strike]
        s.awarded_on = today
        s.phase = Phase.ANNOUNCED
        # Set with the phase: the main loop must never see an announced cycle without it.
        self._timers["next_cycle_due"] = add_years_instant(s.opened_at, 2)
        await self.call(
            RecordsActivities.register_honors,
            HonorGrants(cycle_workflow_id=self._wf, grants=grants),
        )
        names = [s.applications[g.credit_code].name for g in grants]
        await self.notify([texts.award_bulletin(self._wf, self._year, names, self.now())])
        await self.project(None)
        return grants

    def _honor_id(self, credit_code: str, award: Award) -> str:
        suffix = self._wf.removeprefix(f"cycle-{self._year}")
        return f"honor-{credit_code}-{award.value}-{self._year}{suffix}"

    def honor_input(self, grant: HonorGrant) -> HonorInput:
        assert grant.workflow_id is not None
        return HonorInput(
            workflow_id=grant.workflow_id,
            grant=grant,
            name=self._state.applications[grant.credit_code].name,
            rules=self._rules,
            clock_offset_seconds=self._input.clock_offset_seconds,
        )
