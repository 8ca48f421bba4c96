"""Commands that arrive together: each pair has exactly one winner and ends consistent.

The cycle serialises its handlers with a lock, and every handler checks its command again
under it (STYLE.md 20): a validator that ran while another command was still waiting for
its facts has seen the state before that command's change. Each case runs 20 times, on a
time-skipping server of this module's own, with mock activities (no database).
"""

from __future__ import annotations

import asyncio
import random
import uuid
from collections.abc import AsyncIterator, Awaitable
from datetime import datetime, timedelta
from typing import Any

import pytest
from temporalio.client import WorkflowHandle, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.testing import WorkflowEnvironment

from contracts.commands import (
    ApproveCommand,
    CancelCommand,
    CloseStageCommand,
    ObjectionCommand,
    ScoreCommand,
    ShortlistCommand,
    VoteCommand,
)
from contracts.cycle import ApplicationState, AwardResult, CycleInput, CycleState, StageState
from domain.committee import Ballot
from domain.dates import SHANGHAI
from domain.phases import Outcome, Phase, Stage
from domain.rules import default_rules
from domain.types import Award
from qaward import temporal
from tests.support.codec import CONVERTER
from tests.workflows.mock_activities import Recorder, mock_worker
from workflows.cycle import AwardCycleWorkflow

REPEAT = 20
YES = Ballot(yes=9, no=0, abstain=0)


@pytest.fixture(scope="module")
async def env() -> AsyncIterator[WorkflowEnvironment]:
    """A server of this module's own: its time skips never reach another test."""
    env = await WorkflowEnvironment.start_time_skipping(
        data_converter=CONVERTER,
        test_server_existing_path=str(temporal.test_server_path()),
        runtime=temporal.runtime(),
    )
    yield env
    await env.shutdown()


@pytest.fixture
async def recorder(env: WorkflowEnvironment) -> AsyncIterator[tuple[Recorder, str]]:
    recorder = Recorder(facts_delay=0.02)
    task_queue = f"race-{uuid.uuid4()}"
    async with mock_worker(env.client, task_queue, recorder):
        yield recorder, task_queue


def application(code: str, **fields: Any) -> ApplicationState:
    return ApplicationState(
        credit_code=code,
        organization_id=1,
        name=f"组织{code}",
        award=fields.pop("award", Award.QUALITY),
        industry="services",
        submitted_at=datetime(2025, 4, 1, tzinfo=SHANGHAI),
        **fields,
    )


async def business_now(env: WorkflowEnvironment) -> datetime:
    return (await env.get_current_time()).astimezone(SHANGHAI).replace(microsecond=0)


async def start(
    env: WorkflowEnvironment, task_queue: str, state: CycleState
) -> WorkflowHandle[Any, Any]:
    workflow_id = f"cycle-2025-race-{uuid.uuid4().hex[:8]}"
    return await env.client.start_workflow(
        AwardCycleWorkflow.run,
        CycleInput(
            year=2025,
            workflow_id=workflow_id,
            application_deadline=state.opened_at.date(),
            committee_members=9,
            rules=default_rules(),
            state=state,
        ),
        id=workflow_id,
        task_queue=task_queue,
    )


async def outcome(call: Awaitable[Any]) -> str:
    """ "ok", or the error code a refusal carried."""
    try:
        await call
    except WorkflowUpdateFailedError as err:
        cause = err.cause
        if not isinstance(cause, ApplicationError) or cause.type is None:
            raise
        return cause.type
    return "ok"


async def together(*calls: Awaitable[Any]) -> list[str]:
    return list(await asyncio.gather(*(outcome(c) for c in calls)))


async def settled(handle: WorkflowHandle[Any, Any]) -> str:
    for _ in range(500):
        status = await handle.query(AwardCycleWorkflow.status)
        if status.idle:
            return str(status.phase)
        await asyncio.sleep(0.01)
    raise AssertionError("the cycle never settled")


async def test_approve_and_cancel_at_one_instant_have_one_winner(
    env: WorkflowEnvironment, recorder: tuple[Recorder, str]
) -> None:
    rec, task_queue = recorder
    seen = set()
    for _ in range(REPEAT):
        now = await business_now(env)
        state = CycleState(
            phase=Phase.APPROVAL,
            opened_at=now - timedelta(days=200),
            applications={"A": application("A", eligible=True, total_score=700.0)},
            results={
                "quality": AwardResult(candidates=["A"], winners=["A"], decided=True),
                "innovation": AwardResult(),
            },
        )
        handle = await start(env, task_queue, state)
        results = await together(
            handle.execute_update(AwardCycleWorkflow.approve, ApproveCommand()),
            handle.execute_update(AwardCycleWorkflow.cancel, CancelCommand(reason="撤销本届")),
        )
        phase = await settled(handle)
        written = rec.last(handle.id)
        honors = [h for p in rec.cycles[handle.id] for h in p.honors]
        if results == ["ok", "cycle_closed"]:
            assert phase == written.phase == Phase.ANNOUNCED
            assert written.cancel_reason is None
            assert rec.applications(handle.id)["A"].outcome == Outcome.AWARDED
            assert len(honors) == 1
        else:
            assert results == ["cycle_closed", "ok"], results
            assert written.phase == Phase.CANCELLED
            assert rec.applications(handle.id)["A"].outcome == Outcome.CANCELLED
            assert honors == []
        seen.add(tuple(results))
        await handle.terminate("test finished")
    assert seen  # which one wins depends on arrival; never both


async def test_two_close_qualification_are_one_close(
    env: WorkflowEnvironment, recorder: tuple[Recorder, str]
) -> None:
    rec, task_queue = recorder
    for _ in range(REPEAT):
        now = await business_now(env)
        state = CycleState(
            phase=Phase.QUALIFICATION,
            opened_at=now - timedelta(days=60),
            applications={c: application(c) for c in ("A", "B")},
        )
        handle = await start(env, task_queue, state)
        results = await together(
            handle.execute_update(AwardCycleWorkflow.close_qualification),
            handle.execute_update(AwardCycleWorkflow.close_qualification),
        )
        assert sorted(results) == ["not_in_phase", "ok"]
        assert await settled(handle) == Phase.DOCUMENT_REVIEW
        assert rec.last(handle.id).phase == Phase.DOCUMENT_REVIEW
        await handle.terminate("test finished")


def document_review(now: datetime, members: list[str], scores: dict[str, float]) -> CycleState:
    panel = StageState(members=members, leader=members[0], scores=scores)
    mean = sum(scores.values()) / len(scores) if scores else None
    return CycleState(
        phase=Phase.DOCUMENT_REVIEW,
        opened_at=now - timedelta(days=60),
        applications={"A": application("A", eligible=True, document=panel, document_score=mean)},
    )


async def test_shortlist_and_an_early_close_end_consistent(
    env: WorkflowEnvironment, recorder: tuple[Recorder, str]
) -> None:
    rec, task_queue = recorder
    for _ in range(REPEAT):
        now = await business_now(env)
        state = document_review(now, ["R1", "R2", "R3"], {"R1": 600.0, "R2": 640.0})
        handle = await start(env, task_queue, state)
        results = await together(
            handle.execute_update(AwardCycleWorkflow.shortlist, ShortlistCommand(auto=True)),
            handle.execute_update(
                AwardCycleWorkflow.close_stage,
                CloseStageCommand(stage=Stage.DOCUMENT, reason="评审员因故未能评分"),
            ),
        )
        phase = await settled(handle)
        written = rec.last(handle.id)
        assert results[1] == "ok"
        assert written.document_closed_early_reason == "评审员因故未能评分"
        if results[0] == "ok":  # the close came first, then the shortlist
            assert phase == written.phase == Phase.SITE_REVIEW
        else:
            assert results[0] == "reviews_incomplete"
            assert phase == written.phase == Phase.SHORTLIST
        await handle.terminate("test finished")


async def test_two_votes_for_one_award_record_one(
    env: WorkflowEnvironment, recorder: tuple[Recorder, str]
) -> None:
    rec, task_queue = recorder
    for _ in range(REPEAT):
        now = await business_now(env)
        state = CycleState(
            phase=Phase.COMMITTEE,
            opened_at=now - timedelta(days=200),
            applications={
                c: application(c, eligible=True, shortlisted=True, total_score=t)
                for c, t in (("A", 700.0), ("B", 650.0))
            },
            results={"quality": AwardResult(candidates=["A", "B"]), "innovation": AwardResult()},
        )
        handle = await start(env, task_queue, state)
        vote = VoteCommand(award=Award.QUALITY, present=9, ballots={"A": YES, "B": YES})
        results = await together(
            handle.execute_update(AwardCycleWorkflow.record_vote, vote),
            handle.execute_update(AwardCycleWorkflow.record_vote, vote),
        )
        assert sorted(results) == ["not_in_phase", "ok"]
        assert await settled(handle) == Phase.PUBLICITY
        written = rec.last(handle.id)
        assert len(written.votes["quality"]) == 1
        assert written.winners["quality"] == ["A", "B"]
        await handle.terminate("test finished")


async def test_fifty_scores_of_one_panel_at_once_all_count(
    env: WorkflowEnvironment, recorder: tuple[Recorder, str]
) -> None:
    rec, task_queue = recorder
    members = [f"R{n}" for n in range(1, 51)]
    for _ in range(REPEAT):
        now = await business_now(env)
        handle = await start(env, task_queue, document_review(now, members, {}))
        points = {m: float(500 + 5 * n) for n, m in enumerate(members)}
        results = await together(
            *(
                handle.execute_update(
                    AwardCycleWorkflow.score,
                    ScoreCommand(stage=Stage.DOCUMENT, credit_code="A", reviewer=m, points=p),
                )
                for m, p in points.items()
            )
        )
        assert results == ["ok"] * len(members)
        assert await settled(handle) == Phase.SHORTLIST
        app = rec.applications(handle.id)["A"]
        assert app.document.scores == points
        assert app.document_score == pytest.approx(sum(points.values()) / len(points))
        await handle.terminate("test finished")


async def test_an_objection_at_the_closing_instant_and_the_timer_agree(
    env: WorkflowEnvironment, recorder: tuple[Recorder, str]
) -> None:
    rec, task_queue = recorder
    for _ in range(REPEAT):
        now = await business_now(env)
        closes = now + timedelta(seconds=2)
        state = CycleState(
            phase=Phase.PUBLICITY,
            opened_at=now - timedelta(days=200),
            applications={"A": application("A", eligible=True, total_score=700.0)},
            results={
                "quality": AwardResult(candidates=["A"], winners=["A"], decided=True),
                "innovation": AwardResult(),
            },
            publicity_opens=now - timedelta(days=6),
            publicity_closes=closes,
            timers={"publicity_close": closes},
        )
        handle = await start(env, task_queue, state)
        objection = ObjectionCommand(
            credit_code="A", name="李某", contact="13800000000", content="申报材料与实际不符"
        )

        async def clock() -> None:
            await env.sleep(timedelta(seconds=2 + random.uniform(-0.05, 0.05)))

        _, result = await asyncio.gather(
            clock(), outcome(handle.execute_update(AwardCycleWorkflow.file_objection, objection))
        )
        await env.sleep(timedelta(seconds=1))
        phase = await settled(handle)
        written = rec.cycles[handle.id][-1] if rec.cycles[handle.id] else None
        if result == "ok":  # before the close: publicity waits for the investigation
            assert phase == Phase.PUBLICITY
            assert written is not None
            assert len(written.objections) == 1
        else:
            assert result == "publicity_closed"
            assert phase == Phase.APPROVAL
            assert written is None or written.objections == []
        await handle.terminate("test finished")
