"""The objection limit holds under concurrency and counts only accepted objections, per
client address as seen through the configured trusted proxies (issue #12)."""

from __future__ import annotations

import asyncio
from collections import Counter

import httpx
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.models import AuditEntry, ObjectionSlot
from tests.api.support import Api, error_code
from tests.api.world import OUTSIDER, B, to_publicity

OBJECTION = {"credit_code": B, "name": "李某", "contact": "13800000000", "content": "存疑"}


def via_proxy(client: str) -> dict[str, str]:
    return {"X-Forwarded-For": client}


async def test_thirty_concurrent_objections_from_one_address_accept_only_the_limit(
    api: Api,
) -> None:
    year = await to_publicity(api)
    answers = await asyncio.gather(
        *(
            api.http.post(
                "/public/objections",
                json=OBJECTION | {"content": f"第{n}条"},
                headers=via_proxy("198.51.100.30"),
            )
            for n in range(30)
        )
    )
    assert Counter(r.status_code for r in answers) == {201: 5, 429: 25}
    assert {error_code(r) for r in answers if r.status_code == 429} == {"rate_limited"}
    stored = (await api.get("office", f"/cycles/{year}/objections", expect=200)).json()
    assert len(stored) == 5


async def test_refused_objections_do_not_use_up_the_limit(api: Api) -> None:
    await to_publicity(api)
    me = via_proxy("198.51.100.31")
    for _ in range(6):
        refused = await api.http.post(
            "/public/objections", json=OBJECTION | {"credit_code": OUTSIDER}, headers=me
        )
        assert refused.status_code == 422, refused.text
    for _ in range(5):
        accepted = await api.http.post("/public/objections", json=OBJECTION, headers=me)
        assert accepted.status_code == 201, accepted.text
    limited = await api.http.post("/public/objections", json=OBJECTION, headers=me)
    assert (limited.status_code, error_code(limited)) == (429, "rate_limited")


async def test_the_limit_follows_the_address_behind_a_trusted_proxy_only(
    api: Api, app: FastAPI, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await to_publicity(api)
    for _ in range(5):
        await api.post(
            None, "/public/objections", json=OBJECTION, headers=via_proxy("10.9.9.9"), expect=201
        )
    through = await api.http.post("/public/objections", json=OBJECTION, headers=via_proxy("::1"))
    assert through.status_code == 201  # another caller behind the same proxy

    outsider = httpx.ASGITransport(app=app, client=("203.0.113.8", 4000))
    async with httpx.AsyncClient(transport=outsider, base_url="http://testserver") as public:
        answers = [
            await public.post(
                "/public/objections", json=OBJECTION, headers=via_proxy(f"192.0.2.{n}")
            )
            for n in range(6)
        ]
    assert [r.status_code for r in answers] == [201] * 5 + [429]

    long_hop = "a" * 300 + ", 2001:db8::1"
    await api.post(None, "/public/objections", json=OBJECTION, headers=via_proxy(long_hop))
    async with sessions() as session:
        slots = set(await session.scalars(select(ObjectionSlot.client)))
        audited = set(await session.scalars(select(AuditEntry.client)))
    assert {"10.9.9.9", "::1", "203.0.113.8", "2001:db8::1"} <= slots
    assert "192.0.2.0" not in slots
    assert all(len(c) <= 45 for c in slots | {c for c in audited if c})
