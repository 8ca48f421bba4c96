"""Applications (申报), qualification, department findings and materials."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from api.schemas.base import Request, Response
from domain.departments import Department
from domain.types import Award


class ApplicationCreate(Request):
    award: Award = Field(description="申报奖项：quality 质量奖 / innovation 创新奖")
    credit_code: str | None = Field(
        default=None, max_length=50, description="申报组织信用代码（评审办代为登记时必填）"
    )


class ReasonOut(Response):
    reason: str
    rule: str
    message: str


class ApplicationOut(Response):
    year: int
    credit_code: str
    name: str
    award: str
    industry: str
    submitted_at: datetime
    outcome: str | None = Field(default=None, description="结论（评审员不可见）")
    eligible: bool | None = None
    reasons: list[ReasonOut] = Field(default_factory=list)
    shortlisted: bool | None = None
    document_score: float | None = None
    site_score: float | None = None
    total_score: float | None = None
    site_report_confirmed_at: datetime | None = None


class VerificationTaskOut(Response):
    """A department asked to verify the application (§4(1)), and whether it has reported."""

    department: str
    department_name: str
    requested_at: datetime
    done_at: datetime | None


class QualificationOut(Response):
    credit_code: str
    eligible: bool | None = Field(description="尚未审查时为空")
    outcome: str
    reasons: list[ReasonOut]


class FindingCreate(Request):
    passed: bool = Field(description="核查是否通过")
    reason: str | None = Field(default=None, max_length=50, description="不通过的原因代码")
    note: str = Field(default="", max_length=2000, description="说明")
    department: Department | None = Field(
        default=None,
        description="核查部门：market_supervision 市场监管、ecology_environment 生态环境、"
        "emergency_management 应急管理、economy_information 经信（亩均效益）",
    )


class MaterialOut(Response):
    id: int
    filename: str
    size: int
    sha256: str
    uploaded_by: str
    created_at: datetime


class MaterialList(Response):
    """An application's materials and whether they may still be deleted or replaced."""

    locked: bool = Field(description="申报已截止：材料不可再删除或替换")
    locked_from: datetime = Field(description="材料锁定时间（申报截止日24:00，北京时间）")
    materials: list[MaterialOut] = Field(description="申报材料")
