"""Several cycles in one scenario, withdrawal and cancellation (DESIGN.md §2, §6)."""

from __future__ import annotations

import pytest

from tests.sim.builders import (
    Json,
    Sim,
    cycle,
    matches,
    notice_days,
    organization,
    outcomes,
    refusal_of,
    rejections,
    simulate,
)

pytestmark = pytest.mark.sqlite_only


def build() -> Sim:
    sim = Sim("two-cycles", {key: organization(n) for n, key in enumerate("ABCDE", start=1)})
    sim.do("open_cycle", "2025-03-01T09:00", year=2025, application_deadline="2025-04-30")
    sim.do("open_cycle", "2025-03-02T09:00", year=2026, application_deadline="2026-04-30")
    sim.do("apply", "2025-03-05T09:00", organization="A", award="quality")  # latest: 2026
    sim.do("apply", organization="B", award="innovation", year=2025)
    sim.do("apply", organization="A", award="quality", year=2025)  # one per cycle
    sim.do("apply", organization="C", award="quality", year=2025)
    sim.do("withdraw", organization="C", year=2025)
    sim.do("apply", organization="D", award="innovation")
    sim.do(
        "open_cycle",
        year=2025,
        application_deadline="2025-05-30",
        refused={"cycle_exists", "invalid_input"},
        tag="open_same_year_twice",
    )
    sim.do("cancel_cycle", "2025-03-10T09:00", year=2025, reason="演练后撤销")
    sim.do(
        "apply",
        "2025-03-11T09:00",
        organization="E",
        award="quality",
        year=2025,
        refused={"cycle_closed", "not_in_phase"},
        tag="apply_after_cancel",
    )
    sim.do(
        "cancel_cycle",
        year=2025,
        reason="重复撤销",
        refused={"cycle_closed", "not_in_phase"},
        tag="cancel_twice",
    )
    sim.do("apply", organization="E", award="quality")  # 2026 is unaffected
    sim.do("close_qualification", "2026-05-06T09:00", year=2026)
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


def test_cycles_are_listed_by_year(outcome: Json) -> None:
    assert [(c["year"], c["phase"]) for c in outcome["cycles"]] == [
        (2025, "cancelled"),
        (2026, "document_review"),
    ]


def test_cancelled_cycle_outcomes(outcome: Json) -> None:
    assert outcomes(outcome, 2025) == {"A": "cancelled", "B": "cancelled", "C": "withdrawn"}
    assert cycle(outcome, 2025)["winners"] == {"quality": [], "innovation": []}


def test_year_picks_the_cycle(outcome: Json) -> None:
    assert outcomes(outcome, 2026) == {"A": "pending", "D": "pending", "E": "pending"}


def test_each_cycle_calls_for_applications(outcome: Json) -> None:
    assert notice_days(outcome, "call_for_applications") == ["2025-03-01", "2025-03-02"]


def build_later_cycle() -> Sim:
    """A cycle opened two years into the scenario: "today" is the scenario's date then."""
    sim = Sim("later-cycle", {key: organization(n) for n, key in enumerate("AB", start=1)})
    sim.do("open_cycle", "2025-03-01T09:00", year=2025, application_deadline="2025-04-30")
    sim.do(
        "open_cycle",
        "2027-03-05T09:00",
        year=2027,
        application_deadline="2027-03-01",
        refused={"invalid_input"},
        tag="deadline_already_past",
    )
    sim.do("open_cycle", year=2027, application_deadline="2027-04-30")
    sim.do("apply", "2027-03-06T09:00", organization="A", award="quality")
    return sim


LATER = build_later_cycle()


async def test_a_later_cycle_is_checked_against_the_scenario_date() -> None:
    outcome = await simulate(LATER)
    assert matches(refusal_of(LATER, outcome, "deadline_already_past"), "invalid_input")
    assert set(rejections(outcome)) <= LATER.refused_indices()
    assert [(c["year"], c["phase"]) for c in outcome["cycles"]] == [
        (2025, "qualification"),
        (2027, "open"),
    ]
    assert notice_days(outcome, "call_for_applications") == ["2025-03-01", "2027-03-05"]


def build_extended() -> Sim:
    """The office extends the application deadline; intake stays open until the new date."""
    sim = Sim("extended-deadline", {key: organization(n) for n, key in enumerate("ABC", start=1)})
    sim.do("open_cycle", "2025-03-01T09:00", year=2025, application_deadline="2025-04-30")
    sim.do("apply", "2025-04-01T09:00", organization="A", award="quality")
    sim.do(
        "extend_deadline",
        "2025-04-20T09:00",
        what="application",
        until="2025-04-10",
        reason="误操作",
        refused={"invalid_input"},
        tag="earlier_deadline",
    )
    sim.do("extend_deadline", what="application", until="2025-05-31", reason="疫情影响")
    sim.do("apply", "2025-05-20T09:00", organization="B", award="quality")
    sim.do(
        "apply",
        "2025-06-01T00:00",
        organization="C",
        award="quality",
        refused={"deadline_passed"},
        tag="after_the_new_deadline",
    )
    sim.do(
        "extend_deadline",
        what="application",
        until="2025-06-30",
        reason="再次延长",
        refused={"not_in_phase", "deadline_passed"},
        tag="extend_after_it_passed",
    )
    return sim


EXTENDED = build_extended()


async def test_an_extended_deadline_keeps_intake_open_and_moves_the_reference_date() -> None:
    outcome = await simulate(EXTENDED)
    for tag, error in (
        ("earlier_deadline", "invalid_input"),
        ("after_the_new_deadline", "deadline_passed"),
        ("extend_after_it_passed", {"not_in_phase", "deadline_passed"}),
    ):
        assert matches(refusal_of(EXTENDED, outcome, tag), error), tag
    assert set(rejections(outcome)) <= EXTENDED.refused_indices()
    assert outcomes(outcome, 2025) == {"A": "pending", "B": "pending"}
    assert cycle(outcome, 2025)["phase"] == "qualification"
    assert notice_days(outcome, "call_for_applications") == ["2025-03-01", "2025-04-20"]
