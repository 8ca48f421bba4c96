"""What the review documents show (§4(1)–§4(3)): the application form as submitted, the
panel's review report per stage, the applicant's feedback report and the score sheet.

Reviewers are anonymised wherever an applicant reads (评审员甲、乙…, or no attribution at
all in the feedback); only the score sheet, the officials' own, names them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from db.models import Application, Material, Organization, Reviewer, Score
from documents import render
from documents.paper import Paper, Section, Table, day, points
from domain.dates import to_business_date
from domain.names import AWARD_NAMES, INDUSTRY_NAMES, STAGE_NAMES, name_of
from domain.phases import Stage
from domain.scoring import RubricCategory, rubric
from domain.types import Award

LABELS = "甲乙丙丁戊己庚辛壬癸"
OWN_MARKING = "仅限县评审办及该申报组织查阅"
OFFICIAL_MARKING = "内部资料 仅限县评审办、县评委会、县政府和监督组查阅"


def reviewer_label(number: int) -> str:
    """The n-th (0-based) reviewer of a panel as an applicant reads it."""
    return f"评审员{LABELS[number]}" if number < len(LABELS) else f"评审员{number + 1}"


@dataclass(frozen=True)
class StageData:
    """A stage's scores of one application, in the order the panel was named."""

    stage: Stage
    scores: list[Score]
    leader_index: int | None
    consensus: float | None
    stage_score: float | None


def category_scores(score: Score) -> dict[str, float] | None:
    """A reviewer's points per category from their item percentages (None: a total only)."""
    if not score.items:
        return None
    found: dict[str, float] = {}
    for item in rubric().items:
        found[item.category] = (
            found.get(item.category, 0.0) + item.points * score.items.get(item.code, 0) / 100
        )
    return found


def category_shares(data: StageData) -> dict[str, float | None]:
    """Per category: the panel's mean points there as a share of its points (items only)."""
    given = [c for c in (category_scores(s) for s in data.scores) if c is not None]
    return {
        c.code: (sum(g[c.code] for g in given) / len(given) / c.points if given else None)
        for c in rubric().categories
    }


def _share(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _comments(data: StageData, which: str, *, attributed: bool) -> tuple[str, ...]:
    lines = []
    for category in rubric().categories:
        for number, score in enumerate(data.scores):
            text = ((score.comments or {}).get(category.code) or {}).get(which, "").strip()
            if text:
                who = f"（{reviewer_label(number)}）" if attributed else ""
                lines.append(f"{_category(category)}：{text}{who}")
    return tuple(lines) or ("（无）",)


def _category(category: RubricCategory) -> str:
    return f"{category.code} {category.name}"


def _award(app: Application) -> str:
    return AWARD_NAMES[Award(app.award)]


def application_form(
    year: int, app: Application, org: Organization, materials: list[Material], dated: date
) -> Paper:
    """申报表 as submitted (§3(2)): the declared facts and each material by its digest."""
    mu = "；".join(f"{y}年 {g}" for y, g in sorted(org.mu_efficiency.items())) or "—"
    fields = (
        ("申报组织", org.name),
        ("统一社会信用代码", org.credit_code),
        ("注册地", org.county),
        ("注册日期", day(org.registered_on)),
        ("所属行业", name_of(org.industry, INDUSTRY_NAMES) or org.industry),
        ("工业企业", "是" if org.industrial else "否"),
        ("导入卓越绩效管理", day(org.excellence_since) if org.excellence_since else "未导入"),
        ("亩均效益评价", mu),
        ("申报奖项", _award(app)),
        ("提交时间", day(to_business_date(app.submitted_at))),
    )
    rows = tuple(
        (str(n), m.filename, f"{m.size:,} 字节", m.sha256) for n, m in enumerate(materials, 1)
    )
    return Paper(
        title=f"{year}年度庆元县人民政府质量奖申报表",
        dated=dated,
        marking=OWN_MARKING,
        sections=(
            Section(heading="一、申报组织基本情况", fields=fields),
            Section(
                heading="二、申报材料清单",
                paragraphs=("下列材料于申报截止时锁定，以 SHA-256 摘要值标识，供核对原件。",),
                table=Table(("序号", "文件名", "大小", "SHA-256 摘要值"), rows or (("—",) * 4,), 9),
            ),
        ),
        notes=("本表由庆元县人民政府质量奖评审管理服务根据申报组织提交的信息生成。",),
    )


def review_report(
    year: int, app: Application, org: Organization, data: StageData, dated: date
) -> Paper:
    """资料评审报告 (§4(2)) / 现场评审报告 (§4(3)): category scores and the panel's comments."""
    stage_name = STAGE_NAMES[data.stage]
    shares = category_shares(data)
    categories = tuple(
        (_category(c), str(c.points), _points_of(shares[c.code], c.points), _share(shares[c.code]))
        for c in rubric().categories
    )
    reviewers = "；".join(
        reviewer_label(n) + ("（组长）" if n == data.leader_index else "") + f" {points(s.total)}"
        for n, s in enumerate(data.scores)
    )
    summary = (
        ("申报组织", org.name),
        ("统一社会信用代码", org.credit_code),
        ("申报奖项", _award(app)),
        ("评审环节", stage_name),
        ("评审组人数", f"{len(data.scores)} 人"),
        ("评审员评分", reviewers or "—"),
        ("合议分", points(data.consensus) if data.consensus is not None else "未录入"),
        (f"{stage_name}得分", points(data.stage_score)),
    )
    confirm = (
        ("请申报组织核对本报告，并以本文件的 SHA-256 摘要值在系统中确认（§4(3)）。",)
        if data.stage == Stage.SITE
        else ()
    )
    return Paper(
        title=f"{year}年度庆元县人民政府{_award(app)}{stage_name}报告",
        dated=dated,
        marking=OWN_MARKING,
        sections=(
            Section(heading="一、基本情况", fields=summary),
            Section(
                heading="二、各类目得分（GB/T 19580）",
                paragraphs=("得分为给出分项评分的评审员的平均分；总分评审员不计入类目得分。",),
                table=Table(("类目", "分值", "平均得分", "得分率"), categories),
            ),
            Section(
                heading="三、主要优势", paragraphs=_comments(data, "strengths", attributed=True)
            ),
            Section(
                heading="四、改进机会", paragraphs=_comments(data, "improvements", attributed=True)
            ),
            Section(paragraphs=confirm),
        ),
        notes=("评审员以代号列出；评分以全精度计算，显示时四舍五入保留一位小数。",),
    )


def _points_of(share: float | None, of: int) -> str:
    return "—" if share is None else points(share * of)


def feedback_report(
    year: int,
    app: Application,
    org: Organization,
    stages: list[StageData],
    dated: date,
) -> Paper:
    """反馈报告 (§4(2)): per category the score as a share of its points, strengths and
    opportunities for improvement from the reviewers' comments, reviewers anonymised."""
    shares = {s.stage: category_shares(s) for s in stages}
    header = ("类目", "分值", *(f"{STAGE_NAMES[s.stage]}得分率" for s in stages))
    rows = tuple(
        (_category(c), str(c.points), *(_share(shares[s.stage][c.code]) for s in stages))
        for c in rubric().categories
    )
    results = [("申报组织", org.name), ("申报奖项", _award(app))]
    results += [(f"{STAGE_NAMES[s.stage]}得分", points(s.stage_score)) for s in stages]
    if app.total_score is not None:
        results.append(("评审总得分", points(app.total_score)))
    strengths = tuple(line for s in stages for line in _comments(s, "strengths", attributed=False))
    improvements = tuple(
        line for s in stages for line in _comments(s, "improvements", attributed=False)
    )
    return Paper(
        title=f"{year}年度庆元县人民政府{_award(app)}评审反馈报告",
        dated=dated,
        marking=OWN_MARKING,
        addressee=f"{org.name}：",
        sections=(
            Section(
                paragraphs=(
                    "感谢贵单位参加本年度庆元县人民政府质量奖评审。现将评审组依据《卓越绩效评价准则》"
                    "（GB/T 19580）形成的评审情况反馈如下，供贵单位持续改进参考。",
                )
            ),
            Section(heading="一、评审结果", fields=tuple(results)),
            Section(heading="二、各类目得分率", table=Table(header, rows)),
            Section(heading="三、主要优势", paragraphs=_dedupe(strengths)),
            Section(heading="四、改进机会", paragraphs=_dedupe(improvements)),
        ),
        notes=("评审员意见匿名汇总，不列评审员姓名。得分率为评审组给出分项评分的平均值。",),
    )


def _dedupe(lines: tuple[str, ...]) -> tuple[str, ...]:
    kept = tuple(dict.fromkeys(line for line in lines if line != "（无）"))
    return kept or ("（无）",)


def score_sheet_rows(
    data: StageData, reviewers: list[Reviewer]
) -> tuple[list[str], list[list[object]]]:
    """One application's sheet: the rubric's items × reviewers (item points), then totals."""
    header = ["条款", "评分项", "分值", *(f"{r.code} {r.name}" for r in reviewers)]
    rows: list[list[object]] = []
    for item in rubric().items:
        cells: list[object] = [item.code, item.name, item.points]
        for score in data.scores:
            pct = (score.items or {}).get(item.code)
            cells.append(None if pct is None else item.points * pct / 100)
        rows.append(cells)
    rows.append(["", "评审员总分", rubric().total, *(s.total for s in data.scores)])
    rows.append(["", "合议分", None, data.consensus])
    rows.append(["", "环节得分", None, data.stage_score])
    return header, rows


SheetPart = tuple[Organization, StageData, list[Reviewer]]


def score_sheet(title: str, parts: list[SheetPart], at: datetime) -> bytes:
    """评分汇总表 (Excel): a summary sheet, then one sheet per application (items × reviewers)."""

    def build(workbook: Any) -> None:
        summary = workbook.active
        summary.title = "汇总"
        summary.append([title])
        summary.append(["申报组织", "统一社会信用代码", "评审员总分", "合议分", "环节得分"])
        for org, data, _ in parts:
            totals = "、".join(points(s.total) for s in data.scores)
            summary.append([org.name, org.credit_code, totals, data.consensus, data.stage_score])
        for n, (org, data, people) in enumerate(parts, 1):
            sheet = workbook.create_sheet(f"{n}-{org.credit_code}")
            sheet.append([org.name])
            header, rows = score_sheet_rows(data, people)
            sheet.append(header)
            for row in rows:
                sheet.append(row)

    return render.xlsx(build, title=title, at=at)
