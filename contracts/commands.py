"""Commands of the cycle workflow (updates with validators, DESIGN.md §4)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from contracts.base import Contract
from domain.committee import Ballot
from domain.phases import Stage
from domain.types import Award


class ApplyCommand(Contract):
    credit_code: str
    organization_id: int
    name: str
    award: Award
    industry: str


class FindingCommand(Contract):
    credit_code: str
    passed: bool
    reason: str | None = None
    note: str = ""
    department: str = ""


class ReviewerInfo(Contract):
    """What the cycle needs to know about a reviewer to check 回避 (§6(1)) and expertise."""

    code: str
    employer_credit_code: str | None = None
    industries: list[str] = Field(default_factory=list)
    tied_credit_codes: list[str] = Field(default_factory=list)


class AssignPanelCommand(Contract):
    stage: Stage
    credit_code: str
    reviewers: list[ReviewerInfo]
    leader: str


class ConflictCommand(Contract):
    reviewer: str
    credit_code: str


class DisqualifyCommand(Contract):
    """§6(7) 取消评审资格: the reviewer leaves every open panel of the cycle."""

    reviewer: str
    reason: str
    on: date


class ScoreCommand(Contract):
    stage: Stage
    credit_code: str
    reviewer: str
    points: float | None = None
    items: dict[str, int] | None = None


class ConsensusCommand(Contract):
    stage: Stage
    credit_code: str
    points: float
    reviewer: str | None = None
    """The panel leader recording it, when known (the API); None for the office/simulator."""


class CloseStageCommand(Contract):
    stage: Stage
    reason: str = Field(min_length=1)


class ShortlistCommand(Contract):
    credit_codes: list[str] | None = None
    auto: bool = False


class ConfirmSiteReportCommand(Contract):
    credit_code: str


class VoteCommand(Contract):
    award: Award
    present: int
    ballots: dict[str, Ballot]
    replaces_reason: str | None = None
    """Set: this result replaces the award's earlier one (a mistake in entering it), until
    the publicity list is published; the earlier result stays on record (§4(4))."""


class ObjectionCommand(Contract):
    credit_code: str
    name: str
    contact: str
    content: str


class InvestigateCommand(Contract):
    number: int
    finding: str = Field(pattern="^(substantiated|unsubstantiated)$")
    report: str = ""


class CommitteeDecisionCommand(Contract):
    credit_code: str
    remove: bool


class ApproveCommand(Contract):
    strike: list[str] = Field(default_factory=list)


class CancelCommand(Contract):
    reason: str = Field(min_length=1)


class WithdrawCommand(Contract):
    credit_code: str


class ExtendDeadlineCommand(Contract):
    """The office moves a deadline later, with a reason (DESIGN §2): the application deadline
    before it has passed, or a review stage's due date. Never earlier: applicants were
    promised the date."""

    what: Literal["application", "document", "site"]
    until: date
    reason: str = Field(min_length=1)
