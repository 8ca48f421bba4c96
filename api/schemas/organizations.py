"""Organizations (申报组织) and their dated records."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import Field, computed_field

from api.schemas.base import Response
from domain.names import INDUSTRY_NAMES, RECORD_KIND_NAMES, name_of
from services.schemas import OrganizationCreate, Printable


class OrganizationOut(Response):
    credit_code: str
    name: str
    county: str
    registered_on: date
    industry: str
    industrial: bool
    excellence_since: date | None
    mu_efficiency: dict[str, Any] = Field(description="亩均效益评价档次（按年度）")

    @computed_field  # type: ignore[prop-decorator]
    @property
    def industry_name(self) -> str:
        return name_of(self.industry, INDUSTRY_NAMES) or self.industry


class RecordOut(Response):
    on: date
    kind: str
    note: str

    @computed_field  # type: ignore[prop-decorator]
    @property
    def kind_name(self) -> str:
        return name_of(self.kind, RECORD_KIND_NAMES) or self.kind


class OrganizationIn(OrganizationCreate):
    """As the service's, but any length of code gets the GB 32100 check and its own error."""

    credit_code: Printable = Field(min_length=1, max_length=50, description="统一社会信用代码")
