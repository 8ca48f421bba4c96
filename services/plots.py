# ruff: noqa: RUF001, RUF100 -- Chinese text uses full-width punctuation on purpose.
"""The plots of a cycle (issue #18): their figures from the records, and their SVG pictures.

Four kinds (`PlotKind`): an award's total scores with the candidate line and the winners
(`scores`), each panel's reviewers' totals with their spread and consensus (`panels`), one
reviewer's totals against their panels' means (`reviewer`) and how many applications ended
in each outcome (`outcomes`). The figures are pydantic models: the API serves them as JSON,
the console shows them as the table beside the picture, and `svg` draws them
(`insight.plots`).

Who sees what (DESIGN §3.2, §7): the office, the supervisor and the committee every plot; a
reviewer only the reviewer plot of themself and the panels plot of panels they sit on (not
recused) that have reported, and in their own plot only totals of panels that have
reported (a panel's mean tells of the others' scores); nobody else any.
"""

from __future__ import annotations

import math
from enum import StrEnum

from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession

from db.repositories import plot_data
from db.repositories.plot_data import Seat
from domain.errors import DomainError, ErrorCode
from domain.names import AWARD_NAMES, OUTCOME_NAMES, STAGE_NAMES
from domain.phases import Outcome, Stage
from domain.rules import load_rules
from domain.types import Award
from insight import plots as draw
from services import views
from services.accounts import Role, Viewer
from services.views import ApplicationRow

__all__ = [
    "PLOT_READERS",
    "OutcomesPlot",
    "PanelsPlot",
    "Plot",
    "PlotKind",
    "ReviewerPlot",
    "ScoresPlot",
    "plot",
    "svg",
]


class PlotKind(StrEnum):
    SCORES = "scores"
    PANELS = "panels"
    REVIEWER = "reviewer"
    OUTCOMES = "outcomes"


PLOT_READERS = frozenset({Role.OFFICE, Role.SUPERVISOR, Role.COMMITTEE})
"""Roles that see every plot of a cycle; a reviewer sees some (module doc), others none."""
CANDIDATE_OUTCOMES = frozenset(
    {
        Outcome.PENDING,
        Outcome.NOT_ELECTED,
        Outcome.REMOVED_AFTER_PUBLICITY,
        Outcome.NOT_APPROVED,
        Outcome.AWARDED,
    }
)
"""Outcomes of an application that, with a total score at or above the minimum, is (or was)
a candidate before the committee (§4(4))."""


class ScorePointOut(BaseModel):
    credit_code: str = Field(description="统一社会信用代码")
    name: str = Field(description="申报组织")
    total_score: float = Field(description="总得分")
    outcome: str = Field(description="评审结果代码")
    outcome_name: str = Field(description="评审结果")
    candidate: bool = Field(description="是否提交评委会表决的候选（§4(4)）")
    winner: bool = Field(description="是否获奖（当选）")


class ScoresPlot(BaseModel):
    kind: PlotKind = Field(default=PlotKind.SCORES, description="图表种类")
    year: int = Field(description="评审年度")
    title: str = Field(description="图表标题")
    award: Award = Field(description="奖项代码")
    award_name: str = Field(description="奖项")
    min_total: float = Field(description="候选的最低总分（§4(4)，本周期规则）")
    last_candidate: float | None = Field(description="末位候选的总分")
    points: list[ScorePointOut] = Field(description="各申报的总得分，从高到低")


class ReviewerScoreOut(BaseModel):
    reviewer: str = Field(description="评审员编号")
    total: float = Field(description="该评审员给出的总分")


class PanelRowOut(BaseModel):
    credit_code: str = Field(description="统一社会信用代码")
    name: str = Field(description="申报组织")
    stage: Stage = Field(description="评审环节代码")
    scores: list[ReviewerScoreOut] = Field(description="评审组成员的总分，按组成顺序")
    lowest: float | None = Field(description="最低总分")
    highest: float | None = Field(description="最高总分")
    spread: float | None = Field(description="最高分与最低分之差")
    consensus: float | None = Field(description="合议分")
    stage_score: float | None = Field(description="本环节得分")
    flagged: bool = Field(description="总分相差超过提示线（§6(1) 监督）")
    reported: bool = Field(description="评审组已形成结果")


class PanelsPlot(BaseModel):
    kind: PlotKind = Field(default=PlotKind.PANELS, description="图表种类")
    year: int = Field(description="评审年度")
    title: str = Field(description="图表标题")
    stage: Stage = Field(description="评审环节代码")
    stage_name: str = Field(description="评审环节")
    alert_points: float = Field(description="评审组总分相差提示线（review.spread_alert_points）")
    rows: list[PanelRowOut] = Field(description="各评审组")


class ReviewerPointOut(BaseModel):
    credit_code: str = Field(description="统一社会信用代码")
    name: str = Field(description="申报组织")
    stage: Stage = Field(description="评审环节代码")
    stage_name: str = Field(description="评审环节")
    own: float = Field(description="本人给出的总分")
    panel_mean: float = Field(description="该评审组总分的平均数")
    difference: float = Field(description="本人总分减评审组均分")


class ReviewerChoice(BaseModel):
    code: str = Field(description="评审员编号")
    name: str = Field(description="评审员姓名")


class ReviewerPlot(BaseModel):
    kind: PlotKind = Field(default=PlotKind.REVIEWER, description="图表种类")
    year: int = Field(description="评审年度")
    title: str = Field(description="图表标题")
    reviewer: str | None = Field(description="评审员编号（本周期尚无评分时为空）")
    reviewer_name: str | None = Field(description="评审员姓名")
    mean_difference: float | None = Field(description="与评审组均分的平均差")
    points: list[ReviewerPointOut] = Field(description="各申报中本人的总分与评审组均分")
    choices: list[ReviewerChoice] = Field(description="可查看的评审员")


class OutcomeCountOut(BaseModel):
    outcome: Outcome = Field(description="评审结果代码")
    outcome_name: str = Field(description="评审结果")
    quality: int = Field(description="质量奖申报数")
    innovation: int = Field(description="创新奖申报数")
    total: int = Field(description="合计")


class OutcomesPlot(BaseModel):
    kind: PlotKind = Field(default=PlotKind.OUTCOMES, description="图表种类")
    year: int = Field(description="评审年度")
    title: str = Field(description="图表标题")
    total: int = Field(description="本周期申报总数")
    counts: list[OutcomeCountOut] = Field(description="各评审结果的申报数（只列出有申报的结果）")


Plot = ScoresPlot | PanelsPlot | ReviewerPlot | OutcomesPlot


def _refuse() -> DomainError:
    return DomainError(ErrorCode.FORBIDDEN, "无权查看该统计图")


def _kind(kind: str) -> PlotKind:
    try:
        return PlotKind(kind)
    except ValueError:
        raise DomainError(ErrorCode.NOT_FOUND, f"没有名为 {kind} 的统计图") from None


def _mean(values: list[float]) -> float:
    return math.fsum(values) / len(values)


def _winners(row: ApplicationRow) -> bool:
    app, cycle = row.application, row.cycle
    if app.outcome == Outcome.AWARDED:
        return True
    listed = (cycle.winners or {}).get(app.award, [])
    gone = (Outcome.REMOVED_AFTER_PUBLICITY, Outcome.NOT_APPROVED)
    return row.organization.credit_code in listed and app.outcome not in gone


def _scores(year: int, rows: list[ApplicationRow], award: Award, min_total: float) -> ScoresPlot:
    points = []
    for row in rows:
        app = row.application
        if app.award != award or app.total_score is None:
            continue
        outcome = Outcome(app.outcome)
        points.append(
            ScorePointOut(
                credit_code=row.organization.credit_code,
                name=row.organization.name,
                total_score=app.total_score,
                outcome=outcome.value,
                outcome_name=OUTCOME_NAMES[outcome],
                candidate=outcome in CANDIDATE_OUTCOMES and app.total_score >= min_total,
                winner=_winners(row),
            )
        )
    points.sort(key=lambda p: (-p.total_score, p.credit_code))
    candidates = [p.total_score for p in points if p.candidate]
    return ScoresPlot(
        year=year,
        title=f"{year}年度{AWARD_NAMES[award]}总得分分布",
        award=award,
        award_name=AWARD_NAMES[award],
        min_total=min_total,
        last_candidate=min(candidates) if candidates else None,
        points=points,
    )


def _by_panel(seats: list[Seat]) -> dict[tuple[int, str], list[Seat]]:
    panels: dict[tuple[int, str], list[Seat]] = {}
    for seat in seats:
        panels.setdefault((seat.application_id, seat.stage), []).append(seat)
    return panels


def _reported(row: ApplicationRow, stage: Stage, seats: list[Seat]) -> bool:
    complete = bool(seats) and all(s.total is not None for s in seats)
    return views.stage_reported(row, stage, complete)


async def _seen_by_reviewer(
    session: AsyncSession, viewer: Viewer, rows: list[ApplicationRow], stage: Stage | None
) -> set[tuple[int, str]]:
    """(application id, stage) of the reported panels the reviewer sits on, not recused."""
    seen = set()
    for row in rows:
        for sits in await views.assigned_stages(session, viewer, row):
            if stage is None or sits == stage:
                seen.add((row.application.id, sits.value))
    return seen


def _panels(
    year: int,
    rows: list[ApplicationRow],
    panels: dict[tuple[int, str], list[Seat]],
    stage: Stage,
    alert: float,
    shown: set[tuple[int, str]] | None,
) -> PanelsPlot:
    out = []
    for row in rows:
        app = row.application
        seats = panels.get((app.id, stage.value), [])
        reported = _reported(row, stage, seats)
        if not seats or (
            shown is not None and ((app.id, stage.value) not in shown or not reported)
        ):
            continue
        given = [
            ReviewerScoreOut(reviewer=s.reviewer_code, total=s.total)
            for s in seats
            if s.total is not None
        ]
        totals = [g.total for g in given]
        spread = max(totals) - min(totals) if totals else None
        document = stage == Stage.DOCUMENT
        out.append(
            PanelRowOut(
                credit_code=row.organization.credit_code,
                name=row.organization.name,
                stage=stage,
                scores=given,
                lowest=min(totals) if totals else None,
                highest=max(totals) if totals else None,
                spread=spread,
                consensus=app.document_consensus if document else app.site_consensus,
                stage_score=app.document_score if document else app.site_score,
                flagged=spread is not None and spread > alert,
                reported=reported,
            )
        )
    return PanelsPlot(
        year=year,
        title=f"{year}年度{STAGE_NAMES[stage]}各评审组评分差异",
        stage=stage,
        stage_name=STAGE_NAMES[stage],
        alert_points=alert,
        rows=out,
    )


def _reviewer(
    year: int,
    rows: list[ApplicationRow],
    panels: dict[tuple[int, str], list[Seat]],
    code: str | None,
    choices: list[ReviewerChoice],
    shown: set[tuple[int, str]] | None,
) -> ReviewerPlot:
    name = next((c.name for c in choices if c.code == code), None)
    points = []
    for stage in Stage:
        for row in rows:
            seats = panels.get((row.application.id, stage.value), [])
            mine = next((s for s in seats if s.reviewer_code == code), None)
            if mine is None or mine.total is None:
                continue
            if shown is not None and (
                (row.application.id, stage.value) not in shown or not _reported(row, stage, seats)
            ):
                continue
            mean = _mean([s.total for s in seats if s.total is not None])
            points.append(
                ReviewerPointOut(
                    credit_code=row.organization.credit_code,
                    name=row.organization.name,
                    stage=stage,
                    stage_name=STAGE_NAMES[stage],
                    own=mine.total,
                    panel_mean=mean,
                    difference=mine.total - mean,
                )
            )
    who = f"评审员{code}（{name}）" if code is not None else "评审员"
    return ReviewerPlot(
        year=year,
        title=f"{year}年度{who}评分与评审组均分",
        reviewer=code,
        reviewer_name=name,
        mean_difference=_mean([p.difference for p in points]) if points else None,
        points=points,
        choices=choices,
    )


def _outcomes(year: int, rows: list[ApplicationRow]) -> OutcomesPlot:
    counts = []
    for outcome in Outcome:
        mine = [r.application for r in rows if r.application.outcome == outcome]
        if not mine:
            continue
        quality = sum(1 for a in mine if a.award == Award.QUALITY)
        counts.append(
            OutcomeCountOut(
                outcome=outcome,
                outcome_name=OUTCOME_NAMES[outcome],
                quality=quality,
                innovation=len(mine) - quality,
                total=len(mine),
            )
        )
    return OutcomesPlot(year=year, title=f"{year}年度申报评审结果", total=len(rows), counts=counts)


async def plot(
    session: AsyncSession,
    viewer: Viewer,
    year: int,
    kind: str,
    *,
    award: Award = Award.QUALITY,
    stage: Stage = Stage.DOCUMENT,
    panel: str | None = None,
    reviewer: str | None = None,
) -> Plot:
    """The figures of plot `kind` of the cycle of `year`, as `viewer` may see them.

    `award`: the scores plot's award; `stage`: the panels plot's stage; `panel`: the panels
    plot of one application's panel only (its credit code); `reviewer`: the reviewer plot's
    reviewer (a reviewer: themself only; officials: the first who scored when omitted)."""
    which = _kind(kind)
    is_reviewer = viewer.role == Role.REVIEWER
    if viewer.role not in PLOT_READERS and not is_reviewer:
        raise _refuse()
    if is_reviewer and which not in (PlotKind.PANELS, PlotKind.REVIEWER):
        raise _refuse()
    cycle = await views.find_cycle(session, year)
    rules = load_rules(cycle.rules)
    # views.applications: the rows the viewer may read (a reviewer: its assigned ones)
    rows = await views.applications(session, viewer, year)
    if which == PlotKind.SCORES:
        return _scores(year, rows, award, rules.committee.min_total)
    if which == PlotKind.OUTCOMES:
        return _outcomes(year, rows)
    panels = _by_panel(await session.run_sync(plot_data.seats, cycle.id))
    shown = await _seen_by_reviewer(session, viewer, rows, None) if is_reviewer else None
    if which == PlotKind.PANELS:
        if panel is not None:
            wanted = panel.strip().upper()
            rows = [r for r in rows if r.organization.credit_code == wanted]
        found = _panels(year, rows, panels, stage, rules.review.spread_alert_points, shown)
        if panel is not None and not found.rows:
            raise views.not_found(
                f"没有统一社会信用代码为 {panel} 的{STAGE_NAMES[stage]}评审组评分"
            )
        return found
    if is_reviewer:
        if reviewer is not None and reviewer != viewer.reviewer_code:
            raise _refuse()
        own = [
            ReviewerChoice(code=s.reviewer_code, name=s.reviewer_name)
            for seats in panels.values()
            for s in seats
            if s.reviewer_code == viewer.reviewer_code
        ][:1]
        return _reviewer(year, rows, panels, viewer.reviewer_code, own, shown)
    scored = {
        s.reviewer_code: s.reviewer_name
        for seats in panels.values()
        for s in seats
        if s.total is not None
    }
    choices = [ReviewerChoice(code=c, name=n) for c, n in sorted(scored.items())]
    if reviewer is not None and reviewer not in scored:
        raise views.not_found(f"评审员 {reviewer} 在{year}年度没有评分")
    code = reviewer if reviewer is not None else (choices[0].code if choices else None)
    return _reviewer(year, rows, panels, code, choices, None)


def svg(figures: Plot) -> str:
    """The picture of the figures."""
    match figures:
        case ScoresPlot():
            points = [
                draw.ScorePoint(p.name, p.total_score, p.candidate, p.winner)
                for p in figures.points
            ]
            threshold = figures.min_total if figures.min_total > 0 else None
            return draw.score_distribution(
                figures.title, points, threshold=threshold, last_candidate=figures.last_candidate
            )
        case PanelsPlot():
            rows = [
                draw.PanelRow(
                    r.name,
                    tuple((s.reviewer, s.total) for s in r.scores),
                    r.consensus,
                    r.flagged,
                )
                for r in figures.rows
            ]
            return draw.panel_spreads(figures.title, rows, alert=figures.alert_points)
        case ReviewerPlot():
            marks = [
                draw.ReviewerPoint(f"{p.stage_name}·{p.name}", p.own, p.panel_mean)
                for p in figures.points
            ]
            return draw.reviewer_against_means(figures.title, marks)
        case OutcomesPlot():
            bars = [draw.OutcomeBar(c.outcome_name, c.total) for c in figures.counts]
            return draw.outcome_counts(figures.title, bars)
