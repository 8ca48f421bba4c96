# ruff: noqa: RUF001, RUF002, RUF003, RUF100 -- Chinese text uses full-width punctuation.
"""Winners' yearly follow-up (获奖组织年度跟踪, §2(3)4, §6(3)): tasks, reports, evaluation."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, UploadFile

from api.auth import AsOffice, require
from api.context import Ctx, Service, SessionDep
from api.routers.params import RowId, Year
from api.schemas.supervision import FollowUpCreate, FollowUpEvaluate, FollowUpOut
from db.models import FollowUp
from domain.errors import DomainError, ErrorCode
from domain.types import Award
from services import follow_ups
from services.accounts import Role, Viewer
from services.follow_ups import FollowUpView
from services.materials import PdfUpload

router = APIRouter(tags=["获奖组织跟踪"])
ONE = "/honors/{credit_code}/{award}/{year}/follow-ups/{number}"
Readers = Annotated[Viewer, Depends(require(Role.OFFICE, Role.SUPERVISOR, Role.APPLICANT))]
Submitters = Annotated[Viewer, Depends(require(Role.OFFICE, Role.APPLICANT))]


def _out(view: FollowUpView) -> FollowUpOut:
    task, honor, org = view.task, view.honor, view.organization
    return FollowUpOut(
        credit_code=org.credit_code,
        name=org.name,
        award=honor.award,
        year=honor.year,
        number=task.number,
        reminded_on=task.reminded_on,
        due_on=task.due_on,
        status=view.status,
        report=task.report,
        report_sha256=task.report_sha256,
        evaluation=task.evaluation,
        evaluation_note=task.evaluation_note,
    )


def _own(viewer: Viewer, credit_code: str) -> str:
    """An applicant acts only for its own honor; anyone else's is hidden like a missing one."""
    code = credit_code.strip().upper()
    if viewer.role == Role.APPLICANT and viewer.credit_code != code:
        raise DomainError(ErrorCode.FOLLOW_UP_NOT_FOUND)
    return code


async def _view(ctx: Ctx, session: SessionDep, row: FollowUp) -> FollowUpOut:
    found = await follow_ups.listing(session, ctx.today())
    return _out(next(v for v in found if v.task.id == row.id))


@router.get("/follow-ups", summary="年度跟踪任务（评审办、监督组；获奖组织只见本组织）")
async def listing(viewer: Readers, ctx: Ctx, session: SessionDep) -> list[FollowUpOut]:
    only = viewer.credit_code or "" if viewer.role == Role.APPLICANT else None
    return [_out(v) for v in await follow_ups.listing(session, ctx.today(), only)]


@router.post(ONE, summary="提交年度跟踪报告（§2(3)4、§6(3)）")
async def submit(
    credit_code: str,
    award: Award,
    year: Year,
    number: RowId,
    body: FollowUpCreate,
    viewer: Submitters,
    ctx: Ctx,
    service: Service,
    session: SessionDep,
) -> FollowUpOut:
    code = _own(viewer, credit_code)
    row = await follow_ups.submit(
        session, service, code, award, year, number, body.report, ctx.clock()
    )
    return await _view(ctx, session, row)


@router.put(ONE + "/pdf", summary="上传年度跟踪报告（PDF）")
async def upload_pdf(
    credit_code: str,
    award: Award,
    year: Year,
    number: RowId,
    viewer: Submitters,
    ctx: Ctx,
    session: SessionDep,
    file: UploadFile = File(description="PDF文件"),  # noqa: B008 - FastAPI's declaration style
) -> FollowUpOut:
    row = await follow_ups.task(session, _own(viewer, credit_code), award, year, number)
    upload = PdfUpload(ctx.materials_root, file.read, ctx.settings.max_material_bytes)
    row = await follow_ups.attach_pdf(session, row, upload)
    return await _view(ctx, session, row)


@router.post(ONE + "/evaluation", summary="县评审办评价年度跟踪报告")
async def evaluate(
    credit_code: str,
    award: Award,
    year: Year,
    number: RowId,
    body: FollowUpEvaluate,
    viewer: AsOffice,
    ctx: Ctx,
    session: SessionDep,
) -> FollowUpOut:
    row = await follow_ups.task(session, credit_code.strip().upper(), award, year, number)
    row = await follow_ups.evaluate(session, row, body.evaluation, body.note, ctx.clock())
    return await _view(ctx, session, row)
