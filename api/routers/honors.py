"""The honors register (获奖名录), historical honors, incidents and fraud reports (§5, §6)."""

from __future__ import annotations

from fastapi import APIRouter

from api.auth import AsOffice, OfficialsOrApplicant
from api.context import Ctx, Service, SessionDep
from api.routers.params import Year
from api.schemas.base import Done
from api.schemas.honors import (
    FraudCreate,
    HistoricalHonorIn,
    HonorOut,
    IncidentCreate,
    IncidentOut,
)
from domain.credit_code import is_valid_credit_code
from domain.errors import DomainError, ErrorCode
from domain.types import Award
from services import honors
from services.schemas import HistoricalHonorCreate, IncidentReport

router = APIRouter(tags=["获奖称号"])
ONE = "/honors/{credit_code}/{award}/{year}"


@router.get("/honors", summary="获奖名录（含已过期、已撤销）")
async def list_honors(
    viewer: OfficialsOrApplicant, ctx: Ctx, session: SessionDep
) -> list[HonorOut]:
    found = await honors.visible_honors(session, viewer, ctx.today())
    return [HonorOut.model_validate(h) for h in found]


@router.post("/honors/historical", summary="登记本系统启用前的获奖称号", status_code=201)
async def register_historical(body: HistoricalHonorIn, viewer: AsOffice, service: Service) -> Done:
    code = body.credit_code.strip().upper()
    if not is_valid_credit_code(code):
        raise DomainError(ErrorCode.INVALID_CREDIT_CODE, body.credit_code)
    data = HistoricalHonorCreate.model_validate(body.model_dump() | {"credit_code": code})
    await service.register_historical_honor(data)
    return Done(message="历史获奖称号已登记")


@router.post(ONE + "/incidents", summary="报告获奖组织发生的事故")
async def report_incident(
    credit_code: str,
    award: Award,
    year: Year,
    body: IncidentCreate,
    viewer: AsOffice,
    service: Service,
) -> IncidentOut:
    report = IncidentReport.model_validate(body.model_dump())
    proposed = await honors.report_incident(service, credit_code, award, year, report)
    return IncidentOut(revocation_proposed=proposed)


@router.post(ONE + "/fraud-reports", summary="报告获奖组织弄虚作假（提请撤销）")
async def report_fraud(
    credit_code: str,
    award: Award,
    year: Year,
    body: FraudCreate,
    viewer: AsOffice,
    service: Service,
) -> Done:
    await service.report_fraud(credit_code.strip().upper(), award, year, body.note)
    return Done(message="已提请县政府撤销该称号")


@router.post(ONE + "/resume", summary="重试获奖称号失败的后台任务")
async def resume(
    credit_code: str, award: Award, year: Year, viewer: AsOffice, service: Service
) -> Done:
    """A write of the honor that kept failing (its register row, its notices) is tried
    again; the workflow waited for this instead of failing."""
    await service.resume_honor(credit_code.strip().upper(), award, year)
    return Done(message="已重试该获奖称号的后台任务")
