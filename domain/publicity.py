"""Publicity and objections (§4(5); DESIGN.md 3.3).

The preliminary list is published for 7 calendar days, the publication day being day 1;
the window closes at 24:00 Asia/Shanghai of day 7. Objections need a real name, a contact
the office can reach and content.
"""

import re
from datetime import datetime, timedelta

from domain.dates import end_of_day, to_business_date
from domain.errors import DomainError, ErrorCode
from domain.rules import ProgramRules

__all__ = ["objection_open", "plausible_contact", "publicity_closes", "validate_objection"]


def publicity_closes(opens: datetime, rules: ProgramRules) -> datetime:
    """The instant publicity closes: 24:00 of day `publicity.days`, counting from day 1."""
    last_day = to_business_date(opens) + timedelta(days=rules.publicity.days - 1)
    return end_of_day(last_day)


def objection_open(at: datetime, opens: datetime, closes: datetime) -> bool:
    """Whether an objection made at `at` falls within the publicity window [opens, closes)."""
    return opens <= at < closes


# A phone number: digits with the usual separators, 7 digits (a local line) to 15 (E.164).
_PHONE = re.compile(r"^\+?[\d\s()（）\-－]{7,25}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")


def plausible_contact(contact: str) -> bool:
    """A phone number (7–15 digits) or an e-mail address: something the office can call back."""
    text = contact.strip()
    if _EMAIL.match(text):
        return True
    return bool(_PHONE.match(text)) and 7 <= sum(c.isdigit() for c in text) <= 15


def validate_objection(name: str, contact: str, content: str) -> None:
    """§4(5): objections are real-name — a name, a contact the office can reach (a phone
    number or an e-mail address) and what is objected to (`invalid_objection`)."""
    missing = [
        label
        for label, value in (("姓名", name), ("联系方式", contact), ("异议内容", content))
        if not value.strip()
    ]
    if missing:
        raise DomainError(ErrorCode.INVALID_OBJECTION, f"缺少{'、'.join(missing)}")
    if not plausible_contact(contact):
        raise DomainError(
            ErrorCode.INVALID_OBJECTION, "联系方式须为电话号码或电子邮箱地址，以便核实"
        )
