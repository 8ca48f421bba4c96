"""Cycles (评审周期) and their phase commands."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field, computed_field, field_validator, model_validator

from api.schemas.base import Instant, Request, Response
from domain.names import PHASE_NAMES, name_of
from domain.phases import Stage
from services.schemas import CycleCreate


class ExtensionOut(Response):
    what: str = Field(
        description="延长的截止日期：application 申报、document 资料评审、site 现场评审"
    )
    previous: date = Field(description="原截止日期")
    until: date = Field(description="新截止日期")
    reason: str = Field(description="延期原因")
    at: Instant = Field(description="决定时间")


class CycleOut(Response):
    year: int = Field(description="评审年度")
    phase: str = Field(description="当前阶段")
    application_deadline: date = Field(description="申报截止日期（当日24时截止）")
    opened_at: Instant = Field(description="启动时间")
    committee_members: int = Field(description="评委会委员人数")
    publicity_opens: Instant | None = Field(description="公示开始时间")
    publicity_closes: Instant | None = Field(description="公示结束时间")
    awarded_on: date | None = Field(description="授奖日期")
    cancel_reason: str | None = Field(description="取消原因")
    document_closed_early_reason: str | None = Field(description="资料评审提前结束的原因")
    attention: str | None = Field(default=None, description="需要评审办处理的后台故障")
    stage_due: dict[str, date] = Field(
        default_factory=dict,
        description="各评审环节的截止日期（document 资料评审、site 现场评审；当日24时，含延期）",
    )
    extensions: list[ExtensionOut] = Field(default_factory=list, description="截止日期延期记录")
    open_irregularities: int | None = Field(
        default=None,
        description="未关闭的违规记录数（§6(1)；仅评审办、监督组、评委会、县政府可见）",
    )

    @field_validator("stage_due", mode="before")
    @classmethod
    def _no_stage_yet(cls, value: object) -> object:
        return {} if value is None else value

    @field_validator("extensions", mode="before")
    @classmethod
    def _no_extension_yet(cls, value: object) -> object:
        return [] if value is None else value

    @computed_field(description="阶段中文名称")  # type: ignore[prop-decorator]
    @property
    def phase_name(self) -> str:
        return name_of(self.phase, PHASE_NAMES) or self.phase


class CancelRequest(Request):
    reason: str = Field(min_length=1, max_length=1000, description="取消原因")


class CloseStageRequest(Request):
    stage: Stage = Field(default=Stage.DOCUMENT, description="评审环节（只能提前结束资料评审）")
    reason: str = Field(min_length=1, max_length=1000, description="提前结束的原因")


class DeadlineExtensionRequest(Request):
    what: Literal["application", "document", "site"] = Field(
        description="延长哪一个截止日期：application 申报截止日期，document 资料评审，site 现场评审"
    )
    until: date = Field(description="新的截止日期（只能延后；当日24时截止）")
    reason: str = Field(min_length=1, max_length=1000, description="延长的原因（将在通告中公布）")


class ShortlistRequest(Request):
    credit_codes: list[str] | None = Field(default=None, description="入围现场评审的组织")
    auto: bool = Field(default=False, description="采用系统推荐名单")


class ShortlistOut(Response):
    shortlist: list[str] = Field(description="入围现场评审的组织（信用代码）")


class CycleIn(CycleCreate):
    """As the service's, with a deadline in the cycle's year or the next (a typo guard)."""

    @model_validator(mode="after")
    def _deadline_near_the_year(self) -> CycleIn:
        if not self.year <= self.application_deadline.year <= self.year + 1:
            raise ValueError("申报截止日期须在评审年度内或次年")
        return self
