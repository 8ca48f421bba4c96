"""Pages and JSON without login (社会公众): notices, the publicity list, the honors register,
and real-name objections during publicity, rate-limited per client address (§4(5)).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse

from api import pages
from api.context import AppContext, Ctx, Service, SessionDep, Sessions
from api.middleware.asgi import client_address
from api.routers.params import YearForm, YearQuery
from api.schemas.committee import ListedOut, ObjectionCreate, ObjectionReceipt, PublicityOut
from api.schemas.honors import PublicHonorOut
from api.schemas.system import NoticeOut
from domain.errors import DomainError, http_status
from services import honors, listings, quotas
from services.awards import AwardService

router = APIRouter(prefix="/public", tags=["公开信息"])
OBJECTION_JSON = "提交异议（实名）"
OBJECTION_FORM = "提交异议表单（网页）"


@router.get("/notices", summary="公开通知公告")
async def public_notices(session: SessionDep) -> list[NoticeOut]:
    return [NoticeOut.model_validate(n) for n in await listings.notices(session, None)]


@router.get("/publicity", summary="公示名单")
async def publicity(session: SessionDep, year: YearQuery = None) -> PublicityOut:
    found = await listings.publicity_list(session, year)
    cycle = found.cycle
    return PublicityOut(
        year=cycle.year,
        phase=cycle.phase,
        opens=cycle.publicity_opens,
        closes=cycle.publicity_closes,
        awarded_on=cycle.awarded_on,
        organizations=[ListedOut.model_validate(o) for o in found.organizations],
    )


@router.get("/honors", summary="获奖名录（有效称号）")
async def public_honors(ctx: Ctx, session: SessionDep) -> list[PublicHonorOut]:
    found = await honors.honors(session, ctx.today(), active_only=True)
    return [PublicHonorOut.model_validate(h) for h in found]


async def file_objection(
    request: Request,
    ctx: AppContext,
    sessions: Sessions,
    session: SessionDep,
    service: AwardService,
    body: ObjectionCreate,
) -> int:
    """`sessions` is for the objection slot, taken and given back in transactions of its
    own (`services.quotas`); the request's `session` reads which cycle is in publicity."""
    client = client_address(request.scope, ctx.settings.trusted_proxies) or "-"
    limit = ctx.settings.objection_rate_limit_per_hour
    slot = await quotas.take_objection_slot(sessions, client, ctx.clock(), limit)
    try:
        year = body.year
        if year is None:
            try:
                year = (await listings.publicity_list(session, None)).cycle.year
            except DomainError:
                year = None  # the cycle itself will say that publicity is not open
        return await service.object(
            year, body.credit_code.strip().upper(), body.name, body.contact, body.content
        )
    except BaseException:  # refused (or cut short): it does not count against the limit
        await quotas.give_back_objection_slot(sessions, slot)
        raise


@router.post("/objections", summary=OBJECTION_JSON, status_code=201)
async def object_json(
    body: ObjectionCreate,
    request: Request,
    ctx: Ctx,
    sessions: Sessions,
    session: SessionDep,
    service: Service,
) -> ObjectionReceipt:
    return ObjectionReceipt(
        number=await file_objection(request, ctx, sessions, session, service, body)
    )


@router.get("/objection", summary="异议表单（网页）", response_class=HTMLResponse)
async def objection_page(session: SessionDep) -> HTMLResponse:
    try:
        published: listings.PublishedList | None = await listings.publicity_list(session, None)
    except DomainError:
        published = None
    return HTMLResponse(pages.objection_form(published))


@router.post("/objection", summary=OBJECTION_FORM, response_class=HTMLResponse)
async def objection_submit(
    request: Request,
    ctx: Ctx,
    sessions: Sessions,
    session: SessionDep,
    service: Service,
    credit_code: Annotated[
        str, Form(max_length=50, description="被异议组织的统一社会信用代码")
    ] = "",
    name: Annotated[str, Form(max_length=100, description="异议人真实姓名")] = "",
    contact: Annotated[str, Form(max_length=200, description="联系方式")] = "",
    content: Annotated[str, Form(max_length=5000, description="异议内容")] = "",
    year: YearForm = None,
) -> HTMLResponse:
    body = ObjectionCreate(
        year=year, credit_code=credit_code or "-", name=name, contact=contact, content=content
    )
    try:
        number = await file_objection(request, ctx, sessions, session, service, body)
    except DomainError as err:
        return HTMLResponse(
            pages.objection_refused(err.message),
            status_code=http_status(err.code),
            headers={"X-Error-Code": err.code.value},
        )
    return HTMLResponse(pages.objection_accepted(number), status_code=201)
