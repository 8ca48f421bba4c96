"""Every document the service makes (§4(1)–§4(5), §5(1), §6(2)): its Chinese name, formats
and who may read it. Pure data: the archive and the checks are `services.documents`."""

from __future__ import annotations

from enum import StrEnum


class Kind(StrEnum):
    CALL = "call_for_applications"  # 申报通知 §3(2)
    APPLICATION_FORM = "application_form"  # 申报表 §3(2), §4(1)
    REVIEW_REPORT = "review_report"  # 资料评审报告 §4(2) / 现场评审报告 §4(3)
    FEEDBACK = "feedback_report"  # 反馈报告 §4(2)
    SCORE_SHEET = "score_sheet"  # 评分汇总表 §4(2)–§4(4)
    CANDIDATES = "candidate_list"  # 候选名单及表决结果 §4(4)
    PUBLICITY = "publicity_notice"  # 公示 §4(5)
    INVESTIGATION = "investigation_report"  # 调查核实情况报告 §4(5)
    BULLETIN = "bulletin"  # 通报 §5(1)
    CERTIFICATE = "certificate"  # 证书 §5(1)
    REVOCATION = "revocation_notice"  # 撤销通知 §6(2), §6(6)


KIND_NAMES: dict[Kind, str] = {
    Kind.CALL: "申报通知",
    Kind.APPLICATION_FORM: "申报表",
    Kind.REVIEW_REPORT: "评审报告",
    Kind.FEEDBACK: "反馈报告",
    Kind.SCORE_SHEET: "评分汇总表",
    Kind.CANDIDATES: "候选名单及表决结果",
    Kind.PUBLICITY: "初选授奖名单公示",
    Kind.INVESTIGATION: "调查核实情况报告",
    Kind.BULLETIN: "获奖通报",
    Kind.CERTIFICATE: "荣誉证书",
    Kind.REVOCATION: "撤销称号通知",
}

FORMATS: dict[Kind, tuple[str, ...]] = dict.fromkeys(Kind, ("pdf",)) | {
    Kind.CALL: ("docx", "pdf"),
    Kind.SCORE_SHEET: ("xlsx",),
}

PUBLIC = frozenset({Kind.CALL, Kind.PUBLICITY, Kind.BULLETIN, Kind.CERTIFICATE, Kind.REVOCATION})
"""Published documents: anyone may read them once they exist (§4(5), §5(1), §6(2))."""

OWN = frozenset({Kind.APPLICATION_FORM, Kind.REVIEW_REPORT, Kind.FEEDBACK})
"""An applicant's own documents: the office's and that applicant's, never another's."""

NOTICE_DOCUMENTS: dict[str, Kind] = {
    "document_review_feedback": Kind.FEEDBACK,
    "feedback_report": Kind.FEEDBACK,
}
"""Notices that carry a document (their e-mail's attachment), made when they are published."""
