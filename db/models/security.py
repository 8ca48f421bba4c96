"""Counters that hold under concurrency: login throttles and accepted objections (issue #12)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base


class Throttle(Base):
    """Failures counted per key — ``login-client:<address>``, ``login-account:<username>`` —
    and the instant until which the key is refused. The row is also what concurrent
    requests for one key lock, so that a check and its count are one step."""

    __tablename__ = "throttles"

    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    last_failure_at: Mapped[datetime | None]
    blocked_until: Mapped[datetime | None]


class ObjectionSlot(Base):
    """One objection from one client address, kept while the hourly limit looks back."""

    __tablename__ = "objection_slots"

    id: Mapped[int] = mapped_column(primary_key=True)
    client: Mapped[str] = mapped_column(String(45), index=True)
    at: Mapped[datetime] = mapped_column(index=True)
