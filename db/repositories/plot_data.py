"""What the plots (`services.plots`, issue #18) read of a cycle: its panels' current seats and
the totals their members gave. Synchronous, in the caller's session; nothing commits."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from db.models import Application, PanelMember, Reviewer, Score


@dataclass(frozen=True)
class Seat:
    """A current (not withdrawn) seat on a panel and the total given in it, if any."""

    application_id: int
    stage: str
    reviewer_id: int
    reviewer_code: str
    reviewer_name: str
    leader: bool
    total: float | None


def seats(session: Session, cycle_id: int) -> list[Seat]:
    """Every current seat of the cycle's panels with its total, by application, stage and
    the order the members were named."""
    query = (
        select(PanelMember, Reviewer, Score.total)
        .join(Application, Application.id == PanelMember.application_id)
        .join(Reviewer, Reviewer.id == PanelMember.reviewer_id)
        .outerjoin(
            Score,
            and_(
                Score.application_id == PanelMember.application_id,
                Score.stage == PanelMember.stage,
                Score.reviewer_id == PanelMember.reviewer_id,
            ),
        )
        .where(Application.cycle_id == cycle_id, PanelMember.withdrawn.is_(False))
        .order_by(PanelMember.application_id, PanelMember.stage, PanelMember.id)
    )
    return [
        Seat(
            application_id=seat.application_id,
            stage=seat.stage,
            reviewer_id=seat.reviewer_id,
            reviewer_code=reviewer.code,
            reviewer_name=reviewer.name,
            leader=seat.leader,
            total=total,
        )
        for seat, reviewer, total in session.execute(query)
    ]
