"""A live cycle exported as a scenario file for `qaward simulate` (issue #18)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response

from api.auth import require
from api.context import Ctx, SessionDep
from api.routers.params import Year
from services.accounts import Role, Viewer
from services.scenario_export import export_cycle
from services.views import find_cycle

router = APIRouter(tags=["情景导出"])
OfficeOrSupervisor = Annotated[Viewer, Depends(require(Role.OFFICE, Role.SUPERVISOR))]


@router.get(
    "/cycles/{year}/scenario.yaml",
    summary="把评审周期导出为情景文件（qaward simulate 可重放）",
    response_class=Response,
    responses={200: {"content": {"application/yaml": {}}}},
)
async def export_scenario(
    year: Year, viewer: OfficeOrSupervisor, ctx: Ctx, session: SessionDep
) -> Response:
    cycle = await find_cycle(session, year)
    await ctx.award_service()  # connected to Temporal (or a clear 503)
    assert ctx.client is not None
    text = await export_cycle(ctx.client, session, cycle, ctx.clock())
    name = f"cycle-{year}.yaml"
    return Response(
        text,
        media_type="application/yaml; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
