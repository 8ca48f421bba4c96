# ruff: noqa: RUF001, RUF002, RUF003, RUF100 -- Chinese text uses full-width punctuation.
"""The supervision group's irregularity records (违规记录, §6(1) 全程监督).

The supervisor records one (against a reviewer, a panel, an application or the office's
handling: what, when, evidence as text or a PDF checked like a material); the corrective
action is recorded (by the office, as the issue asks, or by the supervision group itself,
which §6(1) charges with "及时采取纠正措施"); the supervisor closes it: open → corrected →
closed. Only the office, the supervisors and the committee read them (the cycle overview
and the candidate view count the open ones), never applicants, reviewers or the public.
Functions take the caller's session and never commit; the SQL is in
`db.repositories.supervision`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Irregularity
from db.repositories import supervision as rows
from domain.dates import to_business_date
from domain.errors import DomainError, ErrorCode
from services.materials import PdfUpload
from services.views import find_cycle

SubjectKind = Literal["reviewer", "panel", "application", "office"]


async def record_irregularity(
    session: AsyncSession,
    year: int,
    *,
    subject_kind: SubjectKind,
    subject: str,
    description: str,
    occurred_on: date,
    evidence: str,
    by: str,
    now: datetime,
) -> Irregularity:
    cycle = await find_cycle(session, year)
    if occurred_on > to_business_date(now):  # the county's today, not UTC's
        raise DomainError(ErrorCode.INVALID_INPUT, "违规发生日期不能晚于今天")
    number = await session.run_sync(rows.next_irregularity_number, cycle.id)
    row = Irregularity(
        cycle_id=cycle.id,
        number=number,
        subject_kind=subject_kind,
        subject=subject,
        description=description,
        occurred_on=occurred_on,
        evidence=evidence,
        recorded_by=by,
        recorded_at=now,
    )
    await session.run_sync(rows.add, row)
    return row


async def irregularity(session: AsyncSession, year: int, number: int) -> Irregularity:
    cycle = await find_cycle(session, year)
    found = await session.run_sync(rows.irregularity, cycle.id, number)
    if found is None:
        raise DomainError(ErrorCode.IRREGULARITY_NOT_FOUND, f"第{number}号")
    return found


async def open_irregularities(session: AsyncSession, year: int) -> list[Irregularity]:
    cycle = await find_cycle(session, year)
    return await session.run_sync(rows.open_irregularities, cycle.id)


async def irregularities(session: AsyncSession, year: int) -> list[Irregularity]:
    cycle = await find_cycle(session, year)
    return await session.run_sync(rows.irregularities, cycle.id)


_STEPS: dict[str, tuple[str, str]] = {
    "corrected": ("open", "只能对未处理的违规记录录入纠正措施"),
    "closed": ("corrected", "须先录入纠正措施，方可关闭"),
}


async def advance(
    session: AsyncSession,
    year: int,
    number: int,
    to: Literal["corrected", "closed"],
    text: str,
    now: datetime,
) -> Irregularity:
    """open → corrected, with the corrective action (§6(1) 及时采取纠正措施: by the office or
    the supervision group) → closed, with the supervisor's closing note."""
    row = await irregularity(session, year, number)
    before, refusal = _STEPS[to]
    if row.status != before:
        raise DomainError(ErrorCode.IRREGULARITY_STATE, refusal)
    if to == "corrected":
        row.corrective_action, row.corrected_at = text, now
    else:
        row.closing_note, row.closed_at = text, now
    row.status = to
    await session.flush()
    return row


async def attach_evidence(
    session: AsyncSession, row: Irregularity, upload: PdfUpload
) -> Irregularity:
    """Evidence as a PDF, checked like an application material; kept while not closed."""
    if row.status == "closed":
        raise DomainError(ErrorCode.IRREGULARITY_STATE, "已关闭的违规记录不能再补充证据")
    row.evidence_sha256, row.evidence_path = await upload.keep()
    await session.flush()
    return row


def open_counts(items: Sequence[Irregularity]) -> dict[str, int]:
    """Open (not closed) irregularities by subject, for the committee's candidate view."""
    counts: dict[str, int] = {}
    for item in items:
        if item.status != "closed":
            counts[item.subject] = counts.get(item.subject, 0) + 1
    return counts
