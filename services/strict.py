"""Request bodies read dates strictly: ``"2025-04-30"``, never a number.

Pydantic's lax mode reads ``0``, ``86400`` or ``"86400"`` as seconds since 1970 — a
date nobody meant. The strict mode of pydantic would refuse ISO strings too (FastAPI
validates the parsed JSON in Python mode), so a before-validator on every field of the
models below refuses anything but a date or a ``YYYY-MM-DD`` string where a date goes.
"""

from __future__ import annotations

import re
import types
from datetime import date, datetime
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _is_date(annotation: Any) -> bool:
    if get_origin(annotation) in (Union, types.UnionType):
        return any(_is_date(arg) for arg in get_args(annotation) if arg is not type(None))
    return annotation is date


class StrictDates(BaseModel):
    """Base for request models: a date field takes a date or ``YYYY-MM-DD`` only."""

    @field_validator("*", mode="before")
    @classmethod
    def _dates_are_iso_strings(cls, value: Any, info: ValidationInfo) -> Any:
        field = cls.model_fields.get(info.field_name or "")
        if field is None or not _is_date(field.annotation) or value is None:
            return value
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        if isinstance(value, str) and _ISO_DATE.match(value.strip()):
            return value.strip()
        raise PydanticCustomError("date_type", "须为日期（YYYY-MM-DD）")
