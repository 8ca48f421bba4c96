"""The panel draw (随机抽取, §2(4), §6(1)) and who may be assigned (§2(3)3, §6(7))."""

from __future__ import annotations

from datetime import date

import pytest

from domain.errors import DomainError, ErrorCode
from domain.panel_draw import (
    Appointment,
    DrawCandidate,
    assignable,
    draw_panel,
    exclusion,
)
from domain.panels import PanelCandidate

A = "91331126MA0000001H"
ON = date(2025, 5, 10)
IN_TERM = Appointment(date(2025, 1, 1), date(2026, 12, 31))


def candidate(
    code: str,
    *,
    industries: tuple[str, ...] = ("manufacturing",),
    employer: str | None = None,
    ties: tuple[str, ...] = (),
    appointment: Appointment = IN_TERM,
    load: int = 0,
    declared: tuple[str, ...] = (),
) -> DrawCandidate:
    return DrawCandidate(
        reviewer=PanelCandidate(code, employer, industries, ties),
        appointment=appointment,
        load=load,
        declared=declared,
    )


@pytest.mark.parametrize(
    ("appointment", "expected"),
    [
        (Appointment(), None),  # no appointment on record: predates the register
        (IN_TERM, None),
        (Appointment(date(2025, 5, 10), date(2025, 5, 10)), None),  # both ends count
        (Appointment(date(2025, 5, 11), date(2026, 1, 1)), ErrorCode.REVIEWER_OUT_OF_TERM),
        (Appointment(date(2024, 1, 1), date(2025, 5, 9)), ErrorCode.REVIEWER_OUT_OF_TERM),
        (Appointment(disqualified_on=date(2025, 5, 10)), ErrorCode.REVIEWER_DISQUALIFIED),
        (Appointment(disqualified_on=date(2025, 5, 11)), None),  # not yet
        (
            Appointment(date(2024, 1, 1), date(2024, 12, 31), date(2025, 1, 1)),
            ErrorCode.REVIEWER_DISQUALIFIED,
        ),
    ],
)
def test_assignable(appointment: Appointment, expected: ErrorCode | None) -> None:
    assert assignable(appointment, ON) == expected


POOL = [
    candidate("E1"),
    candidate("E2", employer=A),  # employed by the applicant
    candidate("E3", ties=(A,)),  # registered tie
    candidate("E4", declared=(A,)),  # declared conflict
    candidate("E5", appointment=Appointment(disqualified_on=date(2025, 3, 1))),
    candidate("E6", appointment=Appointment(date(2020, 1, 1), date(2024, 12, 31))),
    candidate("G1", industries=("services",)),
    candidate("G2", industries=("services",)),
    candidate("G3", industries=("agriculture",)),
    candidate("G4", industries=("services",), load=3),
]


@pytest.mark.parametrize("seed", range(40))
def test_never_draws_conflicted_disqualified_or_out_of_term(seed: int) -> None:
    result = draw_panel(POOL, A, "manufacturing", 3, seed, ON)
    assert not set(result.members) & {"E2", "E3", "E4", "E5", "E6"}
    assert result.leader == "E1"  # the only eligible industry expert, and the leader
    assert result.members[0] == "E1"
    assert len(set(result.members)) == 3
    assert "G4" not in result.members  # the least loaded are preferred
    assert result.excluded == {
        "E2": "conflict_of_interest",
        "E3": "conflict_of_interest",
        "E4": "conflict_of_interest",
        "E5": "reviewer_disqualified",
        "E6": "reviewer_out_of_term",
    }
    assert result.eligible == ["E1", "G1", "G2", "G3", "G4"]


@pytest.mark.parametrize("seed", [0, 1, 2, 12345, 2**31 - 1])
def test_same_seed_same_panel_whatever_the_pool_order(seed: int) -> None:
    first = draw_panel(POOL, A, "manufacturing", 3, seed, ON)
    again = draw_panel(list(reversed(POOL)), A, "manufacturing", 3, seed, ON)
    assert (first.members, first.leader) == (again.members, again.leader)


def test_different_seeds_vary_the_panel() -> None:
    drawn = {tuple(draw_panel(POOL, A, "manufacturing", 3, s, ON).members) for s in range(40)}
    assert len(drawn) > 1


def test_refuses_without_an_eligible_industry_expert() -> None:
    only_conflicted = [c for c in POOL if c.reviewer.code != "E1"]
    with pytest.raises(DomainError) as err:
        draw_panel(only_conflicted, A, "manufacturing", 3, 1, ON)
    assert err.value.code == ErrorCode.PANEL_NEEDS_INDUSTRY_EXPERT


def test_refuses_when_too_few_are_eligible() -> None:
    with pytest.raises(DomainError) as err:
        draw_panel(POOL, A, "manufacturing", 6, 1, ON)
    assert err.value.code == ErrorCode.PANEL_TOO_SMALL


def test_least_loaded_expert_leads() -> None:
    pool = [candidate("X1", load=2), candidate("X2", load=0), candidate("X3", load=1)]
    result = draw_panel(pool, A, "manufacturing", 3, 99, ON)
    assert result.leader == "X2"
    assert result.members == ["X2", "X3", "X1"]


def test_exclusion_names_the_reason() -> None:
    assert exclusion(POOL[0], A, ON) is None
    assert exclusion(POOL[1], A, ON) == ErrorCode.CONFLICT_OF_INTEREST
