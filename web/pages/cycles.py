"""Cycles (评审周期): the list, opening one with its program rules shown, the overview with
its phase bar, deadlines and counts, extending a deadline and closing qualification."""

from __future__ import annotations

from collections import Counter
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from api.context import Ctx, Service, SessionDep
from api.routers import cycles as cycle_api
from api.schemas.cycles import CycleIn, DeadlineExtensionRequest
from domain.errors import ErrorCode
from domain.names import OUTCOME_NAMES, PHASE_NAMES, name_of
from domain.phases import PHASE_ORDER, Phase
from domain.rules import load_rules
from services import listings, views
from web.forms import Form, act, read_form
from web.render import render
from web.session import OfficeUser, WebUser

router = APIRouter(include_in_schema=False)

BAR: list[Phase] = [p for p in PHASE_ORDER if p != Phase.CANCELLED]
DEADLINES = [("application", "申报截止日期"), ("document", "资料评审"), ("site", "现场评审")]


def rules_shown(rules: dict[str, Any] | None = None) -> list[tuple[str, str]]:
    """The program rules a person checks before opening a cycle, in Chinese (DESIGN §5.1)."""
    r = load_rules(rules)
    w = r.scoring.weights
    return [
        (
            "质量奖名额 / 有效期（§1(2)、§6(5)）",
            f"{r.quality.quota} 名 / {r.quality.validity_years} 年",
        ),
        ("创新奖名额（§1(2)）", f"{r.innovation.quota} 名"),
        ("评审组最少人数（§2(4)）", f"{r.panel.min_size} 人"),
        ("允许直接给总分（§1(4)）", "是" if r.scoring.allow_totals else "否（须逐项评分）"),
        ("总分权重", f"资料评审 {w.document} · 现场评审 {w.site}"),
        ("现场评审入围上限（§4(2)）", f"每奖项 {r.shortlist.max_per_award} 名"),
        ("资料评审期限 / 现场评审期限", f"{r.review.document_days} 天 / {r.review.site_days} 天"),
        ("公示期（§4(5)）", f"{r.publicity.days} 天"),
        ("撤销称号的事故期限（§6(6)）", f"获奖后 {r.revocation.window_years} 年内"),
        (
            "奖金（§5(1)）",
            f"首次质量奖 {r.bonus.quality_first:,} 元 · 首次创新奖 {r.bonus.innovation_first:,} 元"
            f" · 已获创新奖再获质量奖 {r.bonus.quality_after_innovation:,} 元",
        ),
    ]


def _list_page(request: Request, cycles: list[Any], form: Form, today: Any) -> Response:
    return render(
        request,
        "cycles.html",
        title="评审周期",
        cycles=cycles,
        form=form,
        rules=rules_shown(),
        today=today,
        phase_names=PHASE_NAMES,
    )


@router.get("/console/cycles")
async def cycle_list(request: Request, viewer: WebUser, ctx: Ctx, session: SessionDep) -> Response:
    today = ctx.today()
    form = Form(values={"year": str(today.year), "committee_members": "9"})
    return _list_page(request, await listings.cycles(session), form, today)


@router.post("/console/cycles", summary="开启评审周期（发布申报通告）")
async def open_cycle(
    request: Request, viewer: OfficeUser, ctx: Ctx, service: Service, session: SessionDep
) -> Response:
    posted = await read_form(request)
    cycles = await listings.cycles(session)

    async def run() -> str:
        body = CycleIn.model_validate(
            posted.data("year", "application_deadline", "committee_members")
        )
        await cycle_api.open_cycle(body, viewer, service, session)
        return f"/console/cycles/{body.year}"

    return await act(
        request,
        posted,
        run,
        "评审周期已开启，申报通告已发布",
        again=lambda form: _list_page(request, cycles, form, ctx.today()),
        fields={ErrorCode.CYCLE_EXISTS: "year", ErrorCode.INVALID_INPUT: "application_deadline"},
    )


async def _overview(
    request: Request, viewer: Any, session: SessionDep, year: int, form: Form
) -> Response:
    cycle = await views.find_cycle(session, year)
    rows = await views.applications(session, viewer, year)
    apps = [r.application for r in rows]
    funnel = [
        ("申报", len(apps)),
        ("资格审查通过", sum(1 for a in apps if a.eligible)),
        ("入围现场评审", sum(1 for a in apps if a.shortlisted)),
        ("现场评审报告已确认", sum(1 for a in apps if a.site_report_confirmed_at)),
        ("有总得分", sum(1 for a in apps if a.total_score is not None)),
        ("获奖", sum(1 for a in apps if a.outcome == "awarded")),
    ]
    outcomes = Counter(a.outcome for a in apps)
    out = cycle_api.cycle_out(cycle, viewer)
    now = BAR.index(Phase(cycle.phase)) if cycle.phase in BAR else -1
    return render(
        request,
        "cycle.html",
        title=f"{year}年度评审周期",
        cycle=out,
        bar=BAR,
        now=now,
        funnel=funnel,
        outcomes=[(name_of(k, OUTCOME_NAMES), n) for k, n in outcomes.items()],
        form=form,
        deadlines=DEADLINES,
        rules=rules_shown(cycle.rules),
    )


@router.get("/console/cycles/{year}")
async def overview(request: Request, year: int, viewer: WebUser, session: SessionDep) -> Response:
    return await _overview(request, viewer, session, year, Form())


@router.post("/console/cycles/{year}/deadline-extensions", summary="延长申报截止日期或评审截止日期")
async def extend_deadline(
    request: Request, year: int, viewer: OfficeUser, service: Service, session: SessionDep
) -> Response:
    posted = await read_form(request)

    async def run() -> str:
        body = DeadlineExtensionRequest.model_validate(posted.data("what", "until", "reason"))
        await cycle_api.extend_deadline(year, body, viewer, service)
        return f"/console/cycles/{year}"

    return await act(
        request,
        posted,
        run,
        "截止日期已延长",
        again=lambda form: _overview(request, viewer, session, year, form),
        fields={
            ErrorCode.INVALID_INPUT: "until",
            ErrorCode.NOT_IN_PHASE: "what",
            ErrorCode.STAGE_CLOSED: "what",
        },
    )


@router.post("/console/cycles/{year}/close-qualification", summary="结束资格审查")
async def close_qualification(
    request: Request, year: int, viewer: OfficeUser, service: Service, session: SessionDep
) -> Response:
    posted = await read_form(request)

    async def run() -> str:
        await cycle_api.close_qualification(year, viewer, service)
        return f"/console/cycles/{year}"

    return await act(
        request,
        posted,
        run,
        "资格审查已结束，审查结果已通知申报组织",
        again=lambda form: _overview(request, viewer, session, year, form),
    )
