"""Committee votes (审查表决), publicity (公示), objections, approvals."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import Field, computed_field

from api.schemas.base import CreditCode, Instant, Request, Response, Score
from api.schemas.enums import AWARD_ENUM
from domain.committee import Ballot
from domain.names import AWARD_NAMES, OUTCOME_NAMES, PHASE_NAMES, name_of
from domain.types import Award


class VoteCreate(Request):
    award: Award = Field(description="表决的奖项")
    present: int = Field(ge=0, le=1000, description="出席委员人数")
    ballots: dict[str, Ballot] = Field(description="各候选组织（信用代码）的赞成、反对、弃权票")


class VoteReplace(VoteCreate):
    reason: str = Field(
        min_length=1, max_length=1000, description="替换原因（如录入错误），原结果保留在记录中"
    )


class VoteResultOut(Response):
    runoff: list[str] = Field(description="需重新表决的组织；为空表示表决已确定")


class VoteOut(Response):
    award: str = Field(json_schema_extra=AWARD_ENUM, description="奖项")
    round: int = Field(description="表决轮次")
    present: int = Field(description="出席委员人数")
    ballots: dict[str, Any] = Field(description="各候选组织的赞成、反对、弃权票")
    series: int = Field(description="第几次表决结果（之后的结果替换之前的）")
    reason: str | None = Field(description="替换之前结果的原因")

    @computed_field(description="奖项中文名称")  # type: ignore[prop-decorator]
    @property
    def award_name(self) -> str:
        return name_of(self.award, AWARD_NAMES) or self.award


class CandidateOut(Response):
    credit_code: str = Field(description="候选组织信用代码")
    name: str = Field(description="候选组织名称")
    award: str = Field(json_schema_extra=AWARD_ENUM, description="奖项")
    total_score: Score = Field(description="总得分")
    outcome: str = Field(description="结论")
    document_spread: Score | None = Field(
        default=None, description="资料评审组总分最高与最低之差（§6(1)）"
    )
    site_spread: Score | None = Field(default=None, description="现场评审组总分最高与最低之差")
    spread_flagged: bool = Field(default=False, description="任一评审组评分差异超过提示阈值")
    open_irregularities: int = Field(
        default=0, description="涉及该组织的未关闭违规记录数（§6(1) 监督组）"
    )

    @computed_field(description="奖项中文名称")  # type: ignore[prop-decorator]
    @property
    def award_name(self) -> str:
        return name_of(self.award, AWARD_NAMES) or self.award

    @computed_field(description="结论中文名称")  # type: ignore[prop-decorator]
    @property
    def outcome_name(self) -> str:
        return name_of(self.outcome, OUTCOME_NAMES) or self.outcome


class ObjectionCreate(Request):
    year: int | None = Field(
        default=None, ge=1900, le=2200, description="评审年度（默认当前公示的年度）"
    )
    credit_code: CreditCode
    name: str = Field(max_length=100, description="异议人真实姓名")
    contact: str = Field(max_length=200, description="联系方式")
    content: str = Field(max_length=5000, description="异议内容")


class ObjectionReceipt(Response):
    number: int = Field(description="异议受理编号")


class ObjectionOut(Response):
    number: int = Field(description="异议受理编号")
    credit_code: str = Field(description="被异议组织信用代码")
    organization: str = Field(description="被异议组织名称")
    name: str = Field(description="异议人姓名")
    contact: str = Field(description="联系方式")
    content: str = Field(description="异议内容")
    received_at: Instant = Field(description="受理时间")
    finding: str | None = Field(description="调查结论")
    report: str | None = Field(description="调查报告")
    decision: str | None = Field(description="评委会决定")


class InvestigationCreate(Request):
    finding: Literal["substantiated", "unsubstantiated"] = Field(description="调查结论")
    report: str = Field(default="", max_length=5000, description="调查报告")


class CommitteeDecisionCreate(Request):
    credit_code: CreditCode
    remove: bool = Field(description="是否从拟授奖名单中撤下")


class ApprovalCreate(Request):
    strike: list[str] = Field(default_factory=list, description="不予批准的组织（信用代码）")


class ApprovalOut(Response):
    awarded: list[str] = Field(description="县政府批准授奖的组织（信用代码）")


class ListedOut(Response):
    credit_code: str = Field(description="统一社会信用代码")
    name: str = Field(description="组织名称")
    award: str = Field(json_schema_extra=AWARD_ENUM, description="奖项")

    @computed_field(description="奖项中文名称")  # type: ignore[prop-decorator]
    @property
    def award_name(self) -> str:
        return name_of(self.award, AWARD_NAMES) or self.award


class PublicityOut(Response):
    year: int = Field(description="评审年度")
    phase: str = Field(description="当前阶段")
    opens: Instant | None = Field(description="公示开始时间")
    closes: Instant | None = Field(description="公示结束时间")
    awarded_on: date | None = Field(description="授奖日期")
    organizations: list[ListedOut] = Field(description="公示的拟授奖组织")

    @computed_field(description="阶段中文名称")  # type: ignore[prop-decorator]
    @property
    def phase_name(self) -> str:
        return name_of(self.phase, PHASE_NAMES) or self.phase
