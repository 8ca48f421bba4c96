"""Input, state, status and result of the cycle workflow."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime

from pydantic import Field

from contracts.base import Contract
from contracts.commands import FindingCommand
from domain.committee import Ballot
from domain.phases import Outcome, Phase, Stage
from domain.rules import ProgramRules
from domain.types import Award


class CycleInput(Contract):
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
    history_bytes_limit: int = 8 * 1024 * 1024
    """… or once the run's history has grown by this many bytes since it read its
    applications back (under Temporal's 10 MB warning; `TimedWorkflow.history_too_long`)."""
    defer_writes: bool = False
    """Changes reach the database when a reader asks (`sync`), not command by command.

    For callers that read the database only when the cycle is idle (the simulator); see
    `workflows.writer.ProjectionWriter` for the policy.
    """


class Reason(Contract):
    reason: str
    rule: str
    clause: str = ""
    message: str = ""


class StageState(Contract):
    members: list[str] = Field(default_factory=list)
    leader: str | None = None
    scores: dict[str, float] = Field(default_factory=dict)
    consensus: float | None = None
    closed: bool = False
    report_notified: bool = False
    scored: int = 0
    """Scores and consensus entries taken, so a rescore shows in `fingerprint`."""

    def complete(self, min_size: int = 1) -> bool:
        """Every member has scored, and the panel still has its minimum size (§2(4))."""
        return len(self.members) >= max(min_size, 1) and all(m in self.scores for m in self.members)

    def fingerprint(self) -> str:
        """What the panel's report is made of, as a digest: any change of the panel or a
        score (also one giving the same total) changes it (§4(3) confirmation)."""
        data = [self.members, self.leader, sorted(self.scores.items()), self.consensus]
        text = json.dumps([*data, self.scored], ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()


class ApplicationState(Contract):
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
    takes_quota_place: bool = True
    """Would take one of the award's quota places if it won (§5(3); set at qualification)."""
    site_report_confirmed_at: datetime | None = None
    site_report_sha256: str | None = None
    """The digest of the site review report the applicant confirmed (§4(3))."""
    candidate_rank: int | None = None
    """Its place (from 1) on its award's candidate list once the committee has it (§4(4)):
    what a run after continue-as-new rebuilds `AwardResult.candidates` from."""
    document_score: float | None = None
    site_score: float | None = None
    total_score: float | None = None

    def stage(self, stage: Stage) -> StageState:
        return self.document if stage == Stage.DOCUMENT else self.site


class VoteRecord(Contract):
    round: int
    present: int
    ballots: dict[str, Ballot]
    at: datetime
    series: int = 1
    """Which result of the award this vote belongs to: 2 and on replace the one before."""
    reason: str | None = None
    """Why this vote replaces the award's earlier result (the first vote of a new series)."""


class AwardResult(Contract):
    candidates: list[str] = Field(default_factory=list)
    votes: list[VoteRecord] = Field(default_factory=list)
    winners: list[str] = Field(default_factory=list)
    runoff: list[str] = Field(default_factory=list)
    decided: bool = False


class ObjectionState(Contract):
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


class DeadlineExtension(Contract):
    what: str
    previous: date
    until: date
    reason: str
    at: datetime


class CycleState(Contract):
    phase: Phase = Phase.OPEN
    opened_at: datetime
    applications: dict[str, ApplicationState] = Field(default_factory=dict)
    declared_conflicts: dict[str, list[str]] = Field(default_factory=dict)
    disqualified: dict[str, date] = Field(default_factory=dict)
    """§6(7): reviewers disqualified while the cycle runs, with the date."""
    timers: dict[str, datetime] = Field(default_factory=dict)
    stage_due: dict[str, date] = Field(default_factory=dict)
    results: dict[str, AwardResult] = Field(default_factory=dict)
    publicity_opens: datetime | None = None
    publicity_closes: datetime | None = None
    objections: list[ObjectionState] = Field(default_factory=list)
    awarded_on: date | None = None
    cancel_reason: str | None = None
    document_closed_early_reason: str | None = None
    attention: str | None = None
    application_deadline: date | None = None
    """The application deadline once the office has extended it (else the input's)."""
    extensions: list[DeadlineExtension] = Field(default_factory=list)
    entered: dict[str, datetime] = Field(default_factory=dict)
    """When the cycle entered each phase it has been in (business time; by phase code):
    what the timeline draws. Empty in runs begun before it was kept."""
    applications_in_database: bool = False
    """Continued as new: `applications` is empty, and the new run reads them back from the
    database (every one as last written) before it handles anything."""
    results_in_database: bool = False
    """Continued as new: `results` came without their candidate lists and votes without
    their ballots (`workflows.cycle_carry`); the new run takes them back from the
    applications and the database before it handles anything."""
    revision: int = 0
    """The last projection write's revision (see `workflows.writer`): carried over
    continue-as-new, so a late write never overwrites a newer one."""


class CycleResult(Contract):
    """What a finished cycle run returns (its records are in the database)."""

    phase: Phase
    revision: int


class CycleStatus(Contract):
    """Answer of the ``status`` query: enough for callers to wait on the workflow."""

    phase: str
    next_due: datetime | None
    idle: bool
    """No command or timer is being handled and no write is in flight or due."""
    business_now: datetime
    attention: str | None = None
    unwritten: bool = False
    """Changes wait for `sync` (`CycleInput.defer_writes`): read the database after it."""


CycleState.model_rebuild()
CycleInput.model_rebuild()
