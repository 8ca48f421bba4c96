"""Organizations (申报组织) and their dated records."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import Field, computed_field

from api.schemas.base import Response
from api.schemas.enums import INDUSTRY_ENUM
from domain.names import INDUSTRY_NAMES, RECORD_KIND_NAMES, name_of
from services.schemas import OrganizationCreate, Printable


class OrganizationOut(Response):
    credit_code: str = Field(description="统一社会信用代码")
    name: str = Field(description="组织名称")
    county: str = Field(description="注册地（县）")
    registered_on: date = Field(description="注册登记日期")
    industry: str = Field(json_schema_extra=INDUSTRY_ENUM, description="所属行业")
    industrial: bool = Field(description="是否工业企业")
    excellence_since: date | None = Field(description="开始实施卓越绩效管理的日期")
    mu_efficiency: dict[str, Any] = Field(description="亩均效益评价档次（按年度）")
    contact_person: str | None = Field(default=None, description="联系人")
    contact_phone: str | None = Field(default=None, description="联系电话")
    contact_email: str | None = Field(default=None, description="电子邮箱（通知发往此地址）")

    @computed_field(description="行业中文名称")  # type: ignore[prop-decorator]
    @property
    def industry_name(self) -> str:
        return name_of(self.industry, INDUSTRY_NAMES) or self.industry


class RecordOut(Response):
    on: date = Field(description="发生日期")
    kind: str = Field(description="记录类型")
    note: str = Field(description="说明")

    @computed_field(description="通知类别中文名称")  # type: ignore[prop-decorator]
    @property
    def kind_name(self) -> str:
        return name_of(self.kind, RECORD_KIND_NAMES) or self.kind


class OrganizationIn(OrganizationCreate):
    """As the service's, but any length of code gets the GB 32100 check and its own error."""

    credit_code: Printable = Field(min_length=1, max_length=50, description="统一社会信用代码")
