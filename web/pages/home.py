"""The home page of a signed-in user: their to-do list (待办, `services.todo`)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from api.context import Ctx, SessionDep
from services import todo
from web.render import render
from web.session import WebUser

router = APIRouter(include_in_schema=False)


@router.get("/")
async def home(request: Request, viewer: WebUser, ctx: Ctx, session: SessionDep) -> Response:
    today = ctx.today()
    tasks = await todo.for_viewer(session, viewer, today)
    return render(request, "home.html", title="我的待办", tasks=tasks, today=today)
