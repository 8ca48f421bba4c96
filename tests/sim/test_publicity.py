"""Publicity, objections, committee decisions and approval (DESIGN.md §3.3, phases 7–9)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.sim.builders import (
    Json,
    Sim,
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

OPENS = "2025-07-01T15:30:00+08:00"
CLOSES = "2025-07-08T00:00:00+08:00"  # 24:00 of day 7, counting 1 July as day 1


def _ballot(yes: int) -> Json:
    return {"yes": yes, "no": 7 - yes, "abstain": 0}


def _objection(sim: Sim, at: str | None, key: str, **kw: Any) -> int:
    fields: dict[str, Any] = {"name": "李某", "contact": "13800000000", "content": "反映问题"}
    fields.update(kw)
    return sim.do("object", at, organization=key, **fields)


def build() -> Sim:
    orgs = {key: organization(n) for n, key in enumerate("ABCD", start=1)}
    orgs |= {"I1": organization(5, industry="services"), "I2": organization(6, industry="services")}
    orgs["Y"] = organization(7)  # never applies
    sim = Sim("publicity", orgs)
    sim.do("open_cycle", "2025-03-01T09:00", year=2025, application_deadline="2025-04-30")
    sim.apply_all(
        {**dict.fromkeys("ABCD", "quality"), "I1": "innovation", "I2": "innovation"},
        "2025-04-01T09:00",
    )
    sim.do("close_qualification", "2025-05-06T09:00")
    sim.review_all(
        {
            "A": (700, 700),
            "B": (690, 690),
            "C": (680, 680),
            "D": (670, 670),
            "I1": (600, 600),
            "I2": (590, 590),
        },
        document_at="2025-05-10T09:00",
        shortlist_at="2025-05-20T09:00",
        site_at="2025-06-01T09:00",
        confirm_at="2025-06-05T09:00",
    )
    sim.do(
        "vote",
        "2025-07-01T15:00",
        award="innovation",
        present=7,
        ballots={"I1": _ballot(7), "I2": _ballot(6)},
    )
    _objection(sim, None, "I1", refused="not_in_phase", tag="objection_before_publicity")
    sim.do(
        "vote",
        "2025-07-01T15:30",
        award="quality",
        present=7,
        ballots={"A": _ballot(7), "B": _ballot(7), "C": _ballot(6), "D": _ballot(5)},
    )
    _objection(sim, "2025-07-02T10:00", "A", tag="objection_1_A")
    _objection(sim, None, "B", name="", refused="invalid_objection", tag="objection_without_name")
    _objection(
        sim, None, "B", contact=" ", refused="invalid_objection", tag="objection_without_contact"
    )
    _objection(
        sim,
        None,
        "B",
        contact="县城某路1号",
        refused="invalid_objection",
        tag="objection_with_an_address_for_contact",
    )
    _objection(
        sim, None, "B", content=" ", refused="invalid_objection", tag="objection_without_content"
    )
    _objection(sim, None, "B", tag="objection_2_B")
    _objection(
        sim, "2025-07-03T10:00", "D", refused="unknown_candidate", tag="objection_not_elected"
    )
    _objection(sim, None, "Y", refused="unknown_candidate", tag="objection_non_applicant")
    _objection(sim, "2025-07-04T10:00", "C", tag="objection_3_C")
    sim.do("investigate", "2025-07-05T10:00", objection=1, finding="substantiated", report="属实")
    sim.do("committee_decision", organization="A", remove=True, tag="remove_A")
    sim.do("investigate", objection=2, finding="substantiated", report="部分属实")
    sim.do("committee_decision", organization="B", remove=False, tag="keep_B")
    sim.do("investigate", objection=3, finding="unsubstantiated", report="不实")
    sim.do("approve", "2025-07-07T10:00", refused="not_in_phase", tag="approve_during_publicity")
    _objection(sim, "2025-07-07T23:59", "I2", tag="objection_4_last_minute")
    _objection(sim, "2025-07-08T00:00", "I1", refused="publicity_closed", tag="objection_at_2400")
    sim.do("snapshot", tag="at_close_with_objection_open")
    _objection(
        sim, "2025-07-08T10:00", "B", refused="publicity_closed", tag="objection_next_morning"
    )
    sim.do("investigate", "2025-07-09T10:00", objection=4, finding="unsubstantiated", report="不实")
    sim.do("snapshot", "2025-07-09T11:00", tag="after_last_investigation")
    sim.do(
        "approve",
        "2025-07-10T09:00",
        strike=["D"],
        refused="unknown_candidate",
        tag="strike_unlisted",
    )
    sim.do("approve", "2025-07-10T10:00", strike=["I2"], tag="approve_striking_I2")
    sim.do(
        "approve",
        "2025-07-10T11:00",
        strike=[],
        refused={"not_in_phase", "cycle_closed"},
        tag="approve_twice",
    )
    sim.do(
        "cancel_cycle", reason="公告后撤销", refused="cycle_closed", tag="cancel_after_announcement"
    )
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


def test_publicity_window(outcome: Json) -> None:
    assert cycle(outcome)["publicity"] == {"opens": OPENS, "closes": CLOSES}
    [notice] = notices(outcome, "publicity")
    assert (notice["on"], notice["audience"], notice["organization"]) == (
        "2025-07-01",
        "public",
        None,
    )


def test_publicity_waits_for_open_objections_after_the_window(outcome: Json) -> None:
    first, second = outcome["snapshots"]
    assert first["at"] == "2025-07-08T00:00:00+08:00"
    assert [c["phase"] for c in first["cycles"]] == ["publicity"]
    assert [c["phase"] for c in second["cycles"]] == ["approval"]


def test_objections_reach_the_office(outcome: Json) -> None:
    received = notices(outcome, "objection_received")
    assert [(n["on"], n["organization"]) for n in received] == [
        ("2025-07-02", "A"),
        ("2025-07-02", "B"),
        ("2025-07-04", "C"),
        ("2025-07-07", "I2"),
    ]
    assert {n["audience"] for n in received} == {"office"}


def test_outcomes_after_removal_and_strike(outcome: Json) -> None:
    assert outcomes(outcome) == {
        "A": "removed_after_publicity",
        "B": "awarded",
        "C": "awarded",
        "D": "not_elected",  # a removed place is not backfilled
        "I1": "awarded",
        "I2": "not_approved",
    }


def test_winners_and_phase(outcome: Json) -> None:
    state = cycle(outcome)
    assert state["phase"] == "announced"
    assert state["winners"] == {"quality": ["B", "C"], "innovation": ["I1"]}


def test_only_approved_winners_become_honors(outcome: Json) -> None:
    assert {(h["organization"], h["award"]) for h in outcome["honors"]} == {
        ("B", "quality"),
        ("C", "quality"),
        ("I1", "innovation"),
    }
    assert honor(outcome, "B", "quality")["awarded_on"] == "2025-07-10"


def test_bulletin_on_the_approval_day(outcome: Json) -> None:
    [bulletin] = notices(outcome, "award_bulletin")
    assert (bulletin["on"], bulletin["audience"], bulletin["organization"]) == (
        "2025-07-10",
        "public",
        None,
    )
    assert notice_days(outcome, "award_bulletin") == ["2025-07-10"]


def test_each_key_moment_tells_someone(outcome: Json) -> None:
    """#13 item 14: the office when intake closes, the committee when the candidates are
    ready, the government when the list awaits approval, each applicant of its result, an
    objector of the finding."""
    audiences = {n["kind"]: n["audience"] for n in outcome["notices"]}
    assert audiences["intake_closed"] == "office"
    assert audiences["candidate_list"] == "committee"
    assert audiences["approval_due"] == "government"
    assert audiences["investigation_result"] == "objector"
    assert len(notices(outcome, "investigation_result")) == 4
    assert {n["audience"] for n in notices(outcome, "shortlisted")} == {"applicant"}
    awarded = {n["organization"] for n in notices(outcome, "awarded")}
    assert awarded == {k for k, v in outcomes(outcome, 2025).items() if v == "awarded"}
    [bulletin] = notices(outcome, "award_bulletin")
    assert bulletin["audience"] == "public"
