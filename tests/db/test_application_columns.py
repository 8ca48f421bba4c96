"""The carried state's flags read in SQL (`db.repositories.applications`) are what the
state says, a missing flag or state its default, on SQLite and PostgreSQL: the committee's
runoff and an outcome's explanation rank candidates by them without decoding 1,000 states."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session

from db.models import Application, Cycle, Organization
from db.repositories import applications

STATES: list[dict[str, Any] | None] = [
    {"repeat_winner": True, "takes_quota_place": False},
    {"repeat_winner": False, "takes_quota_place": True},
    {"other": 1},
    None,
]


def _fill(session: Session) -> int:
    cycle = Cycle(
        year=2030,
        workflow_id="cycle-2030",
        phase="committee",
        opened_at=datetime(2030, 2, 1, tzinfo=UTC),
        application_deadline=date(2030, 4, 1),
        committee_members=9,
        rules={},
    )
    session.add(cycle)
    for n, state in enumerate(STATES):
        org = Organization(
            credit_code=f"91331126MA0000000{n}",
            name=f"庆元县测试企业{n}有限公司",
            county="庆元县",
            registered_on=date(2010, 1, 1),
            industry="manufacturing",
        )
        session.add(org)
        session.flush()
        session.add(
            Application(
                cycle_id=cycle.id,
                organization_id=org.id,
                award="quality",
                submitted_at=datetime(2030, 3, 1, tzinfo=UTC),
                document_score=80.0 + n,
                total_score=700.0 + n,
                state=state,
            )
        )
    session.flush()
    return cycle.id


def _from_states(cycle_id: int, session: Session) -> dict[str, tuple[float | None, bool, bool]]:
    rows = applications.scored_candidates(session, cycle_id)
    return {
        org.credit_code: (
            app.total_score,
            bool((app.state or {}).get("repeat_winner", False)),
            bool((app.state or {}).get("takes_quota_place", True)),
        )
        for app, org in rows
    }


async def test_the_flags_read_in_sql_are_the_carried_states(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions() as session, session.begin():
        cycle_id = await session.run_sync(_fill)
        columns = await session.run_sync(applications.contender_columns, cycle_id)
        decoded = await session.run_sync(lambda s: _from_states(cycle_id, s))
        peers = await session.run_sync(applications.outcome_peers, cycle_id, "quality")
    assert columns == decoded
    assert columns["91331126MA00000000"] == (700.0, True, False)
    assert [place for *_, place in sorted(peers)] == [False, True, True, True]
    assert [document for _, document, _, _ in sorted(peers)] == [80.0, 81.0, 82.0, 83.0]
