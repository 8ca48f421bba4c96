"""The public portal (公开门户, no sign-in): current notices, the publicity list with its
closing time (§4(5)), the register of honors in force with their award year (§6(5)) and the
real-name objection form, as HTML beside the public JSON (`api.routers.public`) and read
through the same `services` functions. Nothing here shows more than that JSON does.

The objection form has no CSRF token: the public has no session to forge, and the form is
rate-limited per client address like the JSON (`api.routers.public.file_objection`). It
carries a once-key: a double click files one objection."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from api.context import Ctx, Service, SessionDep, Sessions
from api.middleware.asgi import client_address
from api.routers.public import file_objection
from api.schemas.committee import ObjectionCreate
from domain.errors import DomainError, ErrorCode
from services import honors, listings
from web.forms import Form, Posted, act
from web.render import render

router = APIRouter(include_in_schema=False)
NOTICES_SHOWN = 20
OBJECTION_FIELDS = {
    ErrorCode.INVALID_OBJECTION: "name",
    ErrorCode.INVALID_CREDIT_CODE: "credit_code",
    ErrorCode.UNKNOWN_CANDIDATE: "credit_code",
    ErrorCode.NOT_FOUND: "credit_code",
}


async def _published(session: SessionDep) -> listings.PublishedList | None:
    try:
        return await listings.publicity_list(session, None)
    except DomainError:
        return None  # no list published yet


@router.get("/portal")
async def portal_home(request: Request, session: SessionDep) -> Response:
    notices = await listings.notices(session, None)
    return render(
        request,
        "portal/home.html",
        title="庆元县人民政府质量奖 · 公开信息",
        notices=sorted(notices, key=lambda n: n.published_at, reverse=True)[:NOTICES_SHOWN],
        published=await _published(session),
    )


@router.get("/portal/publicity")
async def portal_publicity(request: Request, session: SessionDep) -> Response:
    return render(
        request,
        "portal/publicity.html",
        title="拟授奖名单公示（§4(5)）",
        published=await _published(session),
    )


@router.get("/portal/honors")
async def portal_honors(request: Request, ctx: Ctx, session: SessionDep) -> Response:
    return render(
        request,
        "portal/honors.html",
        title="获奖名录（有效称号，§6(5)）",
        honors=await honors.honors(session, ctx.today(), active_only=True),
    )


async def _objection_form(request: Request, session: SessionDep, form: Form) -> Response:
    return render(
        request,
        "portal/objection.html",
        title="实名提出异议（§4(5)）",
        published=await _published(session),
        form=form,
    )


@router.get("/portal/objection")
async def portal_objection(request: Request, session: SessionDep) -> Response:
    return await _objection_form(request, session, Form())


@router.post("/portal/objection", summary="提交异议（公开门户）")
async def portal_object(
    request: Request, ctx: Ctx, sessions: Sessions, session: SessionDep, service: Service
) -> Response:
    """Through `web.forms.act` like every console form: a double click files one objection
    (the once-key's owner is the client address, there being no account)."""
    body = await request.body()  # first, as `web.forms.read_form` does
    posted = Posted(await request.form(), body)
    client = client_address(request.scope, ctx.settings.trusted_proxies) or "-"

    async def run() -> str:
        typed = posted.data("name", "contact", "content")
        body = ObjectionCreate.model_validate(
            {"name": "", "contact": "", "content": "", **typed}
            | {"credit_code": posted.get("credit_code") or "-"}
        )
        number = await file_objection(request, ctx, sessions, session, service, body)
        return f"/portal/objection/{number}"

    return await act(
        request,
        posted,
        run,
        "异议已受理",
        again=lambda form: _objection_form(request, session, form),
        fields=OBJECTION_FIELDS,
        owner=f"public:{client}",
    )


@router.get("/portal/objection/{number}")
async def portal_received(request: Request, number: int) -> Response:
    """The receipt: only the number the objector was given (nothing about the objection)."""
    return render(request, "portal/received.html", title="异议已受理", number=number)
