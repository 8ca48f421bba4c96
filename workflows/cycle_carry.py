"""What a cycle's run hands to the next at continue-as-new, and how the next takes it back.

The new run's input must stay small however large the cycle is (issue #11: no payload over
256 KB at 5,000 applications). Whatever the database already holds as last written is left
out of it and read back:

- the applications: each is written with its row (`applications.state`), so the new run
  reads them back a page at a time;
- each award's candidate list (§4(4)): every candidate's application holds its place on
  the list (`ApplicationState.candidate_rank`), so the list is rebuilt from the
  applications once they are back;
- the votes' ballots: every vote is written to `votes` when it is recorded, so the new run
  reads each one's ballots back by (award, round). The rest of a vote (round, present,
  series, reason, instant) is a few bytes and is carried.

What is carried (phase, timers, winners, runoffs, objections …) does not grow with the
number of applications. Plain functions of the state: no Temporal, no I/O.
"""

from __future__ import annotations

from contracts.cycle import ApplicationState, AwardResult, CycleState
from domain.committee import Ballot


def carried(state: CycleState) -> CycleState:
    """The state a new run starts from (its writes all done: the database holds them)."""
    results = {award: _without_records(r, state) for award, r in state.results.items()}
    return state.model_copy(
        update={
            "applications": {},
            "applications_in_database": True,
            "results": results,
            "results_in_database": bool(results),
        }
    )


def _without_records(result: AwardResult, state: CycleState) -> AwardResult:
    votes = [v.model_copy(update={"ballots": {}}) for v in result.votes]
    # A candidate list made before the applications held their places cannot be rebuilt.
    ranked = all(_rank(state.applications.get(c)) is not None for c in result.candidates)
    candidates = [] if ranked else result.candidates
    return result.model_copy(update={"candidates": candidates, "votes": votes})


def _rank(app: ApplicationState | None) -> int | None:
    return None if app is None else app.candidate_rank


def restore_candidates(state: CycleState) -> None:
    """Rebuild the candidate lists left out of the carried state, once the applications are
    back (a list that was carried is kept as it came)."""
    if not state.results_in_database:
        return
    ranked: dict[str, list[tuple[int, str]]] = {}
    for app in state.applications.values():
        if app.candidate_rank is not None:
            ranked.setdefault(app.award.value, []).append((app.candidate_rank, app.credit_code))
    for award, result in state.results.items():
        if not result.candidates:
            result.candidates = [code for _, code in sorted(ranked.get(award, []))]


def votes_to_restore(state: CycleState) -> list[tuple[str, int]]:
    """(award, round) of every vote whose ballots were left out."""
    if not state.results_in_database:
        return []
    return [(award, v.round) for award, r in state.results.items() for v in r.votes]


def restore_ballots(state: CycleState, award: str, round: int, ballots: dict[str, Ballot]) -> None:
    vote = next(v for v in state.results[award].votes if v.round == round)
    vote.ballots = ballots
