"""Projection of award cycles and everything decided inside them (written by activities)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, TimestampMixin, utcnow


class Cycle(TimestampMixin, Base):
    __tablename__ = "cycles"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(index=True)
    workflow_id: Mapped[str] = mapped_column(String(100), unique=True)
    phase: Mapped[str] = mapped_column(String(30))
    opened_at: Mapped[datetime]
    application_deadline: Mapped[date]
    committee_members: Mapped[int]
    rules: Mapped[dict[str, Any]] = mapped_column(JSON)
    publicity_opens: Mapped[datetime | None]
    publicity_closes: Mapped[datetime | None]
    awarded_on: Mapped[date | None]
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    document_closed_early_reason: Mapped[str | None] = mapped_column(Text)
    attention: Mapped[str | None] = mapped_column(Text)
    """Set when an activity kept failing: the office must look (recoverable)."""
    winners: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    stage_due: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    """Each review stage's due date once the stage has started (`{"document": "2025-…"}`)."""
    extensions: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    """Deadline extensions, each with what moved, from when to when, why and when decided."""
    entered: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    """When the cycle entered each phase (phase code → ISO instant): the timeline's source."""
    revision: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Application(TimestampMixin, Base):
    __tablename__ = "applications"
    __table_args__ = (UniqueConstraint("cycle_id", "organization_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id"), index=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    award: Mapped[str] = mapped_column(String(20))
    submitted_at: Mapped[datetime]
    outcome: Mapped[str] = mapped_column(String(30), default="pending")
    eligible: Mapped[bool | None]
    reasons: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    shortlisted: Mapped[bool | None]
    document_score: Mapped[float | None] = mapped_column(Float)
    document_consensus: Mapped[float | None] = mapped_column(Float)
    site_score: Mapped[float | None] = mapped_column(Float)
    site_consensus: Mapped[float | None] = mapped_column(Float)
    site_report_confirmed_at: Mapped[datetime | None]
    total_score: Mapped[float | None] = mapped_column(Float)
    revision: Mapped[int] = mapped_column(default=0)
    state: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    """The cycle workflow's state of this application, as of `revision` (what a cycle that
    continues as new reads back instead of carrying every application in its input)."""
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class PanelMember(TimestampMixin, Base):
    __tablename__ = "panel_members"
    __table_args__ = (UniqueConstraint("application_id", "stage", "reviewer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    stage: Mapped[str] = mapped_column(String(10))
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("reviewers.id"), index=True)
    leader: Mapped[bool] = mapped_column(default=False)
    withdrawn: Mapped[bool] = mapped_column(default=False)


class Score(TimestampMixin, Base):
    __tablename__ = "scores"
    __table_args__ = (UniqueConstraint("application_id", "stage", "reviewer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    stage: Mapped[str] = mapped_column(String(10))
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("reviewers.id"))
    total: Mapped[float] = mapped_column(Float)
    items: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class DepartmentFinding(TimestampMixin, Base):
    __tablename__ = "department_findings"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    department: Mapped[str] = mapped_column(String(50), default="")
    passed: Mapped[bool]
    reason: Mapped[str | None] = mapped_column(String(50))
    note: Mapped[str] = mapped_column(Text, default="")
    source_key: Mapped[str] = mapped_column(String(200), unique=True)


class VerificationTask(TimestampMixin, Base):
    """A department asked to verify an application's facts (§4(1)); done once it reports."""

    __tablename__ = "verification_tasks"
    __table_args__ = (UniqueConstraint("application_id", "department"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    department: Mapped[str] = mapped_column(String(50))
    done_at: Mapped[datetime | None]


class Vote(TimestampMixin, Base):
    __tablename__ = "votes"
    __table_args__ = (UniqueConstraint("cycle_id", "award", "round"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id"), index=True)
    award: Mapped[str] = mapped_column(String(20))
    round: Mapped[int]
    present: Mapped[int]
    ballots: Mapped[dict[str, Any]] = mapped_column(JSON)
    series: Mapped[int] = mapped_column(default=1, server_default="1")
    """Which result of the award: a later series replaced the earlier (with `reason`)."""
    reason: Mapped[str | None] = mapped_column(Text)


class Objection(TimestampMixin, Base):
    __tablename__ = "objections"
    __table_args__ = (UniqueConstraint("cycle_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id"), index=True)
    number: Mapped[int]
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"))
    name: Mapped[str] = mapped_column(String(100))
    contact: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime]
    finding: Mapped[str | None] = mapped_column(String(20))
    report: Mapped[str | None] = mapped_column(Text)
    decision: Mapped[str | None] = mapped_column(String(20))
