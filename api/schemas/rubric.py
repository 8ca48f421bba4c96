"""The scoring rubric (评分细则, GB/T 19580, §1(4)) as the API shows it."""

from __future__ import annotations

from pydantic import Field

from api.schemas.base import Response


class RubricItemOut(Response):
    code: str = Field(description="评分项编号（如 4.1.2）")
    name: str = Field(description="评分项名称")
    points: int = Field(description="评分项分值")
    category: str = Field(description="所属类目编号（如 4.1）")
    category_name: str = Field(description="所属类目名称（如 领导）")


class RubricCategoryOut(Response):
    code: str = Field(description="类目编号")
    name: str = Field(description="类目名称")
    points: int = Field(description="类目分值（其评分项分值之和）")


class RubricOut(Response):
    standard: str = Field(description="评价准则（国家标准编号）")
    total: int = Field(description="满分")
    categories: list[RubricCategoryOut] = Field(description="类目")
    items: list[RubricItemOut] = Field(description="评分项（评审员按百分比逐项打分）")
