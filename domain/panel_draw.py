# ruff: noqa: RUF001, RUF002, RUF003, RUF100 -- Chinese text uses full-width punctuation.
"""A fair, reproducible panel draw (随机抽取, §2(3)3, §2(4), §6(1)) and who may be assigned.

`assignable` is the pool rule (§2(3)3 聘任, §6(7) 取消评审资格): a reviewer may sit on a
panel on a day within their appointment term and while not disqualified. A reviewer with no
recorded appointment predates the appointment register and stays assignable (README).

`draw_panel` picks `size` reviewers for one application from a candidate pool: only the
assignable ones without a conflict (`domain.panels.conflicted`, the assignment's own rule),
at least one an industry expert for the applicant's industry (else
`panel_needs_industry_expert`), preferring the least loaded (fewest seats in the cycle),
ties broken by a `random.Random(seed)`. The same pool, seed and size give the same panel,
so the supervisor can reproduce a draw from what is kept. The drawn industry expert leads.
The generator is seeded and local: no global randomness, so the function stays pure.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from domain.errors import DomainError, ErrorCode
from domain.panels import PanelCandidate, conflicted


@dataclass(frozen=True)
class Appointment:
    """A reviewer's standing in the pool on a day: term (聘任期) and discipline."""

    term_from: date | None = None
    term_until: date | None = None
    disqualified_on: date | None = None


def assignable(appointment: Appointment, on: date) -> ErrorCode | None:
    """None when the reviewer may be assigned on `on`, else the refusal's code."""
    if appointment.disqualified_on is not None and appointment.disqualified_on <= on:
        return ErrorCode.REVIEWER_DISQUALIFIED
    if appointment.term_from is not None and on < appointment.term_from:
        return ErrorCode.REVIEWER_OUT_OF_TERM
    if appointment.term_until is not None and on > appointment.term_until:
        return ErrorCode.REVIEWER_OUT_OF_TERM
    return None


@dataclass(frozen=True)
class DrawCandidate:
    reviewer: PanelCandidate
    appointment: Appointment = field(default_factory=Appointment)
    load: int = 0
    """Seats the reviewer already holds in the cycle."""
    declared: tuple[str, ...] = ()
    """Credit codes the reviewer declared a conflict with (回避)."""


@dataclass(frozen=True)
class DrawResult:
    members: list[str]
    leader: str
    eligible: list[str]
    excluded: dict[str, str]
    """Reviewer code → why not eligible (error code value)."""


def exclusion(candidate: DrawCandidate, credit_code: str, on: date) -> ErrorCode | None:
    """Why a candidate may not be drawn for this applicant on `on`, or None."""
    refusal = assignable(candidate.appointment, on)
    if refusal is not None:
        return refusal
    if conflicted(candidate.reviewer, credit_code, candidate.declared):
        return ErrorCode.CONFLICT_OF_INTEREST
    return None


def draw_panel(
    pool: Sequence[DrawCandidate],
    credit_code: str,
    industry: str,
    size: int,
    seed: int,
    on: date,
) -> DrawResult:
    """Draw `size` reviewers (see the module's docstring); refuses `panel_too_small` when
    fewer are eligible and `panel_needs_industry_expert` when no eligible expert exists."""
    excluded: dict[str, str] = {}
    eligible: list[DrawCandidate] = []
    for candidate in sorted(pool, key=lambda c: c.reviewer.code):
        refusal = exclusion(candidate, credit_code, on)
        if refusal is None:
            eligible.append(candidate)
        else:
            excluded[candidate.reviewer.code] = refusal.value
    codes = [c.reviewer.code for c in eligible]
    experts = [c for c in eligible if industry in c.reviewer.industries]
    if not experts:
        raise DomainError(ErrorCode.PANEL_NEEDS_INDUSTRY_EXPERT, "可抽取的评审员中没有该行业专家")
    if len(eligible) < size:
        raise DomainError(
            ErrorCode.PANEL_TOO_SMALL, f"可抽取的评审员只有{len(eligible)}名，需要{size}名"
        )
    rng = random.Random(seed)
    # One random rank per eligible reviewer, drawn in code order: the order of the pool
    # given does not matter, only its content and the seed.
    rank = {c.reviewer.code: rng.random() for c in eligible}

    def order(c: DrawCandidate) -> tuple[int, float]:
        return c.load, rank[c.reviewer.code]

    expert = min(experts, key=order)
    rest = sorted((c for c in eligible if c is not expert), key=order)[: size - 1]
    members = [expert.reviewer.code] + [c.reviewer.code for c in rest]
    return DrawResult(members, expert.reviewer.code, codes, excluded)
