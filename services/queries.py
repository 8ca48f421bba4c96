"""Read models from the database projection: cycles, applications, honors, notices."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Application, Cycle, Honor, Notice, Organization
from domain.awards import HonorDates, honor_status
from domain.scoring import round_half_up


def _score(value: float | None) -> float | None:
    return None if value is None else round_half_up(value)


class ApplicationView(BaseModel):
    credit_code: str
    name: str
    award: str
    outcome: str
    reasons: list[str]
    document_score: float | None
    site_score: float | None
    total_score: float | None


class CycleView(BaseModel):
    year: int
    workflow_id: str
    phase: str
    application_deadline: date
    publicity_opens: datetime | None
    publicity_closes: datetime | None
    awarded_on: date | None
    attention: str | None
    winners: dict[str, list[str]]
    applications: list[ApplicationView]


class HonorView(BaseModel):
    credit_code: str
    name: str
    award: str
    year: int
    awarded_on: date
    bonus_cny: int
    takes_quota_place: bool
    status: str
    valid_until: date | None
    revocation_window_closes: date
    reapply_from: date
    revoked_on: date | None
    revocation_reason: str | None
    bonus_recovered_cny: int
    pending_revocation: str | None


class NoticeView(BaseModel):
    kind: str
    on: date
    audience: str
    credit_code: str | None
    title: str
    body: str
    published_at: datetime


async def cycles(session: AsyncSession, year: int | None = None) -> list[CycleView]:
    query = select(Cycle).order_by(Cycle.year, Cycle.id)
    if year is not None:
        query = query.where(Cycle.year == year)
    views = []
    for cycle in await session.scalars(query):
        rows = await session.execute(
            select(Application, Organization)
            .join(Organization, Organization.id == Application.organization_id)
            .where(Application.cycle_id == cycle.id)
            .order_by(Organization.credit_code)
        )
        apps = [
            ApplicationView(
                credit_code=org.credit_code,
                name=org.name,
                award=app.award,
                outcome=app.outcome,
                reasons=[r["reason"] for r in app.reasons],
                document_score=_score(app.document_score),
                site_score=_score(app.site_score),
                total_score=_score(app.total_score),
            )
            for app, org in rows.all()
        ]
        views.append(
            CycleView(
                year=cycle.year,
                workflow_id=cycle.workflow_id,
                phase=cycle.phase,
                application_deadline=cycle.application_deadline,
                publicity_opens=cycle.publicity_opens,
                publicity_closes=cycle.publicity_closes,
                awarded_on=cycle.awarded_on,
                attention=cycle.attention,
                winners={k: list(v) for k, v in cycle.winners.items()},
                applications=apps,
            )
        )
    return views


async def honors(session: AsyncSession, on: date, *, active_only: bool = False) -> list[HonorView]:
    """The honors register with each honor's status on `on` (§5(3), §6)."""
    rows = await session.execute(
        select(Honor, Organization)
        .join(Organization, Organization.id == Honor.organization_id)
        .order_by(Honor.year, Organization.credit_code, Honor.award)
    )
    views = []
    for honor, org in rows.all():
        dates = HonorDates(
            valid_until=honor.valid_until,
            revocation_window_closes=honor.revocation_window_closes,
            reapply_from=honor.reapply_from,
            validity_expiring_on=None,
        )
        status = honor_status(dates, honor.revoked_on, on)
        if active_only and status != "active":
            continue
        views.append(
            HonorView(
                credit_code=org.credit_code,
                name=org.name,
                award=honor.award,
                year=honor.year,
                awarded_on=honor.awarded_on,
                bonus_cny=honor.bonus_cny,
                takes_quota_place=honor.takes_quota_place,
                status=status,
                valid_until=honor.valid_until,
                revocation_window_closes=honor.revocation_window_closes,
                reapply_from=honor.reapply_from,
                revoked_on=honor.revoked_on,
                revocation_reason=honor.revocation_reason,
                bonus_recovered_cny=honor.bonus_recovered_cny,
                pending_revocation=honor.pending_revocation,
            )
        )
    return views


async def notices(
    session: AsyncSession, *, audience: str | None = None, credit_code: str | None = None
) -> list[NoticeView]:
    query = (
        select(Notice, Organization.credit_code)
        .outerjoin(Organization, Organization.id == Notice.organization_id)
        .order_by(
            Notice.published_at, Notice.kind, Notice.audience, Organization.credit_code, Notice.id
        )
    )
    if audience is not None:
        query = query.where(Notice.audience == audience)
    if credit_code is not None:
        query = query.where(Organization.credit_code == credit_code)
    rows = await session.execute(query)
    return [
        NoticeView(
            kind=n.kind,
            on=n.on,
            audience=n.audience,
            credit_code=code,
            title=n.title,
            body=n.body,
            published_at=n.published_at,
        )
        for n, code in rows.all()
    ]
