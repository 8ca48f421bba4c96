"""Review panels (评审组), scores and consensus."""

from __future__ import annotations

from pydantic import Field, computed_field

from api.schemas.base import Int32, Request, Response, Score
from api.schemas.supervision import SpreadOut
from domain.names import STAGE_NAMES, name_of
from domain.phases import Stage


class PanelAssign(Request):
    reviewers: list[str] = Field(min_length=1, max_length=50, description="评审员编号")
    leader: str = Field(min_length=1, max_length=50, description="组长（须为评审组成员）")


class PanelSeatOut(Response):
    reviewer: str = Field(description="评审员编号")
    name: str = Field(description="评审员姓名")
    leader: bool = Field(description="是否组长")
    withdrawn: bool = Field(description="是否已回避")
    scored: bool = Field(description="是否已评分")


class ScoreCreate(Request):
    points: float | None = Field(
        default=None, allow_inf_nan=False, description="总分（0–1000），与分项二选一"
    )
    items: dict[str, Int32] | None = Field(
        default=None, description="各评分项得分百分比（0–100，5的倍数），键为条款号如 4.1.2"
    )


class ScoreOut(Response):
    points: Score = Field(description="计入的总分")


class ConsensusCreate(Request):
    points: float = Field(allow_inf_nan=False, description="合议分（0–1000）")


class ScoreLineOut(Response):
    reviewer: str = Field(description="评审员（对申报组织匿名显示）")
    total: Score = Field(description="该评审员的总分")
    items: dict[str, int] | None = Field(description="各评分项得分（百分比）")
    mine: bool = Field(description="是否本人的评分")
    disqualified: bool = Field(
        default=False, description="该评审员此后被取消评审资格（§6(7)；已结束环节的评分保留）"
    )


class StageScoresOut(Response):
    stage: Stage = Field(description="评审环节")
    members: int = Field(description="评审组人数")
    complete: bool = Field(description="评审组全部成员已评分")
    reported: bool = Field(description="评审组已形成结果")
    consensus: Score | None = Field(description="合议分")
    stage_score: Score | None = Field(description="本环节得分")
    scores: list[ScoreLineOut] = Field(description="各评审员评分")
    spread: SpreadOut | None = Field(
        default=None, description="评分差异提示（评审办、监督组、评委会与组长可见，§6(1)）"
    )

    @computed_field(description="评审环节中文名称")  # type: ignore[prop-decorator]
    @property
    def stage_name(self) -> str:
        return name_of(self.stage, STAGE_NAMES) or self.stage
