"""The allowed values of response fields kept as plain strings, for the OpenAPI document."""

from __future__ import annotations

from typing import Any

from domain.departments import Department
from domain.eligibility import ELIGIBILITY_REASONS
from domain.errors import ErrorCode
from domain.types import Award, Industry


def _enum(values: list[str]) -> dict[str, Any]:
    return {"enum": values}


AWARD_ENUM = _enum([a.value for a in Award])
INDUSTRY_ENUM = _enum([i.value for i in Industry])
DEPARTMENT_ENUM = _enum([d.value for d in Department])
REASON_ENUM = _enum(sorted({c.value for c in ELIGIBILITY_REASONS} | {ErrorCode.OTHER.value}))
