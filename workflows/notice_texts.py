"""Chinese texts of the notices (DESIGN.md §3.5). Pure: called from workflow code.

Each function returns a `NoticeDraft` whose `key` makes the write idempotent
(workflow id + kind + subject), so a replayed or retried step never publishes twice.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime

from contracts.cycle import ApplicationState
from contracts.notices import NoticeDraft
from domain.dates import to_business_date
from domain.names import STAGE_NAMES
from domain.phases import Stage
from domain.types import Award

AWARD_NAMES = {
    Award.QUALITY: "庆元县人民政府质量奖",
    Award.INNOVATION: "庆元县人民政府质量奖创新奖",
}


def _draft(
    key: str,
    kind: str,
    audience: str,
    at: datetime,
    title: str,
    body: str,
    *,
    credit_code: str | None = None,
    reviewer: str | None = None,
    cycle_year: int | None = None,
    listing: str | None = None,
) -> NoticeDraft:
    return NoticeDraft(
        key=key,
        kind=kind,
        audience=audience,
        on=to_business_date(at),
        at=at,
        title=title,
        body=body,
        credit_code=credit_code,
        reviewer=reviewer,
        cycle_year=cycle_year,
        listing=listing,
    )


def _stage(stage: str) -> str:
    return STAGE_NAMES[Stage(stage)]


def _day(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def call_for_applications(wf: str, year: int, deadline: date, at: datetime) -> NoticeDraft:
    return _draft(
        f"{wf}:call_for_applications",
        "call_for_applications",
        "public",
        at,
        f"关于开展{year}年度庆元县人民政府质量奖评审申报工作的通告",
        f"{year}年度庆元县人民政府质量奖、创新奖评审申报现已开始，申报截止日期为"
        f"{_day(deadline)}24时。符合《庆元县人民政府质量奖管理办法》第三章申报条件的组织，"
        "请按规定报送申报表及证实性材料。",
        cycle_year=year,
    )


def deadline_extended(
    wf: str, year: int, deadline: date, reason: str, at: datetime, n: int
) -> NoticeDraft:
    """A supplement to the call for applications: intake stays open until the new date."""
    return _draft(
        f"{wf}:call_for_applications:extended:{n}",
        "call_for_applications",
        "public",
        at,
        f"关于延长{year}年度庆元县人民政府质量奖申报截止日期的补充通告",
        f"因{reason}，{year}年度庆元县人民政府质量奖、创新奖申报截止日期延长至"
        f"{_day(deadline)}24时，其他要求不变。",
        cycle_year=year,
    )


def due_date_extended(
    wf: str, year: int, stage: str, reviewer: str, due: date, reason: str, at: datetime, n: int
) -> NoticeDraft:
    return _draft(
        f"{wf}:review_reminder:{stage}:{reviewer}:extended:{n}",
        "review_reminder",
        "reviewer",
        at,
        f"{_stage(stage)}截止日期延长",
        f"因{reason}，{_stage(stage)}评分截止日期延长至{_day(due)}，请在此之前提交评分。",
        reviewer=reviewer,
        cycle_year=year,
    )


def qualification_result(
    wf: str, year: int, app: ApplicationState, messages: list[str], at: datetime
) -> NoticeDraft:
    reasons = "；".join(messages) or "不符合申报条件"
    credit_code = app.credit_code
    return _draft(
        f"{wf}:qualification_result:{credit_code}",
        "qualification_result",
        "applicant",
        at,
        f"{year}年度{AWARD_NAMES[app.award]}资格审查结果通知",
        f"经资格审查，{app.name}申报的{AWARD_NAMES[app.award]}不符合申报条件，原因：{reasons}。"
        "如有异议，请与县评审办联系。",
        credit_code=credit_code,
        cycle_year=year,
    )


def review_assignment(
    wf: str, year: int, stage: str, credit_code: str, reviewer: str, at: datetime, seq: int
) -> NoticeDraft:
    return _draft(
        f"{wf}:review_assignment:{stage}:{credit_code}:{reviewer}:{seq}",
        "review_assignment",
        "reviewer",
        at,
        f"{_stage(stage)}任务通知",
        f"您已被安排参加{year}年度质量奖{_stage(stage)}，请登录系统查看任务并按期评分。",
        credit_code=credit_code,
        reviewer=reviewer,
        cycle_year=year,
    )


def reviewer_withdrawn(
    wf: str, year: int, credit_code: str, name: str, reviewer: str, at: datetime
) -> NoticeDraft:
    return _draft(
        f"{wf}:review_assignment:withdrawn:{credit_code}:{reviewer}",
        "review_assignment",
        "office",
        at,
        "评审员回避，请更换评审员",
        f"评审员 {reviewer} 与{name}存在利害关系（本人声明或县评审办登记），依法回避，"
        "其评审任务已撤回，请另行安排评审员。",
        credit_code=credit_code,
        reviewer=reviewer,
        cycle_year=year,
    )


def review_reminder(
    wf: str, year: int, stage: str, reviewer: str, due: date, at: datetime
) -> NoticeDraft:
    return _draft(
        f"{wf}:review_reminder:{stage}:{reviewer}:{due.isoformat()}",
        "review_reminder",
        "reviewer",
        at,
        f"{_stage(stage)}评分提醒",
        f"您尚有{_stage(stage)}评分未提交，截止日期为{_day(due)}，请及时完成。",
        reviewer=reviewer,
        cycle_year=year,
    )


def review_overdue(wf: str, year: int, stage: str, pending: int, at: datetime) -> NoticeDraft:
    return _draft(
        f"{wf}:review_overdue:{stage}",
        "review_overdue",
        "office",
        at,
        f"{_stage(stage)}逾期提醒",
        f"{year}年度{_stage(stage)}已超过期限，仍有{pending}个申报组织的评分未完成，请督办。",
        cycle_year=year,
    )


def document_review_feedback(
    wf: str, year: int, app: ApplicationState, at: datetime
) -> NoticeDraft:
    credit_code = app.credit_code
    return _draft(
        f"{wf}:document_review_feedback:{credit_code}",
        "document_review_feedback",
        "applicant",
        at,
        f"{year}年度{AWARD_NAMES[app.award]}资料评审情况反馈",
        f"{app.name}申报的{AWARD_NAMES[app.award]}未进入现场评审名单。资料评审情况已形成反馈，"
        "请登录系统查看。",
        credit_code=credit_code,
        cycle_year=year,
    )


def feedback_report(wf: str, year: int, app: ApplicationState, at: datetime) -> NoticeDraft:
    """After the cycle, to every shortlisted applicant; carries its feedback report."""
    credit_code = app.credit_code
    return _draft(
        f"{wf}:feedback_report:{credit_code}",
        "feedback_report",
        "applicant",
        at,
        f"{year}年度{AWARD_NAMES[app.award]}评审反馈报告",
        f"{app.name}：{year}年度庆元县人民政府质量奖评审已结束。现将评审反馈报告（附件）送达，"
        "供贵单位持续改进参考。",
        credit_code=credit_code,
        cycle_year=year,
    )


def site_review_report(wf: str, year: int, app: ApplicationState, at: datetime) -> NoticeDraft:
    credit_code = app.credit_code
    return _draft(
        f"{wf}:site_review_report:{credit_code}",
        "site_review_report",
        "applicant",
        at,
        f"{year}年度{AWARD_NAMES[app.award]}现场评审报告确认通知",
        f"{app.name}的现场评审报告已形成，请登录系统查阅并确认。",
        credit_code=credit_code,
        cycle_year=year,
    )


def publicity(
    wf: str, year: int, names: list[str], opens: datetime, closes: datetime
) -> NoticeDraft:
    listed = "、".join(names) or "（无）"
    last_day = to_business_date(closes).toordinal() - 1
    return _draft(
        f"{wf}:publicity",
        "publicity",
        "public",
        opens,
        f"{year}年度庆元县人民政府质量奖初选授奖名单公示",
        f"初选授奖组织：{listed}。公示期自{_day(to_business_date(opens))}至"
        f"{_day(date.fromordinal(last_day))}24时。公示期间如有异议，请以真实姓名和联系方式"
        "向县评审办反映。",
        cycle_year=year,
    )


def objection_received(
    wf: str, year: int, number: int, credit_code: str, name: str, at: datetime
) -> NoticeDraft:
    return _draft(
        f"{wf}:objection_received:{number}",
        "objection_received",
        "office",
        at,
        f"收到公示异议（第{number}号）",
        f"公示期间收到对{name}的实名异议，请组织调查核实并形成报告（§4(5)）。",
        credit_code=credit_code,
        cycle_year=year,
    )


def _yuan(amount: int) -> str:
    return f"{amount // 10_000}万元" if amount % 10_000 == 0 and amount else f"{amount}元"


def award_bulletin(
    wf: str, year: int, winners: dict[Award, list[tuple[str, int]]], at: datetime
) -> NoticeDraft:
    """§5(1): the winners named per award, each with its bonus (a repeat: certificate and
    plaque only)."""
    parts = []
    for award in Award:
        listed = "、".join(
            f"{name}（奖金{_yuan(bonus)}）" if bonus else f"{name}（颁发证书和牌匾）"
            for name, bonus in winners.get(award, [])
        )
        parts.append(f"{AWARD_NAMES[award]}：{listed or '无'}")
    return _draft(
        f"{wf}:award_bulletin",
        "award_bulletin",
        "public",
        at,
        f"关于{year}年度庆元县人民政府质量奖获奖组织的通报",
        f"经县政府审定批准，{year}年度获奖组织如下。" + "；".join(parts) + "。",
        cycle_year=year,
    )


def intake_closed(wf: str, year: int, count: int, at: datetime) -> NoticeDraft:
    return _draft(
        f"{wf}:intake_closed",
        "intake_closed",
        "office",
        at,
        f"{year}年度质量奖申报已截止",
        f"{year}年度申报已截止，共受理申报{count}份，请组织资格审查并安排职能部门核查。",
        cycle_year=year,
    )


def shortlisted(
    wf: str, year: int, credit_code: str, name: str, award: Award, at: datetime
) -> NoticeDraft:
    return _draft(
        f"{wf}:shortlisted:{credit_code}",
        "shortlisted",
        "applicant",
        at,
        f"{year}年度{AWARD_NAMES[award]}现场评审通知",
        f"{name}申报的{AWARD_NAMES[award]}已通过资料评审，进入现场评审。评审组将与贵单位"
        "联系现场评审安排。",
        credit_code=credit_code,
        cycle_year=year,
    )


CANDIDATE_LIST = "candidate_list"
"""`NoticeDraft.listing` of the candidate list: its body is `candidate_list_body` of every
award's candidates by place, rendered by the write that publishes it."""


def candidate_list(wf: str, year: int, at: datetime) -> NoticeDraft:
    """To the committee once the candidates are known (§4(4)). Its body names every
    candidate, so the cycle sends it without the names (at 5,000 candidates they were
    216 KB of one write): `activities.records` renders it, with `with_candidates`, from the
    applications' rows (their names and places on the list) in the transaction that
    publishes it."""
    return _draft(
        f"{wf}:candidate_list",
        CANDIDATE_LIST,
        "committee",
        at,
        f"{year}年度质量奖候选名单已形成，请组织审查表决",
        "",
        cycle_year=year,
        listing=CANDIDATE_LIST,
    )


def candidate_list_body(names: Mapping[Award, Sequence[str]]) -> str:
    """The candidate list's text: each award's candidates in their order on the list."""
    parts = [f"{AWARD_NAMES[a]}：{'、'.join(names.get(a, [])) or '无'}" for a in Award]
    return "按总分排序的候选组织：" + "；".join(parts) + "。请县评委会审查并表决（§4(4)）。"


def with_candidates(draft: NoticeDraft, names: Mapping[Award, Sequence[str]]) -> NoticeDraft:
    """The candidate list `draft` with its body, ready to publish."""
    if draft.listing != CANDIDATE_LIST:
        raise ValueError(f"{draft.key}: not a candidate list")
    return draft.model_copy(update={"body": candidate_list_body(names), "listing": None})


def not_elected(
    wf: str, year: int, credit_code: str, name: str, award: Award, at: datetime
) -> NoticeDraft:
    return _draft(
        f"{wf}:not_elected:{credit_code}",
        "not_elected",
        "applicant",
        at,
        f"{year}年度{AWARD_NAMES[award]}评审结果通知",
        f"经县评委会审查表决，{name}未列入{year}年度{AWARD_NAMES[award]}初选授奖名单。",
        credit_code=credit_code,
        cycle_year=year,
    )


def approval_due(wf: str, year: int, names: list[str], at: datetime) -> NoticeDraft:
    listed = "、".join(names) or "（无）"
    return _draft(
        f"{wf}:approval_due",
        "approval_due",
        "government",
        at,
        f"{year}年度质量奖拟授奖名单报请审定",
        f"公示期已满，异议均已处理。拟授奖组织：{listed}。请县政府审定（§4(6)）。",
        cycle_year=year,
    )


def awarded(
    wf: str, year: int, credit_code: str, name: str, award: Award, bonus: int, at: datetime
) -> NoticeDraft:
    reward = f"奖金{_yuan(bonus)}" if bonus else "颁发证书和牌匾"
    return _draft(
        f"{wf}:awarded:{credit_code}",
        "awarded",
        "applicant",
        at,
        f"{year}年度{AWARD_NAMES[award]}获奖通知",
        f"经县政府审定批准，{name}获得{year}年度{AWARD_NAMES[award]}（{reward}）。",
        credit_code=credit_code,
        cycle_year=year,
    )


def investigation_result(
    wf: str, year: int, number: int, credit_code: str, name: str, finding: str, at: datetime
) -> NoticeDraft:
    """To the objector (by the contact they gave, §4(5)); kept for the office meanwhile."""
    outcome = "情况属实，已提交县评委会审议" if finding == "substantiated" else "情况不属实"
    return _draft(
        f"{wf}:investigation_result:{number}",
        "investigation_result",
        "objector",
        at,
        f"关于第{number}号公示异议的调查核实结果",
        f"您对{name}提出的异议经调查核实：{outcome}。感谢您对质量奖评审工作的监督。",
        credit_code=credit_code,
        cycle_year=year,
    )


def withdrawn_from_panel(
    wf: str, year: int, credit_code: str, name: str, reviewer: str, at: datetime
) -> NoticeDraft:
    return _draft(
        f"{wf}:review_withdrawn:{credit_code}:{reviewer}",
        "review_withdrawn",
        "reviewer",
        at,
        "评审任务已撤回（回避）",
        f"因您与{name}存在利害关系，依《管理办法》第六章规定回避，您对该组织的评审任务已撤回。",
        credit_code=credit_code,
        reviewer=reviewer,
        cycle_year=year,
    )


def next_cycle_due(wf: str, year: int, at: datetime) -> NoticeDraft:
    return _draft(
        f"{wf}:next_cycle_due",
        "next_cycle_due",
        "office",
        at,
        "新一届质量奖评审提醒",
        f"{year}年度评审开始已满两年，请筹备新一届庆元县人民政府质量奖评审工作。",
        cycle_year=year,
    )


def reviewer_disqualified(
    wf: str, year: int, credit_code: str, name: str, reviewer: str, at: datetime, reason: str
) -> NoticeDraft:
    """§6(7): a disqualified reviewer's seats are withdrawn; the office must replace them."""
    return _draft(
        f"{wf}:review_assignment:disqualified:{credit_code}:{reviewer}",
        "review_assignment",
        "office",
        at,
        "评审员被取消评审资格，请更换评审员",
        f"评审员 {reviewer} 因违反评审纪律被取消评审资格（《管理办法》第六章第（七）项；"
        f"理由：{reason}），其对{name}的评审任务已撤回、评分不再计入，请另行安排评审员。",
        credit_code=credit_code,
        reviewer=reviewer,
        cycle_year=year,
    )
