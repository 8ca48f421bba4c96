"""The audit trail: every command and login, append-only, hash-chained, verifiable."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlalchemy import delete, insert, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from db.models import AuditEntry
from tests.api.support import Api, organization
from tests.api.world import A, populate


async def entries(api: Api) -> list[dict[str, Any]]:
    return list(reversed((await api.get("watch", "/audit?limit=500", expect=200)).json()))


async def test_commands_and_logins_are_recorded_with_who_what_and_outcome(api: Api) -> None:
    await populate(api)
    await api.http.post("/auth/login", json={"username": "office", "password": "nope"})
    await api.post(
        "office",
        f"/organizations/{A}/records",
        json={"on": "2024-01-01", "kind": "major_complaint"},
        expect=201,
    )
    await api.post("org_a", "/organizations", json=organization(5), expect=403)
    await api.post("office", "/organizations", json={"name": 1}, expect=422)
    await api.get("office", "/organizations", expect=200)  # reads are not commands
    await api.post("office", "/no/such/route", expect=404)  # no route: nothing was attempted

    log = await entries(api)
    assert all(e["method"] in ("POST", "PUT") for e in log)
    commands = [e for e in log if not (e["path"] == "/auth/login" and e["status"] == 200)]
    last = [(e["actor"], e["path"], e["status"], e["code"]) for e in commands[-4:]]
    assert last == [
        ("office", "/auth/login", 401, "invalid_credentials"),
        ("office", f"/organizations/{A}/records", 201, None),
        ("org_a", "/organizations", 403, "forbidden"),
        ("office", "/organizations", 422, "invalid_input"),
    ]
    record = commands[-3]
    assert (record["role"], record["action"]) == ("office", "登记组织的检查、事故、投诉或信用记录")
    assert record["client"] == "127.0.0.1"
    logins = [e for e in log if e["path"] == "/auth/login" and e["status"] == 200]
    assert {(e["actor"], e["role"]) for e in logins} >= {
        ("org_a", "applicant"),
        ("watch", "supervisor"),
    }


async def test_the_chain_verifies_and_shows_the_first_broken_entry(
    api: Api, engine: AsyncEngine
) -> None:
    await populate(api)
    verified = (await api.get("watch", "/audit/verify", expect=200)).json()
    total = verified["entries"]
    assert verified == {"intact": True, "entries": total, "first_broken_id": None}
    assert total > 10

    # Rewrite entry 5 with another outcome (delete + insert: updates are refused outright).
    async with engine.begin() as conn:
        row = (await conn.execute(select(AuditEntry).where(AuditEntry.id == 5))).mappings().one()
        await conn.execute(delete(AuditEntry).where(AuditEntry.id == 5))
        await conn.execute(insert(AuditEntry).values(**{**dict(row), "status": 200, "code": None}))
    broken = (await api.get("watch", "/audit/verify", expect=200)).json()
    assert broken == {"intact": False, "entries": 4, "first_broken_id": 5}

    # Remove entry 8 altogether: the gap is found too (entry 5 restored first).
    async with engine.begin() as conn:
        await conn.execute(delete(AuditEntry).where(AuditEntry.id == 5))
        await conn.execute(insert(AuditEntry).values(**dict(row)))
    assert (await api.get("watch", "/audit/verify")).json()["intact"] is True
    async with engine.begin() as conn:
        await conn.execute(delete(AuditEntry).where(AuditEntry.id == 8))
    broken = (await api.get("watch", "/audit/verify", expect=200)).json()
    assert broken == {"intact": False, "entries": 7, "first_broken_id": 9}


async def test_entries_cannot_be_updated(api: Api, engine: AsyncEngine) -> None:
    await populate(api)
    with pytest.raises(DBAPIError):
        async with engine.begin() as conn:
            await conn.execute(text("UPDATE audit_entries SET status = 200 WHERE id = 1"))


async def test_concurrent_commands_keep_one_unbroken_chain(api: Api) -> None:
    await populate(api)
    before = len(await entries(api))
    headers = await api.as_("office")
    bodies = [organization(100 + n) for n in range(12)]
    responses = await asyncio.gather(
        *(api.http.post("/organizations", json=b, headers=headers) for b in bodies)
    )
    assert [r.status_code for r in responses] == [201] * 12
    verified = (await api.get("watch", "/audit/verify", expect=200)).json()
    assert verified["intact"] is True
    log = await entries(api)
    assert [e["id"] for e in log] == list(range(1, len(log) + 1))
    assert [e["path"] for e in log[before:]] == ["/organizations"] * 12
