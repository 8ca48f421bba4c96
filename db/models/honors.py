"""The honors register (获奖名录): one row per honor, history included."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, TimestampMixin


class Honor(TimestampMixin, Base):
    __tablename__ = "honors"
    __table_args__ = (UniqueConstraint("organization_id", "award", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    award: Mapped[str] = mapped_column(String(20))
    year: Mapped[int]
    awarded_on: Mapped[date]
    bonus_cny: Mapped[int] = mapped_column(default=0)
    takes_quota_place: Mapped[bool] = mapped_column(default=True)
    valid_until: Mapped[date | None]
    revocation_window_closes: Mapped[date]
    reapply_from: Mapped[date]
    revoked_on: Mapped[date | None]
    revocation_reason: Mapped[str | None] = mapped_column(String(20))
    bonus_recovered_cny: Mapped[int] = mapped_column(default=0)
    pending_revocation: Mapped[str | None] = mapped_column(String(20))
    historical: Mapped[bool] = mapped_column(default=False)
    workflow_id: Mapped[str | None] = mapped_column(String(150))


class HonorIncident(TimestampMixin, Base):
    """§6(6): an incident the office reported on an honor (written by `project-honor`)."""

    __tablename__ = "honor_incidents"
    __table_args__ = (UniqueConstraint("honor_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    honor_id: Mapped[int] = mapped_column(ForeignKey("honors.id"), index=True)
    number: Mapped[int]
    occurred_on: Mapped[date]
    kind: Mapped[str] = mapped_column(String(50))
    major_adverse_impact: Mapped[bool]
    note: Mapped[str] = mapped_column(Text, default="")
    reported_at: Mapped[datetime]
