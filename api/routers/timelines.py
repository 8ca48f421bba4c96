"""Timelines as SVG pictures (issue #18): a cycle's phases and dates, an honor's years."""

from __future__ import annotations

from fastapi import APIRouter, Response

from api.auth import AnyUser, OfficialsOrApplicant
from api.context import Ctx, SessionDep
from api.routers.params import Year
from domain.errors import DomainError, ErrorCode
from domain.types import Award
from services import timelines
from services.accounts import Role
from services.views import find_cycle

router = APIRouter(tags=["时间线"])
SVG = "image/svg+xml"


@router.get(
    "/cycles/{year}/timeline.svg",
    summary="评审周期时间线（SVG）",
    response_class=Response,
    responses={200: {"content": {SVG: {}}}},
)
async def cycle_timeline(year: Year, viewer: AnyUser, ctx: Ctx, session: SessionDep) -> Response:
    cycle = await find_cycle(session, year)
    return Response(timelines.cycle_svg(cycle, ctx.today()), media_type=SVG)


@router.get(
    "/honors/{credit_code}/{award}/{year}/timeline.svg",
    summary="获奖称号时间线（SVG）",
    response_class=Response,
    responses={200: {"content": {SVG: {}}}},
)
async def honor_timeline(
    credit_code: str,
    award: Award,
    year: Year,
    viewer: OfficialsOrApplicant,
    ctx: Ctx,
    session: SessionDep,
) -> Response:
    if viewer.role == Role.APPLICANT and viewer.credit_code != credit_code:
        raise DomainError(ErrorCode.FORBIDDEN, "只能查看本组织的获奖称号")
    svg = await timelines.honor_svg(session, credit_code, award, year, ctx.today())
    return Response(svg, media_type=SVG)
