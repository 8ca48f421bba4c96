"""The cycle's decisions as plain functions: (state, command, facts, now) → effects.

`CycleTransitions` holds a cycle's input and state; each method checks its command against
the state (raising `DomainError` with the code of DESIGN.md §3 and changing nothing), then
changes the state and returns the `Effects` the shell must carry out. No Temporal, no I/O:
tested with plain pytest (`tests/workflows/test_cycle_transitions.py`). The state is changed
in place: copying a 1,000-application state for every command would cost more than the
command.

Rules come from `domain/`; the notices' Chinese texts from `workflows.notice_texts`.

Its size is earned: it is the whole cycle of DESIGN.md §2, one section per phase, each
transition next to the ones that follow from it (a score may complete document review, a
confirmation may start the committee, a vote may publish the list); split across modules,
those chains would be read through imports.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

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
    AwardResult,
    CycleInput,
    CycleState,
    DeadlineExtension,
    ObjectionState,
    Reason,
    VoteRecord,
)
from contracts.honor import HonorGrant
from contracts.records import FactsResponse, ScoreItems
from domain.awards import bonus_cny, honor_dates
from domain.committee import Candidate, VoteResult, candidates_for_award, select_winners
from domain.committee import takes_quota_place as quota_place
from domain.dates import add_years_instant, end_of_day, start_of_day
from domain.eligibility import DepartmentFinding, evaluate_eligibility, is_repeat_winner
from domain.errors import DomainError, ErrorCode
from domain.phases import Outcome, Phase, Stage
from domain.publicity import publicity_closes
from domain.review_quality import normalised_scores
from domain.rules import ProgramRules
from domain.scoring import recommend_shortlist, stage_score, total_score
from domain.types import Award
from domain.workflow_ids import cycle_suffix, honor_workflow_id
from workflows import cycle_checks as checks
from workflows import notice_texts as texts
from workflows.cycle_progress import Holdouts
from workflows.effects import Effects


class CycleTransitions:
    def __init__(self, inp: CycleInput, state: CycleState) -> None:
        self.inp = inp
        self.state = state
        self._document_holdouts = Holdouts(lambda a: checks.holds_up_document_review(a, inp.rules))
        self._site_holdouts = Holdouts(checks.holds_up_committee)

    @property
    def rules(self) -> ProgramRules:
        return self.inp.rules

    @property
    def _wf(self) -> str:
        return self.inp.workflow_id

    @property
    def _year(self) -> int:
        return self.inp.year

    @property
    def deadline(self) -> date:
        """The application deadline as it stands (the office may have extended it): intake
        closes at its end, and it is the reference date of eligibility (DESIGN 3.1)."""
        return self.state.application_deadline or self.inp.application_deadline

    def finished(self) -> bool:
        s = self.state
        return s.phase == Phase.CANCELLED or (s.phase == Phase.ANNOUNCED and not s.timers)

    # --- opening and timers -----------------------------------------------------------------

    def open(self) -> Effects:
        """§3(2): the call for applications; intake closes at the end of the deadline's day."""
        deadline = self.deadline
        self.state.timers["deadline"] = end_of_day(deadline)
        self.state.entered[Phase.OPEN.value] = self.state.opened_at
        notice = texts.call_for_applications(self._wf, self._year, deadline, self.state.opened_at)
        return Effects(notices=[notice])

    def note_phase(self, before: Phase, now: datetime) -> None:
        """After a transition: when it moved the cycle on, the new phase began `now`."""
        if self.state.phase != before:
            self.state.entered[self.state.phase.value] = now

    def fire(self, name: str, now: datetime) -> Effects:
        """A named timer of the state has come due."""
        if name == "deadline":
            return self._deadline_passed(now)
        if name.endswith("_reminder"):
            return self._remind(Stage(name.removesuffix("_reminder")), now)
        if name.endswith("_overdue"):
            return self._escalate(Stage(name.removesuffix("_overdue")), now)
        if name == "publicity_close":
            return self._maybe_close_publicity(now)
        if name == "next_cycle_due":
            return Effects(notices=[texts.next_cycle_due(self._wf, self._year, now)])
        raise ValueError(f"unknown timer {name}")

    # --- intake and qualification (§3(2), §4(1)) ----------------------------------------------

    def check_apply(self, cmd: ApplyCommand, now: datetime) -> None:
        checks.check_apply(self.state, cmd, self.deadline, now)

    def apply(self, cmd: ApplyCommand, now: datetime) -> tuple[ApplicationState, Effects]:
        self.check_apply(cmd, now)
        app = ApplicationState(
            credit_code=cmd.credit_code,
            organization_id=cmd.organization_id,
            name=cmd.name,
            award=cmd.award,
            industry=cmd.industry,
            submitted_at=now,
        )
        self.state.applications[cmd.credit_code] = app
        return app, Effects().touch(cmd.credit_code)

    def check_finding(self, cmd: FindingCommand) -> None:
        checks.check_finding(self.state, cmd)

    def record_finding(self, cmd: FindingCommand) -> Effects:
        self.check_finding(cmd)
        self.state.applications[cmd.credit_code].findings.append(cmd)
        return Effects().touch(cmd.credit_code)

    def _deadline_passed(self, now: datetime) -> Effects:
        """Intake closes; the departments are asked to verify every application (§4(1))."""
        s = self.state
        if s.phase != Phase.OPEN:
            return Effects()
        s.phase = Phase.QUALIFICATION
        pending = [a.credit_code for a in s.applications.values() if a.outcome == Outcome.PENDING]
        notice = texts.intake_closed(self._wf, self._year, len(s.applications), now)
        return Effects(verification=pending, notices=[notice])

    def check_close_qualification(self) -> None:
        checks.require_phase(self.state, Phase.QUALIFICATION)

    def qualification_pending(self) -> list[str]:
        """The applications whose facts `close_qualification` needs."""
        return [
            a.credit_code for a in self.state.applications.values() if a.outcome == Outcome.PENDING
        ]

    def close_qualification(self, facts: FactsResponse, now: datetime) -> Effects:
        """E1–E8 at the reference date (the deadline), plus the department findings; then
        document review begins (§4(1))."""
        self.check_close_qualification()
        effects = self.qualify(self.qualification_pending(), facts, now)
        return effects.merge(self.end_qualification(now))

    def qualify(self, codes: list[str], facts: FactsResponse, now: datetime) -> Effects:
        """Decide the eligibility of these pending applications (the shell goes a page at a
        time, so that thousands of them never make one long workflow task)."""
        self.check_close_qualification()
        effects = Effects().touch(*codes)
        for code in codes:
            app = self.state.applications[code]
            org = facts.organizations[code]
            findings = [
                DepartmentFinding(
                    passed=f.passed, reason=ErrorCode(f.reason) if f.reason else None, note=f.note
                )
                for f in app.findings
            ]
            failures = evaluate_eligibility(
                org.facts,
                app.award,
                self._year,
                self.deadline,
                org.honors,
                findings,
                self.rules,
            )
            app.repeat_winner = is_repeat_winner(app.award, org.honors)
            app.takes_quota_place = quota_place(app.award, org.honors)
            app.eligible = not failures
            if failures:
                app.outcome = Outcome.INELIGIBLE
                app.reasons = [
                    Reason(reason=f.reason.value, rule=f.rule, clause=f.clause, message=f.message)
                    for f in failures
                ]
                effects.notices.append(
                    texts.qualification_result(
                        self._wf, self._year, app, [f.message for f in failures], now
                    )
                )
        return effects

    def end_qualification(self, now: datetime) -> Effects:
        """Every application decided: document review begins, due in `review.document_days`."""
        self.check_close_qualification()
        self.state.phase = Phase.DOCUMENT_REVIEW
        self._schedule_stage(Stage.DOCUMENT, self.rules.review.document_days, now)
        self._maybe_document_done()
        return Effects()

    def _schedule_stage(self, stage: Stage, days: int, now: datetime) -> None:
        self._arm_stage(stage, now.date() + timedelta(days=days), now)

    def _arm_stage(self, stage: Stage, due: date, now: datetime) -> None:
        """A stage's due date and its timers: the reminder (if still ahead) and the overdue."""
        self.state.stage_due[stage.value] = due
        before = self.rules.review.reminder_days_before
        reminder = start_of_day(due - timedelta(days=before))
        self.state.timers.pop(f"{stage.value}_reminder", None)
        if before > 0 and reminder > now:
            self.state.timers[f"{stage.value}_reminder"] = reminder
        self.state.timers[f"{stage.value}_overdue"] = end_of_day(due)

    def check_extend(self, cmd: ExtendDeadlineCommand, now: datetime) -> date:
        return checks.check_extend(self.state, cmd, self.deadline, now)

    def extend_deadline(self, cmd: ExtendDeadlineCommand, now: datetime) -> Effects:
        """DESIGN §2: the office moves a deadline later, with a reason; the timers follow and
        those concerned are told (the public for intake, the reviewers still to score)."""
        previous = self.check_extend(cmd, now)
        s = self.state
        n = len(s.extensions) + 1
        s.extensions.append(
            DeadlineExtension(
                what=cmd.what, previous=previous, until=cmd.until, reason=cmd.reason, at=now
            )
        )
        if cmd.what == "application":
            s.application_deadline = cmd.until
            s.timers["deadline"] = end_of_day(cmd.until)
            notice = texts.deadline_extended(self._wf, self._year, cmd.until, cmd.reason, now, n)
            return Effects(notices=[notice])
        stage = Stage(cmd.what)
        self._arm_stage(stage, cmd.until, now)
        return Effects(
            notices=[
                texts.due_date_extended(
                    self._wf, self._year, stage.value, r, cmd.until, cmd.reason, now, n
                )
                for r in self._unscored(stage)
            ]
        )

    def _unscored(self, stage: Stage) -> list[str]:
        """The reviewers who still owe a score in this stage."""
        return sorted(
            {
                m
                for a in self._stage_apps(stage)
                if not a.stage(stage).closed
                for m in a.stage(stage).members
                if m not in a.stage(stage).scores
            }
        )

    def _stage_apps(self, stage: Stage) -> list[ApplicationState]:
        if stage == Stage.DOCUMENT:
            return checks.in_document_review(self.state)
        return [
            a
            for a in self.state.applications.values()
            if a.shortlisted and a.outcome == Outcome.PENDING and not a.site.closed
        ]

    def _remind(self, stage: Stage, now: datetime) -> Effects:
        reviewers = self._unscored(stage)
        due = self.state.stage_due[stage.value]
        return Effects(
            notices=[
                texts.review_reminder(self._wf, self._year, stage.value, r, due, now)
                for r in reviewers
            ]
        )

    def _escalate(self, stage: Stage, now: datetime) -> Effects:
        size = self.rules.panel.min_size
        late = [a for a in self._stage_apps(stage) if not a.stage(stage).complete(size)]
        if not late:
            return Effects()
        return Effects(
            notices=[texts.review_overdue(self._wf, self._year, stage.value, len(late), now)]
        )

    # --- panels and scores (§2(4), §4(2), §4(3), §6(1)) ----------------------------------------

    def check_assign_panel(self, cmd: AssignPanelCommand) -> None:
        checks.check_assign_panel(self.state, cmd, self.rules)
        for reviewer in cmd.reviewers:
            if reviewer.code in self.state.disqualified:  # §6(7)
                raise DomainError(ErrorCode.REVIEWER_DISQUALIFIED, reviewer.code)

    def assign_panel(self, cmd: AssignPanelCommand, now: datetime) -> Effects:
        self.check_assign_panel(cmd)
        panel = self.state.applications[cmd.credit_code].stage(cmd.stage)
        codes = [r.code for r in cmd.reviewers]
        added = [c for c in codes if c not in panel.members]
        panel.members = codes
        panel.leader = cmd.leader
        panel.scores = {k: v for k, v in panel.scores.items() if k in codes}
        notices = [
            texts.review_assignment(
                self._wf, self._year, cmd.stage.value, cmd.credit_code, c, now, len(added)
            )
            for c in added
        ]
        return Effects(notices=notices).touch(cmd.credit_code, panels=True)

    def check_declare_conflict(self, cmd: ConflictCommand) -> None:
        checks.check_cancel(self.state)

    def declare_conflict(self, cmd: ConflictCommand, now: datetime) -> Effects:
        """§6(1): a declared tie withdraws any open assignment; the office must replace it."""
        self.check_declare_conflict(cmd)
        declared = self.state.declared_conflicts.setdefault(cmd.reviewer, [])
        if cmd.credit_code not in declared:
            declared.append(cmd.credit_code)
        app = self.state.applications.get(cmd.credit_code)
        if app is None or not self._withdraw(app, cmd.reviewer):
            return Effects()
        args = (self._wf, self._year, cmd.credit_code, app.name, cmd.reviewer, now)
        notices = [texts.reviewer_withdrawn(*args), texts.withdrawn_from_panel(*args)]
        return Effects(notices=notices).touch(cmd.credit_code, panels=True)

    def _withdraw(self, app: ApplicationState, reviewer: str) -> bool:
        """Take the reviewer off the application's panels whose stage is still open (their
        score is dropped); whether there was any. A closed stage keeps its scores."""
        withdrawn = False
        for stage in Stage:
            panel = app.stage(stage)
            if reviewer in panel.members and not panel.closed:
                panel.members.remove(reviewer)
                panel.scores.pop(reviewer, None)
                if panel.leader == reviewer:
                    panel.leader = None
                self._refresh_stage_score(app, stage)
                withdrawn = True
        return withdrawn

    def check_disqualify(self, cmd: DisqualifyCommand) -> None:
        checks.check_cancel(self.state)

    def disqualify(self, cmd: DisqualifyCommand, now: datetime) -> Effects:
        """§6(7) 取消评审资格: the reviewer leaves every open panel of the cycle, exactly as
        a declared conflict withdraws them from one applicant's (§6(1)); the office is told
        to replace them. Closed stages keep their scores (marked in the reads)."""
        self.check_disqualify(cmd)
        self.state.disqualified[cmd.reviewer] = cmd.on
        effects = Effects()
        for app in self.state.applications.values():
            if self._withdraw(app, cmd.reviewer):
                args = (self._wf, self._year, app.credit_code, app.name, cmd.reviewer, now)
                effects.notices.append(texts.reviewer_disqualified(*args, cmd.reason))
                effects.touch(app.credit_code, panels=True)
        return effects

    def check_score(self, cmd: ScoreCommand) -> float:
        return checks.check_score(self.state, cmd, self.rules)

    def score(self, cmd: ScoreCommand, now: datetime) -> tuple[float, Effects]:
        points = self.check_score(cmd)
        app = self.state.applications[cmd.credit_code]
        panel = app.stage(cmd.stage)
        panel.scores[cmd.reviewer] = points
        panel.scored += 1
        items = ScoreItems(
            credit_code=cmd.credit_code,
            stage=cmd.stage,
            reviewer=cmd.reviewer,
            items=cmd.items,
            comments=cmd.comments,
        )
        return points, self._scores_changed(app, cmd.stage, [items], now)

    def check_consensus(self, cmd: ConsensusCommand) -> None:
        checks.check_consensus(self.state, cmd)

    def consensus(self, cmd: ConsensusCommand, now: datetime) -> Effects:
        self.check_consensus(cmd)
        app = self.state.applications[cmd.credit_code]
        app.stage(cmd.stage).consensus = cmd.points
        app.stage(cmd.stage).scored += 1
        return self._scores_changed(app, cmd.stage, [], now)

    @staticmethod
    def _refresh_stage_score(app: ApplicationState, stage: Stage) -> None:
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

    def _scores_changed(
        self, app: ApplicationState, stage: Stage, items: list[ScoreItems], now: datetime
    ) -> Effects:
        panel = app.stage(stage)
        self._refresh_stage_score(app, stage)
        effects = Effects(score_items=items).touch(app.credit_code, panels=True)
        complete = panel.complete(self.rules.panel.min_size)
        if stage == Stage.SITE and complete and not panel.report_notified:
            panel.report_notified = True
            effects.notices.append(texts.site_review_report(self._wf, self._year, app, now))
        reviewing = app.eligible and app.outcome == Outcome.PENDING
        if stage == Stage.DOCUMENT and (complete or not reviewing):
            # While this panel still misses a score, document review cannot be complete.
            self._maybe_document_done()
        return effects

    def _normalise(self, stage: Stage, apps: list[ApplicationState]) -> None:
        """`scoring.normalise` (default false): as the stage closes, the z-score normalised
        score (`domain.review_quality`) becomes the official stage score of every panel
        without a consensus score (the leader's consensus still stands, §2(4))."""
        if not self.rules.scoring.normalise:
            return
        normalised = normalised_scores({a.credit_code: a.stage(stage).scores for a in apps})
        for app in apps:
            if app.stage(stage).consensus is None and app.credit_code in normalised:
                if stage == Stage.DOCUMENT:
                    app.document_score = normalised[app.credit_code]
                else:
                    app.site_score = normalised[app.credit_code]

    def _maybe_document_done(self) -> None:
        s = self.state
        if s.phase == Phase.DOCUMENT_REVIEW and not self._document_holdouts.any(s):
            s.phase = Phase.SHORTLIST

    def check_close_stage(self, cmd: CloseStageCommand) -> None:
        checks.check_close_stage(self.state, cmd.stage)

    def close_stage(self, cmd: CloseStageCommand) -> Effects:
        """The office closes document review early, with a reason (§4(2))."""
        self.check_close_stage(cmd)
        self.state.document_closed_early_reason = cmd.reason
        self.state.phase = Phase.SHORTLIST
        for name in ("document_reminder", "document_overdue"):
            self.state.timers.pop(name, None)
        return Effects()

    def check_shortlist(self, cmd: ShortlistCommand) -> None:
        checks.check_shortlist(self.state, cmd, self.rules)

    def shortlist(self, cmd: ShortlistCommand, now: datetime) -> tuple[list[str], Effects]:
        """§4(2): the site-review list; the others get their document-review feedback."""
        self.check_shortlist(cmd)
        s = self.state
        eligible = checks.in_document_review(s)
        self._normalise(Stage.DOCUMENT, eligible)
        if cmd.auto:
            chosen = recommend_shortlist(
                [
                    (a.credit_code, a.award, a.document_score)
                    for a in eligible
                    if a.document_score is not None
                ],
                self.rules,
            )
        else:
            chosen = list(cmd.credit_codes or [])
        effects = Effects().touch(*(a.credit_code for a in eligible))
        for app in eligible:
            app.document.closed = True
            app.shortlisted = app.credit_code in chosen
            if not app.shortlisted:
                app.outcome = Outcome.NOT_SHORTLISTED
                effects.notices.append(
                    texts.document_review_feedback(self._wf, self._year, app, now)
                )
            else:
                effects.notices.append(
                    texts.shortlisted(
                        self._wf, self._year, app.credit_code, app.name, app.award, now
                    )
                )
        s.phase = Phase.SITE_REVIEW
        for name in ("document_reminder", "document_overdue"):
            s.timers.pop(name, None)
        self._schedule_stage(Stage.SITE, self.rules.review.site_days, now)
        return chosen, effects.merge(self._maybe_start_committee(now))

    def check_confirm_site_report(self, cmd: ConfirmSiteReportCommand) -> None:
        checks.check_confirm_site_report(self.state, cmd, self.rules)

    def confirm_site_report(self, cmd: ConfirmSiteReportCommand, now: datetime) -> Effects:
        self.check_confirm_site_report(cmd)
        app = self.state.applications[cmd.credit_code]
        app.site.closed = True
        app.site_report_confirmed_at = now
        app.site_report_sha256 = cmd.report_sha256
        return Effects().touch(cmd.credit_code).merge(self._maybe_start_committee(now))

    def check_withdraw(self, cmd: WithdrawCommand) -> None:
        checks.check_withdraw(self.state, cmd.credit_code)

    def withdraw(self, cmd: WithdrawCommand, now: datetime) -> Effects:
        self.check_withdraw(cmd)
        self.state.applications[cmd.credit_code].outcome = Outcome.WITHDRAWN
        self._maybe_document_done()
        return Effects().touch(cmd.credit_code).merge(self._maybe_start_committee(now))

    # --- committee (§4(4), §5(3)) ---------------------------------------------------------------

    def _maybe_start_committee(self, now: datetime) -> Effects:
        s = self.state
        if s.phase != Phase.SITE_REVIEW or self._site_holdouts.any(s):
            return Effects()
        shortlisted = [
            a for a in s.applications.values() if a.shortlisted and a.outcome == Outcome.PENDING
        ]
        for name in ("site_reminder", "site_overdue"):
            s.timers.pop(name, None)
        self._normalise(Stage.SITE, shortlisted)
        for app in shortlisted:
            assert app.document_score is not None
            assert app.site_score is not None
            app.total_score = total_score(app.document_score, app.site_score, self.rules)
        for award in Award:
            scores = {a.credit_code: a.total_score or 0.0 for a in shortlisted if a.award == award}
            candidates = candidates_for_award(scores, self.rules)
            s.results[award.value] = AwardResult(candidates=candidates)
            for place, code in enumerate(candidates, start=1):
                s.applications[code].candidate_rank = place
            for code in scores:
                if code not in candidates:
                    s.applications[code].outcome = Outcome.NOT_CANDIDATE
        s.phase = Phase.COMMITTEE
        touched = Effects().touch(*(a.credit_code for a in shortlisted))
        # Its names are rendered from the rows this write gives their places (`candidate_rank`).
        touched.notices.append(texts.candidate_list(self._wf, self._year, now))
        return touched.merge(self._maybe_publish(now))

    def check_vote(self, cmd: VoteCommand) -> None:
        checks.check_vote(self.state, cmd, self.inp.committee_members, self.rules)

    def vote(self, cmd: VoteCommand, now: datetime) -> tuple[list[str], Effects]:
        """Winners from the vote and any runoff votes (§4(4), §5(3) quota). A result that
        replaces the award's earlier one starts a new series; the earlier stays on record."""
        self.check_vote(cmd)
        s = self.state
        award = cmd.award
        result = s.results[award.value]
        series = (result.votes[-1].series if result.votes else 1) + (
            1 if cmd.replaces_reason is not None else 0
        )
        record = VoteRecord(
            round=len(result.votes) + 1,
            present=cmd.present,
            ballots=cmd.ballots,
            at=now,
            series=series,
            reason=cmd.replaces_reason,
        )
        result.votes.append(record)
        candidates = [
            Candidate(
                key=code,
                total_score=s.applications[code].total_score or 0.0,
                repeat_winner=s.applications[code].repeat_winner,
                takes_quota_place=s.applications[code].takes_quota_place,
            )
            for code in result.candidates
        ]
        votes = [
            VoteResult(present=v.present, ballots=v.ballots)
            for v in result.votes
            if v.series == series  # a replaced result and its runoffs no longer count
        ]
        selection = select_winners(award, candidates, votes[0], self.rules, runoff=votes[1:])
        result.winners = selection.winners
        result.runoff = selection.runoff
        result.decided = not selection.runoff
        return result.runoff, Effects(votes=[(award.value, record)]).merge(self._maybe_publish(now))

    def _maybe_publish(self, now: datetime) -> Effects:
        """§4(5): the list is published as soon as every award with candidates is decided."""
        s = self.state
        if s.phase != Phase.COMMITTEE:
            return Effects()
        if not all(r.decided or not r.candidates for r in s.results.values()):
            return Effects()
        closes = publicity_closes(now, self.rules)
        s.publicity_opens, s.publicity_closes = now, closes
        s.phase = Phase.PUBLICITY
        s.timers["publicity_close"] = closes
        notices = []
        for result in s.results.values():
            for code in result.candidates:
                if code not in result.winners:
                    app = s.applications[code]
                    app.outcome = Outcome.NOT_ELECTED
                    notices.append(
                        texts.not_elected(self._wf, self._year, code, app.name, app.award, now)
                    )
        names = [s.applications[c].name for c in checks.published_list(s)]
        notices.insert(0, texts.publicity(self._wf, self._year, names, now, closes))
        candidates = (c for r in s.results.values() for c in r.candidates)
        return Effects(notices=notices).touch(*candidates)

    # --- publicity (§4(5)) ----------------------------------------------------------------------

    def check_objection(self, cmd: ObjectionCommand, now: datetime) -> None:
        checks.check_objection(self.state, cmd, now)

    def file_objection(self, cmd: ObjectionCommand, now: datetime) -> tuple[int, Effects]:
        self.check_objection(cmd, now)
        s = self.state
        number = len(s.objections) + 1
        s.objections.append(
            ObjectionState(
                number=number,
                credit_code=cmd.credit_code,
                name=cmd.name.strip(),
                contact=cmd.contact.strip(),
                content=cmd.content,
                received_at=now,
            )
        )
        name = s.applications[cmd.credit_code].name
        notice = texts.objection_received(self._wf, self._year, number, cmd.credit_code, name, now)
        return number, Effects(notices=[notice])

    def check_investigate(self, cmd: InvestigateCommand) -> None:
        checks.check_investigate(self.state, cmd)

    def investigate(self, cmd: InvestigateCommand, now: datetime) -> Effects:
        self.check_investigate(cmd)
        objection = self.state.objections[cmd.number - 1]
        objection.finding = cmd.finding
        objection.report = cmd.report
        name = self.state.applications[objection.credit_code].name
        notice = texts.investigation_result(
            self._wf, self._year, cmd.number, objection.credit_code, name, cmd.finding, now
        )
        return Effects(notices=[notice]).merge(self._maybe_close_publicity(now))

    def check_committee_decision(self, cmd: CommitteeDecisionCommand) -> None:
        checks.check_committee_decision(self.state, cmd)

    def committee_decision(self, cmd: CommitteeDecisionCommand, now: datetime) -> Effects:
        """A substantiated objection: the committee keeps or removes the candidate (§4(5))."""
        self.check_committee_decision(cmd)
        s = self.state
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
        return Effects().touch(cmd.credit_code).merge(self._maybe_close_publicity(now))

    def _maybe_close_publicity(self, now: datetime) -> Effects:
        """Publicity ends when its window has closed and every objection is resolved."""
        s = self.state
        if s.phase != Phase.PUBLICITY or s.publicity_closes is None:
            return Effects()
        if now < s.publicity_closes or not all(o.resolved() for o in s.objections):
            return Effects()
        s.phase = Phase.APPROVAL
        names = [s.applications[c].name for c in checks.published_list(s)]
        return Effects(notices=[texts.approval_due(self._wf, self._year, names, now)])

    # --- approval and the end of the cycle (§4(6), §5(1)) ---------------------------------------

    def check_approve(self, cmd: ApproveCommand) -> None:
        checks.check_approve(self.state, cmd.strike)

    def approval_list(self) -> list[str]:
        """The organizations whose held honors `approve` needs (for bonuses and quota)."""
        return checks.published_list(self.state)

    def approve(
        self, cmd: ApproveCommand, facts: FactsResponse, now: datetime, *, feedback: bool = True
    ) -> tuple[list[str], Effects]:
        """The government's decision; bonuses from the honors register (§5(1)). `feedback`:
        each shortlisted applicant gets its feedback report (when the rules say so)."""
        self.check_approve(cmd)
        s = self.state
        today = now.date()
        listed = checks.published_list(s)
        grants: list[HonorGrant] = []
        for code in listed:
            app = s.applications[code]
            if code in cmd.strike:
                app.outcome = Outcome.NOT_APPROVED
                continue
            app.outcome = Outcome.AWARDED
            held = facts.organizations[code].honors
            dates = honor_dates(app.award, self._year, today, self.rules)
            grants.append(
                HonorGrant(
                    credit_code=code,
                    organization_id=app.organization_id,
                    award=app.award,
                    year=self._year,
                    awarded_on=today,
                    bonus_cny=bonus_cny(app.award, held, self.rules),
                    takes_quota_place=quota_place(app.award, held),
                    valid_until=dates.valid_until,
                    revocation_window_closes=dates.revocation_window_closes,
                    reapply_from=dates.reapply_from,
                    workflow_id=honor_workflow_id(
                        code, app.award, self._year, cycle_suffix(self._wf, self._year)
                    ),
                )
            )
        for result in s.results.values():
            result.winners = [c for c in result.winners if c not in cmd.strike]
        s.awarded_on = today
        s.phase = Phase.ANNOUNCED
        s.timers["next_cycle_due"] = add_years_instant(s.opened_at, 2)
        winners: dict[Award, list[tuple[str, int]]] = {}
        notices = []
        for g in grants:
            name = s.applications[g.credit_code].name
            winners.setdefault(g.award, []).append((name, g.bonus_cny))
            notices.append(
                texts.awarded(self._wf, self._year, g.credit_code, name, g.award, g.bonus_cny, now)
            )
        notices.insert(0, texts.award_bulletin(self._wf, self._year, winners, now))
        if feedback and self.rules.feedback.after_cycle:
            notices += [
                texts.feedback_report(self._wf, self._year, app, now)
                for app in s.applications.values()
                if app.shortlisted and app.outcome != Outcome.WITHDRAWN
            ]
        effects = Effects(notices=notices, grants=grants).touch(*listed)
        return [g.credit_code for g in grants], effects

    def check_cancel(self, cmd: CancelCommand) -> None:
        checks.check_cancel(self.state)

    def cancel(self, cmd: CancelCommand) -> Effects:
        self.check_cancel(cmd)
        s = self.state
        s.phase = Phase.CANCELLED
        s.cancel_reason = cmd.reason
        effects = Effects()
        for app in s.applications.values():
            if app.outcome == Outcome.PENDING:
                app.outcome = Outcome.CANCELLED
                effects.touch(app.credit_code)
        s.timers.clear()
        return effects
