"""A command's own bookkeeping, made cheap without giving up a guarantee: one token lookup
per request, and one audit chain however many processes append to it."""

from __future__ import annotations

import asyncio
import threading
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest

from db.session import create_engine, session_factory
from qaward.settings import Settings
from services import accounts, audit
from tests.api.support import Api, organization
from tests.api.world import populate


async def test_a_request_looks_its_token_up_once(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    await populate(api)
    headers = await api.as_("office")
    lookups: list[str] = []
    real = accounts.identify

    async def counted(*args: Any) -> accounts.Viewer | None:
        lookups.append(args[1])
        return await real(*args)

    monkeypatch.setattr(accounts, "identify", counted)
    keyed = headers | {"Idempotency-Key": uuid.uuid4().hex}
    for sent in (headers, keyed):
        lookups.clear()
        response = await api.http.post("/organizations", json=organization(50), headers=sent)
        assert response.status_code == 201, response.text
        assert len(lookups) == 1, sent
    replayed = await api.http.post("/organizations", json=organization(50), headers=keyed)
    assert replayed.headers["idempotent-replayed"] == "true"


def _appending_elsewhere(url: str, settings: Settings, n: int, errors: list[BaseException]) -> None:
    """Another process, as far as the chain can tell: its own event loop (so its own turn
    of appends), its own engine and connections."""

    async def run() -> None:
        engine = create_engine(url)
        try:
            sessions = session_factory(engine)
            seal = audit.Seal.of(settings)
            for i in range(n):
                draft = audit.AuditDraft(
                    at=datetime.now(UTC),
                    actor="elsewhere",
                    role=None,
                    client=None,
                    method="POST",
                    path=f"/elsewhere/{i}",
                    action="另一进程的命令",
                    status=201,
                    code=None,
                )
                await audit.append(sessions, draft, seal)
        finally:
            await engine.dispose()

    try:
        asyncio.run(run())
    except BaseException as err:  # reported by the test
        errors.append(err)


async def test_appends_from_two_processes_keep_one_unbroken_chain(
    api: Api, database_url: str, settings: Settings
) -> None:
    """On PostgreSQL the head's lock queues them; on SQLite a collision takes the next id."""
    await populate(api)
    headers = await api.as_("office")
    errors: list[BaseException] = []
    other = threading.Thread(target=_appending_elsewhere, args=(database_url, settings, 15, errors))
    other.start()
    bodies = [organization(200 + n) for n in range(15)]
    responses = await asyncio.gather(
        *(api.http.post("/organizations", json=b, headers=headers) for b in bodies)
    )
    await asyncio.to_thread(other.join)
    assert errors == []
    assert [r.status_code for r in responses] == [201] * 15
    verified = (await api.get("watch", "/audit/verify", expect=200)).json()
    assert verified["intact"] is True, verified
    log = (await api.get("watch", "/audit?limit=500", expect=200)).json()
    ids = sorted(e["id"] for e in log)
    assert ids == list(range(1, len(ids) + 1))
    paths = [e["path"] for e in log]
    assert sum(p.startswith("/elsewhere/") for p in paths) == 15
    assert paths.count("/organizations") >= 15
