"""Bonuses and honor dates (§5(1), §5(3), §6(2), §6(3), §6(6); DESIGN.md 3.4)."""

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict

from domain.dates import add_months, add_years, period_last_day
from domain.eligibility import HeldHonor, is_repeat_winner
from domain.rules import ProgramRules, award_rules
from domain.types import Award

__all__ = [
    "HonorDates",
    "HonorStatus",
    "bonus_cny",
    "follow_up_dates",
    "honor_dates",
    "honor_status",
    "incident_in_window",
]

HonorStatus = Literal["active", "expired", "revoked"]


def bonus_cny(award: Award, held_honors: Sequence[HeldHonor], rules: ProgramRules) -> int:
    """Bonus for winning `award` given the honors already held (§5(1), §5(3)).

    First Quality Award 200,000; Quality Award while holding an Innovation Award 150,000;
    first Innovation Award 50,000; a repeat of the same award 0. Revoked honors do not count.
    `held_honors` must not include the honor being awarded.
    """
    bonus = rules.bonus
    if is_repeat_winner(award, held_honors):
        return bonus.repeat
    if award == Award.INNOVATION:
        return bonus.innovation_first
    if is_repeat_winner(Award.INNOVATION, held_honors):
        return bonus.quality_after_innovation
    return bonus.quality_first


class HonorDates(BaseModel):
    """The dates an honor's workflow keeps timers for."""

    model_config = ConfigDict(frozen=True)

    valid_until: date | None
    revocation_window_closes: date
    reapply_from: date
    validity_expiring_on: date | None


def honor_dates(award: Award, year: int, awarded_on: date, rules: ProgramRules) -> HonorDates:
    """Validity (§5(3)), revocation window (§6(6)), reapplication (E8) and expiry notice dates.

    A period of N years from `awarded_on` ends on awarded_on + N years - 1 day.
    """
    section = award_rules(rules, award)
    valid_until = (
        None
        if section.validity_years is None
        else period_last_day(awarded_on, section.validity_years)
    )
    expiring_on = (
        None
        if valid_until is None
        else add_months(valid_until + timedelta(days=1), -rules.honor.validity_expiring_months)
    )
    return HonorDates(
        valid_until=valid_until,
        revocation_window_closes=period_last_day(awarded_on, rules.revocation.window_years),
        reapply_from=date(year + section.reapply_after_years, 1, 1),
        validity_expiring_on=expiring_on,
    )


def honor_status(dates: HonorDates, revoked_on: date | None, on: date) -> HonorStatus:
    """Status on `on`: revoked from the approval date, expired from the day after validity."""
    if revoked_on is not None and revoked_on <= on:
        return "revoked"
    if dates.valid_until is not None and on > dates.valid_until:
        return "expired"
    return "active"


def incident_in_window(occurred_on: date, awarded_on: date, rules: ProgramRules) -> bool:
    """§6(6): only an incident in the 2 years starting on `awarded_on` can lead to revocation."""
    return awarded_on <= occurred_on <= period_last_day(awarded_on, rules.revocation.window_years)


def follow_up_dates(awarded_on: date, valid_until: date | None) -> list[date]:
    """Anniversaries of the award within its validity: follow-up reports (§2(3)4, §6(3)).

    An honor without expiry (the Innovation Award) has no scheduled follow-ups.
    """
    if valid_until is None:
        return []
    dates: list[date] = []
    years = 1
    while (anniversary := add_years(awarded_on, years)) <= valid_until:
        dates.append(anniversary)
        years += 1
    return dates
