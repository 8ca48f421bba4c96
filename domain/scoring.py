# ruff: noqa: RUF001, RUF100 -- Chinese messages use full-width punctuation on purpose.
"""Scoring (§1(4), §4(2)-§4(4); DESIGN.md 3.2): GB/T 19580-2012 rubric, stage and total scores.

Scores are kept at full precision (exact fractions inside, floats outside) and rounded
half-up only for display (`round_half_up`).
"""

import importlib.resources
import math
from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any, Protocol, Self, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, model_validator

from domain.errors import DomainError, ErrorCode
from domain.rules import ProgramRules
from domain.types import Award

__all__ = [
    "MAX_POINTS",
    "Rubric",
    "RubricCategory",
    "RubricItem",
    "item_total",
    "recommend_shortlist",
    "round_half_up",
    "rubric",
    "stage_score",
    "total_score",
    "validate_total",
]

MAX_POINTS = 1000
_PERCENT_STEP = 5


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class RubricCategory(_Frozen):
    code: str
    name: str
    points: int


class RubricItem(_Frozen):
    code: str
    category: str
    name: str
    points: int


class Rubric(_Frozen):
    """The GB/T 19580-2012 rubric: 7 categories, 23 items, 1,000 points (§1(4))."""

    standard: str
    total: int
    categories: tuple[RubricCategory, ...]
    items: tuple[RubricItem, ...]

    @model_validator(mode="after")
    def _points_add_up(self) -> Self:
        by_category = {category.code: 0 for category in self.categories}
        for item in self.items:
            if item.category not in by_category:
                raise ValueError(f"评分项 {item.code} 的类目 {item.category} 不存在")
            by_category[item.category] += item.points
        for category in self.categories:
            if by_category[category.code] != category.points:
                raise ValueError(f"类目 {category.code} 的分值与评分项合计不符")
        if sum(category.points for category in self.categories) != self.total:
            raise ValueError("各类目分值合计与总分不符")
        if len({item.code for item in self.items}) != len(self.items):
            raise ValueError("评分项编号重复")
        return self

    @property
    def points(self) -> dict[str, int]:
        """Points by item code, in rubric order."""
        return {item.code: item.points for item in self.items}


def _read_rubric() -> Rubric:
    resource = importlib.resources.files("domain").joinpath("rubrics", "gbt19580_2012.yaml")
    data: dict[str, Any] = yaml.safe_load(resource.read_text("utf-8"))
    return Rubric.model_validate(data)


# Read at import time: inside Temporal's workflow sandbox file access is refused at run time.
_RUBRIC = _read_rubric()


def rubric() -> Rubric:
    """The packaged rubric (`domain/rubrics/gbt19580_2012.yaml`), read once at import."""
    return _RUBRIC


def _is_percent(value: object) -> bool:
    return (
        isinstance(value, int)
        and not isinstance(value, bool)
        and 0 <= value <= 100
        and value % _PERCENT_STEP == 0
    )


def item_total(items: Mapping[str, int]) -> float:
    """A reviewer's total from item percentages: Σ item points x percentage (DESIGN 3.2).

    All 23 items are required, each a whole percentage in steps of 5 from 0 to 100.
    """
    points = rubric().points
    unknown = sorted(code for code in items if code not in points)
    if unknown:
        raise DomainError(ErrorCode.INVALID_SCORE, f"未知的评分项 {', '.join(unknown)}")
    missing = [code for code in points if code not in items]
    if missing:
        raise DomainError(ErrorCode.INVALID_SCORE, f"缺少评分项 {', '.join(missing)}")
    bad = [code for code in points if not _is_percent(items[code])]
    if bad:
        detail = f"评分项 {', '.join(bad)} 的百分比须为0至100之间5的倍数"
        raise DomainError(ErrorCode.INVALID_SCORE, detail)
    total = sum(Fraction(points[code] * items[code], 100) for code in points)
    return float(total)


def check_comment_categories(codes: Iterable[str]) -> None:
    """A score's comments are given per GB/T 19580 category, 4.1 to 4.7 (DESIGN 3.2)."""
    known = {category.code for category in rubric().categories}
    unknown = sorted(set(codes) - known)
    if unknown:
        raise DomainError(
            ErrorCode.INVALID_SCORE, f"未知的评分类目 {', '.join(unknown)}（应为 4.1 至 4.7）"
        )


def _check_range(points: float, what: str) -> float:
    if (
        isinstance(points, bool)
        or not isinstance(points, int | float)
        or not math.isfinite(points)
        or not 0 <= points <= MAX_POINTS
    ):
        raise DomainError(ErrorCode.INVALID_SCORE, f"{what}须在0至{MAX_POINTS}分之间")
    return float(points)


def validate_total(points: float, rules: ProgramRules) -> float:
    """A reviewer's total given directly (0-1000), where `scoring.allow_totals` permits it."""
    if not rules.scoring.allow_totals:
        raise DomainError(ErrorCode.INVALID_SCORE, "本周期须按评分项逐项评分，不接受直接给出总分")
    return _check_range(points, "总分")


def validate_consensus(points: float) -> float:
    """A panel leader's consensus score (合议分, §4(2)): 0-1000, whatever the program allows."""
    return _check_range(points, "合议分")


def stage_score(totals: Sequence[float], consensus: float | None) -> float:
    """Stage score: the leader's consensus score if recorded, else the mean of the totals."""
    if consensus is not None:
        return _check_range(consensus, "合议分")
    if not totals:
        raise DomainError(ErrorCode.REVIEWS_INCOMPLETE, "评审组尚无评分")
    exact = [Fraction(_check_range(total, "总分")) for total in totals]
    return float(sum(exact, Fraction(0)) / len(exact))


def total_score(document: float, site: float, rules: ProgramRules) -> float:
    """Total = document x 0.4 + site x 0.6 (`scoring.weights`; §4(4))."""
    weights = rules.scoring.weights
    exact = Fraction(document) * weights.document + Fraction(site) * weights.site
    return float(exact)


def round_half_up(x: float, places: int = 1) -> float:
    """`x` rounded half-up to `places` decimals, for display and output only.

    The shortest decimal form of the float is rounded, so 0.25 → 0.3 and 674.05 → 674.1.
    """
    quantum = Decimal(1).scaleb(-places)
    return float(Decimal(repr(x)).quantize(quantum, rounding=ROUND_HALF_UP))


class _Orderable(Protocol):
    def __lt__(self, other: Any, /) -> bool: ...


K = TypeVar("K", bound=_Orderable)


def recommend_shortlist(
    candidates: Sequence[tuple[K, Award, float]], rules: ProgramRules
) -> list[K]:
    """Recommended site-review list (§4(2); DESIGN 3.2 `shortlist auto`).

    Per award (quality first), the best `shortlist.max_per_award` applications with a
    document score ≥ `shortlist.min_document_score`, by score descending then key. A tie at
    the cut is broken by key, never by widening the list; the office may adjust.
    """
    section = rules.shortlist
    chosen: list[K] = []
    for award in Award:
        passing = [c for c in candidates if c[1] == award and c[2] >= section.min_document_score]
        chosen.extend(shortlist_order(passing)[: section.max_per_award])
    return chosen


def shortlist_order(candidates: Iterable[tuple[K, Award, float]]) -> list[K]:
    """The recommended shortlist's order (§4(2)): per award, quality first, by document
    score descending, then key."""
    place = {award: n for n, award in enumerate(Award)}
    ranked = sorted((place[award], -score, key) for key, award, score in candidates)
    return [key for _, _, key in ranked]
