"""Organizations (申报组织) and their dated records (E5, E7)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, TimestampMixin


class Organization(TimestampMixin, Base):
    __tablename__ = "organizations"

    id: Mapped[int] = mapped_column(primary_key=True)
    credit_code: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    county: Mapped[str] = mapped_column(String(50))
    registered_on: Mapped[date]
    industry: Mapped[str] = mapped_column(String(30))
    industrial: Mapped[bool] = mapped_column(default=False)
    excellence_since: Mapped[date | None]
    mu_efficiency: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    """亩均效益 grade by year, keys are years as strings."""
    contact_person: Mapped[str | None] = mapped_column(String(50))
    contact_phone: Mapped[str | None] = mapped_column(String(30))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    """Where the organization's notices are e-mailed (issue #15)."""


class OrganizationRecord(TimestampMixin, Base):
    """A dated entry on an organization's file: inspection, accident, complaint, credit record."""

    __tablename__ = "organization_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    on: Mapped[date]
    kind: Mapped[str] = mapped_column(String(30))
    note: Mapped[str] = mapped_column(String(1000), default="")
    source_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    """Idempotency key for entries written by workflows (e.g. a fraud revocation)."""
