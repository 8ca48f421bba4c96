# ruff: noqa: RUF001, RUF002, RUF003, RUF100 -- Chinese text uses full-width punctuation.
"""随机抽取: a fair, reproducible panel draw for an application and stage (§2(4), §6(1)).

The office asks for a draw; the candidate pool (every reviewer with what the rule needs:
expertise, employer, ties, term, disqualification, seats held in the cycle), the seed and
the result are kept, so the supervisor can reproduce it (`reproduce`). The office then
adopts the drawn panel or adjusts it; an adjustment needs its reason, and both are
recorded. Adopting assigns the panel through the cycle (the same command as any
assignment, with the same checks). The rule itself is `domain.panel_draw.draw_panel`.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from db.models import PanelDraw
from db.repositories import applications as application_rows
from db.repositories import reviewers
from db.repositories import supervision as rows
from domain.errors import DomainError, ErrorCode
from domain.panel_draw import Appointment, DrawCandidate, DrawResult, draw_panel
from domain.panels import PanelCandidate
from domain.phases import Stage
from domain.rules import load_rules
from services.registry import find_organization
from services.supervision import appointments_on
from services.views import find_cycle

if TYPE_CHECKING:
    from services.awards import AwardService

SEED_LIMIT = 2**31
"""Seeds fit the column (int4) and are easy to read out to a supervisor."""


def _pool_snapshot(session: Session, cycle_id: int, on: date) -> list[dict[str, Any]]:
    pool = [r for r in reviewers.all_reviewers(session) if r.active]
    facts = reviewers.panel_facts(session, [r.code for r in pool])
    standing = appointments_on(session, [r.id for r in pool], on)
    loads = rows.seat_loads(session, cycle_id)
    return [
        {
            "code": r.code,
            "employer_credit_code": facts[r.code].employer_credit_code,
            "industries": list(facts[r.code].industries),
            "tied_credit_codes": list(facts[r.code].tied_credit_codes),
            "term_from": _iso(standing[r.id].term_from),
            "term_until": _iso(standing[r.id].term_until),
            "disqualified_on": _iso(standing[r.id].disqualified_on),
            "load": loads.get(r.id, 0),
        }
        for r in pool
    ]


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def _day(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def candidates(snapshot: list[dict[str, Any]]) -> list[DrawCandidate]:
    """The kept pool as the rule reads it."""
    return [
        DrawCandidate(
            reviewer=PanelCandidate(
                code=c["code"],
                employer_credit_code=c["employer_credit_code"],
                industries=c["industries"],
                tied_credit_codes=c["tied_credit_codes"],
            ),
            appointment=Appointment(
                term_from=_day(c["term_from"]),
                term_until=_day(c["term_until"]),
                disqualified_on=_day(c["disqualified_on"]),
            ),
            load=c["load"],
        )
        for c in snapshot
    ]


def _draw(
    session: Session,
    cycle_id: int,
    credit_code: str,
    stage: Stage,
    seed: int,
    size: int,
    on: date,
    by: str,
) -> tuple[PanelDraw, DrawResult]:
    found = application_rows.with_organizations(session, cycle_id, credit_code)
    if not found:
        raise DomainError(
            ErrorCode.NOT_FOUND, f"本届评审中没有统一社会信用代码为 {credit_code} 的申报"
        )
    app, org = found[0]
    snapshot = _pool_snapshot(session, cycle_id, on)
    result = draw_panel(candidates(snapshot), org.credit_code, org.industry, size, seed, on)
    row = PanelDraw(
        cycle_id=cycle_id,
        application_id=app.id,
        stage=stage.value,
        seed=seed,
        size=size,
        drawn_on=on,
        pool=snapshot,
        drawn=result.members,
        leader=result.leader,
        drawn_by=by,
    )
    rows.add(session, row)
    return row, result


async def draw(
    session: AsyncSession,
    year: int,
    credit_code: str,
    stage: Stage,
    *,
    on: date,
    by: str,
    seed: int | None = None,
    size: int | None = None,
) -> tuple[PanelDraw, DrawResult]:
    """Draw and keep a panel; `seed` given reproduces a known draw, else a fresh one."""
    cycle = await find_cycle(session, year)
    if cycle.phase in ("announced", "cancelled"):
        raise DomainError(ErrorCode.CYCLE_CLOSED)
    rules = load_rules(cycle.rules)  # the cycle's own copy of the rules in force
    chosen = secrets.randbelow(SEED_LIMIT) if seed is None else seed
    if not 0 <= chosen < SEED_LIMIT:
        raise DomainError(ErrorCode.INVALID_INPUT, f"随机种子须在0至{SEED_LIMIT - 1}之间")
    wanted = size if size is not None else rules.panel.min_size
    if wanted < rules.panel.min_size:
        raise DomainError(ErrorCode.PANEL_TOO_SMALL)
    return await session.run_sync(
        _draw, cycle.id, credit_code.strip().upper(), stage, chosen, wanted, on, by
    )


async def find(session: AsyncSession, year: int, draw_id: int) -> tuple[PanelDraw, str]:
    cycle = await find_cycle(session, year)
    found = await session.run_sync(rows.draw, cycle.id, draw_id)
    if found is None:
        raise DomainError(ErrorCode.DRAW_NOT_FOUND, f"第{draw_id}号")
    return found


async def listing(session: AsyncSession, year: int) -> list[tuple[PanelDraw, str]]:
    cycle = await find_cycle(session, year)
    return await session.run_sync(rows.draws, cycle.id)


async def reproduce(session: AsyncSession, row: PanelDraw, credit_code: str) -> DrawResult:
    """The draw again from what was kept: the supervisor compares it with `row.drawn`."""
    org = await session.run_sync(find_organization, credit_code)
    return draw_panel(
        candidates(row.pool), credit_code, org.industry, row.size, row.seed, row.drawn_on
    )


async def decide(
    session: AsyncSession,
    service: AwardService,
    year: int,
    draw_id: int,
    *,
    now: datetime,
    members: list[str] | None = None,
    leader: str | None = None,
    reason: str | None = None,
) -> PanelDraw:
    """Adopt the drawn panel, or adjust it with a reason; either way it is assigned."""
    row, credit_code = await find(session, year, draw_id)
    if row.status != "drawn":
        raise DomainError(ErrorCode.DRAW_DECIDED)
    chosen = members if members is not None else list(row.drawn)
    head = leader if leader is not None else (row.leader if row.leader in chosen else chosen[0])
    adjusted = chosen != list(row.drawn) or head != row.leader
    if adjusted and not (reason or "").strip():
        raise DomainError(ErrorCode.ADJUSTMENT_REASON_REQUIRED)
    # The cycle assigns first (its own write); this record follows in the caller's session.
    await service.assign_panel(year, credit_code, Stage(row.stage), chosen, head)
    row.status = "adjusted" if adjusted else "adopted"
    row.members, row.adopted_leader = chosen, head
    row.reason = reason if adjusted else None
    row.decided_at = now
    await session.flush()
    return row
