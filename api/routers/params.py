"""Path, query and form parameters with bounds, so that no value can overflow a database
integer (or reach a query as a year no cycle can have)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Path, Query

MAX_ID = 2_147_483_647
MIN_YEAR, MAX_YEAR = 1900, 2200

Year = Annotated[int, Path(ge=MIN_YEAR, le=MAX_YEAR, description="评审年度")]
RowId = Annotated[int, Path(ge=1, le=MAX_ID, description="编号")]
YearQuery = Annotated[int | None, Query(ge=MIN_YEAR, le=MAX_YEAR, description="评审年度")]
YearForm = Annotated[int | None, Form(ge=MIN_YEAR, le=MAX_YEAR, description="评审年度")]
