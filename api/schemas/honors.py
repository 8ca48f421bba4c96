"""Honors register (获奖名录), historical honors, incident and fraud reports."""

from __future__ import annotations

from datetime import date

from pydantic import Field, computed_field, field_validator

from api.schemas.base import Request, Response
from api.schemas.enums import AWARD_ENUM
from domain.names import AWARD_NAMES, HONOR_STATUS_NAMES, name_of
from services.schemas import HistoricalHonorCreate


class HonorOut(Response):
    credit_code: str = Field(description="统一社会信用代码")
    name: str = Field(description="组织名称")
    award: str = Field(json_schema_extra=AWARD_ENUM, description="奖项")
    year: int = Field(description="获奖年度")
    awarded_on: date = Field(description="授奖日期")
    bonus_cny: int = Field(description="奖金（元）")
    takes_quota_place: bool = Field(description="是否占用名额")
    status: str = Field(description="称号状态")
    valid_until: date | None = Field(description="有效期至")
    revocation_window_closes: date = Field(description="可撤销期限（获奖后两年）")
    reapply_from: date = Field(description="可再次申请的日期")
    revoked_on: date | None = Field(description="撤销日期")
    revocation_reason: str | None = Field(description="撤销原因")
    bonus_recovered_cny: int = Field(description="追回奖金（元）")
    pending_revocation: str | None = Field(description="待批准的撤销提请")

    @computed_field(description="奖项中文名称")  # type: ignore[prop-decorator]
    @property
    def award_name(self) -> str:
        return name_of(self.award, AWARD_NAMES) or self.award

    @computed_field(description="状态中文名称")  # type: ignore[prop-decorator]
    @property
    def status_name(self) -> str:
        return name_of(self.status, HONOR_STATUS_NAMES) or self.status


class PublicHonorOut(Response):
    credit_code: str = Field(description="统一社会信用代码")
    name: str = Field(description="组织名称")
    award: str = Field(json_schema_extra=AWARD_ENUM, description="奖项")
    year: int = Field(description="获奖年度")
    awarded_on: date = Field(description="授奖日期")
    valid_until: date | None = Field(description="有效期至")

    @computed_field(description="奖项中文名称")  # type: ignore[prop-decorator]
    @property
    def award_name(self) -> str:
        return name_of(self.award, AWARD_NAMES) or self.award


class IncidentCreate(Request):
    occurred_on: date = Field(description="事故发生日期")
    kind: str = Field(default="major_accident", min_length=1, max_length=50, description="事故类型")
    major_adverse_impact: bool = Field(default=True, description="是否造成重大不良社会影响")
    note: str = Field(default="", max_length=2000, description="说明")


class IncidentOut(Response):
    revocation_proposed: bool = Field(description="是否已提请撤销称号")


class FraudCreate(Request):
    note: str = Field(default="", max_length=2000, description="弄虚作假情况说明")


class HistoricalHonorIn(HistoricalHonorCreate):
    """An honor won before this service, with the award year and date in a sane range."""

    credit_code: str = Field(min_length=1, max_length=50, description="统一社会信用代码")
    year: int = Field(ge=1990, le=2200, description="获奖年度")

    @field_validator("awarded_on")
    @classmethod
    def _awarded_in_range(cls, value: date) -> date:
        if not 1990 <= value.year <= 2200:
            raise ValueError("授奖日期超出范围")
        return value
