"""Database activities of the workflows: facts, projection, honors register, credit records.

Class-based with the database injected (`db.session.Database`): each activity is one
synchronous unit of work in one transaction, and idempotent (upserts by natural key), so
Temporal's retries are safe.
"""

from __future__ import annotations

from sqlalchemy.orm import Session
from temporalio import activity

from db.models import Honor
from db.repositories.honors import add_record, eligibility_data, upsert_honor
from db.repositories.lookups import organization_ids
from db.repositories.notices import insert_notices
from db.repositories.projection import create_tasks, write_projection
from db.session import Database
from workflows.honor_messages import CreditRecordEntry, HonorProjection
from workflows.messages import (
    CycleProjection,
    FactsRequest,
    FactsResponse,
    HonorGrants,
    VerificationRequest,
)


class RecordsActivities:
    def __init__(self, db: Database) -> None:
        self._db = db

    @activity.defn(name="load-eligibility-facts")
    async def load_eligibility_facts(self, request: FactsRequest) -> FactsResponse:
        """Declared facts, dated records and held honors of the applicants (E1–E8)."""
        data = await self._db.run(eligibility_data, request.credit_codes)
        return FactsResponse(organizations=data)

    @activity.defn(name="create-verification-tasks")
    async def create_verification_tasks(self, request: VerificationRequest) -> int:
        """One task per department and application (§4(1)); a retry creates nothing new."""
        return await self._db.run(create_tasks, request.workflow_id, request.credit_codes)

    @activity.defn(name="project-cycle")
    async def project_cycle(self, projection: CycleProjection) -> None:
        """The cycle's changes and the notices they caused, in one transaction."""
        await self._db.run(_project_cycle, projection)

    @activity.defn(name="register-honors")
    async def register_honors(self, grants: HonorGrants) -> None:
        """Add the approved winners to the honors register (§5(1))."""
        await self._db.run(_register_honors, grants)

    @activity.defn(name="project-honor")
    async def project_honor(self, projection: HonorProjection) -> None:
        await self._db.run(_project_honor, projection)

    @activity.defn(name="add-credit-record")
    async def add_credit_record(self, entry: CreditRecordEntry) -> None:
        """§6(2): a fraud revocation goes into the credit record (it then fails E5)."""
        await self._db.run(_add_credit_record, entry)


def _project_cycle(session: Session, projection: CycleProjection) -> None:
    write_projection(session, projection)
    if projection.notices:
        insert_notices(session, projection.notices)


def _register_honors(session: Session, grants: HonorGrants) -> None:
    for grant in grants.grants:
        upsert_honor(session, grant)


def _project_honor(session: Session, projection: HonorProjection) -> None:
    honor: Honor = upsert_honor(session, projection.grant)
    honor.pending_revocation = projection.pending_revocation
    honor.revoked_on = projection.revoked_on
    honor.revocation_reason = projection.revocation_reason
    honor.bonus_recovered_cny = projection.bonus_recovered_cny


def _add_credit_record(session: Session, entry: CreditRecordEntry) -> None:
    ids = organization_ids(session, [entry.credit_code])
    add_record(session, ids[entry.credit_code], entry.on, "credit_record", entry.note, entry.key)
