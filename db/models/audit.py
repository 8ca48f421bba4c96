"""The audit trail (审计日志): append-only, each entry chained to the previous one by HMAC."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base


class AuditEntry(Base):
    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    """Sequence number, assigned as previous + 1 so that a removed entry leaves a gap."""
    at: Mapped[datetime] = mapped_column(index=True)
    actor: Mapped[str | None] = mapped_column(String(50))
    role: Mapped[str | None] = mapped_column(String(20))
    client: Mapped[str | None] = mapped_column(String(100))
    method: Mapped[str] = mapped_column(String(10))
    path: Mapped[str] = mapped_column(String(500))
    action: Mapped[str] = mapped_column(String(200), index=True)
    status: Mapped[int]
    code: Mapped[str | None] = mapped_column(String(50))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditCheckpoint(Base):
    """A signed note of the chain's head (签名检查点): the trail held at least this much then.

    Also appended to ``QAWARD_DATA_DIR/audit-checkpoints.jsonl``, outside the database,
    so that deleting the newest entries (and these rows) is caught by `/audit/verify`.
    """

    __tablename__ = "audit_checkpoints"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    head_id: Mapped[int] = mapped_column(index=True)
    head_mac: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime]
    signature: Mapped[str] = mapped_column(String(64))
