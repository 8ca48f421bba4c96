"""Path parameters with bounds, so that no value can overflow a database integer."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

MAX_ID = 2_147_483_647

Year = Annotated[int, Path(ge=1900, le=2200, description="评审年度")]
RowId = Annotated[int, Path(ge=1, le=MAX_ID, description="编号")]
