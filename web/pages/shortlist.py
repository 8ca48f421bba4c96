"""The shortlist for site review (确定现场评审名单, §4(2)): the recommendation previewed
(`domain.scoring.recommend_shortlist`, the rule the workflow's ``auto`` applies) before the
office adopts it or names its own list, and closing the document stage early."""

from __future__ import annotations

from typing import Any, NamedTuple

from fastapi import APIRouter, Request
from fastapi.responses import Response

from api.context import Service, SessionDep
from api.routers import cycles as cycle_api
from api.schemas.cycles import CloseStageRequest, ShortlistRequest
from db.repositories import todo as todo_rows
from domain.errors import ErrorCode
from domain.names import name_of
from domain.phases import Stage
from domain.rules import load_rules
from domain.scoring import recommend_shortlist
from domain.types import Award
from services import views
from services.todo import cycle_link
from web.forms import Form, act, read_form
from web.render import render, score
from web.session import OfficeUser

router = APIRouter(include_in_schema=False)


class Line(NamedTuple):
    credit_code: str
    name: str
    award: str | None
    score: str
    checked: bool
    recommended: bool


async def _incomplete(
    session: SessionDep, cycle_id: int, rows: list[views.ApplicationRow]
) -> list[str]:
    """Names whose document panel has not all scored (`views.stage_scores`' ``complete``:
    current members, each with a score), from the cycle's seats read once."""
    if not rows:
        return []
    seats = await session.run_sync(todo_rows.seats, cycle_id)
    current: dict[int, list[bool]] = {}
    for seat in seats:
        if seat.stage == Stage.DOCUMENT.value and not seat.withdrawn:
            current.setdefault(seat.application_id, []).append(seat.scored)
    return [
        r.organization.name
        for r in rows
        if not (scored := current.get(r.application.id)) or not all(scored)
    ]


async def _page(
    request: Request, session: SessionDep, viewer: Any, year: int, form: Form
) -> Response:
    cycle = await views.find_cycle(session, year)
    rows = await views.still_eligible(session, viewer, year)
    rules = load_rules(cycle.rules)
    scored = [
        (r.organization.credit_code, Award(r.application.award), r.application.document_score)
        for r in rows
        if r.application.document_score is not None
    ]
    recommended = recommend_shortlist(scored, rules)
    incomplete = await _incomplete(session, cycle.id, rows)
    ranked = sorted(
        rows, key=lambda r: (r.application.award, -(r.application.document_score or -1))
    )
    if not form.values:
        form.values = {"credit_codes": recommended}
    chosen, advised = set(form.chosen("credit_codes")), set(recommended)
    lines = [  # what each row shows, worked out once (1,000 rows at 1,000 applications)
        Line(
            r.organization.credit_code,
            r.organization.name,
            name_of(r.application.award),
            score(r.application.document_score),
            r.organization.credit_code in chosen,
            r.organization.credit_code in advised,
        )
        for r in ranked
    ]
    return render(
        request,
        "shortlist.html",
        title=f"{year}年度确定现场评审名单（§4(2)）",
        cycle=cycle,
        rows=lines,
        recommended=recommended,
        incomplete=incomplete,
        form=form,
        year=year,
        rules=rules,
        back=cycle_link(year),
    )


@router.get("/console/cycles/{year}/shortlist")
async def shortlist_form(
    request: Request, year: int, viewer: OfficeUser, session: SessionDep
) -> Response:
    return await _page(request, session, viewer, year, Form())


@router.post("/console/cycles/{year}/shortlist", summary="确定现场评审名单（指定或采用推荐）")
async def shortlist(
    request: Request, year: int, viewer: OfficeUser, service: Service, session: SessionDep
) -> Response:
    posted = await read_form(request)

    async def run() -> str:
        if posted.get("adopt") == "recommended":
            body = ShortlistRequest(auto=True)
        else:
            body = ShortlistRequest(credit_codes=posted.getlist("credit_codes"))
        await cycle_api.shortlist(year, body, viewer, service)
        return cycle_link(year)

    return await act(
        request,
        posted,
        run,
        "现场评审名单已确定，未入围的申报组织已收到反馈",
        again=lambda form: _page(request, session, viewer, year, form),
        fields={ErrorCode.REVIEWS_INCOMPLETE: "_form", ErrorCode.UNKNOWN_CANDIDATE: "credit_codes"},
    )


@router.post("/console/cycles/{year}/close-stage", summary="提前结束资料评审")
async def close_stage(
    request: Request, year: int, viewer: OfficeUser, service: Service, session: SessionDep
) -> Response:
    posted = await read_form(request)

    async def run() -> str:
        body = CloseStageRequest.model_validate(posted.data("reason"))
        await cycle_api.close_stage(year, body, viewer, service)
        return cycle_link(year, "/shortlist")

    return await act(
        request,
        posted,
        run,
        "资料评审已提前结束",
        again=lambda form: _page(request, session, viewer, year, form),
    )
