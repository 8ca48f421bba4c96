"""The county government's decisions (县政府审定批准): the list (§4(6)) and revocations (§6)."""

from __future__ import annotations

from fastapi import APIRouter

from api.auth import AsGovernment
from api.context import Service
from api.routers.params import Year
from api.schemas.base import Done
from api.schemas.committee import ApprovalCreate, ApprovalOut
from domain.types import Award

router = APIRouter(tags=["审定批准"])


@router.post("/cycles/{year}/approval", summary="县政府审定批准授奖名单")
async def approve(
    year: Year, body: ApprovalCreate, viewer: AsGovernment, service: Service
) -> ApprovalOut:
    awarded = await service.approve(year, [c.strip().upper() for c in body.strike])
    return ApprovalOut(awarded=awarded)


@router.post(
    "/honors/{credit_code}/{award}/{year}/revocation-approval", summary="县政府批准撤销称号"
)
async def approve_revocation(
    credit_code: str, award: Award, year: Year, viewer: AsGovernment, service: Service
) -> Done:
    await service.approve_revocation(credit_code.strip().upper(), award, year)
    return Done(message="称号已撤销，撤销公告已发布")
