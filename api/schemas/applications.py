"""Applications (申报), qualification, department findings and materials."""

from __future__ import annotations

from pydantic import Field, computed_field

from api.schemas.base import Instant, Request, Response, Score
from domain.departments import Department
from domain.names import AWARD_NAMES, INDUSTRY_NAMES, OUTCOME_NAMES, name_of
from domain.types import Award


class ApplicationCreate(Request):
    award: Award = Field(description="申报奖项：quality 质量奖 / innovation 创新奖")
    credit_code: str | None = Field(
        default=None, max_length=50, description="申报组织信用代码（评审办代为登记时必填）"
    )


class ReasonOut(Response):
    reason: str
    rule: str
    clause: str = ""
    message: str


class ApplicationOut(Response):
    year: int
    credit_code: str
    name: str
    award: str
    industry: str
    submitted_at: Instant
    outcome: str | None = Field(default=None, description="结论（评审员不可见）")
    eligible: bool | None = None
    preliminary: bool | None = None
    """True while `reasons` are the rules failing on the declared facts and the honors
    register alone, before qualification closes (§4(1)); then the result decided."""
    reasons: list[ReasonOut] = Field(default_factory=list)
    shortlisted: bool | None = None
    document_score: Score | None = None
    site_score: Score | None = None
    total_score: Score | None = None
    site_report_confirmed_at: Instant | None = None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def award_name(self) -> str:
        return name_of(self.award, AWARD_NAMES) or self.award

    @computed_field  # type: ignore[prop-decorator]
    @property
    def industry_name(self) -> str:
        return name_of(self.industry, INDUSTRY_NAMES) or self.industry

    @computed_field  # type: ignore[prop-decorator]
    @property
    def outcome_name(self) -> str | None:
        return name_of(self.outcome, OUTCOME_NAMES)


class VerificationTaskOut(Response):
    """A department asked to verify the application (§4(1)), and whether it has reported."""

    department: str
    department_name: str
    requested_at: Instant
    done_at: Instant | None


class QualificationOut(Response):
    credit_code: str
    eligible: bool | None = Field(description="尚未审查时为空")
    preliminary: bool
    outcome: str
    reasons: list[ReasonOut]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def outcome_name(self) -> str:
        return name_of(self.outcome, OUTCOME_NAMES) or self.outcome


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
    created_at: Instant
