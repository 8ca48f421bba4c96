"""Cycles (评审周期): opening, phase commands of the office, and their state."""

from __future__ import annotations

from fastapi import APIRouter

from api.auth import AnyUser, AsOffice
from api.context import Service, SessionDep
from api.routers.params import Year
from api.schemas.base import Done
from api.schemas.cycles import (
    CancelRequest,
    CloseStageRequest,
    CycleIn,
    CycleOut,
    DeadlineExtensionRequest,
    ShortlistOut,
)
from api.schemas.cycles import ShortlistRequest as ShortlistIn
from db.models import Cycle
from services import irregularities, listings
from services.accounts import OFFICIALS, Role, Viewer
from services.views import find_cycle

router = APIRouter(tags=["评审周期"])


def cycle_out(cycle: Cycle, viewer: Viewer) -> CycleOut:
    out = CycleOut.model_validate(cycle)
    if viewer.role not in (Role.OFFICE, Role.SUPERVISOR):
        out.attention = None
    return out


@router.post("/cycles", summary="开启评审周期（发布申报通告）", status_code=201)
async def open_cycle(
    body: CycleIn, viewer: AsOffice, service: Service, session: SessionDep
) -> CycleOut:
    await service.open_cycle(body)
    return cycle_out(await find_cycle(session, body.year), viewer)


@router.get("/cycles", summary="评审周期列表")
async def list_cycles(viewer: AnyUser, session: SessionDep) -> list[CycleOut]:
    return [cycle_out(c, viewer) for c in await listings.cycles(session)]


@router.get("/cycles/{year}", summary="评审周期状态")
async def get_cycle(year: Year, viewer: AnyUser, session: SessionDep) -> CycleOut:
    out = cycle_out(await find_cycle(session, year), viewer)
    if viewer.role in OFFICIALS:  # §6(1): never shown to applicants, reviewers or the public
        out.open_irregularities = len(await irregularities.open_irregularities(session, year))
    return out


@router.post("/cycles/{year}/cancel", summary="取消评审周期")
async def cancel_cycle(year: Year, body: CancelRequest, viewer: AsOffice, service: Service) -> Done:
    await service.cancel_cycle(year, body.reason)
    return Done(message=f"{year}年度评审周期已取消")


@router.post("/cycles/{year}/close-qualification", summary="结束资格审查")
async def close_qualification(year: Year, viewer: AsOffice, service: Service) -> Done:
    await service.close_qualification(year)
    return Done(message="资格审查已结束，审查结果已通知申报组织")


@router.post("/cycles/{year}/close-stage", summary="提前结束资料评审")
async def close_stage(
    year: Year, body: CloseStageRequest, viewer: AsOffice, service: Service
) -> Done:
    await service.close_stage(year, body.stage, body.reason)
    return Done(message="资料评审已提前结束")


@router.post("/cycles/{year}/deadline-extensions", summary="延长申报截止日期或评审截止日期")
async def extend_deadline(
    year: Year, body: DeadlineExtensionRequest, viewer: AsOffice, service: Service
) -> Done:
    """Later only, with a reason: the application deadline before it has passed (intake is
    never closed early), a review stage's due date while the stage is open."""
    await service.extend_deadline(year, body.what, body.until, body.reason)
    return Done(message=f"截止日期已延长至{body.until.isoformat()}")


@router.post("/cycles/{year}/shortlist", summary="确定现场评审名单（指定或采用推荐）")
async def shortlist(
    year: Year, body: ShortlistIn, viewer: AsOffice, service: Service
) -> ShortlistOut:
    codes = (
        [c.strip().upper() for c in body.credit_codes] if body.credit_codes is not None else None
    )
    return ShortlistOut(shortlist=await service.shortlist(year, codes, auto=body.auto))


@router.post("/cycles/{year}/resume", summary="重试失败的后台任务")
async def resume(year: Year, viewer: AsOffice, service: Service) -> Done:
    await service.resume_cycle(year)
    return Done(message="已重新执行后台任务")
