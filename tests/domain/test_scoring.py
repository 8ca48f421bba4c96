"""GB/T 19580-2012 rubric, stage and total scores, shortlist (§1(4), §4(2), §4(4); DESIGN 3.2)."""

import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from domain.errors import DomainError, ErrorCode
from domain.rules import Award, ProgramRules, load_rules
from domain.scoring import (
    Rubric,
    check_comment_categories,
    item_total,
    recommend_shortlist,
    round_half_up,
    rubric,
    stage_score,
    total_score,
    validate_total,
)

CODES = list(rubric().points)


def all_items(percent: int, **overrides: int) -> dict[str, int]:
    items = dict.fromkeys(CODES, percent)
    items.update({code.replace("_", "."): value for code, value in overrides.items()})
    return items


def test_rubric_has_23_items_worth_1000_points() -> None:
    book = rubric()
    assert len(book.items) == 23
    assert CODES[0] == "4.1.2"
    assert CODES[-1] == "4.7.7"
    assert sum(book.points.values()) == book.total == 1000
    assert {c.code: c.points for c in book.categories} == {
        "4.1": 110,
        "4.2": 90,
        "4.3": 90,
        "4.4": 130,
        "4.5": 100,
        "4.6": 80,
        "4.7": 400,
    }
    assert book.items[0].name == "高层领导的作用"
    assert rubric() is book


def _rubric_data(**changes: Any) -> dict[str, Any]:
    data = rubric().model_dump()
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"total": 999}, "总分"),
        (
            {"categories": [{"code": "4.1", "name": "领导", "points": 110}]},
            "类目 4.2 不存在",
        ),
        (
            {
                "categories": [{"code": "4.1", "name": "领导", "points": 100}],
                "items": [{"code": "4.1.2", "category": "4.1", "name": "x", "points": 50}],
                "total": 100,
            },
            "类目 4.1 的分值",
        ),
        (
            {
                "categories": [{"code": "4.1", "name": "领导", "points": 100}],
                "items": [{"code": "4.1.2", "category": "4.1", "name": "x", "points": 50}] * 2,
                "total": 100,
            },
            "重复",
        ),
    ],
)
def test_rubric_refuses_points_that_do_not_add_up(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Rubric.model_validate(_rubric_data(**changes))


@pytest.mark.parametrize(
    ("items", "total"),
    [
        (all_items(100), 1000.0),
        (all_items(0), 0.0),
        (all_items(50), 500.0),
        (all_items(0, **{"4_4_3": 35}), 5.25),  # 15 points x 35 %
        (all_items(60, **{"4_1_2": 65}), 602.5),
    ],
)
def test_item_total(items: dict[str, int], total: float) -> None:
    assert item_total(items) == total


@pytest.mark.parametrize(
    ("items", "detail"),
    [
        (all_items(50) | {"4.8.1": 50}, "未知的评分项 4.8.1"),
        ({code: 50 for code in CODES if code != "4.7.7"}, "缺少评分项 4.7.7"),
        (all_items(50, **{"4_1_2": 52}), "4.1.2"),
        (all_items(50, **{"4_1_3": 105}), "4.1.3"),
        (all_items(50, **{"4_1_4": -5}), "4.1.4"),
        (all_items(50) | {"4.2.2": True}, "4.2.2"),
        (all_items(50) | {"4.2.3": 50.0}, "4.2.3"),
    ],
)
def test_item_total_refuses_bad_items(items: dict[str, Any], detail: str) -> None:
    with pytest.raises(DomainError) as caught:
        item_total(items)
    assert caught.value.code is ErrorCode.INVALID_SCORE
    assert detail in caught.value.message


@pytest.mark.parametrize("points", [0, 620, 1000, 999.5])
def test_validate_total_accepts_0_to_1000(points: float, rules: ProgramRules) -> None:
    assert validate_total(points, rules) == points


@pytest.mark.parametrize("points", [-1, 1000.5, math.nan, math.inf, True, "600"])
def test_validate_total_refuses_out_of_range(points: Any, rules: ProgramRules) -> None:
    with pytest.raises(DomainError) as caught:
        validate_total(points, rules)
    assert caught.value.code is ErrorCode.INVALID_SCORE


def test_totals_refused_when_program_requires_items() -> None:
    rules = load_rules({"scoring": {"allow_totals": False}})
    with pytest.raises(DomainError, match="逐项评分"):
        validate_total(600, rules)


@pytest.mark.parametrize(
    ("totals", "consensus", "score"),
    [
        ([640, 660, 650], None, 650.0),  # example: bamboo document stage
        ([680, 700, 690], None, 690.0),
        ([560, 580, 570], None, 570.0),
        ([600, 590, 610], None, 600.0),
        ([600, 610, 620], None, 610.0),
        ([600, 601, 601], None, 1802 / 3),
        ([640, 660, 650], 615, 615.0),
        ([], 615.5, 615.5),
    ],
)
def test_stage_score(totals: list[float], consensus: float | None, score: float) -> None:
    assert stage_score(totals, consensus) == score


def test_stage_score_without_scores_is_incomplete() -> None:
    with pytest.raises(DomainError) as caught:
        stage_score([], None)
    assert caught.value.code is ErrorCode.REVIEWS_INCOMPLETE


@pytest.mark.parametrize(("totals", "consensus"), [([], 1001), ([600, -1], None)])
def test_stage_score_refuses_out_of_range(totals: list[float], consensus: float | None) -> None:
    with pytest.raises(DomainError) as caught:
        stage_score(totals, consensus)
    assert caught.value.code is ErrorCode.INVALID_SCORE


@given(st.lists(st.floats(min_value=0, max_value=1000), min_size=1, max_size=12))
def test_stage_score_stays_within_0_to_1000(totals: list[float]) -> None:
    score = stage_score(totals, None)
    assert 0 <= score <= 1000
    assert min(totals) <= score <= max(totals)


@pytest.mark.parametrize(
    ("document", "site", "total"),
    [(650, 690, 674.0), (570, 600, 588.0), (0, 0, 0.0), (1000, 1000, 1000.0)],
)
def test_total_score_weights_document_40_site_60(
    document: float, site: float, total: float, rules: ProgramRules
) -> None:
    assert total_score(document, site, rules) == total


def test_total_score_weights_are_configurable() -> None:
    rules = load_rules({"scoring": {"weights": {"document": "1/2", "site": "1/2"}}})
    assert total_score(650, 690, rules) == 670.0


@pytest.mark.parametrize(
    ("x", "places", "rounded"),
    [
        (674.05, 1, 674.1),
        (0.25, 1, 0.3),
        (-0.25, 1, -0.3),
        (2.675, 2, 2.68),
        (1802 / 3, 1, 600.7),
        (603.3333, 1, 603.3),
        (674.0, 1, 674.0),
        (12.5, 0, 13.0),
    ],
)
def test_round_half_up(x: float, places: int, rounded: float) -> None:
    assert round_half_up(x, places) == rounded


def test_shortlist_recommendation_of_the_example(rules: ProgramRules) -> None:
    candidates = [
        ("bamboo", Award.QUALITY, 650.0),
        ("shiitake", Award.INNOVATION, 570.0),
        ("tea", Award.INNOVATION, 610.0),
    ]
    assert recommend_shortlist(candidates, rules) == ["bamboo", "tea", "shiitake"]


def test_shortlist_cut_at_max_per_award_breaks_ties_by_key(rules: ProgramRules) -> None:
    scores = {"a": 700, "b": 690, "c": 680, "d": 670, "e": 660, "g": 650, "f": 650, "h": 640}
    candidates = [(key, Award.QUALITY, score) for key, score in scores.items()]
    candidates.append(("z", Award.INNOVATION, 500))
    assert recommend_shortlist(candidates, rules) == ["a", "b", "c", "d", "e", "f", "z"]


def test_shortlist_minimum_document_score() -> None:
    rules = load_rules({"shortlist": {"min_document_score": 600, "max_per_award": 2}})
    candidates = [(1, Award.QUALITY, 599.9), (2, Award.QUALITY, 600.0), (3, "quality", 800)]
    assert recommend_shortlist(candidates, rules) == [3, 2]  # type: ignore[arg-type]


def test_comments_are_given_per_rubric_category() -> None:
    check_comment_categories(["4.1", "4.7"])
    check_comment_categories([])
    with pytest.raises(DomainError) as caught:
        check_comment_categories(["4.1", "4.1.2", "5"])
    assert caught.value.code == ErrorCode.INVALID_SCORE
    assert "4.1.2, 5" in caught.value.message
