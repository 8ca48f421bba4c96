"""Notices (通知公告) for the signed-in user: public ones, plus their own."""

from __future__ import annotations

from fastapi import APIRouter

from api.auth import AnyUser
from api.context import SessionDep
from api.schemas.system import NoticeOut
from services import listings

router = APIRouter(tags=["通知公告"])


@router.get("/notices", summary="通知公告（本人可见）")
async def notices(viewer: AnyUser, session: SessionDep) -> list[NoticeOut]:
    return [NoticeOut.model_validate(n) for n in await listings.notices(session, viewer)]
