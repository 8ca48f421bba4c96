"""Delivery's pure parts: stable Message-IDs and the digest's hour (Beijing time)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from domain.dates import SHANGHAI
from domain.delivery import (
    EMAIL,
    digest_day,
    digest_message_id,
    next_digest_at,
    notice_message_id,
)


def test_a_notice_mail_keeps_one_message_id_per_recipient() -> None:
    first = notice_message_id(7, EMAIL, "A@example.com", "qaward@qingyuan.example")
    assert first == notice_message_id(7, EMAIL, "a@example.com", "qaward@qingyuan.example")
    assert first.startswith("<notice-7.email.")
    assert first.endswith("@qingyuan.example>")
    assert first != notice_message_id(7, EMAIL, "b@example.com", "qaward@qingyuan.example")
    assert first != notice_message_id(8, EMAIL, "a@example.com", "qaward@qingyuan.example")


def test_a_digest_is_identified_by_user_and_day() -> None:
    found = digest_message_id(3, date(2026, 12, 2), "qaward")
    assert found == "<digest-3.2026-12-02@localhost>"


def test_the_digest_is_due_from_its_hour_of_the_beijing_day() -> None:
    early = datetime(2026, 12, 1, 23, 30, tzinfo=UTC)  # 07:30 on 2 December in Beijing
    assert digest_day(early, 8) is None
    assert digest_day(datetime(2026, 12, 2, 0, 0, tzinfo=UTC), 8) == date(2026, 12, 2)
    assert next_digest_at(early, 8) == datetime(2026, 12, 2, 8, 0, tzinfo=SHANGHAI)


def test_the_next_digest_is_tomorrow_once_today_has_come() -> None:
    at_eight = datetime(2026, 12, 2, 8, 0, tzinfo=SHANGHAI)
    assert next_digest_at(at_eight, 8) == datetime(2026, 12, 3, 8, 0, tzinfo=SHANGHAI)
