"""Inputs, commands and state of the honor workflow (pydantic, stable shapes)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from domain.rules import ProgramRules
from workflows.messages import HonorGrant

RevocationReason = Literal["incident", "fraud"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class IncidentCommand(_Model):
    """An accident reported against a holder (§6(6)); with major adverse impact, a proposal."""

    occurred_on: date
    kind: str = "major_accident"
    major_adverse_impact: bool = True
    note: str = ""


class FraudCommand(_Model):
    """Fraud found (§6(2)): a revocation proposal at any time, also after expiry."""

    note: str = ""


class Incident(_Model):
    occurred_on: date
    kind: str
    major_adverse_impact: bool
    note: str
    reported_at: datetime


class HonorState(_Model):
    timers: dict[str, datetime] = Field(default_factory=dict)
    incidents: list[Incident] = Field(default_factory=list)
    pending_revocation: RevocationReason | None = None
    pending_note: str = ""
    revoked_on: date | None = None
    revocation_reason: RevocationReason | None = None
    bonus_recovered_cny: int = 0


class HonorInput(_Model):
    workflow_id: str
    grant: HonorGrant
    name: str
    rules: ProgramRules
    clock_offset_seconds: float = 0.0
    state: HonorState | None = None
    history_limit: int = 7_000


class HonorProjection(_Model):
    workflow_id: str
    grant: HonorGrant
    pending_revocation: RevocationReason | None
    revoked_on: date | None
    revocation_reason: RevocationReason | None
    bonus_recovered_cny: int


class CreditRecordEntry(_Model):
    """A credit-record entry (信用档案) written on a fraud revocation (§6(2); E5)."""

    key: str
    credit_code: str
    on: date
    note: str
