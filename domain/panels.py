"""Review panels (§2(4)) and recusal (回避, §6(1)): who may sit on an applicant's panel."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from domain.errors import DomainError, ErrorCode
from domain.rules import ProgramRules


@dataclass(frozen=True)
class PanelCandidate:
    """What the rules need to know of a reviewer: employer, expertise, registered ties."""

    code: str
    employer_credit_code: str | None
    industries: Collection[str]
    tied_credit_codes: Collection[str]


def conflicted(reviewer: PanelCandidate, credit_code: str, declared: Collection[str] = ()) -> bool:
    """§6(1) 回避: employed by the applicant, or a registered or declared tie to it."""
    return (
        reviewer.employer_credit_code == credit_code
        or credit_code in reviewer.tied_credit_codes
        or credit_code in declared
    )


def check_panel(
    credit_code: str,
    industry: str,
    members: Sequence[PanelCandidate],
    leader: str,
    rules: ProgramRules,
    declared: dict[str, list[str]] | None = None,
) -> None:
    """§2(4): at least `panel.min_size` reviewers incl. an industry expert for the applicant's
    industry, and one leader among them; §6(1): nobody who must recuse."""
    codes = [m.code for m in members]
    if len(set(codes)) != len(codes):
        raise DomainError(ErrorCode.INVALID_INPUT, "评审组成员重复")
    if len(codes) < rules.panel.min_size:
        raise DomainError(ErrorCode.PANEL_TOO_SMALL)
    if leader not in codes:
        raise DomainError(ErrorCode.LEADER_NOT_IN_PANEL)
    if not any(industry in m.industries for m in members):
        raise DomainError(ErrorCode.PANEL_NEEDS_INDUSTRY_EXPERT)
    for m in members:
        if conflicted(m, credit_code, (declared or {}).get(m.code, ())):
            raise DomainError(ErrorCode.CONFLICT_OF_INTEREST, f"评审员 {m.code} 须回避")
