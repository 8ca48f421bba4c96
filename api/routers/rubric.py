"""The scoring rubric: the 23 GB/T 19580 items reviewers score, with their points (§1(4))."""

from __future__ import annotations

from fastapi import APIRouter

from api.auth import AnyUser
from api.schemas.rubric import RubricCategoryOut, RubricItemOut, RubricOut
from domain.scoring import rubric

router = APIRouter(tags=["评分细则"])


@router.get("/rubric", summary="评分细则（GB/T 19580 评分项及分值）")
async def get_rubric(viewer: AnyUser) -> RubricOut:
    r = rubric()
    names = {c.code: c.name for c in r.categories}
    return RubricOut(
        standard=r.standard,
        total=r.total,
        categories=[RubricCategoryOut.model_validate(c) for c in r.categories],
        items=[
            RubricItemOut(
                code=i.code,
                name=i.name,
                points=i.points,
                category=i.category,
                category_name=names[i.category],
            )
            for i in r.items
        ],
    )
