"""A cycle with many applications continues as new and keeps its state and timers."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.testing import WorkflowEnvironment

from contracts.commands import (
    ApplyCommand,
    AssignPanelCommand,
    ConfirmSiteReportCommand,
    FindingCommand,
    ReviewerInfo,
    ScoreCommand,
    ShortlistCommand,
    VoteCommand,
)
from contracts.cycle import CycleInput, CycleState, CycleStatus
from db.repositories.cycles import latest
from db.repositories.cycles import votes as cycle_votes
from db.repositories.lookups import organization_ids
from db.session import transaction
from domain.committee import Ballot
from domain.dates import SHANGHAI
from domain.phases import Stage
from domain.rules import default_rules
from domain.types import Award, Industry
from services.awards import AwardService
from services.registry import register_reviewers
from services.schemas import ReviewerCreate
from tests.support.organizations import credit_code, register_organizations
from worker.registry import build_worker
from workflows.cycle import AwardCycleWorkflow

YES = Ballot(yes=9, no=0, abstain=0)


async def test_cycle_continues_as_new_and_keeps_applications_and_deadline(
    time_skipping_env: WorkflowEnvironment, sessions: async_sessionmaker[AsyncSession]
) -> None:
    env = time_skipping_env
    task_queue = f"can-{uuid.uuid4()}"
    now = (await env.get_current_time()).astimezone(SHANGHAI)
    deadline = now.date() + timedelta(days=10)
    codes = [credit_code("91331126MA", n) for n in range(1, 31)]
    await register_organizations(sessions, codes, "组织")
    # Their ids as the database gave them: on PostgreSQL the sequences go on counting
    # after earlier tests (ids 1–30 made every projection write fail, and the run waited).
    async with transaction(sessions) as session:
        ids = await session.run_sync(organization_ids, codes)
    workflow_id = f"cycle-{now.year}-can-{uuid.uuid4().hex[:6]}"
    async with build_worker(env.client, task_queue, sessions):
        started = await env.client.start_workflow(
            AwardCycleWorkflow.run,
            CycleInput(
                year=now.year,
                workflow_id=workflow_id,
                application_deadline=deadline,
                committee_members=9,
                rules=default_rules(),
                history_limit=20,
            ),
            id=workflow_id,
            task_queue=task_queue,
        )
        first_run = started.result_run_id
        handle = env.client.get_workflow_handle(workflow_id)
        # Sent all at once, through the service: those that meet the hand-over to the next
        # run are turned away and sent again, so every one is taken exactly once.
        service = AwardService(env.client, sessions, task_queue)

        async def apply(n: int, code: str) -> None:
            await asyncio.sleep(0.01 * n)  # a stream, not one batch: some meet the hand-over
            cmd = ApplyCommand(
                credit_code=code,
                organization_id=ids[code],
                name=code,
                award=Award.QUALITY,
                industry="services",
            )
            await service._update_on(handle, AwardCycleWorkflow.apply, (cmd,))

        await asyncio.gather(*(apply(n, code) for n, code in enumerate(codes)))
        # The run continues as new at its next workflow task past the limit: at the latest
        # when the deadline fires (the history's length is read as each task starts).
        await env.sleep(timedelta(days=11))
        for _ in range(500):
            description = await handle.describe()
            if description.run_id != first_run:
                break
            await asyncio.sleep(0.02)
        assert description.run_id != first_run, "the cycle should have continued as new"
        status = await handle.query(AwardCycleWorkflow.status)
        assert isinstance(status, CycleStatus)
        assert status.phase == "qualification"
        # The new run still knows every application, and only those.
        for code in (codes[0], codes[-1]):
            _ = await handle.execute_update(
                AwardCycleWorkflow.record_finding, FindingCommand(credit_code=code, passed=True)
            )
        with pytest.raises(WorkflowUpdateFailedError) as refused:
            _ = await handle.execute_update(
                AwardCycleWorkflow.record_finding,
                FindingCommand(credit_code=credit_code("91331126MA", 99), passed=True),
            )
        assert isinstance(refused.value.cause, ApplicationError)
        assert refused.value.cause.type == "not_found"


async def test_a_committee_continued_as_new_reads_its_candidates_and_ballots_back(
    time_skipping_env: WorkflowEnvironment, sessions: async_sessionmaker[AsyncSession]
) -> None:
    """A cycle that continues as new every few commands, from intake to publicity: the
    continue-as-new inputs carry no candidate list and no ballots, and the runoff decided in
    a later run than the main vote still counts the main vote (its ballots read back)."""
    env = time_skipping_env
    task_queue = f"can-committee-{uuid.uuid4()}"
    now = (await env.get_current_time()).astimezone(SHANGHAI)
    deadline = now.date() + timedelta(days=10)
    # Two clear winners of the quality award, then two tied for its last place.
    codes = [credit_code("91331126MA", n) for n in range(1, 5)]
    points = dict(zip(codes, (900, 880, 850, 850), strict=True))
    await register_organizations(sessions, codes, "组织")
    panel = [ReviewerInfo(code=f"R{n}", industries=["services"]) for n in range(1, 4)]
    async with transaction(sessions) as session:
        ids = await session.run_sync(organization_ids, codes)
        await session.run_sync(
            register_reviewers,
            [
                ReviewerCreate(code=r.code, name=f"评审员{r.code}", industries=[Industry.SERVICES])
                for r in panel
            ],
        )
    workflow_id = f"cycle-{now.year}-can-{uuid.uuid4().hex[:6]}"
    async with build_worker(env.client, task_queue, sessions):
        await env.client.start_workflow(
            AwardCycleWorkflow.run,
            CycleInput(
                year=now.year,
                workflow_id=workflow_id,
                application_deadline=deadline,
                committee_members=9,
                rules=default_rules(),
                history_limit=20,
            ),
            id=workflow_id,
            task_queue=task_queue,
        )
        handle = env.client.get_workflow_handle(workflow_id)
        service = AwardService(env.client, sessions, task_queue)

        async def send(update: Any, cmd: Any = None) -> Any:
            return await service._update_on(handle, update, () if cmd is None else (cmd,))

        for code in codes:
            await send(
                AwardCycleWorkflow.apply,
                ApplyCommand(
                    credit_code=code,
                    organization_id=ids[code],
                    name=code,
                    award=Award.QUALITY,
                    industry="services",
                ),
            )
        await env.sleep(timedelta(days=11))
        await send(AwardCycleWorkflow.close_qualification)
        for stage in (Stage.DOCUMENT, Stage.SITE):
            if stage == Stage.SITE:
                await send(AwardCycleWorkflow.shortlist, ShortlistCommand(auto=True))
            for code in codes:
                assign = AssignPanelCommand(
                    stage=stage, credit_code=code, reviewers=panel, leader="R1"
                )
                await send(AwardCycleWorkflow.assign_panel, assign)
                for r in panel:
                    score = ScoreCommand(
                        stage=stage, credit_code=code, reviewer=r.code, points=points[code]
                    )
                    await send(AwardCycleWorkflow.score, score)
        for code in codes:
            await send(
                AwardCycleWorkflow.confirm_site_report, ConfirmSiteReportCommand(credit_code=code)
            )
        half = Ballot(yes=5, no=4, abstain=0)
        main = VoteCommand(
            award=Award.QUALITY,
            present=9,
            ballots=dict(zip(codes, (YES, YES, half, half), strict=True)),
        )
        assert sorted(await send(AwardCycleWorkflow.record_vote, main)) == sorted(codes[2:])
        before_runoff = (await handle.describe()).run_id
        # Syncs on the way, until the runoff comes to a later run than the main vote.
        for _ in range(20):
            await send(AwardCycleWorkflow.sync)
            if (await handle.describe()).run_id != before_runoff:
                break
        assert (await handle.describe()).run_id != before_runoff
        no = Ballot(yes=2, no=7, abstain=0)
        runoff = VoteCommand(award=Award.QUALITY, present=9, ballots={codes[2]: no, codes[3]: YES})
        assert await send(AwardCycleWorkflow.record_vote, runoff) == []
        status = await handle.query(AwardCycleWorkflow.status)
        assert status.phase == "publicity"
        async with transaction(sessions) as session:
            cycle = await session.run_sync(latest, now.year)
            assert cycle is not None
            votes = await session.run_sync(cycle_votes, cycle.id)
        # Each vote written once, with its ballots, though no write carries all of them.
        assert [(v.round, len(v.ballots)) for v in votes] == [(1, 4), (2, 2)]
        # Counted with the main vote: its two clear winners, then the runoff's.
        assert cycle.winners == {"quality": [codes[0], codes[1], codes[3]], "innovation": []}

        carried = await continue_as_new_inputs(env.client, workflow_id)
        assert len(carried) >= 5
        committee = [s for s in carried if s.results]
        assert committee, "some run should have continued as new during the committee"
        for state in committee:
            assert state.results_in_database
            for result in state.results.values():
                assert result.candidates == []
                assert all(v.ballots == {} for v in result.votes)


async def continue_as_new_inputs(client: Client, workflow_id: str) -> list[CycleState]:
    """The state every earlier run handed to its next, following the chain back from the
    latest run (the time-skipping server has no visibility queries)."""
    states: list[CycleState] = []
    run_id: str | None = None
    while True:
        history = await client.get_workflow_handle(workflow_id, run_id=run_id).fetch_history()
        last = history.events[-1]
        if last.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW:
            payloads = last.workflow_execution_continued_as_new_event_attributes.input.payloads
            (inp,) = await client.data_converter.decode(payloads, [CycleInput])
            assert inp.state is not None
            states.append(inp.state)
        started = history.events[0].workflow_execution_started_event_attributes
        if not started.continued_execution_run_id:
            return states
        run_id = started.continued_execution_run_id


async def _runs_after_syncs(
    env: WorkflowEnvironment,
    sessions: async_sessionmaker[AsyncSession],
    syncs: int,
    **limits: int,
) -> tuple[int, int, int]:
    """A cycle sent `syncs` sync updates: how many runs it had, and the first run's history
    length and size in bytes."""
    task_queue = f"can-limits-{uuid.uuid4()}"
    now = (await env.get_current_time()).astimezone(SHANGHAI)
    workflow_id = f"cycle-{now.year}-limits-{uuid.uuid4().hex[:6]}"
    async with build_worker(env.client, task_queue, sessions):
        started = await env.client.start_workflow(
            AwardCycleWorkflow.run,
            CycleInput(
                year=now.year,
                workflow_id=workflow_id,
                application_deadline=now.date() + timedelta(days=30),
                committee_members=9,
                rules=default_rules(),
                **limits,
            ),
            id=workflow_id,
            task_queue=task_queue,
        )
        service = AwardService(env.client, sessions, task_queue)
        handle = env.client.get_workflow_handle(workflow_id)
        for _ in range(syncs):
            await service._update_on(handle, AwardCycleWorkflow.sync, ())
        first = await env.client.get_workflow_handle(
            workflow_id, run_id=started.result_run_id
        ).fetch_history()
    runs = 1 + len(await continue_as_new_inputs(env.client, workflow_id))
    return runs, len(first.events), sum(e.ByteSize() for e in first.events)


async def test_a_cycle_keeps_its_run_past_the_servers_suggestion_until_its_own_limit(
    time_skipping_env: WorkflowEnvironment, sessions: async_sessionmaker[AsyncSession]
) -> None:
    """The server suggests continue-as-new at 4,096 events; a cycle's run goes on to its own
    limit (each hand-over reads every application back)."""
    runs, events, _ = await _runs_after_syncs(time_skipping_env, sessions, 900, history_limit=7_000)
    assert runs == 1
    assert events > 4_096


async def test_a_cycle_continues_as_new_once_its_history_has_grown_by_its_byte_limit(
    time_skipping_env: WorkflowEnvironment, sessions: async_sessionmaker[AsyncSession]
) -> None:
    runs, events, size = await _runs_after_syncs(
        time_skipping_env, sessions, 200, history_limit=100_000, history_bytes_limit=30_000
    )
    assert runs >= 2
    assert size > 30_000
    assert events < 1_000
