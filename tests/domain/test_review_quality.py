"""Spread flags at their boundaries and the normalisation on a hand-computed example (§6(1))."""

from __future__ import annotations

import math

import pytest

from domain.review_quality import leniency, normalised_scores, panel_spread
from domain.rules import ProgramRules, load_rules


@pytest.mark.parametrize(
    ("totals", "flagged"),
    [
        ([600, 700], False),  # exactly 100 apart: not *more than* 100
        ([600, 700.5], True),
        ([600, 650, 700], False),
        ([600, 650, 701], True),
        ([600], False),  # one score: no spread yet
        ([], False),
    ],
)
def test_total_spread_boundary(totals: list[float], flagged: bool, rules: ProgramRules) -> None:
    spread = panel_spread(totals, [], rules)
    assert spread.flagged is flagged
    assert spread.total_spread == (max(totals) - min(totals) if len(totals) >= 2 else None)
    assert (len(spread.reasons) == 1) is flagged


@pytest.mark.parametrize(
    ("second", "flagged"),
    [(90, False), (95, True), (30, False)],  # 60 → 90 is 30 points: not more than 30
)
def test_item_spread_boundary(second: int, flagged: bool, rules: ProgramRules) -> None:
    items = [{"4.1.2": 60, "4.1.3": 50}, {"4.1.2": second, "4.1.3": 50}]
    spread = panel_spread([600, 610], items, rules)
    assert spread.flagged is flagged
    assert spread.item_spread == abs(second - 60)
    assert spread.widest_item == ("4.1.2" if second != 60 else None)


def test_item_spread_ignores_items_one_reviewer_gave(rules: ProgramRules) -> None:
    spread = panel_spread([600, 600], [{"4.1.2": 0}, {"4.1.3": 100}], rules)
    assert (spread.item_spread, spread.widest_item, spread.flagged) == (None, None, False)


def test_one_itemised_score_has_no_item_spread(rules: ProgramRules) -> None:
    assert panel_spread([600, 600], [{"4.1.2": 0}], rules).item_spread is None


def test_limits_come_from_the_program_rules() -> None:
    strict = load_rules({"review": {"spread_alert_points": 10, "item_spread_alert": 0}})
    spread = panel_spread([600, 611], [{"4.1.2": 60}, {"4.1.2": 65}], strict)
    assert spread.flagged
    assert len(spread.reasons) == 2


def test_both_limits_flag_together(rules: ProgramRules) -> None:
    spread = panel_spread([500, 700], [{"4.1.2": 0}, {"4.1.2": 100}], rules)
    assert spread.reasons[0].startswith("评审组总分相差200分")
    assert "4.1.2" in spread.reasons[1]


# Hand-computed example. Reviewer R scored A 600, B 700; S scored A 500, B 700 … see below.
SCORES = {
    "A": {"R": 600.0, "S": 500.0},
    "B": {"R": 700.0, "S": 700.0},
    "C": {"T": 650.0},
}


def test_leniency_is_the_mean_deviation_from_panel_means() -> None:
    # A's mean 550: R +50, S −50; B's mean 700: both 0; C has one score, says nothing.
    assert leniency(SCORES) == {"R": (25.0, 2), "S": (-25.0, 2)}


def test_normalised_scores_by_hand() -> None:
    # Stage: 600, 500, 700, 700, 650 → mean 630, population sd √5600 = 74.833….
    # R: mean 650, sd 50 → A z = −1, B z = +1. S: mean 600, sd 100 → A −1, B +1.
    # T has one score: kept as 650.
    # A = 630 − 74.833 = 555.167; B = 630 + 74.833 = 704.833; C = 650.
    sd = math.sqrt(5600)
    found = normalised_scores(SCORES)
    assert found["A"] == pytest.approx(630 - sd)
    assert found["B"] == pytest.approx(630 + sd)
    assert found["C"] == 650.0


def test_a_reviewer_with_equal_totals_is_kept_as_given() -> None:
    found = normalised_scores({"A": {"R": 600.0}, "B": {"R": 600.0, "S": 700.0}})
    # R cannot be standardised (sd 0): 600 twice. S has one score: 700. B = 650.
    assert found == {"A": 600.0, "B": 650.0}


def test_normalised_scores_stay_within_the_scale() -> None:
    found = normalised_scores(
        {"A": {"R": 1000.0}, "B": {"R": 0.0}, "C": {"S": 1000.0, "T": 1000.0}, "D": {"S": 0.0}}
    )
    assert all(0.0 <= v <= 1000.0 for v in found.values())
    assert found["C"] == 1000.0


def test_nothing_to_normalise() -> None:
    assert normalised_scores({}) == {}
    assert normalised_scores({"A": {}}) == {}
    assert normalised_scores({"A": {"R": 600.0}, "B": {}}) == {"A": 600.0}
