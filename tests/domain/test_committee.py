"""Committee vote, quota and runoff (§1(2), §4(4), §5(3); DESIGN 3.3)."""

from datetime import date

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from pydantic import ValidationError

from domain.committee import (
    Ballot,
    Candidate,
    Selection,
    VoteResult,
    candidates_for_award,
    passes,
    select_winners,
    takes_quota_place,
    validate_vote,
)
from domain.eligibility import HeldHonor
from domain.errors import DomainError, ErrorCode
from domain.rules import Award, ProgramRules, default_rules, load_rules


def candidate(key: str, score: float, *, repeat: bool = False, place: bool = True) -> Candidate:
    return Candidate(key=key, total_score=score, repeat_winner=repeat, takes_quota_place=place)


def vote(present: int, **yes: int) -> VoteResult:
    return VoteResult(
        present=present,
        ballots={key: Ballot(yes=n, no=present - n, abstain=0) for key, n in yes.items()},
    )


def test_candidates_ranked_by_total_then_key(rules: ProgramRules) -> None:
    scores = {"b": 600.0, "a": 600.0, "c": 674.0, "d": 0.0}
    assert candidates_for_award(scores, rules) == ["c", "a", "b", "d"]
    raised = load_rules({"committee": {"min_total": 600}})
    assert candidates_for_award(scores, raised) == ["c", "a", "b"]


@pytest.mark.parametrize(
    ("result", "members", "code"),
    [
        (vote(5, A=5), 9, ErrorCode.QUORUM_NOT_MET),  # 5 < 6 = ⅔ x 9
        (vote(6, A=6), 10, ErrorCode.QUORUM_NOT_MET),  # 6 < 6⅔
        (vote(10, A=5), 9, ErrorCode.INVALID_INPUT),
        (vote(-1), 9, ErrorCode.INVALID_INPUT),
        (vote(0), 0, ErrorCode.INVALID_INPUT),
        (vote(7, A=7, X=1), 9, ErrorCode.UNKNOWN_CANDIDATE),
        (
            VoteResult(present=7, ballots={"A": Ballot(yes=5, no=2, abstain=1)}),
            9,
            ErrorCode.TALLY_EXCEEDS_PRESENT,
        ),
    ],
)
def test_invalid_votes_are_refused(
    result: VoteResult, members: int, code: ErrorCode, rules: ProgramRules
) -> None:
    with pytest.raises(DomainError) as caught:
        validate_vote(result, members, {"A", "B"}, rules)
    assert caught.value.code is code


@pytest.mark.parametrize(("present", "members"), [(6, 9), (7, 10), (9, 9), (2, 3)])
def test_quorum_of_two_thirds_is_enough(present: int, members: int, rules: ProgramRules) -> None:
    validate_vote(vote(present, A=present), members, ["A"], rules)


def test_ballots_are_non_negative() -> None:
    with pytest.raises(ValidationError):
        Ballot(yes=-1, no=0, abstain=0)


@pytest.mark.parametrize(
    ("yes", "present", "passed"),
    [(4, 7, True), (3, 7, False), (4, 6, True), (3, 6, False), (7, 7, True), (0, 0, False)],
)
def test_pass_needs_more_than_half_present(
    yes: int, present: int, passed: bool, rules: ProgramRules
) -> None:
    assert passes(Ballot(yes=yes, no=0, abstain=0), present, rules) is passed


def test_example_votes(rules: ProgramRules) -> None:
    quality = select_winners(Award.QUALITY, [candidate("bamboo", 674.0)], vote(7, bamboo=7), rules)
    innovation = select_winners(
        Award.INNOVATION, [candidate("shiitake", 588.0)], vote(7, shiitake=6), rules
    )
    assert quality == Selection(winners=["bamboo"], not_elected=[], runoff=[])
    assert innovation.winners == ["shiitake"]


def test_failing_and_unballoted_candidates_are_not_elected(rules: ProgramRules) -> None:
    pool = [candidate("A", 700), candidate("B", 690), candidate("C", 680)]
    result = select_winners(Award.QUALITY, pool, vote(8, A=4, C=8), rules)
    assert result == Selection(winners=["C"], not_elected=["A", "B"], runoff=[])


def test_quota_with_two_repeat_quality_winners(rules: ProgramRules) -> None:
    pool = [
        candidate("R1", 600, repeat=True, place=False),
        candidate("N1", 700),
        candidate("R2", 610, repeat=True, place=False),
        candidate("N2", 690),
        candidate("N3", 680),
        candidate("N4", 670),
    ]
    result = select_winners(Award.QUALITY, pool, vote(9, R1=9, N1=8, R2=5, N2=8, N3=7, N4=6), rules)
    assert result.winners == ["R1", "N1", "N2", "N3", "R2"]  # by yes votes, then score
    assert result.not_elected == ["N4"]
    assert result.runoff == []


def test_repeat_innovation_winner_takes_a_place_and_squeezes_out_the_fourth(
    rules: ProgramRules,
) -> None:
    pool = [candidate("R", 650, repeat=True), *(candidate(k, 600) for k in "ABC")]
    result = select_winners(Award.INNOVATION, pool, vote(9, R=9, A=8, B=7, C=6), rules)
    assert result.winners == ["R", "A", "B"]
    assert result.not_elected == ["C"]


def test_yes_votes_rank_before_total_score(rules: ProgramRules) -> None:
    pool = [candidate("A", 900), candidate("B", 800), candidate("C", 700), candidate("D", 600)]
    result = select_winners(Award.QUALITY, pool, vote(9, A=5, B=6, C=7, D=8), rules)
    assert result.winners == ["D", "C", "B"]
    assert result.not_elected == ["A"]


TIED = [candidate("A", 700), candidate("B", 650), candidate("C", 650), candidate("D", 650)]


def test_tie_straddling_the_last_place_requires_runoff(rules: ProgramRules) -> None:
    result = select_winners(Award.QUALITY, TIED, vote(9, A=8, B=7, C=7, D=7), rules)
    assert result == Selection(winners=["A"], not_elected=[], runoff=["B", "C", "D"])


def test_tie_inside_or_outside_the_quota_needs_no_runoff(rules: ProgramRules) -> None:
    inside = select_winners(Award.QUALITY, TIED, vote(9, A=7, B=7, C=7, D=6), rules)
    assert inside == Selection(winners=["A", "B", "C"], not_elected=["D"], runoff=[])
    pool = [*TIED, candidate("E", 650)]
    outside = select_winners(Award.QUALITY, pool, vote(9, A=9, B=8, C=8, D=6, E=6), rules)
    assert outside == Selection(winners=["A", "B", "C"], not_elected=["D", "E"], runoff=[])


def test_runoff_resolves_the_last_place(rules: ProgramRules) -> None:
    main = vote(9, A=8, B=7, C=7, D=7)
    result = select_winners(Award.QUALITY, TIED, main, rules, runoff=vote(9, B=3, C=6, D=5))
    assert result == Selection(winners=["A", "C", "D"], not_elected=["B"], runoff=[])


def test_runoff_still_tied_needs_another_runoff(rules: ProgramRules) -> None:
    main = vote(9, A=8, B=7, C=7, D=7)
    first = vote(9, B=6, C=5, D=5)
    result = select_winners(Award.QUALITY, TIED, main, rules, runoff=first)
    assert result == Selection(winners=["A", "B"], not_elected=[], runoff=["C", "D"])
    second = vote(9, C=4, D=7)
    final = select_winners(Award.QUALITY, TIED, main, rules, runoff=[first, second])
    assert final == Selection(winners=["A", "B", "D"], not_elected=["C"], runoff=[])


def test_runoff_where_too_few_pass_leaves_places_empty(rules: ProgramRules) -> None:
    main = vote(9, A=8, B=7, C=7, D=7)
    result = select_winners(Award.QUALITY, TIED, main, rules, runoff=vote(9, B=2, C=6))
    assert result == Selection(winners=["A", "C"], not_elected=["B", "D"], runoff=[])


def test_runoff_vote_is_ignored_without_a_tie(rules: ProgramRules) -> None:
    result = select_winners(
        Award.QUALITY, TIED[:3], vote(9, A=8, B=7, C=7), rules, runoff=[vote(9, B=9)]
    )
    assert result == Selection(winners=["A", "B", "C"], not_elected=[], runoff=[])


def test_tied_repeat_quality_winner_does_not_need_runoff(rules: ProgramRules) -> None:
    pool = [*TIED[:3], candidate("R", 650, repeat=True, place=False)]
    result = select_winners(Award.QUALITY, pool, vote(9, A=8, B=7, C=7, R=7), rules)
    assert result == Selection(winners=["A", "B", "C", "R"], not_elected=[], runoff=[])


def honor(award: Award, *, revoked: bool = False) -> HeldHonor:
    return HeldHonor(award=award, year=2021, awarded_on=date(2021, 11, 1), revoked=revoked)


@pytest.mark.parametrize(
    ("award", "held", "takes"),
    [
        (Award.QUALITY, [], True),
        (Award.QUALITY, [honor(Award.QUALITY)], False),
        (Award.QUALITY, [honor(Award.QUALITY, revoked=True)], True),
        (Award.QUALITY, [honor(Award.INNOVATION)], True),
        (Award.INNOVATION, [honor(Award.INNOVATION)], True),
        (Award.INNOVATION, [], True),
    ],
)
def test_takes_quota_place(award: Award, held: list[HeldHonor], takes: bool) -> None:
    assert takes_quota_place(award, held) is takes


KEYS = [f"K{n}" for n in range(8)]
pools = st.lists(
    st.tuples(st.integers(0, 9), st.sampled_from([600.0, 650.0, 700.0]), st.booleans()),
    min_size=1,
    max_size=len(KEYS),
)


def _pool(drawn: list[tuple[int, float, bool]]) -> tuple[list[Candidate], VoteResult]:
    pool = [
        candidate(key, score, repeat=not place, place=place)
        for key, (_, score, place) in zip(KEYS, drawn, strict=False)
    ]
    result = vote(9, **{key: yes for key, (yes, _, _) in zip(KEYS, drawn, strict=False)})
    return pool, result


@given(pools, st.sampled_from(list(Award)))
def test_quota_holders_never_exceed_the_quota(
    drawn: list[tuple[int, float, bool]], award: Award
) -> None:
    rules = default_rules()
    pool, result = _pool(drawn)
    selection = select_winners(award, pool, result, rules)
    placed = {c.key for c in pool if c.takes_quota_place}
    assert len(placed & set(selection.winners)) <= rules.quality.quota
    everyone = selection.winners + selection.not_elected + selection.runoff
    assert sorted(everyone) == sorted(c.key for c in pool)


@given(pools, st.data())
def test_an_extra_yes_vote_never_unseats_a_winner(
    drawn: list[tuple[int, float, bool]], data: st.DataObject
) -> None:
    rules = default_rules()
    pool, result = _pool(drawn)
    before = select_winners(Award.QUALITY, pool, result, rules)
    assume(before.winners and not before.runoff)
    winner = data.draw(st.sampled_from(before.winners))
    ballot = result.ballots[winner]
    assume(ballot.no > 0)
    ballots = result.ballots | {winner: Ballot(yes=ballot.yes + 1, no=ballot.no - 1, abstain=0)}
    after = select_winners(Award.QUALITY, pool, VoteResult(present=9, ballots=ballots), rules)
    assert not after.runoff
    assert winner in after.winners


def test_a_vote_result_must_name_every_candidate() -> None:
    """§4(4): a candidate left out of the result is refused, not turned into not_elected."""
    vote = VoteResult(present=9, ballots={"A": Ballot(yes=9, no=0, abstain=0)})
    with pytest.raises(DomainError) as refused:
        validate_vote(vote, 9, ["A", "B"], default_rules())
    assert refused.value.code == ErrorCode.BALLOTS_INCOMPLETE
    assert "B" in refused.value.message
