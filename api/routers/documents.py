"""The archive (档案): documents per cycle and per application, downloads (§4, §5(1))."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Query
from fastapi.responses import Response

from api.auth import AnyUser
from api.context import SessionDep
from api.routers.params import MAX_ID, RowId, Year
from api.schemas.documents import DocumentOut
from db.models import Document
from documents.kinds import Kind
from domain.phases import Stage
from domain.types import Award
from services import documents
from services.accounts import Viewer

router = APIRouter(tags=["文书档案"])

Format = Annotated[str, Query(pattern="^(pdf|docx|xlsx)$", description="格式")]
Code = Annotated[str | None, Query(max_length=18, description="申报组织统一社会信用代码")]
StageQ = Annotated[Stage | None, Query(description="评审环节")]
AwardQ = Annotated[Award | None, Query(description="奖项")]
Number = Annotated[int | None, Query(ge=1, le=MAX_ID, description="异议编号")]


def _out(year: int, found: documents.Listed, public: bool) -> DocumentOut:
    query = {
        k: v
        for k, v in {
            "format": found.format,
            "credit_code": found.credit_code,
            "stage": found.stage.value if found.stage else None,
            "award": found.award.value if found.award else None,
            "number": found.number,
        }.items()
        if v is not None
    }
    prefix = "/public" if public else ""
    doc = found.document
    return DocumentOut(
        kind=found.kind,
        name=found.name,
        format=found.format,
        credit_code=found.credit_code,
        stage=found.stage,
        award=found.award,
        number=found.number,
        url=f"{prefix}/cycles/{year}/documents/{found.kind.value}?{urlencode(query)}",
        id=doc.id if doc else None,
        sha256=doc.sha256 if doc else None,
        size=doc.size if doc else None,
        created_at=doc.created_at if doc else None,
    )


def _file(document: Document, data: bytes) -> Response:
    disposition = f"attachment; filename*=UTF-8''{quote(document.filename)}"
    return Response(
        data,
        media_type=document.media_type,
        headers={"Content-Disposition": disposition, "X-Content-SHA256": document.sha256},
    )


@router.get("/cycles/{year}/documents", summary="本届评审的文书（按权限）")
async def cycle_documents(year: Year, viewer: AnyUser, session: SessionDep) -> list[DocumentOut]:
    found = await session.run_sync(documents.listing, year, viewer)
    return [_out(year, f, False) for f in found]


@router.get("/cycles/{year}/applications/{credit_code}/documents", summary="某申报的文书（按权限）")
async def application_documents(
    year: Year, credit_code: str, viewer: AnyUser, session: SessionDep
) -> list[DocumentOut]:
    code = credit_code.strip().upper()
    found = await session.run_sync(documents.listing, year, viewer, code)
    return [_out(year, f, False) for f in found]


async def _download(
    session: SessionDep,
    viewer: Viewer | None,
    year: int,
    kind: Kind,
    fmt: str,
    credit_code: str | None,
    stage: Stage | None,
    award: Award | None,
    number: int | None,
) -> Response:
    ask = documents.Ask(kind, fmt, credit_code, stage, award, number)
    document, data = await documents.obtain(session.run_sync, year, ask, viewer)
    return _file(document, data)


@router.get("/cycles/{year}/documents/{kind}", summary="下载文书（首次下载时形成并归档）")
async def download(
    year: Year,
    kind: Kind,
    viewer: AnyUser,
    session: SessionDep,
    format: Format = "pdf",
    credit_code: Code = None,
    stage: StageQ = None,
    award: AwardQ = None,
    number: Number = None,
) -> Response:
    return await _download(session, viewer, year, kind, format, credit_code, stage, award, number)


@router.get("/documents/{document_id}", summary="按档案编号下载文书（如通知的附件）")
async def by_id(document_id: RowId, viewer: AnyUser, session: SessionDep) -> Response:
    document, data = await session.run_sync(documents.by_id, document_id, viewer)
    return _file(document, data)


@router.get(
    "/public/cycles/{year}/documents", summary="公开文书：申报通知、公示、通报、证书、撤销通知"
)
async def public_documents(year: Year, session: SessionDep) -> list[DocumentOut]:
    found = await session.run_sync(documents.listing, year, None)
    return [_out(year, f, True) for f in found]


@router.get("/public/cycles/{year}/documents/{kind}", summary="下载公开文书")
async def public_download(
    year: Year,
    kind: Kind,
    session: SessionDep,
    format: Format = "pdf",
    credit_code: Code = None,
    stage: StageQ = None,
    award: AwardQ = None,
    number: Number = None,
) -> Response:
    return await _download(session, None, year, kind, format, credit_code, stage, award, number)
