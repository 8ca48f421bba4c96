# ruff: noqa: RUF001, RUF002, RUF003, RUF100 -- Chinese text uses full-width punctuation.
"""Review quality (§2(4), §6(1) 全程监督): panel spread flags and reviewer leniency.

- Spread (评分差异): a panel whose members' totals differ by more than
  `review.spread_alert_points`, or whose percentages for one rubric item differ by more than
  `review.item_spread_alert` percentage points, is flagged, so the leader and the office
  see the disagreement before a consensus score is recorded (§2(4) 组长负责制).
- Leniency (宽严度), for information: each reviewer's mean deviation from the means of the
  panels they sat on, and a z-score normalised view of a stage's totals: each reviewer's
  totals are standardised across the applications they scored (z = (x − mean_r) / sd_r),
  then rescaled to the stage's mean and spread (stage_mean + z × stage_sd); an
  application's normalised score is the mean of its members' rescaled totals. A reviewer
  with fewer than two totals, or with all totals equal, cannot be standardised: their
  totals count unchanged. Standard deviations are population ones (÷ n).
  `scoring.normalise` (default false) makes the normalised score the official stage score.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from domain.rules import ProgramRules

StageTotals = Mapping[str, Mapping[str, float]]
"""application key → reviewer → total, for one stage."""


@dataclass(frozen=True)
class Spread:
    """How far a panel's scores lie apart (§6(1)); `flagged` once either limit is passed."""

    total_spread: float | None
    item_spread: int | None
    widest_item: str | None
    flagged: bool
    reasons: tuple[str, ...]


def panel_spread(
    totals: Sequence[float],
    items: Sequence[Mapping[str, int]],
    rules: ProgramRules,
) -> Spread:
    """Spread of one panel: max − min of the totals, and the widest item (in percentage
    points) among the members who scored by item. Flagged when a spread is *more than*
    its limit (`review.spread_alert_points`, `review.item_spread_alert`): equal passes."""
    review = rules.review
    total = max(totals) - min(totals) if len(totals) >= 2 else None
    widest: str | None = None
    item: int | None = None
    if len(items) >= 2:
        codes = sorted(set().union(*(set(i) for i in items)))
        for code in codes:
            given = [i[code] for i in items if code in i]
            if len(given) >= 2 and (item is None or max(given) - min(given) > item):
                item, widest = max(given) - min(given), code
    reasons: list[str] = []
    if total is not None and total > review.spread_alert_points:
        reasons.append(
            f"评审组总分相差{total:g}分，超过{review.spread_alert_points:g}分（§6(1) 监督）"
        )
    if item is not None and item > review.item_spread_alert:
        reasons.append(
            f"评分项{widest}相差{item}个百分点，"
            f"超过{review.item_spread_alert}个百分点（§6(1) 监督）"
        )
    return Spread(total, item, widest, bool(reasons), tuple(reasons))


def _mean(values: Sequence[float]) -> float:
    return math.fsum(values) / len(values)


def _sd(values: Sequence[float]) -> float:
    mean = _mean(values)
    return math.sqrt(math.fsum((v - mean) ** 2 for v in values) / len(values))


def leniency(scores: StageTotals) -> dict[str, tuple[float, int]]:
    """Per reviewer: (mean of their total minus their panel's mean, number of totals).
    Positive means more lenient than their panels. Panels with one total say nothing."""
    deviations: dict[str, list[float]] = {}
    for panel in scores.values():
        if len(panel) < 2:
            continue
        mean = _mean(list(panel.values()))
        for reviewer, total in panel.items():
            deviations.setdefault(reviewer, []).append(total - mean)
    return {r: (_mean(d), len(d)) for r, d in sorted(deviations.items())}


def normalised_scores(scores: StageTotals) -> dict[str, float]:
    """Application key → the mean of its members' z-score normalised totals (see module)."""
    every = [total for panel in scores.values() for total in panel.values()]
    if not every:
        return {}
    stage_mean, stage_sd = _mean(every), _sd(every)
    by_reviewer: dict[str, list[float]] = {}
    for panel in scores.values():
        for reviewer, total in panel.items():
            by_reviewer.setdefault(reviewer, []).append(total)
    scale: dict[str, tuple[float, float] | None] = {}
    for reviewer, totals in by_reviewer.items():
        sd = _sd(totals)
        scale[reviewer] = (_mean(totals), sd) if len(totals) >= 2 and sd > 0 else None
    result: dict[str, float] = {}
    for key, panel in scores.items():
        if not panel:
            continue
        rescaled = []
        for reviewer, total in panel.items():
            own = scale[reviewer]
            rescaled.append(
                total if own is None else stage_mean + (total - own[0]) / own[1] * stage_sd
            )
        result[key] = min(1000.0, max(0.0, _mean(rescaled)))
    return result
