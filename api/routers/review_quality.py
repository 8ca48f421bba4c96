# ruff: noqa: RUF001, RUF002, RUF003, RUF100 -- Chinese text uses full-width punctuation.
"""Review quality (评审质量): reproducible panel draws (随机抽取, §2(4)), the spread of each
panel's scores and the reviewers' leniency (§6(1) 全程监督)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from api.auth import AsOffice, OfficeOrSupervisor, require
from api.context import Ctx, Service, SessionDep
from api.routers.params import RowId, Year
from api.schemas.supervision import (
    DrawCreate,
    DrawDecision,
    DrawOut,
    LeniencyOut,
    PanelQualityOut,
    ReproductionOut,
    SpreadOut,
    StageQualityOut,
)
from db.models import PanelDraw
from domain.panel_draw import exclusion
from domain.phases import Stage
from domain.review_quality import Spread
from services import panel_draws, review_quality
from services.accounts import Role, Viewer

router = APIRouter(tags=["评审质量"])
QualityReaders = Annotated[Viewer, Depends(require(Role.OFFICE, Role.SUPERVISOR, Role.COMMITTEE))]


def spread_out(spread: Spread) -> SpreadOut:
    return SpreadOut(
        total_spread=spread.total_spread,
        item_spread=spread.item_spread,
        widest_item=spread.widest_item,
        flagged=spread.flagged,
        reasons=list(spread.reasons),
    )


def _draw_out(row: PanelDraw, credit_code: str) -> DrawOut:
    result = panel_draws.candidates(row.pool)
    excluded = {
        c.reviewer.code: code.value
        for c in result
        if (code := exclusion(c, credit_code, row.drawn_on)) is not None
    }
    return DrawOut(
        id=row.id,
        credit_code=credit_code,
        stage=Stage(row.stage),
        seed=row.seed,
        size=row.size,
        drawn_on=row.drawn_on,
        drawn=list(row.drawn),
        leader=row.leader,
        eligible=sorted(c.reviewer.code for c in result if c.reviewer.code not in excluded),
        excluded=excluded,
        status=row.status,
        members=row.members,
        adopted_leader=row.adopted_leader,
        reason=row.reason,
    )


@router.post(
    "/cycles/{year}/applications/{credit_code}/panel-draws/{stage}",
    summary="随机抽取评审组（记录种子与候选库）",
    status_code=201,
)
async def draw(
    year: Year,
    credit_code: str,
    stage: Stage,
    body: DrawCreate,
    viewer: AsOffice,
    ctx: Ctx,
    session: SessionDep,
) -> DrawOut:
    row, _ = await panel_draws.draw(
        session,
        year,
        credit_code,
        stage,
        on=ctx.today(),
        by=viewer.username,
        seed=body.seed,
        size=body.size,
    )
    return _draw_out(row, credit_code.strip().upper())


@router.get("/cycles/{year}/panel-draws", summary="抽取记录")
async def list_draws(year: Year, viewer: OfficeOrSupervisor, session: SessionDep) -> list[DrawOut]:
    return [_draw_out(row, code) for row, code in await panel_draws.listing(session, year)]


@router.get("/cycles/{year}/panel-draws/{draw_id}/reproduction", summary="按记录重现抽取（监督）")
async def reproduce(
    year: Year, draw_id: RowId, viewer: OfficeOrSupervisor, session: SessionDep
) -> ReproductionOut:
    row, code = await panel_draws.find(session, year, draw_id)
    again = await panel_draws.reproduce(session, row, code)
    return ReproductionOut(
        id=row.id,
        reproduced=again.members == list(row.drawn) and again.leader == row.leader,
        members=again.members,
        leader=again.leader,
    )


@router.post("/cycles/{year}/panel-draws/{draw_id}/decision", summary="采用或调整抽取结果")
async def decide(
    year: Year,
    draw_id: RowId,
    body: DrawDecision,
    viewer: AsOffice,
    ctx: Ctx,
    service: Service,
    session: SessionDep,
) -> DrawOut:
    """Without `reviewers` and `leader` the drawn panel is adopted; otherwise it is
    adjusted, and `reason` is required (`adjustment_reason_required`)."""
    row = await panel_draws.decide(
        session,
        service,
        year,
        draw_id,
        now=ctx.clock(),
        members=body.reviewers,
        leader=body.leader,
        reason=body.reason,
    )
    _, code = await panel_draws.find(session, year, row.id)
    return _draw_out(row, code)


@router.get("/cycles/{year}/review-quality/{stage}", summary="评分差异与评审员宽严度（参考）")
async def stage_quality(
    year: Year, stage: Stage, viewer: QualityReaders, session: SessionDep
) -> StageQualityOut:
    found = await review_quality.stage_quality(session, year, stage)
    codes = sorted(set(found.spreads) | set(found.normalised))
    return StageQualityOut(
        stage=stage,
        normalise_official=found.normalise_official,
        reviewers=[
            LeniencyOut(reviewer=r.reviewer, mean_deviation=r.mean_deviation, panels=r.panels)
            for r in found.reviewers
        ],
        panels=[
            PanelQualityOut(
                credit_code=code,
                normalised_score=found.normalised.get(code),
                spread=spread_out(found.spreads[code]),
            )
            for code in codes
            if code in found.spreads
        ],
    )
