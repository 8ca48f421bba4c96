"""Publicity window and objections (§4(5); DESIGN 3.3)."""

from datetime import UTC, datetime

import pytest

from domain.dates import SHANGHAI
from domain.errors import DomainError, ErrorCode
from domain.publicity import objection_open, publicity_closes, validate_objection
from domain.rules import ProgramRules, load_rules

OPENS = datetime(2025, 10, 20, 15, 30, tzinfo=SHANGHAI)  # the example's publication
CLOSES = datetime(2025, 10, 27, 0, 0, tzinfo=SHANGHAI)


def test_example_window_closes_at_24_00_of_day_7(rules: ProgramRules) -> None:
    closes = publicity_closes(OPENS, rules)
    assert closes == CLOSES
    assert closes.isoformat() == "2025-10-27T00:00:00+08:00"


@pytest.mark.parametrize(
    ("opens", "closes"),
    [
        # 16:30 UTC on the 19th is 00:30 on the 20th in Shanghai: day 1 is the 20th
        (datetime(2025, 10, 19, 16, 30, tzinfo=UTC), CLOSES),
        (datetime(2025, 10, 20, 0, 0, tzinfo=SHANGHAI), CLOSES),
        (datetime(2025, 10, 20, 23, 59, tzinfo=SHANGHAI), CLOSES),
        (datetime(2025, 12, 28, 9, 0, tzinfo=SHANGHAI), datetime(2026, 1, 4, tzinfo=SHANGHAI)),
    ],
)
def test_day_1_is_the_shanghai_publication_day(
    opens: datetime, closes: datetime, rules: ProgramRules
) -> None:
    assert publicity_closes(opens, rules) == closes


def test_publicity_days_are_configurable() -> None:
    rules = load_rules({"publicity": {"days": 10}})
    assert publicity_closes(OPENS, rules) == datetime(2025, 10, 30, tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    ("at", "accepted"),
    [
        (datetime(2025, 10, 20, 15, 29, 59, tzinfo=SHANGHAI), False),
        (OPENS, True),
        (datetime(2025, 10, 23, tzinfo=SHANGHAI), True),
        (datetime(2025, 10, 26, 23, 59, tzinfo=SHANGHAI), True),  # 23:59 of day 7
        (datetime(2025, 10, 26, 23, 59, 59, 999999, tzinfo=SHANGHAI), True),
        (datetime(2025, 10, 27, 0, 0, tzinfo=SHANGHAI), False),  # 00:00 of day 8
        (datetime(2025, 10, 26, 16, 0, tzinfo=UTC), False),  # the same instant in UTC
    ],
)
def test_objection_window_boundaries(at: datetime, accepted: bool) -> None:
    assert objection_open(at, OPENS, CLOSES) is accepted


@pytest.mark.parametrize(
    ("name", "contact", "detail"),
    [("匿名不受理", "", "联系方式"), ("", "0578-0000000", "姓名"), (" ", "\t", "姓名、联系方式")],
)
def test_objection_needs_name_and_contact(name: str, contact: str, detail: str) -> None:
    with pytest.raises(DomainError) as caught:
        validate_objection(name, contact, "缺少联系方式")
    assert caught.value.code is ErrorCode.INVALID_OBJECTION
    assert caught.value.rule == "3.3"
    assert caught.value.detail == f"缺少{detail}"


def test_real_name_objection_is_accepted() -> None:
    validate_objection("吴某", "0578-0000000", "反映产品抽检问题")


@pytest.mark.parametrize(
    "contact", ["13800000000", "0578-1234567", "+86 138 0000 0000", "(0578)1234567", "li@qy.cn"]
)
def test_a_phone_number_or_an_email_address_is_a_contact(contact: str) -> None:
    validate_objection("吴某", contact, "反映产品抽检问题")


@pytest.mark.parametrize("contact", ["1", "县城某路1号", "abc@", "li@qy", "1234567890123456"])
def test_a_contact_the_office_cannot_reach_is_refused(contact: str) -> None:
    with pytest.raises(DomainError) as caught:
        validate_objection("吴某", contact, "反映产品抽检问题")
    assert caught.value.code is ErrorCode.INVALID_OBJECTION
    assert caught.value.detail == "联系方式须为电话号码或电子邮箱地址，以便核实"


def test_an_objection_needs_content() -> None:
    with pytest.raises(DomainError) as caught:
        validate_objection("吴某", "13800000000", " \n")
    assert caught.value.detail == "缺少异议内容"
