"""The example 2025 cycle (shared/scenarios/example-2025-cycle.*): its numbers and dates."""

from datetime import date, datetime

import pytest

from domain.awards import bonus_cny, honor_dates, honor_status
from domain.committee import (
    Ballot,
    Candidate,
    VoteResult,
    candidates_for_award,
    select_winners,
    takes_quota_place,
    validate_vote,
)
from domain.credit_code import is_valid_credit_code
from domain.dates import SHANGHAI, end_of_day
from domain.eligibility import OrganizationFacts, RecordEntry, evaluate_eligibility
from domain.errors import ErrorCode
from domain.publicity import objection_open, publicity_closes
from domain.rules import Award, Industry, ProgramRules, RecordKind
from domain.scoring import round_half_up, stage_score, total_score

DEADLINE = date(2025, 5, 15)
ORGANIZATIONS = {
    "shiitake": OrganizationFacts(
        county="庆元县",
        registered_on=date(2009, 8, 18),
        industry=Industry.AGRICULTURE,
        industrial=False,
        excellence_since=None,
        mu_efficiency={},
        record=[],
    ),
    "bamboo": OrganizationFacts(
        county="庆元县",
        registered_on=date(2012, 3, 1),
        industry=Industry.MANUFACTURING,
        industrial=True,
        excellence_since=date(2019, 5, 1),
        mu_efficiency={2023: "B", 2024: "A"},
        record=[],
    ),
    "bridge": OrganizationFacts(
        county="庆元县",
        registered_on=date(2016, 1, 10),
        industry=Industry.CONSTRUCTION,
        industrial=False,
        excellence_since=date(2021, 1, 1),
        mu_efficiency={},
        record=[RecordEntry(on=date(2024, 9, 3), kind=RecordKind.SERIOUS_VIOLATION)],
    ),
    "tea": OrganizationFacts(
        county="庆元县",
        registered_on=date(2014, 7, 7),
        industry=Industry.SERVICES,
        industrial=False,
        excellence_since=date(2020, 3, 1),
        mu_efficiency={},
        record=[],
    ),
}
AWARDS = {
    "bamboo": Award.QUALITY,
    "bridge": Award.QUALITY,
    "shiitake": Award.INNOVATION,
    "tea": Award.INNOVATION,
}


@pytest.mark.parametrize(
    ("key", "reasons"),
    [("bamboo", []), ("bridge", [ErrorCode.SERIOUS_VIOLATION]), ("shiitake", []), ("tea", [])],
)
def test_qualification(key: str, reasons: list[ErrorCode], rules: ProgramRules) -> None:
    failures = evaluate_eligibility(ORGANIZATIONS[key], AWARDS[key], 2025, DEADLINE, [], [], rules)
    assert [failure.reason for failure in failures] == reasons


@pytest.mark.parametrize(
    "code",
    ["91331126MA0000501X", "91331126MA00005021", "91331126MA00005034", "91331126MA00005047"],
)
def test_credit_codes_are_valid(code: str) -> None:
    assert is_valid_credit_code(code)


@pytest.mark.parametrize(
    ("document", "site", "scores"),
    [
        ([640, 660, 650], [680, 700, 690], (650.0, 690.0, 674.0)),  # bamboo
        ([560, 580, 570], [600, 590, 610], (570.0, 600.0, 588.0)),  # shiitake
        ([600, 610, 620], None, (610.0, None, None)),  # tea, not shortlisted
    ],
)
def test_scores(
    document: list[float],
    site: list[float] | None,
    scores: tuple[float, float | None, float | None],
    rules: ProgramRules,
) -> None:
    document_score = stage_score(document, None)
    site_score = None if site is None else stage_score(site, None)
    total = None if site_score is None else total_score(document_score, site_score, rules)
    displayed = tuple(
        None if s is None else round_half_up(s) for s in (document_score, site_score, total)
    )
    assert displayed == scores


def test_votes_and_winners(rules: ProgramRules) -> None:
    for award, key, total, yes in [
        (Award.QUALITY, "bamboo", 674.0, 7),
        (Award.INNOVATION, "shiitake", 588.0, 6),
    ]:
        keys = candidates_for_award({key: total}, rules)
        result = VoteResult(present=7, ballots={key: Ballot(yes=yes, no=7 - yes, abstain=0)})
        validate_vote(result, 9, keys, rules)
        place = takes_quota_place(award, [])
        candidate = Candidate(
            key=key, total_score=total, repeat_winner=False, takes_quota_place=place
        )
        assert select_winners(award, [candidate], result, rules).winners == [key]


def test_publicity(rules: ProgramRules) -> None:
    opens = datetime(2025, 10, 20, 15, 30, tzinfo=SHANGHAI)
    closes = publicity_closes(opens, rules)
    assert closes.isoformat() == "2025-10-27T00:00:00+08:00"
    assert closes == end_of_day(date(2025, 10, 26))
    assert objection_open(datetime(2025, 10, 24, tzinfo=SHANGHAI), opens, closes)


@pytest.mark.parametrize(
    ("award", "bonus", "valid_until", "reapply_from"),
    [
        (Award.QUALITY, 200000, date(2030, 11, 9), date(2029, 1, 1)),
        (Award.INNOVATION, 50000, None, date(2026, 1, 1)),
    ],
)
def test_honors(
    award: Award,
    bonus: int,
    valid_until: date | None,
    reapply_from: date,
    rules: ProgramRules,
) -> None:
    dates = honor_dates(award, 2025, date(2025, 11, 10), rules)
    assert bonus_cny(award, [], rules) == bonus
    assert dates.valid_until == valid_until
    assert dates.revocation_window_closes == date(2027, 11, 9)
    assert dates.reapply_from == reapply_from
    assert honor_status(dates, None, date(2026, 1, 5)) == "active"
