"""Inputs, commands and state of the cycle workflow (pydantic, through the data converter).

Everything here crosses the Temporal boundary, so names and shapes are part of the
workflows' history: add optional fields, never rename or remove one.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from domain.committee import Ballot
from domain.eligibility import HeldHonor, OrganizationFacts
from domain.rules import ProgramRules
from domain.types import Award


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Phase(StrEnum):
    """Phases of a cycle (DESIGN.md §2)."""

    OPEN = "open"
    QUALIFICATION = "qualification"
    DOCUMENT_REVIEW = "document_review"
    SHORTLIST = "shortlist"
    SITE_REVIEW = "site_review"
    COMMITTEE = "committee"
    PUBLICITY = "publicity"
    APPROVAL = "approval"
    ANNOUNCED = "announced"
    CANCELLED = "cancelled"


PHASE_ORDER = list(Phase)


class Stage(StrEnum):
    DOCUMENT = "document"
    SITE = "site"


class Outcome(StrEnum):
    PENDING = "pending"
    INELIGIBLE = "ineligible"
    NOT_SHORTLISTED = "not_shortlisted"
    NOT_CANDIDATE = "not_candidate"
    NOT_ELECTED = "not_elected"
    REMOVED_AFTER_PUBLICITY = "removed_after_publicity"
    NOT_APPROVED = "not_approved"
    AWARDED = "awarded"
    WITHDRAWN = "withdrawn"
    CANCELLED = "cancelled"


# --- inputs -----------------------------------------------------------------------------


class CycleInput(_Model):
    year: int
    workflow_id: str
    application_deadline: date
    committee_members: int = Field(ge=1)
    rules: ProgramRules
    clock_offset_seconds: float = 0.0
    """Business clock offset (DESIGN §4): 0 in live use, set by the simulator."""
    state: CycleState | None = None
    """Carried over by continue-as-new."""
    history_limit: int = 7_000
    """Continue as new past this many events (well under Temporal's 10,240 warning)."""
    defer_writes: bool = False
    """Commands' changes reach the database when a reader asks (`sync`), not one by one.

    For callers that read the database only when the cycle is idle (the simulator). Changes
    made by the cycle itself (deadlines, timers) are written at once, and so is a queue that
    has grown past `DEFERRED_WRITE_LIMIT` changes.
    """


class ApplyCommand(_Model):
    credit_code: str
    organization_id: int
    name: str
    award: Award
    industry: str


class FindingCommand(_Model):
    credit_code: str
    passed: bool
    reason: str | None = None
    note: str = ""
    department: str = ""


class ReviewerInfo(_Model):
    """What the cycle needs to know about a reviewer to check 回避 (§6(1)) and expertise."""

    code: str
    employer_credit_code: str | None = None
    industries: list[str] = Field(default_factory=list)
    tied_credit_codes: list[str] = Field(default_factory=list)


class AssignPanelCommand(_Model):
    stage: Stage
    credit_code: str
    reviewers: list[ReviewerInfo]
    leader: str


class ConflictCommand(_Model):
    reviewer: str
    credit_code: str


class ScoreCommand(_Model):
    stage: Stage
    credit_code: str
    reviewer: str
    points: float | None = None
    items: dict[str, int] | None = None


class ConsensusCommand(_Model):
    stage: Stage
    credit_code: str
    points: float
    reviewer: str | None = None
    """The panel leader recording it, when known (the API); None for the office/simulator."""


class CloseStageCommand(_Model):
    stage: Stage
    reason: str = Field(min_length=1)


class ShortlistCommand(_Model):
    credit_codes: list[str] | None = None
    auto: bool = False


class ConfirmSiteReportCommand(_Model):
    credit_code: str


class VoteCommand(_Model):
    award: Award
    present: int
    ballots: dict[str, Ballot]


class ObjectionCommand(_Model):
    credit_code: str
    name: str
    contact: str
    content: str


class InvestigateCommand(_Model):
    number: int
    finding: str = Field(pattern="^(substantiated|unsubstantiated)$")
    report: str = ""


class CommitteeDecisionCommand(_Model):
    credit_code: str
    remove: bool


class ApproveCommand(_Model):
    strike: list[str] = Field(default_factory=list)


class CancelCommand(_Model):
    reason: str = Field(min_length=1)


class WithdrawCommand(_Model):
    credit_code: str


# --- state ------------------------------------------------------------------------------


class Reason(_Model):
    reason: str
    rule: str
    clause: str = ""
    message: str = ""


class StageState(_Model):
    members: list[str] = Field(default_factory=list)
    leader: str | None = None
    scores: dict[str, float] = Field(default_factory=dict)
    consensus: float | None = None
    closed: bool = False
    report_notified: bool = False

    def complete(self, min_size: int = 1) -> bool:
        """Every member has scored, and the panel still has its minimum size (§2(4))."""
        return len(self.members) >= max(min_size, 1) and all(m in self.scores for m in self.members)


class ApplicationState(_Model):
    credit_code: str
    organization_id: int
    name: str
    award: Award
    industry: str
    submitted_at: datetime
    outcome: Outcome = Outcome.PENDING
    eligible: bool | None = None
    reasons: list[Reason] = Field(default_factory=list)
    findings: list[FindingCommand] = Field(default_factory=list)
    document: StageState = Field(default_factory=StageState)
    site: StageState = Field(default_factory=StageState)
    shortlisted: bool | None = None
    repeat_winner: bool = False
    """Holds an earlier, not revoked honor of the same award (§5(3) quota; E8)."""
    site_report_confirmed_at: datetime | None = None
    document_score: float | None = None
    site_score: float | None = None
    total_score: float | None = None

    def stage(self, stage: Stage) -> StageState:
        return self.document if stage == Stage.DOCUMENT else self.site


class VoteRecord(_Model):
    round: int
    present: int
    ballots: dict[str, Ballot]
    at: datetime


class AwardResult(_Model):
    candidates: list[str] = Field(default_factory=list)
    votes: list[VoteRecord] = Field(default_factory=list)
    winners: list[str] = Field(default_factory=list)
    runoff: list[str] = Field(default_factory=list)
    decided: bool = False


class ObjectionState(_Model):
    number: int
    credit_code: str
    name: str
    contact: str
    content: str
    received_at: datetime
    finding: str | None = None
    report: str | None = None
    decision: str | None = None

    def resolved(self) -> bool:
        if self.finding is None:
            return False
        return self.finding == "unsubstantiated" or self.decision is not None


class CycleState(_Model):
    phase: Phase = Phase.OPEN
    opened_at: datetime
    applications: dict[str, ApplicationState] = Field(default_factory=dict)
    declared_conflicts: dict[str, list[str]] = Field(default_factory=dict)
    timers: dict[str, datetime] = Field(default_factory=dict)
    stage_due: dict[str, date] = Field(default_factory=dict)
    shortlist: list[str] = Field(default_factory=list)
    results: dict[str, AwardResult] = Field(default_factory=dict)
    publicity_opens: datetime | None = None
    publicity_closes: datetime | None = None
    objections: list[ObjectionState] = Field(default_factory=list)
    awarded_on: date | None = None
    cancel_reason: str | None = None
    document_closed_early_reason: str | None = None
    attention: str | None = None
    revision: int = 0
    """Bumped on every projection write, so a late write never overwrites a newer one."""
    outbox: Outbox | None = None
    """Changes not yet written to the database (see `Transitions.flush`)."""
    changes: int = 0
    """How many changes have been queued for the database since the cycle opened."""
    written: int = 0
    """How many of `changes` the database has (a reader waits until it has caught up)."""


# --- activity payloads ------------------------------------------------------------------


class FactsRequest(_Model):
    credit_codes: list[str]


class OrganizationEligibilityData(_Model):
    credit_code: str
    facts: OrganizationFacts
    honors: list[HeldHonor]


class VerificationRequest(_Model):
    """Ask the departments to verify these applications (§4(1))."""

    workflow_id: str
    credit_codes: list[str]


class FactsResponse(_Model):
    organizations: dict[str, OrganizationEligibilityData]


class NoticeDraft(_Model):
    key: str
    kind: str
    audience: str
    on: date
    at: datetime
    title: str
    body: str
    credit_code: str | None = None
    reviewer: str | None = None
    cycle_year: int | None = None


class NoticeBatch(_Model):
    notices: list[NoticeDraft]


class ScoreItems(_Model):
    credit_code: str
    stage: Stage
    reviewer: str
    items: dict[str, int]


class Outbox(_Model):
    """What changed since the last projection write: the next write's content."""

    everything: bool = False
    """Every application (cycle-wide changes: a phase ending, cancellation)."""
    codes: list[str] = Field(default_factory=list)
    panel_codes: list[str] = Field(default_factory=list)
    """Applications whose panels or scores changed (their rewrite is the costly part)."""
    score_items: list[ScoreItems] = Field(default_factory=list)
    notices: list[NoticeDraft] = Field(default_factory=list)
    urgent: bool = False
    """Holds a change the cycle made by itself (written at once, even when writes defer)."""

    def size(self) -> int:
        return len(self.codes) + len(self.score_items) + len(self.notices)


class CycleProjection(_Model):
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


class HonorGrant(_Model):
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


class HonorGrants(_Model):
    cycle_workflow_id: str
    grants: list[HonorGrant]


class CycleStatus(_Model):
    """Answer of the ``status`` query: enough for callers to wait on the workflow."""

    phase: str
    next_due: datetime | None
    idle: bool
    business_now: datetime
    attention: str | None = None
    changes: int = 0
    written: int = 0
    """The database has caught up with the workflow when `written == changes`.

    `idle` does not wait for writes a cycle defers (`CycleInput.defer_writes`): a reader
    sends `sync` first."""


CycleState.model_rebuild()
CycleInput.model_rebuild()
