"""Notices, the audit trail and the health check."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from api.schemas.base import Instant, Response


class NoticeOut(Response):
    kind: str
    audience: str
    on: date
    cycle_year: int | None
    title: str
    body: str
    published_at: Instant


class AuditEntryOut(Response):
    id: int
    at: Instant
    actor: str | None
    role: str | None
    client: str | None
    method: str
    path: str
    action: str
    status: int
    code: str | None
    prev_hash: str
    hash: str


class VerificationOut(Response):
    intact: bool
    entries: int = Field(description="校验通过的记录数")
    first_broken_id: int | None = Field(description="第一条断链记录的编号")


class HealthOut(Response):
    database: Literal["ok", "error"]
    temporal: Literal["ok", "error"]
