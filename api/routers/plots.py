"""Plots of a cycle (issue #18): the picture as SVG and its figures as JSON.

Kinds: `scores` (an award's total scores, `?award=`), `panels` (a stage's panels' spreads,
`?stage=`, one application's panel with `?panel=` its credit code), `reviewer` (a reviewer's
totals against their panels' means, `?reviewer=` its code) and `outcomes`. Office,
supervisor and committee see every plot; a reviewer its own reviewer plot and the reported
panels it sits on (`services.plots`); everyone else is refused.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from api.auth import require
from api.context import SessionDep
from api.routers.params import Year
from domain.phases import Stage
from domain.types import Award
from services import plots
from services.accounts import Role, Viewer

router = APIRouter(tags=["统计图"])
SVG = "image/svg+xml"
PlotViewer = Annotated[
    Viewer, Depends(require(Role.OFFICE, Role.SUPERVISOR, Role.COMMITTEE, Role.REVIEWER))
]
AwardQuery = Annotated[Award, Query(description="总得分分布的奖项")]
StageQuery = Annotated[Stage, Query(description="评审组评分差异的评审环节")]
PanelQuery = Annotated[
    str | None, Query(max_length=18, description="只看该申报组织（统一社会信用代码）的评审组")
]
ReviewerQuery = Annotated[str | None, Query(max_length=50, description="评审员编号")]


@router.get(
    "/cycles/{year}/plots/{kind}.svg",
    summary="评审统计图（SVG）",
    response_class=Response,
    responses={200: {"content": {SVG: {}}}},
)
async def plot_svg(
    year: Year,
    kind: str,
    viewer: PlotViewer,
    session: SessionDep,
    award: AwardQuery = Award.QUALITY,
    stage: StageQuery = Stage.DOCUMENT,
    panel: PanelQuery = None,
    reviewer: ReviewerQuery = None,
) -> Response:
    figures = await plots.plot(
        session, viewer, year, kind, award=award, stage=stage, panel=panel, reviewer=reviewer
    )
    return Response(plots.svg(figures), media_type=SVG)


@router.get("/cycles/{year}/plots/{kind}", summary="评审统计图的数据")
async def plot_figures(
    year: Year,
    kind: str,
    viewer: PlotViewer,
    session: SessionDep,
    award: AwardQuery = Award.QUALITY,
    stage: StageQuery = Stage.DOCUMENT,
    panel: PanelQuery = None,
    reviewer: ReviewerQuery = None,
) -> plots.Plot:
    return await plots.plot(
        session, viewer, year, kind, award=award, stage=stage, panel=panel, reviewer=reviewer
    )
