"""Chinese names of the codes a person reads beside them (DESIGN.md §2, §3, §6).

One mapping per kind of code; `name_of` looks any of them up and falls back to the code
itself, so a code added later shows as its code rather than failing a response.
"""

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from domain.departments import DEPARTMENT_NAMES
from domain.phases import Outcome, Phase, Stage
from domain.types import Award, Industry, RecordKind

__all__ = [
    "AWARD_NAMES",
    "DEPARTMENT_NAMES",
    "HONOR_STATUS_NAMES",
    "INDUSTRY_NAMES",
    "OUTCOME_NAMES",
    "PHASE_NAMES",
    "RECORD_KIND_NAMES",
    "STAGE_NAMES",
    "name_of",
]

PHASE_NAMES: dict[Phase, str] = {
    Phase.OPEN: "申报受理",
    Phase.QUALIFICATION: "资格审查",
    Phase.DOCUMENT_REVIEW: "资料评审",
    Phase.SHORTLIST: "确定现场评审名单",
    Phase.SITE_REVIEW: "现场评审",
    Phase.COMMITTEE: "评委会审查表决",
    Phase.PUBLICITY: "社会公示",
    Phase.APPROVAL: "县政府审定",
    Phase.ANNOUNCED: "已通报表彰",
    Phase.CANCELLED: "已取消",
}

STAGE_NAMES: dict[Stage, str] = {Stage.DOCUMENT: "资料评审", Stage.SITE: "现场评审"}

OUTCOME_NAMES: dict[Outcome, str] = {
    Outcome.PENDING: "评审中",
    Outcome.INELIGIBLE: "资格审查未通过",
    Outcome.NOT_SHORTLISTED: "未入围现场评审",
    Outcome.NOT_CANDIDATE: "未列入候选名单",
    Outcome.NOT_ELECTED: "未通过评委会表决",
    Outcome.REMOVED_AFTER_PUBLICITY: "公示后撤下",
    Outcome.NOT_APPROVED: "未获县政府批准",
    Outcome.AWARDED: "获奖",
    Outcome.WITHDRAWN: "已撤回",
    Outcome.CANCELLED: "评审周期已取消",
}

AWARD_NAMES: dict[Award, str] = {Award.QUALITY: "质量奖", Award.INNOVATION: "创新奖"}

INDUSTRY_NAMES: dict[Industry, str] = {
    Industry.MANUFACTURING: "制造业",
    Industry.CONSTRUCTION: "建筑业",
    Industry.SERVICES: "服务业",
    Industry.ENVIRONMENTAL: "环保产业",
    Industry.AGRICULTURE: "农业",
    Industry.DIGITAL_ECONOMY: "数字经济",
    Industry.LIFE_HEALTH: "生命健康",
    Industry.OTHER: "其他行业",
}

RECORD_KIND_NAMES: dict[RecordKind, str] = {
    RecordKind.FAILED_INSPECTION: "质量安全监督检查不合格",
    RecordKind.MAJOR_ACCIDENT: "重大事故",
    RecordKind.MAJOR_COMPLAINT: "重大有效投诉",
    RecordKind.SERIOUS_VIOLATION: "其他严重违法违规行为",
    RecordKind.CREDIT_RECORD: "不良信用记录",
}

HONOR_STATUS_NAMES: dict[str, str] = {
    "active": "有效",
    "expired": "已过有效期",
    "revoked": "已撤销",
}

_ALL: tuple[Mapping[Any, str], ...] = (
    PHASE_NAMES,
    STAGE_NAMES,
    OUTCOME_NAMES,
    AWARD_NAMES,
    INDUSTRY_NAMES,
    DEPARTMENT_NAMES,
    RECORD_KIND_NAMES,
    HONOR_STATUS_NAMES,
)


def name_of(code: str | StrEnum | None, names: Mapping[Any, str] | None = None) -> str | None:
    """The Chinese name of `code` (in `names`, else in any mapping above); the code if none."""
    if code is None:
        return None
    value = str(code)
    for mapping in (names,) if names is not None else _ALL:
        if value in mapping:
            return mapping[value]
    return value
