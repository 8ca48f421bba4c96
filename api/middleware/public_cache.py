"""The public pages' cache: what only a publication changes is rendered once, not per request.

Public pages and JSON (`CACHED_PREFIXES`: notices, the publicity list, the honors register,
the objection form) are the same for every caller and change only when a notice or a list
is published. A GET answered 200 is kept in this process, by path, query and business date
(the register shows the honors active *today*, §6(5)), as its body and an ETag (a digest
of the body). It is served from there until either

- this process commits a write (`db.changes`): its own worker's projection (`qaward up`)
  or a command of its own API is seen by the next request, or
- `QAWARD_PUBLIC_CACHE_SECONDS` (default 2 s) have passed: writes by *other* processes —
  a worker in its own container, a second API process — are seen at most that late.

Why not a version number in the database that the publishing write bumps: every request
(or every request after a short interval anyway) would read it, one query that costs
about as much as the page it guards on SQLite, and every writer of a public record — the
cycle's projection, the honor workflows, the service's own writes, and whatever is added
later — would have to remember to bump it; a missed bump would leave a page stale for
good, where a time limit cannot. A content digest as ETag is the same in every process, so
a browser's ``If-None-Match`` is answered 304 by whichever replica it reaches.

Every answer here says ``Cache-Control: no-cache``: browsers and proxies may keep it but
must ask again (a cheap 304), so nobody sees a list older than this cache's. Only paths
whose answer is the same for every caller belong in `CACHED_PREFIXES` — never one that
reads a cookie or a token, or renders a per-session token into a form.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from starlette.types import ASGIApp, Receive, Scope, Send

from api.middleware.asgi import Captured, header
from db.changes import committed_writes

CACHED_PREFIXES = ("/public/",)
"""GET paths answered from the cache; the public portal's HTML pages belong here too."""
MAX_ENTRIES = 512
"""More distinct paths and queries than this (someone walking ?year=…) empty the cache."""
CACHE_CONTROL = (b"cache-control", b"no-cache")


@dataclass(frozen=True)
class Entry:
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    etag: bytes
    writes: int
    """`committed_writes()` when rendering began: a later write makes the entry stale."""
    until: float
    """Monotonic instant after which the entry is rendered again."""

    def fresh(self, writes: int, now: float) -> bool:
        return self.writes == writes and now < self.until


def etag_of(body: bytes) -> bytes:
    return b'"' + hashlib.sha256(body).hexdigest()[:32].encode() + b'"'


def matches(if_none_match: str | None, etag: bytes) -> bool:
    """``If-None-Match`` (a list of tags, weak or strong, or ``*``) names this tag."""
    if not if_none_match:
        return False
    tag = etag.decode()
    for candidate in if_none_match.split(","):
        candidate = candidate.strip()
        if candidate == "*" or candidate.removeprefix("W/") == tag:
            return True
    return False


def _cacheable(captured: Captured) -> bool:
    return captured.status == 200 and captured.header(b"set-cookie") is None


class PublicCacheMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        ttl_seconds: float,
        today: Callable[[], date],
        *,
        prefixes: tuple[str, ...] = CACHED_PREFIXES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """`today`: the business date (part of the key); `clock`: seconds, for the limit."""
        self.app = app
        self.ttl = ttl_seconds
        self.today = today
        self.prefixes = prefixes
        self.clock = clock
        self._entries: dict[tuple[str, bytes, date], Entry] = {}
        self._rendering: dict[tuple[str, bytes, date], asyncio.Lock] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "GET"
            or not scope["path"].startswith(self.prefixes)
        ):
            await self.app(scope, receive, send)
            return
        key = (scope["path"], scope.get("query_string", b""), self.today())
        if self.ttl <= 0:  # not kept: rendered for each request, still with its ETag
            entry = await self._render(key, scope, receive, send)
            if entry is not None:
                await _answer(entry, header(scope, b"if-none-match"), send)
            return
        entry = self._fresh(key)
        if entry is None:
            lock = self._rendering.setdefault(key, asyncio.Lock())
            async with lock:  # one render per page at a time; the others wait and share it
                entry = self._fresh(key)
                if entry is None:
                    entry = await self._render(key, scope, receive, send)
                    if entry is None:
                        return  # not kept (an error, a cookie): already answered
        await _answer(entry, header(scope, b"if-none-match"), send)

    def _fresh(self, key: tuple[str, bytes, date]) -> Entry | None:
        entry = self._entries.get(key)
        if entry is not None and entry.fresh(committed_writes(), self.clock()):
            return entry
        return None

    async def _render(
        self, key: tuple[str, bytes, date], scope: Scope, receive: Receive, send: Send
    ) -> Entry | None:
        writes, started = committed_writes(), self.clock()
        captured = Captured()
        await self.app(scope, receive, captured.send)
        if not _cacheable(captured):
            await captured.replay(send)
            return None
        headers = [
            (name, value)
            for name, value in captured.headers
            if name.lower() not in (b"content-length", b"etag", b"cache-control")
        ]
        entry = Entry(
            captured.status,
            headers,
            captured.body,
            etag_of(captured.body),
            writes,
            started + self.ttl,
        )
        if self.ttl > 0:
            if len(self._entries) >= MAX_ENTRIES:
                self._entries.clear()
                self._rendering = {k: v for k, v in self._rendering.items() if v.locked()}
            self._entries[key] = entry
        return entry


async def _answer(entry: Entry, if_none_match: str | None, send: Send) -> None:
    tags = [(b"etag", entry.etag), CACHE_CONTROL]
    if matches(if_none_match, entry.etag):
        await send({"type": "http.response.start", "status": 304, "headers": tags})
        await send({"type": "http.response.body", "body": b""})
        return
    length = (b"content-length", str(len(entry.body)).encode())
    headers = [*entry.headers, length, *tags]
    await send({"type": "http.response.start", "status": entry.status, "headers": headers})
    await send({"type": "http.response.body", "body": entry.body})
