"""Application materials (申报材料): PDF upload, listing and download for those allowed;
deletion and replacement until the application deadline (`services.materials`)."""

from __future__ import annotations

from fastapi import APIRouter, File, UploadFile
from fastapi.responses import FileResponse

from api.auth import MaterialReaders, OfficeOrApplicant
from api.context import Ctx, SessionDep
from api.routers.params import RowId, Year
from api.schemas.applications import MaterialList, MaterialOut
from api.schemas.base import Done
from db.models import Material
from domain.errors import DomainError, ErrorCode
from services import materials, views
from services.accounts import Viewer
from services.views import ApplicationRow

router = APIRouter(tags=["申报材料"])
BASE = "/cycles/{year}/applications/{credit_code}/materials"
UPLOAD_PHASES = ("open", "qualification")


@router.post(BASE, summary="上传申报材料（PDF）", status_code=201)
async def upload(
    year: Year,
    credit_code: str,
    viewer: OfficeOrApplicant,
    ctx: Ctx,
    session: SessionDep,
    file: UploadFile = File(description="PDF文件"),  # noqa: B008 - FastAPI's declaration style
) -> MaterialOut:
    row = await views.application(session, viewer, year, credit_code)
    _check_open(row)
    material = await _store(ctx, session, viewer, row, file)
    return MaterialOut.model_validate(material)


def _check_open(row: ApplicationRow) -> None:
    if row.cycle.phase not in UPLOAD_PHASES or row.application.outcome != "pending":
        raise DomainError(ErrorCode.NOT_IN_PHASE, "只能在申报和资格审查阶段提交材料")


async def _store(
    ctx: Ctx,
    session: SessionDep,
    viewer: Viewer,
    row: ApplicationRow,
    file: UploadFile,
    replacing: Material | None = None,
) -> Material:
    return await materials.store(
        session,
        root=ctx.materials_root,
        application_id=row.application.id,
        filename=file.filename,
        read=file.read,
        limits=materials.MaterialLimits(
            file_bytes=ctx.settings.max_material_bytes,
            count=ctx.settings.max_materials_per_application,
            total_bytes=ctx.settings.max_material_total_bytes,
        ),
        uploaded_by=viewer.username,
        replacing=replacing,
    )


@router.get(BASE, summary="申报材料列表（含是否已锁定）")
async def list_materials(
    year: Year, credit_code: str, viewer: MaterialReaders, ctx: Ctx, session: SessionDep
) -> MaterialList:
    row = await views.application(session, viewer, year, credit_code)
    found = await materials.list_for(session, row.application.id)
    locked_from = materials.locked_from(row.cycle.application_deadline)
    return MaterialList(
        locked=ctx.clock() >= locked_from,
        locked_from=locked_from,
        materials=[MaterialOut.model_validate(m) for m in found],
    )


async def _changeable(
    year: int, credit_code: str, material_id: int, viewer: Viewer, ctx: Ctx, session: SessionDep
) -> tuple[ApplicationRow, Material]:
    """The material, when it may still change: before the deadline (else `materials_locked`)."""
    row = await views.application(session, viewer, year, credit_code)
    material = await materials.get(session, row.application.id, material_id)
    materials.check_unlocked(row.cycle.application_deadline, ctx.clock())
    _check_open(row)
    return row, material


@router.put(BASE + "/{material_id}", summary="替换申报材料（申报截止前）")
async def replace(
    year: Year,
    credit_code: str,
    material_id: RowId,
    viewer: OfficeOrApplicant,
    ctx: Ctx,
    session: SessionDep,
    file: UploadFile = File(description="PDF文件"),  # noqa: B008 - FastAPI's declaration style
) -> MaterialOut:
    row, old = await _changeable(year, credit_code, material_id, viewer, ctx, session)
    return MaterialOut.model_validate(await _store(ctx, session, viewer, row, file, old))


@router.delete(BASE + "/{material_id}", summary="删除申报材料（申报截止前）")
async def delete(
    year: Year,
    credit_code: str,
    material_id: RowId,
    viewer: OfficeOrApplicant,
    ctx: Ctx,
    session: SessionDep,
) -> Done:
    _, material = await _changeable(year, credit_code, material_id, viewer, ctx, session)
    await materials.delete(session, material)
    return Done(message=f"材料 {material.filename} 已删除")


@router.get(
    BASE + "/{material_id}",
    summary="下载申报材料",
    response_class=FileResponse,
    responses={200: {"content": {"application/pdf": {}}, "description": "PDF文件"}},
)
async def download(
    year: Year,
    credit_code: str,
    material_id: RowId,
    viewer: MaterialReaders,
    ctx: Ctx,
    session: SessionDep,
) -> FileResponse:
    row = await views.application(session, viewer, year, credit_code)
    material = await materials.get(session, row.application.id, material_id)
    path = materials.material_path(ctx.materials_root, material.sha256)
    if not path.is_file():
        raise DomainError(ErrorCode.NOT_FOUND, "材料文件缺失，请联系评审办")
    return FileResponse(
        path,
        media_type="application/pdf",
        headers={
            "Content-Disposition": materials.content_disposition(material.filename),
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
        },
    )
