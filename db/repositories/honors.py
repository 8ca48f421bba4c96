"""The honors register and the facts eligibility reads (§3(1), §5(3))."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Honor, Organization, OrganizationRecord
from domain.eligibility import HeldHonor, OrganizationFacts, RecordEntry
from domain.types import Award, Industry, RecordKind
from workflows.messages import HonorGrant, OrganizationEligibilityData


def eligibility_data(
    session: Session, credit_codes: Sequence[str]
) -> dict[str, OrganizationEligibilityData]:
    orgs = list(
        session.scalars(select(Organization).where(Organization.credit_code.in_(set(credit_codes))))
    )
    ids = [o.id for o in orgs]
    records: dict[int, list[RecordEntry]] = {i: [] for i in ids}
    for r in session.scalars(
        select(OrganizationRecord).where(OrganizationRecord.organization_id.in_(ids))
    ):
        records[r.organization_id].append(RecordEntry(on=r.on, kind=RecordKind(r.kind)))
    honors: dict[int, list[HeldHonor]] = {i: [] for i in ids}
    for h in session.scalars(select(Honor).where(Honor.organization_id.in_(ids))):
        honors[h.organization_id].append(
            HeldHonor(
                award=Award(h.award),
                year=h.year,
                awarded_on=h.awarded_on,
                revoked=h.revoked_on is not None,
            )
        )
    return {
        o.credit_code: OrganizationEligibilityData(
            credit_code=o.credit_code,
            facts=OrganizationFacts(
                county=o.county,
                registered_on=o.registered_on,
                industry=Industry(o.industry),
                industrial=o.industrial,
                excellence_since=o.excellence_since,
                mu_efficiency={int(y): g for y, g in o.mu_efficiency.items()},
                record=records[o.id],
            ),
            honors=honors[o.id],
        )
        for o in orgs
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
