"""The to-do list's vocabulary (`services.todo`): a `Task` in the shape of a Camunda
Tasklist task, the facts tasks are computed from, and the console links they point to."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import TypedDict

from db.repositories.todo import SeatRow
from domain.phases import Phase
from services.accounts import Role

FOLLOW_UP_REPORT_DAYS = 30
"""A yearly follow-up report (§2(3)4, §6(3)) is due this many days after the anniversary."""
DECIDED = frozenset({"ineligible", "not_shortlisted", "not_candidate", "not_elected"})
FINAL = frozenset({"removed_after_publicity", "not_approved", "awarded"})
"""Outcomes an applicant is told about (read feedback); the second set ends the cycle."""


@dataclass(frozen=True)
class Task:
    key: str
    title: str
    year: int | None
    link: str
    candidate_role: Role
    assignee: str | None = None
    applicant: str | None = None
    credit_code: str | None = None
    due: date | None = None
    follow_up: date | None = None
    priority: int = 50

    def overdue(self, today: date) -> bool:
        return self.due is not None and self.due < today


class Who(TypedDict, total=False):
    """The parts of a `Task` many of one kind share."""

    assignee: str | None
    applicant: str | None
    credit_code: str | None


@dataclass(frozen=True)
class ApplicationFacts:
    id: int
    organization_id: int
    credit_code: str
    name: str
    award: str
    outcome: str
    eligible: bool | None
    shortlisted: bool | None
    site_confirmed: bool
    document_consensus: float | None = None
    site_consensus: float | None = None
    materials: int = 0
    open_verifications: tuple[str, ...] = ()


@dataclass(frozen=True)
class ObjectionFacts:
    number: int
    application_id: int
    finding: str | None
    decision: str | None


@dataclass(frozen=True)
class CycleFacts:
    year: int
    phase: Phase
    application_deadline: date
    stage_due: dict[str, date] = field(default_factory=dict)
    publicity_closes: date | None = None
    min_panel: int = 3
    applications: list[ApplicationFacts] = field(default_factory=list)
    seats: list[SeatRow] = field(default_factory=list)
    objections: list[ObjectionFacts] = field(default_factory=list)

    @cached_property
    def panels(self) -> dict[tuple[int, str], list[SeatRow]]:
        """Seats by (application id, stage), in the order named: built once, so that a
        1,000-application cycle's rules do not scan every seat for every application."""
        found: dict[tuple[int, str], list[SeatRow]] = {}
        for seat in self.seats:
            found.setdefault((seat.application_id, seat.stage), []).append(seat)
        return found

    @cached_property
    def by_id(self) -> dict[int, ApplicationFacts]:
        return {app.id: app for app in self.applications}


@dataclass(frozen=True)
class HonorFacts:
    id: int
    organization_id: int
    credit_code: str
    name: str
    award: str
    year: int
    awarded_on: date
    valid_until: date | None
    revoked_on: date | None
    pending_revocation: str | None
    revocation_window_closes: date | None = None
    """§6(6): accidents up to this day may revoke the honor (None: nothing recorded)."""
    accidents: tuple[date, ...] = ()
    """Days of the major accidents on the holder's file (organization records, §6(6))."""
    assessed: frozenset[date] = frozenset()
    """Days of the incidents the office reported on the honor (major adverse impact or not):
    the accidents of those days have been assessed."""


@dataclass(frozen=True)
class Facts:
    cycles: list[CycleFacts] = field(default_factory=list)
    honors: list[HonorFacts] = field(default_factory=list)


# --- links (the console's routes, `web`) ------------------------------------------------------


def cycle_link(year: int, tail: str = "") -> str:
    return f"/console/cycles/{year}{tail}"


def application_link(year: int, code: str, tail: str = "") -> str:
    return cycle_link(year, f"/applications/{code}{tail}")
