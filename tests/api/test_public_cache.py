"""The public pages' cache (issue #14, "Speed"): ETags and 304, a publication seen by the
next request, other processes' writes seen after `QAWARD_PUBLIC_CACHE_SECONDS`."""

from __future__ import annotations

import asyncio
from datetime import date

import httpx
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from starlette.types import Receive, Scope, Send

from api.middleware.public_cache import PublicCacheMiddleware
from db.models import Organization
from tests.api.support import Api, credit_code
from tests.api.world import open_cycle, populate


async def test_public_answers_carry_an_etag_and_a_matching_if_none_match_gets_304(
    api: Api,
) -> None:
    await populate(api)
    first = await api.get(None, "/public/notices", expect=200)
    tag = first.headers["etag"]
    assert first.headers["cache-control"] == "no-cache"
    for sent in (tag, f"W/{tag}", f'"other", {tag}', "*"):
        again = await api.get(None, "/public/notices", headers={"If-None-Match": sent})
        assert (again.status_code, again.content, again.headers["etag"]) == (304, b"", tag)
        assert again.headers["x-content-type-options"] == "nosniff"  # still every header
    other = await api.get(None, "/public/notices", headers={"If-None-Match": '"other"'})
    assert (other.status_code, other.json()) == (200, [])


async def test_a_publication_is_seen_by_the_very_next_request(api: Api) -> None:
    await populate(api)
    before = await api.get(None, "/public/notices", expect=200)
    assert before.json() == []
    await open_cycle(api)  # the call for applications is a public notice
    after = await api.get(
        None, "/public/notices", headers={"If-None-Match": before.headers["etag"]}
    )
    assert after.status_code == 200
    assert [n["kind"] for n in after.json()] == ["call_for_applications"]
    assert after.headers["etag"] != before.headers["etag"]


class Counting:
    """An app whose answer changes with every render: the cache shows when it renders."""

    def __init__(self, status: int = 200) -> None:
        self.renders = 0
        self.status = status

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.renders += 1
        await asyncio.sleep(0)  # let concurrent requests meet here
        body = f"render {self.renders}".encode()
        headers = [(b"content-type", b"text/plain"), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": self.status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def client(app: PublicCacheMiddleware) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")


async def test_a_page_is_rendered_again_only_after_the_time_limit_or_a_write(
    engine: AsyncEngine, sessions: async_sessionmaker[AsyncSession]
) -> None:
    """`sessions`: empty tables before and after (this test writes a row)."""
    counting, clock = Counting(), Clock()
    cache = PublicCacheMiddleware(counting, 2.0, lambda: date(2026, 1, 1), clock=clock)
    async with client(cache) as http:
        assert (await http.get("/public/notices")).text == "render 1"
        clock.now += 1.9
        assert (await http.get("/public/notices")).text == "render 1"
        assert (await http.get("/public/notices?year=2025")).text == "render 2"  # its own key
        clock.now += 0.2
        assert (await http.get("/public/notices")).text == "render 3"
        async with engine.begin() as conn:  # a write committed by this process
            await conn.execute(insert(Organization).values(ORGANIZATION))
        assert (await http.get("/public/notices")).text == "render 4"
        async with engine.begin() as conn:  # a read commits nothing new
            await conn.exec_driver_sql("SELECT 1")
        assert (await http.get("/public/notices")).text == "render 4"
        assert (await http.get("/other")).text == "render 5"  # not a public path
        assert (await http.get("/other")).text == "render 6"
        assert (await http.post("/public/notices")).text == "render 7"  # only GET


async def test_concurrent_misses_render_once_and_refusals_are_not_kept() -> None:
    counting = Counting()
    cache = PublicCacheMiddleware(counting, 2.0, lambda: date(2026, 1, 1))
    async with client(cache) as http:
        answers = await asyncio.gather(*(http.get("/public/honors") for _ in range(10)))
        assert {a.text for a in answers} == {"render 1"}
        refusing = Counting(status=404)
        cache = PublicCacheMiddleware(refusing, 2.0, lambda: date(2026, 1, 1))
    async with client(cache) as http:
        assert [(await http.get("/public/publicity")).text for _ in range(2)] == [
            "render 1",
            "render 2",
        ]
        assert "etag" not in (await http.get("/public/publicity")).headers


async def test_the_business_date_is_part_of_the_key_and_zero_seconds_keeps_nothing() -> None:
    counting = Counting()
    today = [date(2026, 1, 1)]
    cache = PublicCacheMiddleware(counting, 60.0, lambda: today[0])
    async with client(cache) as http:
        assert (await http.get("/public/honors")).text == "render 1"
        today[0] = date(2026, 1, 2)  # honors active today (§6(5)) may have changed
        assert (await http.get("/public/honors")).text == "render 2"
    uncached = PublicCacheMiddleware(counting, 0.0, lambda: date(2026, 1, 1))
    async with client(uncached) as http:
        answers = [await http.get("/public/honors") for _ in range(2)]
        assert [a.text for a in answers] == ["render 3", "render 4"]
        assert answers[0].headers["etag"] != answers[1].headers["etag"]


ORGANIZATION = {
    "credit_code": credit_code(77),
    "name": "庆元县缓存测试有限公司",
    "county": "庆元县",
    "registered_on": date(2010, 1, 1),
    "industry": "manufacturing",
}
