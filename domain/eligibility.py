# ruff: noqa: RUF001, RUF100 -- Chinese messages use full-width punctuation on purpose.
"""Eligibility E1-E8 (§3(1), §5(3); DESIGN.md 3.1), evaluated at the reference date.

The reference date is the cycle's application deadline. Every failing rule is reported,
not just the first.
"""

from collections.abc import Iterator, Sequence
from datetime import date

from pydantic import BaseModel, ConfigDict, field_validator

from domain.dates import add_years, in_lookback
from domain.errors import CLAUSES, MESSAGES, RULE_IDS, ErrorCode
from domain.rules import ProgramRules, award_rules
from domain.types import Award, Industry, RecordKind

__all__ = [
    "ELIGIBILITY_REASONS",
    "DepartmentFinding",
    "Failure",
    "HeldHonor",
    "OrganizationFacts",
    "RecordEntry",
    "evaluate_eligibility",
    "failure",
    "is_repeat_winner",
]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class RecordEntry(_Frozen):
    """A dated entry in an organization's record (E5, E7)."""

    on: date
    kind: RecordKind


class OrganizationFacts(_Frozen):
    """What an applicant declares and the departments hold about it."""

    county: str
    registered_on: date
    industry: Industry
    industrial: bool
    excellence_since: date | None
    mu_efficiency: dict[int, str]
    record: list[RecordEntry]


class HeldHonor(_Frozen):
    """An honor held before this cycle (honors register)."""

    award: Award
    year: int
    awarded_on: date
    revoked: bool = False


ELIGIBILITY_REASONS = frozenset(code for code, rule in RULE_IDS.items() if rule.startswith("E"))
"""Reason codes of E1-E8 (and `other`): the reasons a department finding may give."""


class DepartmentFinding(_Frozen):
    """A department's verification result (E2, E3 judgement, E4; §4(1))."""

    passed: bool
    reason: ErrorCode | None = None
    note: str = ""

    @field_validator("reason")
    @classmethod
    def _eligibility_reason(cls, reason: ErrorCode | None) -> ErrorCode | None:
        if reason is not None and reason not in ELIGIBILITY_REASONS:
            raise ValueError(f"{reason.value} 不是资格审查的理由代码")
        return reason


class Failure(_Frozen):
    """One failed rule, with its id, seed clause and Chinese message."""

    reason: ErrorCode
    rule: str
    clause: str
    message: str


def failure(reason: ErrorCode, note: str = "") -> Failure:
    """A `Failure` for `reason`, its message extended by `note` when given."""
    message = MESSAGES[reason]
    return Failure(
        reason=reason,
        rule=RULE_IDS[reason],
        clause=CLAUSES[reason],
        message=f"{message}：{note}" if note.strip() else message,
    )


_RECORD_REASONS: dict[RecordKind, ErrorCode] = {
    RecordKind.CREDIT_RECORD: ErrorCode.POOR_CREDIT_RECORD,
    RecordKind.FAILED_INSPECTION: ErrorCode.FAILED_INSPECTION,
    RecordKind.MAJOR_ACCIDENT: ErrorCode.MAJOR_ACCIDENT,
    RecordKind.MAJOR_COMPLAINT: ErrorCode.MAJOR_COMPLAINT,
    RecordKind.SERIOUS_VIOLATION: ErrorCode.SERIOUS_VIOLATION,
}

_REAPPLY_REASONS: dict[Award, ErrorCode] = {
    Award.QUALITY: ErrorCode.QUALITY_REAPPLY_WAIT,
    Award.INNOVATION: ErrorCode.INNOVATION_REAPPLY_WAIT,
}


def _held(honors: Sequence[HeldHonor], award: Award) -> list[HeldHonor]:
    """Honors of `award` that count as held: a revoked honor does not (DESIGN 3.4)."""
    return [honor for honor in honors if honor.award == award and not honor.revoked]


def is_repeat_winner(award: Award, honors: Sequence[HeldHonor]) -> bool:
    """Whether the organization holds a not-revoked honor of `award` (§5(3))."""
    return bool(_held(honors, award))


def _registration(
    facts: OrganizationFacts, reference: date, rules: ProgramRules
) -> Iterator[ErrorCode]:
    """E1 (§3(1)1): registered in the county, operating at least 3 full years (3 years passes)."""
    if facts.county.strip() != rules.eligibility.county:
        yield ErrorCode.NOT_REGISTERED_IN_COUNTY
    # Forward arithmetic, so registration on 29 Feb completes its years on 28 Feb (DESIGN 3.4).
    if add_years(facts.registered_on, rules.eligibility.registered_years) > reference:
        yield ErrorCode.REGISTERED_UNDER_3_YEARS


def _excellence(
    facts: OrganizationFacts, reference: date, rules: ProgramRules
) -> Iterator[ErrorCode]:
    """E3 (§3(1)3): performance excellence for 2 full years, except exempt industries."""
    if facts.industry in rules.eligibility.exempt_industries:
        return
    since = facts.excellence_since
    if since is None or add_years(since, rules.eligibility.excellence_years) > reference:
        yield ErrorCode.EXCELLENCE_MANAGEMENT_UNDER_2_YEARS


def _mu_efficiency(
    facts: OrganizationFacts, cycle_year: int, rules: ProgramRules
) -> Iterator[ErrorCode]:
    """E6 (§3(1)6): industrial enterprises need grade A or B for the year before the cycle."""
    if not facts.industrial:
        return
    grade = facts.mu_efficiency.get(cycle_year - 1)
    if grade is None or not grade.strip():
        yield ErrorCode.MU_EFFICIENCY_MISSING
    elif grade.strip().upper() not in {
        g.strip().upper() for g in rules.eligibility.mu_grades_passing
    }:
        yield ErrorCode.MU_EFFICIENCY_BELOW_B


def _record(
    facts: OrganizationFacts, reference: date, rules: ProgramRules, kinds: Sequence[RecordKind]
) -> Iterator[ErrorCode]:
    """Entries of `kinds` dated in the 3 years before the reference date (E5, E7)."""
    years = rules.eligibility.lookback_years
    found = {entry.kind for entry in facts.record if in_lookback(entry.on, reference, years)}
    for kind in kinds:
        if kind in found:
            yield _RECORD_REASONS[kind]


# E5 (§3(1)5): good credit record — no credit-record entry (e.g. from a fraud revocation).
_CREDIT = (RecordKind.CREDIT_RECORD,)
# E7 (§3(1)7): no failed inspection, major accident, major complaint or serious violation.
_INCIDENTS = (
    RecordKind.FAILED_INSPECTION,
    RecordKind.MAJOR_ACCIDENT,
    RecordKind.MAJOR_COMPLAINT,
    RecordKind.SERIOUS_VIOLATION,
)


def _reapplication(
    award: Award, cycle_year: int, honors: Sequence[HeldHonor], rules: ProgramRules
) -> Iterator[ErrorCode]:
    """E8 (§5(3)): a holder may apply again only when cycle year ≥ award year + wait."""
    wait = award_rules(rules, award).reapply_after_years
    if any(cycle_year < honor.year + wait for honor in _held(honors, award)):
        yield _REAPPLY_REASONS[award]


def evaluate_eligibility(
    facts: OrganizationFacts,
    award: Award,
    cycle_year: int,
    reference_date: date,
    honors: Sequence[HeldHonor],
    findings: Sequence[DepartmentFinding],
    rules: ProgramRules,
) -> list[Failure]:
    """All failed rules E1-E8, then failing department findings (E2, E3, E4), deduplicated.

    An empty list means eligible. A failing finding without a reason counts as `other`.
    """
    reasons: list[ErrorCode] = [
        *_registration(facts, reference_date, rules),
        *_excellence(facts, reference_date, rules),
        *_record(facts, reference_date, rules, _CREDIT),
        *_mu_efficiency(facts, cycle_year, rules),
        *_record(facts, reference_date, rules, _INCIDENTS),
        *_reapplication(award, cycle_year, honors, rules),
    ]
    failures = [failure(reason) for reason in reasons]
    seen = set(reasons)
    for finding in findings:
        if finding.passed:
            continue
        reason = finding.reason or ErrorCode.OTHER
        if reason not in seen:
            seen.add(reason)
            failures.append(failure(reason, finding.note))
    return failures
