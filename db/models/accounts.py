"""Accounts (用户), their bearer tokens and the answers kept for idempotent retries (DESIGN §7)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint, false, true
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, TimestampMixin


class User(TimestampMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(50), unique=True)
    display_name: Mapped[str] = mapped_column(String(100), default="")
    role: Mapped[str] = mapped_column(String(20), index=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("reviewers.id"), index=True)
    """Reviewer accounts act as this member of the pool."""
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"), index=True)
    """Applicant accounts act for this organization."""
    active: Mapped[bool] = mapped_column(default=True)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    password_changed_at: Mapped[datetime | None]
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=false())
    """Every endpoint but password change and logout refuses until the password is changed
    (the bootstrap office account outside development)."""
    email: Mapped[str | None] = mapped_column(String(254))
    digest_enabled: Mapped[bool] = mapped_column(default=True, server_default=true())
    """Whether the user gets the daily digest (每日待办摘要) by e-mail."""
    notices_read_at: Mapped[datetime | None]
    """Notices published after this instant are unread (the digest lists them)."""


class AccessToken(TimestampMixin, Base):
    """An opaque bearer token, stored only as its SHA-256 digest."""

    __tablename__ = "access_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    expires_at: Mapped[datetime]


class IdempotentRequest(TimestampMixin, Base):
    """The first answer to a command sent with an ``Idempotency-Key`` (per caller and key)."""

    __tablename__ = "idempotent_requests"
    __table_args__ = (UniqueConstraint("owner", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    owner: Mapped[str] = mapped_column(String(80))
    """``user:<id>`` for an account, ``client:<address>`` for the public."""
    key: Mapped[str] = mapped_column(String(200))
    fingerprint: Mapped[str] = mapped_column(String(64))
    """HMAC of method, path and body: the same key with another body is refused."""
    status_code: Mapped[int | None] = mapped_column(Integer)
    """None while the first request is still being handled."""
    content_type: Mapped[str | None] = mapped_column(String(100))
    body: Mapped[str | None] = mapped_column(Text)
