"""Bonuses and honor dates (§5(1), §5(3), §6(3), §6(6); DESIGN 3.4)."""

from datetime import date

import pytest

from domain.awards import (
    HonorDates,
    bonus_cny,
    follow_up_dates,
    honor_dates,
    honor_status,
    incident_in_window,
)
from domain.eligibility import HeldHonor
from domain.rules import Award, ProgramRules, load_rules

QUAL, INNO = Award.QUALITY, Award.INNOVATION


def held(award: Award, *, revoked: bool = False) -> HeldHonor:
    return HeldHonor(award=award, year=2021, awarded_on=date(2021, 12, 1), revoked=revoked)


@pytest.mark.parametrize(
    ("award", "honors", "bonus"),
    [
        (QUAL, [], 200000),
        (QUAL, [held(INNO)], 150000),
        (QUAL, [held(INNO, revoked=True)], 200000),
        (QUAL, [held(QUAL)], 0),
        (QUAL, [held(QUAL), held(INNO)], 0),
        (QUAL, [held(QUAL, revoked=True)], 200000),
        (QUAL, [held(QUAL, revoked=True), held(INNO)], 150000),
        (INNO, [], 50000),
        (INNO, [held(INNO)], 0),
        (INNO, [held(INNO, revoked=True)], 50000),
        (INNO, [held(QUAL)], 50000),
    ],
)
def test_bonus(award: Award, honors: list[HeldHonor], bonus: int, rules: ProgramRules) -> None:
    assert bonus_cny(award, honors, rules) == bonus


def test_bonus_amounts_are_configurable() -> None:
    rules = load_rules({"bonus": {"repeat": 10000, "quality_first": 300000}})
    assert bonus_cny(QUAL, [], rules) == 300000
    assert bonus_cny(INNO, [held(INNO)], rules) == 10000


@pytest.mark.parametrize(
    ("award", "year", "awarded_on", "expected"),
    [
        (  # the example's bamboo
            QUAL,
            2025,
            date(2025, 11, 10),
            HonorDates(
                valid_until=date(2030, 11, 9),
                revocation_window_closes=date(2027, 11, 9),
                reapply_from=date(2029, 1, 1),
                validity_expiring_on=date(2030, 5, 10),
            ),
        ),
        (  # the example's shiitake
            INNO,
            2025,
            date(2025, 11, 10),
            HonorDates(
                valid_until=None,
                revocation_window_closes=date(2027, 11, 9),
                reapply_from=date(2026, 1, 1),
                validity_expiring_on=None,
            ),
        ),
        (  # awarded on 29 February
            QUAL,
            2023,
            date(2024, 2, 29),
            HonorDates(
                valid_until=date(2029, 2, 27),
                revocation_window_closes=date(2026, 2, 27),
                reapply_from=date(2027, 1, 1),
                validity_expiring_on=date(2028, 8, 28),
            ),
        ),
        (  # approved in the year after the cycle: reapplication counts from the cycle year
            QUAL,
            2025,
            date(2026, 1, 20),
            HonorDates(
                valid_until=date(2031, 1, 19),
                revocation_window_closes=date(2028, 1, 19),
                reapply_from=date(2029, 1, 1),
                validity_expiring_on=date(2030, 7, 20),
            ),
        ),
    ],
)
def test_honor_dates(
    award: Award, year: int, awarded_on: date, expected: HonorDates, rules: ProgramRules
) -> None:
    assert honor_dates(award, year, awarded_on, rules) == expected


def test_innovation_validity_can_be_configured() -> None:
    rules = load_rules({"innovation": {"validity_years": 3}})
    dates = honor_dates(INNO, 2025, date(2025, 11, 10), rules)
    assert dates.valid_until == date(2028, 11, 9)
    assert dates.validity_expiring_on == date(2028, 5, 10)


QUALITY_2025 = HonorDates(
    valid_until=date(2030, 11, 9),
    revocation_window_closes=date(2027, 11, 9),
    reapply_from=date(2029, 1, 1),
    validity_expiring_on=date(2030, 5, 10),
)
INNOVATION_2025 = QUALITY_2025.model_copy(update={"valid_until": None})


@pytest.mark.parametrize(
    ("dates", "revoked_on", "on", "status"),
    [
        (QUALITY_2025, None, date(2026, 1, 5), "active"),
        (QUALITY_2025, None, date(2030, 11, 9), "active"),
        (QUALITY_2025, None, date(2030, 11, 10), "expired"),
        (QUALITY_2025, date(2027, 3, 1), date(2027, 2, 28), "active"),
        (QUALITY_2025, date(2027, 3, 1), date(2027, 3, 1), "revoked"),
        (QUALITY_2025, date(2031, 3, 1), date(2031, 3, 1), "revoked"),  # fraud after expiry
        (INNOVATION_2025, None, date(2060, 1, 1), "active"),
    ],
)
def test_honor_status(dates: HonorDates, revoked_on: date | None, on: date, status: str) -> None:
    assert honor_status(dates, revoked_on, on) == status


@pytest.mark.parametrize(
    ("occurred_on", "inside"),
    [
        (date(2025, 11, 9), False),  # before the award
        (date(2025, 11, 10), True),
        (date(2027, 11, 9), True),  # the window's last day
        (date(2027, 11, 10), False),  # the day after
    ],
)
def test_incident_window(occurred_on: date, inside: bool, rules: ProgramRules) -> None:
    assert incident_in_window(occurred_on, date(2025, 11, 10), rules) is inside


def test_incident_window_from_29_february(rules: ProgramRules) -> None:
    assert incident_in_window(date(2026, 2, 27), date(2024, 2, 29), rules)
    assert not incident_in_window(date(2026, 2, 28), date(2024, 2, 29), rules)


@pytest.mark.parametrize(
    ("awarded_on", "valid_until", "expected"),
    [
        (
            date(2025, 11, 10),
            date(2030, 11, 9),
            [date(2026, 11, 10), date(2027, 11, 10), date(2028, 11, 10), date(2029, 11, 10)],
        ),
        (
            date(2024, 2, 29),
            date(2029, 2, 27),
            [date(2025, 2, 28), date(2026, 2, 28), date(2027, 2, 28), date(2028, 2, 29)],
        ),
        (date(2025, 11, 10), date(2026, 11, 10), [date(2026, 11, 10)]),
        (date(2025, 11, 10), date(2026, 11, 9), []),
        (date(2025, 11, 10), None, []),
    ],
)
def test_follow_up_dates(awarded_on: date, valid_until: date | None, expected: list[date]) -> None:
    assert follow_up_dates(awarded_on, valid_until) == expected
