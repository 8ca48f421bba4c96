"""Review panels (评审组), scores and the leader's consensus (§2(4), §4(2), §4(3))."""

from __future__ import annotations

from fastapi import APIRouter

from api.auth import AnyUser, AsOffice, AsReviewer
from api.context import Service, SessionDep
from api.routers.params import Year
from api.schemas.base import Done
from api.schemas.panels import (
    ConsensusCreate,
    PanelAssign,
    PanelSeatOut,
    ScoreCreate,
    ScoreOut,
    StageScoresOut,
)
from domain.errors import DomainError, ErrorCode
from domain.phases import Stage
from services import views
from services.accounts import OFFICIALS, Role

router = APIRouter(tags=["评审组与评分"])
ONE = "/cycles/{year}/applications/{credit_code}"
PANEL_READERS = OFFICIALS | {Role.REVIEWER}


@router.put(ONE + "/panels/{stage}", summary="组建或调整评审组")
async def assign_panel(
    year: Year,
    credit_code: str,
    stage: Stage,
    body: PanelAssign,
    viewer: AsOffice,
    service: Service,
) -> Done:
    await service.assign_panel(
        year, credit_code.strip().upper(), stage, body.reviewers, body.leader
    )
    return Done(message="评审组已组建，评审任务已通知评审员")


@router.get(ONE + "/panels/{stage}", summary="评审组成员")
async def get_panel(
    year: Year, credit_code: str, stage: Stage, viewer: AnyUser, session: SessionDep
) -> list[PanelSeatOut]:
    if viewer.role not in PANEL_READERS:  # applicants: hidden like any record they may not see
        raise DomainError(ErrorCode.NOT_FOUND, "评审组不存在")
    row = await views.application(session, viewer, year, credit_code)
    seats = await views.panel(session, viewer, row, stage)
    return [PanelSeatOut.model_validate(s) for s in seats]


@router.post(ONE + "/scores/{stage}", summary="评审员提交评分（分项或总分）")
async def score(
    year: Year,
    credit_code: str,
    stage: Stage,
    body: ScoreCreate,
    viewer: AsReviewer,
    service: Service,
    session: SessionDep,
) -> ScoreOut:
    row = await views.application(session, viewer, year, credit_code)
    points = await service.score(
        year,
        row.organization.credit_code,
        stage,
        viewer.reviewer_code or "",
        points=body.points,
        items=body.items,
        comments={code: c.model_dump() for code, c in body.comments.items()},
    )
    return ScoreOut(points=points)


@router.get(ONE + "/scores/{stage}", summary="评分情况（按权限过滤）")
async def get_scores(
    year: Year, credit_code: str, stage: Stage, viewer: AnyUser, session: SessionDep
) -> StageScoresOut:
    row = await views.application(session, viewer, year, credit_code)
    found = await views.stage_scores(session, viewer, row, stage)
    return StageScoresOut.model_validate(found)


@router.post(ONE + "/consensus/{stage}", summary="评审组组长录入合议分")
async def consensus(
    year: Year,
    credit_code: str,
    stage: Stage,
    body: ConsensusCreate,
    viewer: AsReviewer,
    service: Service,
    session: SessionDep,
) -> Done:
    row = await views.application(session, viewer, year, credit_code)
    await service.consensus(
        year, row.organization.credit_code, stage, body.points, reviewer=viewer.reviewer_code
    )
    return Done(message="合议分已记录")
