"""Small helpers for raw ASGI middleware: buffered responses and request bodies."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address

from starlette.types import Message, Receive, Scope, Send

from domain.errors import DomainError, http_status

COMMAND_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@dataclass
class Captured:
    """A response held back until the middleware has done its bookkeeping."""

    messages: list[Message] = field(default_factory=list)
    status: int = 500
    headers: list[tuple[bytes, bytes]] = field(default_factory=list)
    body: bytes = b""

    async def send(self, message: Message) -> None:
        self.messages.append(message)
        if message["type"] == "http.response.start":
            self.status = int(message["status"])
            self.headers = list(message.get("headers", []))
        elif message["type"] == "http.response.body":
            self.body += message.get("body", b"")

    async def replay(self, send: Send) -> None:
        for message in self.messages:
            await send(message)

    def header(self, name: bytes) -> str | None:
        for key, value in self.headers:
            if key.lower() == name:
                return value.decode("latin-1")
        return None

    def error_code(self) -> str | None:
        """From the JSON error body, or the ``X-Error-Code`` header of an HTML page."""
        if self.status < 400:
            return None
        if (code := self.header(b"x-error-code")) is not None:
            return code
        try:
            code = json.loads(self.body)["error"]["code"]
        except (ValueError, KeyError, TypeError):
            return None
        return code if isinstance(code, str) else None


def header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return str(value.decode("latin-1"))
    return None


MAX_ADDRESS_LENGTH = 45
"""The longest textual IPv6 address (with an embedded IPv4 tail); the columns fit it."""


def _address(text: str) -> IPv4Address | IPv6Address | None:
    try:
        found = ip_address(text.strip().strip("[]"))
    except ValueError:
        return None
    if isinstance(found, IPv6Address) and found.ipv4_mapped is not None:
        return found.ipv4_mapped
    return found


def client_address(scope: Scope, trusted: Sequence[IPv4Network | IPv6Network] = ()) -> str | None:
    """The caller's address: the peer, or — when the peer is a trusted proxy — the last
    ``X-Forwarded-For`` hop that is not one of ours. Anyone else's header is ignored, and
    whatever comes back is a parsed address that fits its column."""
    client = scope.get("client")
    if not client:
        return None
    current = _address(str(client[0]))
    if current is None:
        return str(client[0])[:MAX_ADDRESS_LENGTH]
    forwarded = [
        hop
        for key, value in scope.get("headers", [])
        if key.lower() == b"x-forwarded-for"
        for hop in value.decode("latin-1").split(",")
    ]
    while forwarded and any(current in network for network in trusted):
        hop = _address(forwarded.pop())
        if hop is None:
            break
        current = hop
    return str(current)


async def read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def replaying(body: bytes) -> Receive:
    """A `receive` that hands the already-read body to the app once."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return {"type": "http.disconnect"}

    return receive


async def send_body(
    send: Send, status: int, body: bytes, content_type: str, extra: list[tuple[bytes, bytes]]
) -> None:
    headers = [
        (b"content-type", content_type.encode("latin-1")),
        (b"content-length", str(len(body)).encode()),
        *extra,
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def send_error(send: Send, err: DomainError) -> None:
    payload = {"error": {"code": err.code.value, "message": err.message, "rule": err.rule}}
    body = json.dumps(payload, ensure_ascii=False).encode()
    await send_body(send, http_status(err.code), body, "application/json", [])
