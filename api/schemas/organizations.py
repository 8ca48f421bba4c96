"""Organizations (申报组织) and their dated records."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import Field

from api.schemas.base import Response
from services.schemas import OrganizationCreate


class OrganizationOut(Response):
    credit_code: str = Field(description="统一社会信用代码")
    name: str = Field(description="组织名称")
    county: str = Field(description="注册地（县）")
    registered_on: date = Field(description="注册登记日期")
    industry: str = Field(description="所属行业")
    industrial: bool = Field(description="是否工业企业")
    excellence_since: date | None = Field(description="开始实施卓越绩效管理的日期")
    mu_efficiency: dict[str, Any] = Field(description="亩均效益评价档次（按年度）")


class RecordOut(Response):
    on: date = Field(description="发生日期")
    kind: str = Field(description="记录类型")
    note: str = Field(description="说明")


class OrganizationIn(OrganizationCreate):
    """As the service's, but any length of code gets the GB 32100 check and its own error."""

    credit_code: str = Field(min_length=1, max_length=50, description="统一社会信用代码")
