"""The archive's listing (档案) and the site report confirmation by digest."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from api.schemas.base import Request, Response
from documents.kinds import Kind
from domain.phases import Stage
from domain.types import Award


class DocumentOut(Response):
    kind: Kind = Field(description="文书种类")
    name: str = Field(description="文书名称")
    format: str = Field(description="格式：pdf、docx 或 xlsx")
    credit_code: str | None = Field(description="所属申报组织（统一社会信用代码）")
    stage: Stage | None = Field(description="评审环节")
    award: Award | None = Field(description="奖项")
    number: int | None = Field(description="异议编号（调查核实情况报告）")
    url: str = Field(description="下载地址（首次下载时形成并归档）")
    id: int | None = Field(description="档案编号；尚未归档时为空")
    sha256: str | None = Field(description="SHA-256 摘要值；尚未归档时为空")
    size: int | None = Field(description="字节数；尚未归档时为空")
    created_at: datetime | None = Field(description="归档时间")


class SiteReportConfirm(Request):
    report_sha256: str = Field(
        pattern="^[0-9a-fA-F]{64}$", description="所确认的现场评审报告（PDF）的 SHA-256 摘要值"
    )
