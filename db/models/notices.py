"""Notices (通知/公告), written once, and their delivery outbox."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, TimestampMixin


class Notice(TimestampMixin, Base):
    __tablename__ = "notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(250), unique=True)
    """Idempotency key: workflow id + step; a retried activity writes nothing new."""
    kind: Mapped[str] = mapped_column(String(40), index=True)
    audience: Mapped[str] = mapped_column(String(30))
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"))
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("reviewers.id"))
    cycle_year: Mapped[int | None]
    on: Mapped[date] = mapped_column(index=True)
    published_at: Mapped[datetime]
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    """The archived document this notice carries (an e-mail's attachment), if any."""


class OutboxMessage(TimestampMixin, Base):
    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notices.id"), unique=True)
    channel: Mapped[str] = mapped_column(String(20), default="portal")
    status: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    delivered_at: Mapped[datetime | None]
