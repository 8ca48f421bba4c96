"""Input, commands and state of the honor workflow, and the grant it starts from."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import Field

from contracts.base import Contract
from domain.rules import ProgramRules
from domain.types import Award

RevocationReason = Literal["incident", "fraud"]


class HonorGrant(Contract):
    """A new honor decided at approval, for the register and its honor workflow."""

    credit_code: str
    organization_id: int
    award: Award
    year: int
    awarded_on: date
    bonus_cny: int
    takes_quota_place: bool
    valid_until: date | None
    revocation_window_closes: date
    reapply_from: date
    historical: bool = False
    workflow_id: str | None = None
    """Id of the honor's workflow (`honor-{credit_code}-{award}-{year}`)."""


class IncidentCommand(Contract):
    """An accident reported against a holder (§6(6)); with major adverse impact, a proposal."""

    occurred_on: date
    kind: str = "major_accident"
    major_adverse_impact: bool = True
    note: str = ""


class FraudCommand(Contract):
    """Fraud found (§6(2)): a revocation proposal at any time, also after expiry."""

    note: str = ""


class FollowUpCommand(Contract):
    """§2(3)4, §6(3): the holder submitted its report for year `number` of validity."""

    number: int


class FollowUpState(Contract):
    """A yearly follow-up task as the honor workflow keeps it."""

    due_on: date
    submitted: bool = False
    overdue: bool = False


class FollowUpTask(Contract):
    """What the register learns of a follow-up task (written by `project-honor`)."""

    number: int
    reminded_on: date
    due_on: date
    overdue: bool = False


class Incident(Contract):
    occurred_on: date
    kind: str
    major_adverse_impact: bool
    note: str
    reported_at: datetime


class HonorState(Contract):
    timers: dict[str, datetime] = Field(default_factory=dict)
    incidents: list[Incident] = Field(default_factory=list)
    pending_revocation: RevocationReason | None = None
    pending_note: str = ""
    revoked_on: date | None = None
    revocation_reason: RevocationReason | None = None
    bonus_recovered_cny: int = 0
    follow_ups: dict[int, FollowUpState] = Field(default_factory=dict)
    """§2(3)4: the yearly follow-up tasks by year of validity (patch `follow-up-tasks`)."""


class HonorInput(Contract):
    workflow_id: str
    grant: HonorGrant
    name: str
    rules: ProgramRules
    clock_offset_seconds: float = 0.0
    state: HonorState | None = None
    history_limit: int = 7_000
