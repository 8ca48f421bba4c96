"""One scenario action → one service command (the same door the HTTP API uses)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from contracts.honor import IncidentCommand
from domain.committee import Ballot
from domain.errors import DomainError, ErrorCode
from domain.phases import Stage
from services.schemas import CycleCreate
from sim import scenario as s
from sim import supervision

if TYPE_CHECKING:
    from sim.runner import Context


def _year(ctx: Context, action: s._Action) -> int | None:
    return action.year if action.year is not None else ctx.latest_year


async def perform(ctx: Context, action: Any, rules: Any) -> None:
    svc, year = ctx.service, _year(ctx, action)
    match action:
        case s.OpenCycle():
            await svc.open_cycle(
                CycleCreate(
                    year=action.year,
                    application_deadline=action.application_deadline,
                    committee_members=action.committee_members or ctx.scenario.committee.members,
                    rules=ctx.scenario.rules,
                )
            )
            ctx.latest_year = action.year
        case s.Apply():
            await svc.apply(year, ctx.code(action.organization), action.award)
        case s.Withdraw():
            await svc.withdraw(year, ctx.code(action.organization))
        case s.DepartmentFindingIn():
            await svc.record_finding(
                year,
                ctx.code(action.organization),
                passed=action.passed,
                reason=action.reason,
                note=action.note,
                department=action.department,
            )
        case s.ExtendDeadline():
            await svc.extend_deadline(year, action.what, action.until, action.reason)
        case s.CloseQualification():
            await svc.close_qualification(year)
        case s.AssignPanel():
            await svc.assign_panel(
                year,
                ctx.code(action.organization),
                Stage(action.stage),
                action.reviewers,
                action.leader,
            )
        case s.DeclareConflict():
            await svc.declare_conflict(year, action.reviewer, ctx.code(action.organization))
        case s.ScoreIn():
            await svc.score(
                year,
                ctx.code(action.organization),
                Stage(action.stage),
                action.reviewer,
                points=action.points,
                items=action.items,
            )
        case s.Consensus():
            await svc.consensus(
                year,
                ctx.code(action.organization),
                Stage(action.stage),
                action.points,
                action.reviewer,
            )
        case s.CloseStage():
            await svc.close_stage(year, Stage(action.stage), action.reason)
        case s.Shortlist():
            codes = (
                None
                if action.organizations is None
                else [ctx.code(k) for k in action.organizations]
            )
            await svc.shortlist(year, codes, auto=action.auto)
        case s.ConfirmSiteReport():
            await svc.confirm_site_report(year, ctx.code(action.organization))
        case s.Vote():
            ballots = {
                ctx.code(k): Ballot(yes=b.yes, no=b.no, abstain=b.abstain)
                for k, b in action.ballots.items()
            }
            replacing = (action.reason or "") if action.do == "replace_vote" else None
            await svc.record_vote(
                year, action.award, action.present, ballots, replaces_reason=replacing
            )
        case s.Object():
            number = await svc.object(
                year, ctx.code(action.organization), action.name, action.contact, action.content
            )
            ctx.objections[len(ctx.objections) + 1] = (year, number)
        case s.Investigate():
            if action.objection not in ctx.objections:
                raise DomainError(ErrorCode.OBJECTION_NOT_FOUND)
            cycle_year, number = ctx.objections[action.objection]
            await svc.investigate(cycle_year, number, action.finding, action.report)
        case s.CommitteeDecision():
            await svc.committee_decision(year, ctx.code(action.organization), action.remove)
        case s.Approve():
            await svc.approve(year, [ctx.code(k) for k in action.strike])
        case s.ReportIncident():
            await svc.report_incident(
                ctx.code(action.organization),
                action.award,
                action.year,
                IncidentCommand(
                    occurred_on=action.occurred_on,
                    kind=action.kind,
                    major_adverse_impact=action.major_adverse_impact,
                    note=action.note,
                ),
            )
        case s.ReportFraud():
            await svc.report_fraud(
                ctx.code(action.organization), action.award, action.year, action.note
            )
        case s.ApproveRevocation():
            await svc.approve_revocation(ctx.code(action.organization), action.award, action.year)
        case s.CancelCycle():
            await svc.cancel_cycle(year, action.reason)
        case _ if action.do in supervision.READS_DATABASE:
            await supervision.perform(ctx, action, year)
        case _:  # pragma: no cover - the scenario model admits no other action
            raise DomainError(ErrorCode.INVALID_INPUT, f"未知动作 {action.do}")
