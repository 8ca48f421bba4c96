"""The worker's workflows and activities, in one place (a test pins these lists)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client
from temporalio.worker import UnsandboxedWorkflowRunner, Worker, WorkflowRunner
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner, SandboxRestrictions

from activities.delivery import DeliveryActivities
from activities.notices import NoticeActivities
from activities.records import RecordsActivities
from db.session import Database
from worker.delivery import DeliveryConfig
from workflows.cycle import AwardCycleWorkflow
from workflows.delivery import DeliveryWorkflow
from workflows.honor import HonorWorkflow

WORKFLOWS: Sequence[type] = (AwardCycleWorkflow, HonorWorkflow, DeliveryWorkflow)


def activities(
    client: Client,
    sessions: async_sessionmaker[AsyncSession],
    delivery: DeliveryConfig | None = None,
) -> list[Callable[..., Any]]:
    """`delivery` None (no SMTP relay configured): notices stay in the outbox, unsent."""
    db = Database(sessions)
    waker = delivery.waker(client) if delivery is not None else None
    records = RecordsActivities(db, client, waker)
    notices = NoticeActivities(db, waker)
    sending = DeliveryActivities(db, delivery.mail if delivery is not None else None)
    return [
        records.load_eligibility_facts,
        records.load_cycle_applications,
        records.load_vote_ballots,
        records.project_cycle,
        records.project_honor,
        notices.publish_notices,
        sending.route_deliveries,
        sending.prepare_digests,
        sending.send_delivery,
    ]


def workflow_runner() -> WorkflowRunner:
    """The SDK's sandbox, with the pure modules passed through (imported once, not per run).

    `domain/` and `contracts/` are deterministic by construction (no clock, I/O or
    randomness: `tests/domain/test_purity.py`), and pydantic is what their models are made
    of; re-importing them for every workflow run is what made the sandbox costly.
    """
    return SandboxedWorkflowRunner(
        restrictions=SandboxRestrictions.default.with_passthrough_modules(*PASSTHROUGH)
    )


PURE_WORKFLOW_MODULES = (
    "workflows.cycle_carry",
    "workflows.cycle_checks",
    "workflows.cycle_progress",
    "workflows.cycle_transitions",
    "workflows.effects",
    "workflows.honor_texts",
    "workflows.honor_transitions",
    "workflows.notice_texts",
)
PASSTHROUGH = (
    "domain",
    "contracts",
    *PURE_WORKFLOW_MODULES,
    "pydantic",
    "pydantic_core",
    "annotated_types",
    "yaml",
)


def build_worker(
    client: Client,
    task_queue: str,
    sessions: async_sessionmaker[AsyncSession],
    *,
    delivery: DeliveryConfig | None = None,
    sandboxed: bool = True,
    **options: Any,
) -> Worker:
    """The worker of every workflow and activity; `sandboxed=False` only for a throwaway
    run whose history nobody keeps (`sim.runner.run_scenario(throwaway=True)`)."""
    return Worker(
        client,
        task_queue=task_queue,
        workflows=list(WORKFLOWS),
        activities=activities(client, sessions, delivery),
        workflow_runner=workflow_runner() if sandboxed else UnsandboxedWorkflowRunner(),
        **options,
    )
