"""The cycle's and the honor's decisions, called as plain functions (no Temporal)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from contracts.commands import (
    ApplyCommand,
    ApproveCommand,
    AssignPanelCommand,
    CancelCommand,
    ConfirmSiteReportCommand,
    ConsensusCommand,
    FindingCommand,
    ObjectionCommand,
    ReviewerInfo,
    ScoreCommand,
    ShortlistCommand,
    VoteCommand,
)
from contracts.cycle import CycleInput, CycleState
from contracts.honor import FraudCommand, HonorGrant, HonorInput, HonorState, IncidentCommand
from contracts.records import FactsResponse, OrganizationEligibilityData
from domain.committee import Ballot
from domain.dates import SHANGHAI, end_of_day
from domain.errors import DomainError, ErrorCode
from domain.phases import Outcome, Phase, Stage
from domain.rules import default_rules
from domain.types import Award
from tests.support.organizations import credit_code
from tests.workflows.mock_activities import ELIGIBLE
from workflows.cycle_transitions import CycleTransitions
from workflows.honor_transitions import HonorTransitions

OPENED = datetime(2025, 3, 1, 9, tzinfo=SHANGHAI)
DEADLINE = date(2025, 4, 30)
CODES = ("A", "B")
REVIEWERS = [ReviewerInfo(code=f"R{n}", industries=["services"]) for n in range(1, 4)]


def cycle() -> CycleTransitions:
    inp = CycleInput(
        year=2025,
        workflow_id="cycle-2025",
        application_deadline=DEADLINE,
        committee_members=9,
        rules=default_rules(),
    )
    return CycleTransitions(inp, CycleState(opened_at=OPENED))


def facts(*codes: str) -> FactsResponse:
    return FactsResponse(
        organizations={
            c: OrganizationEligibilityData(credit_code=c, facts=ELIGIBLE, honors=[]) for c in codes
        }
    )


def refused(code: ErrorCode, call: object, *args: object) -> None:
    with pytest.raises(DomainError) as err:
        call(*args)  # type: ignore[operator]
    assert err.value.code == code


def phase(c: CycleTransitions) -> Phase:
    return c.state.phase


def at(days: int) -> datetime:
    return OPENED + timedelta(days=days)


def through_qualification() -> CycleTransitions:
    c = cycle()
    effects = c.open()
    assert [n.kind for n in effects.notices] == ["call_for_applications"]
    assert c.state.timers == {"deadline": end_of_day(DEADLINE)}
    for code in CODES:
        c.apply(
            ApplyCommand(
                credit_code=credit_code("91331126MA", CODES.index(code) + 1),
                organization_id=1,
                name=code,
                award=Award.QUALITY,
                industry="services",
            ),
            at(10),
        )
    return c


def test_a_whole_cycle_as_plain_function_calls() -> None:
    c = through_qualification()
    a, b = list(c.state.applications)
    refused(
        ErrorCode.DUPLICATE_APPLICATION,
        c.check_apply,
        ApplyCommand(
            credit_code=a, organization_id=1, name="A", award=Award.QUALITY, industry="services"
        ),
        at(11),
    )
    deadline = c.fire("deadline", c.state.timers.pop("deadline"))
    assert phase(c) == Phase.QUALIFICATION
    assert sorted(deadline.verification) == sorted([a, b])
    c.record_finding(FindingCommand(credit_code=b, passed=False, reason="serious_violation"))
    qualified = c.close_qualification(facts(a, b), at(70))
    assert c.state.applications[b].outcome == Outcome.INELIGIBLE
    assert [n.kind for n in qualified.notices] == ["qualification_result"]
    assert {"document_reminder", "document_overdue"} <= set(c.state.timers)

    c.assign_panel(
        AssignPanelCommand(stage=Stage.DOCUMENT, credit_code=a, reviewers=REVIEWERS, leader="R1"),
        at(71),
    )
    for n, reviewer in enumerate(("R1", "R2")):
        points, _ = c.score(
            ScoreCommand(stage=Stage.DOCUMENT, credit_code=a, reviewer=reviewer, points=600 + n),
            at(72),
        )
        assert points == 600 + n
    refused(ErrorCode.REVIEWS_INCOMPLETE, c.check_shortlist, ShortlistCommand(auto=True))
    refused(
        ErrorCode.NOT_PANEL_LEADER,
        c.check_consensus,
        ConsensusCommand(stage=Stage.DOCUMENT, credit_code=a, points=610, reviewer="R2"),
    )
    c.score(ScoreCommand(stage=Stage.DOCUMENT, credit_code=a, reviewer="R3", points=602), at(73))
    assert phase(c) == Phase.SHORTLIST
    assert c.state.applications[a].document_score == pytest.approx(601)

    chosen, _ = c.shortlist(ShortlistCommand(auto=True), at(80))
    assert chosen == [a]
    assert phase(c) == Phase.SITE_REVIEW
    assert "document_overdue" not in c.state.timers
    c.assign_panel(
        AssignPanelCommand(stage=Stage.SITE, credit_code=a, reviewers=REVIEWERS, leader="R1"),
        at(81),
    )
    for reviewer in ("R1", "R2", "R3"):
        c.score(
            ScoreCommand(stage=Stage.SITE, credit_code=a, reviewer=reviewer, points=700), at(90)
        )
    c.confirm_site_report(ConfirmSiteReportCommand(credit_code=a), at(91))
    assert phase(c) == Phase.COMMITTEE
    assert c.state.applications[a].total_score == pytest.approx(601 * 0.4 + 700 * 0.6)

    runoff, published = c.vote(
        VoteCommand(award=Award.QUALITY, present=9, ballots={a: Ballot(yes=9, no=0, abstain=0)}),
        at(100),
    )
    assert runoff == []
    assert phase(c) == Phase.PUBLICITY
    assert [n.kind for n in published.notices] == ["publicity"]
    closes = c.state.timers["publicity_close"]
    objection = ObjectionCommand(credit_code=a, name="李某", contact="13800000000", content="…")
    c.check_objection(objection, closes - timedelta(seconds=1))
    refused(ErrorCode.PUBLICITY_CLOSED, c.check_objection, objection, closes)
    c.fire("publicity_close", c.state.timers.pop("publicity_close"))
    assert phase(c) == Phase.APPROVAL

    codes, approved = c.approve(ApproveCommand(), facts(a), at(120))
    assert codes == [a]
    [grant] = approved.grants
    bulletin = approved.notices[0]
    assert bulletin.kind == "award_bulletin"  # §5(1): winners per award, each with its bonus
    assert "庆元县人民政府质量奖：A（奖金20万元）" in bulletin.body
    assert "庆元县人民政府质量奖创新奖：无" in bulletin.body
    assert [n.kind for n in approved.notices[1:]] == ["awarded"]
    assert grant.bonus_cny == 200_000
    assert grant.workflow_id == f"honor-{a}-quality-2025"
    assert phase(c) == Phase.ANNOUNCED
    assert not c.finished()
    refused(ErrorCode.CYCLE_CLOSED, c.check_cancel, CancelCommand(reason="…"))
    c.fire("next_cycle_due", c.state.timers.pop("next_cycle_due"))
    assert c.finished()


def test_cancel_closes_every_pending_application_and_every_timer() -> None:
    c = through_qualification()
    effects = c.cancel(CancelCommand(reason="经费未落实"))
    assert sorted(effects.codes) == sorted(c.state.applications)
    assert c.finished()
    assert c.state.timers == {}
    assert {a.outcome for a in c.state.applications.values()} == {Outcome.CANCELLED}
    refused(ErrorCode.CYCLE_CLOSED, c.check_close_qualification)


def honor() -> HonorTransitions:
    grant = HonorGrant(
        credit_code="91331126MA0000001H",
        organization_id=1,
        award=Award.QUALITY,
        year=2025,
        awarded_on=date(2025, 11, 10),
        bonus_cny=200_000,
        takes_quota_place=True,
        valid_until=date(2030, 11, 9),
        revocation_window_closes=date(2027, 11, 9),
        reapply_from=date(2029, 1, 1),
        workflow_id="honor-91331126MA0000001H-quality-2025",
    )
    inp = HonorInput(
        workflow_id=grant.workflow_id or "", grant=grant, name="甲", rules=default_rules()
    )
    return HonorTransitions(inp, HonorState())


def test_an_honor_is_revoked_for_an_incident_in_its_window_only() -> None:
    h = honor()
    timers = h.initial_timers(datetime(2025, 11, 10, 10, tzinfo=SHANGHAI))
    assert {"reapply_open", "revocation_window_close", "validity_expiring", "expiry"} <= set(timers)
    late = IncidentCommand(occurred_on=date(2027, 11, 10))
    refused(
        ErrorCode.INCIDENT_OUTSIDE_WINDOW,
        h.check_incident,
        late,
        datetime(2028, 1, 1, tzinfo=SHANGHAI),
    )
    proposal, projection = h.report_incident(
        IncidentCommand(occurred_on=date(2026, 5, 1)), datetime(2026, 5, 2, tzinfo=SHANGHAI)
    )
    assert proposal
    assert projection is not None
    assert projection.pending_revocation == "incident"
    revoked = h.approve_revocation(datetime(2026, 6, 1, tzinfo=SHANGHAI))
    assert revoked.revoked_on == date(2026, 6, 1)
    assert revoked.bonus_recovered_cny == 200_000
    assert revoked.credit_record is None
    assert [n.kind for n in revoked.notices] == ["revocation"]
    assert h.finished()
    assert h.state.timers == {}
    refused(ErrorCode.ALREADY_REVOKED, h.check_fraud, FraudCommand())


def test_fraud_revokes_with_a_credit_record() -> None:
    h = honor()
    refused(ErrorCode.REVOCATION_NOT_PENDING, h.check_approve_revocation)
    h.report_fraud(FraudCommand(note="虚报数据"))
    revoked = h.approve_revocation(datetime(2031, 1, 5, tzinfo=SHANGHAI))
    assert revoked.credit_record is not None
    assert revoked.credit_record.note == "虚报数据"


def test_a_refusal_for_the_phase_names_the_phase_in_chinese() -> None:
    c = through_qualification()
    with pytest.raises(DomainError) as err:
        c.check_approve(ApproveCommand())
    assert err.value.code == ErrorCode.NOT_IN_PHASE
    assert err.value.message.endswith("当前阶段：申报受理")
