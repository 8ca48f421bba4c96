"""What a cycle carries over continue-as-new stays small, and the new run gets it all back.

Plain functions (no Temporal): a committee with many candidates and a pending runoff is
carried, then taken back the way the new run does — applications as written, ballots as
written — and must equal the state it left.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from contracts.commands import ConfirmSiteReportCommand, VoteCommand
from contracts.cycle import (
    ApplicationState,
    AwardResult,
    CycleInput,
    CycleState,
    StageState,
    VoteRecord,
)
from domain.committee import Ballot
from domain.dates import SHANGHAI
from domain.phases import Outcome, Phase
from domain.rules import default_rules
from domain.types import Award
from tests.support.organizations import credit_code
from workflows import cycle_carry
from workflows.cycle_transitions import CycleTransitions
from workflows.effects import Effects

NOW = datetime(2025, 7, 1, 9, tzinfo=SHANGHAI)
SIZE = 2_000
YES = Ballot(yes=9, no=0, abstain=0)
HALF = Ballot(yes=5, no=4, abstain=0)
NO = Ballot(yes=0, no=9, abstain=0)


def _reviewed(n: int, site_closed: bool = True) -> ApplicationState:
    """Shortlisted, every score in; the first two of each award score best, the third and
    fourth tie with each other."""
    scores = {"R1": 800.0, "R2": 800.0, "R3": 800.0}
    total = 900.0 - n if n < 4 else 890.0 if n < 8 else 500.0 + n % 300
    return ApplicationState(
        credit_code=credit_code("91331126MA", n + 1),
        organization_id=n + 1,
        name=f"组织{n}",
        award=Award.QUALITY if n % 2 == 0 else Award.INNOVATION,
        industry="services",
        submitted_at=NOW - timedelta(days=90),
        eligible=True,
        shortlisted=True,
        document=StageState(members=["R1", "R2", "R3"], scores=scores, closed=True),
        site=StageState(members=["R1", "R2", "R3"], scores=scores, closed=site_closed),
        document_score=total,
        site_score=total,
    )


def committee() -> tuple[CycleTransitions, Effects]:
    """The last site report is confirmed: the committee starts with every applicant."""
    apps = [_reviewed(n, site_closed=n != SIZE - 1) for n in range(SIZE)]
    state = CycleState(
        phase=Phase.SITE_REVIEW,
        opened_at=NOW - timedelta(days=120),
        applications={a.credit_code: a for a in apps},
    )
    inp = CycleInput(
        year=2025,
        workflow_id="cycle-2025",
        application_deadline=(NOW - timedelta(days=60)).date(),
        committee_members=9,
        rules=default_rules(),
        state=state,
    )
    c = CycleTransitions(inp, state)
    last = apps[-1].credit_code
    written = c.confirm_site_report(ConfirmSiteReportCommand(credit_code=last), NOW)
    assert c.state.phase == Phase.COMMITTEE
    return c, written


def _ballots(c: CycleTransitions, award: Award) -> dict[str, Ballot]:
    """Three clear winners; the tied pair (same total, same yes votes) straddles the cut."""
    candidates = c.state.results[award.value].candidates
    return {
        code: YES if place < 2 else HALF if place < 4 else NO
        for place, code in enumerate(candidates)
    }


def test_committee_gives_each_candidate_its_place_on_the_list() -> None:
    c, written = committee()
    for result in c.state.results.values():
        assert len(result.candidates) == SIZE // 2
        places = [c.state.applications[code].candidate_rank for code in result.candidates]
        assert places == list(range(1, SIZE // 2 + 1))
    # The places reach the database with the applications' rows.
    assert set(written.codes) == set(c.state.applications)


def test_carried_state_leaves_out_what_grows_with_the_cycle_and_comes_back_whole() -> None:
    c, _ = committee()
    votes: list[tuple[str, VoteRecord]] = []
    for award in Award:
        runoff, effects = c.vote(
            VoteCommand(award=award, present=9, ballots=_ballots(c, award)), NOW
        )
        assert len(runoff) == 2  # the tied pair waits for a runoff
        votes.extend(effects.votes)
    before = c.state.model_dump(mode="json")
    full = len(c.state.model_dump_json())

    carried = cycle_carry.carried(c.state)

    size = len(carried.model_dump_json())
    assert size < 4_000 < full // 50, (size, full)
    assert carried.applications == {}
    assert all(r.candidates == [] for r in carried.results.values())
    assert all(v.ballots == {} for r in carried.results.values() for v in r.votes)
    assert all(len(r.runoff) == 2 for r in carried.results.values())

    # The new run: its input decoded, the applications read back as written, then the
    # candidate lists and the ballots (each vote as its write carried it).
    state = CycleState.model_validate_json(carried.model_dump_json())
    state.applications = {code: a.model_copy(deep=True) for code, a in c.state.applications.items()}
    cycle_carry.restore_candidates(state)
    written = {(name, v.round): v.ballots for name, v in votes}
    keys = cycle_carry.votes_to_restore(state)
    assert sorted(keys) == sorted(written)
    for name, round in keys:
        cycle_carry.restore_ballots(state, name, round, written[(name, round)])
    state.applications_in_database = state.results_in_database = False
    assert state.model_dump(mode="json") == before


def test_runoff_after_continue_as_new_counts_the_main_vote() -> None:
    c, _ = committee()
    award = Award.QUALITY
    _, effects = c.vote(VoteCommand(award=award, present=9, ballots=_ballots(c, award)), NOW)
    tied = c.state.results[award.value].runoff
    state = cycle_carry.carried(c.state)
    state.applications = c.state.applications
    cycle_carry.restore_candidates(state)
    ((_, main),) = effects.votes
    cycle_carry.restore_ballots(state, award.value, main.round, main.ballots)
    after = CycleTransitions(c.inp, state)
    ballots = {tied[0]: NO, tied[1]: YES}
    runoff, _ = after.vote(VoteCommand(award=award, present=9, ballots=ballots), NOW)
    assert runoff == []
    result = after.state.results[award.value]
    assert result.decided
    # The two clear winners of the main vote, then the runoff's.
    assert result.winners == [*result.candidates[:2], tied[1]]


def test_a_candidate_list_made_without_places_is_carried_as_it_is() -> None:
    app = _reviewed(0)
    state = CycleState(
        phase=Phase.COMMITTEE,
        opened_at=NOW,
        applications={app.credit_code: app},
        results={"quality": AwardResult(candidates=[app.credit_code])},
    )
    carried = cycle_carry.carried(state)
    assert carried.results["quality"].candidates == [app.credit_code]
    carried.applications = state.applications
    cycle_carry.restore_candidates(carried)
    assert carried.results["quality"].candidates == [app.credit_code]


def test_a_state_carried_before_results_were_left_out_is_taken_as_it_came() -> None:
    app = _reviewed(0).model_copy(update={"outcome": Outcome.NOT_ELECTED, "candidate_rank": 1})
    vote = VoteRecord(round=1, present=9, ballots={app.credit_code: NO}, at=NOW)
    old = CycleState(
        phase=Phase.PUBLICITY,
        opened_at=NOW,
        applications_in_database=True,
        results={"quality": AwardResult(candidates=[app.credit_code], votes=[vote])},
    )
    cycle_carry.restore_candidates(old)
    assert cycle_carry.votes_to_restore(old) == []
    assert old.results["quality"].votes == [vote]


def test_each_new_vote_is_written_in_a_piece_of_its_own() -> None:
    c, written = committee()
    award = Award.QUALITY
    _, effects = c.vote(VoteCommand(award=award, present=9, ballots=_ballots(c, award)), NOW)
    effects = written.merge(effects)
    pieces = effects.split()
    assert [len(p.votes) for p in pieces[-1:]] == [1]
    assert sum(len(p.votes) for p in pieces) == 1
    assert all(not p.codes and not p.notices for p in pieces if p.votes)
    # As writes were cut before (histories recorded then): the same pieces as without votes.
    old = effects.split(votes_apart=False)
    assert len(old) == len(pieces) - 1
    assert old[-1].votes == effects.votes
