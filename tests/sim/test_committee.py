"""Committee vote, quota and candidates (DESIGN.md §3.3, §2 phase 6)."""

from __future__ import annotations

import pytest

from tests.sim.builders import (
    Json,
    Sim,
    application,
    cycle,
    honor,
    matches,
    notice_days,
    organization,
    outcomes,
    refusal_of,
    rejections,
    simulate,
)

pytestmark = pytest.mark.sqlite_only


def _open(sim: Sim, awards: dict[str, str]) -> None:
    sim.do("open_cycle", "2025-03-01T09:00", year=2025, application_deadline="2025-04-30")
    sim.apply_all(awards, "2025-04-01T09:00")
    sim.do("close_qualification", "2025-05-06T09:00")


def _review(sim: Sim, scores: dict[str, tuple[float, float]]) -> None:
    sim.review_all(
        scores,
        document_at="2025-05-10T09:00",
        shortlist_at="2025-05-20T09:00",
        site_at="2025-06-01T09:00",
        confirm_at="2025-06-05T09:00",
    )


def _ballot(yes: int, no: int = 0, abstain: int = 0) -> Json:
    return {"yes": yes, "no": no, "abstain": abstain}


# --- votes: quorum, tallies, pass threshold, runoff ------------------------------------------


def build_votes() -> Sim:
    orgs = {key: organization(n) for n, key in enumerate("ABCDE", start=1)}
    orgs |= {key: organization(n, industry="services") for n, key in [(6, "F"), (7, "G")]}
    orgs["H"] = organization(8, county="松阳县")  # ineligible: never a candidate
    sim = Sim("committee-votes", orgs)
    _open(sim, {**dict.fromkeys("ABCDEH", "quality"), "F": "innovation", "G": "innovation"})
    scores = {"A": 700, "B": 680, "C": 650, "D": 650, "E": 620, "F": 600, "G": 590}
    _review(sim, {key: (points, points) for key, points in scores.items()})
    sim.do(
        "vote",
        "2025-07-01T09:00",
        award="quality",
        present=5,
        ballots={"A": _ballot(5)},
        refused="quorum_not_met",
        tag="five_of_nine_present",
    )
    sim.do(
        "vote",
        award="quality",
        present=7,
        ballots={"A": _ballot(4, 3, 1)},
        refused="tally_exceeds_present",
        tag="eight_ballots_seven_present",
    )
    sim.do(
        "vote",
        award="quality",
        present=7,
        ballots={"A": _ballot(7), "H": _ballot(7)},
        refused="unknown_candidate",
        tag="ballot_for_ineligible",
    )
    sim.do(
        "vote",
        award="innovation",
        present=7,
        ballots={"F": _ballot(7), "A": _ballot(7)},
        refused="unknown_candidate",
        tag="ballot_for_other_award",
    )
    # §4(4): a result names every candidate of its award; leaving G out would make it
    # silently not elected.
    sim.do(
        "vote",
        award="innovation",
        present=7,
        ballots={"F": _ballot(7)},
        refused="ballots_incomplete",
        tag="ballots_for_some_candidates",
    )
    # 3 yes of 6 present is not more than half: G fails.
    sim.do(
        "vote",
        "2025-07-01T10:00",
        award="innovation",
        present=6,
        ballots={"F": _ballot(4, 2), "G": _ballot(3, 3)},
        tag="innovation_vote",
    )
    sim.do(
        "object",
        organization="F",
        name="李某",
        contact="13800000000",
        content="内容",
        refused="not_in_phase",
        tag="objection_while_quality_undecided",
    )
    # C and D: 4 yes of 7 (passes) and the same total score, straddling the third place.
    sim.do(
        "vote",
        "2025-07-01T10:30",
        award="quality",
        present=7,
        ballots={
            "A": _ballot(7),
            "B": _ballot(6, 1),
            "C": _ballot(4, 3),
            "D": _ballot(4, 2, 1),
            "E": _ballot(3, 4),
        },
        tag="quality_vote",
    )
    sim.do("snapshot", "2025-07-01T10:45", tag="awaiting_runoff")
    sim.do(
        "object",
        organization="A",
        name="李某",
        contact="13800000000",
        content="内容",
        refused="runoff_required",
        tag="objection_while_runoff_pending",
    )
    sim.do(
        "approve",
        strike=[],
        refused={"runoff_required", "not_in_phase"},
        tag="approve_while_runoff_pending",
    )
    sim.do(
        "vote",
        "2025-07-01T11:00",
        award="quality",
        present=7,
        ballots={"C": _ballot(4, 3), "A": _ballot(7)},
        refused="unknown_candidate",
        tag="runoff_ballot_for_elected_candidate",
    )
    sim.do(
        "vote",
        award="quality",
        present=5,
        ballots={"C": _ballot(4), "D": _ballot(1)},
        refused="quorum_not_met",
        tag="runoff_without_quorum",
    )
    sim.do(
        "vote",
        "2025-07-01T11:15",
        award="quality",
        present=7,
        ballots={"C": _ballot(4, 3), "D": _ballot(4, 3)},
        tag="runoff_tied_again",
    )
    sim.do("snapshot", "2025-07-01T11:20", tag="awaiting_second_runoff")
    sim.do(
        "vote",
        "2025-07-01T11:30",
        award="quality",
        present=7,
        ballots={"C": _ballot(3, 4), "D": _ballot(5, 2)},
        tag="runoff",
    )
    sim.do("approve", "2025-07-08T10:00", strike=[])
    return sim


VOTES = build_votes()


@pytest.fixture(scope="module")
async def votes() -> Json:
    return await simulate(VOTES)


@pytest.mark.parametrize(("tag", "error"), VOTES.refusal_params())
def test_vote_refusal(votes: Json, tag: str, error: str) -> None:
    assert matches(refusal_of(VOTES, votes, tag), error)


def test_votes_nothing_else_refused(votes: Json) -> None:
    assert set(rejections(votes)) <= VOTES.refused_indices()


def test_tie_at_the_last_place_waits_for_a_runoff(votes: Json) -> None:
    for snapshot in votes["snapshots"]:  # after the vote, and after a runoff tied again
        [state] = snapshot["cycles"]
        assert state["phase"] == "committee"
        assert state["publicity"] == {"opens": None, "closes": None}
    assert len(votes["snapshots"]) == 2


def test_runoff_decides_the_last_place(votes: Json) -> None:
    assert cycle(votes)["winners"] == {"quality": ["A", "B", "D"], "innovation": ["F"]}
    assert outcomes(votes) == {
        "A": "awarded",
        "B": "awarded",
        "C": "not_elected",
        "D": "awarded",
        "E": "not_elected",  # 3 of 7
        "F": "awarded",  # 4 of 6
        "G": "not_elected",  # 3 of 6
        "H": "ineligible",
    }


def test_publicity_opens_at_the_deciding_vote(votes: Json) -> None:
    assert cycle(votes)["publicity"] == {
        "opens": "2025-07-01T11:30:00+08:00",
        "closes": "2025-07-08T00:00:00+08:00",
    }
    assert notice_days(votes, "publicity") == ["2025-07-01"]


def test_candidates_are_shown_with_their_totals(votes: Json) -> None:
    assert application(votes, "C")["total_score"] == 650.0
    assert application(votes, "E")["total_score"] == 620.0


# --- quota: repeat winners, bonuses ----------------------------------------------------------

QUOTA_HONORS = [
    {"organization": "P2", "award": "innovation", "year": 2023, "awarded_on": "2024-01-10"},
    {"organization": "P3", "award": "innovation", "year": 2023, "awarded_on": "2024-01-10"},
    {"organization": "R1", "award": "quality", "year": 2021, "awarded_on": "2022-01-10"},
    {"organization": "R2", "award": "quality", "year": 2020, "awarded_on": "2021-01-10"},
    {"organization": "J1", "award": "innovation", "year": 2023, "awarded_on": "2024-01-10"},
]


def build_quota() -> Sim:
    quality = ["P1", "P2", "P3", "P4", "R1", "R2"]
    innovation = ["J1", "J2", "J3", "J4"]
    orgs = {key: organization(20 + n) for n, key in enumerate(quality)}
    orgs |= {key: organization(30 + n, industry="services") for n, key in enumerate(innovation)}
    sim = Sim("committee-quota", orgs, honors=QUOTA_HONORS)
    # P3's Innovation Award is revoked: it no longer counts for the bonus (DESIGN 3.4).
    sim.do(
        "report_incident",
        "2025-02-01T09:00",
        organization="P3",
        award="innovation",
        occurred_on="2025-01-15",
        major_adverse_impact=True,
    )
    sim.do("approve_revocation", organization="P3", award="innovation")
    _open(sim, {**dict.fromkeys(quality, "quality"), **dict.fromkeys(innovation, "innovation")})
    totals = {"P1": 700, "P2": 690, "P3": 680, "P4": 670, "R1": 660, "R2": 650}
    totals |= {"J1": 600, "J2": 610, "J3": 620, "J4": 630}
    _review(sim, {key: (points, points) for key, points in totals.items()})
    # Quality: repeat winners R1, R2 pass but take no place; P1–P3 fill the quota; P4 is out.
    # Innovation below: J4 has the best total but the fewest yes votes; yes votes come first.
    sim.do(
        "vote",
        "2025-07-01T09:00",
        award="quality",
        present=9,
        ballots={
            "P1": _ballot(9),
            "P2": _ballot(8, 1),
            "P3": _ballot(6, 3),  # P3 and P4 tie on yes votes: P3's higher total decides
            "P4": _ballot(6, 3),
            "R1": _ballot(5, 4),
            "R2": _ballot(6, 3),
        },
    )
    # Innovation: repeat winner J1 takes a place and squeezes out J4.
    sim.do(
        "vote",
        "2025-07-01T09:30",
        award="innovation",
        present=9,
        ballots={"J1": _ballot(9), "J2": _ballot(8, 1), "J3": _ballot(7, 2), "J4": _ballot(6, 3)},
    )
    sim.do("approve", "2025-07-10T10:00", strike=[])
    return sim


QUOTA = build_quota()


@pytest.fixture(scope="module")
async def quota() -> Json:
    return await simulate(QUOTA)


def test_quota_nothing_refused(quota: Json) -> None:
    assert quota["rejected"] == []


def test_repeat_quality_winners_take_no_quota_place(quota: Json) -> None:
    assert cycle(quota)["winners"]["quality"] == ["P1", "P2", "P3", "R1", "R2"]
    assert application(quota, "P4")["outcome"] == "not_elected"


def test_repeat_innovation_winner_takes_a_quota_place(quota: Json) -> None:
    assert cycle(quota)["winners"]["innovation"] == ["J1", "J2", "J3"]
    assert application(quota, "J4")["outcome"] == "not_elected"


@pytest.mark.parametrize(
    ("key", "award", "bonus", "takes_place"),
    [
        pytest.param("P1", "quality", 200000, True, id="first_quality"),
        pytest.param("P2", "quality", 150000, True, id="quality_after_innovation"),
        pytest.param("P3", "quality", 200000, True, id="revoked_innovation_not_held"),
        pytest.param("R1", "quality", 0, False, id="repeat_quality"),
        pytest.param("R2", "quality", 0, False, id="repeat_quality_2"),
        pytest.param("J1", "innovation", 0, True, id="repeat_innovation"),
        pytest.param("J2", "innovation", 50000, True, id="first_innovation"),
    ],
)
def test_bonus_and_quota_place(
    quota: Json, key: str, award: str, bonus: int, takes_place: bool
) -> None:
    granted = honor(quota, key, award, 2025)
    assert granted["bonus_cny"] == bonus
    assert granted["takes_quota_place"] is takes_place
    assert granted["awarded_on"] == "2025-07-10"
    assert granted["status"] == "active"


def test_honor_dates_follow_the_award_date(quota: Json) -> None:
    quality = honor(quota, "P1", "quality", 2025)
    assert (
        quality["valid_until"],
        quality["revocation_window_closes"],
        quality["reapply_from"],
    ) == ("2030-07-09", "2027-07-09", "2029-01-01")
    innovation = honor(quota, "J2", "innovation", 2025)
    assert (
        innovation["valid_until"],
        innovation["revocation_window_closes"],
        innovation["reapply_from"],
    ) == (None, "2027-07-09", "2026-01-01")


def test_history_honors_are_listed_with_their_implied_fields(quota: Json) -> None:
    r1 = honor(quota, "R1", "quality", 2021)
    assert r1["awarded_on"] == "2022-01-10"
    assert r1["valid_until"] == "2027-01-09"
    assert r1["revocation_window_closes"] == "2024-01-09"
    assert r1["reapply_from"] == "2025-01-01"
    assert r1["status"] == "active"
    assert r1["bonus_cny"] == 200000
    assert honor(quota, "P2", "innovation", 2023)["bonus_cny"] == 50000


# --- candidates: committee.min_total and configured weights ----------------------------------


def build_min_total() -> Sim:
    orgs = {key: organization(40 + n) for n, key in enumerate(["K1", "K2", "K3", "K5"])}
    orgs["K4"] = organization(44, industry="services")
    sim = Sim(
        "committee-min-total",
        orgs,
        rules={
            "committee": {"min_total": 600},
            "scoring": {"weights": {"document": 0.5, "site": 0.5}},
        },
    )
    _open(
        sim,
        {"K1": "quality", "K2": "quality", "K3": "quality", "K4": "innovation", "K5": "quality"},
    )
    _review(
        sim,
        {
            "K1": (620, 640),  # 630 (default weights: 632)
            "K2": (580, 620),  # 600, exactly the minimum
            "K3": (600, 598),  # 599
            "K4": (700, 490),  # 595
            "K5": (640, 570),  # 605 (default weights: 598)
        },
    )
    sim.do(
        "vote",
        "2025-07-01T09:00",
        award="innovation",
        present=9,
        ballots={"K4": _ballot(9)},
        refused="unknown_candidate",
        tag="ballot_for_innovation_non_candidate",
    )
    sim.do(
        "vote",
        award="quality",
        present=9,
        ballots={"K1": _ballot(9), "K3": _ballot(9)},
        refused="unknown_candidate",
        tag="ballot_for_quality_non_candidate",
    )
    sim.do(
        "vote",
        "2025-07-01T09:30",
        award="quality",
        present=9,
        ballots={"K1": _ballot(9), "K2": _ballot(8, 1), "K5": _ballot(7, 2)},
    )
    return sim


MIN_TOTAL = build_min_total()


@pytest.fixture(scope="module")
async def min_total() -> Json:
    return await simulate(MIN_TOTAL)


@pytest.mark.parametrize(("tag", "error"), MIN_TOTAL.refusal_params())
def test_min_total_refusal(min_total: Json, tag: str, error: str) -> None:
    assert matches(refusal_of(MIN_TOTAL, min_total, tag), error)


def test_min_total_nothing_else_refused(min_total: Json) -> None:
    assert set(rejections(min_total)) <= MIN_TOTAL.refused_indices()


def test_totals_use_the_configured_weights(min_total: Json) -> None:
    totals = {a["organization"]: a["total_score"] for a in cycle(min_total)["applications"]}
    assert totals == {"K1": 630.0, "K2": 600.0, "K3": 599.0, "K4": 595.0, "K5": 605.0}


def test_below_min_total_is_not_candidate(min_total: Json) -> None:
    assert outcomes(min_total) == {
        "K1": "pending",
        "K2": "pending",
        "K3": "not_candidate",
        "K4": "not_candidate",
        "K5": "pending",
    }


def test_award_without_candidates_does_not_hold_up_publicity(min_total: Json) -> None:
    state = cycle(min_total)
    assert state["phase"] == "publicity"
    assert state["publicity"]["opens"] == "2025-07-01T09:30:00+08:00"
    assert state["winners"] == {"quality": ["K1", "K2", "K5"], "innovation": []}


def build_replaced_vote() -> Sim:
    """§4(4): a mistyped result replaced before publicity; the replacing one decides."""
    orgs = {key: organization(n) for n, key in enumerate("AB", start=1)}
    orgs["F"] = organization(6, industry="services")
    sim = Sim("committee-vote-replaced", orgs)
    _open(sim, {"A": "quality", "B": "quality", "F": "innovation"})
    _review(sim, {"A": (700, 700), "B": (680, 680), "F": (600, 600)})
    sim.do("vote", "2025-07-01T09:00", award="quality", present=9,
           ballots={"A": _ballot(9), "B": _ballot(1, 8)})  # fmt: skip
    sim.do("replace_vote", award="quality", present=9, reason="B 的票数录入错误",
           ballots={"A": _ballot(9), "B": _ballot(8, 1)})  # fmt: skip
    sim.do("vote", "2025-07-01T10:00", award="innovation", present=9, ballots={"F": _ballot(9)})
    sim.do("replace_vote", award="quality", present=9, reason="再次修改",
           ballots={"A": _ballot(9), "B": _ballot(1, 8)},
           refused="not_in_phase", tag="replace_after_publication")  # fmt: skip
    return sim


REPLACED = build_replaced_vote()


async def test_a_replaced_vote_result_is_the_one_that_counts() -> None:
    outcome = await simulate(REPLACED)
    assert matches(refusal_of(REPLACED, outcome, "replace_after_publication"), "not_in_phase")
    assert set(rejections(outcome)) <= REPLACED.refused_indices()
    assert cycle(outcome, 2025)["winners"]["quality"] == ["A", "B"]
