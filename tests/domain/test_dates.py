"""Calendar arithmetic and the business clock (DESIGN 3.4 "Periods", "Dates"; §4)."""

from datetime import UTC, date, datetime, timedelta

import pytest

from domain.dates import (
    SHANGHAI,
    add_months,
    add_years,
    business_date,
    business_now,
    end_of_day,
    in_lookback,
    period_last_day,
    start_of_day,
    to_business_date,
)


@pytest.mark.parametrize(
    ("start", "years", "expected"),
    [
        (date(2024, 2, 29), 1, date(2025, 2, 28)),
        (date(2024, 2, 29), 4, date(2028, 2, 29)),
        (date(2024, 2, 29), 5, date(2029, 2, 28)),
        (date(2024, 2, 29), -1, date(2023, 2, 28)),
        (date(2025, 11, 10), 5, date(2030, 11, 10)),
        (date(2025, 5, 15), -3, date(2022, 5, 15)),
    ],
)
def test_add_years(start: date, years: int, expected: date) -> None:
    assert add_years(start, years) == expected


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2025, 8, 31), 6, date(2026, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2025, 12, 15), 1, date(2026, 1, 15)),
        (date(2030, 11, 10), -6, date(2030, 5, 10)),
        (date(2025, 3, 31), -13, date(2024, 2, 29)),
        (date(2025, 1, 1), 0, date(2025, 1, 1)),
    ],
)
def test_add_months(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


@pytest.mark.parametrize(
    ("start", "years", "last"),
    [
        (date(2025, 11, 10), 5, date(2030, 11, 9)),
        (date(2025, 11, 10), 2, date(2027, 11, 9)),
        (date(2024, 2, 29), 5, date(2029, 2, 27)),
        (date(2024, 2, 29), 4, date(2028, 2, 28)),
        (date(2025, 1, 1), 1, date(2025, 12, 31)),
    ],
)
def test_period_last_day(start: date, years: int, last: date) -> None:
    assert period_last_day(start, years) == last


@pytest.mark.parametrize(
    ("day", "inside"),
    [
        (date(2022, 5, 15), False),  # exactly 3 years before: outside
        (date(2022, 5, 16), True),
        (date(2025, 5, 15), True),  # the reference date itself
        (date(2025, 5, 16), False),  # after the reference date
    ],
)
def test_in_lookback_boundaries(day: date, inside: bool) -> None:
    assert in_lookback(day, date(2025, 5, 15), 3) is inside


def test_business_now_applies_offset_in_shanghai() -> None:
    now = datetime(2025, 1, 1, 0, 0, tzinfo=UTC)
    result = business_now(now, timedelta(days=30, hours=17))
    assert result == datetime(2025, 2, 1, 1, 0, tzinfo=SHANGHAI)
    assert result.utcoffset() == timedelta(hours=8)
    assert result.isoformat() == "2025-02-01T01:00:00+08:00"


@pytest.mark.parametrize(
    ("utc", "expected"),
    [
        (datetime(2025, 10, 19, 15, 59, 59, tzinfo=UTC), date(2025, 10, 19)),
        (datetime(2025, 10, 19, 16, 0, tzinfo=UTC), date(2025, 10, 20)),
    ],
)
def test_business_date_turns_at_shanghai_midnight(utc: datetime, expected: date) -> None:
    assert business_date(utc, timedelta(0)) == expected
    assert to_business_date(utc) == expected


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="时区"):
        business_now(datetime(2025, 1, 1), timedelta(0))
    with pytest.raises(ValueError, match="时区"):
        to_business_date(datetime(2025, 1, 1))


def test_start_and_end_of_day() -> None:
    assert start_of_day(date(2025, 5, 15)).isoformat() == "2025-05-15T00:00:00+08:00"
    assert end_of_day(date(2025, 5, 15)).isoformat() == "2025-05-16T00:00:00+08:00"
    assert end_of_day(date(2025, 12, 31)) == datetime(2026, 1, 1, tzinfo=SHANGHAI)
    assert str(SHANGHAI.tzname(None)) == "Asia/Shanghai"
