"""Configurable program rules (DESIGN.md §5.1) honoured through a whole cycle."""

from __future__ import annotations

import pytest

from tests.sim.builders import (
    Json,
    Sim,
    cycle,
    honor,
    notice_days,
    organization,
    outcomes,
    rejections,
    simulate,
)

pytestmark = pytest.mark.sqlite_only

RULES: Json = {
    "panel": {"min_size": 1},
    "quality": {"quota": 1, "reapply_after_years": 2, "validity_years": 3},
    "innovation": {"validity_years": 2},
    "publicity": {"days": 3},
    "bonus": {"quality_first": 100000, "innovation_first": 20000},
    "committee": {"quorum": "1/2", "pass_ratio": "2/3"},
    "revocation": {"window_years": 1},
    "review": {"document_days": 10, "reminder_days_before": 0},
}


def build() -> Sim:
    orgs = {key: organization(70 + n) for n, key in enumerate(["Q1", "Q2", "Q3", "Q4"])}
    orgs["I1"] = organization(75, industry="services")
    sim = Sim(
        "rules-overrides",
        orgs,
        rules=RULES,
        honors=[
            {"organization": "Q2", "award": "quality", "year": 2023, "awarded_on": "2024-01-10"}
        ],
    )
    sim.do("open_cycle", "2025-03-01T09:00", year=2025, application_deadline="2025-04-30")
    sim.apply_all(
        {"Q1": "quality", "Q2": "quality", "Q3": "quality", "Q4": "quality", "I1": "innovation"},
        "2025-04-01T09:00",
    )
    # Document review due 16 May (10 days): no reminder, escalation from 17 May.
    sim.do("close_qualification", "2025-05-06T09:00")
    scores = {"Q1": 700, "Q2": 690, "Q3": 680, "Q4": 670, "I1": 600}
    for key, points in scores.items():
        reviewer = "S1" if key == "I1" else "M1"
        sim.do(
            "assign_panel",
            stage="document",
            organization=key,
            reviewers=[reviewer],
            leader=reviewer,
        )
        if key != "Q4":
            sim.do("score", stage="document", organization=key, reviewer=reviewer, points=points)
    sim.do(
        "score", "2025-05-18T09:00", stage="document", organization="Q4", reviewer="M1", points=670
    )
    sim.do("shortlist", "2025-05-20T09:00", auto=True)
    for key, points in scores.items():
        reviewer = "S1" if key == "I1" else "M1"
        sim.do(
            "assign_panel", stage="site", organization=key, reviewers=[reviewer], leader=reviewer
        )
        sim.do("score", stage="site", organization=key, reviewer=reviewer, points=points)
        sim.do("confirm_site_report", organization=key)
    ballot = {"yes": 4, "no": 1, "abstain": 0}
    # 5 of 9 present is a quorum of ½; passing needs yes > ⅔ of 5, so 4 passes and 3 fails.
    sim.do(
        "vote",
        "2025-07-01T09:00",
        award="quality",
        present=5,
        ballots={"Q1": ballot, "Q2": ballot, "Q3": {"yes": 3, "no": 2, "abstain": 0}, "Q4": ballot},
    )
    sim.do("vote", "2025-07-01T10:00", award="innovation", present=5, ballots={"I1": ballot})
    sim.do("approve", "2025-07-05T10:00", strike=[])
    sim.do("snapshot", "2027-07-05T00:00")
    return sim


SIM = build()


@pytest.fixture(scope="module")
async def outcome() -> Json:
    return await simulate(SIM)


def test_nothing_refused(outcome: Json) -> None:
    assert rejections(outcome) == {}


def test_quota_pass_ratio_and_quorum(outcome: Json) -> None:
    assert outcomes(outcome) == {
        "Q1": "awarded",
        "Q2": "awarded",  # reapply wait of 2 years met; a repeat winner takes no place
        "Q3": "not_elected",  # 3 of 5 is not more than ⅔
        "Q4": "not_elected",  # passes, but the quota is 1
        "I1": "awarded",
    }


def test_publicity_days(outcome: Json) -> None:
    assert cycle(outcome)["publicity"] == {
        "opens": "2025-07-01T10:00:00+08:00",
        "closes": "2025-07-04T00:00:00+08:00",
    }


def test_bonuses_and_dates(outcome: Json) -> None:
    q1 = honor(outcome, "Q1", "quality", 2025)
    assert (
        q1["bonus_cny"],
        q1["valid_until"],
        q1["revocation_window_closes"],
        q1["reapply_from"],
    ) == (
        100000,
        "2028-07-04",
        "2026-07-04",
        "2027-01-01",
    )
    assert honor(outcome, "Q2", "quality", 2025)["bonus_cny"] == 0
    i1 = honor(outcome, "I1", "innovation", 2025)
    assert (i1["bonus_cny"], i1["valid_until"]) == (20000, "2027-07-04")


def test_configured_innovation_validity_expires(outcome: Json) -> None:
    [snapshot] = outcome["snapshots"]
    statuses = {(h["organization"], h["year"]): h["status"] for h in snapshot["honors"]}
    assert statuses[("I1", 2025)] == "expired"
    assert statuses[("Q1", 2025)] == "active"


def test_review_days_and_no_reminder(outcome: Json) -> None:
    assert notice_days(outcome, "review_reminder") == []
    assert notice_days(outcome, "review_overdue") == ["2025-05-17"]
