"""Document and site review (DESIGN.md §3.2, §2 phases 3–5): panels, 回避, scores, reminders."""

from __future__ import annotations

from typing import Any

import pytest

from tests.sim.builders import (
    POOL,
    Json,
    Sim,
    application,
    credit_code,
    cycle,
    matches,
    notice_days,
    notices,
    organization,
    refusal_of,
    rejections,
    simulate,
)

pytestmark = pytest.mark.sqlite_only

RUBRIC_CODES = [
    "4.1.2", "4.1.3", "4.1.4", "4.2.2", "4.2.3", "4.3.2", "4.3.3", "4.4.2", "4.4.3", "4.4.4",
    "4.4.5", "4.4.6", "4.4.7", "4.5.2", "4.5.3", "4.6.2", "4.6.3", "4.7.2", "4.7.3", "4.7.4",
    "4.7.5", "4.7.6", "4.7.7",
]  # fmt: skip


def items(**changes: int) -> dict[str, int]:
    """All 23 items at 60 %, with changes keyed like `i4_7_2=100`."""
    percentages = dict.fromkeys(RUBRIC_CODES, 60)
    for name, value in changes.items():
        percentages[name.removeprefix("i").replace("_", ".")] = value
    return percentages


def build() -> Sim:
    reviewers = {key: dict(value) for key, value in POOL.items()}
    reviewers["M4"]["employer"] = credit_code(3)  # employed by C
    reviewers["S3"]["ties"] = ["D"]  # registered tie with D
    sim = Sim(
        "review",
        {
            "A": organization(1),
            "B": organization(2, industry="services"),
            "C": organization(3),
            "D": organization(4, industry="agriculture"),
            "E": organization(5),
        },
        reviewers=reviewers,
    )
    sim.do("open_cycle", "2025-03-01T09:00", year=2025, application_deadline="2025-04-30")
    for key, award in [
        ("A", "quality"),
        ("B", "innovation"),
        ("C", "quality"),
        ("D", "quality"),
        ("E", "innovation"),
    ]:
        sim.do("apply", "2025-04-01T09:00", organization=key, award=award)
    # Qualification closes on 6 May: document review is due 26 May (reminder 24 May 00:00,
    # escalation when 26 May has passed).
    sim.do("close_qualification", "2025-05-06T09:00")

    def assign(key: str, members: list[str], leader: str, **kw: Any) -> None:
        sim.do(
            "assign_panel",
            stage="document",
            organization=key,
            reviewers=members,
            leader=leader,
            **kw,
        )

    assign("A", ["M1", "M2"], "M1", refused="panel_too_small", tag="panel_of_two")
    assign(
        "A",
        ["S1", "S2", "G1"],
        "S1",
        refused="panel_needs_industry_expert",
        tag="no_industry_expert",
    )
    assign("A", ["M1", "M2", "M3"], "S1", refused="leader_not_in_panel", tag="leader_outside_panel")
    assign("C", ["M4", "M1", "M2"], "M1", refused="conflict_of_interest", tag="employer_conflict")
    assign("D", ["S3", "G1", "M1"], "G1", refused="conflict_of_interest", tag="registered_tie")
    assign("A", ["M1", "M2", "M3"], "M1")
    assign("B", ["S1", "S2", "S3"], "S1")
    assign("C", ["M1", "M2", "M3"], "M1")
    assign("D", ["G1", "S1", "M1"], "G1")
    assign("E", ["M1", "M2", "M3"], "M1")
    # A declared conflict withdraws an existing assignment; the office replaces the reviewer.
    sim.do(
        "declare_conflict", "2025-05-07T10:00", reviewer="M2", organization="A", tag="declare_M2_A"
    )
    sim.do(
        "score",
        stage="document",
        organization="A",
        reviewer="M2",
        points=600,
        refused={"reviewer_not_assigned", "conflict_of_interest"},
        tag="withdrawn_reviewer_scores",
    )
    assign(
        "A",
        ["M1", "M2", "M3"],
        "M1",
        refused="conflict_of_interest",
        tag="declared_conflict_reassigned",
    )
    assign("A", ["M1", "M3", "M4"], "M1", tag="replacement_panel")
    sim.do("declare_conflict", reviewer="G2", organization="E")
    assign(
        "E",
        ["M1", "M2", "G2"],
        "M1",
        refused="conflict_of_interest",
        tag="declared_before_assignment",
    )

    def score(key: str, reviewer: str, stage: str = "document", **kw: Any) -> None:
        sim.do("score", stage=stage, organization=key, reviewer=reviewer, **kw)

    score("A", "M1", items=items(i4_1_2=7), refused="invalid_score", tag="item_7_percent")
    score("A", "M1", items=items(i4_1_2=105), refused="invalid_score", tag="item_105_percent")
    score("A", "M1", items={**items(), "4.8.1": 60}, refused="invalid_score", tag="unknown_item")
    score("A", "M1", points=1000.5, refused="invalid_score", tag="total_over_1000")
    score("A", "M1", points=-5, refused="invalid_score", tag="negative_total")
    score("A", "S1", points=600, refused="reviewer_not_assigned", tag="not_on_panel")
    # 600 + 40 % of 80 (4.7.2 at 100 %) − 55 % of 15 (4.4.3 at 5 %) = 623.75
    score("A", "M1", items=items(i4_7_2=100, i4_4_3=5), tag="items_623_75")
    score("A", "M3", points=630)
    score("A", "M4", points=650)
    sim.do("consensus", stage="document", organization="A", points=615.45, tag="consensus_A")
    for reviewer, points in [("S1", 600), ("S2", 600), ("S3", 600.75)]:  # mean 600.25
        score("B", reviewer, points=points)
    for reviewer in ["G1", "S1", "M1"]:
        score("D", reviewer, points=550)
    for reviewer in ["M1", "M2", "M3"]:
        score("E", reviewer, points=500)
    score("C", "M1", points=500)
    sim.do(
        "shortlist",
        "2025-05-20T09:00",
        organizations=["A", "B"],
        refused="reviews_incomplete",
        tag="shortlist_before_all_scores",
    )
    score("C", "M2", at="2025-05-28T09:00", points=510)
    score("C", "M3", points=520)
    sim.do("shortlist", "2025-06-01T09:00", organizations=["A", "B", "D", "E"], tag="shortlist")
    score("A", "M1", points=700, refused="stage_closed", tag="document_score_after_shortlist")
    sim.do(
        "consensus",
        stage="document",
        organization="A",
        points=640,
        refused="stage_closed",
        tag="document_consensus_after_shortlist",
    )
    # Site review: due 1 July; everything is confirmed before the reminder would fire.
    for key, members in [
        ("A", ["M1", "M3", "M4"]),
        ("B", ["S1", "S2", "S3"]),
        ("D", ["G1", "S1", "M1"]),
        ("E", ["M1", "M2", "M3"]),
    ]:
        sim.do("assign_panel", stage="site", organization=key, reviewers=members, leader=members[0])
    score("A", "M1", "site", at="2025-06-10T09:00", points=700)
    score("A", "M3", "site", points=700)
    sim.do(
        "confirm_site_report",
        organization="A",
        refused="reviews_incomplete",
        tag="confirm_before_all_scores",
    )
    score("A", "M4", "site", points=700)
    for reviewer in ["S1", "S2", "S3"]:
        score("B", reviewer, "site", points=600)
    for reviewer, points in [("G1", 600), ("S1", 610), ("M1", 620)]:
        score("D", reviewer, "site", points=points)
    sim.do("consensus", stage="site", organization="D", points=612.5)
    for reviewer, points in [("M1", 500), ("M2", 500), ("M3", 500.75)]:  # mean 500.25
        score("E", reviewer, "site", points=points)
    sim.do("confirm_site_report", "2025-06-20T09:00", organization="A")
    score(
        "A", "M1", "site", points=650, refused="stage_closed", tag="site_score_after_confirmation"
    )
    sim.do(
        "consensus",
        stage="site",
        organization="A",
        points=690,
        refused="stage_closed",
        tag="site_consensus_after_confirmation",
    )
    for key in ["B", "D", "E"]:
        sim.do("confirm_site_report", "2025-06-25T09:00", organization=key)
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


def test_all_reports_confirmed_moves_to_committee(outcome: Json) -> None:
    assert cycle(outcome)["phase"] == "committee"


@pytest.mark.parametrize(
    ("key", "scores"),
    [
        # consensus 615.45 stands over the mean 634.58…; total 246.18 + 420 = 666.18
        pytest.param("A", (615.5, 700.0, 666.2), id="consensus_overrides_mean"),
        # mean 600.25 shown half-up as 600.3; total 240.1 + 360
        pytest.param("B", (600.3, 600.0, 600.1), id="mean_rounded_half_up"),
        pytest.param("D", (550.0, 612.5, 587.5), id="site_consensus"),
        # site mean 500.25 → 500.3; total 200 + 300.15 = 500.15 → 500.2 (half-up, not 500.1)
        pytest.param("E", (500.0, 500.3, 500.2), id="total_rounded_half_up"),
        pytest.param("C", (510.0, None, None), id="not_shortlisted"),
    ],
)
def test_scores(outcome: Json, key: str, scores: tuple[float, float | None, float | None]) -> None:
    app = application(outcome, key)
    assert (app["document_score"], app["site_score"], app["total_score"]) == scores


def test_applications_not_on_the_shortlist_get_feedback(outcome: Json) -> None:
    assert application(outcome, "C")["outcome"] == "not_shortlisted"
    assert notice_days(outcome, "document_review_feedback") == ["2025-06-01"]
    assert notice_days(outcome, "document_review_feedback", "C") == ["2025-06-01"]
    assert {application(outcome, k)["outcome"] for k in "ABDE"} == {"pending"}


def test_declared_conflict_tells_the_office_to_replace_the_reviewer(outcome: Json) -> None:
    office = [
        n
        for n in notices(outcome, "review_assignment", "A")
        if n["audience"] == "office" and n["on"] == "2025-05-07"
    ]
    assert len(office) == 1


def test_reviewers_are_told_of_their_assignments(outcome: Json) -> None:
    to_reviewers = [n for n in notices(outcome, "review_assignment") if n["audience"] == "reviewer"]
    # document: A 3 + replacement M4, B 3, C 3, D 3, E 3; site: 4 × 3
    assert len(to_reviewers) == 16 + 12


def test_reminder_before_the_due_date_to_reviewers_still_scoring(outcome: Json) -> None:
    # On 24 May only C's M2 and M3 have not scored.
    reminders = notices(outcome, "review_reminder")
    assert [n["on"] for n in reminders] == ["2025-05-24", "2025-05-24"]
    assert {n["audience"] for n in reminders} == {"reviewer"}


def test_overdue_stage_is_escalated_to_the_office(outcome: Json) -> None:
    overdue = notices(outcome, "review_overdue")
    assert [(n["on"], n["audience"]) for n in overdue] == [("2025-05-27", "office")]


def test_site_review_report_goes_to_the_applicant_once_scored(outcome: Json) -> None:
    assert notice_days(outcome, "site_review_report", "A") == ["2025-06-10"]
    assert {n["organization"] for n in notices(outcome, "site_review_report")} == set("ABDE")


# --- a reviewer withdrawn after scoring ------------------------------------------------------


def build_withdrawal() -> Sim:
    sim = Sim("review-withdrawal", {"X": organization(11)})
    sim.do("open_cycle", "2025-03-01T09:00", year=2025, application_deadline="2025-04-30")
    sim.do("apply", "2025-04-01T09:00", organization="X", award="quality")
    sim.do("close_qualification", "2025-05-06T09:00")
    sim.panel("X", "document", [600, 610, 620])
    # M3 declares a tie after scoring: the assignment and its score are withdrawn, and the
    # panel is left with two members (§2(4): at least three) until the office replaces M3.
    sim.do("declare_conflict", "2025-05-08T09:00", reviewer="M3", organization="X")
    sim.do(
        "shortlist",
        "2025-05-09T09:00",
        organizations=["X"],
        refused="reviews_incomplete",
        tag="shortlist_with_two_member_panel",
    )
    return sim


WITHDRAWAL = build_withdrawal()


@pytest.fixture(scope="module")
async def withdrawal() -> Json:
    return await simulate(WITHDRAWAL)


@pytest.mark.parametrize(("tag", "error"), WITHDRAWAL.refusal_params())
def test_withdrawal_refusal(withdrawal: Json, tag: str, error: str) -> None:
    assert matches(refusal_of(WITHDRAWAL, withdrawal, tag), error)


def test_withdrawn_score_no_longer_counts(withdrawal: Json) -> None:
    assert application(withdrawal, "X")["document_score"] == 605.0
