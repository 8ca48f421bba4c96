"""The committee's candidate list is published by the `project-cycle` write with its body
rendered from the applications' rows (issue #11 point 4: the workflow sends it without the
names). Through the activity as the worker runs it (`ActivityEnvironment`), on SQLite and
PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import cast

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session
from temporalio.client import Client
from temporalio.testing import ActivityEnvironment

from activities.records import RecordsActivities
from contracts.cycle import ApplicationState
from contracts.records import CycleProjection
from db.models import Notice
from db.repositories.notices import insert_notices
from db.session import Database
from domain.phases import Phase
from domain.types import Award
from tests.workflows.test_projection_writes import WORKFLOW, _of, _organization
from workflows import notice_texts

AT = datetime(2030, 7, 1, 1, tzinfo=UTC)
CODES = [f"91331126MA0000000{n}" for n in range(1, 5)]


def _candidate(n: int, org_id: int, award: Award, place: int | None) -> ApplicationState:
    return ApplicationState(
        credit_code=CODES[n],
        organization_id=org_id,
        name=f"庆元县候选{n}有限公司",
        award=award,
        industry="manufacturing",
        submitted_at=datetime(2030, 3, 1, tzinfo=UTC),
        candidate_rank=place,
    )


def _piece(revision: int, apps: list[ApplicationState], **more: object) -> CycleProjection:
    return _of(revision, apps).model_copy(update={"phase": Phase.COMMITTEE, **more})


def _organizations(session: Session) -> list[int]:
    return [_organization(session, code) for code in CODES]


def _published(session: Session) -> list[tuple[str, str]]:
    return [(n.key, n.body) for n in session.scalars(select(Notice).order_by(Notice.id))]


async def test_the_write_names_the_candidates_by_place_from_the_rows(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    db = Database(sessions)
    orgs = await db.run(_organizations)
    apps = [
        _candidate(0, orgs[0], Award.QUALITY, 2),
        _candidate(1, orgs[1], Award.QUALITY, 1),
        _candidate(2, orgs[2], Award.QUALITY, None),  # not a candidate
        _candidate(3, orgs[3], Award.INNOVATION, None),
    ]
    records = RecordsActivities(db, cast(Client, None))  # no honors: no workflow to start
    run = ActivityEnvironment().run
    # One write in two pieces of one revision, the applications first, as the writer cuts it.
    await run(records.project_cycle, _piece(1, apps))
    draft = notice_texts.candidate_list(WORKFLOW, 2030, AT)
    assert (draft.body, draft.listing) == ("", notice_texts.CANDIDATE_LIST)
    notice = _piece(1, [], notices=[draft])
    await run(records.project_cycle, notice)
    await run(records.project_cycle, notice)  # a retried piece publishes nothing twice
    body = (
        "按总分排序的候选组织：庆元县人民政府质量奖：庆元县候选1有限公司、庆元县候选0有限公司；"
        "庆元县人民政府质量奖创新奖：无。请县评委会审查并表决（§4(4)）。"
    )
    assert await db.run(_published) == [(draft.key, body)]
    names = {Award.QUALITY: ["庆元县候选1有限公司", "庆元县候选0有限公司"]}
    assert notice_texts.candidate_list_body(names) == body


async def test_a_notice_without_its_body_is_refused_elsewhere(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    draft = notice_texts.candidate_list(WORKFLOW, 2030, AT)
    with pytest.raises(ValueError, match="without their body"):
        await Database(sessions).run(insert_notices, [draft])
