"""Chinese texts of the honor notices (DESIGN.md §3.5). Pure; idempotent keys."""

from __future__ import annotations

from datetime import date, datetime

from contracts.honor import HonorGrant, RevocationReason
from contracts.notices import NoticeDraft
from domain.dates import to_business_date
from workflows.notice_texts import AWARD_NAMES


def _draft(
    key: str, kind: str, audience: str, grant: HonorGrant, at: datetime, title: str, body: str
) -> NoticeDraft:
    return NoticeDraft(
        key=key,
        kind=kind,
        audience=audience,
        on=to_business_date(at),
        at=at,
        title=title,
        body=body,
        credit_code=grant.credit_code,
        cycle_year=grant.year,
    )


def _day(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def reapply_open(wf: str, grant: HonorGrant, name: str, at: datetime) -> list[NoticeDraft]:
    """§3.4: the organization and the office are both reminded."""
    award = AWARD_NAMES[grant.award]
    body = f"{name}于{grant.year}年度获得{award}，自{_day(to_business_date(at))}起可再次申请。"
    return [
        _draft(
            f"{wf}:reapply_open",
            "reapply_open",
            "applicant",
            grant,
            at,
            f"{award}再次申请提醒",
            body,
        ),
        _draft(
            f"{wf}:reapply_open:office",
            "reapply_open",
            "office",
            grant,
            at,
            f"{award}获奖组织可再次申请",
            body,
        ),
    ]


def validity_expiring(
    wf: str, grant: HonorGrant, name: str, valid_until: date, at: datetime
) -> NoticeDraft:
    award = AWARD_NAMES[grant.award]
    return _draft(
        f"{wf}:validity_expiring",
        "validity_expiring",
        "applicant",
        grant,
        at,
        f"{award}有效期即将届满",
        f"{name}获得的{grant.year}年度{award}有效期至{_day(valid_until)}，届满后不得继续使用该荣誉称号。",
    )


def follow_up_due(wf: str, grant: HonorGrant, name: str, step: str, at: datetime) -> NoticeDraft:
    return _draft(
        f"{wf}:{step}",
        "follow_up_due",
        "office",
        grant,
        at,
        "获奖组织年度跟踪提醒",
        f"请收集{name}持续实施卓越绩效管理的年度情况报告（《管理办法》第二章第三节第4项、第六章第三节）。",
    )


def follow_up_task(
    wf: str, grant: HonorGrant, name: str, step: str, due: date, at: datetime
) -> NoticeDraft:
    """§2(3)4, §6(3): the holder's yearly follow-up report is a task with a due date."""
    return _draft(
        f"{wf}:{step}:applicant",
        "follow_up_due",
        "applicant",
        grant,
        at,
        "获奖组织年度跟踪报告",
        f"请{name}于{_day(due)}前提交持续实施卓越绩效管理的年度跟踪报告"
        "（《管理办法》第二章第三节第4项、第六章第三节）。",
    )


def follow_up_overdue(
    wf: str, grant: HonorGrant, name: str, step: str, due: date, at: datetime
) -> list[NoticeDraft]:
    """The report was not in by its due date: the office sees it, the holder is reminded
    once more (§2(3)4 监督获奖组织持续实施卓越绩效管理)."""
    text = f"{name}的年度跟踪报告应于{_day(due)}前提交，至今未提交（《管理办法》第六章第三节）。"
    return [
        _draft(
            f"{wf}:{step}:overdue",
            "follow_up_overdue",
            "office",
            grant,
            at,
            "获奖组织年度跟踪报告逾期",
            text,
        ),
        _draft(
            f"{wf}:{step}:overdue:applicant",
            "follow_up_overdue",
            "applicant",
            grant,
            at,
            "年度跟踪报告逾期提醒",
            text + "请尽快提交。",
        ),
    ]


def revocation(
    wf: str, grant: HonorGrant, name: str, reason: RevocationReason, at: datetime
) -> NoticeDraft:
    award = AWARD_NAMES[grant.award]
    why = (
        "采取不正当手段骗取奖项，依法记入信用档案并予以披露"
        if reason == "fraud"
        else "获奖后两年内发生事故导致重大不良社会影响"
    )
    return _draft(
        f"{wf}:revocation",
        "revocation",
        "public",
        grant,
        at,
        f"关于撤销{name}{grant.year}年度{award}称号的公告",
        f"经县政府批准，因{why}，撤销{name}{grant.year}年度{award}称号，收回奖牌、证书和奖金。",
    )
