"""Publicity and objections (§4(5); DESIGN.md 3.3).

The preliminary list is published for 7 calendar days, the publication day being day 1;
the window closes at 24:00 Asia/Shanghai of day 7. Objections need a real name and contact.
"""

from datetime import datetime, timedelta

from domain.dates import end_of_day, to_business_date
from domain.errors import DomainError, ErrorCode
from domain.rules import ProgramRules

__all__ = ["objection_open", "publicity_closes", "validate_objection"]


def publicity_closes(opens: datetime, rules: ProgramRules) -> datetime:
    """The instant publicity closes: 24:00 of day `publicity.days`, counting from day 1."""
    last_day = to_business_date(opens) + timedelta(days=rules.publicity.days - 1)
    return end_of_day(last_day)


def objection_open(at: datetime, opens: datetime, closes: datetime) -> bool:
    """Whether an objection made at `at` falls within the publicity window [opens, closes)."""
    return opens <= at < closes


def validate_objection(name: str, contact: str, content: str) -> None:
    """§4(5): objections are real-name — a name and a contact are required (`invalid_objection`).

    Content is not checked here: the office investigates whatever is reported.
    """
    missing = [
        label for label, value in (("姓名", name), ("联系方式", contact)) if not value.strip()
    ]
    if missing:
        raise DomainError(ErrorCode.INVALID_OBJECTION, f"缺少{'、'.join(missing)}")
