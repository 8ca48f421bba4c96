"""Deliveries (投递记录): one row per notice, channel and recipient, and per daily digest.

A row is created `pending` when the delivery workflow routes an outbox entry (or prepares
a day's digest), and carries everything the mail needs (address, subject, body, a stable
Message-ID), so every retry and a resend send the same mail. `sending` is committed
before the SMTP call and `sent` after it (see `activities.delivery`).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, TimestampMixin, utcnow


class Delivery(TimestampMixin, Base):
    __tablename__ = "deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(400), unique=True)
    """``notice:{id}:{channel}:{recipient}`` or ``digest:{user id}:{day}``: routing twice
    (a retried activity, a second worker) creates nothing new."""
    kind: Mapped[str] = mapped_column(String(20))
    """``notice`` or ``digest``."""
    notice_id: Mapped[int | None] = mapped_column(ForeignKey("notices.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    digest_on: Mapped[date | None]
    channel: Mapped[str] = mapped_column(String(20))
    recipient: Mapped[str] = mapped_column(String(200))
    """Who, in words: ``organization:<credit code>``, ``reviewer:<code>``, ``user:<name>``."""
    address: Mapped[str | None] = mapped_column(String(254))
    status: Mapped[str] = mapped_column(String(20), index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    interrupted: Mapped[int] = mapped_column(default=0)
    """Attempts that found the row still `sending`: the previous one may have reached the
    relay before it could record `sent` (the at-least-once window, README)."""
    last_error: Mapped[str | None] = mapped_column(Text)
    message_id: Mapped[str | None] = mapped_column(String(250))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    sent_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
