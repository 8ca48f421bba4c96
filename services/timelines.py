"""A cycle's and an honor's life as a timeline picture (`insight.timeline`), from the database.

Cycle: each phase from when it began to when the next one did (`cycles.entered`, kept by
the workflow), the application deadline and any extension, the stages' due dates, the
publicity window and the approval. Honor: validity, the 2-year revocation window (§6(6)),
the day it may be applied for again (§3(1)), the yearly follow-ups (§2(3)4, §6(3)) and a
revocation. Both are what every signed-in role may see of the cycle or the honor.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Cycle, Honor, Organization
from db.repositories import honor_reads
from domain.awards import follow_up_dates
from domain.errors import DomainError, ErrorCode
from domain.names import AWARD_NAMES, PHASE_NAMES, STAGE_NAMES
from domain.phases import PHASE_ORDER, Phase, Stage
from domain.types import Award
from insight.timeline import Mark, Span, render


def _instant(value: Any) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def cycle_spans(cycle: Cycle) -> tuple[list[Span], list[Mark]]:
    entered = sorted(
        ((Phase(p), _instant(at)) for p, at in (cycle.entered or {}).items()),
        key=lambda pair: (pair[1], PHASE_ORDER.index(pair[0])),
    )
    if not entered:  # a cycle written before phases were kept: its opening at least
        entered = [(Phase.OPEN, cycle.opened_at)]
    spans: list[Span] = []
    for n, (phase, start) in enumerate(entered):
        final = phase in (Phase.ANNOUNCED, Phase.CANCELLED)
        if final:
            continue
        end = entered[n + 1][1] if n + 1 < len(entered) else None
        spans.append(Span(PHASE_NAMES[phase], start, end))
    if cycle.publicity_opens is not None and cycle.publicity_closes is not None:
        spans.append(Span("公示期", cycle.publicity_opens, cycle.publicity_closes, "window"))
    marks: list[Mark] = []
    extensions = cycle.extensions or []
    first_deadline = next(
        (date.fromisoformat(e["previous"]) for e in extensions if e["what"] == "application"),
        cycle.application_deadline,
    )
    marks.append(Mark("申报截止", first_deadline))
    if first_deadline != cycle.application_deadline:
        marks.append(Mark("申报截止（延长后）", cycle.application_deadline))
    for stage, day in (cycle.stage_due or {}).items():
        marks.append(Mark(f"{STAGE_NAMES[Stage(stage)]}截止", date.fromisoformat(day)))
    for phase, at in entered:
        if phase == Phase.ANNOUNCED:
            marks.append(Mark("县政府审定、通报表彰", cycle.awarded_on or at, "window"))
        if phase == Phase.CANCELLED:
            marks.append(Mark("周期取消", at, "revoked"))
    return spans, marks


def cycle_svg(cycle: Cycle, today: date) -> str:
    spans, marks = cycle_spans(cycle)
    return render(f"{cycle.year}年度评审周期时间线", spans, marks, today=today)


def honor_spans(honor: Honor) -> tuple[list[Span], list[Mark]]:
    ended = honor.revoked_on
    spans = [
        Span(
            "有效期", honor.awarded_on, ended or honor.valid_until or honor.reapply_from, "window"
        ),
        Span("可撤销期（§6(6)）", honor.awarded_on, honor.revocation_window_closes, "closed"),
        Span("再次申报等待期（§3(1)）", honor.awarded_on, honor.reapply_from, "phase"),
    ]
    if honor.valid_until is None:  # the Innovation Award does not expire
        spans[0] = Span("称号（长期有效）", honor.awarded_on, ended, "window")
    marks = [Mark("获奖（审定批准）", honor.awarded_on)]
    for n, day in enumerate(follow_up_dates(honor.awarded_on, honor.valid_until), 1):
        if ended is None or day <= ended:
            marks.append(Mark(f"第{n}年跟踪报告", day))
    marks.append(Mark("可再次申报", honor.reapply_from))
    if honor.valid_until is not None:
        marks.append(Mark("有效期届满", honor.valid_until))
    if ended is not None:
        marks.append(Mark("称号撤销", ended, "revoked"))
    return spans, marks


async def honor_svg(
    session: AsyncSession, credit_code: str, award: Award, year: int, today: date
) -> str:
    found = await session.run_sync(honor_reads.one, credit_code, award.value, year)
    if found is None:
        raise DomainError(ErrorCode.HONOR_NOT_FOUND, f"{credit_code} {year}年{AWARD_NAMES[award]}")
    return honor_picture(*found, today)


def honor_picture(honor: Honor, holder: Organization, today: date) -> str:
    spans, marks = honor_spans(honor)
    award = AWARD_NAMES[Award(honor.award)]
    return render(f"{holder.name} {honor.year}年{award}称号时间线", spans, marks, today=today)
