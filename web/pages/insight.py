"""Insight (issue #18) in the console: a cycle's page of pictures — its timeline and its plots,
each with its figures in a table beside it — and the pictures the other pages show: the
cycle's timeline (`cycle.html`), an honor's (`honors/honor.html`), and the explanation of an
application's outcome (`application.html`, `explanation`).

The pictures are the API's (`services.timelines`, `services.plots`) under the same rules of
who sees what, served here over the console's cookie session: the SVG routes below are what
the other pages' `<img>` point at; the insight page draws its plots inline (their `<title>`
and `<desc>` reach a screen reader), SVG with presentation attributes only (the CSP allows
no inline style).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from markupsafe import Markup
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth import READERS
from api.context import Ctx, SessionDep
from domain.errors import DomainError, ErrorCode
from domain.explain import Because
from domain.phases import Stage
from domain.types import Award
from services import explanations, honors, plots, timelines, views
from services.accounts import Role, Viewer
from services.views import ApplicationRow
from web.render import render
from web.session import WebUser, gate

router = APIRouter(include_in_schema=False)
SVG = "image/svg+xml"
PlotReader = Annotated[
    Viewer, Depends(gate(Role.OFFICE, Role.SUPERVISOR, Role.COMMITTEE, Role.REVIEWER))
]
HonorReader = Annotated[Viewer, Depends(gate(*READERS, Role.APPLICANT))]


def insight_link(year: int) -> str:
    return f"/console/cycles/{year}/insight"


async def explanation_for(
    session: AsyncSession, viewer: Viewer, row: ApplicationRow
) -> list[Because]:
    """The deciding rules of the application's outcome, as the API's application detail
    gives them (`services.explanations`); none for a reviewer."""
    if viewer.role == Role.REVIEWER:
        return []
    return await explanations.explanation(session, row)


@router.get("/console/cycles/{year}/timeline.svg")
async def cycle_timeline(year: int, viewer: WebUser, ctx: Ctx, session: SessionDep) -> Response:
    cycle = await views.find_cycle(session, year)
    return Response(timelines.cycle_svg(cycle, ctx.today()), media_type=SVG)


@router.get("/console/honors/{honor_id}/timeline.svg")
async def honor_timeline(
    honor_id: int, viewer: HonorReader, ctx: Ctx, session: SessionDep
) -> Response:
    today = ctx.today()
    for honor in await honors.visible_honors(session, viewer, today):
        if honor.id == honor_id:
            svg = await timelines.honor_svg(
                session, honor.credit_code, Award(honor.award), honor.year, today
            )
            return Response(svg, media_type=SVG)
    raise DomainError(ErrorCode.HONOR_NOT_FOUND, f"编号 {honor_id}")


def _figure(figures: plots.Plot) -> dict[str, object]:
    return {"data": figures, "svg": Markup(plots.svg(figures))}  # built by ElementTree: escaped


@router.get("/console/cycles/{year}/insight")
async def insight_page(
    request: Request,
    year: int,
    viewer: PlotReader,
    ctx: Ctx,
    session: SessionDep,
    reviewer: str | None = None,
) -> Response:
    cycle = await views.find_cycle(session, year)
    everything = viewer.role in plots.PLOT_READERS
    pick = (reviewer or "").strip() or None
    shown: dict[str, list[dict[str, object]]] = {"scores": [], "panels": [], "outcomes": []}
    if everything:
        for award in Award:
            figures = await plots.plot(session, viewer, year, "scores", award=award)
            shown["scores"].append(_figure(figures))
        shown["outcomes"].append(_figure(await plots.plot(session, viewer, year, "outcomes")))
    for stage in Stage:
        figures = await plots.plot(session, viewer, year, "panels", stage=stage)
        shown["panels"].append(_figure(figures))
    try:
        mine = await plots.plot(session, viewer, year, "reviewer", reviewer=pick)
    except DomainError as error:
        if error.code != ErrorCode.NOT_FOUND:
            raise
        mine = await plots.plot(session, viewer, year, "reviewer")
    return render(
        request,
        "insight/insight.html",
        title=f"{year}年度评审周期 · 图表",
        year=year,
        cycle=cycle,
        timeline=Markup(timelines.cycle_svg(cycle, ctx.today())),  # escaped by ElementTree
        scores=shown["scores"],
        panels=shown["panels"],
        outcomes=shown["outcomes"],
        reviewer=_figure(mine),
        everything=everything,
        asked=pick,
    )
