"""The reviewer pool (评审员专家库), ties (回避) and assignments."""

from __future__ import annotations

from datetime import date

from pydantic import Field, computed_field

from api.schemas.base import CreditCode, Request, Response
from api.schemas.enums import AWARD_ENUM
from domain.names import AWARD_NAMES, INDUSTRY_NAMES, STAGE_NAMES, name_of
from domain.phases import Stage
from domain.types import Industry


class ReviewerOut(Response):
    code: str = Field(description="评审员编号")
    name: str = Field(description="姓名")
    industries: list[str] = Field(description="擅长行业")
    employer_credit_code: str | None = Field(description="工作单位信用代码")
    active: bool = Field(description="是否在库")
    email: str | None = Field(default=None, description="电子邮箱（评审任务通知发往此地址）")
    phone: str | None = Field(default=None, description="联系电话")

    @computed_field(description="各行业中文名称")  # type: ignore[prop-decorator]
    @property
    def industry_names(self) -> list[str]:
        return [name_of(i, INDUSTRY_NAMES) or i for i in self.industries]


class IndustriesUpdate(Request):
    industries: list[Industry] = Field(description="擅长行业（行业专家）")


class TieCreate(Request):
    credit_code: CreditCode


class TieOut(Response):
    credit_code: str = Field(description="有利害关系的组织信用代码")
    name: str = Field(description="组织名称")
    source: str = Field(description="registered 评审办登记 / declared 本人申报")


class ConflictCreate(Request):
    credit_code: CreditCode
    reviewer: str | None = Field(
        default=None, max_length=50, description="评审员编号（评审办代为登记时必填）"
    )


class AssignmentOut(Response):
    year: int = Field(description="评审年度")
    credit_code: str = Field(description="申报组织信用代码")
    name: str = Field(description="申报组织名称")
    award: str = Field(json_schema_extra=AWARD_ENUM, description="申报奖项")
    stage: Stage = Field(description="评审环节：document 资料评审 / site 现场评审")
    reviewer: str = Field(description="评审员编号")
    leader: bool = Field(description="是否评审组组长")
    scored: bool = Field(description="是否已评分")
    due: date | None = Field(default=None, description="评分截止日期（当日24时，含延期）")

    @computed_field(description="奖项中文名称")  # type: ignore[prop-decorator]
    @property
    def award_name(self) -> str:
        return name_of(self.award, AWARD_NAMES) or self.award

    @computed_field(description="评审环节中文名称")  # type: ignore[prop-decorator]
    @property
    def stage_name(self) -> str:
        return name_of(self.stage, STAGE_NAMES) or self.stage
