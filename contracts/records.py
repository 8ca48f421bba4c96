"""Payloads of the database activities: facts in, projections out."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import Field

from contracts.base import Contract
from contracts.commands import CategoryComment
from contracts.cycle import ApplicationState, DeadlineExtension, ObjectionState, VoteRecord
from contracts.honor import FollowUpTask, HonorGrant, HonorInput, RevocationReason
from contracts.notices import NoticeDraft
from domain.committee import Ballot
from domain.eligibility import HeldHonor, OrganizationFacts
from domain.phases import Phase, Stage


class FactsRequest(Contract):
    credit_codes: list[str]


class OrganizationEligibilityData(Contract):
    credit_code: str
    facts: OrganizationFacts
    honors: list[HeldHonor]


class FactsResponse(Contract):
    organizations: dict[str, OrganizationEligibilityData]


class ScoreItems(Contract):
    """A reviewer's latest score in the form given: item percentages, or None for a total
    (a later score replaces the earlier one whole, items included; DESIGN 3.2)."""

    credit_code: str
    stage: Stage
    reviewer: str
    items: dict[str, int] | None
    comments: dict[str, CategoryComment] = Field(default_factory=dict)


class CycleProjection(Contract):
    """One state change to write: the cycle's own fields and the applications it touched."""

    workflow_id: str
    revision: int = 0
    year: int
    application_deadline: date
    committee_members: int
    rules: dict[str, Any] | None
    """Sent with the first write only (the row is created then)."""
    phase: Phase
    opened_at: datetime
    publicity_opens: datetime | None
    publicity_closes: datetime | None
    awarded_on: date | None
    cancel_reason: str | None
    document_closed_early_reason: str | None
    attention: str | None
    winners: dict[str, list[str]]
    stage_due: dict[str, date] = Field(default_factory=dict)
    extensions: list[DeadlineExtension] = Field(default_factory=list)
    entered: dict[str, datetime] = Field(default_factory=dict)
    applications: list[ApplicationState]
    objections: list[ObjectionState]
    votes: dict[str, list[VoteRecord]]
    score_items: list[ScoreItems] = Field(default_factory=list)
    panels: bool = True
    """Whether the applications' panels and scores changed (else they are not rewritten)."""
    panel_codes: list[str] | None = None
    """With `panels`: only these applications' panels changed (None: all of them)."""
    notices: list[NoticeDraft] = Field(default_factory=list)
    """Notices to publish in the same transaction (each once, by key)."""
    verification: list[str] = Field(default_factory=list)
    """Applications to create the departments' verification tasks for (§4(1); once each)."""
    honors: list[HonorInput] = Field(default_factory=list)
    """New honors (§5(1)): written to the register, then their workflows are started."""


class CreditRecordEntry(Contract):
    """A credit-record entry (信用档案) written on a fraud revocation (§6(2); E5)."""

    key: str
    credit_code: str
    on: date
    note: str


class IncidentRecord(Contract):
    """§6(6): an incident the office reported on an honor, as the register keeps it."""

    number: int
    """1 for the honor's first report, then 2, … (each written once)."""
    occurred_on: date
    kind: str
    major_adverse_impact: bool
    note: str
    reported_at: datetime


class HonorProjection(Contract):
    workflow_id: str
    grant: HonorGrant
    pending_revocation: RevocationReason | None
    revoked_on: date | None
    revocation_reason: RevocationReason | None
    bonus_recovered_cny: int
    notices: list[NoticeDraft] = Field(default_factory=list)
    """Published in the same transaction (a revocation's notice)."""
    credit_record: CreditRecordEntry | None = None
    """§6(2): a fraud revocation's credit-record entry, in the same transaction."""
    follow_ups: list[FollowUpTask] = Field(default_factory=list)
    """§2(3)4, §6(3): yearly follow-up tasks opened or gone overdue, same transaction."""
    incidents: list[IncidentRecord] = Field(default_factory=list)
    """§6(6): an incident report, major or not, same transaction (patch `incident-records`)."""


CycleProjection.model_rebuild()
HonorProjection.model_rebuild()


class ApplicationsPage(Contract):
    """A page of a cycle's applications, read back after continue-as-new."""

    workflow_id: str
    offset: int
    limit: int


class ApplicationStates(Contract):
    applications: list[ApplicationState]


class VoteKey(Contract):
    """One recorded vote of a cycle, whose ballots a run after continue-as-new reads back."""

    workflow_id: str
    award: str
    round: int


class VoteBallots(Contract):
    ballots: dict[str, Ballot]
    """Every candidate of the vote's award (or of its runoff): as large as the vote command
    that brought them, and read back one vote at a time."""
