"""Supervision records (§2(3)3–4, §6(1), §6(3), §6(7)): the reviewer pool's appointments,
training and discipline, the supervision group's irregularity records, panel draws and the
winners' yearly follow-up."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, TimestampMixin


class ReviewerAppointment(TimestampMixin, Base):
    """§2(3)3 聘任: a term of appointment; a reviewer is assignable on a day inside one."""

    __tablename__ = "reviewer_appointments"

    id: Mapped[int] = mapped_column(primary_key=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("reviewers.id"), index=True)
    term_from: Mapped[date]
    term_until: Mapped[date]
    note: Mapped[str] = mapped_column(Text, default="")


class ReviewerTraining(TimestampMixin, Base):
    """§2(3)3 培训: a training the reviewer attended."""

    __tablename__ = "reviewer_trainings"

    id: Mapped[int] = mapped_column(primary_key=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("reviewers.id"), index=True)
    on: Mapped[date]
    title: Mapped[str] = mapped_column(String(200))
    hours: Mapped[float | None]


class ReviewerDiscipline(TimestampMixin, Base):
    """§6(7): criticism (批评) or disqualification (取消评审资格) with its reason and date."""

    __tablename__ = "reviewer_discipline"

    id: Mapped[int] = mapped_column(primary_key=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("reviewers.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text)
    on: Mapped[date]
    recorded_by: Mapped[str] = mapped_column(String(100), default="")


class Irregularity(TimestampMixin, Base):
    """§6(1) 监督组: an irregularity, the office's corrective action, the supervisor's close."""

    __tablename__ = "irregularities"
    __table_args__ = (UniqueConstraint("cycle_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id"), index=True)
    number: Mapped[int]
    subject_kind: Mapped[str] = mapped_column(String(20))
    """``reviewer``, ``panel``, ``application`` or ``office``."""
    subject: Mapped[str] = mapped_column(String(100), default="")
    description: Mapped[str] = mapped_column(Text)
    occurred_on: Mapped[date]
    evidence: Mapped[str] = mapped_column(Text, default="")
    evidence_path: Mapped[str | None] = mapped_column(String(300))
    evidence_sha256: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(20), default="open")
    recorded_by: Mapped[str] = mapped_column(String(100), default="")
    recorded_at: Mapped[datetime]
    corrective_action: Mapped[str | None] = mapped_column(Text)
    corrected_at: Mapped[datetime | None]
    closing_note: Mapped[str | None] = mapped_column(Text)
    closed_at: Mapped[datetime | None]


class PanelDraw(TimestampMixin, Base):
    """随机抽取: a drawn panel, its seed and the candidate pool it was drawn from (§2(4))."""

    __tablename__ = "panel_draws"

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id"), index=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    stage: Mapped[str] = mapped_column(String(10))
    seed: Mapped[int]
    size: Mapped[int]
    drawn_on: Mapped[date]
    pool: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    drawn: Mapped[list[str]] = mapped_column(JSON)
    leader: Mapped[str] = mapped_column(String(50))
    status: Mapped[str] = mapped_column(String(20), default="drawn")
    """``drawn``, ``adopted`` or ``adjusted``."""
    members: Mapped[list[str] | None] = mapped_column(JSON)
    adopted_leader: Mapped[str | None] = mapped_column(String(50))
    reason: Mapped[str | None] = mapped_column(Text)
    drawn_by: Mapped[str] = mapped_column(String(100), default="")
    decided_at: Mapped[datetime | None]


class FollowUp(TimestampMixin, Base):
    """§2(3)4, §6(3): a winner's yearly follow-up report task, its report and evaluation."""

    __tablename__ = "follow_ups"
    __table_args__ = (UniqueConstraint("honor_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    honor_id: Mapped[int] = mapped_column(ForeignKey("honors.id"), index=True)
    number: Mapped[int]
    """The year of validity (1 = first anniversary)."""
    reminded_on: Mapped[date]
    due_on: Mapped[date]
    report: Mapped[str | None] = mapped_column(Text)
    report_path: Mapped[str | None] = mapped_column(String(300))
    report_sha256: Mapped[str | None] = mapped_column(String(64))
    submitted_at: Mapped[datetime | None]
    overdue_notified: Mapped[bool] = mapped_column(default=False)
    evaluation: Mapped[str | None] = mapped_column(String(20))
    evaluation_note: Mapped[str | None] = mapped_column(Text)
    evaluated_at: Mapped[datetime | None]
