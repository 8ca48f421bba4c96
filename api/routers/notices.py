"""Notices (通知公告) for the signed-in user: public ones, plus their own."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from api.auth import AnyUser
from api.context import SessionDep
from api.schemas.system import NoticeOut
from services import listings

router = APIRouter(tags=["通知公告"])


@router.get("/notices", summary="通知公告（本人可见）")
async def notices(
    viewer: AnyUser,
    session: SessionDep,
    audience: Annotated[
        Literal["public", "office", "applicant", "reviewer", "committee", "government", "objector"]
        | None,
        Query(
            description="只看发给某一对象的通知：如 office 县评审办自己的，"
            "applicant 发给申报组织的（副本）"
        ),
    ] = None,
) -> list[NoticeOut]:
    """The office and the supervisors see every notice; `audience` separates the office's
    own (`office`) from the copies of what went to applicants, reviewers and others."""
    found = await listings.notices(session, viewer)
    return [NoticeOut.model_validate(n) for n in found if audience in (None, n.audience)]
