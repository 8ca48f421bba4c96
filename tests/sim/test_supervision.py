"""Supervision and review quality through `qaward simulate` (§2(3)3–4, §6(1), §6(3), §6(7)):
panel draws, reviewer terms and disqualification, irregularities, spread flags, follow-up."""

from __future__ import annotations

import pytest

from tests.sim.builders import (
    POOL,
    Json,
    Sim,
    application,
    matches,
    notices,
    organization,
    refusal_of,
    simulate,
)

pytestmark = pytest.mark.sqlite_only


def build_review() -> Sim:
    reviewers = {key: dict(value) for key, value in POOL.items()}
    for value in reviewers.values():
        value.update(term_from="2025-01-01", term_until="2027-12-31")
    reviewers["M4"].update(term_from="2023-01-01", term_until="2025-04-30")  # term over
    reviewers["M1"]["trainings"] = [{"on": "2025-02-01", "title": "卓越绩效评价准则培训"}]
    sim = Sim(
        "supervision-review",
        {
            "A": organization(1),
            "B": organization(2),
            "C": organization(3),
            "E": organization(5, industry="environmental"),
        },
        reviewers=reviewers,
    )
    sim.do("open_cycle", "2025-03-01T09:00", year=2025, application_deadline="2025-04-30")
    for key in ("A", "B", "C", "E"):
        sim.do("apply", "2025-04-01T09:00", organization=key, award="quality")
    sim.do("close_qualification", "2025-05-06T09:00")
    sim.do(
        "assign_panel",
        stage="document",
        organization="B",
        reviewers=["M4", "M2", "M3"],
        leader="M2",
        refused="reviewer_out_of_term",
        tag="out_of_term",
    )
    sim.do("draw_panel", stage="document", organization="A", seed=7, tag="draw_A")
    sim.do(
        "draw_panel",
        stage="document",
        organization="E",
        seed=7,
        refused="panel_needs_industry_expert",
        tag="draw_no_expert",
    )
    sim.do(
        "draw_panel",
        stage="document",
        organization="B",
        seed=11,
        reviewers=["M1", "M2", "S1"],
        leader="M1",
        refused="adjustment_reason_required",
        tag="adjust_without_reason",
    )
    sim.do(
        "draw_panel",
        stage="document",
        organization="B",
        seed=11,
        reviewers=["M1", "M2", "S1"],
        leader="M1",
        reason="行业专家甲在外地出差",
        tag="draw_B_adjusted",
    )
    sim.do(
        "assign_panel",
        stage="document",
        organization="C",
        reviewers=["M1", "M2", "M3"],
        leader="M1",
    )
    for key in ("B", "C"):  # M1 is not on A's drawn panel
        sim.do("score", stage="document", organization=key, reviewer="M1", points=600)
    sim.do("score", stage="document", organization="C", reviewer="M2", points=750)
    sim.do(
        "record_irregularity",
        "2025-05-08T10:00",
        subject_kind="reviewer",
        subject="M1",
        description="评审员私下接触申报组织",
        evidence="现场照片",
    )
    sim.do(
        "record_irregularity",
        subject_kind="application",
        subject="C",
        description="申报材料疑似代写",
    )
    sim.do("correct_irregularity", number=1, action="约谈该评审员并取消其评审资格")
    sim.do("close_irregularity", number=2, refused="irregularity_state", tag="close_uncorrected")
    sim.do("close_irregularity", number=1, note="已纠正")
    sim.do(
        "disqualify_reviewer",
        reviewer="M1",
        reason="违反评审纪律，私下接触申报组织",
        tag="disqualify_M1",
    )
    sim.do("criticize_reviewer", reviewer="M3", reason="评分迟交")
    sim.do(
        "score",
        stage="document",
        organization="C",
        reviewer="M1",
        points=610,
        refused="reviewer_not_assigned",
        tag="disqualified_scores",
    )
    sim.do(
        "assign_panel",
        stage="document",
        organization="C",
        reviewers=["M1", "M2", "M3"],
        leader="M2",
        refused="reviewer_disqualified",
        tag="disqualified_assigned",
    )
    sim.do("score", stage="document", organization="C", reviewer="M3", points=640)
    return sim


SIM_REVIEW = build_review()


@pytest.fixture(scope="module")
async def review() -> Json:
    return await simulate(SIM_REVIEW)


@pytest.mark.parametrize(("tag", "expected"), SIM_REVIEW.refusal_params())
def test_refusals(review: Json, tag: str, expected: str | set[str]) -> None:
    assert matches(refusal_of(SIM_REVIEW, review, tag), expected)


def test_only_expected_refusals(review: Json) -> None:
    assert {r["index"] for r in review["rejected"]} == SIM_REVIEW.refused_indices()


def _draws(outcome: Json, key: str) -> list[Json]:
    return [d for d in outcome["supervision"]["draws"] if d["organization"] == key]


def test_draw_adopted_with_an_expert_and_never_out_of_term(review: Json) -> None:
    [draw] = _draws(review, "A")
    assert draw["status"] == "adopted"
    assert draw["seed"] == 7
    assert len(draw["drawn"]) == 3
    assert "M4" not in draw["drawn"]
    assert draw["excluded"] == {"M4": "reviewer_out_of_term"}
    assert draw["leader"] in {"M1", "M2", "M3"}  # the drawn manufacturing expert leads
    assert draw["members"] == draw["drawn"]


def test_adjustment_is_recorded_with_its_reason(review: Json) -> None:
    first, second = _draws(review, "B")
    assert second["excluded"] == {"M4": "reviewer_out_of_term"}  # the pool as it was then
    assert first["status"] == "drawn"  # its adjustment was refused: it stays undecided
    assert second["status"] == "adjusted"
    assert second["members"] == ["M1", "M2", "S1"]
    assert second["reason"] == "行业专家甲在外地出差"
    assert first["drawn"] == second["drawn"]  # same seed, same pool: same draw


def test_disqualified_reviewer_leaves_open_panels(review: Json) -> None:
    # M1's 600 points are dropped everywhere; C keeps M2 and M3 (750, 640).
    assert application(review, "C")["document_score"] == 695.0
    reviewers = {r["reviewer"]: r for r in review["supervision"]["reviewers"]}
    assert reviewers["M1"]["status"] == "disqualified"
    assert reviewers["M1"]["disqualified_on"] == "2025-05-08"
    assert reviewers["M4"]["status"] == "out_of_term"
    assert reviewers["M3"]["criticisms"] == 1
    assert reviewers["M2"]["status"] == "in_term"
    withdrawn = notices(review, "review_assignment", "C")
    assert any(n["audience"] == "office" for n in withdrawn)


def test_irregularities_open_corrected_closed(review: Json) -> None:
    found = review["supervision"]["irregularities"]
    assert [(i["number"], i["subject"], i["status"]) for i in found] == [
        (1, "M1", "closed"),
        (2, "C", "open"),
    ]


def test_spread_flag_after_disqualification(review: Json) -> None:
    # C: 750 and 640 differ by 110 > 100 (review.spread_alert_points).
    flags = review["supervision"]["spread_flags"]
    assert [(f["organization"], f["stage"], f["total_spread"]) for f in flags] == [
        ("C", "document", 110.0)
    ]


def build_follow_up() -> Sim:
    sim = Sim(
        "supervision-follow-up",
        {"H": organization(7), "I": organization(8)},
        honors=[
            {"organization": "H", "award": "quality", "year": 2023, "awarded_on": "2024-02-01"},
            {"organization": "I", "award": "innovation", "year": 2023, "awarded_on": "2024-02-01"},
        ],
    )
    sim.do("snapshot", "2025-01-10T09:00")
    # 2025-02-01: the first year's task, due 60 days later (2 April).
    sim.do("submit_follow_up", "2025-02-10T09:00", organization="H", award="quality", tag="sub1")
    sim.do("evaluate_follow_up", organization="H", award="quality", number=1, evaluation="良好")
    sim.do(
        "submit_follow_up",
        organization="I",
        award="innovation",
        refused="follow_up_not_found",
        tag="innovation_has_no_follow_up",
    )
    # The second year's report (due 2026-04-02) never comes.
    sim.do("snapshot", "2026-05-01T09:00")
    return sim


SIM_FOLLOW_UP = build_follow_up()


@pytest.fixture(scope="module")
async def follow_up() -> Json:
    return await simulate(SIM_FOLLOW_UP)


@pytest.mark.parametrize(("tag", "expected"), SIM_FOLLOW_UP.refusal_params())
def test_follow_up_refusals(follow_up: Json, tag: str, expected: str | set[str]) -> None:
    assert matches(refusal_of(SIM_FOLLOW_UP, follow_up, tag), expected)


def test_follow_up_tasks_submitted_evaluated_and_overdue(follow_up: Json) -> None:
    tasks = [
        (t["number"], t["due_on"], t["status"], t["evaluation"])
        for t in follow_up["supervision"]["follow_ups"]
    ]
    assert tasks == [(1, "2025-04-02", "evaluated", "良好"), (2, "2026-04-02", "overdue", None)]


def test_overdue_report_is_reminded_once_more(follow_up: Json) -> None:
    overdue = notices(follow_up, "follow_up_overdue", "H")
    assert sorted((n["on"], n["audience"]) for n in overdue) == [
        ("2026-04-03", "applicant"),
        ("2026-04-03", "office"),
    ]
    due = notices(follow_up, "follow_up_due", "H")
    assert {n["audience"] for n in due} == {"office", "applicant"}


def build_normalised() -> Sim:
    """`scoring.normalise: true`: the z-score normalised document score is official."""
    sim = Sim(
        "supervision-normalised",
        {"A": organization(1), "B": organization(2)},
        rules={"scoring": {"normalise": True}},
    )
    sim.do("open_cycle", "2025-03-01T09:00", year=2025, application_deadline="2025-04-30")
    sim.apply_all({"A": "quality", "B": "quality"}, "2025-04-01T09:00")
    sim.do("close_qualification", "2025-05-06T09:00")
    sim.panel("A", "document", [600, 500, 550])
    sim.panel("B", "document", [700, 700, 650])
    sim.do("snapshot", "2025-05-07T09:00")
    sim.do("shortlist", "2025-05-08T09:00", organizations=["A", "B"])
    sim.do("snapshot")
    return sim


SIM_NORMALISED = build_normalised()


async def test_normalised_score_is_official_when_the_rules_say_so() -> None:
    outcome = await simulate(SIM_NORMALISED)
    before, after = outcome["snapshots"]
    scores = {a["organization"]: a["document_score"] for a in before["cycles"][0]["applications"]}
    assert scores == {"A": 550.0, "B": 683.3}  # the panel means while the stage is open
    # Stage mean 616.67, population sd 74.536; every reviewer scored A below B (z = ∓1):
    # A = 616.67 − 74.54 = 542.1, B = 616.67 + 74.54 = 691.2.
    scores = {a["organization"]: a["document_score"] for a in after["cycles"][0]["applications"]}
    assert scores == {"A": 542.1, "B": 691.2}
