# ruff: noqa: RUF001, RUF002, RUF003, RUF100 -- Chinese text uses full-width punctuation.
"""The simulator's supervision actions and their outcome (§2(3)3–4, §6(1), §6(3), §6(7)).

Each action goes through the same service functions as its HTTP endpoint, in a session of
its own that commits when the action succeeds (as a request's would). The outcome's
`supervision` section lists the irregularities, the reviewers' standing, the panel draws,
the winners' follow-up tasks and the panels whose spread is flagged.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from db.models import Cycle, ReviewerAppointment, ReviewerTraining
from db.repositories import cycles, reviewers
from db.repositories import supervision as rows
from domain.errors import DomainError, ErrorCode
from domain.panel_draw import exclusion
from domain.phases import Stage
from services import follow_ups, irregularities, panel_draws, review_quality, supervision
from sim import scenario as s

if TYPE_CHECKING:
    from sim.runner import Context

READS_DATABASE = frozenset(
    {
        "record_irregularity",
        "correct_irregularity",
        "close_irregularity",
        "disqualify_reviewer",
        "criticize_reviewer",
        "submit_follow_up",
        "evaluate_follow_up",
        "draw_panel",
    }
)
"""Actions that read what the workflows wrote: the simulator lets them write it first."""


def register_pool(session: Session, scenario: s.Scenario) -> None:
    """Appointment terms and training records of the scenario's reviewers (§2(3)3)."""
    found = reviewers.by_codes(session, list(scenario.reviewers))
    for key, reviewer in scenario.reviewers.items():
        if (reviewer.term_from is None) != (reviewer.term_until is None):
            raise s.ScenarioError(f"reviewers.{key}: term_from 与 term_until 须同时给出")
        if reviewer.term_from is not None and reviewer.term_until is not None:
            rows.add(
                session,
                ReviewerAppointment(
                    reviewer_id=found[key].id,
                    term_from=reviewer.term_from,
                    term_until=reviewer.term_until,
                ),
            )
        for t in reviewer.trainings:
            rows.add(
                session,
                ReviewerTraining(reviewer_id=found[key].id, on=t.on, title=t.title, hours=t.hours),
            )


def _subject(ctx: Context, action: s.RecordIrregularity) -> str:
    if action.subject is None:
        return ""
    if action.subject_kind in ("application", "panel"):
        if action.subject not in ctx.scenario.organizations:
            raise DomainError(ErrorCode.UNKNOWN_ORGANIZATION, action.subject)
        return ctx.code(action.subject)
    if action.subject_kind == "reviewer" and action.subject not in ctx.scenario.reviewers:
        raise DomainError(ErrorCode.UNKNOWN_REVIEWER, action.subject)
    return action.subject


async def perform(ctx: Context, action: Any, year: int | None) -> None:
    """One supervision action; a refusal is a `DomainError` (listed in `rejected`)."""
    now = ctx.service.now()
    async with ctx.sessions() as session:
        service = ctx.service.using(session)
        match action:
            case s.RecordIrregularity():
                await irregularities.record_irregularity(
                    session,
                    _cycle_year(year),
                    subject_kind=action.subject_kind,
                    subject=_subject(ctx, action),
                    description=action.description,
                    occurred_on=action.occurred_on or now.date(),
                    evidence=action.evidence,
                    by="scenario",
                    now=now,
                )
            case s.CorrectIrregularity():
                await irregularities.advance(
                    session, _cycle_year(year), action.number, "corrected", action.action, now
                )
            case s.CloseIrregularity():
                await irregularities.advance(
                    session, _cycle_year(year), action.number, "closed", action.note, now
                )
            case s.DisciplineIn():
                kind: supervision.DisciplineKind = (
                    "disqualification" if action.do == "disqualify_reviewer" else "criticism"
                )
                await supervision.record_discipline(
                    service,
                    action.reviewer,
                    kind,
                    action.reason,
                    action.on or now.date(),
                    "scenario",
                )
            case s.SubmitFollowUp():
                code = ctx.code(action.organization)
                honor_year, number = await _follow_up(session, code, action, now.date())
                await follow_ups.submit(
                    session, service, code, action.award, honor_year, number, action.report, now
                )
            case s.EvaluateFollowUp():
                code = ctx.code(action.organization)
                honor_year, _ = await _follow_up(session, code, action, now.date())
                task = await follow_ups.task(session, code, action.award, honor_year, action.number)
                await follow_ups.evaluate(session, task, action.evaluation, action.note, now)
            case s.DrawPanel():
                cycle_year = _cycle_year(year)
                row, _ = await panel_draws.draw(
                    session,
                    cycle_year,
                    ctx.code(action.organization),
                    Stage(action.stage),
                    on=now.date(),
                    by="scenario",
                    seed=action.seed,
                    size=action.size,
                )
                draw_id = row.id
                await session.commit()  # the draw is kept even when its adoption is refused
                if action.adopt:
                    await panel_draws.decide(
                        session,
                        service,
                        cycle_year,
                        draw_id,
                        now=now,
                        members=action.reviewers,
                        leader=action.leader,
                        reason=action.reason,
                    )
            case _:  # pragma: no cover - only the actions of READS_DATABASE come here
                raise DomainError(ErrorCode.INVALID_INPUT, f"未知动作 {action.do}")
        await session.commit()


def _cycle_year(year: int | None) -> int:
    if year is None:
        raise DomainError(ErrorCode.NOT_FOUND, "尚无评审周期")
    return year


async def _follow_up(
    session: AsyncSession, credit_code: str, action: Any, today: date
) -> tuple[int, int]:
    """The honor's year and the task's number: as given, else the holder's latest honor of
    that award and its earliest task without a report."""
    found = [
        v
        for v in await follow_ups.listing(session, today, credit_code)
        if v.honor.award == action.award and (action.year is None or v.honor.year == action.year)
    ]
    if not found:
        raise DomainError(ErrorCode.FOLLOW_UP_NOT_FOUND)
    honor_year = action.year or max(v.honor.year for v in found)
    number = getattr(action, "number", None)
    if number is None:
        waiting = [
            v.task.number
            for v in found
            if v.honor.year == honor_year and v.task.submitted_at is None
        ]
        if not waiting:
            raise DomainError(ErrorCode.FOLLOW_UP_NOT_FOUND, "没有待提交的年度跟踪报告")
        number = min(waiting)
    return honor_year, number


SUPERVISION_ACTIONS = frozenset(
    {
        "record_irregularity",
        "correct_irregularity",
        "close_irregularity",
        "disqualify_reviewer",
        "criticize_reviewer",
        "submit_follow_up",
        "evaluate_follow_up",
        "draw_panel",
    }
)


def used_by(scenario: s.Scenario) -> bool:
    """Whether the scenario asks for supervision: an action of it, or reviewer terms."""
    return any(a.do in SUPERVISION_ACTIONS for a in scenario.actions) or any(
        r.term_from is not None or r.term_until is not None or r.trainings
        for r in scenario.reviewers.values()
    )


async def collect(ctx: Context, today: date) -> dict[str, Any]:
    """The `supervision` section of the outcome (lists by year, then organization key)."""
    keys = {code: key for key, code in ctx.codes.items()}

    def key(code: str) -> str:
        return keys.get(code, code)

    async with ctx.sessions() as session:
        all_cycles: list[Cycle] = await session.run_sync(cycles.cycles)
        pool = await supervision.pool(session, today)
        records: list[dict[str, Any]] = []
        draws: list[dict[str, Any]] = []
        spreads: list[dict[str, Any]] = []
        for cycle in sorted(all_cycles, key=lambda c: (c.year, c.id)):
            for item in await session.run_sync(rows.irregularities, cycle.id):
                records.append(
                    {
                        "year": cycle.year,
                        "number": item.number,
                        "subject_kind": item.subject_kind,
                        "subject": key(item.subject)
                        if item.subject_kind in ("application", "panel")
                        else item.subject,
                        "status": item.status,
                    }
                )
            for row, code in await session.run_sync(rows.draws, cycle.id):
                excluded = {
                    c.reviewer.code: reason.value
                    for c in panel_draws.candidates(row.pool)
                    if (reason := exclusion(c, code, row.drawn_on)) is not None
                }
                draws.append(
                    {
                        "year": cycle.year,
                        "organization": key(code),
                        "stage": row.stage,
                        "seed": row.seed,
                        "drawn": list(row.drawn),
                        "leader": row.leader,
                        "excluded": excluded,
                        "status": row.status,
                        "members": row.members,
                        "reason": row.reason,
                    }
                )
            for (code, stage), spread in sorted(
                (await review_quality.spreads(session, cycle)).items()
            ):
                if spread.flagged:
                    spreads.append(
                        {
                            "year": cycle.year,
                            "organization": key(code),
                            "stage": stage.value,
                            "total_spread": spread.total_spread,
                            "item_spread": spread.item_spread,
                        }
                    )
        tasks = await follow_ups.listing(session, today)
    return {
        "irregularities": records,
        "reviewers": [
            {
                "reviewer": e.reviewer.code,
                "status": e.status,
                "disqualified_on": next(
                    (d.on.isoformat() for d in e.discipline if d.kind == "disqualification"), None
                ),
                "criticisms": sum(1 for d in e.discipline if d.kind == "criticism"),
            }
            for e in pool
        ],
        "draws": sorted(draws, key=lambda d: (d["year"], d["organization"])),
        "follow_ups": [
            {
                "organization": key(v.organization.credit_code),
                "award": v.honor.award,
                "year": v.honor.year,
                "number": v.task.number,
                "due_on": v.task.due_on.isoformat(),
                "status": v.status,
                "evaluation": v.task.evaluation,
            }
            for v in sorted(
                tasks,
                key=lambda v: (
                    v.honor.year,
                    key(v.organization.credit_code),
                    v.honor.award,
                    v.task.number,
                ),
            )
        ],
        "spread_flags": sorted(spreads, key=lambda f: (f["year"], f["organization"], f["stage"])),
    }
