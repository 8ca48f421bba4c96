"""The archive (档案) of generated documents: one row per document and format, its bytes
kept in the row with their SHA-256 digest (see README: why not files on disk)."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, deferred, mapped_column

from db.base import Base, TimestampMixin


class Document(TimestampMixin, Base):
    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(250), unique=True)
    """What the document is of, e.g. `cycle-2025:review_report:site:9133…:r12:pdf`: made once."""
    kind: Mapped[str] = mapped_column(String(40), index=True)
    cycle_id: Mapped[int | None] = mapped_column(ForeignKey("cycles.id"), index=True)
    application_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id"), index=True)
    honor_id: Mapped[int | None] = mapped_column(ForeignKey("honors.id"), index=True)
    stage: Mapped[str | None] = mapped_column(String(10))
    award: Mapped[str | None] = mapped_column(String(20))
    number: Mapped[int | None] = mapped_column(Integer)
    """The objection's number for an investigation report."""
    format: Mapped[str] = mapped_column(String(10))
    title: Mapped[str] = mapped_column(String(300))
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(100))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int]
    content: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))
