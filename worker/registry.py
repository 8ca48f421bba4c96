"""The worker's workflows and activities, in one place (a test pins these lists)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client
from temporalio.worker import Worker

from activities.notices import NoticeActivities
from activities.records import RecordsActivities
from workflows.cycle import AwardCycleWorkflow
from workflows.honor import HonorWorkflow

WORKFLOWS: Sequence[type] = (AwardCycleWorkflow, HonorWorkflow)


def activities(sessions: async_sessionmaker[AsyncSession]) -> list[Callable[..., Any]]:
    records = RecordsActivities(sessions)
    notices = NoticeActivities(sessions)
    return [
        records.load_eligibility_facts,
        records.create_verification_tasks,
        records.project_cycle,
        records.register_honors,
        records.project_honor,
        records.add_credit_record,
        notices.publish_notices,
    ]


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
        activities=activities(sessions),
        **options,
    )
