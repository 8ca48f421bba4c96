"""Database activities of the workflows: facts, projection, honors register, credit records.

Class-based with the session factory injected; each activity is one transaction and is
idempotent (upserts by natural key), so Temporal's retries are safe.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio import activity

from db.models import Honor
from db.repositories.honors import add_record, eligibility_data, upsert_honor
from db.repositories.lookups import organization_ids
from db.repositories.notices import insert_notices
from db.repositories.projection import create_tasks, write_projection
from db.session import transaction
from workflows.honor_messages import CreditRecordEntry, HonorProjection
from workflows.messages import (
    CycleProjection,
    FactsRequest,
    FactsResponse,
    HonorGrants,
    VerificationRequest,
)


class RecordsActivities:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    @activity.defn(name="load-eligibility-facts")
    async def load_eligibility_facts(self, request: FactsRequest) -> FactsResponse:
        """Declared facts, dated records and held honors of the applicants (E1–E8)."""
        async with transaction(self._sessions) as session:
            data = await eligibility_data(session, request.credit_codes)
        return FactsResponse(organizations=data)

    @activity.defn(name="create-verification-tasks")
    async def create_verification_tasks(self, request: VerificationRequest) -> int:
        """One task per department and application (§4(1)); a retry creates nothing new."""
        async with transaction(self._sessions) as session:
            return await create_tasks(session, request.workflow_id, request.credit_codes)

    @activity.defn(name="project-cycle")
    async def project_cycle(self, projection: CycleProjection) -> None:
        """The cycle's changes and the notices they caused, in one transaction."""
        async with transaction(self._sessions) as session:
            await write_projection(session, projection)
            if projection.notices:
                await insert_notices(session, projection.notices)

    @activity.defn(name="register-honors")
    async def register_honors(self, grants: HonorGrants) -> None:
        """Add the approved winners to the honors register (§5(1))."""
        async with transaction(self._sessions) as session:
            for grant in grants.grants:
                await upsert_honor(session, grant)

    @activity.defn(name="project-honor")
    async def project_honor(self, projection: HonorProjection) -> None:
        async with transaction(self._sessions) as session:
            honor: Honor = await upsert_honor(session, projection.grant)
            honor.pending_revocation = projection.pending_revocation
            honor.revoked_on = projection.revoked_on
            honor.revocation_reason = projection.revocation_reason
            honor.bonus_recovered_cny = projection.bonus_recovered_cny

    @activity.defn(name="add-credit-record")
    async def add_credit_record(self, entry: CreditRecordEntry) -> None:
        """§6(2): a fraud revocation goes into the credit record (it then fails E5)."""
        async with transaction(self._sessions) as session:
            ids = await organization_ids(session, [entry.credit_code])
            await add_record(
                session, ids[entry.credit_code], entry.on, "credit_record", entry.note, entry.key
            )
