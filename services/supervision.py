# ruff: noqa: RUF001, RUF002, RUF003, RUF100 -- Chinese text uses full-width punctuation.
"""The reviewer pool as §2(3)3 describes it and reviewer discipline (§6(7)).

- Appointment (聘任) with a term, training records, status; a reviewer is assignable on a
  day within an appointment term and while not disqualified (`domain.panel_draw.assignable`).
  A reviewer with no appointment on record predates the register: assignable (README).
- Discipline: the office records criticism (批评) or disqualification (取消评审资格), with a
  reason and a date. A disqualification also goes to every open cycle, which withdraws the
  reviewer from its open panels (`AwardService.disqualify_reviewer`); a disqualified
  reviewer's account reads nothing (`api.auth`).
- The supervision group's irregularity records are `services.irregularities`.

Functions take the caller's session and never commit; the SQL is in
`db.repositories.supervision`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Literal

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from contracts.commands import ReviewerInfo
from db.models import (
    Reviewer,
    ReviewerAppointment,
    ReviewerDiscipline,
    ReviewerTraining,
)
from db.repositories import cycles, reviewers
from db.repositories import supervision as rows
from domain.errors import DomainError, ErrorCode
from domain.panel_draw import Appointment, assignable
from services.registry import find_reviewer, reviewer_infos
from services.views import find_cycle

if TYPE_CHECKING:
    from services.awards import AwardService

DisciplineKind = Literal["criticism", "disqualification"]
CLOSED_PHASES = ("announced", "cancelled")


# --- the pool (§2(3)3) ---------------------------------------------------------------------


def appointment_of(
    terms: Sequence[ReviewerAppointment], disqualified_on: date | None, on: date
) -> Appointment:
    """The appointment that counts on `on`: the term covering it, else the latest one."""
    covering = [t for t in terms if t.term_from <= on <= t.term_until]
    chosen = covering[-1] if covering else (terms[-1] if terms else None)
    return Appointment(
        term_from=chosen.term_from if chosen else None,
        term_until=chosen.term_until if chosen else None,
        disqualified_on=disqualified_on,
    )


def appointments_on(
    session: Session, reviewer_ids: Sequence[int], on: date
) -> dict[int, Appointment]:
    terms = rows.appointments(session, reviewer_ids)
    disqualified = rows.disqualified_ids(session)
    return {i: appointment_of(terms[i], disqualified.get(i), on) for i in reviewer_ids}


def check_assignable(session: Session, codes: Sequence[str], on: date) -> None:
    """§2(3)3, §6(7): every named reviewer is in term and not disqualified on `on`."""
    found = reviewers.ids_by_code(session, codes)
    standing = appointments_on(session, list(found.values()), on)
    for code in codes:
        if code in found:
            refusal = assignable(standing[found[code]], on)
            if refusal is not None:
                raise DomainError(refusal, code)


def panel_facts(session: Session, codes: list[str], on: date) -> list[ReviewerInfo]:
    """What the cycle needs to check a panel (`registry.reviewer_infos`: an unknown code
    refuses first), once every named reviewer is found in term and not disqualified on `on`
    (`check_assignable`). One unit of work: an assignment's reads in one trip."""
    infos = reviewer_infos(session, codes)
    check_assignable(session, codes, on)
    return infos


def status_of(appointment: Appointment, on: date) -> str:
    """`disqualified`, `in_term`, `out_of_term` or `no_term` (no appointment on record)."""
    refusal = assignable(appointment, on)
    if refusal == ErrorCode.REVIEWER_DISQUALIFIED:
        return "disqualified"
    if refusal == ErrorCode.REVIEWER_OUT_OF_TERM:
        return "out_of_term"
    return "in_term" if appointment.term_from is not None else "no_term"


@dataclass(frozen=True)
class PoolEntry:
    reviewer: Reviewer
    status: str
    terms: list[ReviewerAppointment]
    trainings: list[ReviewerTraining]
    discipline: list[ReviewerDiscipline]


def _pool(session: Session, on: date, code: str | None) -> list[PoolEntry]:
    pool = [find_reviewer(session, code)] if code else reviewers.all_reviewers(session)
    ids = [r.id for r in pool]
    terms = rows.appointments(session, ids)
    marks = rows.discipline(session, ids)
    disqualified = rows.disqualified_ids(session)
    return [
        PoolEntry(
            reviewer=r,
            status=status_of(appointment_of(terms[r.id], disqualified.get(r.id), on), on),
            terms=terms[r.id],
            trainings=rows.trainings(session, r.id),
            discipline=marks[r.id],
        )
        for r in pool
    ]


async def pool(session: AsyncSession, on: date, code: str | None = None) -> list[PoolEntry]:
    return await session.run_sync(_pool, on, code)


async def appoint(
    session: AsyncSession, code: str, term_from: date, term_until: date, note: str
) -> None:
    if term_until < term_from:
        raise DomainError(ErrorCode.INVALID_INPUT, "聘任期限的结束日期不能早于开始日期")
    reviewer = await session.run_sync(find_reviewer, code)
    row = ReviewerAppointment(
        reviewer_id=reviewer.id, term_from=term_from, term_until=term_until, note=note
    )
    await session.run_sync(rows.add, row)


async def add_training(
    session: AsyncSession, code: str, on: date, title: str, hours: float | None
) -> None:
    reviewer = await session.run_sync(find_reviewer, code)
    row = ReviewerTraining(reviewer_id=reviewer.id, on=on, title=title, hours=hours)
    await session.run_sync(rows.add, row)


async def is_disqualified(session: AsyncSession, reviewer_id: int) -> bool:
    return reviewer_id in await session.run_sync(rows.disqualified_ids)


def _record_discipline(
    session: Session, code: str, kind: DisciplineKind, reason: str, on: date, by: str
) -> None:
    reviewer = find_reviewer(session, code)
    rows.add(
        session,
        ReviewerDiscipline(
            reviewer_id=reviewer.id, kind=kind, reason=reason, on=on, recorded_by=by
        ),
    )


async def record_discipline(
    service: AwardService,
    code: str,
    kind: DisciplineKind,
    reason: str,
    on: date,
    by: str,
) -> list[int]:
    """§6(7) 批评 / 取消评审资格. A disqualification is committed first (assignments check
    it), then every open cycle withdraws the reviewer; returns those cycles' years."""
    if not reason.strip():
        raise DomainError(ErrorCode.INVALID_INPUT, "请说明理由（§6(7)）")
    if on > service.now().date():  # a decision taken: it applies from its recording on
        raise DomainError(ErrorCode.INVALID_INPUT, "决定日期不能晚于今天")
    await service.write_first(_record_discipline, code, kind, reason, on, by)
    if kind != "disqualification":
        return []
    withdrawn = []
    for year in await service.read(_open_years):
        try:
            await service.disqualify_reviewer(year, code, reason, on)
        except DomainError as err:
            if err.code not in (ErrorCode.NOT_FOUND, ErrorCode.CYCLE_CLOSED):
                raise
            continue  # the cycle closed meanwhile: nothing of it is open any more
        withdrawn.append(year)
    return withdrawn


def _open_years(session: Session) -> list[int]:
    return sorted({c.year for c in cycles.cycles(session) if c.phase not in CLOSED_PHASES})


async def workload(session: AsyncSession, year: int) -> list[tuple[str, str, str, bool, bool]]:
    cycle = await find_cycle(session, year)
    return await session.run_sync(rows.workload, cycle.id)
