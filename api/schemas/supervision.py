"""Supervision and review quality (§2(3)3–4, §6(1), §6(3), §6(7)): pool, discipline,
irregularities, panel draws, spread and leniency, winners' follow-up."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from api.schemas.base import Instant, Int32, Request, Response, Score
from domain.phases import Stage
from services.schemas import Printable

# --- the pool (§2(3)3) and discipline (§6(7)) -------------------------------------------


class AppointmentCreate(Request):
    term_from: date = Field(description="聘任期起始日")
    term_until: date = Field(description="聘任期截止日（含当日）")
    note: str = Field(default="", max_length=1000, description="备注（聘书编号等）")


class TrainingCreate(Request):
    on: date = Field(description="培训日期")
    title: Printable = Field(min_length=1, max_length=200, description="培训内容")
    hours: float | None = Field(default=None, ge=0, le=1000, description="学时")


class DisciplineCreate(Request):
    kind: Literal["criticism", "disqualification"] = Field(
        description="criticism 批评 / disqualification 取消评审资格（§6(7)）"
    )
    reason: str = Field(min_length=1, max_length=2000, description="理由")
    on: date = Field(description="决定日期")


class TermOut(Response):
    term_from: date = Field(description="聘任期起始日")
    term_until: date = Field(description="聘任期截止日")
    note: str = Field(description="备注")


class TrainingOut(Response):
    on: date = Field(description="培训日期")
    title: str = Field(description="培训内容")
    hours: float | None = Field(description="学时")


class DisciplineOut(Response):
    kind: str = Field(description="criticism 批评 / disqualification 取消评审资格")
    reason: str = Field(description="理由")
    on: date = Field(description="决定日期")


class PoolEntryOut(Response):
    code: str = Field(description="评审员编号")
    name: str = Field(description="姓名")
    industries: list[str] = Field(description="擅长行业")
    status: str = Field(
        description="in_term 聘任期内 / out_of_term 不在聘任期内 / disqualified 已取消评审资格"
        " / no_term 未登记聘任（视为可用）"
    )
    terms: list[TermOut] = Field(description="聘任记录（§2(3)3）")
    trainings: list[TrainingOut] = Field(description="培训记录（§2(3)3）")
    discipline: list[DisciplineOut] = Field(description="批评与取消资格记录（§6(7)）")


class DisciplineDone(Response):
    message: str = Field(description="结果说明")
    cycles: list[int] = Field(description="已撤回该评审员评审任务的评审年度")


class WorkloadOut(Response):
    reviewer: str = Field(description="评审员编号")
    seats: int = Field(description="本届现任评审组席位数")
    scored: int = Field(description="已评分的席位数")
    withdrawn: int = Field(description="已撤回（回避或取消资格）的席位数")
    document: int = Field(description="资料评审席位数")
    site: int = Field(description="现场评审席位数")


# --- irregularities (§6(1)) -----------------------------------------------------------------


class IrregularityCreate(Request):
    subject_kind: Literal["reviewer", "panel", "application", "office"] = Field(
        description="对象：reviewer 评审员 / panel 评审组 / application 申报 / office 评审办工作"
    )
    subject: str = Field(
        default="", max_length=100, description="对象标识（评审员编号、信用代码等；评审办可空）"
    )
    description: str = Field(min_length=1, max_length=5000, description="违规情况")
    occurred_on: date = Field(description="发生日期")
    evidence: str = Field(default="", max_length=5000, description="证据（文字）；PDF另行上传")


class CorrectiveActionCreate(Request):
    action: str = Field(min_length=1, max_length=5000, description="纠正措施")


class IrregularityClose(Request):
    note: str = Field(default="", max_length=5000, description="关闭说明")


class IrregularityOut(Response):
    number: int = Field(description="编号")
    subject_kind: str = Field(description="对象类别")
    subject: str = Field(description="对象标识")
    description: str = Field(description="违规情况")
    occurred_on: date = Field(description="发生日期")
    evidence: str = Field(description="证据（文字）")
    evidence_sha256: str | None = Field(description="证据PDF的SHA-256")
    status: str = Field(description="open 待纠正 / corrected 已纠正 / closed 已关闭")
    recorded_by: str = Field(description="记录人")
    recorded_at: Instant = Field(description="记录时间")
    corrective_action: str | None = Field(description="纠正措施（县评审办）")
    corrected_at: Instant | None = Field(description="纠正时间")
    closing_note: str | None = Field(description="关闭说明（监督组）")
    closed_at: Instant | None = Field(description="关闭时间")


# --- panel draws (随机抽取) -------------------------------------------------------------


class DrawCreate(Request):
    seed: Int32 | None = Field(default=None, ge=0, description="随机种子（空：系统随机生成）")
    size: int | None = Field(
        default=None, ge=1, le=50, description="抽取人数（空：评审组最少人数）"
    )


class DrawDecision(Request):
    reviewers: list[str] | None = Field(
        default=None, min_length=1, max_length=50, description="调整后的成员（空：采用抽取结果）"
    )
    leader: str | None = Field(default=None, max_length=50, description="组长")
    reason: str | None = Field(default=None, max_length=2000, description="调整理由（调整时必填）")


class DrawOut(Response):
    id: int = Field(description="抽取编号")
    credit_code: str = Field(description="申报组织信用代码")
    stage: Stage = Field(description="评审环节")
    seed: int = Field(description="随机种子")
    size: int = Field(description="抽取人数")
    drawn_on: date = Field(description="抽取日期")
    drawn: list[str] = Field(description="抽取结果")
    leader: str = Field(description="抽取的组长（行业专家）")
    eligible: list[str] = Field(description="符合条件的候选评审员")
    excluded: dict[str, str] = Field(description="不符合条件的评审员及原因代码")
    status: str = Field(description="drawn 待采用 / adopted 已采用 / adjusted 已调整")
    members: list[str] | None = Field(description="最终组成")
    adopted_leader: str | None = Field(description="最终组长")
    reason: str | None = Field(description="调整理由")


class ReproductionOut(Response):
    id: int = Field(description="抽取编号")
    reproduced: bool = Field(description="按记录的种子和候选库重新抽取，结果是否一致")
    members: list[str] = Field(description="重新抽取的结果")
    leader: str = Field(description="重新抽取的组长")


# --- spread and leniency (§6(1)) --------------------------------------------------------


class SpreadOut(Response):
    total_spread: Score | None = Field(description="评审组总分最高与最低之差")
    item_spread: int | None = Field(description="单个评分项百分比的最大差（百分点）")
    widest_item: str | None = Field(description="差异最大的评分项")
    flagged: bool = Field(description="是否超过提示阈值（须在合议前关注）")
    reasons: list[str] = Field(description="提示原因")


class LeniencyOut(Response):
    reviewer: str = Field(description="评审员编号")
    mean_deviation: Score = Field(description="与所在评审组平均分的平均偏差（正为偏宽）")
    panels: int = Field(description="计入的评审组数")


class PanelQualityOut(Response):
    credit_code: str = Field(description="申报组织信用代码")
    normalised_score: Score | None = Field(description="标准化（z分数）得分，仅供参考")
    spread: SpreadOut = Field(description="评分差异")


class StageQualityOut(Response):
    stage: Stage = Field(description="评审环节")
    normalise_official: bool = Field(description="本届是否以标准化得分为正式得分")
    reviewers: list[LeniencyOut] = Field(description="评审员宽严度")
    panels: list[PanelQualityOut] = Field(description="各评审组")


# --- winners' follow-up (§2(3)4, §6(3)) --------------------------------------------------


class FollowUpCreate(Request):
    report: str = Field(min_length=1, max_length=20000, description="年度跟踪报告正文")


class FollowUpEvaluate(Request):
    evaluation: Literal["良好", "一般", "需改进"] = Field(description="评价")
    note: str = Field(default="", max_length=5000, description="评价意见")


class FollowUpOut(Response):
    credit_code: str = Field(description="获奖组织信用代码")
    name: str = Field(description="获奖组织名称")
    award: str = Field(description="奖项")
    year: int = Field(description="获奖年度")
    number: int = Field(description="有效期第几年")
    reminded_on: date = Field(description="提醒日期")
    due_on: date = Field(description="提交截止日期")
    status: str = Field(
        description="open 待提交 / overdue 逾期 / submitted 已提交 / evaluated 已评价"
    )
    report: str | None = Field(description="报告正文")
    report_sha256: str | None = Field(description="报告PDF的SHA-256")
    evaluation: str | None = Field(description="评价（良好 / 一般 / 需改进）")
    evaluation_note: str | None = Field(description="评价意见")
