"""Delivery of notices by e-mail (DESIGN.md §3.5, issue #15): statuses, Message-IDs, the
daily digest's hour. Pure: the delivery workflow and the activities both use it.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from domain.dates import SHANGHAI


class DeliveryStatus(StrEnum):
    PENDING = "pending"  # 待发送
    SENDING = "sending"  # 发送中：SMTP 会话开始前已记下
    SENT = "sent"  # 已发送：SMTP 服务器已接收
    FAILED = "failed"  # 发送失败（重试用尽或被拒收），可重发
    NO_ADDRESS = "no_address"  # 收件人没有电子邮箱，不发送


STATUS_NAMES: dict[DeliveryStatus, str] = {
    DeliveryStatus.PENDING: "待发送",
    DeliveryStatus.SENDING: "发送中",
    DeliveryStatus.SENT: "已发送",
    DeliveryStatus.FAILED: "发送失败",
    DeliveryStatus.NO_ADDRESS: "无邮箱地址",
}

RESENDABLE = frozenset({DeliveryStatus.FAILED, DeliveryStatus.NO_ADDRESS, DeliveryStatus.SENT})
"""The office may send these again; pending and sending ones are on their way already."""

EMAIL = "email"
"""The one delivery channel so far; the Message-ID carries it, so another channel (SMS)
would never collide with a mail's identity."""


def _domain_of(sender: str) -> str:
    _, at, domain = sender.rpartition("@")
    return domain if at and domain else "localhost"


def notice_message_id(notice_id: int, channel: str, address: str, sender: str) -> str:
    """Stable for one notice, channel and recipient: every retry of that mail, and a resend,
    carries the same Message-ID, so a receiver (and our tests) can tell a repeat."""
    who = hashlib.sha256(address.lower().encode()).hexdigest()[:12]
    return f"<notice-{notice_id}.{channel}.{who}@{_domain_of(sender)}>"


def digest_message_id(user_id: int, day: date, sender: str) -> str:
    return f"<digest-{user_id}.{day.isoformat()}@{_domain_of(sender)}>"


def digest_day(now: datetime, hour: int) -> date | None:
    """The Beijing day whose digest is due at `now`: today once its hour has come."""
    local = now.astimezone(SHANGHAI)
    return local.date() if local.hour >= hour else None


def next_digest_at(now: datetime, hour: int) -> datetime:
    """The next instant, strictly after `now`, at which a day's digest falls due."""
    local = now.astimezone(SHANGHAI)
    due = datetime.combine(local.date(), time(hour), SHANGHAI)
    if due <= local:
        due += timedelta(days=1)
    return due
