"""A small HTTP/1.1 load generator for `qaward bench`: keep-alive connections, each sending
one GET after another for a fixed time, counting the answers.

Written on asyncio streams rather than httpx: an httpx request costs the client about as
much CPU as a hello-world costs the server, so on a small machine httpx would measure
itself (every server would look equally fast). Here a request is a prepared byte string
and an answer is read by its ``Content-Length``: a few tens of microseconds each. The
server must answer with a ``Content-Length`` (uvicorn does for every response we serve
here; a chunked answer is an error).
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Load:
    """What one run achieved: answers by status, and the errors (dropped connections …)."""

    seconds: float = 0.0
    statuses: Counter[int] = field(default_factory=Counter)
    errors: int = 0

    def rate(self, status: int) -> float:
        """Answers with `status` per second."""
        return self.statuses[status] / self.seconds if self.seconds > 0 else 0.0


def request_bytes(
    host: str,
    port: int,
    path: str,
    headers: dict[str, str],
    *,
    method: str = "GET",
    body: bytes = b"",
) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}:{port}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    if body or method != "GET":
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


async def read_answer(reader: asyncio.StreamReader) -> tuple[int, dict[str, str], bytes]:
    """One response: status, headers (lower-case names) and body."""
    head = await reader.readuntil(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    status = int(status_line.split(" ", 2)[1])
    headers = {}
    for line in header_lines:
        if line:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
    if "content-length" not in headers and status not in (204, 304):
        raise ValueError(f"no Content-Length in a {status} answer")
    body = await reader.readexactly(int(headers.get("content-length", "0")))
    return status, headers, body


async def fetch(
    host: str, port: int, path: str, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    """One request on a connection of its own (to prepare a run: an ETag, a readiness check)."""
    reader, writer = await asyncio.open_connection(host, port)
    try:
        writer.write(request_bytes(host, port, path, headers or {}))
        return await read_answer(reader)
    finally:
        writer.close()


async def hammer(
    host: str,
    port: int,
    path: str,
    *,
    seconds: float,
    connections: int,
    headers: dict[str, str] | None = None,
) -> Load:
    """`connections` clients, each with one keep-alive connection, for `seconds`."""
    request = request_bytes(host, port, path, headers or {})
    load = Load()
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds

    async def client() -> None:
        reader, writer = await asyncio.open_connection(host, port)
        try:
            while loop.time() < deadline:
                writer.write(request)
                status, _, _ = await read_answer(reader)
                load.statuses[status] += 1
        except (OSError, asyncio.IncompleteReadError, ValueError):
            load.errors += 1
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(connections)))
    load.seconds = time.perf_counter() - started
    return load
