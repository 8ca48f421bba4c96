"""Mock activities under the real names, for workflow tests that need no database.

`Recorder` keeps what the workflows asked to write: the cycle projections by workflow id
(in revision order) and the honor projections. Facts: every organization is eligible.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import date
from typing import Any

from temporalio import activity
from temporalio.client import Client
from temporalio.exceptions import ApplicationError
from temporalio.worker import Worker

from contracts.cycle import ApplicationState
from contracts.notices import NoticeBatch
from contracts.records import (
    CycleProjection,
    FactsRequest,
    FactsResponse,
    HonorProjection,
    OrganizationEligibilityData,
)
from domain.eligibility import OrganizationFacts
from domain.types import Industry
from worker.registry import WORKFLOWS, workflow_runner

ELIGIBLE = OrganizationFacts(
    county="庆元县",
    registered_on=date(2010, 1, 1),
    industry=Industry.SERVICES,
    industrial=False,
    excellence_since=date(2015, 1, 1),
    mu_efficiency={},
    record=[],
)


class Recorder:
    def __init__(self, facts_delay: float = 0.0) -> None:
        self.cycles: dict[str, list[CycleProjection]] = defaultdict(list)
        self.honors: list[HonorProjection] = []
        self.notices: list[str] = []
        self.facts_delay = facts_delay
        self.fail_cycle_writes = False
        """Every `project-cycle` fails at once (not retried): the write is stuck."""
        self.fail_honor_writes = False
        """The same for `project-honor`."""

    def last(self, workflow_id: str) -> CycleProjection:
        return self.cycles[workflow_id][-1]

    def applications(self, workflow_id: str) -> dict[str, ApplicationState]:
        """Each application as last written (a write comes in pieces of some each)."""
        return {a.credit_code: a for p in self.cycles[workflow_id] for a in p.applications}

    def activities(self) -> list[Callable[..., Any]]:
        @activity.defn(name="load-eligibility-facts")
        async def load_eligibility_facts(request: FactsRequest) -> FactsResponse:
            await asyncio.sleep(self.facts_delay)  # widens the window a race would need
            return FactsResponse(
                organizations={
                    code: OrganizationEligibilityData(credit_code=code, facts=ELIGIBLE, honors=[])
                    for code in request.credit_codes
                }
            )

        @activity.defn(name="project-cycle")
        async def project_cycle(projection: CycleProjection) -> None:
            if self.fail_cycle_writes:
                raise ApplicationError("数据库不可写（测试）", non_retryable=True)
            self.cycles[projection.workflow_id].append(projection)

        @activity.defn(name="project-honor")
        async def project_honor(projection: HonorProjection) -> None:
            if self.fail_honor_writes:
                raise ApplicationError("数据库不可写（测试）", non_retryable=True)
            self.honors.append(projection)

        @activity.defn(name="publish-notices")
        async def publish_notices(batch: NoticeBatch) -> int:
            self.notices.extend(n.key for n in batch.notices)
            return len(batch.notices)

        return [load_eligibility_facts, project_cycle, project_honor, publish_notices]


@asynccontextmanager
async def mock_worker(client: Client, task_queue: str, recorder: Recorder) -> AsyncIterator[None]:
    async with Worker(
        client,
        task_queue=task_queue,
        workflows=list(WORKFLOWS),
        activities=recorder.activities(),
        workflow_runner=workflow_runner(),
    ):
        yield
