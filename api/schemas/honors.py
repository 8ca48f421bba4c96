"""Honors register (获奖名录), historical honors, incident and fraud reports."""

from __future__ import annotations

from datetime import date

from pydantic import Field, computed_field, field_validator

from api.schemas.base import Request, Response
from domain.names import AWARD_NAMES, HONOR_STATUS_NAMES, name_of
from services.schemas import HistoricalHonorCreate


class HonorOut(Response):
    credit_code: str
    name: str
    award: str
    year: int
    awarded_on: date
    bonus_cny: int
    takes_quota_place: bool
    status: str
    valid_until: date | None
    revocation_window_closes: date
    reapply_from: date
    revoked_on: date | None
    revocation_reason: str | None
    bonus_recovered_cny: int
    pending_revocation: str | None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def award_name(self) -> str:
        return name_of(self.award, AWARD_NAMES) or self.award

    @computed_field  # type: ignore[prop-decorator]
    @property
    def status_name(self) -> str:
        return name_of(self.status, HONOR_STATUS_NAMES) or self.status


class PublicHonorOut(Response):
    credit_code: str
    name: str
    award: str
    year: int = Field(description="获奖年度")
    awarded_on: date
    valid_until: date | None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def award_name(self) -> str:
        return name_of(self.award, AWARD_NAMES) or self.award


class IncidentCreate(Request):
    occurred_on: date = Field(description="事故发生日期")
    kind: str = Field(default="major_accident", min_length=1, max_length=50)
    major_adverse_impact: bool = Field(default=True, description="是否造成重大不良社会影响")
    note: str = Field(default="", max_length=2000)


class IncidentOut(Response):
    revocation_proposed: bool


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
