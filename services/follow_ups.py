# ruff: noqa: RUF001, RUF002, RUF003, RUF100 -- Chinese text uses full-width punctuation.
"""Winners' yearly follow-up (§2(3)4 监督获奖组织持续实施卓越绩效管理, §6(3)).

Each year of validity the honor workflow opens a task with a due date
(`honor.follow_up_days` after the reminder); the holder submits its report (text, and a
PDF checked like any material: `services.materials.PdfUpload`), the office records its
evaluation (良好 / 一般 / 需改进) and notes. A task past its due date without a report is
overdue: the office sees it, and the workflow reminded the holder once more. The SQL is in
`db.repositories.supervision`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Literal

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from db.models import FollowUp, Honor, Organization
from db.repositories import honor_reads
from db.repositories import supervision as rows
from domain.errors import DomainError, ErrorCode
from domain.types import Award
from services.materials import PdfUpload
from services.registry import find_organization

if TYPE_CHECKING:
    from services.awards import AwardService

Evaluation = Literal["良好", "一般", "需改进"]


@dataclass(frozen=True)
class FollowUpView:
    task: FollowUp
    honor: Honor
    organization: Organization
    status: str
    """``open``, ``overdue``, ``submitted`` or ``evaluated``."""


def status_of(task: FollowUp, today: date) -> str:
    if task.evaluation is not None:
        return "evaluated"
    if task.submitted_at is not None:
        return "submitted"
    return "overdue" if today > task.due_on else "open"


async def listing(
    session: AsyncSession, today: date, credit_code: str | None = None
) -> list[FollowUpView]:
    """Every task (the office, the supervisor), or one holder's own (an applicant)."""
    found = await session.run_sync(rows.follow_ups)
    return [
        FollowUpView(task, honor, org, status_of(task, today))
        for task, honor, org in found
        if credit_code is None or org.credit_code == credit_code
    ]


def _task(session: Session, credit_code: str, award: Award, year: int, number: int) -> FollowUp:
    org = find_organization(session, credit_code)
    honor = honor_reads.latest(session, org.id, award.value, year)
    if honor is None:
        raise DomainError(ErrorCode.HONOR_NOT_FOUND)
    for task, _, _ in rows.follow_ups(session, honor.id):
        if task.number == number:
            return task
    raise DomainError(ErrorCode.FOLLOW_UP_NOT_FOUND, f"第{number}年")


async def task(
    session: AsyncSession, credit_code: str, award: Award, year: int, number: int
) -> FollowUp:
    return await session.run_sync(_task, credit_code, award, year, number)


async def submit(
    session: AsyncSession,
    service: AwardService,
    credit_code: str,
    award: Award,
    year: int,
    number: int,
    report: str,
    now: datetime,
) -> FollowUp:
    """The holder's report: the honor workflow learns it first (no overdue reminder
    then), and the text is kept in the caller's session. Until evaluated it may be
    replaced."""
    row = await task(session, credit_code, award, year, number)
    if row.evaluation is not None:
        raise DomainError(ErrorCode.INVALID_INPUT, "该年度跟踪报告已评价，不能再修改")
    await service.submit_follow_up(credit_code, award, year, number)
    row.report, row.submitted_at = report, now
    await session.flush()
    return row


async def attach_pdf(session: AsyncSession, row: FollowUp, upload: PdfUpload) -> FollowUp:
    """The report as a PDF, checked like an application material (§3(2)2 checks)."""
    if row.submitted_at is None:
        raise DomainError(ErrorCode.INVALID_INPUT, "请先提交年度跟踪报告正文")
    if row.evaluation is not None:
        raise DomainError(ErrorCode.INVALID_INPUT, "该年度跟踪报告已评价，不能再修改")
    row.report_sha256, row.report_path = await upload.keep()
    await session.flush()
    return row


async def evaluate(
    session: AsyncSession, row: FollowUp, evaluation: Evaluation, note: str, now: datetime
) -> FollowUp:
    """The office's evaluation of a submitted report (§2(3)4 评估分析)."""
    if row.submitted_at is None:
        raise DomainError(ErrorCode.INVALID_INPUT, "尚未提交年度跟踪报告，不能评价")
    row.evaluation, row.evaluation_note, row.evaluated_at = evaluation, note, now
    await session.flush()
    return row
