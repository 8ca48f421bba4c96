"""The scenario file of `qaward simulate` (DESIGN.md §6): parsing and validation.

A file that does not fit raises `ScenarioError` naming the entry and its line; the CLI
exits 2 for it. Facts are not judged here: an organization whose credit code fails the
check is still a valid entry (the refusal shows on the first action that uses it).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, field_validator

from domain.dates import SHANGHAI, start_of_day
from domain.types import Award, Industry, RecordKind
from services.schemas import MuGrade, Printable


class ScenarioError(ValueError):
    """The scenario file is invalid; the message names the entry (and line)."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _bool_keys(value: Any, mapping: dict[bool, str]) -> Any:
    """YAML 1.1 reads unquoted `on`, `yes`, `no` as booleans; give them their names back."""
    if isinstance(value, dict):
        return {mapping.get(k, k) if isinstance(k, bool) else k: v for k, v in value.items()}
    return value


class RecordEntryIn(_Model):
    on: date
    kind: RecordKind
    note: str = ""


class OrganizationIn(_Model):
    name: Printable = Field(min_length=1, max_length=200)
    credit_code: str = Field(min_length=1)
    county: str = Field(default="庆元县", min_length=1, max_length=50)
    registered_on: date
    industry: Industry
    industrial: bool = False
    excellence_since: date | None = None
    mu_efficiency: dict[int, MuGrade] = Field(default_factory=dict)
    record: list[RecordEntryIn] = Field(default_factory=list)

    @field_validator("credit_code", mode="before")
    @classmethod
    def _code_as_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) else value

    @field_validator("record", mode="before")
    @classmethod
    def _record_keys(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [_bool_keys(entry, {True: "on"}) for entry in value]
        return value


class HonorIn(_Model):
    organization: str
    award: Award
    year: int
    awarded_on: date


class TrainingIn(_Model):
    on: date
    title: Printable = Field(min_length=1, max_length=200)
    hours: float | None = Field(default=None, ge=0)


class ReviewerIn(_Model):
    name: Printable = Field(min_length=1, max_length=100)
    industries: list[Industry] = Field(default_factory=list)
    employer: str | None = None
    ties: list[str] = Field(default_factory=list)
    term_from: date | None = None
    """§2(3)3 聘任: the appointment term (both or neither); outside it, not assignable."""
    term_until: date | None = None
    trainings: list[TrainingIn] = Field(default_factory=list)


class CommitteeIn(_Model):
    members: int = Field(default=9, ge=1)


class BallotIn(_Model):
    yes: int = Field(ge=0)
    no: int = Field(default=0, ge=0)
    abstain: int = Field(default=0, ge=0)


def _at(value: Any) -> Any:
    """Date-only means 00:00 Asia/Shanghai; naive times are Asia/Shanghai."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=SHANGHAI)
    if isinstance(value, date):
        return start_of_day(value)
    if isinstance(value, str):
        text = value.strip()
        if len(text) == 10:
            return start_of_day(date.fromisoformat(text))
        parsed = datetime.fromisoformat(text)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=SHANGHAI)
    return value


class _Action(_Model):
    at: datetime | None = None
    year: int | None = None

    @field_validator("at", mode="before")
    @classmethod
    def _parse_at(cls, value: Any) -> Any:
        return _at(value)


class OpenCycle(_Action):
    do: Literal["open_cycle"]
    year: int
    application_deadline: date
    committee_members: int | None = None


class Apply(_Action):
    do: Literal["apply"]
    organization: str
    award: Award


class Withdraw(_Action):
    do: Literal["withdraw"]
    organization: str


class DepartmentFindingIn(_Action):
    do: Literal["department_finding"]
    organization: str
    passed: bool
    reason: str | None = None
    note: str = ""
    department: str = ""


class CloseQualification(_Action):
    do: Literal["close_qualification"]


class AssignPanel(_Action):
    do: Literal["assign_panel"]
    stage: Literal["document", "site"]
    organization: str
    reviewers: list[str]
    leader: str


class DeclareConflict(_Action):
    do: Literal["declare_conflict"]
    reviewer: str
    organization: str


class ScoreIn(_Action):
    do: Literal["score"]
    stage: Literal["document", "site"]
    organization: str
    reviewer: str
    points: float | None = None
    items: dict[str, int] | None = None

    @field_validator("items", mode="before")
    @classmethod
    def _item_codes(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {str(k): v for k, v in value.items()}
        return value


class Consensus(_Action):
    do: Literal["consensus"]
    stage: Literal["document", "site"]
    organization: str
    points: float
    reviewer: str | None = None


class CloseStage(_Action):
    do: Literal["close_stage"]
    stage: Literal["document", "site"]
    reason: str


class ExtendDeadline(_Action):
    do: Literal["extend_deadline"]
    what: Literal["application", "document", "site"]
    until: date
    reason: str


class Shortlist(_Action):
    do: Literal["shortlist"]
    organizations: list[str] | None = None
    auto: bool = False


class ConfirmSiteReport(_Action):
    do: Literal["confirm_site_report"]
    organization: str


class Vote(_Action):
    do: Literal["vote", "replace_vote"]
    award: Award
    present: int
    ballots: dict[str, BallotIn]
    reason: str | None = None
    """`replace_vote`: why this result replaces the award's earlier one."""

    @field_validator("ballots", mode="before")
    @classmethod
    def _ballot_keys(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {k: _bool_keys(v, {True: "yes", False: "no"}) for k, v in value.items()}
        return value


class Object(_Action):
    do: Literal["object"]
    organization: str
    name: str = ""
    contact: str = ""
    content: str = ""

    @field_validator("name", "contact", "content", mode="before")
    @classmethod
    def _text(cls, value: Any) -> Any:
        return "" if value is None else str(value)


class Investigate(_Action):
    do: Literal["investigate"]
    objection: int = Field(ge=1)
    finding: Literal["substantiated", "unsubstantiated"]
    report: str = ""


class CommitteeDecision(_Action):
    do: Literal["committee_decision"]
    organization: str
    remove: bool


class Approve(_Action):
    do: Literal["approve"]
    strike: list[str] = Field(default_factory=list)


class ReportIncident(_Action):
    do: Literal["report_incident"]
    organization: str
    award: Award
    occurred_on: date
    kind: str = "major_accident"
    major_adverse_impact: bool = True
    note: str = ""


class ReportFraud(_Action):
    do: Literal["report_fraud"]
    organization: str
    award: Award
    note: str = ""


class ApproveRevocation(_Action):
    do: Literal["approve_revocation"]
    organization: str
    award: Award


class CancelCycle(_Action):
    do: Literal["cancel_cycle"]
    reason: str


class Snapshot(_Action):
    do: Literal["snapshot"]


# --- supervision and review quality (§2(3)3–4, §6(1), §6(3), §6(7)) -------------------------


class RecordIrregularity(_Action):
    do: Literal["record_irregularity"]
    subject_kind: Literal["reviewer", "panel", "application", "office"]
    subject: str | None = None
    """A reviewer key (reviewer) or an organization key (panel, application)."""
    description: Printable = Field(min_length=1, max_length=5000)
    occurred_on: date | None = None
    evidence: str = ""


class CorrectIrregularity(_Action):
    do: Literal["correct_irregularity"]
    number: int = Field(ge=1)
    action: Printable = Field(min_length=1, max_length=5000)


class CloseIrregularity(_Action):
    do: Literal["close_irregularity"]
    number: int = Field(ge=1)
    note: str = ""


class DisciplineIn(_Action):
    do: Literal["disqualify_reviewer", "criticize_reviewer"]
    reviewer: str
    reason: Printable = Field(min_length=1, max_length=2000)
    on: date | None = None


class SubmitFollowUp(_Action):
    do: Literal["submit_follow_up"]
    organization: str
    award: Award
    number: int | None = Field(default=None, ge=1)
    """Year of validity; default: the earliest task without a report."""
    report: Printable = Field(default="年度持续实施卓越绩效管理情况报告", min_length=1)


class EvaluateFollowUp(_Action):
    do: Literal["evaluate_follow_up"]
    organization: str
    award: Award
    number: int = Field(ge=1)
    evaluation: Literal["良好", "一般", "需改进"]
    note: str = ""


class DrawPanel(_Action):
    do: Literal["draw_panel"]
    stage: Literal["document", "site"]
    organization: str
    seed: int | None = Field(default=None, ge=0, lt=2**31)
    size: int | None = Field(default=None, ge=1)
    adopt: bool = True
    """Adopt the drawn panel (or the adjusted one, when `reviewers` is given)."""
    reviewers: list[str] | None = None
    leader: str | None = None
    reason: str | None = None


Action = Annotated[
    OpenCycle
    | Apply
    | Withdraw
    | DepartmentFindingIn
    | CloseQualification
    | AssignPanel
    | DeclareConflict
    | ScoreIn
    | Consensus
    | CloseStage
    | ExtendDeadline
    | Shortlist
    | ConfirmSiteReport
    | Vote
    | Object
    | Investigate
    | CommitteeDecision
    | Approve
    | ReportIncident
    | ReportFraud
    | ApproveRevocation
    | CancelCycle
    | Snapshot
    | RecordIrregularity
    | CorrectIrregularity
    | CloseIrregularity
    | DisciplineIn
    | SubmitFollowUp
    | EvaluateFollowUp
    | DrawPanel,
    Field(discriminator="do"),
]
_ACTION = TypeAdapter(Action)


class Scenario(_Model):
    rules: dict[str, Any] = Field(default_factory=dict)
    committee: CommitteeIn = Field(default_factory=CommitteeIn)
    organizations: dict[str, OrganizationIn] = Field(default_factory=dict)
    honors: list[HonorIn] = Field(default_factory=list)
    reviewers: dict[str, ReviewerIn] = Field(default_factory=dict)
    timeline: list[Any] = Field(default_factory=list)
    actions: list[Action] = Field(default_factory=list, exclude=True)


def _lines(text: str) -> list[int]:
    """1-based line of each timeline entry, for messages."""
    try:
        root = yaml.compose(text)
    except yaml.YAMLError:
        return []
    if not isinstance(root, yaml.MappingNode):
        return []
    for key, value in root.value:
        if key.value == "timeline" and isinstance(value, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in value.value]
    return []


def _explain(err: ValidationError, text: str | None = None) -> str:
    first = err.errors()[0]
    where = ".".join(str(p) for p in first["loc"])
    line = _line_of(text, first["loc"]) if text is not None else None
    if line is not None:
        where = f"{where}（第 {line} 行 / line {line}）"
    return f"{where}: {first['msg']}" if where else first["msg"]


def _line_of(text: str, loc: tuple[int | str, ...]) -> int | None:
    """1-based line of the deepest YAML node on the path `loc` (for error messages)."""
    try:
        node = yaml.compose(text)
    except yaml.YAMLError:
        return None
    line = None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            found = [v for k, v in node.value if str(k.value) == str(part)]
            if not found:
                break
            node = found[0]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                break
            node = node.value[part]
        else:
            break
        line = node.start_mark.line + 1
    return line


def parse_scenario(text: str) -> Scenario:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as err:
        raise ScenarioError(f"YAML 格式错误 / invalid YAML: {err}") from None
    if not isinstance(data, dict):
        raise ScenarioError("情景文件应为键值映射 / the scenario must be a mapping")
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as err:
        raise ScenarioError(f"情景文件无效 / invalid scenario: {_explain(err, text)}") from None
    lines = _lines(text)
    actions = []
    for index, entry in enumerate(scenario.timeline):
        line = f"（第 {lines[index]} 行 / line {lines[index]}）" if index < len(lines) else ""
        try:
            action = _ACTION.validate_python(entry)
        except ValidationError as err:
            raise ScenarioError(
                f"timeline[{index}]{line} 无效 / invalid: {_explain(err)}"
            ) from None
        if index == 0 and action.at is None:
            raise ScenarioError(f"timeline[0]{line} 须给出 at / the first action needs `at`")
        actions.append(action)
    previous: datetime | None = None
    for index, action in enumerate(actions):
        if action.at is not None:
            if previous is not None and action.at < previous:
                line = f"（第 {lines[index]} 行）" if index < len(lines) else ""
                raise ScenarioError(
                    f"timeline[{index}]{line} 时间早于上一条 / `at` goes back in time"
                )
            previous = action.at
    scenario.actions = actions
    _check_references(scenario, lines)
    return scenario


def _check_references(scenario: Scenario, lines: list[int]) -> None:
    """Every key an entry names must be defined in `organizations` / `reviewers`."""
    orgs, reviewers = scenario.organizations, scenario.reviewers
    for n, honor in enumerate(scenario.honors):
        if honor.organization not in orgs:
            raise ScenarioError(
                f"honors[{n}]: 未定义的组织 / unknown organization {honor.organization!r}"
            )
    for key, reviewer in reviewers.items():
        for tie in reviewer.ties:
            if tie not in orgs:
                raise ScenarioError(
                    f"reviewers.{key}.ties: 未定义的组织 / unknown organization {tie!r}"
                )
    for index, action in enumerate(scenario.actions):
        line = f"（第 {lines[index]} 行 / line {lines[index]}）" if index < len(lines) else ""
        names_org = [getattr(action, "organization", None)]
        names_org += list(getattr(action, "organizations", None) or [])
        names_org += list(getattr(action, "strike", None) or [])
        names_org += list((getattr(action, "ballots", None) or {}).keys())
        for org in names_org:
            if org is not None and org not in orgs:
                raise ScenarioError(
                    f"timeline[{index}]{line}: 未定义的组织 / unknown organization {org!r}"
                )
        names_rev = [getattr(action, "reviewer", None), getattr(action, "leader", None)]
        names_rev += list(getattr(action, "reviewers", None) or [])
        for rev in names_rev:
            if rev is not None and rev not in reviewers:
                raise ScenarioError(
                    f"timeline[{index}]{line}: 未定义的评审员 / unknown reviewer {rev!r}"
                )
