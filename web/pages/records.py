"""What a user reads: their notices inbox (通知), and for the supervisor (监督组) the audit
trail with its verification (`services.audit`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from api.context import Ctx, SessionDep, Sessions
from api.routers import audit as audit_api
from services import audit, listings
from web.forms import Form, act, read_form
from web.render import render
from web.session import SupervisorUser, WebUser

router = APIRouter(include_in_schema=False)
PAGE = 50
AUDIENCES = {
    "public": "社会公众",
    "office": "县评审办",
    "applicant": "申报组织",
    "reviewer": "评审员",
    "committee": "县评委会",
    "government": "县政府",
    "objector": "异议人",
}


@router.get("/console/notices")
async def notices(
    request: Request, viewer: WebUser, session: SessionDep, audience: str = ""
) -> Response:
    found = await listings.notices(session, viewer)
    shown = [n for n in found if not audience or n.audience == audience]
    return render(
        request,
        "notices.html",
        title="通知公告",
        notices=shown,
        audiences=AUDIENCES,
        audience=audience,
    )


async def _audit_page(
    request: Request, ctx: Ctx, session: SessionDep, before: int | None, form: Form, verified: bool
) -> Response:
    found = await audit.entries(session, before_id=before, limit=PAGE)
    result = await audit.verify(session, audit.Seal.of(ctx.settings)) if verified else None
    older = found[-1].id if len(found) == PAGE else None
    return render(
        request,
        "audit.html",
        title="审计日志",
        entries=found,
        result=result,
        older=older,
        form=form,
    )


@router.get("/console/audit")
async def audit_trail(
    request: Request,
    viewer: SupervisorUser,
    ctx: Ctx,
    session: SessionDep,
    before: Annotated[int | None, Query(ge=1, le=2_147_483_647)] = None,
    verify: str = "",
) -> Response:
    return await _audit_page(request, ctx, session, before, Form(), verified=verify == "1")


@router.post("/console/audit/checkpoints", summary="立即为审计日志写入签名检查点")
async def checkpoint(
    request: Request, viewer: SupervisorUser, ctx: Ctx, session: SessionDep, sessions: Sessions
) -> Response:
    posted = await read_form(request)

    async def run() -> str:
        await audit_api.checkpoint(viewer, ctx, sessions)
        return "/console/audit?verify=1"

    return await act(
        request,
        posted,
        run,
        "已写入签名检查点",
        again=lambda form: _audit_page(request, ctx, session, None, form, True),
    )
