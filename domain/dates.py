"""Calendar arithmetic and the business clock (DESIGN.md §3.4 "Periods", "Dates"; §4).

All business dates are Asia/Shanghai. The zone is a fixed UTC+8 offset (China has had no
daylight saving time since 1991), so no tz database is needed inside Temporal's sandbox.
"""

import calendar
from datetime import date, datetime, timedelta, timezone

SHANGHAI = timezone(timedelta(hours=8), "Asia/Shanghai")
"""The business timezone."""

_ONE_DAY = timedelta(days=1)


def add_months(d: date, n: int) -> date:
    """`d` plus `n` calendar months, clamped to the month's last day (31 Aug + 6 → 28/29 Feb)."""
    months = d.year * 12 + (d.month - 1) + n
    year, month = divmod(months, 12)
    month += 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def add_years(d: date, n: int) -> date:
    """`d` plus `n` calendar years; 29 Feb lands on 28 Feb in a common year (DESIGN 3.4)."""
    return add_months(d, 12 * n)


def add_years_instant(moment: datetime, years: int) -> datetime:
    """The same wall-clock instant `years` calendar years later (29 Feb → 28 Feb)."""
    shifted = add_years(moment.date(), years)
    return moment.replace(year=shifted.year, month=shifted.month, day=shifted.day)


def period_last_day(start: date, years: int) -> date:
    """Last day of a period of `years` years starting on `start`: start + years - 1 day."""
    return add_years(start, years) - _ONE_DAY


def in_lookback(day: date, reference: date, years: int) -> bool:
    """Whether `day` is within "the `years` years before `reference`" (E5, E7).

    The period covers the days after reference - years up to and including the reference
    date; a day exactly `years` years before is outside.
    """
    return add_years(reference, -years) < day <= reference


def _require_aware(moment: datetime) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("需要带时区的时间")


def business_now(workflow_now_utc: datetime, offset: timedelta) -> datetime:
    """The business clock: the workflow's now plus the cycle's offset, in Asia/Shanghai (§4)."""
    _require_aware(workflow_now_utc)
    return (workflow_now_utc + offset).astimezone(SHANGHAI)


def business_date(workflow_now_utc: datetime, offset: timedelta) -> date:
    """Today's date on the business clock."""
    return business_now(workflow_now_utc, offset).date()


def to_business_date(moment: datetime) -> date:
    """The Asia/Shanghai calendar date of an aware instant."""
    _require_aware(moment)
    return moment.astimezone(SHANGHAI).date()


def start_of_day(d: date) -> datetime:
    """00:00 Asia/Shanghai on `d`."""
    return datetime(d.year, d.month, d.day, tzinfo=SHANGHAI)


def end_of_day(d: date) -> datetime:
    """24:00 Asia/Shanghai on `d`, i.e. the first instant of the next day (deadlines, §3(2))."""
    return start_of_day(d + _ONE_DAY)
