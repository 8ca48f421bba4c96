"""Each outcome restated with the rule, clause and figures that decided it (issue #18)."""

from __future__ import annotations

import pytest

from domain.committee import Ballot
from domain.explain import Because, OutcomeFacts, Tally, explain
from domain.phases import Outcome
from domain.rules import default_rules, load_rules
from domain.types import Award

RULES = default_rules()


def facts(outcome: Outcome, **figures: object) -> OutcomeFacts:
    return OutcomeFacts.model_validate({"outcome": outcome, "award": Award.QUALITY, **figures})


def tally(yes: int, no: int = 0, abstain: int = 0, present: int = 9, runoff: bool = False) -> Tally:
    return Tally(present=present, ballot=Ballot(yes=yes, no=no, abstain=abstain), runoff=runoff)


def test_ineligible_lists_every_failed_rule_with_its_clause() -> None:
    failed = [Because(clause="§3(1)6", text="工业企业上年度“亩均效益”综合评价未达到B类及以上")]
    assert explain(facts(Outcome.INELIGIBLE, failed=failed), RULES) == failed


@pytest.mark.parametrize(
    ("score", "rank", "rules", "expected"),
    [
        (420.0, 2, {"shortlist": {"min_document_score": 500}},
         "资料评审得分420分，低于进入现场评审的最低分500分"),
        (610.0, 7, {}, "资料评审得分610分，在本奖项中排第7名，每个奖项至多6家进入现场评审"),
        (650.0, 2, {}, "资料评审得分650分，评审办确定的现场评审名单未列入"),
        (1921 / 3, 2, {}, "资料评审得分640.33分，评审办确定的现场评审名单未列入"),
        (None, None, {}, "资料评审得分—分，评审办确定的现场评审名单未列入"),
    ],
)  # fmt: skip
def test_not_shortlisted_says_which_shortlist_rule(
    score: float | None, rank: int | None, rules: dict[str, object], expected: str
) -> None:
    found = explain(
        facts(Outcome.NOT_SHORTLISTED, document_score=score, document_rank=rank), load_rules(rules)
    )
    assert found == [Because(clause="§4(2)", text=expected + "；已收到资料评审反馈")]


def test_not_a_candidate_shows_how_the_total_was_made() -> None:
    rules = load_rules({"committee": {"min_total": 600}})
    found = explain(
        facts(Outcome.NOT_CANDIDATE, document_score=500, site_score=600, total_score=560), rules
    )
    assert found == [
        Because(
            clause="§4(4)",
            text="总分560分（资料评审500×0.4 + 现场评审600×0.6），低于候选的最低总分600分",
        )
    ]


def test_not_elected_by_the_vote() -> None:
    found = explain(facts(Outcome.NOT_ELECTED, tally=tally(4, 3, 2)), RULES)
    assert found == [
        Because(
            clause="§4(4)",
            text="评委会表决到会委员9名，赞成4票、反对3票、弃权2票；"
            "通过须赞成票超过到会委员的1/2（4.5票），未获通过",
        )
    ]


def test_passed_but_the_quota_was_full() -> None:
    found = explain(
        facts(Outcome.NOT_ELECTED, tally=tally(6), quota_rank=4, total_score=671.5), RULES
    )
    assert [b.clause for b in found] == ["§4(4)", "§5(3)"]
    assert found[0].text.endswith("获得通过")
    assert found[1].text == "按赞成票数、再按总分（671.5分）排在第4位，本奖项名额3个已满"


def test_a_runoff_is_named_as_such() -> None:
    found = explain(facts(Outcome.NOT_ELECTED, tally=tally(3, present=8, runoff=True)), RULES)
    assert found[0].text.startswith("评委会复议表决到会委员8名")
    assert found[0].text.endswith("（4票），未获通过")


def test_awarded_within_the_quota_then_approved() -> None:
    found = explain(facts(Outcome.AWARDED, tally=tally(8, 1), quota_rank=1, total_score=700), RULES)
    assert [b.clause for b in found] == ["§4(4)", "§5(3)", "§4(6)"]
    assert found[1].text == "按赞成票数、再按总分（700分）排在第1位，在本奖项3个名额之内"


def test_a_repeat_quality_winner_takes_no_place() -> None:
    found = explain(facts(Outcome.AWARDED, tally=tally(8), takes_quota_place=False), RULES)
    assert found[1] == Because(clause="§5(3)", text="曾获质量奖的组织再次获奖，不占本届质量奖名额")


def test_an_outcome_without_a_recorded_tally_or_place_says_what_it_can() -> None:
    assert explain(facts(Outcome.NOT_ELECTED), RULES) == []
    found = explain(facts(Outcome.AWARDED, tally=tally(8)), RULES)
    assert [b.clause for b in found] == ["§4(4)", "§4(6)"]


@pytest.mark.parametrize(
    ("outcome", "clause", "text"),
    [
        (Outcome.REMOVED_AFTER_PUBLICITY, "§4(5)",
         "公示期间的异议经调查属实，评委会审查后决定取消其获奖资格"),
        (Outcome.NOT_APPROVED, "§4(6)", "县政府审定时未予批准"),
        (Outcome.WITHDRAWN, "§3(2)", "申报组织撤回了申报"),
        (Outcome.CANCELLED, "§1(2)", "评审周期已取消：—"),
    ],
)  # fmt: skip
def test_the_other_outcomes(outcome: Outcome, clause: str, text: str) -> None:
    assert explain(facts(outcome), RULES) == [Because(clause=clause, text=text)]


def test_a_cancellation_gives_its_reason_and_pending_has_none_yet() -> None:
    found = explain(facts(Outcome.CANCELLED, cancel_reason="申报不足"), RULES)
    assert found[0].text == "评审周期已取消：申报不足"
    assert explain(facts(Outcome.PENDING), RULES) == []
