"""Review (评审): forming a panel (who is eligible and why the others are not), replacing a
withdrawn reviewer, declaring a conflict, the score sheet, the leader's consensus and the
shortlist with its recommendation previewed (§1(4), §2(4), §4(2), §6(1))."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from api.context import Service, SessionDep
from api.routers import panels as panel_api
from api.routers import reviewers as reviewer_api
from api.schemas.panels import ConsensusCreate, PanelAssign, ScoreCreate
from api.schemas.reviewers import ConflictCreate
from domain.errors import DomainError, ErrorCode
from domain.names import STAGE_NAMES
from domain.panels import PanelCandidate, conflicted
from domain.phases import Stage
from domain.rules import load_rules
from domain.scoring import rubric
from services import listings, registry, views
from services.todo import application_link, cycle_link
from web.forms import Form, act, read_form
from web.render import render
from web.session import OfficeOrReviewerUser, OfficeUser, ReviewerUser

router = APIRouter(include_in_schema=False)
ONE = "/console/cycles/{year}/applications/{code}"
PERCENTAGES = list(range(0, 101, 5))


# --- panels ------------------------------------------------------------------------------------


async def _panel_page(
    request: Request,
    session: SessionDep,
    viewer: Any,
    year: int,
    code: str,
    stage: Stage,
    form: Form,
) -> Response:
    row = await views.application(session, viewer, year, code)
    org = row.organization
    pool = await listings.reviewers(session)
    facts = await session.run_sync(registry.reviewer_infos, [r.code for r in pool])
    seats = await views.panel(session, viewer, row, stage)
    current = [s.reviewer for s in seats if not s.withdrawn]
    choices = []
    for reviewer, info in zip(pool, facts, strict=True):
        candidate = PanelCandidate(
            info.code, info.employer_credit_code, info.industries, info.tied_credit_codes
        )
        why_not = []
        if not reviewer.active:
            why_not.append("已停用，不在专家库中")
        if info.employer_credit_code == org.credit_code:
            why_not.append("工作单位即申报组织，须回避（§6(1)）")
        elif conflicted(candidate, org.credit_code):
            why_not.append("与申报组织有登记或本人申报的利害关系，须回避（§6(1)）")
        choices.append(
            {
                "code": reviewer.code,
                "name": reviewer.name,
                "expert": org.industry in info.industries,
                "industries": reviewer.industries,
                "why_not": why_not,
            }
        )
    if not form.values:
        leader = next((s.reviewer for s in seats if s.leader and not s.withdrawn), "")
        form.values = {"reviewers": current, "leader": leader}
    return render(
        request,
        "panel.html",
        title=f"{STAGE_NAMES[stage]}评审组：{org.name}",
        row=row,
        org=org,
        stage=stage,
        seats=seats,
        choices=choices,
        form=form,
        year=year,
        min_size=load_rules(row.cycle.rules).panel.min_size,
        back=application_link(year, org.credit_code),
    )


@router.get(ONE + "/panels/{stage}")
async def panel_form(
    request: Request, year: int, code: str, stage: Stage, viewer: OfficeUser, session: SessionDep
) -> Response:
    return await _panel_page(request, session, viewer, year, code, stage, Form())


@router.post(ONE + "/panels/{stage}", summary="组建或调整评审组")
async def assign_panel(
    request: Request,
    year: int,
    code: str,
    stage: Stage,
    viewer: OfficeUser,
    service: Service,
    session: SessionDep,
) -> Response:
    posted = await read_form(request)

    async def run() -> str:
        body = PanelAssign.model_validate(
            {"reviewers": posted.getlist("reviewers"), "leader": posted.get("leader") or ""}
        )
        await panel_api.assign_panel(year, code, stage, body, viewer, service)
        return application_link(year, code, f"#stage-{stage.value}")

    return await act(
        request,
        posted,
        run,
        "评审组已组建，评审任务已通知评审员",
        again=lambda form: _panel_page(request, session, viewer, year, code, stage, form),
        fields={
            ErrorCode.PANEL_TOO_SMALL: "reviewers",
            ErrorCode.PANEL_NEEDS_INDUSTRY_EXPERT: "reviewers",
            ErrorCode.CONFLICT_OF_INTEREST: "reviewers",
            ErrorCode.UNKNOWN_REVIEWER: "reviewers",
            ErrorCode.LEADER_NOT_IN_PANEL: "leader",
        },
    )


# --- score sheet and consensus -----------------------------------------------------------------


async def _score_page(
    request: Request,
    session: SessionDep,
    viewer: Any,
    year: int,
    code: str,
    stage: Stage,
    form: Form,
) -> Response:
    row = await views.application(session, viewer, year, code)
    scores = await views.stage_scores(session, viewer, row, stage)
    seats = await views.panel(session, viewer, row, stage)
    mine = next((line for line in scores.scores if line.mine), None)
    if not form.values and mine is not None:
        if mine.items:
            form.values = {f"item_{k}": str(v) for k, v in mine.items.items()}
        else:
            form.values = {"points": f"{mine.total:g}"}
    leader = any(s.leader and s.reviewer == viewer.reviewer_code for s in seats)
    r = rubric()
    return render(
        request,
        "score_sheet.html",
        title=f"评分表：{row.organization.name}（{STAGE_NAMES[stage]}）",
        row=row,
        stage=stage,
        scores=scores,
        mine=mine,
        form=form,
        year=year,
        items=r.items,
        categories={c.code: c for c in r.categories},
        total=r.total,
        percentages=PERCENTAGES,
        allow_totals=load_rules(row.cycle.rules).scoring.allow_totals,
        leader=leader,
        back=application_link(year, row.organization.credit_code),
    )


@router.get(ONE + "/scores/{stage}")
async def score_sheet(
    request: Request,
    year: int,
    code: str,
    stage: Stage,
    viewer: ReviewerUser,
    session: SessionDep,
) -> Response:
    return await _score_page(request, session, viewer, year, code, stage, Form())


@router.post(ONE + "/scores/{stage}", summary="评审员提交评分（分项或总分）")
async def score(
    request: Request,
    year: int,
    code: str,
    stage: Stage,
    viewer: ReviewerUser,
    service: Service,
    session: SessionDep,
) -> Response:
    posted = await read_form(request)

    async def run() -> str:
        items = {
            i.code: v for i in rubric().items if (v := posted.get(f"item_{i.code}")) is not None
        }
        points = posted.get("points")
        if items and points is not None:
            raise DomainError(ErrorCode.INVALID_SCORE, "分项评分与总分只能填写一种")
        body = ScoreCreate.model_validate({"items": items or None, "points": points})
        await panel_api.score(year, code, stage, body, viewer, service, session)
        return "/"

    return await act(
        request,
        posted,
        run,
        "评分已提交",
        again=lambda form: _score_page(request, session, viewer, year, code, stage, form),
        fields={ErrorCode.STAGE_CLOSED: "_form", ErrorCode.INVALID_SCORE: "points"},
    )


@router.post(ONE + "/consensus/{stage}", summary="评审组组长录入合议分")
async def consensus(
    request: Request,
    year: int,
    code: str,
    stage: Stage,
    viewer: ReviewerUser,
    service: Service,
    session: SessionDep,
) -> Response:
    posted = await read_form(request)

    async def run() -> str:
        try:
            points = float(posted.get("consensus") or "")
        except ValueError:
            raise DomainError(ErrorCode.INVALID_SCORE, "合议分须为0–1000的数字") from None
        body = ConsensusCreate(points=points)
        await panel_api.consensus(year, code, stage, body, viewer, service, session)
        return application_link(year, code, f"#stage-{stage.value}")

    return await act(
        request,
        posted,
        run,
        "合议分已记录",
        again=lambda form: _score_page(request, session, viewer, year, code, stage, form),
        fields={ErrorCode.INVALID_SCORE: "consensus", ErrorCode.NOT_PANEL_LEADER: "consensus"},
    )


# --- conflicts (回避) --------------------------------------------------------------------------


async def _conflicts_page(
    request: Request, session: SessionDep, viewer: Any, year: int, form: Form
) -> Response:
    assigned = await views.assignments(session, viewer, year)
    return render(
        request,
        "conflicts.html",
        title=f"{year}年度申报回避（§6(1)）",
        year=year,
        assignments=assigned,
        form=form,
        back=cycle_link(year),
    )


@router.get("/console/cycles/{year}/conflicts")
async def conflicts(
    request: Request, year: int, viewer: OfficeOrReviewerUser, session: SessionDep
) -> Response:
    return await _conflicts_page(request, session, viewer, year, Form())


@router.post("/console/cycles/{year}/conflicts", summary="申报回避（利害关系）")
async def declare_conflict(
    request: Request, year: int, viewer: OfficeOrReviewerUser, service: Service, session: SessionDep
) -> Response:
    posted = await read_form(request)

    async def run() -> str:
        body = ConflictCreate.model_validate(posted.data("credit_code", "reviewer"))
        await reviewer_api.declare_conflict(year, body, viewer, service)
        return "/"

    return await act(
        request,
        posted,
        run,
        "回避已登记；如已分配评审任务，该任务已撤回",
        again=lambda form: _conflicts_page(request, session, viewer, year, form),
        fields={
            ErrorCode.INVALID_CREDIT_CODE: "credit_code",
            ErrorCode.UNKNOWN_ORGANIZATION: "credit_code",
            ErrorCode.UNKNOWN_REVIEWER: "reviewer",
        },
    )
