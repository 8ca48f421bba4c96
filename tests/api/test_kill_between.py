"""The API dies after a command acted and before its bookkeeping: the retry ends with one
audit entry and one effect (issue #17 item 1; `services.idempotency`).

The process is "killed" by an exception no handler catches (`Killed` is a BaseException),
raised at the chosen instant: nothing after it runs and the caller gets no answer, as with
SIGKILL. The claim it leaves goes stale (`QAWARD_IDEMPOTENCY_STALE_SECONDS`, a minute here,
the test server's clock skipped past it), and the retry runs the command again, which the cycle
workflow answers with the first run's outcome (same update id) instead of acting twice.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.repositories import audit as audit_rows
from qaward.settings import Settings
from services import idempotency
from tests.api.support import Api, error_code
from tests.api.world import APPLICANTS, A, open_cycle, populate

STALE = 60
"""Seconds a dead request's claim holds its key here; the test server's clock skips past it."""


class Killed(BaseException):
    """The process dies here."""


def _die(*_: Any, **__: Any) -> None:
    raise Killed


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"idempotency_stale_seconds": STALE})


async def _commands(api: Api, path: str) -> list[dict[str, Any]]:
    rows = (await api.get("watch", "/audit?limit=500", expect=200)).json()
    return [r for r in rows if r["path"] == path and r["method"] == "POST"]


@pytest.mark.parametrize(
    "instant",
    [
        # After the command, before the bookkeeping transaction writes anything.
        "before the settlement",
        # Between the two writes: the answer kept, the audit entry not yet added.
        "between answer and entry",
    ],
)
async def test_a_retry_after_the_api_died_between_command_and_bookkeeping_acts_and_records_once(
    api: Api, monkeypatch: pytest.MonkeyPatch, instant: str
) -> None:
    await populate(api)
    year = await open_cycle(api)
    path = f"/cycles/{year}/applications"
    key = {"Idempotency-Key": f"apply-a-{instant.replace(' ', '-')}"}
    user = APPLICANTS[A]
    await api.as_(user)  # signed in before the fault (a login is recorded too)
    with monkeypatch.context() as patch:
        if instant == "before the settlement":
            patch.setattr(idempotency.Settlement, "apply", _die)
        else:
            patch.setattr(audit_rows, "insert", _die)
        with pytest.raises(Killed):
            await api.post(user, path, json={"award": "quality"}, headers=key)

    # The command acted (the cycle has the application); nothing recorded, nothing kept.
    listed = (await api.get("office", path, expect=200)).json()
    assert [a["credit_code"] for a in listed] == [A]
    assert await _commands(api, path) == []
    held = await api.post(user, path, json={"award": "quality"}, headers=key)
    assert (held.status_code, error_code(held)) == (409, "idempotency_conflict")

    await api.clock.advance(timedelta(seconds=STALE + 1))  # the dead request's claim goes stale
    retried = await api.post(user, path, json={"award": "quality"}, headers=key, expect=201)
    assert "idempotent-replayed" not in retried.headers
    assert retried.json()["credit_code"] == A
    again = await api.post(user, path, json={"award": "quality"}, headers=key, expect=201)
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json() == retried.json()

    listed = (await api.get("office", path, expect=200)).json()
    assert [a["credit_code"] for a in listed] == [A]
    entries = await _commands(api, path)
    assert [(e["actor"], e["status"]) for e in entries] == [(user, 201)]
    verified = (await api.get("watch", "/audit/verify", expect=200)).json()
    assert verified["intact"], verified


async def test_a_request_whose_claim_a_retry_took_over_settles_nothing(
    api: Api, sessions: async_sessionmaker[AsyncSession]
) -> None:
    """The first request was only slow: the retry that took its stale claim over answers
    and records; the first one's late settlement writes neither answer nor entry."""
    first_at = api.clock()
    later = first_at + timedelta(seconds=5)
    assert await idempotency.claim(sessions, "user:1", "k", "print", first_at) is None
    stale = timedelta(seconds=1)
    assert await idempotency.claim(sessions, "user:1", "k", "print", later, stale) is None

    answer = idempotency.StoredAnswer(201, "application/json", '{"first": true}')
    assert not await idempotency.settle(
        sessions, idempotency.Settlement("user:1", "k", first_at, answer)
    )
    taker = idempotency.StoredAnswer(201, "application/json", '{"retry": true}')
    assert await idempotency.settle(sessions, idempotency.Settlement("user:1", "k", later, taker))
    kept = await idempotency.claim(sessions, "user:1", "k", "print", later)
    assert kept == taker
