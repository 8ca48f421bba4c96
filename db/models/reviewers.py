"""Reviewer pool (评审员专家库) and registered or declared ties (回避)."""

from __future__ import annotations

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, TimestampMixin


class Reviewer(TimestampMixin, Base):
    __tablename__ = "reviewers"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(50), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    employer_credit_code: Mapped[str | None] = mapped_column(String(18))
    industries: Mapped[list[str]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(default=True)
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(30))


class ReviewerTie(TimestampMixin, Base):
    __tablename__ = "reviewer_ties"
    __table_args__ = (UniqueConstraint("reviewer_id", "organization_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("reviewers.id"), index=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    source: Mapped[str] = mapped_column(String(20))
    """``registered`` by the office or ``declared`` by the reviewer."""
