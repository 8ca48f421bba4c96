"""The honors register (获奖名录) in the console and one honor's page: every date and its
status (§5(3), §6), incidents (§6(6)) and fraud reports (§6(2)) by the office, the
government's approval of a revocation, and the yearly follow-up reports (§2(3)4, §6(3)) as
the service knows them today: their due dates (the office's to-do list chases them); the
reports themselves are received outside the service. Officials read the whole register, an
applicant only its own honors (`services.honors.visible_honors`, as the API)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from api.auth import READERS
from api.context import Ctx, Service, SessionDep
from api.routers import approvals as approvals_api
from api.routers import honors as honors_api
from api.schemas.honors import FraudCreate, HistoricalHonorIn, IncidentCreate
from domain.dates import add_years
from domain.errors import DomainError, ErrorCode
from domain.names import AWARD_NAMES, RECORD_KIND_NAMES
from domain.types import Award, RecordKind
from services import honors
from services.accounts import OFFICIALS, Role, Viewer
from services.honors import HonorView
from services.todo_model import FOLLOW_UP_REPORT_DAYS
from web.forms import Form, act, read_form
from web.render import render
from web.session import GovernmentUser, OfficeUser, gate

router = APIRouter(include_in_schema=False)
HonorReader = Annotated[Viewer, Depends(gate(*READERS, Role.APPLICANT))]
AWARDS = [(a.value, AWARD_NAMES[a]) for a in Award]
INCIDENT_KINDS = sorted(
    ((k.value, name) for k, name in RECORD_KIND_NAMES.items()),
    key=lambda kind: kind[0] != RecordKind.MAJOR_ACCIDENT,  # §6(6) names accidents first
)


def honor_link(honor_id: int) -> str:
    return f"/console/honors/{honor_id}"


async def _register(
    request: Request, session: SessionDep, viewer: Viewer, today: date, form: Form
) -> Response:
    return render(
        request,
        "honors/register.html",
        title="获奖名录",
        honors=await honors.visible_honors(session, viewer, today),
        awards=AWARDS,
        form=form,
        can_register=viewer.role == Role.OFFICE,
    )


@router.get("/console/honors")
async def register_page(
    request: Request, viewer: HonorReader, ctx: Ctx, session: SessionDep
) -> Response:
    return await _register(request, session, viewer, ctx.today(), Form())


@router.post("/console/honors/historical", summary="登记本系统启用前的获奖称号")
async def register_historical(
    request: Request, viewer: OfficeUser, ctx: Ctx, service: Service, session: SessionDep
) -> Response:
    posted = await read_form(request)

    async def run() -> str:
        body = HistoricalHonorIn.model_validate(
            posted.data("credit_code", "award", "year", "awarded_on")
        )
        await honors_api.register_historical(body, viewer, service)
        return "/console/honors"

    return await act(
        request,
        posted,
        run,
        "历史获奖称号已登记",
        again=lambda form: _register(request, session, viewer, ctx.today(), form),
        fields={
            ErrorCode.INVALID_CREDIT_CODE: "credit_code",
            ErrorCode.NOT_FOUND: "credit_code",
        },
    )


def follow_up_schedule(honor: HonorView, today: date) -> list[tuple[int, date, date, bool]]:
    """Each year's follow-up report (§2(3)4, §6(3)): (year, anniversary, due, overdue) for the
    anniversaries while the honor is in force, up to this year's."""
    last = today.year if honor.valid_until is None else min(today.year, honor.valid_until.year)
    rows = []
    for year in range(honor.awarded_on.year + 1, last + 1):
        anniversary = add_years(honor.awarded_on, year - honor.awarded_on.year)
        if honor.valid_until is not None and anniversary > honor.valid_until:
            break
        if honor.revoked_on is not None and anniversary > honor.revoked_on:
            break
        due = anniversary + timedelta(days=FOLLOW_UP_REPORT_DAYS)
        rows.append((year, anniversary, due, due < today))
    return rows


async def _find(session: SessionDep, viewer: Viewer, honor_id: int, today: date) -> HonorView:
    for honor in await honors.visible_honors(session, viewer, today):
        if honor.id == honor_id:
            return honor
    raise DomainError(ErrorCode.HONOR_NOT_FOUND, f"编号 {honor_id}")


async def _honor_page(
    request: Request, session: SessionDep, viewer: Viewer, honor_id: int, today: date, form: Form
) -> Response:
    honor = await _find(session, viewer, honor_id, today)
    live = honor.revoked_on is None
    return render(
        request,
        "honors/honor.html",
        title=f"{honor.name} · {honor.year}年度{AWARD_NAMES[Award(honor.award)]}",
        honor=honor,
        schedule=follow_up_schedule(honor, today),
        incidents=await honors.incidents(session, honor.id) if viewer.role in OFFICIALS else [],
        kinds=INCIDENT_KINDS,
        form=form,
        today=today,
        can_report=viewer.role == Role.OFFICE and live and honor.pending_revocation is None,
        can_revoke=viewer.role == Role.GOVERNMENT and live and bool(honor.pending_revocation),
    )


@router.get("/console/honors/{honor_id}")
async def honor_page(
    request: Request, honor_id: int, viewer: HonorReader, ctx: Ctx, session: SessionDep
) -> Response:
    return await _honor_page(request, session, viewer, honor_id, ctx.today(), Form())


@router.post("/console/honors/{honor_id}/incidents", summary="报告获奖组织发生的事故")
async def report_incident(
    request: Request,
    honor_id: int,
    viewer: OfficeUser,
    ctx: Ctx,
    service: Service,
    session: SessionDep,
) -> Response:
    posted = await read_form(request)
    today = ctx.today()

    async def run() -> str:
        honor = await _find(session, viewer, honor_id, today)
        data: dict[str, str | bool] = dict(posted.data("occurred_on", "kind", "note"))
        data["major_adverse_impact"] = posted.get("major_adverse_impact") == "on"
        body = IncidentCreate.model_validate(data)
        award = Award(honor.award)
        await honors_api.report_incident(
            honor.credit_code, award, honor.year, body, viewer, service
        )
        return honor_link(honor_id)

    return await act(
        request,
        posted,
        run,
        "事故已登记",
        again=lambda form: _honor_page(request, session, viewer, honor_id, today, form),
        fields={ErrorCode.INVALID_INPUT: "occurred_on"},
    )


@router.post("/console/honors/{honor_id}/fraud-reports", summary="报告获奖组织弄虚作假（提请撤销）")
async def report_fraud(
    request: Request,
    honor_id: int,
    viewer: OfficeUser,
    ctx: Ctx,
    service: Service,
    session: SessionDep,
) -> Response:
    posted = await read_form(request)
    today = ctx.today()

    async def run() -> str:
        honor = await _find(session, viewer, honor_id, today)
        body = FraudCreate.model_validate(posted.data("note"))
        await honors_api.report_fraud(
            honor.credit_code, Award(honor.award), honor.year, body, viewer, service
        )
        return honor_link(honor_id)

    return await act(
        request,
        posted,
        run,
        "已提请县政府撤销该称号",
        again=lambda form: _honor_page(request, session, viewer, honor_id, today, form),
    )


@router.post("/console/honors/{honor_id}/revocation-approval", summary="县政府批准撤销称号")
async def approve_revocation(
    request: Request,
    honor_id: int,
    viewer: GovernmentUser,
    ctx: Ctx,
    service: Service,
    session: SessionDep,
) -> Response:
    posted = await read_form(request)
    today = ctx.today()

    async def run() -> str:
        honor = await _find(session, viewer, honor_id, today)
        await approvals_api.approve_revocation(
            honor.credit_code, Award(honor.award), honor.year, viewer, service
        )
        return honor_link(honor_id)

    return await act(
        request,
        posted,
        run,
        "称号已撤销，撤销公告已发布",
        again=lambda form: _honor_page(request, session, viewer, honor_id, today, form),
        fields={ErrorCode.REVOCATION_NOT_PENDING: "_form"},
    )
