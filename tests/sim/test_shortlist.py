"""Closing document review early and the recommended shortlist (DESIGN.md §3.2, §2 phase 4)."""

from __future__ import annotations

import pytest

from tests.sim.builders import (
    Json,
    Sim,
    application,
    cycle,
    matches,
    notice_days,
    notices,
    organization,
    outcomes,
    refusal_of,
    rejections,
    simulate,
)

pytestmark = pytest.mark.sqlite_only

QUALITY = [f"Q{n}" for n in range(1, 9)]
INNOVATION = ["I1", "I2", "I3"]


def build() -> Sim:
    orgs = {key: organization(n) for n, key in enumerate(QUALITY, start=1)}
    orgs |= {key: organization(20 + n, industry="services") for n, key in enumerate(INNOVATION)}
    sim = Sim("shortlist", orgs, rules={"shortlist": {"min_document_score": 450}})
    sim.do("open_cycle", "2025-03-01T09:00", year=2025, application_deadline="2025-04-30")
    sim.apply_all(
        {**dict.fromkeys(QUALITY, "quality"), **dict.fromkeys(INNOVATION, "innovation")},
        "2025-04-01T09:00",
    )
    # Document review due 26 May: reminder on 24 May, escalation from 27 May.
    sim.do("close_qualification", "2025-05-06T09:00")
    for n, key in enumerate(QUALITY[:7]):
        sim.panel(key, "document", [700 - 10 * n] * 3, at="2025-05-08T09:00" if n == 0 else None)
    sim.panel("Q8", "document", [])  # nobody scores
    sim.panel("I1", "document", [520] * 3)
    sim.panel("I2", "document", [580])  # one of three scores
    sim.panel("I3", "document", [400] * 3)
    sim.do(
        "shortlist",
        "2025-05-10T09:00",
        auto=True,
        refused="reviews_incomplete",
        tag="auto_before_all_scores",
    )
    sim.do(
        "close_stage",
        "2025-05-12T09:00",
        stage="document",
        reason="两名评审员因病无法按期评分",
        tag="close_early",
    )
    sim.do(
        "score",
        stage="document",
        organization="Q8",
        reviewer="M1",
        points=600,
        refused="stage_closed",
        tag="score_after_early_close",
    )
    sim.do(
        "consensus",
        stage="document",
        organization="I2",
        points=590,
        refused="stage_closed",
        tag="consensus_after_early_close",
    )
    sim.do(
        "shortlist",
        "2025-05-28T09:00",
        organizations=["Q1", "Q8"],
        refused={"reviews_incomplete", "invalid_input"},
        tag="named_without_any_score",
    )
    sim.do("shortlist", auto=True, tag="auto")
    # Site review is due 27 June: reminder on 25 June to M2 and M3, escalation from 28 June.
    sim.panel("Q1", "site", [710], at="2025-06-01T09:00")
    sim.do("snapshot", "2025-06-29T09:00")
    return sim


SIM = build()


@pytest.fixture(scope="module")
async def outcome() -> Json:
    return await simulate(SIM)


@pytest.mark.parametrize(("tag", "error"), SIM.refusal_params())
def test_refusal(outcome: Json, tag: str, error: str) -> None:
    assert matches(refusal_of(SIM, outcome, tag), error)


def test_nothing_else_refused(outcome: Json) -> None:
    assert set(rejections(outcome)) <= SIM.refused_indices()


def test_recommendation_takes_six_per_award_above_the_minimum(outcome: Json) -> None:
    assert outcomes(outcome) == {
        **dict.fromkeys(QUALITY[:6], "pending"),
        "Q7": "not_shortlisted",  # seventh by document score
        "Q8": "not_shortlisted",  # no document score
        "I1": "pending",
        "I2": "pending",  # its one score stands after the early close
        "I3": "not_shortlisted",  # 400 < shortlist.min_document_score 450
    }
    assert cycle(outcome)["phase"] == "site_review"


def test_document_scores_after_an_early_close(outcome: Json) -> None:
    assert application(outcome, "I2")["document_score"] == 580.0
    assert application(outcome, "Q8")["document_score"] is None
    assert application(outcome, "Q6")["document_score"] == 650.0


def test_feedback_for_everyone_not_shortlisted(outcome: Json) -> None:
    feedback = notices(outcome, "document_review_feedback")
    assert {n["organization"] for n in feedback} == {"Q7", "Q8", "I3"}
    assert {n["on"] for n in feedback} == {"2025-05-28"}


def test_no_reminders_after_the_stage_was_closed_early(outcome: Json) -> None:
    assert [day for day in notice_days(outcome, "review_reminder") if day < "2025-05-28"] == []
    assert [day for day in notice_days(outcome, "review_overdue") if day < "2025-05-28"] == []


def test_site_review_reminders_and_escalation(outcome: Json) -> None:
    reminders = [n for n in notices(outcome, "review_reminder") if n["on"] >= "2025-05-28"]
    assert [(n["on"], n["audience"]) for n in reminders] == [("2025-06-25", "reviewer")] * 2
    overdue = [n for n in notices(outcome, "review_overdue") if n["on"] >= "2025-05-28"]
    assert [(n["on"], n["audience"]) for n in overdue] == [("2025-06-28", "office")]
