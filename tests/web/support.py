"""A small browser for the console tests: one cookie jar per user, forms filled in from
the page (its CSRF token and once-key), like a person would submit them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import unescape
from types import TracebackType
from typing import Any

import httpx
from fastapi import FastAPI

from tests.api.support import OFFICE, PASSWORD

BASE = "https://testserver"
"""https: the session cookie is Secure outside development, as in production."""
_HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


def hidden_fields(page: str, action: str | None = None) -> dict[str, str]:
    """The hidden fields of the form posting to `action` (else of the first form)."""
    forms = re.findall(r'<form method="post" action="([^"]+)"[^>]*>(.*?)</form>', page, re.S)
    for target, body in forms:
        if action is None or unescape(target) == action:
            return {k: unescape(v) for k, v in _HIDDEN.findall(body)}
    raise AssertionError(f"no form posting to {action} on the page")


def _to_sign_in(response: httpx.Response) -> bool:
    return response.status_code == 303 and response.headers["location"].startswith("/login")


@dataclass
class Console:
    app: FastAPI
    passwords: dict[str, str] = field(default_factory=lambda: {OFFICE[0]: OFFICE[1]})
    clients: dict[str, httpx.AsyncClient] = field(default_factory=dict)

    async def __aenter__(self) -> Console:
        return self

    async def __aexit__(
        self, *exc: type[BaseException] | BaseException | TracebackType | None
    ) -> None:
        for client in self.clients.values():
            await client.aclose()

    def client(self, username: str | None) -> httpx.AsyncClient:
        key = username or ""
        if key not in self.clients:
            transport = httpx.ASGITransport(app=self.app)
            self.clients[key] = httpx.AsyncClient(transport=transport, base_url=BASE)
        return self.clients[key]

    async def sign_in(self, username: str, password: str | None = None) -> httpx.Response:
        client = self.client(username)
        page = await client.get("/login")
        fields = hidden_fields(page.text, "/login")
        fields.update(
            username=username, password=password or self.passwords.get(username, PASSWORD)
        )
        return await client.post("/login", data=fields)

    async def get(self, username: str | None, path: str, **kw: Any) -> httpx.Response:
        """The page; signed in again first when skipped time has ended the session."""
        response = await self.client(username).get(path, **kw)
        if username is not None and _to_sign_in(response):
            await self.sign_in(username)
            response = await self.client(username).get(path, **kw)
        return response

    async def submit(
        self,
        username: str,
        page_path: str,
        action: str,
        data: dict[str, Any] | None = None,
        **kw: Any,
    ) -> httpx.Response:
        """Open `page_path`, fill in the form posting to `action` with `data`, submit it."""
        client = self.client(username)
        page = await self.get(username, page_path)
        assert page.status_code == 200, page.text
        fields: dict[str, Any] = hidden_fields(page.text, action)
        fields.update(data or {})
        return await client.post(action, data=fields, **kw)
