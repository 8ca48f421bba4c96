"""Input models of the service layer (also the API's request bodies where they match)."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated

from pydantic import AfterValidator, ConfigDict, Field

from domain.types import Award, Industry, RecordKind
from services.strict import StrictDates

GradeYear = Annotated[int, Field(ge=1900, le=2200)]

MU_GRADES = ("A", "B", "C", "D")


def _mu_grade(value: str) -> str:
    grade = value.strip().upper()
    if grade not in MU_GRADES:
        raise ValueError(f"亩均效益评价档次须为{'、'.join(MU_GRADES)}之一，不能为“{value}”")
    return grade


MuGrade = Annotated[str, AfterValidator(_mu_grade)]
"""亩均效益 grade (E6): A–D, stored in capitals."""

# C0 and C1 controls (NUL, ESC, DEL …) and the bidirectional overrides and isolates
# (U+202A–U+202E, U+2066–U+2069), which can make a name read as another on screen.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _printable(value: str) -> str:
    if found := _CONTROL.search(value):
        raise ValueError(f"不得包含控制字符（U+{ord(found.group()):04X}）")
    return value


Printable = Annotated[str, AfterValidator(_printable)]
"""Text a person reads as a name or code: no control or text-direction characters."""


class _Model(StrictDates):
    model_config = ConfigDict(extra="forbid")


class RecordCreate(_Model):
    on: date = Field(description="发生日期")
    kind: RecordKind = Field(description="记录类型")
    note: str = Field(default="", description="说明")


class OrganizationCreate(_Model):
    credit_code: Printable = Field(min_length=1, max_length=18, description="统一社会信用代码")
    name: Printable = Field(min_length=1, max_length=200, description="组织名称")
    county: Printable = Field(min_length=1, max_length=50, description="注册地（县）")
    registered_on: date = Field(description="注册登记日期")
    industry: Industry = Field(description="所属行业")
    industrial: bool = Field(default=False, description="是否工业企业（须有亩均效益评价）")
    excellence_since: date | None = Field(default=None, description="开始实施卓越绩效管理的日期")
    mu_efficiency: dict[GradeYear, MuGrade] = Field(
        default_factory=dict, description="各年度亩均效益评价档次（A/B/C/D）"
    )
    record: list[RecordCreate] = Field(default_factory=list, description="质量安全、信用等记录")


class ReviewerCreate(_Model):
    code: Printable = Field(min_length=1, max_length=50, description="评审员编号")
    name: Printable = Field(min_length=1, max_length=100, description="姓名")
    industries: list[Industry] = Field(default_factory=list, description="擅长行业")
    employer_credit_code: Printable | None = Field(default=None, description="工作单位信用代码")
    ties: list[Printable] = Field(default_factory=list, description="有利害关系的组织（信用代码）")
    """Credit codes of organizations the reviewer is registered as tied to (回避)."""


class CycleCreate(_Model):
    year: int = Field(ge=2000, le=2100, description="评审年度")
    application_deadline: date = Field(description="申报截止日期（当日24时截止）")
    committee_members: int = Field(default=9, ge=1, le=100, description="评委会委员人数")
    rules: dict[str, object] = Field(default_factory=dict, description="评审规则（留空用默认规则）")


class HistoricalHonorCreate(_Model):
    credit_code: str
    award: Award = Field(description="奖项")
    year: int
    awarded_on: date = Field(description="授奖日期")


class IncidentReport(_Model):
    """An accident at a holder of an honor (§6(6))."""

    occurred_on: date
    kind: str = Field(default="major_accident", description="事故类型")
    major_adverse_impact: bool = True
    note: str = Field(default="", description="说明")


class ConfirmedReport(StrictDates):
    """The site review report an applicant confirms (§4(3)): its SHA-256 digest, and the
    panel state it was made from (checked again by the cycle)."""

    sha256: str
    fingerprint: str
