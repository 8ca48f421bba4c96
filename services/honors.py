"""The honors register (获奖名录) as read from the projection, and incident reports (§5, §6)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.honor import IncidentCommand
from db.models import HonorIncident
from db.repositories import honor_reads
from db.repositories import honors as honor_rows
from domain.awards import HonorDates, honor_status
from domain.types import Award
from services.accounts import Role, Viewer
from services.awards import AwardService
from services.schemas import IncidentReport


class HonorView(BaseModel):
    id: int
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


async def honors(session: AsyncSession, on: date, *, active_only: bool = False) -> list[HonorView]:
    """The honors register with each honor's status on `on` (§5(3), §6)."""
    views = []
    for honor, org in await session.run_sync(honor_reads.register):
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
                id=honor.id,
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


async def visible_honors(session: AsyncSession, viewer: Viewer, on: date) -> list[HonorView]:
    """The register as `viewer` may read it: officials all of it, an applicant its own."""
    found = await honors(session, on)
    if viewer.role == Role.APPLICANT:
        found = [h for h in found if h.credit_code == viewer.credit_code]
    return found


async def report_incident(
    service: AwardService, credit_code: str, award: Award, year: int | None, report: IncidentReport
) -> bool:
    """§6(6): the accident as the honor's workflow takes it; returns whether the report is a
    revocation proposal."""
    command = IncidentCommand.model_validate(report.model_dump())
    return await service.report_incident(credit_code.strip().upper(), award, year, command)


async def incidents(session: AsyncSession, honor_id: int) -> list[HonorIncident]:
    """§6(6): the incidents the office reported on the honor, first first."""
    return await session.run_sync(honor_rows.incidents_of, honor_id)
