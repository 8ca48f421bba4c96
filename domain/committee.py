# ruff: noqa: RUF001, RUF100 -- Chinese messages use full-width punctuation on purpose.
"""Committee vote and quota (§1(2), §4(4), §5(3); DESIGN.md 3.3).

A vote is valid with ⅔ of the members present; a candidate passes with yes > ½ of those
present. Passing candidates fill the quota by yes votes, then total score; a repeat
Quality winner takes no quota place. A tie on both that straddles the last place needs a
runoff among the tied candidates.
"""

from collections.abc import Collection, Mapping, Sequence
from fractions import Fraction

from pydantic import BaseModel, ConfigDict, Field

from domain.eligibility import HeldHonor, is_repeat_winner
from domain.errors import DomainError, ErrorCode
from domain.rules import ProgramRules, award_rules
from domain.types import Award

__all__ = [
    "Ballot",
    "Candidate",
    "Selection",
    "VoteResult",
    "candidates_for_award",
    "passes",
    "select_winners",
    "takes_quota_place",
    "validate_vote",
]


class Ballot(BaseModel):
    """One candidate's tally."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    yes: int = Field(ge=0, description="赞成票")
    no: int = Field(ge=0, description="反对票")
    abstain: int = Field(ge=0, description="弃权票")


class VoteResult(BaseModel):
    """Members present and the tally per candidate key."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    present: int
    ballots: dict[str, Ballot]


class Candidate(BaseModel):
    """A candidate for one award, with what the quota rule needs to know."""

    model_config = ConfigDict(frozen=True)

    key: str
    total_score: float
    repeat_winner: bool
    takes_quota_place: bool


class Selection(BaseModel):
    """Outcome for one award: winners, the rest, and candidates awaiting a runoff."""

    model_config = ConfigDict(frozen=True)

    winners: list[str]
    not_elected: list[str]
    runoff: list[str]


def candidates_for_award(scores: Mapping[str, float], rules: ProgramRules) -> list[str]:
    """Candidates: total score ≥ `committee.min_total`, by score descending then key (§4(4))."""
    eligible = [
        (-score, key) for key, score in scores.items() if score >= rules.committee.min_total
    ]
    return [key for _, key in sorted(eligible)]


def validate_vote(
    vote: VoteResult, members: int, candidates: Collection[str], rules: ProgramRules
) -> None:
    """Refuse an invalid vote result (§4(4)): quorum ⅔, every candidate and only candidates,
    tallies ≤ present. A result that left a candidate out would silently make it not elected."""
    if members <= 0 or not 0 <= vote.present <= members:
        raise DomainError(
            ErrorCode.INVALID_INPUT, f"出席人数 {vote.present} 与委员人数 {members} 不符"
        )
    if vote.present < rules.committee.quorum * members:
        raise DomainError(ErrorCode.QUORUM_NOT_MET, f"委员 {members} 名，出席 {vote.present} 名")
    unknown = sorted(key for key in vote.ballots if key not in candidates)
    if unknown:
        raise DomainError(ErrorCode.UNKNOWN_CANDIDATE, ", ".join(unknown))
    over = sorted(
        key
        for key, ballot in vote.ballots.items()
        if ballot.yes + ballot.no + ballot.abstain > vote.present
    )
    if over:
        raise DomainError(ErrorCode.TALLY_EXCEEDS_PRESENT, ", ".join(over))
    missing = [key for key in candidates if key not in vote.ballots]
    if missing:
        raise DomainError(ErrorCode.BALLOTS_INCOMPLETE, "、".join(missing))


def passes(ballot: Ballot, present: int, rules: ProgramRules) -> bool:
    """A candidate passes with yes > ½ of the members present (`committee.pass_ratio`)."""
    return ballot.yes > rules.committee.pass_ratio * present


def takes_quota_place(award: Award, held_honors: Sequence[HeldHonor]) -> bool:
    """§5(3): a repeat Quality winner takes no quota place; an Innovation winner always does."""
    return not (award == Award.QUALITY and is_repeat_winner(award, held_honors))


def _passing_yes(vote: VoteResult, key: str, rules: ProgramRules) -> int | None:
    """The candidate's yes votes if it passes in `vote`, else None."""
    ballot = vote.ballots.get(key)
    if ballot is None or not passes(ballot, vote.present, rules):
        return None
    return ballot.yes


def _cut(
    ranked: list[tuple[tuple[Fraction, ...], str]], places: int
) -> tuple[list[str], list[str], list[str]]:
    """Split keys ranked best first into (in, tied across the cut, out) for `places` places."""
    if len(ranked) <= places:
        return [key for _, key in ranked], [], []
    # places >= 1 here: the quota is at least 1 and a runoff leaves a place per straddled tie.
    last_in = ranked[places - 1][0]
    if last_in != ranked[places][0]:
        return [key for _, key in ranked[:places]], [], [key for _, key in ranked[places:]]
    better = [key for rank, key in ranked if rank < last_in]
    tied = [key for rank, key in ranked if rank == last_in]
    worse = [key for rank, key in ranked if rank > last_in]
    return better, tied, worse


def select_winners(
    award: Award,
    candidates: Sequence[Candidate],
    vote: VoteResult,
    rules: ProgramRules,
    runoff: VoteResult | Sequence[VoteResult] | None = None,
) -> Selection:
    """Winners of `award` from a valid vote result (§4(4), §5(3); DESIGN 3.3).

    Passing candidates that take a quota place fill `quota` places by yes votes, then
    total score. If a tie on both straddles the last place, the tied candidates go to a
    runoff (`Selection.runoff`) and their places stay open. Each runoff vote given (in
    order) ranks the still-tied candidates by its yes votes among those passing it; a tie
    that still straddles the cut needs another runoff.
    """
    quota = award_rules(rules, award).quota
    winners: list[str] = []
    not_elected: list[str] = []
    ranked: list[tuple[tuple[Fraction, ...], str]] = []
    main_rank: dict[str, tuple[Fraction, ...]] = {}
    for candidate in candidates:
        yes = _passing_yes(vote, candidate.key, rules)
        if yes is None:
            not_elected.append(candidate.key)
            continue
        rank = (Fraction(-yes), -Fraction(candidate.total_score))
        main_rank[candidate.key] = rank
        if candidate.takes_quota_place:
            ranked.append((rank, candidate.key))
        else:
            winners.append(candidate.key)
    ranked.sort()
    elected, tied, out = _cut(ranked, quota)
    winners.extend(elected)
    not_elected.extend(out)
    places = quota - len(elected)
    rounds = [runoff] if isinstance(runoff, VoteResult) else list(runoff or [])
    runoff_order: dict[str, int] = {}
    for round_vote in rounds:
        if not tied:
            break
        ranked = []
        for key in tied:
            yes = _passing_yes(round_vote, key, rules)
            if yes is None:
                not_elected.append(key)
            else:
                ranked.append(((Fraction(-yes),), key))
        ranked.sort()
        elected, tied, out = _cut(ranked, places)
        runoff_order.update((key, len(runoff_order) + 1) for key in elected)
        winners.extend(elected)
        not_elected.extend(out)
        places -= len(elected)
    # Winners by the main vote's ranking, then runoff order, then key; the others in the
    # order the candidates were given.
    winners.sort(key=lambda key: (main_rank[key], runoff_order.get(key, 0), key))
    order = {candidate.key: index for index, candidate in enumerate(candidates)}
    return Selection(
        winners=winners,
        not_elected=sorted(not_elected, key=order.__getitem__),
        runoff=tied,
    )
