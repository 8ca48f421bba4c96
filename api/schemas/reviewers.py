"""The reviewer pool (评审员专家库), ties (回避) and assignments."""

from __future__ import annotations

from pydantic import Field

from api.schemas.base import CreditCode, Request, Response
from domain.phases import Stage
from domain.types import Industry


class ReviewerOut(Response):
    code: str
    name: str
    industries: list[str]
    employer_credit_code: str | None
    active: bool


class IndustriesUpdate(Request):
    industries: list[Industry] = Field(description="擅长行业（行业专家）")


class TieCreate(Request):
    credit_code: CreditCode


class TieOut(Response):
    credit_code: str
    name: str
    source: str = Field(description="registered 评审办登记 / declared 本人申报")


class ConflictCreate(Request):
    credit_code: CreditCode
    reviewer: str | None = Field(
        default=None, max_length=50, description="评审员编号（评审办代为登记时必填）"
    )


class AssignmentOut(Response):
    year: int
    credit_code: str
    name: str
    award: str
    stage: Stage
    reviewer: str
    leader: bool
    scored: bool
