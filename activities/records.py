"""Database activities of the workflows: facts, projection, honors register, credit records.

Class-based with the database injected (`db.session.Database`): each activity is one
synchronous unit of work in one transaction, and idempotent (upserts by natural key), so
Temporal's retries are safe.
"""

from __future__ import annotations

import contextlib

from sqlalchemy.orm import Session
from temporalio import activity
from temporalio.client import Client
from temporalio.exceptions import WorkflowAlreadyStartedError

from activities.delivery import DeliveryWaker
from contracts.notices import NoticeDraft
from contracts.records import (
    ApplicationsPage,
    ApplicationStates,
    CycleProjection,
    FactsRequest,
    FactsResponse,
    HonorProjection,
    VoteBallots,
    VoteKey,
)
from db.models import Honor
from db.repositories.applications import candidate_names
from db.repositories.honors import add_record, eligibility_data, record_incidents, upsert_honor
from db.repositories.lookups import organization_ids
from db.repositories.notices import insert_notices
from db.repositories.projection import (
    application_states,
    create_tasks,
    vote_ballots,
    write_projection,
)
from db.repositories.supervision import write_follow_ups
from db.session import Database
from services.documents import carrying, publish_with_documents
from workflows import notice_texts


class RecordsActivities:
    def __init__(self, db: Database, client: Client, waker: DeliveryWaker | None = None) -> None:
        self._db = db
        self._client = client
        self._waker = waker
        """Wakes the delivery after a write that published notices (issue #15)."""

    async def _wake_delivery(self, published: bool) -> None:
        if published and self._waker is not None:
            await self._waker.wake(activity.info().task_queue)

    @activity.defn(name="load-eligibility-facts")
    async def load_eligibility_facts(self, request: FactsRequest) -> FactsResponse:
        """Declared facts, dated records and held honors of the applicants (E1–E8)."""
        data = await self._db.run(eligibility_data, request.credit_codes)
        return FactsResponse(organizations=data)

    @activity.defn(name="load-cycle-applications")
    async def load_cycle_applications(self, page: ApplicationsPage) -> ApplicationStates:
        """A page of the applications a cycle wrote, for its run after continue-as-new."""
        states = await self._db.run(application_states, page.workflow_id, page.offset, page.limit)
        return ApplicationStates(applications=states)

    @activity.defn(name="load-vote-ballots")
    async def load_vote_ballots(self, key: VoteKey) -> VoteBallots:
        """One vote's ballots, for a cycle's run after continue-as-new."""
        ballots = await self._db.run(vote_ballots, key.workflow_id, key.award, key.round)
        return VoteBallots(ballots=ballots)

    @activity.defn(name="project-cycle")
    async def project_cycle(self, projection: CycleProjection) -> None:
        """The cycle's changes and what they caused — notices, the departments' verification
        tasks (§4(1)), new honors in the register (§5(1)) — in one transaction; then each
        new honor's workflow is started (after the commit, STYLE.md 5; a retry finds it
        started). Honors are not the cycle's children: a child completing after its parent
        has closed (a revocation years later) stalls the time-skipping server, and an honor
        owes its parent nothing."""
        carried = carrying(projection.notices)
        if carried:
            rest = [n for n in projection.notices if n not in carried]
            projection = projection.model_copy(update={"notices": rest})
        await self._db.run(_project_cycle, projection)
        if carried:
            await publish_with_documents(self._db.run, projection.workflow_id, carried)
        await self._wake_delivery(bool(projection.notices) or bool(carried))
        # Imported here: the workflow modules import this one (their activities).
        from workflows.honor import HonorWorkflow

        for honor in projection.honors:
            with contextlib.suppress(WorkflowAlreadyStartedError):
                await self._client.start_workflow(
                    HonorWorkflow.run,
                    honor,
                    id=honor.workflow_id,
                    task_queue=activity.info().task_queue,
                )

    @activity.defn(name="project-honor")
    async def project_honor(self, projection: HonorProjection) -> None:
        """An honor's register row, with its revocation notice and, for fraud, the credit
        record entry (§6(2): it then fails E5), in one transaction."""
        await self._db.run(_project_honor, projection)
        await self._wake_delivery(bool(projection.notices))


def _project_cycle(session: Session, projection: CycleProjection) -> None:
    write_projection(session, projection)
    if projection.verification:
        create_tasks(session, projection.workflow_id, projection.verification)
    for honor in projection.honors:
        upsert_honor(session, honor.grant)
    if projection.notices:
        insert_notices(session, _rendered(session, projection.workflow_id, projection.notices))


def _rendered(session: Session, workflow_id: str, drafts: list[NoticeDraft]) -> list[NoticeDraft]:
    """The drafts, a candidate list's body rendered from the applications' rows (their
    names and places, written by this write's earlier pieces or before it)."""
    if not any(d.listing for d in drafts):
        return drafts
    return [
        notice_texts.with_candidates(d, candidate_names(session, workflow_id))
        if d.listing == notice_texts.CANDIDATE_LIST
        else d
        for d in drafts
    ]


def _project_honor(session: Session, projection: HonorProjection) -> None:
    honor: Honor = upsert_honor(session, projection.grant)
    honor.pending_revocation = projection.pending_revocation
    honor.revoked_on = projection.revoked_on
    honor.revocation_reason = projection.revocation_reason
    honor.bonus_recovered_cny = projection.bonus_recovered_cny
    entry = projection.credit_record
    if entry is not None:
        ids = organization_ids(session, [entry.credit_code])
        add_record(
            session, ids[entry.credit_code], entry.on, "credit_record", entry.note, entry.key
        )
    if projection.incidents:  # §6(6)
        record_incidents(session, honor.id, projection.incidents)
    if projection.follow_ups:  # §2(3)4, §6(3)
        write_follow_ups(session, honor.id, projection.follow_ups)
    if projection.notices:
        insert_notices(session, projection.notices)
