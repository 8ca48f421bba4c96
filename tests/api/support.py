"""Test helpers: a clock that follows the time-skipping server, and an HTTP client that
logs in as each user and knows the way through a cycle.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
from temporalio.testing import WorkflowEnvironment

from domain.credit_code import check_character
from domain.dates import SHANGHAI


class EnvClock:
    """Wall clock plus the time the test server has skipped ahead."""

    def __init__(self, env: WorkflowEnvironment) -> None:
        self.env = env
        self.skew = timedelta(0)

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.skew

    async def sync(self) -> None:
        self.skew = await self.env.get_current_time() - datetime.now(UTC)

    async def advance(self, delta: timedelta) -> None:
        await self.env.sleep(delta)
        await self.sync()

    def today(self) -> date:
        return self().astimezone(SHANGHAI).date()


def credit_code(n: int) -> str:
    """A valid 统一社会信用代码 (GB 32100) for test organization `n`."""
    first17 = f"91331126MA{n:07d}"
    return first17 + check_character(first17)


def organization(n: int, *, name: str | None = None, **extra: Any) -> dict[str, Any]:
    today = date.today()
    body: dict[str, Any] = {
        "credit_code": credit_code(n),
        "name": name or f"庆元县测试企业{n}有限公司",
        "county": "庆元县",
        "registered_on": "2010-01-01",
        "industry": "manufacturing",
        "industrial": True,
        "excellence_since": "2015-01-01",
        "mu_efficiency": {str(y): "A" for y in range(today.year - 2, today.year + 4)},
    }
    body.update(extra)
    return body


PASSWORD = "secret-password"
OFFICE = ("office", "office-password")


@dataclass
class Api:
    """The API as each user sees it: `as_(username)` gives that user's headers."""

    http: httpx.AsyncClient
    clock: EnvClock
    passwords: dict[str, str] = field(default_factory=lambda: {OFFICE[0]: OFFICE[1]})
    tokens: dict[str, str] = field(default_factory=dict)
    after_populate: list[Callable[[Api], Awaitable[None]]] = field(default_factory=list)
    """Steps `world.populate` runs once the county exists (the delivery tests' contacts)."""

    async def login(self, username: str) -> str:
        response = await self.http.post(
            "/auth/login", json={"username": username, "password": self.passwords[username]}
        )
        assert response.status_code == 200, response.text
        token = str(response.json()["access_token"])
        self.tokens[username] = token
        return token

    async def _fresh(self, username: str) -> dict[str, str]:
        self.tokens.pop(username, None)
        return await self.as_(username)

    async def as_(self, username: str) -> dict[str, str]:
        token = self.tokens.get(username) or await self.login(username)
        return {"Authorization": f"Bearer {token}"}

    async def call(
        self,
        username: str | None,
        method: str,
        path: str,
        expect: int | None = None,
        **kwargs: Any,
    ) -> httpx.Response:
        headers = dict(kwargs.pop("headers", {}))
        if username is not None:
            headers.update(await self.as_(username))
        response = await self.http.request(method, path, headers=headers, **kwargs)
        if username is not None and response.status_code == 401 and expect != 401:
            headers.update(await self._fresh(username))  # skipped time ended the session
            response = await self.http.request(method, path, headers=headers, **kwargs)
        if expect is not None:
            assert response.status_code == expect, f"{method} {path}: {response.text}"
        return response

    async def get(self, username: str | None, path: str, **kw: Any) -> httpx.Response:
        return await self.call(username, "GET", path, **kw)

    async def post(self, username: str | None, path: str, **kw: Any) -> httpx.Response:
        return await self.call(username, "POST", path, **kw)

    async def put(self, username: str | None, path: str, **kw: Any) -> httpx.Response:
        return await self.call(username, "PUT", path, **kw)

    async def add_user(self, username: str, role: str, **links: str) -> None:
        body = {"username": username, "password": PASSWORD, "role": role, **links}
        await self.post("office", "/users", json=body, expect=201)
        self.passwords[username] = PASSWORD


def error_code(response: httpx.Response) -> str:
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) - {"fields"} == {"code", "message", "rule"}, body
    return str(body["error"]["code"])


async def eventually(check: Callable[[], Awaitable[bool]], timeout: float = 30.0) -> None:
    """Wait (briefly, in real time) for the workers to finish what the server made due."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not await check():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.05)
