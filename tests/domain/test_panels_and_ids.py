"""Panel composition (§2(4)), recusal (§6(1)) and workflow ids, once in `domain/`."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from domain.dates import add_years_instant
from domain.errors import DomainError, ErrorCode
from domain.panels import PanelCandidate, check_panel, conflicted
from domain.rules import default_rules
from domain.scoring import validate_consensus
from domain.types import Award
from domain.workflow_ids import cycle_suffix, cycle_workflow_id, honor_workflow_id

A = "91331126MA0000001H"


def reviewer(
    code: str, *, industries: tuple[str, ...] = ("services",), **kw: object
) -> PanelCandidate:
    return PanelCandidate(
        code=code,
        employer_credit_code=kw.get("employer"),  # type: ignore[arg-type]
        industries=industries,
        tied_credit_codes=kw.get("ties", ()),  # type: ignore[arg-type]
    )


PANEL = [reviewer("R1"), reviewer("R2", industries=()), reviewer("R3", industries=())]


@pytest.mark.parametrize(
    ("members", "leader", "declared", "code"),
    [
        ([*PANEL, reviewer("R1")], "R1", {}, ErrorCode.INVALID_INPUT),
        (PANEL[:2], "R1", {}, ErrorCode.PANEL_TOO_SMALL),
        (PANEL, "R9", {}, ErrorCode.LEADER_NOT_IN_PANEL),
        (
            [reviewer("R1", industries=()), *PANEL[1:]],
            "R1",
            {},
            ErrorCode.PANEL_NEEDS_INDUSTRY_EXPERT,
        ),
        ([*PANEL[:2], reviewer("R3", employer=A)], "R1", {}, ErrorCode.CONFLICT_OF_INTEREST),
        ([*PANEL[:2], reviewer("R3", ties=(A,))], "R1", {}, ErrorCode.CONFLICT_OF_INTEREST),
        (PANEL, "R1", {"R2": [A]}, ErrorCode.CONFLICT_OF_INTEREST),
    ],
)
def test_a_panel_breaking_a_rule_is_refused_with_its_code(
    members: list[PanelCandidate], leader: str, declared: dict[str, list[str]], code: ErrorCode
) -> None:
    with pytest.raises(DomainError) as refused:
        check_panel(A, "services", members, leader, default_rules(), declared)
    assert refused.value.code == code


def test_a_valid_panel_passes_and_recusal_reads_every_tie() -> None:
    check_panel(A, "services", PANEL, "R1", default_rules())
    assert not conflicted(PANEL[0], A)
    assert conflicted(PANEL[0], A, declared=[A])


def test_consensus_must_be_within_the_scale() -> None:
    assert validate_consensus(615) == 615.0
    with pytest.raises(DomainError) as refused:
        validate_consensus(1001)
    assert refused.value.code == ErrorCode.INVALID_SCORE


def test_workflow_ids() -> None:
    assert cycle_workflow_id(2025) == "cycle-2025"
    assert cycle_workflow_id(2025, "-sim", opening=2) == "cycle-2025-sim-2"
    assert cycle_suffix("cycle-2025-sim-2", 2025) == "-sim-2"
    assert honor_workflow_id(A, Award.QUALITY, 2025, "-2") == f"honor-{A}-quality-2025-2"


def test_add_years_instant_keeps_the_wall_clock_time_and_clamps_29_february() -> None:
    moment = datetime(2028, 2, 29, 9, 30, tzinfo=UTC)
    assert add_years_instant(moment, 1) == datetime(2029, 2, 28, 9, 30, tzinfo=UTC)
