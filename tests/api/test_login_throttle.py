"""Login throttles hold under concurrency (issue #12): one address waits after a few
failures, for longer each time; an account locks only after more failures from all
addresses together and says until when; unknown and known names answer alike."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta

import httpx
from fastapi import FastAPI

from domain.dates import SHANGHAI
from tests.api.support import OFFICE, Api, error_code

GOOD = OFFICE[1]


async def attempt(api: Api, username: str, password: str, client: str) -> tuple[int, str]:
    response = await api.http.post(
        "/auth/login",
        json={"username": username, "password": password},
        headers={"X-Forwarded-For": client},
    )
    return response.status_code, error_code(response) if response.status_code >= 400 else ""


async def test_an_address_waits_after_its_failures_and_each_wait_doubles(api: Api) -> None:
    me = "198.51.100.7"
    assert await attempt(api, "office", "wrong", me) == (401, "invalid_credentials")
    assert await attempt(api, "office", "wrong", me) == (401, "invalid_credentials")
    assert await attempt(api, "office", "wrong", me) == (429, "rate_limited")
    assert await attempt(api, "office", GOOD, me) == (429, "rate_limited")  # not even checked

    await api.clock.advance(timedelta(seconds=61))
    assert await attempt(api, "office", "wrong", me) == (429, "rate_limited")  # now 120 s
    await api.clock.advance(timedelta(seconds=61))
    assert await attempt(api, "office", GOOD, me) == (429, "rate_limited")
    await api.clock.advance(timedelta(seconds=61))
    assert await attempt(api, "office", GOOD, me) == (200, "")


async def test_one_caller_cannot_lock_the_office_out(api: Api) -> None:
    for _ in range(20):
        await attempt(api, "office", "wrong", "203.0.113.66")
    assert await attempt(api, "office", GOOD, "198.51.100.1") == (200, "")


async def test_the_lock_says_until_when(api: Api) -> None:
    for n in range(5):
        await attempt(api, "office", "wrong", f"198.51.100.{n}")
    response = await api.http.post(
        "/auth/login",
        json={"username": "office", "password": "wrong"},
        headers={"X-Forwarded-For": "198.51.100.5"},
    )
    assert (response.status_code, error_code(response)) == (423, "account_locked")
    until = (api.clock() + timedelta(minutes=15)).astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
    assert "锁定至" in response.json()["error"]["message"]
    assert until in response.json()["error"]["message"]


async def test_unknown_and_known_usernames_answer_alike(api: Api) -> None:
    async def sequence(username: str, net: str) -> list[tuple[int, str]]:
        return [await attempt(api, username, "wrong", f"{net}.{n % 4}") for n in range(9)]

    assert await sequence("office", "198.51.100") == await sequence("nobody", "203.0.113")


async def test_forty_concurrent_guesses_from_one_address_check_only_the_allowance(
    api: Api,
) -> None:
    answers = await asyncio.gather(
        *(attempt(api, "office", f"guess-{n}", "198.51.100.40") for n in range(40))
    )
    counted = Counter(status for status, _ in answers)
    assert counted == {401: 2, 429: 38}, counted
    assert await attempt(api, "office", GOOD, "198.51.100.40") == (429, "rate_limited")
    assert await attempt(api, "office", GOOD, "198.51.100.41") == (200, "")


async def test_forty_concurrent_guesses_from_many_addresses_lock_the_account(api: Api) -> None:
    answers = await asyncio.gather(
        *(attempt(api, "office", f"guess-{n}", f"198.51.100.{n}") for n in range(40))
    )
    counted = Counter(status for status, _ in answers)
    assert counted == {401: 5, 423: 35}, counted
    assert await attempt(api, "office", GOOD, "198.51.100.200") == (423, "account_locked")


async def test_forwarded_for_from_an_untrusted_peer_is_ignored(api: Api, app: FastAPI) -> None:
    """A caller that is not a configured proxy cannot pose as many addresses."""
    transport = httpx.ASGITransport(app=app, client=("203.0.113.5", 4000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as outsider:
        statuses = []
        for n in range(4):
            response = await outsider.post(
                "/auth/login",
                json={"username": "office", "password": "wrong"},
                headers={"X-Forwarded-For": f"198.51.100.{n}"},
            )
            statuses.append(response.status_code)
    assert statuses == [401, 401, 429, 429]
    assert await attempt(api, "office", GOOD, "198.51.100.0") == (200, "")
