"""Validation of cycle commands against the cycle's state (pure; used by update validators).

Each check raises `DomainError` with the code of DESIGN.md §3 and changes nothing.
"""

from __future__ import annotations

from datetime import date, datetime

from contracts.commands import (
    ApplyCommand,
    AssignPanelCommand,
    CommitteeDecisionCommand,
    ConfirmSiteReportCommand,
    ConsensusCommand,
    ExtendDeadlineCommand,
    FindingCommand,
    InvestigateCommand,
    ObjectionCommand,
    ScoreCommand,
    ShortlistCommand,
    VoteCommand,
)
from contracts.cycle import ApplicationState, CycleState
from domain.committee import VoteResult, validate_vote
from domain.credit_code import is_valid_credit_code
from domain.dates import end_of_day
from domain.eligibility import ELIGIBILITY_REASONS
from domain.errors import DomainError, ErrorCode
from domain.names import PHASE_NAMES
from domain.panels import PanelCandidate, check_panel
from domain.phases import PHASE_ORDER, Outcome, Phase, Stage
from domain.publicity import objection_open, validate_objection
from domain.rules import ProgramRules
from domain.scoring import (
    check_comment_categories,
    item_total,
    validate_consensus,
    validate_total,
)

E = ErrorCode
FINDING_REASONS = ELIGIBILITY_REASONS


# The seed clause of each phase (DESIGN §2), cited by a refusal that names no clause itself.
PHASE_CLAUSES: dict[Phase, str] = {
    Phase.OPEN: "§3(2)",
    Phase.QUALIFICATION: "§4(1)",
    Phase.DOCUMENT_REVIEW: "§4(2)",
    Phase.SHORTLIST: "§4(2)",
    Phase.SITE_REVIEW: "§4(3)",
    Phase.COMMITTEE: "§4(4)",
    Phase.PUBLICITY: "§4(5)",
    Phase.APPROVAL: "§4(6)",
    Phase.ANNOUNCED: "§5(1)",
}
STAGE_CLAUSES: dict[Stage, str] = {Stage.DOCUMENT: "§4(2)", Stage.SITE: "§4(3)"}


def require_phase(state: CycleState, *phases: Phase, rule: str | None = None) -> None:
    """`rule`: the clause of the command refused (default: that of the first phase named)."""
    if state.phase == Phase.CANCELLED or (
        state.phase == Phase.ANNOUNCED and Phase.ANNOUNCED not in phases
    ):
        raise DomainError(E.CYCLE_CLOSED)
    if state.phase not in phases:
        cited = rule or (PHASE_CLAUSES.get(phases[0]) if phases else None)
        raise DomainError(E.NOT_IN_PHASE, f"当前阶段：{PHASE_NAMES[state.phase]}", rule=cited)


def application(state: CycleState, credit_code: str) -> ApplicationState:
    found = state.applications.get(credit_code)
    if found is None:
        raise DomainError(E.NOT_FOUND, f"本届评审中没有统一社会信用代码为 {credit_code} 的申报")
    return found


def check_apply(state: CycleState, cmd: ApplyCommand, deadline: date, now: datetime) -> None:
    """Intake (DESIGN 3.1): open phase, before the deadline, valid code, one per organization."""
    if not is_valid_credit_code(cmd.credit_code):
        raise DomainError(E.INVALID_CREDIT_CODE)
    if state.phase == Phase.CANCELLED:
        raise DomainError(E.CYCLE_CLOSED)
    if state.phase != Phase.OPEN or now >= end_of_day(deadline):
        raise DomainError(E.DEADLINE_PASSED)
    if cmd.credit_code in state.applications:
        raise DomainError(E.DUPLICATE_APPLICATION)


def check_finding(state: CycleState, cmd: FindingCommand) -> None:
    require_phase(state, Phase.OPEN, Phase.QUALIFICATION, rule="§4(1)")
    application(state, cmd.credit_code)
    if not cmd.passed and cmd.reason is not None and cmd.reason not in FINDING_REASONS:
        raise DomainError(E.INVALID_INPUT, f"未知的不合格原因：{cmd.reason}")


def _stage_phase(stage: Stage) -> tuple[Phase, ...]:
    if stage == Stage.DOCUMENT:
        return (Phase.DOCUMENT_REVIEW, Phase.SHORTLIST)
    return (Phase.SITE_REVIEW,)


def check_stage_open(state: CycleState, app: ApplicationState, stage: Stage) -> None:
    """The stage accepts panels and scores: its phase is current and it has not closed."""
    phases = _stage_phase(stage)
    if state.phase in (Phase.CANCELLED, Phase.ANNOUNCED):
        raise DomainError(E.CYCLE_CLOSED)
    if PHASE_ORDER.index(state.phase) > PHASE_ORDER.index(phases[-1]):
        raise DomainError(E.STAGE_CLOSED)
    if state.phase not in phases:
        raise DomainError(
            E.NOT_IN_PHASE, f"当前阶段：{PHASE_NAMES[state.phase]}", STAGE_CLAUSES[stage]
        )
    if app.stage(stage).closed or (
        stage == Stage.DOCUMENT and state.document_closed_early_reason is not None
    ):
        raise DomainError(E.STAGE_CLOSED)
    in_stage = app.eligible if stage == Stage.DOCUMENT else app.shortlisted
    if not in_stage or app.outcome != Outcome.PENDING:
        raise DomainError(E.NOT_IN_PHASE, "该申报未进入本评审环节", STAGE_CLAUSES[stage])


def check_assign_panel(state: CycleState, cmd: AssignPanelCommand, rules: ProgramRules) -> None:
    """§2(4) panel composition and §6(1) 回避, for a stage that is still open."""
    app = application(state, cmd.credit_code)
    check_stage_open(state, app, cmd.stage)
    members = [
        PanelCandidate(
            code=r.code,
            employer_credit_code=r.employer_credit_code,
            industries=r.industries,
            tied_credit_codes=r.tied_credit_codes,
        )
        for r in cmd.reviewers
    ]
    check_panel(cmd.credit_code, app.industry, members, cmd.leader, rules, state.declared_conflicts)


def score_points(cmd: ScoreCommand, rules: ProgramRules) -> float:
    """A reviewer's total: from item percentages (GB/T 19580) or a total where allowed."""
    if (cmd.points is None) == (cmd.items is None):
        raise DomainError(E.INVALID_SCORE, "须给出分项百分比或总分之一")
    check_comment_categories(cmd.comments)
    if cmd.items is not None:
        return item_total(cmd.items)
    assert cmd.points is not None
    return validate_total(cmd.points, rules)


def check_score(state: CycleState, cmd: ScoreCommand, rules: ProgramRules) -> float:
    app = application(state, cmd.credit_code)
    check_stage_open(state, app, cmd.stage)
    if cmd.reviewer not in app.stage(cmd.stage).members:
        raise DomainError(E.REVIEWER_NOT_ASSIGNED)
    return score_points(cmd, rules)


def check_consensus(state: CycleState, cmd: ConsensusCommand) -> None:
    app = application(state, cmd.credit_code)
    check_stage_open(state, app, cmd.stage)
    panel = app.stage(cmd.stage)
    if not panel.members:
        raise DomainError(E.REVIEWER_NOT_ASSIGNED, "该申报尚未组建评审组")
    if cmd.reviewer is not None and cmd.reviewer != panel.leader:
        raise DomainError(E.NOT_PANEL_LEADER)
    validate_consensus(cmd.points)


def in_document_review(state: CycleState) -> list[ApplicationState]:
    return [a for a in state.applications.values() if a.eligible and a.outcome == Outcome.PENDING]


def holds_up_document_review(app: ApplicationState, rules: ProgramRules) -> bool:
    """In document review with a panel still missing a score (§4(2))."""
    return bool(
        app.eligible
        and app.outcome == Outcome.PENDING
        and not app.document.complete(rules.panel.min_size)
    )


def holds_up_committee(app: ApplicationState) -> bool:
    """Shortlisted, its site report not yet confirmed (§4(3)): the committee waits."""
    return bool(app.shortlisted and app.outcome == Outcome.PENDING and not app.site.closed)


def document_complete(state: CycleState, rules: ProgramRules) -> bool:
    """Stops at the first panel still missing a score (the transitions ask after every
    score through `workflows.cycle_progress.Holdouts` instead)."""
    return not any(holds_up_document_review(a, rules) for a in state.applications.values())


def check_extend(
    state: CycleState, cmd: ExtendDeadlineCommand, deadline: date, now: datetime
) -> date:
    """DESIGN §2: a deadline moves later only, the application deadline only before it has
    passed (intake is never closed early), a stage's due date while the stage is open.
    Returns the date it replaces."""
    if cmd.what == "application":
        require_phase(state, Phase.OPEN, rule="§3(2)")
        if now >= end_of_day(deadline):
            raise DomainError(E.DEADLINE_PASSED)
        current = deadline
    else:
        stage = Stage.DOCUMENT if cmd.what == "document" else Stage.SITE
        phase = Phase.DOCUMENT_REVIEW if stage == Stage.DOCUMENT else Phase.SITE_REVIEW
        require_phase(state, phase, rule=STAGE_CLAUSES[stage])
        current = state.stage_due[cmd.what]
    if cmd.until <= current:
        raise DomainError(
            E.INVALID_INPUT,
            f"截止日期只能延后：现为{current.isoformat()}，不能改为{cmd.until.isoformat()}",
        )
    if cmd.until < now.date():
        raise DomainError(E.INVALID_INPUT, f"新的截止日期不能早于今天（{now.date().isoformat()}）")
    return current


def check_close_stage(state: CycleState, stage: Stage) -> None:
    if stage != Stage.DOCUMENT:
        raise DomainError(E.INVALID_INPUT, "现场评审按申报组织确认报告逐一结束，不能整体提前结束")
    require_phase(state, Phase.DOCUMENT_REVIEW, rule="§4(2)")


def check_shortlist(state: CycleState, cmd: ShortlistCommand, rules: ProgramRules) -> None:
    """§4(2): fixed once every panel has all its scores, or after an early close."""
    require_phase(state, Phase.DOCUMENT_REVIEW, Phase.SHORTLIST, rule="§4(2)")
    if state.document_closed_early_reason is None and not document_complete(state, rules):
        raise DomainError(E.REVIEWS_INCOMPLETE)
    if cmd.auto == (cmd.credit_codes is not None):
        raise DomainError(E.INVALID_INPUT, "须指定入围名单或选择自动推荐（二者之一）")
    eligible = {a.credit_code: a for a in in_document_review(state)}
    for code in cmd.credit_codes or []:
        if code not in eligible:
            raise DomainError(E.NOT_FOUND, f"{code} 不在资料评审名单中")
        if not eligible[code].document.scores and eligible[code].document.consensus is None:
            raise DomainError(E.REVIEWS_INCOMPLETE, f"{code} 尚无资料评审得分")


def check_confirm_site_report(
    state: CycleState, cmd: ConfirmSiteReportCommand, rules: ProgramRules
) -> None:
    app = application(state, cmd.credit_code)
    check_stage_open(state, app, Stage.SITE)
    if not app.site.complete(rules.panel.min_size):
        raise DomainError(E.REVIEWS_INCOMPLETE, "现场评审评分尚未完成，报告未形成")
    if cmd.report_fingerprint is not None and cmd.report_fingerprint != app.site.fingerprint():
        raise DomainError(E.REPORT_DIGEST_MISMATCH, "评审组的评分在报告形成后有变动")


def vote_candidates(state: CycleState, cmd: VoteCommand) -> list[str]:
    result = state.results.get(cmd.award.value)
    if result is None or not result.candidates:
        raise DomainError(E.UNKNOWN_CANDIDATE, "该奖项没有候选组织")
    if cmd.replaces_reason is not None:
        if not result.votes:
            raise DomainError(E.NOT_IN_PHASE, "该奖项尚无表决结果，无可替换")
        if not cmd.replaces_reason.strip():
            raise DomainError(E.INVALID_INPUT, "替换表决结果须说明原因")
        return result.candidates
    if result.decided:
        raise DomainError(E.NOT_IN_PHASE, "该奖项的表决结果已经确定", "§4(4)")
    return result.runoff or result.candidates


def check_vote(state: CycleState, cmd: VoteCommand, members: int, rules: ProgramRules) -> None:
    """§4(4): quorum ⅔, tally ≤ present, known candidates (runoff: the tied ones only)."""
    require_phase(state, Phase.COMMITTEE, rule="§4(4)")
    candidates = vote_candidates(state, cmd)
    validate_vote(VoteResult(present=cmd.present, ballots=cmd.ballots), members, candidates, rules)


def check_objection(state: CycleState, cmd: ObjectionCommand, now: datetime) -> None:
    """§4(5): real-name objections while publicity is open, about a listed organization."""
    if state.phase == Phase.CANCELLED:
        raise DomainError(E.CYCLE_CLOSED)
    _runoff_pending(state)
    if state.publicity_opens is None or now < state.publicity_opens:
        raise DomainError(E.NOT_IN_PHASE, "公示尚未开始", "§4(5)")
    assert state.publicity_closes is not None
    if not objection_open(now, state.publicity_opens, state.publicity_closes):
        raise DomainError(E.PUBLICITY_CLOSED)
    validate_objection(cmd.name, cmd.contact, cmd.content)
    if cmd.credit_code not in published_list(state):
        raise DomainError(E.UNKNOWN_CANDIDATE, "被反映组织不在公示名单上")


def published_list(state: CycleState) -> list[str]:
    return [code for result in state.results.values() for code in result.winners]


def check_investigate(state: CycleState, cmd: InvestigateCommand) -> None:
    require_phase(state, Phase.PUBLICITY, rule="§4(5)")
    if not 1 <= cmd.number <= len(state.objections):
        raise DomainError(E.OBJECTION_NOT_FOUND)
    if state.objections[cmd.number - 1].finding is not None:
        raise DomainError(E.OBJECTION_ALREADY_INVESTIGATED)


def check_committee_decision(state: CycleState, cmd: CommitteeDecisionCommand) -> None:
    require_phase(state, Phase.PUBLICITY, rule="§4(5)")
    if not any(
        o.credit_code == cmd.credit_code and o.finding == "substantiated" and o.decision is None
        for o in state.objections
    ):
        raise DomainError(E.OBJECTION_NOT_SUBSTANTIATED)


def _runoff_pending(state: CycleState) -> None:
    if state.phase == Phase.COMMITTEE and any(r.runoff for r in state.results.values()):
        raise DomainError(
            E.RUNOFF_REQUIRED, "、".join(code for r in state.results.values() for code in r.runoff)
        )


def check_approve(state: CycleState, strike: list[str]) -> None:
    _runoff_pending(state)
    require_phase(state, Phase.APPROVAL, rule="§4(6)")
    listed = set(published_list(state))
    for code in strike:
        if code not in listed:
            raise DomainError(E.UNKNOWN_CANDIDATE, f"{code} 不在拟授奖名单上")


def check_cancel(state: CycleState) -> None:
    if state.phase in (Phase.ANNOUNCED, Phase.CANCELLED):
        raise DomainError(E.CYCLE_CLOSED)


def check_withdraw(state: CycleState, credit_code: str) -> None:
    require_phase(
        state,
        *(p for p in PHASE_ORDER if PHASE_ORDER.index(p) < PHASE_ORDER.index(Phase.COMMITTEE)),
        rule="§3(2)",
    )
    app = application(state, credit_code)
    if app.outcome != Outcome.PENDING:
        raise DomainError(E.NOT_IN_PHASE, "该申报已有结论，不能撤回", "§3(2)")
