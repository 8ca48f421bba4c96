"""Publicity (社会公示, §4(5)) in the console: the published list with its closing time, the
objections received, the office's investigation form and the committee's decision on a
substantiated objection. Objections carry the objector's name and contact: only the readers
the API allows (`api.auth.ObjectionReaders`: office, supervisor, committee) see them."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from api.context import Service, SessionDep
from api.routers import publicity as publicity_api
from api.schemas.committee import CommitteeDecisionCreate, InvestigationCreate
from domain.errors import DomainError, ErrorCode
from domain.phases import Phase
from services import listings, views
from services.accounts import Role, Viewer
from services.todo import cycle_link
from web.forms import Form, act, read_form
from web.render import render
from web.session import CommitteeUser, ObjectionReader, OfficeUser

router = APIRouter(include_in_schema=False)
FINDINGS = [("substantiated", "属实"), ("unsubstantiated", "不属实")]


async def _published(session: SessionDep, year: int) -> listings.PublishedList | None:
    try:
        return await listings.publicity_list(session, year)
    except DomainError:
        return None  # not yet published


@router.get("/console/cycles/{year}/publicity")
async def publicity_page(
    request: Request, year: int, viewer: ObjectionReader, session: SessionDep
) -> Response:
    cycle = await views.find_cycle(session, year)
    return render(
        request,
        "publicity/publicity.html",
        title=f"{year}年度社会公示（§4(5)）",
        cycle=cycle,
        published=await _published(session, year),
        objections=await listings.objections(session, year),
        year=year,
        back=cycle_link(year),
    )


async def _objection_page(
    request: Request, session: SessionDep, viewer: Viewer, year: int, number: int, form: Form
) -> Response:
    cycle = await views.find_cycle(session, year)
    found = [(o, org) for o, org in await listings.objections(session, year) if o.number == number]
    if not found:
        raise DomainError(ErrorCode.OBJECTION_NOT_FOUND, f"第{number}号")
    objection, organization = found[0]
    return render(
        request,
        "publicity/objection.html",
        title=f"第{number}号异议（§4(5)）",
        cycle=cycle,
        objection=objection,
        organization=organization,
        findings=FINDINGS,
        form=form,
        year=year,
        can_investigate=viewer.role == Role.OFFICE
        and objection.finding is None
        and cycle.phase == Phase.PUBLICITY,
        can_decide=viewer.role == Role.COMMITTEE
        and objection.finding == "substantiated"
        and objection.decision is None,
        back=cycle_link(year, "/publicity"),
    )


@router.get("/console/cycles/{year}/objections/{number}")
async def objection_page(
    request: Request, year: int, number: int, viewer: ObjectionReader, session: SessionDep
) -> Response:
    return await _objection_page(request, session, viewer, year, number, Form())


@router.post("/console/cycles/{year}/objections/{number}/investigation", summary="录入异议调查结论")
async def investigate(
    request: Request,
    year: int,
    number: int,
    viewer: OfficeUser,
    service: Service,
    session: SessionDep,
) -> Response:
    posted = await read_form(request)

    async def run() -> str:
        body = InvestigationCreate.model_validate(posted.data("finding", "report"))
        await publicity_api.investigate(year, number, body, viewer, service)
        return cycle_link(year, f"/objections/{number}")

    return await act(
        request,
        posted,
        run,
        "调查结论已记录",
        again=lambda form: _objection_page(request, session, viewer, year, number, form),
        fields={ErrorCode.OBJECTION_ALREADY_INVESTIGATED: "finding"},
    )


@router.post(
    "/console/cycles/{year}/objections/{number}/decision", summary="评委会对属实异议作出决定"
)
async def decide(
    request: Request,
    year: int,
    number: int,
    viewer: CommitteeUser,
    service: Service,
    session: SessionDep,
) -> Response:
    posted = await read_form(request)

    async def run() -> str:
        found = [org for o, org in await listings.objections(session, year) if o.number == number]
        if not found:
            raise DomainError(ErrorCode.OBJECTION_NOT_FOUND, f"第{number}号")
        choice = posted.get("remove")
        body = CommitteeDecisionCreate.model_validate(
            {"credit_code": found[0].credit_code, "remove": choice}
            if choice in ("true", "false")
            else {"credit_code": found[0].credit_code}
        )
        await publicity_api.committee_decision(year, body, viewer, service)
        return cycle_link(year, f"/objections/{number}")

    return await act(
        request,
        posted,
        run,
        "评委会决定已记录",
        again=lambda form: _objection_page(request, session, viewer, year, number, form),
        fields={ErrorCode.OBJECTION_NOT_SUBSTANTIATED: "remove"},
    )
