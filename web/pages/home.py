"""The home page of a signed-in user: their to-do list (待办, `services.todo`), in pages of
`PAGE_SIZE` tasks (at 1,000 applications the office may have a thousand, overdue first)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from api.context import Ctx, SessionDep
from services import todo
from web.paging import page_of
from web.render import render
from web.session import WebUser

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 100


@router.get("/")
async def home(
    request: Request, viewer: WebUser, ctx: Ctx, session: SessionDep, page: str = "1"
) -> Response:
    today = ctx.today()
    tasks = await todo.for_viewer(session, viewer, today)
    shown = page_of(len(tasks), page, PAGE_SIZE, lambda n: f"/?page={n}")
    return render(
        request,
        "home.html",
        title="我的待办",
        tasks=tasks[shown.offset : shown.offset + shown.limit],
        total=len(tasks),
        overdue=sum(1 for t in tasks if t.overdue(today)),
        page=shown,
        today=today,
    )
