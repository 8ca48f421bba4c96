# ruff: noqa: RUF001, RUF100 -- Chinese messages use full-width punctuation on purpose.
"""Program rules: seed defaults, deep-merged overrides, errors naming the key (DESIGN §5.1)."""

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import pytest
from pydantic import ValidationError

from domain.rules import (
    Award,
    Industry,
    ProgramRules,
    RulesError,
    award_rules,
    default_rules,
    load_rules,
)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("quality.quota", 3),
        ("quality.reapply_after_years", 4),
        ("quality.validity_years", 5),
        ("innovation.quota", 3),
        ("innovation.reapply_after_years", 1),
        ("innovation.validity_years", None),
        ("panel.min_size", 3),
        ("scoring.allow_totals", True),
        ("scoring.weights.document", Fraction(2, 5)),
        ("scoring.weights.site", Fraction(3, 5)),
        ("shortlist.max_per_award", 6),
        ("shortlist.min_document_score", 0),
        ("committee.quorum", Fraction(2, 3)),
        ("committee.pass_ratio", Fraction(1, 2)),
        ("committee.min_total", 0),
        ("publicity.days", 7),
        ("bonus.quality_first", 200000),
        ("bonus.innovation_first", 50000),
        ("bonus.quality_after_innovation", 150000),
        ("bonus.repeat", 0),
        ("review.document_days", 20),
        ("review.site_days", 30),
        ("review.reminder_days_before", 2),
        ("review.spread_alert_points", 100),
        ("review.item_spread_alert", 30),
        ("scoring.normalise", False),
        ("honor.follow_up_days", 60),
        ("revocation.window_years", 2),
        ("eligibility.county", "庆元县"),
        ("eligibility.registered_years", 3),
        ("eligibility.excellence_years", 2),
        (
            "eligibility.exempt_industries",
            (Industry.DIGITAL_ECONOMY, Industry.LIFE_HEALTH, Industry.AGRICULTURE),
        ),
        ("eligibility.lookback_years", 3),
        ("eligibility.mu_grades_passing", ("A", "B")),
        ("honor.validity_expiring_months", 6),
    ],
)
def test_defaults_are_the_seed_values(path: str, expected: object) -> None:
    value: Any = default_rules()
    for part in path.split("."):
        value = getattr(value, part)
    assert value == expected


def test_default_rules_are_read_once() -> None:
    assert default_rules() is default_rules()


def test_override_is_deep_merged() -> None:
    rules = load_rules({"quality": {"quota": 5}, "committee": {"pass_ratio": 0.6}})
    assert rules.quality.quota == 5
    assert rules.quality.reapply_after_years == 4
    assert rules.committee.pass_ratio == Fraction(3, 5)
    assert rules.committee.quorum == Fraction(2, 3)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2/3", Fraction(2, 3)),
        (" 3/4 ", Fraction(3, 4)),
        ("0.75", Fraction(3, 4)),
        (0.7, Fraction(7, 10)),
        (1, Fraction(1)),
        (Fraction(5, 6), Fraction(5, 6)),
    ],
)
def test_quorum_accepts_fraction_text_decimals_and_numbers(
    value: object, expected: Fraction
) -> None:
    assert load_rules({"committee": {"quorum": value}}).committee.quorum == expected


@pytest.mark.parametrize(
    ("overrides", "key"),
    [
        ({"quality": {"quota": 0}}, "quality.quota"),
        ({"quality": {"quota": "three"}}, "quality.quota"),
        ({"quality": {"quotaa": 3}}, "quality.quotaa"),
        ({"prize": {}}, "prize"),
        ({"quality": 5}, "quality"),
        ({"scoring": {"weights": {"site": 0.5}}}, "scoring.weights"),
        ({"scoring": {"weights": {"document": -0.4, "site": 1.4}}}, "scoring.weights"),
        ({"committee": {"quorum": "abc"}}, "committee.quorum"),
        ({"committee": {"quorum": "1/0"}}, "committee.quorum"),
        ({"committee": {"quorum": True}}, "committee.quorum"),
        ({"committee": {"quorum": None}}, "committee.quorum"),
        ({"committee": {"quorum": 0}}, "committee"),
        ({"committee": {"quorum": "4/3"}}, "committee"),
        ({"committee": {"pass_ratio": 1}}, "committee"),
        ({"eligibility": {"exempt_industries": ["mining"]}}, "eligibility.exempt_industries.0"),
        ({"eligibility": {"mu_grades_passing": []}}, "eligibility.mu_grades_passing"),
        ({"publicity": {"days": 0}}, "publicity.days"),
    ],
)
def test_invalid_override_names_the_key(overrides: Mapping[str, Any], key: str) -> None:
    with pytest.raises(RulesError) as caught:
        load_rules(overrides)
    assert caught.value.key == key
    assert f"：{key}：" in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_override_that_is_not_a_mapping_is_refused() -> None:
    with pytest.raises(RulesError, match="键值映射"):
        load_rules([("quality", {})])  # type: ignore[arg-type]


def test_rules_round_trip_through_json_with_ratios_as_text(rules: ProgramRules) -> None:
    dumped = rules.model_dump(mode="json")
    assert dumped["committee"]["quorum"] == "2/3"
    assert dumped["scoring"]["weights"] == {"document": "2/5", "site": "3/5"}
    assert ProgramRules.model_validate_json(rules.model_dump_json()) == rules


def test_rules_are_frozen(rules: ProgramRules) -> None:
    with pytest.raises(ValidationError):
        rules.quality.quota = 4  # type: ignore[misc]


def test_rules_have_a_json_schema() -> None:
    schema = ProgramRules.model_json_schema()
    assert "committee" in schema["properties"]


@pytest.mark.parametrize(
    ("award", "reapply"), [(Award.QUALITY, 4), (Award.INNOVATION, 1), ("quality", 4)]
)
def test_award_rules_picks_the_section(rules: ProgramRules, award: Award, reapply: int) -> None:
    assert award_rules(rules, award).reapply_after_years == reapply
