"""The figures behind an application's outcome, read from the records, for `domain.explain`.

The application's place among its award's by document score (for the shortlist, §4(2)),
its tally in the vote that counted (the latest series' main vote, or the runoff it was
decided in, §4(4)) and its place among the passing candidates that take a quota place
(§5(3)). Reading is the caller's business (the request's session); who may read it is the
application's own visibility (`services.views.application`).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Vote
from db.repositories import applications as application_rows
from db.repositories import cycles
from domain.committee import Ballot, passes
from domain.explain import Because, OutcomeFacts, Tally, explain
from domain.phases import Outcome
from domain.rules import ProgramRules
from domain.types import Award
from services.views import ApplicationRow


def _rank(code: str, scores: dict[str, float]) -> int | None:
    """1-based place by score descending, then key (the shortlist's own order)."""
    if code not in scores:
        return None
    ranked = sorted(scores, key=lambda key: (-scores[key], key))
    return ranked.index(code) + 1


def _counted(votes: Sequence[Vote], award: str, code: str) -> Tally | None:
    """The latest series' tally for `code`: its runoff if it went to one, else the main vote."""
    mine = [v for v in votes if v.award == award and code in v.ballots]
    if not mine:
        return None
    series = max(v.series for v in mine)
    latest = max((v for v in mine if v.series == series), key=lambda v: v.round)
    return Tally(
        present=latest.present,
        ballot=Ballot.model_validate(latest.ballots[code]),
        runoff=latest.round > 1,
    )


def _series(vote: Vote) -> int:
    return vote.series


def _quota_rank(
    code: str,
    award: str,
    peers: Sequence[tuple[str, float | None, float | None, bool]],
    votes: Sequence[Vote],
    rules: ProgramRules,
) -> int | None:
    """Place among the passing quota-takers of the main vote, by yes votes then total."""
    counted: dict[str, Vote] = {}  # each candidate's main vote in its latest series
    for vote in sorted((v for v in votes if v.award == award and v.round == 1), key=_series):
        counted.update(dict.fromkeys(vote.ballots, vote))
    ranked = []
    verdicts: dict[tuple[int, int], bool] = {}  # `passes` by (yes, present): 500 peers, few pairs
    for key, _, total, takes_place in peers:
        if key not in counted or not takes_place:
            continue
        ballot = counted[key].ballots[key]  # as stored: a validated Ballot's dump
        pair = (int(ballot["yes"]), counted[key].present)
        if pair not in verdicts:
            verdicts[pair] = passes(Ballot.model_validate(ballot), pair[1], rules)
        if verdicts[pair]:
            ranked.append((-pair[0], -(total or 0.0), key))
    order = [key for *_, key in sorted(ranked)]
    return order.index(code) + 1 if code in order else None


async def explanation(session: AsyncSession, row: ApplicationRow) -> list[Because]:
    """Why `row` ended as it did (empty while it is still pending)."""
    app, cycle = row.application, row.cycle
    outcome = Outcome(app.outcome)
    if outcome == Outcome.PENDING:
        return []
    rules = ProgramRules.model_validate(cycle.rules)
    peers = await session.run_sync(application_rows.outcome_peers, cycle.id, app.award)
    code = row.organization.credit_code
    votes = await session.run_sync(cycles.votes, cycle.id, app.award)
    documents = {key: score for key, score, _, _ in peers if score is not None}
    state = app.state or {}
    facts = OutcomeFacts(
        outcome=outcome,
        award=Award(app.award),
        failed=[
            Because(clause=r.get("clause", ""), text=r.get("message", "")) for r in app.reasons
        ],
        document_score=app.document_score,
        document_rank=_rank(code, documents),
        site_score=app.site_score,
        total_score=app.total_score,
        tally=_counted(votes, app.award, code),
        quota_rank=_quota_rank(code, app.award, peers, votes, rules),
        takes_quota_place=bool(state.get("takes_quota_place", True)),
        cancel_reason=cycle.cancel_reason,
    )
    return explain(facts, rules)
