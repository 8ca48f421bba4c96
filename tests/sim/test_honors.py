"""Honors over the years (DESIGN.md §3.4, §3.5): dates, timers, notices, revocation.

The first scenario is the shared example cycle (tests/sim/scenarios/example-2025-cycle.*)
carried on for six more years; its snapshot on 2026-01-05 must still be the example's
expected outcome.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.sim.builders import (
    Json,
    Sim,
    application,
    cycle,
    honor,
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

SCENARIOS = Path(__file__).parent / "scenarios"
EXPECTED: Json = json.loads(
    (SCENARIOS / "example-2025-cycle.expected.json").read_text(encoding="utf-8")
)


def _example(name: str) -> Sim:
    """The shared example cycle (approved 2025-11-10), without its closing snapshot."""
    example: Json = yaml.safe_load(
        (SCENARIOS / "example-2025-cycle.yaml").read_text(encoding="utf-8")
    )
    sim = Sim(
        name,
        example["organizations"],
        reviewers=example["reviewers"],
        honors=example["honors"],
        members=example["committee"]["members"],
    )
    sim.timeline.extend(example["timeline"])
    return sim


def build_lifetime() -> Sim:
    """Timers of the example's honors up to 2031, and a second cycle in 2027 (cancelled)."""
    sim = _example("honor-lifetime")
    sim.tags["example_snapshot"] = len(sim.timeline) - 1
    sim.do(
        "report_incident",
        "2026-02-01T10:00",
        organization="shiitake",
        award="innovation",
        occurred_on="2025-11-09",
        major_adverse_impact=True,
        refused="incident_outside_window",
        tag="incident_day_before_award",
    )
    # A second cycle, in 2027: bamboo (Quality Award 2025) must wait; then it is cancelled.
    sim.do("open_cycle", "2027-03-10T09:00", year=2027, application_deadline="2027-04-30")
    sim.apply_all(
        {"bamboo": "quality", "shiitake": "quality", "tea": "innovation"}, "2027-04-01T09:00"
    )
    sim.do("close_qualification", "2027-05-10T09:00")
    sim.do("cancel_cycle", "2027-05-11T09:00", year=2027, reason="预算调整，本届暂停")
    sim.do(
        "apply",
        organization="tea",
        award="quality",
        year=2027,
        at="2027-05-12T09:00",
        refused={"cycle_closed", "not_in_phase"},
        tag="apply_to_cancelled_cycle",
    )
    # Awarded 2025-11-10: the revocation window's last day is 2027-11-09.
    sim.do(
        "report_incident",
        "2027-11-10T10:00",
        organization="bamboo",
        award="quality",
        occurred_on="2027-11-10",
        kind="major_accident",
        major_adverse_impact=True,
        refused="incident_outside_window",
        tag="incident_day_after_window",
    )
    sim.do(
        "approve_revocation",
        organization="bamboo",
        award="quality",
        refused="revocation_not_pending",
        tag="revocation_without_proposal",
    )
    sim.do("snapshot", "2030-11-09T12:00", tag="last_day_of_validity")
    sim.do("snapshot", "2030-11-10T00:00", tag="first_day_expired")
    sim.do("snapshot", "2031-01-02T00:00", tag="end")
    return sim


LIFETIME = build_lifetime()


@pytest.fixture(scope="module")
async def lifetime() -> Json:
    return await simulate(LIFETIME)


def _subset(expected: Any, actual: Any) -> bool:
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(
            k in actual and _subset(v, actual[k]) for k, v in expected.items()
        )
    return bool(expected == actual)


def test_example_snapshot_matches_the_expected_outcome(lifetime: Json) -> None:
    snapshot = lifetime["snapshots"][0]
    assert snapshot["at"] == "2026-01-05T00:00:00+08:00"
    assert snapshot["cycles"] == EXPECTED["cycles"]
    assert snapshot["honors"] == EXPECTED["honors"]


def test_example_refusals(lifetime: Json) -> None:
    assert lifetime["rejected"][: len(EXPECTED["rejected"])] == EXPECTED["rejected"]


@pytest.mark.parametrize(
    "expected",
    [pytest.param(n, id=f"{n['kind']}-{n['on']}") for n in EXPECTED["notices (some)"]],
)
def test_example_notices(lifetime: Json, expected: Json) -> None:
    assert any(_subset(expected, notice) for notice in lifetime["notices"])


@pytest.mark.parametrize(("tag", "error"), LIFETIME.refusal_params())
def test_lifetime_refusal(lifetime: Json, tag: str, error: str) -> None:
    assert matches(refusal_of(LIFETIME, lifetime, tag), error)


def test_lifetime_nothing_else_refused(lifetime: Json) -> None:
    example = {r["index"] for r in EXPECTED["rejected"]}
    assert set(rejections(lifetime)) <= LIFETIME.refused_indices() | example


def test_next_cycle_due_two_years_after_opening(lifetime: Json) -> None:
    due = notices(lifetime, "next_cycle_due")
    assert [(n["on"], n["audience"]) for n in due] == [("2027-03-03", "office")]


def test_reapply_open_on_1_january(lifetime: Json) -> None:
    # §3.4: the organization and the office are both reminded.
    assert notice_days(lifetime, "reapply_open", "shiitake") == ["2026-01-01"] * 2
    assert notice_days(lifetime, "reapply_open", "bamboo") == ["2029-01-01"] * 2


def test_reapply_open_reminds_the_organization_and_the_office(lifetime: Json) -> None:
    audiences = {n["audience"] for n in notices(lifetime, "reapply_open", "bamboo")}
    assert {"applicant", "office"} <= audiences


def test_follow_up_due_each_year_of_validity(lifetime: Json) -> None:
    days = notice_days(lifetime, "follow_up_due", "bamboo")
    assert {"2026-11-10", "2027-11-10", "2028-11-10", "2029-11-10"} <= set(days)
    assert all("2026-11-10" <= day <= "2030-11-10" for day in days)
    # §2(3)4, §6(3): the office is reminded, and the holder gets the task with its due date.
    assert {n["audience"] for n in notices(lifetime, "follow_up_due")} == {"office", "applicant"}


def test_validity_expiring_six_months_before_expiry(lifetime: Json) -> None:
    assert notice_days(lifetime, "validity_expiring", "bamboo") in (["2030-05-10"], ["2030-05-09"])
    assert notices(lifetime, "validity_expiring", "shiitake") == []  # no expiry


def test_status_expired_from_the_day_after_valid_until(lifetime: Json) -> None:
    by_at = {s["at"]: s for s in lifetime["snapshots"]}
    last = by_at["2030-11-09T12:00:00+08:00"]
    first = by_at["2030-11-10T00:00:00+08:00"]
    bamboo = [h for h in last["honors"] if h["organization"] == "bamboo"]
    assert [(h["status"], h["valid_until"]) for h in bamboo] == [("active", "2030-11-09")]
    assert [h["status"] for h in first["honors"] if h["organization"] == "bamboo"] == ["expired"]
    # The Innovation Award has no expiry.
    assert honor(lifetime, "shiitake", "innovation")["status"] == "active"


def test_second_cycle_applies_e8_and_is_cancelled(lifetime: Json) -> None:
    assert cycle(lifetime, 2027)["phase"] == "cancelled"
    assert sorted(application(lifetime, "bamboo", 2027)["reasons"]) == [
        "mu_efficiency_missing",  # no 亩均效益 grade for 2026 on file: every reason is reported
        "quality_reapply_wait",
    ]
    assert outcomes(lifetime, 2027) == {
        "bamboo": "ineligible",
        "shiitake": "cancelled",  # E8 is per award: an Innovation holder may apply for Quality
        "tea": "cancelled",
    }
    assert [c["year"] for c in lifetime["cycles"]] == [2025, 2027]
    assert cycle(lifetime, 2025)["phase"] == "announced"


# --- revocations of honors granted by a cycle --------------------------------------------------


def build_revocation(name: str = "honor-revocation") -> Sim:
    sim = _example(name)
    # Awarded 2025-11-10: the revocation window's last day is 2027-11-09.
    sim.do(
        "report_incident",
        "2027-11-09T10:00",
        organization="shiitake",
        award="innovation",
        occurred_on="2027-11-09",
        kind="major_accident",
        major_adverse_impact=True,
        tag="incident_on_last_day_of_window",
    )
    sim.do(
        "report_fraud",
        "2027-11-12T10:00",
        organization="bamboo",
        award="quality",
        note="申报材料造假",
    )
    sim.do("approve_revocation", "2027-11-20T10:00", organization="shiitake", award="innovation")
    sim.do("approve_revocation", organization="bamboo", award="quality")
    sim.do(
        "report_fraud",
        organization="shiitake",
        award="innovation",
        refused="already_revoked",
        tag="fraud_report_on_revoked_honor",
    )
    return sim


REVOCATION = build_revocation()


@pytest.fixture(scope="module")
async def revocation() -> Json:
    return await simulate(REVOCATION)


@pytest.mark.parametrize(("tag", "error"), REVOCATION.refusal_params())
def test_revocation_refusal(revocation: Json, tag: str, error: str) -> None:
    assert matches(refusal_of(REVOCATION, revocation, tag), error)


def test_revocation_nothing_else_refused(revocation: Json) -> None:
    example = {r["index"] for r in EXPECTED["rejected"]}
    assert set(rejections(revocation)) <= REVOCATION.refused_indices() | example


def test_incident_on_the_last_day_of_the_window_revokes(revocation: Json) -> None:
    revoked = honor(revocation, "shiitake", "innovation")
    assert revoked["status"] == "revoked"
    assert revoked["revoked_on"] == "2027-11-20"
    assert revoked["revocation_reason"] == "incident"
    assert revoked["bonus_recovered_cny"] == 50000
    [notice] = notices(revocation, "revocation", "shiitake")
    assert (notice["on"], notice["audience"]) == ("2027-11-20", "public")


def test_fraud_revokes(revocation: Json) -> None:
    revoked = honor(revocation, "bamboo", "quality")
    assert revoked["status"] == "revoked"
    assert revoked["revoked_on"] == "2027-11-20"
    assert revoked["revocation_reason"] == "fraud"
    assert revoked["bonus_recovered_cny"] == 200000
    assert notice_days(revocation, "revocation", "bamboo") == ["2027-11-20"]


def build_after_closed_cycle() -> Sim:
    """A revocation after the cycle workflow has completed, then one more day."""
    sim = Sim("honor-revocation-after-cycle-closed", {"L": organization(50)})
    sim.do("open_cycle", "2025-03-01T09:00", year=2025, application_deadline="2025-04-30")
    sim.do("apply", "2025-04-01T09:00", organization="L", award="quality")
    sim.do("close_qualification", "2025-05-06T09:00")
    sim.review_all(
        {"L": (700, 700)},
        document_at="2025-05-10T09:00",
        shortlist_at="2025-05-20T09:00",
        site_at="2025-06-01T09:00",
        confirm_at="2025-06-05T09:00",
    )
    sim.do("vote", "2025-07-01T09:00", award="quality", present=9, ballots={"L": {"yes": 9}})
    sim.do("approve", "2025-07-10T10:00", strike=[])
    # next_cycle_due fires on 2027-03-01 09:00 and the cycle workflow completes.
    sim.do("report_fraud", "2027-03-05T10:00", organization="L", award="quality")
    sim.do("approve_revocation", organization="L", award="quality")
    sim.do("snapshot", "2027-03-06T00:00")
    return sim


AFTER_CLOSED_CYCLE = build_after_closed_cycle()


async def test_scenario_goes_on_after_revoking_an_honor_of_a_closed_cycle() -> None:
    # Normally ~4 s; the bound keeps the known hang from costing the RPC timeout.
    outcome = await asyncio.wait_for(simulate(AFTER_CLOSED_CYCLE), timeout=20)
    [snapshot] = outcome["snapshots"]
    assert [h["status"] for h in snapshot["honors"]] == ["revoked"]


# --- an award approved on 29 February ---------------------------------------------------------


def build_leap_day() -> Sim:
    sim = Sim(
        "honor-leap-day",
        {"L": organization(60), "M": organization(61, industry="services")},
        honors=[
            {"organization": "L", "award": "innovation", "year": 2025, "awarded_on": "2025-11-10"}
        ],
    )
    sim.do("open_cycle", "2027-03-01T09:00", year=2027, application_deadline="2027-04-30")
    sim.apply_all({"L": "quality", "M": "innovation"}, "2027-04-01T09:00")
    sim.do("close_qualification", "2027-05-06T09:00")
    sim.review_all(
        {"L": (700, 700), "M": (650, 650)},
        document_at="2027-05-10T09:00",
        shortlist_at="2027-05-20T09:00",
        site_at="2027-06-01T09:00",
        confirm_at="2027-06-05T09:00",
    )
    yes = {"yes": 9, "no": 0, "abstain": 0}
    sim.do("vote", "2028-02-01T10:00", award="quality", present=9, ballots={"L": yes})
    sim.do("vote", "2028-02-01T10:30", award="innovation", present=9, ballots={"M": yes})
    sim.do("approve", "2028-02-29T10:00", strike=[])
    sim.do(
        "report_incident",
        "2029-06-01T10:00",
        organization="L",
        award="quality",
        occurred_on="2029-05-30",
        kind="major_complaint",
        major_adverse_impact=False,
        tag="incident_without_major_impact",
    )
    sim.do(
        "approve_revocation",
        organization="L",
        award="quality",
        refused="revocation_not_pending",
        tag="no_proposal_without_major_impact",
    )
    # 29 Feb 2028 + 2 years = 28 Feb 2030; the window's last day is 27 Feb 2030.
    sim.do(
        "report_incident",
        "2030-02-28T10:00",
        organization="L",
        award="quality",
        occurred_on="2030-02-28",
        major_adverse_impact=True,
        refused="incident_outside_window",
        tag="incident_day_after_leap_window",
    )
    sim.do("snapshot", "2033-02-27T12:00", tag="last_valid_day")
    sim.do("snapshot", "2033-02-28T00:00", tag="expired")
    return sim


LEAP_DAY = build_leap_day()


@pytest.fixture(scope="module")
async def leap_day() -> Json:
    return await simulate(LEAP_DAY)


@pytest.mark.parametrize(("tag", "error"), LEAP_DAY.refusal_params())
def test_leap_day_refusal(leap_day: Json, tag: str, error: str) -> None:
    assert matches(refusal_of(LEAP_DAY, leap_day, tag), error)


def test_leap_day_nothing_else_refused(leap_day: Json) -> None:
    assert set(rejections(leap_day)) <= LEAP_DAY.refused_indices()


def test_publicity_counts_calendar_days(leap_day: Json) -> None:
    assert cycle(leap_day)["publicity"] == {
        "opens": "2028-02-01T10:30:00+08:00",
        "closes": "2028-02-08T00:00:00+08:00",
    }


def test_honor_dates_from_29_february(leap_day: Json) -> None:
    quality = honor(leap_day, "L", "quality", 2027)
    assert quality["awarded_on"] == "2028-02-29"
    # D + 5 years = 28 Feb 2033 (29 Feb + 1 year = 28 Feb); the period's last day is one before.
    assert quality["valid_until"] == "2033-02-27"
    assert quality["revocation_window_closes"] == "2030-02-27"
    assert quality["reapply_from"] == "2031-01-01"  # award year (the cycle year) + 4
    assert quality["bonus_cny"] == 150000  # L already holds an Innovation Award
    innovation = honor(leap_day, "M", "innovation", 2027)
    assert (innovation["valid_until"], innovation["reapply_from"], innovation["bonus_cny"]) == (
        None,
        "2028-01-01",
        50000,
    )


def test_leap_day_honor_expires_after_its_last_day(leap_day: Json) -> None:
    last, expired = leap_day["snapshots"]
    assert [
        h["status"] for h in last["honors"] if h["organization"] == "L" and h["year"] == 2027
    ] == ["active"]
    assert [
        h["status"] for h in expired["honors"] if h["organization"] == "L" and h["year"] == 2027
    ] == ["expired"]


def test_leap_day_notices(leap_day: Json) -> None:
    follow_ups = notice_days(leap_day, "follow_up_due", "L")
    assert {"2029-02-28", "2030-02-28", "2031-02-28", "2032-02-29"} <= set(follow_ups)
    assert notice_days(leap_day, "reapply_open", "L") == ["2031-01-01"] * 2
    assert notice_days(leap_day, "validity_expiring", "L") in (["2032-08-28"], ["2032-08-27"])
    assert notice_days(leap_day, "next_cycle_due") == ["2029-03-01"]
    assert notice_days(leap_day, "award_bulletin") == ["2028-02-29"]
