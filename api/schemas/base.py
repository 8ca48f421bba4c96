"""Shared base classes: requests refuse unknown fields; responses read ORM rows."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from services.strict import StrictDates


class Request(StrictDates):
    model_config = ConfigDict(extra="forbid")


class Response(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class Done(Response):
    """A command was accepted."""

    ok: bool = Field(default=True, description="是否成功")
    message: str = Field(description="结果说明")


CreditCode = Annotated[str, Field(min_length=1, max_length=50, description="统一社会信用代码")]
"""Checked by the service (GB 32100), so a bad one is refused as `invalid_credit_code`."""

Int32 = Annotated[int, Field(ge=-2_147_483_648, le=2_147_483_647)]
"""Any integer a body carries fits a database integer."""
