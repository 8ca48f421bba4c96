# ruff: noqa: RUF001, RUF100 -- Chinese text uses full-width punctuation on purpose.
"""Why an application ended as it did, in sentences a clerk can read aloud (issue #18).

`explain` takes the figures that decided the outcome — the failed eligibility rules, the
scores and the application's place among its award's, the committee's tally, the quota —
and returns one sentence per deciding rule with its clause (`§3(1)6`, `§4(2)`, `§5(3)`).
It decides nothing: the workflow has decided; this restates the decision from the same
rules (`domain.committee.passes`, `domain.scoring.total_score`, `rules.shortlist`).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from domain.committee import Ballot, passes
from domain.phases import Outcome
from domain.rules import ProgramRules, award_rules
from domain.scoring import round_half_up
from domain.types import Award

__all__ = ["Because", "OutcomeFacts", "Tally", "explain"]


class Because(BaseModel):
    """One deciding rule: its clause and the sentence with the figures."""

    model_config = ConfigDict(frozen=True)

    clause: str
    text: str


class Tally(BaseModel):
    """The committee's count for this application in the vote that counted."""

    model_config = ConfigDict(frozen=True)

    present: int
    ballot: Ballot
    runoff: bool = False
    """The vote that decided was a runoff among tied candidates (§4(4))."""


class OutcomeFacts(BaseModel):
    """What the outcome was decided on (built by `services.explanations` from the records)."""

    model_config = ConfigDict(frozen=True)

    outcome: Outcome
    award: Award
    failed: list[Because] = Field(default_factory=list)
    """Eligibility rules not met, each with its clause and Chinese reason (§3(1), §5(3))."""
    document_score: float | None = None
    document_rank: int | None = None
    """Place among the award's applications by document score (1 = best)."""
    site_score: float | None = None
    total_score: float | None = None
    tally: Tally | None = None
    quota_rank: int | None = None
    """Place among the passing candidates that take a quota place (by yes votes, then total)."""
    takes_quota_place: bool = True
    cancel_reason: str | None = None


def _score(value: float | None) -> str:
    """A score to two decimals, half-up: a panel's mean of three is read aloud as 640.33."""
    return "—" if value is None else f"{round_half_up(value, 2):g}"


def _tally(t: Tally, rules: ProgramRules) -> str:
    ratio = rules.committee.pass_ratio
    b = t.ballot
    kind = "复议表决" if t.runoff else "表决"
    return (
        f"评委会{kind}到会委员{t.present}名，赞成{b.yes}票、反对{b.no}票、弃权{b.abstain}票；"
        f"通过须赞成票超过到会委员的{ratio.numerator}/{ratio.denominator}"
        f"（{float(ratio * t.present):g}票）"
    )


def _shortlist(f: OutcomeFacts, rules: ProgramRules) -> list[Because]:
    section = rules.shortlist
    score = f"资料评审得分{_score(f.document_score)}分"
    if f.document_score is not None and f.document_score < section.min_document_score:
        text = f"{score}，低于进入现场评审的最低分{section.min_document_score:g}分"
    elif f.document_rank is not None and f.document_rank > section.max_per_award:
        most = section.max_per_award
        text = f"{score}，在本奖项中排第{f.document_rank}名，每个奖项至多{most}家进入现场评审"
    else:
        text = f"{score}，评审办确定的现场评审名单未列入"
    return [Because(clause="§4(2)", text=text + "；已收到资料评审反馈")]


def _candidate(f: OutcomeFacts, rules: ProgramRules) -> list[Because]:
    w = rules.scoring.weights
    return [
        Because(
            clause="§4(4)",
            text=(
                f"总分{_score(f.total_score)}分（资料评审{_score(f.document_score)}×{float(w.document):g}"
                f" + 现场评审{_score(f.site_score)}×{float(w.site):g}），"
                f"低于候选的最低总分{rules.committee.min_total:g}分"
            ),
        )
    ]


def _vote(f: OutcomeFacts, rules: ProgramRules) -> list[Because]:
    if f.tally is None:
        return []
    quota = award_rules(rules, f.award).quota
    counted = _tally(f.tally, rules)
    if not passes(f.tally.ballot, f.tally.present, rules):
        return [Because(clause="§4(4)", text=counted + "，未获通过")]
    reasons = [Because(clause="§4(4)", text=counted + "，获得通过")]
    if not f.takes_quota_place:
        reasons.append(Because(clause="§5(3)", text="曾获质量奖的组织再次获奖，不占本届质量奖名额"))
    elif f.quota_rank is not None:
        place = f"按赞成票数、再按总分（{_score(f.total_score)}分）排在第{f.quota_rank}位"
        if f.outcome == Outcome.NOT_ELECTED:
            reasons.append(Because(clause="§5(3)", text=f"{place}，本奖项名额{quota}个已满"))
        else:
            reasons.append(Because(clause="§5(3)", text=f"{place}，在本奖项{quota}个名额之内"))
    return reasons


def explain(f: OutcomeFacts, rules: ProgramRules) -> list[Because]:
    """The deciding rules of `f.outcome`, in the order they applied."""
    match f.outcome:
        case Outcome.INELIGIBLE:
            return list(f.failed)
        case Outcome.NOT_SHORTLISTED:
            return _shortlist(f, rules)
        case Outcome.NOT_CANDIDATE:
            return _candidate(f, rules)
        case Outcome.NOT_ELECTED:
            return _vote(f, rules)
        case Outcome.REMOVED_AFTER_PUBLICITY:
            return [
                Because(
                    clause="§4(5)",
                    text="公示期间的异议经调查属实，评委会审查后决定取消其获奖资格",
                )
            ]
        case Outcome.NOT_APPROVED:
            return [Because(clause="§4(6)", text="县政府审定时未予批准")]
        case Outcome.AWARDED:
            return [
                *_vote(f, rules),
                Because(clause="§4(6)", text="经社会公示无异议（或异议不成立），县政府审定批准"),
            ]
        case Outcome.WITHDRAWN:
            return [Because(clause="§3(2)", text="申报组织撤回了申报")]
        case Outcome.CANCELLED:
            return [Because(clause="§1(2)", text=f"评审周期已取消：{f.cancel_reason or '—'}")]
        case _:
            return []
