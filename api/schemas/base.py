"""Shared base classes: requests refuse unknown fields; responses read ORM rows."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer

from domain.dates import SHANGHAI
from domain.scoring import round_half_up
from services.schemas import Printable
from services.strict import StrictDates


class Request(StrictDates):
    model_config = ConfigDict(extra="forbid")


class Response(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class Done(Response):
    """A command was accepted."""

    ok: bool = Field(default=True, description="是否成功")
    message: str = Field(description="结果说明")


CreditCode = Annotated[
    Printable, Field(min_length=1, max_length=50, description="统一社会信用代码")
]
"""Checked by the service (GB 32100), so a bad one is refused as `invalid_credit_code`."""

Int32 = Annotated[int, Field(ge=-2_147_483_648, le=2_147_483_647)]
"""Any integer a body carries fits a database integer."""


def _in_shanghai(moment: datetime) -> datetime:
    # A naive instant is the database's UTC (db.base.UtcDateTime writes UTC only).
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(SHANGHAI)


Instant = Annotated[datetime, PlainSerializer(_in_shanghai, return_type=datetime)]
"""An instant a person reads: written in Asia/Shanghai (``+08:00``), whatever it is held in."""

Score = Annotated[float, PlainSerializer(round_half_up, return_type=float)]
"""A score or total as output: rounded half-up to 0.1 (DESIGN §3.2); full precision inside."""
