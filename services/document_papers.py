"""What the cycle's published and committee documents show: the call for applications
(§3(2)), the candidate list and vote results (§4(4)), the publicity notice and each
investigation report (§4(5)), the bulletin and certificates (§5(1)), the revocation notice
(§6(2), §6(6))."""

from __future__ import annotations

from datetime import date

from db.models import Application, Cycle, Honor, Objection, Organization, Vote
from documents.paper import Certificate, Paper, Section, Table, day, points
from domain.dates import to_business_date
from domain.names import AWARD_NAMES
from domain.rules import ProgramRules
from domain.types import Award

ISSUER_GOVERNMENT = "庆元县人民政府"
COMMITTEE_MARKING = "内部资料 仅限县评审办、县评委会、县政府和监督组查阅"


def _yuan(amount: int) -> str:
    return f"{amount // 10_000}万元" if amount and amount % 10_000 == 0 else f"{amount}元"


def call(cycle: Cycle, rules: ProgramRules, deadline: date, dated: date) -> Paper:
    """申报通知 (§3(2)) with the rules of the cycle's own copy."""
    year = cycle.year
    q, i, b, e = rules.quality, rules.innovation, rules.bonus, rules.eligibility
    return Paper(
        title=f"关于开展{year}年度庆元县人民政府质量奖评审工作的通知",
        number=f"庆质奖评办〔{year}〕1号",
        dated=dated,
        addressee="各有关单位：",
        sections=(
            Section(
                paragraphs=(
                    "根据《庆元县人民政府质量奖管理办法》，现开展"
                    f"{year}年度庆元县人民政府质量奖和质量奖创新奖评审工作，有关事项通知如下。",
                )
            ),
            Section(
                heading="一、奖项设置",
                table=Table(
                    ("奖项", "获奖组织名额", "首次获奖奖金"),
                    (
                        ("质量奖", f"不超过{q.quota}个", _yuan(b.quality_first)),
                        ("创新奖", f"不超过{i.quota}个", _yuan(b.innovation_first)),
                    ),
                ),
                paragraphs=(
                    f"已获创新奖的组织在后续年度获得质量奖的，奖励{_yuan(b.quality_after_innovation)}（§5(1)）。",
                ),
            ),
            Section(
                heading="二、申报条件（§3(1)）",
                paragraphs=(
                    f"（一）在{e.county}注册登记、依法经营满{e.registered_years}年；",
                    f"（二）导入卓越绩效管理模式满{e.excellence_years}年"
                    "（数字经济、生命健康、农业组织不作年限要求）；",
                    f"（三）近{e.lookback_years}年内无不良信用记录，未发生质量安全、安全生产、"
                    "环境污染、公共卫生等重大事故，无重大有效投诉；",
                    f"（四）工业企业上年度亩均效益综合评价为{'、'.join(e.mu_grades_passing)}档；",
                    f"（五）获得质量奖的组织自获奖年度起满{q.reapply_after_years}年、获得创新奖的组织"
                    f"满{i.reapply_after_years}年可再次申报（§5(3)）。",
                ),
            ),
            Section(
                heading="三、申报方式和时间",
                paragraphs=(
                    f"申报截止时间为{day(deadline)}24时（北京时间）。申报组织登录评审管理服务填写"
                    "申报表并上传申报材料（PDF 格式），截止后材料锁定，不再接受修改。",
                ),
            ),
            Section(
                heading="四、评审程序（§4）",
                paragraphs=(
                    "资格审查、资料评审、现场评审、审查表决、社会公示"
                    f"（{rules.publicity.days}天）、县政府审定，"
                    "评审依据《卓越绩效评价准则》（GB/T 19580）。",
                ),
            ),
        ),
    )


def candidates(
    cycle: Cycle, rows: list[tuple[Application, Organization]], votes: list[Vote], dated: date
) -> Paper:
    """候选授奖组织名单 (by total score) and the committee's vote results (§4(4))."""
    names = {org.credit_code: org.name for _, org in rows}
    sections = []
    for award in Award:
        ranked = tuple(
            (
                str(n),
                org.name,
                points(a.document_score),
                points(a.site_score),
                points(a.total_score),
            )
            for n, (a, org) in enumerate((r for r in rows if r[0].award == award.value), 1)
        )
        sections.append(
            Section(
                heading=f"{AWARD_NAMES[award]}候选组织（按评审总得分排序）",
                table=Table(
                    ("序号", "申报组织", "资料评审", "现场评审", "总得分"),
                    ranked or (("—",) * 5,),
                    2,
                ),
            )
        )
        for vote in (v for v in votes if v.award == award.value):
            lines = tuple(
                (names.get(code, code), str(b["yes"]), str(b["no"]), str(b["abstain"]))
                for code, b in sorted(vote.ballots.items(), key=lambda kv: names.get(kv[0], kv[0]))
            )
            title = f"{AWARD_NAMES[award]}表决结果（第{vote.round}轮，出席委员{vote.present}人）"
            reason = (f"本结果替换此前结果，原因：{vote.reason}",) if vote.reason else ()
            sections.append(
                Section(
                    heading=title,
                    paragraphs=reason,
                    table=Table(("申报组织", "赞成", "反对", "弃权"), lines),
                )
            )
    return Paper(
        title=f"{cycle.year}年度庆元县人民政府质量奖候选授奖组织名单及表决结果",
        dated=dated,
        marking=COMMITTEE_MARKING,
        sections=(
            Section(paragraphs=(f"县评委会委员{cycle.committee_members}人。",)),
            *sections,
        ),
    )


def publicity(cycle: Cycle, listed: dict[Award, list[str]], opens: date, last_day: date) -> Paper:
    """初选授奖名单公示 (§4(5)): 7 days on the county portal."""
    rows = tuple(
        (AWARD_NAMES[award], name) for award in Award for name in listed.get(award, [])
    ) or (("—", "—"),)
    return Paper(
        title=f"{cycle.year}年度庆元县人民政府质量奖初选授奖名单公示",
        dated=opens,
        sections=(
            Section(
                paragraphs=(
                    "经资格审查、资料评审、现场评审和县评委会审查表决，现将初选授奖组织名单予以公示。",
                )
            ),
            Section(table=Table(("奖项", "组织名称"), rows, 9)),
            Section(
                paragraphs=(
                    f"公示期自{day(opens)}至{day(last_day)}24时。公示期间如有异议，请以真实姓名和"
                    "联系方式向县评审办反映；县评审办将调查核实并形成报告提交县评委会（§4(5)）。",
                )
            ),
        ),
    )


FINDINGS = {"substantiated": "反映问题属实", "unsubstantiated": "反映问题不属实"}
DECISIONS = {"remove": "取消其初选授奖资格", "keep": "保留其初选授奖资格"}


def investigation(cycle: Cycle, objection: Objection, org: Organization, dated: date) -> Paper:
    """调查核实情况报告 (§4(5)), submitted to the committee. The objector's name and
    contact stay in the office's file."""
    decision = DECISIONS.get(objection.decision or "", "待县评委会审查")
    fields = (
        ("异议编号", f"第{objection.number}号"),
        ("被反映组织", org.name),
        ("收到日期", day(to_business_date(objection.received_at))),
        ("反映人", "实名反映（姓名和联系方式由县评审办存档）"),
        ("调查结论", FINDINGS.get(objection.finding or "", "尚未形成")),
        ("县评委会意见", decision if objection.finding == "substantiated" else "不需审议"),
    )
    return Paper(
        title=f"关于{org.name}公示异议的调查核实情况报告",
        dated=dated,
        marking=COMMITTEE_MARKING,
        addressee="县评委会：",
        sections=(
            Section(heading="一、基本情况", fields=fields),
            Section(heading="二、反映内容", paragraphs=(objection.content,)),
            Section(heading="三、调查核实情况", paragraphs=(objection.report or "（无）",)),
        ),
    )


def bulletin(cycle: Cycle, honors: list[tuple[Honor, Organization]], awarded_on: date) -> Paper:
    """获奖通报 (§5(1)): the winners per award with their bonuses."""
    in_order = sorted(honors, key=lambda pair: list(Award).index(Award(pair[0].award)))
    rows = tuple(
        (
            AWARD_NAMES[Award(h.award)],
            org.name,
            _yuan(h.bonus_cny) if h.bonus_cny else "颁发证书和牌匾",
        )
        for h, org in in_order
    ) or (("—", "—", "—"),)
    total = sum(h.bonus_cny for h, _ in honors)
    return Paper(
        title=f"关于{cycle.year}年度庆元县人民政府质量奖获奖组织的通报",
        dated=awarded_on,
        issuer=ISSUER_GOVERNMENT,
        addressee="各乡镇人民政府、街道办事处，县政府各部门、各直属单位：",
        sections=(
            Section(
                paragraphs=(
                    f"根据《庆元县人民政府质量奖管理办法》，经资格审查、资料评审、现场评审、县评委会"
                    f"审查表决和社会公示，县政府审定批准，{cycle.year}年度庆元县人民政府质量奖获奖"
                    "组织如下，予以通报表彰，颁发奖牌、证书和奖金（§5(1)）。",
                )
            ),
            Section(table=Table(("奖项", "获奖组织", "奖励"), rows, 9)),
            Section(
                paragraphs=(
                    f"奖金合计{_yuan(total)}，纳入县财政预算（§5(2)）。希望获奖组织珍惜荣誉，"
                    "持续改进质量管理，发挥示范引领作用（§6(3)）。",
                )
            ),
        ),
    )


def certificate_number(honor: Honor, seq: int) -> str:
    letter = "Z" if honor.award == Award.QUALITY.value else "C"
    return f"庆质奖证〔{honor.year}〕{letter}{seq:02d}号"


def certificate(honor: Honor, org: Organization, seq: int) -> Certificate:
    """证书 (§5(1)): its number, award, year and validity (§5(3))."""
    return Certificate(
        number=certificate_number(honor, seq),
        organization=org.name,
        award_name=AWARD_NAMES[Award(honor.award)],
        year=honor.year,
        awarded_on=honor.awarded_on,
        valid_until=honor.valid_until,
    )


def revocation(honor: Honor, org: Organization, seq: int) -> Paper:
    """撤销称号通知 (§6(2) fraud, §6(6) accident within two years)."""
    assert honor.revoked_on is not None
    award = AWARD_NAMES[Award(honor.award)]
    if honor.revocation_reason == "fraud":
        why = "经查，该组织在申报中采取不正当手段骗取奖项（§6(2)），依法记入其信用档案并予以披露。"
    else:
        why = "该组织获奖后两年内发生造成重大不良社会影响的事故（§6(6)）。"
    recovered = (
        f"收回奖牌、证书和奖金{_yuan(honor.bonus_recovered_cny)}。"
        if honor.bonus_recovered_cny
        else "收回奖牌和证书。"
    )
    return Paper(
        title=f"关于撤销{org.name}{honor.year}年度庆元县人民政府{award}称号的通知",
        dated=honor.revoked_on,
        issuer=ISSUER_GOVERNMENT,
        sections=(
            Section(
                paragraphs=(
                    why,
                    f"经县评委会提请，县政府批准，撤销{org.name}（统一社会信用代码{org.credit_code}）"
                    f"{honor.year}年度庆元县人民政府{award}称号（证书编号"
                    f"{certificate_number(honor, seq)}），{recovered}",
                    "自本通知之日起，该组织不得再使用庆元县人民政府质量奖荣誉称号及标识（§6(5)）。",
                )
            ),
        ),
    )
