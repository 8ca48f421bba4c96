"""The one error body (DESIGN §7), as the OpenAPI document shows it (`api.openapi`)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from domain.errors import ErrorCode


class ErrorDetail(BaseModel):
    code: ErrorCode = Field(description="错误代码（稳定，供程序判断）")
    message: str = Field(description="中文错误说明")
    rule: str = Field(description="所依据的规则编号（如 E6、3.2），无则为空")


class ErrorBody(BaseModel):
    """Every refusal: ``{"error": {"code", "message", "rule"}}``."""

    error: ErrorDetail = Field(description="错误")
