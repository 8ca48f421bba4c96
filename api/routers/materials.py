"""Application materials (申报材料): PDF upload, listing and download for those allowed."""

from __future__ import annotations

from fastapi import APIRouter, File, UploadFile
from fastapi.responses import FileResponse

from api.auth import MaterialReaders, OfficeOrApplicant
from api.context import Ctx, SessionDep
from api.routers.params import RowId, Year
from api.schemas.applications import MaterialOut
from domain.errors import DomainError, ErrorCode
from services import materials, views

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
    if row.cycle.phase not in UPLOAD_PHASES or row.application.outcome != "pending":
        raise DomainError(ErrorCode.NOT_IN_PHASE, "只能在申报和资格审查阶段提交材料")
    material = await materials.store(
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
    )
    return MaterialOut.model_validate(material)


@router.get(BASE, summary="申报材料列表")
async def list_materials(
    year: Year, credit_code: str, viewer: MaterialReaders, session: SessionDep
) -> list[MaterialOut]:
    row = await views.application(session, viewer, year, credit_code)
    found = await materials.list_for(session, row.application.id)
    return [MaterialOut.model_validate(m) for m in found]


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
