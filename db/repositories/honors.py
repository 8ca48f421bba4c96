"""The honors register and the facts eligibility reads (§3(1), §5(3))."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import cast

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from contracts.honor import HonorGrant
from contracts.records import IncidentRecord, OrganizationEligibilityData
from db.models import Honor, HonorIncident, OrganizationRecord
from db.repositories.lookups import ORGANIZATIONS
from db.repositories.projection import _insert_all_ignore
from domain.eligibility import HeldHonor, OrganizationFacts, RecordEntry
from domain.types import Award, Industry, RecordKind

_RECORDS = cast(Table, OrganizationRecord.__table__)
_HONORS = cast(Table, Honor.__table__)


def eligibility_data(
    session: Session, credit_codes: Sequence[str]
) -> dict[str, OrganizationEligibilityData]:
    """Three plain reads (organizations, their records, their honors), whatever the number."""
    connection = session.connection()
    o = ORGANIZATIONS.c
    orgs = list(
        connection.execute(
            select(
                o.id,
                o.credit_code,
                o.county,
                o.registered_on,
                o.industry,
                o.industrial,
                o.excellence_since,
                o.mu_efficiency,
            ).where(o.credit_code.in_(set(credit_codes)))
        )
    )
    ids = [org.id for org in orgs]
    records: dict[int, list[RecordEntry]] = {i: [] for i in ids}
    r = _RECORDS.c
    for organization_id, on, kind in connection.execute(
        select(r.organization_id, r.on, r.kind).where(r.organization_id.in_(ids)).order_by(r.id)
    ):
        records[organization_id].append(RecordEntry(on=on, kind=RecordKind(kind)))
    honors: dict[int, list[HeldHonor]] = {i: [] for i in ids}
    h = _HONORS.c
    for organization_id, award, year, awarded_on, revoked_on in connection.execute(
        select(h.organization_id, h.award, h.year, h.awarded_on, h.revoked_on)
        .where(h.organization_id.in_(ids))
        .order_by(h.id)
    ):
        honors[organization_id].append(
            HeldHonor(
                award=Award(award),
                year=year,
                awarded_on=awarded_on,
                revoked=revoked_on is not None,
            )
        )
    return {
        org.credit_code: OrganizationEligibilityData(
            credit_code=org.credit_code,
            facts=OrganizationFacts(
                county=org.county,
                registered_on=org.registered_on,
                industry=Industry(org.industry),
                industrial=org.industrial,
                excellence_since=org.excellence_since,
                mu_efficiency={int(y): g for y, g in org.mu_efficiency.items()},
                record=records[org.id],
            ),
            honors=honors[org.id],
        )
        for org in orgs
    }


def upsert_honor(session: Session, grant: HonorGrant) -> Honor:
    honor = session.scalar(
        select(Honor).where(
            Honor.organization_id == grant.organization_id,
            Honor.award == grant.award.value,
            Honor.year == grant.year,
        )
    )
    if honor is None:
        honor = Honor(
            organization_id=grant.organization_id,
            award=grant.award.value,
            year=grant.year,
            awarded_on=grant.awarded_on,
            bonus_cny=grant.bonus_cny,
            takes_quota_place=grant.takes_quota_place,
            valid_until=grant.valid_until,
            revocation_window_closes=grant.revocation_window_closes,
            reapply_from=grant.reapply_from,
            historical=grant.historical,
            workflow_id=grant.workflow_id,
        )
        session.add(honor)
        session.flush()
    return honor


def record_incidents(session: Session, honor_id: int, incidents: Sequence[IncidentRecord]) -> None:
    """§6(6): the honor's incident reports, each once (by its number)."""
    rows = [{"honor_id": honor_id, **i.model_dump()} for i in incidents]
    _insert_all_ignore(session, HonorIncident, ["honor_id", "number"], rows)


def incidents_of(session: Session, honor_id: int) -> list[HonorIncident]:
    query = select(HonorIncident).where(HonorIncident.honor_id == honor_id)
    return list(session.scalars(query.order_by(HonorIncident.number)))


def assessed_days(session: Session) -> dict[int, set[date]]:
    """By honor id, the days of the incidents the office has reported on it."""
    found: dict[int, set[date]] = {}
    for honor_id, day in session.execute(select(HonorIncident.honor_id, HonorIncident.occurred_on)):
        found.setdefault(honor_id, set()).add(day)
    return found


def add_record(
    session: Session, organization_id: int, on: date, kind: str, note: str, key: str | None
) -> None:
    if key is not None and session.scalar(
        select(OrganizationRecord.id).where(OrganizationRecord.source_key == key)
    ):
        return
    session.add(
        OrganizationRecord(
            organization_id=organization_id, on=on, kind=kind, note=note, source_key=key
        )
    )
