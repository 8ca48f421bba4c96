"""Organizations (申报组织) and their dated records."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import Field

from api.schemas.base import Response
from services.schemas import OrganizationCreate


class OrganizationOut(Response):
    credit_code: str
    name: str
    county: str
    registered_on: date
    industry: str
    industrial: bool
    excellence_since: date | None
    mu_efficiency: dict[str, Any] = Field(description="亩均效益评价档次（按年度）")


class RecordOut(Response):
    on: date
    kind: str
    note: str


class OrganizationIn(OrganizationCreate):
    """As the service's, but any length of code gets the GB 32100 check and its own error."""

    credit_code: str = Field(min_length=1, max_length=50, description="统一社会信用代码")
