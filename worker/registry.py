"""The worker's workflows and activities, in one place (a test pins these lists)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client
from temporalio.worker import UnsandboxedWorkflowRunner, Worker, WorkflowRunner

from activities.notices import NoticeActivities
from activities.records import RecordsActivities
from db.session import Database
from workflows.cycle import AwardCycleWorkflow
from workflows.honor import HonorWorkflow

WORKFLOWS: Sequence[type] = (AwardCycleWorkflow, HonorWorkflow)


def activities(
    client: Client, sessions: async_sessionmaker[AsyncSession]
) -> list[Callable[..., Any]]:
    db = Database(sessions)
    records = RecordsActivities(db, client)
    notices = NoticeActivities(db)
    return [
        records.load_eligibility_facts,
        records.project_cycle,
        records.project_honor,
        notices.publish_notices,
    ]


def workflow_runner() -> WorkflowRunner:
    """Workflow code runs without the SDK's sandbox (the bench's engine floor likewise).

    The sandbox re-imports the workflow modules for every run and re-enters itself for
    every payload; on our load it doubled the cost of a command (`make bench`, README
    "Decisions"). Determinism is guarded instead by `domain/` being pure and by the replay
    test, which replays the saved histories inside the sandbox, so a forbidden call on
    those paths (clock, randomness, I/O) fails the suite.
    """
    return UnsandboxedWorkflowRunner()


def build_worker(
    client: Client,
    task_queue: str,
    sessions: async_sessionmaker[AsyncSession],
    **options: Any,
) -> Worker:
    return Worker(
        client,
        task_queue=task_queue,
        workflows=list(WORKFLOWS),
        activities=activities(client, sessions),
        workflow_runner=workflow_runner(),
        **options,
    )
