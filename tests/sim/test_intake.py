"""Intake (DESIGN.md §3.1, §2 phase 1): deadline, one application per cycle, credit codes."""

from __future__ import annotations

import pytest

from tests.sim.builders import (
    Json,
    Sim,
    application,
    credit_code,
    cycle,
    matches,
    notices,
    organization,
    refusal_of,
    rejections,
    simulate,
)

pytestmark = pytest.mark.sqlite_only


def _bad_check_character(n: int) -> str:
    good = credit_code(n)
    return good[:17] + ("0" if good[17] != "0" else "1")


def build() -> Sim:
    sim = Sim(
        "intake",
        {
            "A": organization(1),
            "B": organization(2),
            "C": organization(3),
            "BAD": organization(4, code=_bad_check_character(4)),
            "LONG": organization(5, code=credit_code(5) + "7"),
            "Z": organization(6),
        },
    )
    sim.do("open_cycle", "2025-03-01T09:00", year=2025, application_deadline="2025-04-30")
    sim.do("close_qualification", refused="not_in_phase", tag="close_qualification_while_open")
    sim.do("shortlist", auto=True, refused="not_in_phase", tag="shortlist_while_open")
    sim.do(
        "vote",
        award="quality",
        present=9,
        ballots={"A": {"yes": 9}},
        refused="not_in_phase",
        tag="vote_while_open",
    )
    sim.do("approve", refused="not_in_phase", tag="approve_while_open")
    sim.do(
        "apply",
        organization="BAD",
        award="quality",
        refused="invalid_credit_code",
        tag="bad_check_character",
    )
    sim.do(
        "apply",
        organization="LONG",
        award="quality",
        refused="invalid_credit_code",
        tag="nineteen_characters",
    )
    sim.do(
        "apply", "2025-04-30T15:58:30Z", organization="Z", award="innovation", tag="apply_at_utc"
    )
    sim.do("apply", "2025-04-30T23:59", organization="A", award="quality", tag="apply_at_2359")
    sim.do(
        "apply",
        organization="A",
        award="innovation",
        refused="duplicate_application",
        tag="duplicate_other_award",
    )
    sim.do(
        "apply",
        organization="A",
        award="quality",
        refused="duplicate_application",
        tag="duplicate_same_award",
    )
    sim.do(
        "object",
        organization="A",
        name="李某",
        contact="13800000000",
        content="公示前反映",
        refused="not_in_phase",
        tag="objection_before_publicity",
    )
    sim.do(
        "apply",
        "2025-05-01T00:00",
        organization="B",
        award="quality",
        refused="deadline_passed",
        tag="apply_at_2400",
    )
    sim.do(
        "apply",
        "2025-05-03T10:00",
        organization="C",
        award="innovation",
        refused="deadline_passed",
        tag="apply_days_late",
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


def test_application_at_2359_on_deadline_day_is_recorded(outcome: Json) -> None:
    assert application(outcome, "A")["outcome"] == "pending"
    assert application(outcome, "A")["award"] == "quality"
    listed = {a["organization"] for a in cycle(outcome)["applications"]}
    assert "A" in listed
    assert not listed & {"B", "C", "BAD"}


def test_times_with_an_offset_are_converted_to_shanghai(outcome: Json) -> None:
    # 15:58:30 UTC is 23:58:30 in Asia/Shanghai, still on the deadline day.
    assert application(outcome, "Z")["outcome"] == "pending"


def test_deadline_timer_moves_the_cycle_to_qualification(outcome: Json) -> None:
    assert cycle(outcome, 2025)["phase"] == "qualification"


def test_call_for_applications_is_public_on_the_opening_day(outcome: Json) -> None:
    [notice] = notices(outcome, "call_for_applications")
    assert notice == {
        "kind": "call_for_applications",
        "on": "2025-03-01",
        "audience": "public",
        "organization": None,
    }
