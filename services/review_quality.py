# ruff: noqa: RUF001, RUF002, RUF003, RUF100 -- Chinese text uses full-width punctuation.
"""Review quality reads (§2(4), §6(1)): panel spread flags and reviewer leniency, from the
scores as the database holds them; the rules are `domain.review_quality`.

Spread is shown to the office, the supervisor and the committee, and to the panel's leader
(组长) before a consensus score is recorded; the leniency report and the normalised
scores are for the office, the supervisor and the committee, beside the official totals.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Cycle
from db.repositories import supervision as rows
from domain.phases import Stage
from domain.review_quality import Spread, leniency, normalised_scores, panel_spread
from domain.rules import ProgramRules, load_rules
from services.views import find_cycle

Key = tuple[str, Stage]


def cycle_rules(cycle: Cycle) -> ProgramRules:
    return load_rules(cycle.rules)


async def spreads(session: AsyncSession, cycle: Cycle) -> dict[Key, Spread]:
    """(credit code, stage) → the spread of that panel's current scores."""
    rules = cycle_rules(cycle)
    found: dict[Key, Spread] = {}
    for stage in Stage:
        by_app: dict[str, tuple[list[float], list[dict[str, int]]]] = {}
        for code, _, total, items in await session.run_sync(
            rows.stage_scores, cycle.id, stage.value
        ):
            totals, given = by_app.setdefault(code, ([], []))
            totals.append(total)
            if items:
                given.append(items)
        for code, (totals, given) in by_app.items():
            found[(code, stage)] = panel_spread(totals, given, rules)
    return found


@dataclass(frozen=True)
class ReviewerLeniency:
    reviewer: str
    mean_deviation: float
    panels: int


@dataclass(frozen=True)
class StageQuality:
    stage: Stage
    normalise_official: bool
    reviewers: list[ReviewerLeniency]
    normalised: dict[str, float]
    spreads: dict[str, Spread]


async def stage_quality(session: AsyncSession, year: int, stage: Stage) -> StageQuality:
    cycle = await find_cycle(session, year)
    scores: dict[str, dict[str, float]] = {}
    for code, reviewer, total, _ in await session.run_sync(
        rows.stage_scores, cycle.id, stage.value
    ):
        scores.setdefault(code, {})[reviewer] = total
    every = await spreads(session, cycle)
    return StageQuality(
        stage=stage,
        normalise_official=cycle_rules(cycle).scoring.normalise,
        reviewers=[ReviewerLeniency(r, d, n) for r, (d, n) in leniency(scores).items()],
        normalised=normalised_scores(scores),
        spreads={code: s for (code, st), s in every.items() if st == stage},
    )
