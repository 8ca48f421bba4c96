"""Disqualification (§6(7)) and the yearly follow-up task (§2(3)4, §6(3)) as plain functions."""

from __future__ import annotations

from datetime import date, datetime

from contracts.commands import (
    AssignPanelCommand,
    ConflictCommand,
    DisqualifyCommand,
    ReviewerInfo,
    ScoreCommand,
)
from contracts.honor import FollowUpCommand
from domain.dates import SHANGHAI, end_of_day
from domain.errors import ErrorCode
from domain.phases import Stage
from tests.workflows.test_cycle_transitions import (
    REVIEWERS,
    at,
    facts,
    honor,
    refused,
    through_qualification,
)
from workflows.cycle_transitions import CycleTransitions
from workflows.honor_transitions import HonorTransitions

R4 = ReviewerInfo(code="R4", industries=["services"])


def _reviewing() -> tuple[CycleTransitions, str, str]:
    c = through_qualification()
    a, b = list(c.state.applications)
    c.fire("deadline", c.state.timers.pop("deadline"))
    c.close_qualification(facts(a, b), at(70))
    for code in (a, b):
        c.assign_panel(
            AssignPanelCommand(
                stage=Stage.DOCUMENT, credit_code=code, reviewers=REVIEWERS, leader="R1"
            ),
            at(71),
        )
        c.score(
            ScoreCommand(stage=Stage.DOCUMENT, credit_code=code, reviewer="R1", points=600),
            at(72),
        )
        c.score(
            ScoreCommand(stage=Stage.DOCUMENT, credit_code=code, reviewer="R2", points=700),
            at(72),
        )
    return c, a, b


def test_disqualification_withdraws_like_a_conflict_but_from_every_panel() -> None:
    c, a, b = _reviewing()
    effects = c.disqualify(
        DisqualifyCommand(reviewer="R1", reason="私下接触", on=date(2025, 5, 12)), at(72)
    )
    for code in (a, b):
        panel = c.state.applications[code].document
        assert panel.members == ["R2", "R3"]
        assert panel.leader is None
        assert panel.scores == {"R2": 700}
        assert c.state.applications[code].document_score == 700
    assert sorted(effects.panel_codes) == sorted([a, b])
    assert [n.audience for n in effects.notices] == ["office", "office"]
    assert "第六章第（七）项" in effects.notices[0].body
    refused(
        ErrorCode.REVIEWER_DISQUALIFIED,
        c.check_assign_panel,
        AssignPanelCommand(stage=Stage.DOCUMENT, credit_code=a, reviewers=REVIEWERS, leader="R2"),
    )
    replaced = [REVIEWERS[1], REVIEWERS[2], R4]
    c.assign_panel(
        AssignPanelCommand(stage=Stage.DOCUMENT, credit_code=a, reviewers=replaced, leader="R2"),
        at(73),
    )
    again = c.disqualify(
        DisqualifyCommand(reviewer="R1", reason="再次", on=date(2025, 5, 12)), at(73)
    )
    assert again.notices == []  # nowhere left to withdraw from


def test_a_declared_conflict_still_withdraws_from_one_applicant_only() -> None:
    c, a, b = _reviewing()
    c.declare_conflict(ConflictCommand(reviewer="R1", credit_code=a), at(72))
    assert "R1" not in c.state.applications[a].document.members
    assert "R1" in c.state.applications[b].document.members


def test_the_follow_up_reminder_opens_a_task_with_a_due_date() -> None:
    h = honor()
    reminded = datetime(2026, 11, 10, tzinfo=SHANGHAI)
    projection = h.open_follow_up("follow_up_1", reminded)
    assert [t.due_on for t in projection.follow_ups] == [date(2027, 1, 9)]
    assert {n.audience for n in projection.notices} == {"office", "applicant"}
    assert h.state.timers["follow_up_1_overdue"] == end_of_day(date(2027, 1, 9))
    refused(ErrorCode.FOLLOW_UP_NOT_FOUND, h.check_follow_up, FollowUpCommand(number=2))
    late = h.follow_up_overdue("follow_up_1_overdue", datetime(2027, 1, 10, tzinfo=SHANGHAI))
    assert late is not None
    assert [n.kind for n in late.notices] == ["follow_up_overdue", "follow_up_overdue"]
    assert late.follow_ups[0].overdue
    assert late.follow_ups[0].reminded_on == date(2026, 11, 10)


def test_a_submitted_report_is_not_reminded_again() -> None:
    h = honor()
    h.open_follow_up("follow_up_2", datetime(2027, 11, 10, tzinfo=SHANGHAI))
    assert h.submit_follow_up(FollowUpCommand(number=2)) == (None, None)
    assert (
        h.follow_up_overdue("follow_up_2_overdue", datetime(2028, 1, 10, tzinfo=SHANGHAI)) is None
    )
    assert HonorTransitions.is_follow_up("follow_up_3")
    assert not HonorTransitions.is_follow_up("follow_up_3_overdue")
