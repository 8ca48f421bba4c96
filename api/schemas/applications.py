"""Applications (申报), qualification, department findings and materials."""

from __future__ import annotations

from pydantic import Field, computed_field

from api.schemas.base import Instant, Request, Response, Score
from api.schemas.enums import AWARD_ENUM, DEPARTMENT_ENUM, INDUSTRY_ENUM, REASON_ENUM
from domain.departments import Department
from domain.names import AWARD_NAMES, INDUSTRY_NAMES, OUTCOME_NAMES, name_of
from domain.types import Award


class ApplicationCreate(Request):
    award: Award = Field(description="申报奖项：quality 质量奖 / innovation 创新奖")
    credit_code: str | None = Field(
        default=None, max_length=50, description="申报组织信用代码（评审办代为登记时必填）"
    )


class ReasonOut(Response):
    reason: str = Field(json_schema_extra=REASON_ENUM, description="原因代码")
    rule: str = Field(description="规则编号")
    clause: str = Field(default="", description="《管理办法》条款")
    message: str = Field(description="中文说明")


class BecauseOut(Response):
    clause: str = Field(description="《管理办法》条款")
    text: str = Field(description="依据与数字（中文）")


class ApplicationOut(Response):
    year: int = Field(description="评审年度")
    credit_code: str = Field(description="统一社会信用代码")
    name: str = Field(description="组织名称")
    award: str = Field(
        json_schema_extra=AWARD_ENUM, description="申报奖项：quality 质量奖 / innovation 创新奖"
    )
    industry: str = Field(json_schema_extra=INDUSTRY_ENUM, description="所属行业")
    submitted_at: Instant = Field(description="提交申报时间")
    outcome: str | None = Field(default=None, description="结论（评审员不可见）")
    eligible: bool | None = Field(default=None, description="是否符合申报条件（尚未审查时为空）")
    preliminary: bool | None = Field(
        default=None, description="初步结果：资格审查结束前，仅据申报信息和获奖记录判断"
    )
    """True while `reasons` are the rules failing on the declared facts and the honors
    register alone, before qualification closes (§4(1)); then the result decided."""
    reasons: list[ReasonOut] = Field(default_factory=list, description="不符合条件的原因")
    shortlisted: bool | None = Field(default=None, description="是否入围现场评审")
    document_score: Score | None = Field(default=None, description="资料评审得分")
    site_score: Score | None = Field(default=None, description="现场评审得分")
    total_score: Score | None = Field(default=None, description="总得分")
    site_report_confirmed_at: Instant | None = Field(
        default=None, description="申报组织确认现场评审报告的时间"
    )
    explanation: list[BecauseOut] | None = Field(
        default=None, description="结论的依据：决定它的规则、条款和数字（仅申报详情）"
    )

    @computed_field(description="奖项中文名称")  # type: ignore[prop-decorator]
    @property
    def award_name(self) -> str:
        return name_of(self.award, AWARD_NAMES) or self.award

    @computed_field(description="行业中文名称")  # type: ignore[prop-decorator]
    @property
    def industry_name(self) -> str:
        return name_of(self.industry, INDUSTRY_NAMES) or self.industry

    @computed_field(description="结论中文名称")  # type: ignore[prop-decorator]
    @property
    def outcome_name(self) -> str | None:
        return name_of(self.outcome, OUTCOME_NAMES)


class VerificationTaskOut(Response):
    """A department asked to verify the application (§4(1)), and whether it has reported."""

    department: str = Field(json_schema_extra=DEPARTMENT_ENUM, description="核查部门代码")
    department_name: str = Field(description="核查部门名称")
    requested_at: Instant = Field(description="发出核查时间")
    done_at: Instant | None = Field(description="核查完成时间")


class QualificationOut(Response):
    credit_code: str = Field(description="统一社会信用代码")
    eligible: bool | None = Field(description="尚未审查时为空")
    preliminary: bool = Field(description="初步结果：资格审查结束前，仅据申报信息和获奖记录判断")
    outcome: str = Field(description="结论")
    reasons: list[ReasonOut] = Field(description="不符合条件的原因")

    @computed_field(description="结论中文名称")  # type: ignore[prop-decorator]
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
    id: int = Field(description="材料编号")
    filename: str = Field(description="文件名")
    size: int = Field(description="大小（字节）")
    sha256: str = Field(description="文件SHA-256摘要")
    uploaded_by: str = Field(description="上传人（用户名）")
    created_at: Instant = Field(description="上传时间")


class MaterialList(Response):
    """An application's materials and whether they may still be deleted or replaced."""

    locked: bool = Field(description="申报已截止：材料不可再删除或替换")
    locked_from: Instant = Field(description="材料锁定时间（申报截止日24:00，北京时间）")
    materials: list[MaterialOut] = Field(description="申报材料")
